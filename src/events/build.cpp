// Symbolic execution of each thread body into event-structure paths, as herd's C front end does:
// every if/else branch, cmpxchg/trylock/is_locked/add_unless outcome is a separate path; while loops
// are unrolled `unroll` times. Values are symbolic (reads are unknowns solved by the engine).
#include <fmt/format.h>

#include "util/large_stack.hpp"

#include <algorithm>
#include <exception>
#include <functional>
#include <set>

#include "events/events.hpp"
#include "program/macros.hpp"

namespace paddock::events {

using litmus::Expr;
using litmus::Stmt;
using litmus::StmtPtr;

namespace {

using Taint = std::vector<int>;  // sorted event indices (reads, LF, RL, RU) feeding a value

Taint merge(const Taint& a, const Taint& b) {
  Taint r;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(r));
  return r;
}

struct RV {  // a value with its dependency sources
  SymPtr v;
  Taint taint;
};

SymPtr konst(Value v) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Const;
  s->value = v;
  return s;
}
SymPtr read_sym(int id) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Read;
  s->read = id;
  return s;
}
bool is_const(const SymPtr& s) { return s->kind == Sym::Kind::Const; }

// Folds operations on constants, so that statically decided branches make a single path.
SymPtr fold(SymPtr s) {
  try {
    Value v = eval(*s, {});
    if (v.kind != Value::Kind::Unknown) return konst(v);
  } catch (const std::domain_error&) {
  }
  return s;
}

SymPtr unop(const std::string& op, SymPtr a) {
  bool fold_it = is_const(a);
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Unary;
  s->op = op;
  s->a = std::move(a);
  return fold_it ? fold(s) : s;
}
SymPtr binop(const std::string& op, SymPtr a, SymPtr b) {
  bool fold_it = is_const(a) && is_const(b);
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Binary;
  s->op = op;
  s->a = std::move(a);
  s->b = std::move(b);
  return fold_it ? fold(s) : s;
}

struct State {
  Path path;
  int stmt = 0;
  Taint ctrl;  // reads feeding the conditions of the enclosing branches
  std::map<std::string, RV> regs;
  std::vector<int> loop_iters;  // per enclosing while loop
};

struct World {
  State st;
  RV val;
};

