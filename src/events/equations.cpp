// A replay of herd's value solver on one candidate (equations.hpp). Values are herd's: a constant, or a variable
// (a read's value, or the result of an operation that could not be computed when the thread was built).
#include "events/equations.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <unordered_map>

namespace paddock::events {

namespace {

struct HV {
  enum class Kind { Const, Var, Undetermined } kind = Kind::Undetermined;
  Value c;
  int var = -1;
  static HV konst(Value v) { return {Kind::Const, v, -1}; }
  static HV variable(int x) { return {Kind::Var, {}, x}; }
  static HV undetermined() { return {}; }
};

bool is_int(const HV& v, int64_t n) { return v.kind == HV::Kind::Const && v.c.kind == Value::Kind::Int && v.c.i == n; }

// An operation on constants, with paddock's C arithmetic; an operation herd would refuse (address arithmetic)
// stays undetermined.
HV fold(const Sym& s, const std::vector<HV>& args) {
  auto k = [](const HV& v) {
    auto c = std::make_shared<Sym>();
    c->kind = Sym::Kind::Const;
    c->value = v.c;
    return c;
  };
  Sym t = s;
  t.a = k(args[0]);
  if (args.size() > 1) t.b = k(args[1]);
  Value v;
  try {
    v = eval(t, {});
  } catch (const std::domain_error&) {
    return HV::undetermined();
  }
  return v.kind == Value::Kind::Unknown ? HV::undetermined() : HV::konst(v);
}

// herd's operators on values (lib/symbValue.ml): computed when the operands are constants; a few give a result
// with an unknown operand (x + 0 = x, x | 0 = x, x ^ x = 0, x == x, x != x); otherwise undetermined.
HV herd_op(const Sym& s, const std::vector<HV>& args) {
  bool all_const = true;
  for (const auto& a : args) all_const = all_const && a.kind == HV::Kind::Const;
  if (s.kind == Sym::Kind::Cond) {
    if (args[0].kind != HV::Kind::Const) return HV::undetermined();
    bool t = args[0].c.kind == Value::Kind::Addr || args[0].c.kind == Value::Kind::Code || args[0].c.i != 0;
    return t ? args[1] : args[2];
  }
  if (all_const) return fold(s, args);
  if (s.kind != Sym::Kind::Binary) return HV::undetermined();
  const HV &a = args[0], &b = args[1];
  bool same = a.kind == HV::Kind::Var && b.kind == HV::Kind::Var && a.var == b.var;
  if (s.op == "+" || s.op == "|") {
    if (is_int(a, 0)) return b;
    if (is_int(b, 0)) return a;
  }
  if (same && s.op == "^") return HV::konst(Value::num(0));
  if (same && s.op == "==") return HV::konst(Value::num(1));
  if (same && s.op == "!=") return HV::konst(Value::num(0));
  return HV::undetermined();
}

class Solver {
 public:
  // The value herd gives a node when it builds the thread; an operation it cannot compute becomes a fresh
  // variable with an equation.
  HV build(const Sym* s) {
    if (s->kind == Sym::Kind::Const) return HV::konst(s->value);
    if (s->kind == Sym::Kind::Read) return HV::variable(read_var(s->read));
    if (auto it = memo_.find(s); it != memo_.end()) return it->second;
    HV r = herd_op(*s, operands(*s, [&](const Sym* x) { return build(x); }));
    if (r.kind == HV::Kind::Undetermined) {
      r = HV::variable(fresh());
      eqs_.push_back({r.var, s});
    }
    memo_[s] = r;
    return r;
  }

  // `read := value`: a copy merges the two variables (herd's normalisation, before solving); a constant solves.
  bool add_rf(int read_id, const HV& v) {
    int x = read_var(read_id);
    if (v.kind == HV::Kind::Var) {
      unite(x, v.var);
      return true;
    }
    return assign(x, v.c);
  }

  // Evaluates the equations until nothing changes; false when one is left unsolved or contradicted.
  bool solve() {
    std::vector<bool> done(eqs_.size(), false);
    for (bool changed = true; changed;) {
      changed = false;
      for (size_t k = 0; k < eqs_.size(); ++k) {
        if (done[k]) continue;
        HV r = herd_op(*eqs_[k].rhs, operands(*eqs_[k].rhs, [&](const Sym* x) { return current(x); }));
        if (r.kind == HV::Kind::Var) r = resolve(r.var);
        if (r.kind != HV::Kind::Const) continue;
        if (!assign(eqs_[k].lhs, r.c)) return false;
        done[k] = true;
        changed = true;
      }
    }
    for (bool d : done)
      if (!d) return false;
    return true;
  }

  bool contradicted() const { return contradiction_; }

