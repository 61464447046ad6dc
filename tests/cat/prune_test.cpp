// Cut-offs of coherence orders: the polarity analysis (cat/monotone.hpp) and the pruned `with` fork, which must
// give exactly the allowed executions of the full enumeration.
#include <catch2/catch.hpp>
#include <map>
#include <optional>

#include "cat/builtins.hpp"
#include "cat/model.hpp"
#include "cat/monotone.hpp"
#include "helpers.hpp"

using namespace cat_test;
using paddock::cat::Monotonicity;
using paddock::cat::Pol;

namespace {

// What the evaluator would answer for functions: builtins by name, top-level `let f(x) = ...` as closures.
struct Functions final : paddock::cat::PolHooks {
  const paddock::cat::Model* m = nullptr;
  std::map<int, const paddock::cat::Expr*> funs;
  std::optional<paddock::cat::Value> var_value(const paddock::cat::Expr& v) override {
    using paddock::cat::VarRef;
    if (v.ref.kind == VarRef::Free)
      if (auto* b = paddock::cat::find_builtin(m->free_names[size_t(v.ref.index)]))
        return paddock::cat::Value::builtin(paddock::cat::PartialApp{b, {}});
    if (v.ref.kind == VarRef::Global && funs.count(v.ref.index))
      return paddock::cat::Value::closure(paddock::cat::Closure{funs[v.ref.index], nullptr});
    return std::nullopt;
  }
  std::optional<bool> closed_empty(const paddock::cat::Expr&) override { return std::nullopt; }
};

// Polarity of each top-level `let` after the first `with`, by name.
std::map<std::string, Pol> polarities(const std::string& text) {
  auto m = model(text);
  Functions hooks;
  hooks.m = m.get();
  std::map<std::string, Pol> out;
  std::optional<Monotonicity> mono;
  for (const auto& s : m->stmts) {
    if (s->kind == paddock::cat::Stmt::With && !mono) mono.emplace(*m, s->slots[0], hooks);
    if (s->kind == paddock::cat::Stmt::Let && s->binds[0].rhs->kind == paddock::cat::Expr::Fun)
      hooks.funs[s->slots[0]] = s->binds[0].rhs.get();
    if (!mono || s->kind != paddock::cat::Stmt::Let) continue;
    Pol p = mono->expr(*s->binds[0].rhs);
    mono->bind(s->slots[0], p, s->binds[0].rhs.get());
    out[s->binds[0].pat.names[0]] = p;
  }
  return out;
}

Run run_with(const cat::Model& m, const cat::Candidate& c, bool prune) {
  Run r;
  cat::EvalOptions o;
  o.prune = prune;
  r.alternatives = cat::evaluate(m, c, [&](const cat::Outcome& out) {
    if (!out.allowed) return;
    r.outcomes.push_back(out);
    ++r.allowed;
  }, o);
  return r;
}

}  // namespace

TEST_CASE("polarity of expressions in the variable of a with") {
  auto p = polarities(R"(
let cobase = 0
with co from generate_orders(W, cobase)
let fr = (rf^-1 ; co) \ id
let coi = co & int
let coe = co \ coi
let fre = fr & ext
let anti = ~co
let step = co \ (co ; co)
let closure = (po | co)+ ; [W]
let dom = [domain(co)]
let f(r) = r ; po
let viaf = f(fre)
let nonmono = f(step)
let k = po ; po
)");
  CHECK(p["fr"] == Pol::Up);
  CHECK(p["coe"] == Pol::Up);  // co \ (co & int): decreasing only in int
  CHECK(p["fre"] == Pol::Up);
  CHECK(p["anti"] == Pol::Down);
  CHECK(p["step"] == Pol::Any);
  CHECK(p["closure"] == Pol::Up);
  CHECK(p["dom"] == Pol::Up);
  CHECK(p["viaf"] == Pol::Up);
  CHECK(p["nonmono"] == Pol::Any);
  CHECK(p["k"] == Pol::Const);
}

