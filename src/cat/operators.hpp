// The meaning of cat's expressions, written once for the two value domains: cat::Value over bits (the explicit
// evaluator, cat/eval_expr.cpp) and symbolic values over Z3 terms (smt/sym_eval.cpp). What is shared is everything
// that does not depend on how a set or relation is represented: which operand kinds combine, what an empty value
// of unknown type gives, the errors, binding, let/let rec/fun/try/if/match. Each domain supplies the kernels.
//
// A domain Ev has `using V` (its value, with kind enumerators Empty, Set, Rel, Event, Pair, Tag, Tuple, VSet and a
// static V::tuple) and `using FrameP` (a shared_ptr to a frame {parent, slots}), and provides:
//   V eval(e, frame)                       the domain's entry (may memoise, then calls walk)
//   V lookup(ref, name, frame, pos), universe(), tag(name), set_of(xs), vset_of(xs), closure(e, frame)
//   V unary_expr(e, frame), binary_expr(e, frame), app_expr(e, frame)   (operand short-cuts are per domain)
//   void solve_letrec(binds, slots, frame), keep_frame(frame)
//   const V& forced(v, tmp)                events and pairs (and lazy sets) as sets; v itself if none is needed
//   bool is_setlike(v); std::string describe(v); const std::string* tag_name(v);
//   const std::vector<V>* tuple_members(v); std::vector<V> members(s, pos); bool has_variant(name)
//   bool equal_sets(a, b, pos); bool member(x, s, pos); V& slot_ref(stmt, k, frame) (a statement's k-th slot)
//   kernels: identity(), no_pairs(), rel_unary(op, r), set_complement(s), id_on(s), cross(a, b), compose(a, b),
//            set_op(op, a, b), rel_op(op, a, b), vset_op(op, a, b), singleton(x), insert(s, x)
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "cat/ast.hpp"
#include "cat/error.hpp"

