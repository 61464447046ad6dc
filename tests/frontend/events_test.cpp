#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace paddock;
using events::Edge;
using events::Sort;

TEST_CASE("dependencies: addr, data, ctrl as herd computes them") {
  auto p = testing::build(R"(C deps
{}
P0(int *x, int *y, int *z, int **p) {
  int r0 = READ_ONCE(*x);
  int r1 = r0 + 1;
  if (r1 == 2) { WRITE_ONCE(*y, 1); } else { smp_mb(); }
  WRITE_ONCE(*z, r1);
  int *r2 = READ_ONCE(*p);
  int r3 = READ_ONCE(*r2);
}
exists (0:r0=0)
)");
  REQUIRE(p.threads[0].size() == 2);
  const auto& then_path = p.threads[0][0];
  // e0 R x, e1 W y, e2 W z, e3 R p, e4 R *r2
  REQUIRE(then_path.events.size() == 5);
  CHECK(then_path.ctrl == std::vector<Edge>{{0, 1}});
  CHECK(then_path.data == std::vector<Edge>{{0, 2}});
  CHECK(then_path.addr == std::vector<Edge>{{3, 4}});
  const auto& else_path = p.threads[0][1];
  CHECK(else_path.events[1].sort == Sort::F);
  CHECK(else_path.ctrl == std::vector<Edge>{{0, 1}});
  REQUIRE(then_path.guards.size() == 1);
  CHECK(then_path.guards[0].truth);
}

TEST_CASE("a register assigned in a branch carries no dependency") {
  auto p = testing::build(R"(C nodep
{}
P0(int *x, int *y) {
  int r0 = READ_ONCE(*x);
  int r1;
  if (r0 == 1) r1 = 1; else r1 = 2;
  WRITE_ONCE(*y, r1);
}
exists (0:r0=0)
)");
  for (const auto& path : p.threads[0]) {
    CHECK(path.data.empty());
    CHECK(path.ctrl.empty());
  }
}

TEST_CASE("intra-statement order: operands before their consumer only") {
  auto p = testing::build(R"(C iico
{}
P0(int *x, int *y) {
  int r0 = READ_ONCE(*x) + READ_ONCE(*y);
  WRITE_ONCE(*x, READ_ONCE(*y));
  r0 = xchg(x, READ_ONCE(*y));
}
exists (0:r0=0)
)");
  const auto& ev = p.threads[0][0].events;
  REQUIRE(ev.size() == 7);
  CHECK(ev[0].stmt == ev[1].stmt);
  const auto& iico = p.threads[0][0].iico;
  auto has = [&](int a, int b) { return std::find(iico.begin(), iico.end(), Edge{a, b}) != iico.end(); };
  CHECK_FALSE(has(0, 1));
  CHECK(has(2, 3));   // R y -> W x
  CHECK(has(4, 6));   // R y -> W* x
  CHECK_FALSE(has(4, 5));
  CHECK(has(5, 6));   // R* -> W*
}

TEST_CASE("loops unroll twice and mark the cut path") {
  auto p = testing::build(R"(C spin
{}
P0(int *x) {
  int r0 = 0;
  while (r0 == 0) r0 = READ_ONCE(*x);
}
exists (0:r0=1)
)");
  int cut = 0, full = 0;
  for (const auto& path : p.threads[0]) (path.loop_cut ? cut : full)++;
  CHECK(full == 2);
  CHECK(cut == 1);
}

TEST_CASE("init values and pointer locations") {
  auto p = testing::build(R"(C ptr
{ int *p = &x; int x = 5; 0:r9 = 7; }
P0(int **p) { int *r0 = READ_ONCE(*p); int r1 = READ_ONCE(*r0); }
exists (0:r1=5)
)");
  REQUIRE(p.locations.size() == 2);
  CHECK(p.locations[0].name == "p");
  CHECK(p.locations[0].init.kind == events::Value::Kind::Addr);
  CHECK(p.locations[1].init.i == 5);
  CHECK(p.reg_init.at({0, "r9"}).i == 7);
}

TEST_CASE("a pointer plus zero is the pointer (fake address dependency)") {
  events::Value x = events::Value::addr(3);
  auto sym_of = [](events::Value v) {
    auto s = std::make_shared<events::Sym>();
    s->kind = events::Sym::Kind::Const;
    s->value = v;
    return s;
  };
  events::Sym plus{events::Sym::Kind::Binary, {}, -1, "+", sym_of(x), sym_of(events::Value::num(0)), nullptr};
  CHECK(events::eval(plus, {}) == x);
  events::Sym plus1{events::Sym::Kind::Binary, {}, -1, "+", sym_of(x), sym_of(events::Value::num(1)), nullptr};
  CHECK(events::eval(plus1, {}).kind == events::Value::Kind::Unknown);
}