TEST_CASE("pruned coherence orders keep exactly the allowed executions") {
  // x: init 0; T0 and T1 each do an RMW (read then write), T2 writes twice; 5 writes, 5!/2 orders.
  auto c = build({{-1, 0, 'I'}, {0, 0, 'R'}, {0, 0, 'W', 1}, {1, 0, 'R', 1}, {1, 0, 'W', 2}, {2, 0, 'W', 3},
                  {2, 0, 'W', 4}});
  Relation rmw(7);
  rmw.set(1, 2);
  rmw.set(3, 4);
  c.rels["rmw"] = rmw;
  auto m = model(R"(
include "cos-opt.cat"
let com = rf | co | fr
acyclic po-loc | com as coherence
empty rmw & (fre ; coe) as atomic
flag ~empty co ; [IW] as odd
)");
  bool first = true;
  for (auto rf : {rel_of(7, {{0, 1}, {2, 3}}), rel_of(7, {{5, 1}, {0, 3}}), rel_of(7, {{6, 1}, {2, 3}}),
                  rel_of(7, {{4, 1}, {6, 3}})}) {
    c.rels["rf"] = rf;
    Run full = run_with(*m, c, false), cut = run_with(*m, c, true);
    REQUIRE(full.allowed == cut.allowed);
    CHECK(cut.alternatives <= full.alternatives);
    if (first) CHECK(cut.alternatives < full.alternatives);
    first = false;
    for (size_t k = 0; k < full.outcomes.size(); ++k) CHECK(full.outcomes[k].flags == cut.outcomes[k].flags);
  }
  c.rels["rf"] = rel_of(7, {{0, 1}, {2, 3}});
  // Atomicity leaves no other thread's write between 0 and W2 nor between W2 and W4: one order, 0 2 4 5 6.
  CHECK(run_with(*m, c, true).allowed == 1);
}

// cat::refuted_early on a candidate whose rf is partly chosen: LB's two reads each read the other thread's write.
TEST_CASE("refuted_early: a check increasing with rf that a partial rf already fails refutes every completion",
          "[cat][early]") {
  // 0: R x, 1: W y (P0); 2: R y, 3: W x (P1); 4, 5: the initial writes of x and y.
  auto c = build({{0, 0, 'R'}, {0, 1, 'W', 1}, {1, 1, 'R'}, {1, 0, 'W', 1}, {-1, 0, 'I'}, {-1, 1, 'I'}});
  auto up = model("acyclic po | rf as lb\n");
  auto partial = [&](std::initializer_list<std::pair<size_t, size_t>> rf) {
    c.rels["rf"] = rel_of(6, rf);
    return c;
  };
  CHECK(cat::refuted_early(*up, partial({{1, 2}, {3, 0}}), true));  // the cycle is already there
  CHECK_FALSE(cat::refuted_early(*up, partial({{1, 2}}), true));    // one read left: R x may read the init
  // A check that decreases with rf (every read must read something) is not judged on a partial rf.
  auto down = model("empty R \\ range(rf) as total\n");
  CHECK_FALSE(cat::refuted_early(*down, partial({{1, 2}}), true));
  // The final writes are not known yet unless the caller says they are.
  auto fw = model("acyclic po | rf | (W * FW) as with-fw\n");
  c.sets["FW"] = set_of(6, {1});
  CHECK_FALSE(cat::refuted_early(*fw, partial({}), false));
  CHECK(cat::refuted_early(*fw, partial({}), true));  // (1, 1) in W * FW: a cycle for every completion
  c.sets["FW"] = EventSet(6);
}

TEST_CASE("refuted_early: a fork over coherence orders refutes when no order passes", "[cat][early]") {
  // Two RMWs (0,1) and (2,3) on x both read the initial write 4: no coherence order keeps both atomic.
  auto c = build({{0, 0, 'R'}, {0, 0, 'W', 1}, {1, 0, 'R'}, {1, 0, 'W', 1}, {-1, 0, 'I'}});
  Relation rmw(5);
  rmw.set(0, 1);
  rmw.set(2, 3);
  c.rels["rmw"] = rmw;
  auto m = model(
      "include \"cos-opt.cat\"\n"
      "let fr = rf^-1 ; co\n"
      "empty rmw & (fr ; co) as atomic\n");
  c.rels["rf"] = rel_of(5, {{4, 0}, {4, 2}});
  CHECK(cat::refuted_early(*m, c, true));
  c.rels["rf"] = rel_of(5, {{4, 0}, {1, 2}});  // a chain: one order passes
  CHECK_FALSE(cat::refuted_early(*m, c, true));
  c.rels["rf"] = rel_of(5, {{4, 0}});  // the second read not chosen yet
  CHECK_FALSE(cat::refuted_early(*m, c, true));
  // Orders extending a relation that shrinks as rf grows: a completion may have orders the prefix has not, so the
  // fork is not searched.
  auto shrinking = model(
      "let base = ([IW] ; loc ; [W \\ IW]) ; [~range(rf)]\n"
      "with co from generate_orders(W, base)\n"
      "let fr = rf^-1 ; co\n"
      "empty rmw & (fr ; co) as atomic\n");
  c.rels["rf"] = rel_of(5, {{4, 0}, {4, 2}});
  CHECK_FALSE(cat::refuted_early(*shrinking, c, true));
}
