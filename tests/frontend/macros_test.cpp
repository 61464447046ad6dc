#include <catch2/catch.hpp>
#include <set>

#include "helpers.hpp"

using namespace paddock;

// Every macro of the bundled table expands to primitives and builds events with the right shape.
TEST_CASE("every bundled macro expands and builds events") {
  const auto& table = program::MacroTable::bundled();
  REQUIRE(table.names().size() > 100);
  REQUIRE_NOTHROW(table.parse_all());
  for (const auto& name : table.names()) {
    const auto& def = *table.find(name);
    // Arguments: pointer-taking macros get `x`, location-taking ones get `*x`, values get 1.
    bool takes_location = name == "READ_ONCE" || name == "WRITE_ONCE" || name == "rcu_dereference" ||
                          name == "rcu_assign_pointer" || name == "smp_store_mb";
    std::string args;
    for (size_t i = 0; i < def.params.size(); ++i) {
      std::string a = def.params[i] != "X" ? "1" : takes_location ? "*x" : "x";
      args += (i ? ", " : "") + a;
    }
    std::string call = name + "(" + args + ")";
    std::string stmt = def.block ? call + ";" : "r0 = " + call + ";";
    std::string text = "C m\n{}\nP0(int *x, int *y) {\n int r0;\n " + stmt + "\n}\nexists (0:r0=0)\n";
    INFO(text);
    events::Program p;
    REQUIRE_NOTHROW(p = testing::build(text));
    REQUIRE(!p.threads[0].empty());
    const auto& ev = p.threads[0][0].events;
    REQUIRE(!ev.empty());
    // The annotation is the one in the table's braces (lkmmv2: copied onto every event).
    if (name.rfind("smp_mb", 0) == 0 || name == "smp_rmb" || name == "smp_wmb" || name == "barrier")
      CHECK(ev.back().sort == events::Sort::F);
    if (name.rfind("atomic_fetch_", 0) == 0 || name.find("_return") != std::string::npos ||
        name.rfind("atomic_xchg", 0) == 0) {
      REQUIRE(ev.size() == 2);
      CHECK(ev[0].rmw);
      CHECK(ev[1].rmw);
      CHECK(p.threads[0][0].rmw.size() == 1);
    }
    if (name.find("cmpxchg") != std::string::npos || name == "atomic_add_unless" || name == "spin_trylock" ||
        name == "spin_is_locked")
      CHECK(p.threads[0].size() == 2);  // success and failure paths
  }
}

TEST_CASE("macro annotations become event tags") {
  auto p = testing::build(R"(C tags
{}
P0(int *x, int *y, atomic_t *a) {
  int r0 = smp_load_acquire(x);
  smp_store_release(y, 2);
  smp_mb__before_atomic();
  atomic_inc(a);
  r0 = xchg_relaxed(x, 3);
}
exists (0:r0=0)
)");
  const auto& ev = p.threads[0][0].events;
  REQUIRE(ev.size() == 7);
  CHECK(ev[0].tags == std::vector<std::string>{"ACQUIRE"});
  CHECK(ev[1].tags == std::vector<std::string>{"RELEASE"});
  CHECK(ev[2].tags == std::vector<std::string>{"before-atomic"});
  CHECK(ev[3].tags == std::vector<std::string>{"NORETURN"});
  CHECK(ev[5].tags == std::vector<std::string>{"ONCE"});
}

TEST_CASE("a user macro table replaces the bundled one") {
  auto table = program::MacroTable::from_text("MY_LOAD(X) __load{ONCE}(*X)\nMY_FENCE() { __fence{MB}; }\n", "my.def");
  auto test = litmus::parse_test("C u\n{}\nP0(int *x) { int r0 = MY_LOAD(x); MY_FENCE(); }\nexists (0:r0=0)\n", "u.litmus");
  auto bodies = program::expand(test, table);
  auto p = events::build(test, bodies);
  REQUIRE(p.threads[0][0].events.size() == 2);
  auto err = testing::error_of([&] {
    auto t2 = litmus::parse_test("C u\n{}\nP0(int *x) {\n  READ_ONCE(*x);\n}\n", "u.litmus");
    program::expand(t2, table);
  });
  CHECK(err == "u.litmus:4:3: error: unknown macro 'READ_ONCE' (macros read from my.def)");
}
