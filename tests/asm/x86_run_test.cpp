// X86 tests end to end through the driver (registry, lowering, models/x86tso.cat, report): the orderings
// herd-asm-semantics.md 2.2 and 5 state, on small shapes.
#include <catch2/catch.hpp>

#include "driver/driver.hpp"

using namespace paddock;

namespace {

TestOutcome run(const std::string& text) {
  static Session session{Config{}};
  return session.run_text(text, "t.litmus");
}

std::string observation(const std::string& text) {
  TestOutcome r = run(text);
  INFO(r.error);
  auto at = r.report.find("Observation ");
  REQUIRE(at != std::string::npos);
  return r.report.substr(at, r.report.find('\n', at) - at);
}

// SB with `mid` between each thread's write and read.
std::string sb(const std::string& mid) {
  return "X86 t\n{ }\n P0 | P1 ;\n MOV [x],$1 | MOV [y],$1 ;\n " + mid + " | " + mid +
         " ;\n MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n";
}

}  // namespace

TEST_CASE("x86-TSO: the store buffer and what drains it") {
  CHECK(observation(sb("MOV EBX,$0")) == "Observation t Sometimes 1 3");
  CHECK(observation(sb("MFENCE")) == "Observation t Never 0 3");
  // LFENCE and SFENCE are in no ordering of x86tso.cat.
  CHECK(observation(sb("LFENCE")) == "Observation t Sometimes 1 3");
  CHECK(observation(sb("SFENCE")) == "Observation t Sometimes 1 3");
  // A locked RMW (or XCHG with memory) between the write and the read orders them. The two RMWs on z
  // come in either order; the later one's thread then reads 1, the other thread either value: 2 x 2.
  CHECK(observation(sb("LOCK INC [z]")) == "Observation t Never 0 4");
  CHECK(observation(sb("XCHG [z],ECX")) == "Observation t Never 0 4");
  // An unlocked INC does not.
  CHECK(observation(sb("INC [z]")).rfind("Observation t Sometimes", 0) == 0);
}

TEST_CASE("x86-TSO: message passing and load buffering are forbidden") {
  CHECK(observation("X86 MP\n{ }\n P0 | P1 ;\n MOV [x],$1 | MOV EAX,[y] ;\n MOV [y],$1 | MOV EBX,[x] ;\n"
                    "exists (1:EAX=1 /\\ 1:EBX=0)\n") == "Observation MP Never 0 3");
  CHECK(observation("X86 LB\n{ }\n P0 | P1 ;\n MOV EAX,[x] | MOV EAX,[y] ;\n MOV [y],$1 | MOV [x],$1 ;\n"
                    "exists (0:EAX=1 /\\ 1:EAX=1)\n") == "Observation LB Never 0 3");
}

TEST_CASE("locked increments are atomic, plain ones are not") {
  const std::string both = "X86 t\n{ }\n P0 | P1 ;\n {} [x] | {} [x] ;\nexists (x=1)\n";
  auto with = [&](const std::string& ins) {
    std::string s = both;
    for (size_t at; (at = s.find("{}")) != std::string::npos;) s.replace(at, 2, ins);
    return s;
  };
  CHECK(observation(with("LOCK INC")) == "Observation t Never 0 2");
  CHECK(observation(with("INC")).rfind("Observation t Sometimes", 0) == 0);
}

TEST_CASE("XCHG swaps memory and register; values flow through registers and flags") {
  TestOutcome r = run("X86 t\n{ x=5; 0:ECX=7; }\n P0 ;\n XCHG [x],ECX ;\n MOV EAX,ECX ;\n ADD EAX,$1 ;\n"
                      " CMP EAX,$6 ;\nexists (x=7 /\\ 0:ECX=5 /\\ 0:EAX=6 /\\ 0:ZF=1)\n");
  INFO(r.error);
  CHECK(r.report.find("States 1\n0:EAX=6; 0:ECX=5; 0:ZF=1; [x]=7;\n") != std::string::npos);
  CHECK(r.report.find("Observation t Always 1 0") != std::string::npos);
}

