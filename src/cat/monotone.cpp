#include "cat/monotone.hpp"

#include <algorithm>

#include "cat/builtins.hpp"
#include "cat/model.hpp"

namespace paddock::cat {

Monotonicity::Monotonicity(const Model& m, int var_slot, PolHooks& hooks, std::vector<Pol> free)
    : m_(m), hooks_(hooks), globals_(size_t(m.num_globals), Pol::Const), defs_(size_t(m.num_globals), nullptr),
      free_(std::move(free)) {
  if (var_slot >= 0) globals_[size_t(var_slot)] = Pol::Up;
}

Pol Monotonicity::expr(const Expr& e) {
  frames_.clear();
  orders_args_.reset();
  return ex(e).p;
}

void Monotonicity::bind(int slot, Pol p, const Expr* rhs) {
  globals_[size_t(slot)] = p;
  defs_[size_t(slot)] = rhs;
}

// A constant operand that is empty makes `;`, `&` and `*` empty whatever the other operand is.
bool Monotonicity::known_empty(const Expr& e, const R& r) {
  if (r.p != Pol::Const) return false;
  if (r.empty) return true;
  if (!frames_.empty()) return false;  // inside a function body: locals have no value here
  std::optional<bool> em = hooks_.closed_empty(e);
  return em && *em;
}

Monotonicity::R Monotonicity::var(const Expr& e) {
  switch (e.ref.kind) {
    case VarRef::Global: return R{globals_[size_t(e.ref.index)], false};
    case VarRef::Free:
      return R{size_t(e.ref.index) < free_.size() ? free_[size_t(e.ref.index)] : Pol::Const, false};
    case VarRef::Local: {
      if (size_t(e.ref.depth) >= frames_.size()) return R{Pol::Any, false};
      const auto& f = frames_[frames_.size() - 1 - size_t(e.ref.depth)];
      return size_t(e.ref.index) < f.size() ? f[size_t(e.ref.index)] : R{Pol::Any, false};
    }
    default: return R{Pol::Any, false};
  }
}

Monotonicity::R Monotonicity::binary(const Expr& e) {
  R a = ex(*e.a), b = ex(*e.b);
  switch (e.op2) {
    case Op2::Union:
      return R{join(a.p, b.p), a.empty && b.empty};
    case Op2::Inter:
    case Op2::Seq:
    case Op2::Cartesian:
      if ((a.p != Pol::Const || b.p != Pol::Const) && (known_empty(*e.a, a) || known_empty(*e.b, b)))
        return R{Pol::Const, true};
      return R{join(a.p, b.p), false};
    case Op2::Diff: {
      if (a.p != Pol::Const && known_empty(*e.a, a)) return R{Pol::Const, true};
      // a \ (a & c) is a \ c: decreasing in c only (cos files write coe = co \ coi with coi = co & int).
      const Expr* bd = e.b.get();
      if (bd->kind == Expr::Var && bd->ref.kind == VarRef::Global && defs_[size_t(bd->ref.index)])
        bd = defs_[size_t(bd->ref.index)];
      if (e.a->kind == Expr::Var && bd->kind == Expr::Binary && bd->op2 == Op2::Inter) {
        auto same = [&](const Expr& x) {
          return x.kind == Expr::Var && x.ref.kind == e.a->ref.kind && x.ref.index == e.a->ref.index &&
                 x.ref.depth == e.a->ref.depth;
        };
        if (same(*bd->a)) return R{join(a.p, flip(ex(*bd->b).p)), false};
        if (same(*bd->b)) return R{join(a.p, flip(ex(*bd->a).p)), false};
      }
      return R{join(a.p, flip(b.p)), false};
    }
    case Op2::Add:
      return R{a.p == Pol::Const && b.p == Pol::Const ? Pol::Const : Pol::Any, false};
  }
  return R{Pol::Any, false};
}

Monotonicity::R Monotonicity::app(const Expr& e) {
  std::optional<Value> f;
  if (e.a->kind == Expr::Var && e.a->ref.kind != VarRef::Local) f = hooks_.var_value(*e.a);
  // Arguments: one polarity per name of a tuple pattern when the argument is written as a tuple.
  auto arg_pols = [&](const Pattern& pat) {
    std::vector<R> out;
    if (pat.tuple && e.b->kind == Expr::Tuple && e.b->elems.size() == pat.names.size())
      for (auto& x : e.b->elems) out.push_back(ex(*x));
    else {
      R r = ex(*e.b);
      if (pat.tuple) r.empty = false;
      out.assign(pat.names.size(), r);
    }
    return out;
  };
  if (f && f->kind == Value::Fun && !f->as_closure().env) {
    const Expr* fun = f->as_closure().fun;
    if (std::find(active_.begin(), active_.end(), fun) != active_.end()) return R{Pol::Any, false};
    std::vector<R> frame = arg_pols(fun->pat);
    if (frame.size() < size_t(fun->frame_size)) frame.resize(size_t(fun->frame_size), R{Pol::Any, false});
    auto saved = std::move(frames_);
    frames_.clear();
    frames_.push_back(std::move(frame));
    active_.push_back(fun);
    R r = ex(*fun->a);
    active_.pop_back();
    frames_ = std::move(saved);
    r.empty = false;  // emptiness inside the body was judged without values
    return r;
  }
  if (f && f->kind == Value::Builtin && f->as_builtin().args.empty()) {
    const std::string name = f->as_builtin().fn->name;
    if (name == "domain" || name == "range") return R{ex(*e.b).p, false};
    if (name == "generate_orders") {
      bool pair = e.b->kind == Expr::Tuple && e.b->elems.size() == 2;
      OrdersArgs a = orders_args_.value_or(OrdersArgs{});
      a.events = join(a.events, pair ? ex(*e.b->elems[0]).p : Pol::Any);
      a.order = join(a.order, pair ? ex(*e.b->elems[1]).p : Pol::Any);
      orders_args_ = a;
    }
  }
  R fr = ex(*e.a), ar = ex(*e.b);
  return R{fr.p == Pol::Const && ar.p == Pol::Const ? Pol::Const : Pol::Any, false};
}

Monotonicity::R Monotonicity::ex(const Expr& e) {
  switch (e.kind) {
    case Expr::Empty: return R{Pol::Const, true};
    case Expr::Universe:
    case Expr::Tag:
    case Expr::Fun: return R{Pol::Const, false};
    case Expr::Var: return var(e);
    case Expr::Set:
    case Expr::Tuple: {
      Pol p = Pol::Const;
      for (auto& x : e.elems) p = join(p, ex(*x).p);
      return R{p == Pol::Const ? Pol::Const : e.kind == Expr::Tuple ? p : Pol::Any, false};
    }
    case Expr::Unary: {
      R a = ex(*e.a);
      switch (e.op1) {
        case Op1::Inverse:
        case Op1::Plus:
        case Op1::ToId: return a;
        case Op1::Star:
        case Op1::Opt: return R{a.p, false};
        case Op1::Complement: return R{flip(a.p), false};
      }
      return R{Pol::Any, false};
    }
    case Expr::Binary: return binary(e);
    case Expr::App: return app(e);
    case Expr::Let: {
      std::vector<R> frame(size_t(e.frame_size), R{Pol::Any, false});
      size_t off = 0;
      for (auto& b : e.binds) {
        R r = ex(*b.rhs);
        if (b.pat.tuple) r.empty = false;
        for (size_t q = 0; q < b.pat.names.size() && off + q < frame.size(); ++q) frame[off + q] = r;
        off += b.pat.names.size();
      }
      frames_.push_back(std::move(frame));
      R r = ex(*e.a);
      frames_.pop_back();
      return r;
    }
    case Expr::LetRec: {
      // Least fixpoint of increasing definitions is increasing: iterate the polarities to a fixpoint.
      frames_.push_back(std::vector<R>(size_t(e.frame_size), R{Pol::Const, false}));
      for (int round = 0; round < 4; ++round) {
        bool changed = false;
        for (size_t k = 0; k < e.binds.size() && k < frames_.back().size(); ++k) {
          Pol p = e.binds[k].rhs->kind == Expr::Fun ? Pol::Any : ex(*e.binds[k].rhs).p;
          if (p != frames_.back()[k].p) frames_.back()[k] = R{join(p, frames_.back()[k].p), false}, changed = true;
        }
        if (!changed) break;
      }
      for (auto& r : frames_.back())
        if (r.p == Pol::Down) r.p = Pol::Any;
      R r = ex(*e.a);
      frames_.pop_back();
      return r;
    }
    case Expr::Try: {
      R a = ex(*e.a), b = ex(*e.b);
      return R{join(a.p, b.p), false};
    }
    case Expr::If: {
      if (e.cond->kind == Cond::Variant) return ex(m_.variants.count(e.cond->variant) ? *e.a : *e.b);
      Pol c = join(ex(*e.cond->a).p, ex(*e.cond->b).p);
      if (c != Pol::Const) return R{Pol::Any, false};
      return R{join(ex(*e.a).p, ex(*e.b).p), false};
    }
    case Expr::MatchSet: {
      if (ex(*e.a).p != Pol::Const) return R{Pol::Any, false};
      Pol p = ex(*e.b).p;
      frames_.push_back(std::vector<R>(2, R{Pol::Const, false}));
      p = join(p, ex(*e.c).p);
      frames_.pop_back();
      return R{p == Pol::Const ? Pol::Const : Pol::Any, false};
    }
    case Expr::MatchTag: {
      Pol p = ex(*e.a).p;
      for (auto& x : e.elems) p = join(p, ex(*x).p);
      if (e.b) p = join(p, ex(*e.b).p);
      return R{p == Pol::Const ? Pol::Const : Pol::Any, false};
    }
  }
  return R{Pol::Any, false};
}

namespace {

void expr_reads(const Expr& e, std::vector<int>& out) {
  if (e.kind == Expr::Var && e.ref.kind == VarRef::Global) out.push_back(e.ref.index);
  for (const ExprP* c : {&e.a, &e.b, &e.c})
    if (*c) expr_reads(**c, out);
  for (auto& x : e.elems) expr_reads(*x, out);
  for (auto& b : e.binds) expr_reads(*b.rhs, out);
  if (e.cond) {
    if (e.cond->a) expr_reads(*e.cond->a, out);
    if (e.cond->b) expr_reads(*e.cond->b, out);
  }
}

void stmt_reads(const Stmt& s, std::vector<int>& out) {
  for (auto& b : s.binds) expr_reads(*b.rhs, out);
  if (s.expr) expr_reads(*s.expr, out);
  if (s.cond) {
    if (s.cond->a) expr_reads(*s.cond->a, out);
    if (s.cond->b) expr_reads(*s.cond->b, out);
  }
  for (auto& b : s.body) stmt_reads(*b, out);
  for (auto& b : s.else_body) stmt_reads(*b, out);
  if (s.proc.kind == VarRef::Global) out.push_back(s.proc.index);
}

}  // namespace

StmtReads statement_reads(const Model& m) {
  StmtReads r;
  r.reads.resize(m.stmts.size());
  r.def.assign(size_t(m.num_globals), -1);
  for (size_t i = 0; i < m.stmts.size(); ++i) {
    const Stmt& s = *m.stmts[i];
    stmt_reads(s, r.reads[i]);
    std::sort(r.reads[i].begin(), r.reads[i].end());
    r.reads[i].erase(std::unique(r.reads[i].begin(), r.reads[i].end()), r.reads[i].end());
    if (!s.local)
      for (int sl : s.slots)
        if (sl >= 0 && size_t(sl) < r.def.size()) r.def[size_t(sl)] = int(i);
  }
  return r;
}

}  // namespace paddock::cat