class ThreadBuilder {
 public:
  ThreadBuilder(const litmus::Test& test, Program& prog, int tid, const BuildOptions& opts)
      : test_(test), prog_(prog), tid_(tid), opts_(opts) {}

  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(test_.file, pos, msg); }

  std::vector<Path> run(const StmtPtr& body) {
    State init;
    for (const auto& p : test_.threads[tid_].params)
      init.regs[p.name] = {konst(Value::addr(prog_.location_index(p.name))), {}};
    for (const auto& [key, v] : prog_.reg_init)
      if (key.first == tid_) init.regs[key.second] = {konst(v), {}};
    std::vector<State> done;
    exec_list({body}, std::move(init), done);
    std::vector<Path> out;
    for (auto& s : done) {
      for (auto& [name, rv] : s.regs) s.path.regs[name] = rv.v;
      out.push_back(std::move(s.path));
    }
    return out;
  }

 private:
  // Executes statements in order, forking at branches; finished states go to `done`.
  void exec_list(std::vector<StmtPtr> todo, State st, std::vector<State>& done) {
    if (todo.empty()) {
      done.push_back(std::move(st));
      return;
    }
    StmtPtr s = todo.front();
    todo.erase(todo.begin());
    switch (s->kind) {
      case Stmt::Kind::Block: {
        todo.insert(todo.begin(), s->body.begin(), s->body.end());
        return exec_list(std::move(todo), std::move(st), done);
      }
      case Stmt::Kind::Empty:
        return exec_list(std::move(todo), std::move(st), done);
      case Stmt::Kind::Decl: {
        st.stmt++;
        if (!s->init) {
          if (!st.regs.count(s->name)) st.regs[s->name] = {konst(reg_init(s->name)), {}};
          return exec_list(std::move(todo), std::move(st), done);
        }
        for (auto& w : eval(std::move(st), *s->init)) {
          w.st.regs[s->name] = w.val;
          exec_list(todo, std::move(w.st), done);
        }
        return;
      }
      case Stmt::Kind::Assign: {
        st.stmt++;
        if (s->lhs->kind == Expr::Kind::Var) {
          for (auto& w : eval(std::move(st), *s->rhs)) {
            w.st.regs[s->lhs->name] = w.val;
            exec_list(todo, std::move(w.st), done);
          }
          return;
        }
        // *p = e : a plain store.
        for (auto& wa : eval(std::move(st), *s->lhs->args[0]))
          for (auto& wv : eval(std::move(wa.st), *s->rhs)) {
            store(wv.st, {}, wa.val, wv.val, s->pos, false);
            exec_list(todo, std::move(wv.st), done);
          }
        return;
      }
      case Stmt::Kind::Expr: {
        st.stmt++;
        for (auto& w : eval(std::move(st), *s->expr)) exec_list(todo, std::move(w.st), done);
        return;
      }
      case Stmt::Kind::If:
        return branch(*s, s->body[0], s->body.size() > 1 ? s->body[1] : nullptr, std::move(todo), std::move(st),
                      done);
      case Stmt::Kind::While: {
        // Unrolled: while (c) S  ==  if (c) { S; while (c) S }, cut after `unroll` iterations.
        st.loop_iters.push_back(0);
        return loop(s, std::move(todo), std::move(st), done);
      }
    }
  }

  void loop(const StmtPtr& s, std::vector<StmtPtr> todo, State st, std::vector<State>& done) {
    st.stmt++;
    for (auto& w : eval(std::move(st), *s->cond)) {
      Taint saved = w.st.ctrl;
      for (bool truth : {true, false}) {
        State b = w.st;
        if (!add_guard(b, w.val.v, truth)) continue;
        if (!truth) {
          b.loop_iters.pop_back();
          b.ctrl = saved;
          exec_list(todo, std::move(b), done);
          continue;
        }
        if (b.loop_iters.back() >= opts_.unroll) {
          b.path.loop_cut = true;
          done.push_back(std::move(b));
          continue;
        }
        b.loop_iters.back()++;
        b.ctrl = merge(b.ctrl, w.val.taint);
        std::vector<State> inner;
        exec_list({s->body[0]}, std::move(b), inner);
        for (auto& i : inner) {
          if (i.path.loop_cut) {
            done.push_back(std::move(i));
            continue;
          }
          loop(s, todo, std::move(i), done);
        }
      }
    }
  }

  void branch(const Stmt& s, const StmtPtr& then_s, const StmtPtr& else_s, std::vector<StmtPtr> todo, State st,
              std::vector<State>& done) {
    st.stmt++;
    // `if (spin_trylock(l))` and `if (spin_is_locked(l))` written directly give no control dependency.
    bool direct_lock = s.cond->kind == Expr::Kind::Call &&
                       (s.cond->name == "__trylock" || s.cond->name == "__islocked");
    for (auto& w : eval(std::move(st), *s.cond)) {
      Taint saved = w.st.ctrl;
      for (bool truth : {true, false}) {
        State b = w.st;
        if (!add_guard(b, w.val.v, truth)) continue;
        const StmtPtr& arm = truth ? then_s : else_s;
        if (!direct_lock) b.ctrl = merge(b.ctrl, w.val.taint);
        std::vector<State> after;
        if (arm) exec_list({arm}, std::move(b), after);
        else after.push_back(std::move(b));
        for (auto& a : after) {
          if (a.path.loop_cut) {
            done.push_back(std::move(a));
            continue;
          }
          a.ctrl = saved;  // the join point carries no control dependency
          exec_list(todo, std::move(a), done);
        }
      }
    }
  }

  // Records a guard; returns false when it is statically false (the path does not exist).
  bool add_guard(State& st, const SymPtr& cond, bool truth) {
    if (cond->kind == Sym::Kind::Const && cond->value.kind == Value::Kind::Int) return (cond->value.i != 0) == truth;
    if (cond->kind == Sym::Kind::Const && (cond->value.kind == Value::Kind::Addr || cond->value.kind == Value::Kind::Code)) return truth;
    st.path.guards.push_back({cond, truth});
    return true;
  }

  Value reg_init(const std::string& name) const {
    auto it = prog_.reg_init.find({tid_, name});
    return it == prog_.reg_init.end() ? Value::num(0) : it->second;
  }

  // ---------------------------------------------------------------- events
  int add_event(State& st, Event e, const Taint& addr_taint) {
    e.stmt = st.stmt;
    int id = int(st.path.events.size());
    bool ordered = e.sort != Sort::SRCU;
    st.path.events.push_back(std::move(e));
    for (int r : addr_taint) {
      st.path.addr.push_back({r, id});
      iico(st, r, id);
    }
    if (ordered)
      for (int r : st.ctrl) st.path.ctrl.push_back({r, id});
    return id;
  }

  void iico(State& st, int from, int to) {
    if (st.path.events[from].stmt == st.path.events[to].stmt) st.path.iico.push_back({from, to});
  }

  int read(State& st, Sort sort, std::vector<std::string> tags, const RV& addr, Pos pos, bool rmw) {
    Event e;
    e.op = op_;
    e.sort = sort;
    e.tags = std::move(tags);
    e.rmw = rmw;
    e.read_id = prog_.reads++;
    e.addr = addr.v;
    e.pos = pos;
    e.value = read_sym(e.read_id);
    return add_event(st, std::move(e), addr.taint);
  }

  int store(State& st, std::vector<std::string> tags, const RV& addr, const RV& val, Pos pos, bool rmw) {
    Event e;
    e.op = op_;
    e.sort = Sort::W;
    e.tags = std::move(tags);
    e.rmw = rmw;
    e.addr = addr.v;
    e.value = val.v;
    e.pos = pos;
    int id = add_event(st, std::move(e), addr.taint);
    for (int r : val.taint) {
      st.path.data.push_back({r, id});
      iico(st, r, id);
    }
    return id;
  }

  int plain_event(State& st, Sort sort, std::vector<std::string> tags, const RV& addr, Pos pos) {
    Event e;
    e.op = op_;
    e.sort = sort;
    e.tags = std::move(tags);
    e.addr = addr.v;
    e.pos = pos;
    return add_event(st, std::move(e), addr.taint);
  }

  // ---------------------------------------------------------------- expressions
  // An operation herd evaluates: recorded unless it folded to a constant (equations.hpp).
  static SymPtr computed(State& st, SymPtr v) {
    if (!is_const(v)) st.path.computed.push_back(v);
    return v;
  }

  std::vector<World> one(State st, RV v) {
    std::vector<World> r;
    r.push_back({std::move(st), std::move(v)});
    return r;
  }

  std::vector<World> eval(State st, const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::Int:
        return one(std::move(st), {konst(Value::num(e.value)), {}});
      case Expr::Kind::Var: {
        auto it = st.regs.find(e.name);
        if (it != st.regs.end()) return one(std::move(st), it->second);
        RV v{konst(reg_init(e.name)), {}};
        return one(std::move(st), v);
      }
      case Expr::Kind::Cast:
        return eval(std::move(st), *e.args[0]);
      case Expr::Kind::OpArg:
        fail(e.pos, fmt::format("operator '{}' used as a value", e.op));
      case Expr::Kind::Unary: {
        if (e.op == "&") {
          const Expr& a = *e.args[0];
          int loc = a.kind == Expr::Kind::Var ? prog_.location_index(a.name) : -1;
          if (loc < 0) fail(e.pos, "expected '&' followed by the name of a shared location");
          return one(std::move(st), {konst(Value::addr(loc)), {}});
        }
        if (e.op == "*") {  // plain read through a pointer
          std::vector<World> out;
          for (auto& w : eval(std::move(st), *e.args[0])) {
            int id = read(w.st, Sort::R, {}, w.val, e.pos, false);
            RV v{read_sym(w.st.path.events[id].read_id), {id}};
            out.push_back({std::move(w.st), v});
          }
          return out;
        }
        std::vector<World> out;
        for (auto& w : eval(std::move(st), *e.args[0])) {
          SymPtr v = computed(w.st, unop(e.op, w.val.v));
          out.push_back({std::move(w.st), {v, w.val.taint}});
        }
        return out;
      }
      case Expr::Kind::Binary:
      case Expr::Kind::Cond: {
        std::vector<World> out;
        for (auto& wa : eval(std::move(st), *e.args[0]))
          for (auto& wb : eval(std::move(wa.st), *e.args[1])) {
            if (e.kind == Expr::Kind::Binary) {
              SymPtr v = computed(wb.st, binop(e.op, wa.val.v, wb.val.v));
              out.push_back({std::move(wb.st), {v, merge(wa.val.taint, wb.val.taint)}});
              continue;
            }
            for (auto& wc : eval(std::move(wb.st), *e.args[2])) {
              auto s = std::make_shared<Sym>();
              s->kind = Sym::Kind::Cond;
              s->a = wa.val.v, s->b = wb.val.v, s->c = wc.val.v;
              computed(wc.st, s);
              out.push_back({std::move(wc.st), {s, merge(wa.val.taint, merge(wb.val.taint, wc.val.taint))}});
            }
          }
        return out;
      }
      case Expr::Kind::Call:
        return primitive(std::move(st), e);
    }
    return {};
  }

  // Evaluates the arguments left to right across every world.
  std::vector<std::pair<State, std::vector<RV>>> eval_args(State st, const std::vector<litmus::ExprPtr>& args,
                                                           size_t skip_op = SIZE_MAX) {
    std::vector<std::pair<State, std::vector<RV>>> acc;
    acc.push_back({std::move(st), {}});
    for (size_t i = 0; i < args.size(); ++i) {
      std::vector<std::pair<State, std::vector<RV>>> next;
      for (auto& [s, vals] : acc) {
        if (i == skip_op) {
          vals.push_back({konst(Value::num(0)), {}});
          next.push_back({std::move(s), std::move(vals)});
          continue;
        }
        for (auto& w : eval(std::move(s), *args[i])) {
          auto v = vals;
          v.push_back(w.val);
          next.push_back({std::move(w.st), std::move(v)});
        }
      }
      acc = std::move(next);
    }
    return acc;
  }

  // The location operand of __load/__store: `*p`.
  const Expr& location_operand(const Expr& call, const Expr& arg) const {
    if (arg.kind == Expr::Kind::Unary && arg.op == "*") return *arg.args[0];
    fail(arg.pos, fmt::format("'{}' needs a location written *p, found a plain value (did you mean *{}?)",
                              call.name, arg.kind == Expr::Kind::Var ? arg.name : "p"));
  }

  std::string arith_op(const Expr& call, const Expr& op) const {
    if (op.kind != Expr::Kind::OpArg) fail(op.pos, fmt::format("'{}' expects an operator argument", call.name));
    return op.op;
  }

  std::vector<World> primitive(State st, const Expr& e) {
    const std::string& n = e.name;
    std::vector<std::string> tags;
    if (e.has_tag) tags.push_back(e.tag);
    RV zero{konst(Value::num(0)), {}};
    std::vector<World> out;
    if (n == "__fence") {
      plain_event(st, Sort::F, tags, zero, e.pos);
      return one(std::move(st), zero);
    }
    if (n == "__load") {
      for (auto& w : eval(std::move(st), location_operand(e, *e.args[0]))) {
        int id = read(w.st, Sort::R, tags, w.val, e.pos, false);
        RV v{read_sym(w.st.path.events[id].read_id), {id}};
        out.push_back({std::move(w.st), v});
      }
      return out;
    }
    if (n == "__store") {
      for (auto& wa : eval(std::move(st), location_operand(e, *e.args[0])))
        for (auto& wv : eval(std::move(wa.st), *e.args[1])) {
          store(wv.st, tags, wa.val, wv.val, e.pos, false);
          out.push_back({std::move(wv.st), zero});
        }
      return out;
    }
    if (n == "__lock" || n == "__unlock" || n == "__trylock" || n == "__islocked" || n == "__srcu") {
      for (auto& w : eval(std::move(st), *e.args[0])) {
        State& s = w.st;
        op_ = n == "__lock" ? Op::Lock : n == "__trylock" ? Op::Trylock : Op::None;
        if (n == "__lock") {
          int r = plain_event(s, Sort::LKR, {}, w.val, e.pos);
          int x = plain_event(s, Sort::LKW, {}, w.val, e.pos);
          link_ctrl(s, r, x);
          out.push_back({std::move(s), zero});
        } else if (n == "__unlock") {
          plain_event(s, Sort::UL, {}, w.val, e.pos);
          out.push_back({std::move(s), zero});
        } else if (n == "__srcu") {
          plain_event(s, Sort::SRCU, tags, w.val, e.pos);
          out.push_back({std::move(s), zero});
        } else if (n == "__trylock") {
          State ok = s;
          int r = plain_event(ok, Sort::LKR, {}, w.val, e.pos);
          int x = plain_event(ok, Sort::LKW, {}, w.val, e.pos);
          link_ctrl(ok, r, x);
          out.push_back({std::move(ok), {konst(Value::num(1)), {}}});
          int f = read(s, Sort::LF, {}, w.val, e.pos, false);
          out.push_back({std::move(s), {konst(Value::num(0)), {f}}});
        } else {  // __islocked: RL (locked, 1) or RU (unlocked, 0)
          State locked = s;
          int l = read(locked, Sort::RL, {}, w.val, e.pos, false);
          out.push_back({std::move(locked), {konst(Value::num(1)), {l}}});
          int u = read(s, Sort::RU, {}, w.val, e.pos, false);
          out.push_back({std::move(s), {konst(Value::num(0)), {u}}});
        }
        op_ = Op::None;
      }
      return out;
    }
    bool is_xchg = n == "__xchg", is_cmpxchg = n == "__cmpxchg", is_unless = n == "__atomic_add_unless";
    bool is_op = n == "__atomic_op" || n == "__atomic_op_return" || n == "__atomic_fetch_op";
    if (!(is_xchg || is_cmpxchg || is_unless || is_op)) fail(e.pos, fmt::format("unknown primitive '{}'", n));
    std::string op = is_op ? arith_op(e, *e.args[1]) : "";
    for (auto& [s0, vals] : eval_args(std::move(st), e.args, is_op ? 1 : SIZE_MAX)) {
      const RV& ptr = vals[0];
      op_ = is_xchg ? Op::Xchg : is_cmpxchg ? Op::Cmpxchg : is_unless ? Op::AddUnless
            : n == "__atomic_op" ? Op::AtomicOp : n == "__atomic_op_return" ? Op::AtomicOpReturn : Op::FetchOp;
      if (is_xchg) {
        State s = std::move(s0);
        int r = read(s, Sort::R, tags, ptr, e.pos, true);
        int w = store(s, tags, ptr, vals[1], e.pos, true);
        link_ctrl(s, r, w);
        s.path.rmw.push_back({r, w});
        RV v{read_sym(s.path.events[r].read_id), {r}};
        out.push_back({std::move(s), v});
      } else if (is_cmpxchg) {
        for (bool success : {true, false}) {
          State s = s0;
          int r = read(s, Sort::R, tags, ptr, e.pos, true);
          SymPtr old = read_sym(s.path.events[r].read_id);
          if (!add_guard(s, computed(s, binop("==", old, vals[1].v)), success)) continue;
          if (success) {
            int w = store(s, tags, ptr, vals[2], e.pos, true);
            link_ctrl(s, r, w);
            s.path.rmw.push_back({r, w});
          }
          out.push_back({std::move(s), {old, {r}}});
        }
      } else if (is_unless) {
        for (bool success : {true, false}) {
          State s = s0;
          int r = read(s, Sort::R, tags, ptr, e.pos, true);
          SymPtr old = read_sym(s.path.events[r].read_id);
          if (!add_guard(s, computed(s, binop("!=", old, vals[2].v)), success)) continue;
          if (success) {
            RV nv{computed(s, binop("+", old, vals[1].v)), merge({r}, vals[1].taint)};
            int w = store(s, tags, ptr, nv, e.pos, true);
            link_data(s, r, w);
            s.path.rmw.push_back({r, w});
          }
          out.push_back({std::move(s), {konst(Value::num(success ? 1 : 0)), {r}}});
        }
      } else {
        State s = std::move(s0);
        int r = read(s, Sort::R, tags, ptr, e.pos, true);
        SymPtr old = read_sym(s.path.events[r].read_id);
        SymPtr nv = op == "&~" ? binop("&", old, computed(s, unop("~", vals[2].v))) : binop(op, old, vals[2].v);
        computed(s, nv);
        // The new value depends on the read (data R* -> W*) and on the operand.
        int w = store(s, tags, ptr, {nv, vals[2].taint}, e.pos, true);
        link_data(s, r, w);
        s.path.rmw.push_back({r, w});
        RV result = n == "__atomic_fetch_op" ? RV{old, {r}} : RV{nv, merge({r}, vals[2].taint)};
        if (n == "__atomic_op") result = zero;
        out.push_back({std::move(s), result});
      }
    }
    op_ = Op::None;
    return out;
  }

  void link_ctrl(State& s, int r, int w) {
    s.path.iico_ctrl.push_back({r, w});
    s.path.iico.push_back({r, w});
  }
  void link_data(State& s, int r, int w) {
    s.path.iico_data.push_back({r, w});
    s.path.iico.push_back({r, w});
    s.path.data.push_back({r, w});
  }

  const litmus::Test& test_;
  Program& prog_;
  int tid_;
  const BuildOptions& opts_;
  Op op_ = Op::None;  // the primitive whose events are being made (Event::op)
};

