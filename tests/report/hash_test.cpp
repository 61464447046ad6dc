#include <catch2/catch.hpp>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "corpus.hpp"
#include "doc_tests.hpp"
#include "litmus/parse.hpp"
#include "report/hash.hpp"
#include "report/md5.hpp"

using namespace paddock;
using namespace paddock::report;
using namespace paddock::report::testing;

namespace {

litmus::Test parse(const std::string& text) { return litmus::parse_test(text, "test.litmus"); }

// A corpus test by relative name; nullopt (and a warning) when the corpus is absent.
std::optional<litmus::Test> corpus_test(const std::string& rel) {
  auto root = corpus_root();
  if (root.empty()) {
    WARN("corpus not found (set PADDOCK_CORPUS): skipping " << rel);
    return std::nullopt;
  }
  return litmus::parse_test(read_file(root / rel), (root / rel).string());
}

}  // namespace

TEST_CASE("hash: every corpus test with a herd7 output", "[hash][corpus]") {
  auto cases = corpus_cases();
  if (cases.empty()) {
    WARN("corpus not found at /work/shared/corpus (set PADDOCK_CORPUS): skipping the corpus hash test");
    return;
  }
  size_t matched = 0, with_hash = 0;
  std::vector<std::string> parse_errors;
  for (const auto& c : cases) {
    std::string expected = line_starting(c.output, "Hash=");
    if (expected.empty()) continue;
    ++with_hash;
    INFO(c.name);
    std::string error;
    auto parsed = try_parse(c, error);
    if (!parsed) {
      FAIL_CHECK("parse error: " << error);
      parse_errors.push_back(c.name);
      continue;
    }
    const litmus::Test& t = *parsed;
    std::string got = "Hash=" + herd_hash(t);
    CHECK(got == expected);
    if (got == expected) ++matched;
  }
  WARN(fmt::format("hash: {}/{} corpus hashes matched; parse errors: {}", matched, with_hash,
                   fmt::join(parse_errors, ", ")));
  CHECK(with_hash >= 132);
}

TEST_CASE("hash: the hashes quoted in herd-hash.md", "[hash]") {
  SECTION("MP+pooncerelease+poacquireonce (kernel documentation version)") {
    CHECK(herd_hash(parse(kMpDoc)) == "579aaa14d8c35a39429b02e698241d09");
  }
  SECTION("C-peterz (seed 001)") { CHECK(herd_hash(parse(kPeterz)) == "e427f41d9146b2a5445101d3e2fcaa34"); }
  SECTION("SB+fencembonceonces") {
    if (auto t = corpus_test("lkmm/SB+fencembonceonces.litmus"))
      CHECK(herd_hash(*t) == "d66d99523e2cac6b06e66f4c995ebb48");
  }
  SECTION("LB+fencembonceonce+ctrlonceonce (herdtools7 catalogue version)") {
    if (auto t = corpus_test("catalogue-linux/LB+fencembonceonce+ctrlonceonce.litmus"))
      CHECK(herd_hash(*t) == "e5260556f6de495fd39b556d1b831c3b");
  }
  SECTION("MP+poonceonces: the digest inputs") {
    if (auto t = corpus_test("lkmm/MP+poonceonces.litmus")) {
      CHECK(hash_info_text(*t) == "");
      CHECK(hash_init_text(*t) == "int buf=0; int flag=0");
      CHECK(hash_locations_text(*t) == "1:r0; 1:r1");
      CHECK(herd_hash(*t) == "b76563b14dbcbc7e1046010d82ee4fa3");
    }
  }
}

TEST_CASE("hash: what does and does not change it", "[hash]") {
  const std::string base =
      "C T\n{ y=2; int x; 1:r9=3; int *p=&x; atomic_t a=ATOMIC_INIT(1); }\n"
      "P0(int *x, int **p) {\n\tWRITE_ONCE(*x, 1);\n}\n"
      "P1(int *x) {\n\tint r0;\n\tr0 = READ_ONCE(*x);\n}\n"
      "exists (1:r0=1 /\\ x=1)\n";
  litmus::Test t = parse(base);
  CHECK(hash_init_text(t) == "1:r9=3; atomic_t a=1; int *p=x; int x=0; y=2");
  CHECK(hash_code_text(t) ==
        " P0(int* x, int** p) {\n\n\tWRITE_ONCE(*x, 1);\n\n}\n | P1(int* x) {\n\n\tint r0;\n\tr0 = READ_ONCE(*x);\n\n}\n ;\n");
  CHECK(hash_locations_text(t) == "1:r0; x");
  std::string h = herd_hash(t);
  CHECK(h.size() == 32);

  auto variant = [&](const std::string& from, const std::string& to) {
    std::string s = base;
    s.replace(s.find(from), from.size(), to);
    return herd_hash(parse(s));
  };
  // The name, the quantifier and the condition's values do not count.
  CHECK(variant("C T", "C Other") == h);
  CHECK(variant("exists", "~exists") == h);
  CHECK(variant("x=1)", "x=7)") == h);
  // Init entry order does not count (entries are sorted); whitespace in bodies and the types do.
  CHECK(variant("y=2; int x;", "int x; y=2;") == h);
  CHECK(variant("\tWRITE_ONCE(*x, 1);", "  WRITE_ONCE(*x, 1);") != h);
  CHECK(variant("int x;", "x;") != h);
  // Locations named by the locations clause count.
  CHECK(variant("exists", "locations [y]\nexists") != h);

  // A header Hash= is echoed.
  CHECK(herd_hash(parse("C T\nHash=0123456789abcdef0123456789abcdef\n{}\nP0(int *x) {\n}\nexists (x=0)\n")) ==
        "0123456789abcdef0123456789abcdef");
}

TEST_CASE("hash: info keys", "[hash]") {
  litmus::Test t;
  t.meta = {{"MT", "b"}, {"Foo", "z"}, {"CacheType", "a"}};
  CHECK(hash_info_text(t) == "mt=bcachetype=a");
  t.meta.clear();
  CHECK(hash_info_text(t) == "");
  CHECK(hash_init_text(t) == "");
  CHECK(hash_locations_text(t) == "");
}