namespace paddock::cat::ops {

inline const char* op1_name(Op1 op) {
  static const char* names[] = {"*", "+", "?", "^-1", "~", "[...]"};
  return names[int(op)];
}

inline const char* op2_name(Op2 op) {
  switch (op) {
    case Op2::Union: return "|";
    case Op2::Inter: return "&";
    case Op2::Diff: return "\\";
    case Op2::Seq: return ";";
    case Op2::Cartesian: return "*";
    default: return "++";
  }
}

template <class Ev, class V>
[[noreturn]] void type_error(Ev& ev, const Pos& pos, const char* op, const V& a, const V& b) {
  throw Error(pos, std::string(op) + ": cannot combine " + ev.describe(a) + " with " + ev.describe(b));
}

template <class Ev, class V = typename Ev::V>
V unary_op(Ev& ev, Op1 op, const V& v0, const Pos& pos) {
  V tv;
  const V& v = ev.forced(v0, tv);
  if (v.kind == V::Empty) {
    switch (op) {
      case Op1::Star:
      case Op1::Opt: return ev.identity();
      case Op1::Complement: throw Error(pos, "~: cannot complement an empty set of unknown type");
      default: return V();
    }
  }
  if (v.kind == V::Rel) return ev.rel_unary(op, v);
  if (v.kind == V::Set) {  // herd takes a set S in a relation context as [S]
    if (op == Op1::Complement) return ev.set_complement(v);
    if (op == Op1::ToId || op == Op1::Plus || op == Op1::Inverse) return ev.id_on(v);
    return ev.identity();  // [S]* and [S]?
  }
  throw Error(pos, std::string(op1_name(op)) + ": expected a relation, found " + ev.describe(v));
}

// e ++ S
template <class Ev, class V = typename Ev::V>
V add_op(Ev& ev, const V& e, const V& s0, const Pos& pos) {
  V ts;
  const V& s = ev.forced(s0, ts);
  if (s.kind == V::Empty) return ev.singleton(e);
  if (s.kind == V::Set || s.kind == V::Rel || s.kind == V::VSet) return ev.insert(s, e);
  type_error(ev, pos, "++", e, s);
}

template <class Ev, class V = typename Ev::V>
V binary_op(Ev& ev, Op2 op, const V& a0, const V& b0, const Pos& pos) {
  if (op == Op2::Add) return add_op(ev, a0, b0, pos);
  V ta, tb;
  const V& a = ev.forced(a0, ta);
  const V& b = ev.forced(b0, tb);
  if (op == Op2::Cartesian) {
    auto setish = [](const V& x) { return x.kind == V::Set || x.kind == V::Empty; };
    if (!setish(a) || !setish(b)) type_error(ev, pos, "*", a, b);
    if (a.kind == V::Empty || b.kind == V::Empty) return ev.no_pairs();
    return ev.cross(a, b);
  }
  if (op == Op2::Seq) {
    if (a.kind == V::Empty && (b.kind == V::Rel || b.kind == V::Empty)) return V();
    if (b.kind == V::Empty && a.kind == V::Rel) return V();
    if (a.kind == V::Rel && b.kind == V::Rel) return ev.compose(a, b);
    type_error(ev, pos, ";", a, b);
  }
  const char* sym = op2_name(op);
  if (a.kind == V::Empty) {
    if (!ev.is_setlike(b)) type_error(ev, pos, sym, a, b);
    return op == Op2::Union ? b : V();
  }
  if (b.kind == V::Empty) {
    if (!ev.is_setlike(a)) type_error(ev, pos, sym, a, b);
    return op == Op2::Inter ? V() : a;
  }
  if (a.kind == V::Set && b.kind == V::Set) return ev.set_op(op, a, b);
  if (a.kind == V::Rel && b.kind == V::Rel) return ev.rel_op(op, a, b);
  if (a.kind == V::VSet && b.kind == V::VSet) return ev.vset_op(op, a, b);
  type_error(ev, pos, sym, a, b);
}

template <class Ev, class V = typename Ev::V>
const std::vector<V>& destructure(Ev& ev, const V& v, size_t k, const Pos& pos) {
  const std::vector<V>* xs = ev.tuple_members(v);
  if (!xs || xs->size() != k)
    throw Error(pos, "expected a tuple of " + std::to_string(k) + " values, found " + ev.describe(v));
  return *xs;
}

template <class Ev, class V, class Frame>
void bind_pattern(Ev& ev, const Pattern& pat, const V& v, Frame& f, size_t off, const Pos& pos) {
  if (!pat.tuple) {
    f.slots[off] = v;
    return;
  }
  if (pat.names.empty()) return;
  const auto& xs = destructure(ev, v, pat.names.size(), pos);
  for (size_t q = 0; q < xs.size(); ++q) f.slots[off + q] = xs[q];
}

// A `let` statement's bindings, into the statement's slots (ev.slot_ref): every right-hand side is computed
// before any name is bound, as they do not see each other.
template <class Ev, class V = typename Ev::V>
void bind_let(Ev& ev, const Stmt& s, const typename Ev::FrameP& frame) {
  std::vector<V> vals;
  vals.reserve(s.binds.size());
  for (auto& b : s.binds) vals.push_back(ev.eval(*b.rhs, frame));
  size_t k = 0;
  for (size_t b = 0; b < s.binds.size(); ++b) {
    const Pattern& pat = s.binds[b].pat;
    if (!pat.tuple) {
      ev.slot_ref(s, k++, frame) = vals[b];
      continue;
    }
    const auto& xs = destructure(ev, vals[b], pat.names.size(), s.binds[b].pos);
    for (size_t q = 0; q < pat.names.size(); ++q) ev.slot_ref(s, k++, frame) = xs[q];
  }
}

template <class Ev, class V = typename Ev::V>
bool cond(Ev& ev, const Cond& c, const typename Ev::FrameP& frame) {
  if (c.kind == Cond::Variant) return ev.has_variant(c.variant);
  V a = ev.eval(*c.a, frame), b = ev.eval(*c.b, frame);
  switch (c.kind) {
    case Cond::Eq: return ev.equal_sets(a, b, c.a->pos);
    case Cond::Subset: return ev.equal_sets(binary_op(ev, Op2::Diff, a, b, c.a->pos), V(), c.a->pos);
    case Cond::In: return ev.member(a, b, c.a->pos);
    default: return false;
  }
}

// Calls a function value: a closure binds its pattern in a frame over its environment; a builtin collects
// arguments until it has its arity.
template <class Ev, class V = typename Ev::V>
V apply_closure(Ev& ev, const Expr& fun, const typename Ev::FrameP& env, const V& arg, const Pos& pos) {
  using Frame = typename Ev::FrameP::element_type;
  auto fr = std::make_shared<Frame>(Frame{env, std::vector<V>(size_t(fun.frame_size))});
  bind_pattern(ev, fun.pat, arg, *fr, 0, pos);
  return ev.eval(*fun.a, fr);
}

// The rest of a set after removing its first element, keeping the set's kind.
template <class Ev, class V = typename Ev::V>
V rest_of(Ev& ev, const V& s, std::vector<V> xs) {
  if (xs.empty()) return V();
  if (s.kind == V::Set || s.kind == V::Rel) return ev.set_of(std::move(xs));
  return ev.vset_of(std::move(xs));
}

template <class Ev, class V = typename Ev::V>
V walk(Ev& ev, const Expr& e, const typename Ev::FrameP& frame) {
  using Frame = typename Ev::FrameP::element_type;
  switch (e.kind) {
    case Expr::Empty:
      return V();
    case Expr::Universe:
      return ev.universe();
    case Expr::Var:
      return ev.lookup(e.ref, e.name, frame, e.pos);
    case Expr::Tag:
      return ev.tag(e.name);
    case Expr::Set:
    case Expr::Tuple: {
      std::vector<V> xs;
      xs.reserve(e.elems.size());
      for (auto& x : e.elems) xs.push_back(ev.eval(*x, frame));
      return e.kind == Expr::Set ? ev.set_of(std::move(xs)) : V::tuple(std::move(xs));
    }
    case Expr::Unary:
      return ev.unary_expr(e, frame);
    case Expr::Binary:
      return ev.binary_expr(e, frame);
    case Expr::App:
      return ev.app_expr(e, frame);
    case Expr::Let: {
      auto f = std::make_shared<Frame>(Frame{frame, std::vector<V>(size_t(e.frame_size))});
      size_t off = 0;
      for (auto& b : e.binds) {
        bind_pattern(ev, b.pat, ev.eval(*b.rhs, frame), *f, off, b.pos);
        off += b.pat.names.size();
      }
      return ev.eval(*e.a, f);
    }
    case Expr::LetRec: {
      auto f = std::make_shared<Frame>(Frame{frame, std::vector<V>(size_t(e.frame_size))});
      std::vector<V*> slots;
      for (size_t k = 0; k < f->slots.size(); ++k) slots.push_back(&f->slots[k]);
      ev.solve_letrec(e.binds, slots, f);
      ev.keep_frame(f);
      return ev.eval(*e.a, f);
    }
    case Expr::Fun:
      return ev.closure(e, frame);
    case Expr::Try:
      try {
        return ev.eval(*e.a, frame);
      } catch (const Error&) {
        return ev.eval(*e.b, frame);
      }
    case Expr::If:
      return ev.eval(cond(ev, *e.cond, frame) ? *e.a : *e.b, frame);
    case Expr::MatchSet: {
      V s = ev.eval(*e.a, frame);
      if (!ev.is_setlike(s)) throw Error(e.a->pos, "match: expected a set, found " + ev.describe(s));
      std::vector<V> xs = ev.members(s, e.pos);
      if (xs.empty()) return ev.eval(*e.b, frame);
      auto f = std::make_shared<Frame>(Frame{frame, std::vector<V>(2)});
      f->slots[0] = xs[0];
      xs.erase(xs.begin());
      f->slots[1] = rest_of(ev, s, std::move(xs));
      return ev.eval(*e.c, f);
    }
    case Expr::MatchTag: {
      V t = ev.eval(*e.a, frame);
      if (const std::string* name = ev.tag_name(t))
        for (size_t k = 0; k < e.tags.size(); ++k)
          if (e.tags[k] == *name) return ev.eval(*e.elems[k], frame);
      if (e.b) return ev.eval(*e.b, frame);
      throw Error(e.pos, "match: no clause for " + ev.describe(t));
    }
  }
  throw Error(e.pos, "internal: bad expression");
}

}  // namespace paddock::cat::ops