 private:
  struct Equation {
    int lhs;
    const Sym* rhs;
  };

  template <class F>
  static std::vector<HV> operands(const Sym& s, F&& f) {
    std::vector<HV> out;
    for (const SymPtr* p : {&s.a, &s.b, &s.c})
      if (*p) out.push_back(f(p->get()));
    return out;
  }

  // A node's value during solving: its build-time value with what the solver knows substituted.
  HV current(const Sym* s) {
    HV v = build(s);
    return v.kind == HV::Kind::Var ? resolve(v.var) : v;
  }

  HV resolve(int x) {
    int r = find(x);
    return val_[size_t(r)] ? HV::konst(*val_[size_t(r)]) : HV::variable(r);
  }

  int read_var(int id) {
    auto [it, added] = reads_.try_emplace(id, 0);
    if (added) it->second = fresh();
    return it->second;
  }
  int fresh() {
    parent_.push_back(int(parent_.size()));
    val_.emplace_back();
    return int(parent_.size()) - 1;
  }
  int find(int x) {
    while (parent_[size_t(x)] != x) x = parent_[size_t(x)] = parent_[size_t(parent_[size_t(x)])];
    return x;
  }
  void unite(int x, int y) {
    x = find(x), y = find(y);
    if (x == y) return;
    parent_[size_t(x)] = y;
    if (val_[size_t(x)]) assign(y, *val_[size_t(x)]);
  }
  bool assign(int x, Value v) {
    auto& slot = val_[size_t(find(x))];
    if (slot && !(*slot == v)) {
      contradiction_ = true;
      return false;
    }
    slot = v;
    return true;
  }

  std::unordered_map<const Sym*, HV> memo_;
  std::unordered_map<int, int> reads_;
  std::vector<int> parent_;
  std::vector<std::optional<Value>> val_;
  std::vector<Equation> eqs_;
  bool contradiction_ = false;
};

}  // namespace

bool leaves_equations(const std::vector<const Path*>& paths, const std::vector<ReadSource>& rf) {
  Solver s;
  for (const Path* p : paths)
    for (const auto& c : p->computed) s.build(c.get());
  for (const auto& r : rf)
    if (!s.add_rf(r.read_id, r.written ? s.build(r.written) : HV::konst(r.init))) return true;
  if (s.contradicted()) return true;
  return !s.solve();
}

namespace {

void reads_of(const SymPtr& s, std::vector<int>& out) {
  if (!s) return;
  if (s->kind == Sym::Kind::Read) out.push_back(s->read);
  reads_of(s->a, out);
  reads_of(s->b, out);
  reads_of(s->c, out);
}

bool same_location_possible(const SymPtr& a, const SymPtr& b) {
  if (!a || !b || a->kind != Sym::Kind::Const || b->kind != Sym::Kind::Const) return true;
  return a->value == b->value;
}

}  // namespace

bool may_leave_equations(const Program& program) {
  // Graph over read ids: d -> r when a write of r's location-to-be, in another thread, stores a value computed
  // from d (so r's value may be an equation on d).
  std::vector<std::vector<int>> next(size_t(std::max(program.reads, 0)));
  for (size_t tw = 0; tw < program.threads.size(); ++tw)
    for (const Path& pw : program.threads[tw])
      for (const Event& w : pw.events) {
        if (!w.is_memory_write()) continue;
        std::vector<int> from;
        reads_of(w.value, from);
        if (from.empty()) continue;
        for (size_t tr = 0; tr < program.threads.size(); ++tr) {
          if (tr == tw) continue;
          for (const Path& pr : program.threads[tr])
            for (const Event& r : pr.events)
              if (r.is_memory_read() && r.read_id >= 0 && size_t(r.read_id) < next.size() &&
                  same_location_possible(w.addr, r.addr))
                for (int d : from)
                  if (d >= 0 && size_t(d) < next.size()) next[size_t(d)].push_back(r.read_id);
        }
      }
  // A cycle, by depth-first search with colours.
  std::vector<char> colour(next.size(), 0);
  std::vector<std::pair<int, size_t>> stack;
  for (size_t s0 = 0; s0 < next.size(); ++s0) {
    if (colour[s0]) continue;
    stack.push_back({int(s0), 0});
    colour[s0] = 1;
    while (!stack.empty()) {
      auto& [v, i] = stack.back();
      if (i < next[size_t(v)].size()) {
        int u = next[size_t(v)][i++];
        if (colour[size_t(u)] == 1) return true;
        if (colour[size_t(u)] == 0) {
          colour[size_t(u)] = 1;
          stack.push_back({u, 0});
        }
      } else {
        colour[size_t(v)] = 2;
        stack.pop_back();
      }
    }
  }
  return false;
}

}  // namespace paddock::events