TEST_CASE("registers are displayed in herd's X86 order, not by name") {
  TestOutcome r = run("X86 t\n{ }\n P0 ;\n MOV EBP,$1 ;\n MOV EBX,$2 ;\nexists (0:EBP=1 /\\ 0:EBX=2)\n");
  INFO(r.error);
  CHECK(r.report.find("0:EBX=2; 0:EBP=1;\n") != std::string::npos);
  CHECK(r.report.find("Condition exists (0:EBP=1 /\\ 0:EBX=2)\n") != std::string::npos);
}

TEST_CASE("conditional jumps fork; backward jumps are unrolled twice") {
  // Branch on a read: both outcomes exist.
  TestOutcome r = run("X86 t\n{ }\n P0 | P1 ;\n MOV EAX,[x] | MOV [x],$1 ;\n CMP EAX,$1 | ;\n JNE L0 | ;\n"
                      " MOV EBX,$2 | ;\n L0: | ;\nexists (0:EBX=2)\n");
  INFO(r.error);
  CHECK(r.report.find("Observation t Sometimes 1 1") != std::string::npos);
  // A spin loop waiting for x=1: its body runs one to three times, deeper paths are cut (Loop).
  r = run("X86 t\n{ }\n P0 | P1 ;\n L0: MOV EAX,[x] | MOV [x],$1 ;\n CMP EAX,$0 | ;\n JE L0 | ;\nexists (0:EAX=1)\n");
  INFO(r.error);
  CHECK(r.report.find("Loop Ok\n") != std::string::npos);
  CHECK(r.report.find("Positive: 3 Negative: 0") != std::string::npos);
  // A jump on a flag known statically is free (not counted as a loop iteration).
  r = run("X86 t\n{ }\n P0 ;\n MOV EAX,$2 ;\n L0: DEC EAX ;\n CMP EAX,$0 ;\n JNE L0 ;\nexists (0:EAX=0)\n");
  INFO(r.error);
  CHECK(r.report.find("Loop") == std::string::npos);
  CHECK(r.report.find("Observation t Always 1 0") != std::string::npos);
}

TEST_CASE("the first header word picks the architecture") {
  CHECK(run("FOO t\n{ }\n").error == "t.litmus:1:1: error: unknown architecture 'FOO' (known: C, X86, X86_64, AArch64)");
  CHECK(run("(* c *) ARM t\n{ }\n").error == "t.litmus:1:9: error: unsupported architecture ARM");
  CHECK(run("x86 t\n{ }\n").error == "t.litmus:1:1: error: unknown architecture 'x86' (known: C, X86, X86_64, AArch64)");
  CHECK(run("C t\n{ }\nP0(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)\n").report.find("Observation t Always 1 0") !=
        std::string::npos);
  CHECK(run("X86 t\n{ }\n P0 ;\n MOV [5],$1 ;\nexists (0:EAX=0)\n").error ==
        "t.litmus:4:6: error: non-symbolic memory access [5]");
}

TEST_CASE("the Z3 path (-speedcheck) runs x86tso.cat and agrees on reachability") {
  Config cfg;
  cfg.speedcheck = Config::Speedcheck::True;
  Session z3{cfg};
  auto reachable = [&](const std::string& text) {
    TestOutcome r = z3.run_text(text, "t.litmus");
    INFO(r.error);
    REQUIRE(r.error.empty());
    return r.report.find("Observation t Never") == std::string::npos;
  };
  CHECK(reachable(sb("MOV EBX,$0")));
  CHECK(!reachable(sb("MFENCE")));
  CHECK(reachable(sb("LFENCE")));
  CHECK(!reachable(sb("LOCK INC [z]")));
  CHECK(!reachable("X86 t\n{ }\n P0 | P1 ;\n MOV [x],$1 | MOV EAX,[y] ;\n MOV [y],$1 | MOV EBX,[x] ;\n"
                   "exists (1:EAX=1 /\\ 1:EBX=0)\n"));
}