void add_location(Program& p, const std::string& name) {
  for (auto& l : p.locations)
    if (l.name == name) return;
  p.locations.push_back({name, Value::num(0), ""});
}

void collect_prop_locations(const litmus::PropPtr& pr, Program& p) {
  if (!pr) return;
  if (pr->kind == litmus::Prop::Kind::Atom) {
    if (pr->loc.thread < 0) add_location(p, pr->loc.name);
    if (pr->value.is_addr) add_location(p, pr->value.addr);
  }
  collect_prop_locations(pr->left, p);
  collect_prop_locations(pr->right, p);
}

}  // namespace

int Program::location_index(const std::string& name) const {
  auto it = std::lower_bound(locations.begin(), locations.end(), name,
                             [](const Location& l, const std::string& n) { return l.name < n; });
  if (it != locations.end() && it->name == name) return int(it - locations.begin());
  // An array's name stands for its first cell (lowerings that make cells `t[0]`, `t[1]` ...).
  if (name.empty() || name.back() == ']') return -1;
  return location_index(name + "[0]");
}

Program build(const litmus::Test& test, const std::vector<StmtPtr>& bodies, const BuildOptions& opts) {
  Program p;
  // Locations: init entries, parameters, condition, and addresses stored in init.
  for (const auto& e : test.init) {
    if (e.thread < 0) add_location(p, e.name);
    if (e.value_is_addr) add_location(p, e.addr);
  }
  for (const auto& t : test.threads)
    for (const auto& prm : t.params) add_location(p, prm.name);
  for (const auto& l : test.locations)
    if (l.thread < 0) add_location(p, l.name);
  collect_prop_locations(test.condition, p);
  collect_prop_locations(test.filter, p);
  std::sort(p.locations.begin(), p.locations.end(),
            [](const Location& a, const Location& b) { return a.name < b.name; });

  std::set<std::pair<int, std::string>> seen;
  for (const auto& e : test.init) {
    if (!seen.insert({e.thread, e.name}).second)
      throw UserError(test.file, e.pos, fmt::format("'{}' is initialised twice", e.name));
    Value v = e.value_is_addr ? Value::addr(p.location_index(e.addr)) : Value::num(e.value);
    if (e.thread >= 0) {
      p.reg_init[{e.thread, e.name}] = v;
      continue;
    }
    auto& loc = p.locations[size_t(p.location_index(e.name))];
    loc.init = v;
    loc.type = e.type;
  }
  util::with_large_stack([&] {
    for (size_t t = 0; t < test.threads.size(); ++t) {
      ThreadBuilder b(test, p, int(t), opts);
      p.threads.push_back(b.run(bodies[t]));
    }
  });
  return p;
}

}  // namespace paddock::events
