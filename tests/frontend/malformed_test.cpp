#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace paddock;

static std::string error_for(const std::string& text) {
  return testing::error_of([&] { testing::build(text, "bad.litmus"); });
}

TEST_CASE("malformed inputs get positioned errors") {
  const std::string good = "C ok\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n";
  REQUIRE(error_for(good).empty());

  SECTION("code values belong to assembly tests") {
    CHECK(error_for("C ok\n{ x=P0:L0; }\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n") ==
          "bad.litmus:2:5: error: a code address as a value: only assembly tests have code values");
    CHECK(error_for("C ok\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=instr:\"NOP\")\n") ==
          "bad.litmus:6:11: error: an instruction as a value: only assembly tests have code values");
    CHECK(error_for("C ok\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (Fault(P0:L0))\n") ==
          "bad.litmus:6:9: error: a fault atom: only assembly tests have them");
  }
  SECTION("empty file") { CHECK(error_for("") == "bad.litmus:1:1: error: expected H_WORD, found end of file"); }
  SECTION("truncated file") {
    std::string e = error_for("C ok\n{}\nP0(int *x) {\n  WRITE_ONCE(*x,");
    CHECK(e.rfind("bad.litmus:4:17: error: expected {", 0) == 0);
    CHECK(e.find("}, found end of file") != std::string::npos);
  }
  SECTION("unbalanced braces") {
    std::string e = error_for("C ok\n{}\nP0(int *x) {\n  if (1) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n");
    CAPTURE(e);
    CHECK(e == "bad.litmus:7:1: error: expected '}' to close the thread body before 'exists', found 'exists'");
  }
  SECTION("unknown macro") {
    CHECK(error_for("C ok\n{}\nP0(int *x) {\n  FROB_ONCE(*x, 1);\n}\nexists (x=1)\n") ==
          "bad.litmus:4:3: error: unknown macro 'FROB_ONCE' (macros read from <bundled>/linux-kernel.def)");
  }
  SECTION("bad condition") {
    CHECK(error_for("C ok\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1 /\\ )\n") ==
          "bad.litmus:6:16: error: expected {'exists', 'forall', 'final', 'locations', 'filter', 'not', 'true', "
          "'false', '*', '~', '(', '[', INT, ID}, found ')'");
  }
  SECTION("binary garbage") {
    std::string bin = "C ok\n{}\n";
    bin += std::string("\x00\xff\xfe\x01", 4);
    CHECK(error_for(bin) == "bad.litmus:3:1: error: expected text, found byte 0x00 (the file is not UTF-8 text)");
  }
  SECTION("ill-formed UTF-8 that looks well formed byte by byte (found by fuzz_c)") {
    // Overlong, surrogate and beyond-U+10FFFF sequences made ANTLR's input stream throw std::range_error.
    std::string pre = "C ok\n{}\nP0(int *x) {\n  WRITE_ONCE(*x, 1); // ";
    CHECK(error_for(pre + "\xc0\xba\n}\n") ==
          "bad.litmus:4:25: error: expected text, found byte 0xc0 (the file is not UTF-8 text)");
    CHECK(error_for(pre + "\xe0\x80\xaf\n}\n").find("found byte 0xe0") != std::string::npos);
    CHECK(error_for(pre + "\xed\xa0\x80\n}\n").find("found byte 0xed") != std::string::npos);
    CHECK(error_for(pre + "\xf4\x90\x80\x80\n}\n").find("found byte 0xf4") != std::string::npos);
    CHECK(error_for(pre + "\xc3\xa9\xf0\x9f\x98\x80\n}\nexists (x=1)\n").empty());  // é and an emoji are fine
  }
  SECTION("threads out of order") {
    CHECK(error_for("C ok\n{}\nP1(int *x) { }\nexists (x=1)\n") ==
          "bad.litmus:3:1: error: expected thread P0, found 'P1' (threads must be P0, P1, ... in order)");
  }
  SECTION("READ_ONCE of a pointer, not a location") {
    CHECK(error_for("C ok\n{}\nP0(int *x) {\n  int r0 = READ_ONCE(x);\n}\nexists (0:r0=1)\n") ==
          "bad.litmus:4:22: error: '__load' needs a location written *p, found a plain value (did you mean *x?)");
  }
  SECTION("stray header text is skipped, as herd's splitter does") {
    // A second `C name` line (C-JanStancek-rwsem), and the tails of nested comments, are ignored.
    auto parsed = [](const std::string& text) { return litmus::parse_test(text, "ok.litmus"); };
    litmus::Test t = parsed("C JanStancek-rwsem\n\nC rwsem\n{}\nP0(int *x) { }\nexists (x=1)\n");
    CHECK(t.name == "JanStancek-rwsem");
    CHECK(t.meta.empty());
    CHECK(error_for("C ok\n(* a (* b *) c *)\n{}\nP0(int *x) { }\nexists (x=1)\n").empty());
    CHECK(error_for("C ok\nsome prose, then a key\nVariant=x\n{}\nP0(int *x) { }\nexists (x=1)\n").empty());
    CHECK(parsed("C ok\nprose\nVariant=x\n{}\nP0(int *x) { }\nexists (x=1)\n").meta.size() == 1);
  }
  SECTION("integer out of range") {
    CHECK(error_for("C ok\n{ x=99999999999; }\nP0(int *x) { }\nexists (x=1)\n") ==
          "bad.litmus:2:5: error: integer literal '99999999999' does not fit in 32 bits");
  }
  SECTION("a 10 MB file is rejected at its first error, quickly") {
    std::string big = "C big\n{}\nP0(int *x) {\n";
    while (big.size() < 10 * 1024 * 1024) big += "  WRITE_ONCE(*x, 1);\n";
    big += "  @\n}\nexists (x=1)\n";
    std::string e = error_for(big);
    CAPTURE(e);
    CHECK(e == "bad.litmus:499325:3: error: unexpected '@'");
  }
}
