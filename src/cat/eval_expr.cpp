// The evaluator's expressions: names, operators, application, forcing lazy sets; and the Inspector queries
// (the class: evaluator.hpp).
#include <algorithm>

#include "cat/evaluator.hpp"

namespace paddock::cat::detail {

bool Evaluator::is_setlike(const Value& v) {
  return v.kind == Value::Empty || v.kind == Value::Set || v.kind == Value::Rel || v.kind == Value::VSet ||
         v.kind == Value::Lazy;
}

const std::vector<Value>& Evaluator::destructure(const Value& v, size_t k, const Pos& pos) {
  if (v.kind != Value::Tuple || v.as_vec().size() != k)
    throw Error(pos, "expected a tuple of " + std::to_string(k) + " values, found " + describe(v));
  return v.as_vec();
}

void Evaluator::bind_pattern(const Pattern& pat, const Value& v, Frame& f, size_t off, const Pos& pos) {
  if (!pat.tuple) {
    f.slots[off] = v;
    return;
  }
  if (pat.names.empty()) return;
  const auto& xs = destructure(v, pat.names.size(), pos);
  for (size_t q = 0; q < xs.size(); ++q) f.slots[off + q] = xs[q];
}

Value Evaluator::free_value(int idx, const Pos& pos) {
  auto& cached = free_[size_t(idx)];
  if (cached) return *cached;
  const std::string& name = m_.free_names[size_t(idx)];
  if (resolved_) {  // not in the candidate's maps
    switch (cache_->fallback[size_t(idx)]) {
      case EvalCache::Id: return *(cached = cache_->identity);
      case EvalCache::AllMem: return *(cached = all_memory_events());
      case EvalCache::NoEvents: return *(cached = Value::set(EventSet(n_)));
      case EvalCache::NoPairs: return *(cached = Value::rel(Relation(n_)));
      case EvalCache::Native: return *(cached = Value::builtin(PartialApp{cache_->native[size_t(idx)], {}}));
      case EvalCache::Unbound: throw Error(pos, "unbound name '" + name + "'");
    }
  }
  if (auto it = c_.rels.find(name); it != c_.rels.end()) return *(cached = borrow_rel(it->second));
  if (auto it = c_.sets.find(name); it != c_.sets.end()) return *(cached = borrow_set(it->second));
  if (name == "id") return *(cached = Value::rel(Relation::identity(n_)));
  if (name == "M") return *(cached = all_memory_events());
  for (auto* s : kDefaultSets)
    if (name == s) return *(cached = Value::set(EventSet(n_)));
  for (auto* s : kDefaultRels)
    if (name == s) return *(cached = Value::rel(Relation(n_)));
  if (auto* b = find_builtin(name)) return *(cached = Value::builtin(PartialApp{b, {}}));
  throw Error(pos, "unbound name '" + name + "'");
}

Value Evaluator::all_memory_events() {
  EventSet m(n_);
  if (auto it = c_.sets.find("R"); it != c_.sets.end()) m |= it->second;
  if (auto it = c_.sets.find("W"); it != c_.sets.end()) m |= it->second;
  return Value::set(std::move(m));
}

bool Evaluator::surely_empty(const Value& v) {
  return v.kind == Value::Empty || (v.kind == Value::Rel && v.as_rel().empty()) ||
         (v.kind == Value::Set && v.as_set().empty());
}

Value Evaluator::lookup(const VarRef& r, const std::string& name, const FrameP& frame, const Pos& pos) {
  switch (r.kind) {
    case VarRef::Global:
      if (pending(r.index)) force_slot(r.index);
      return globals_[size_t(r.index)];
    case VarRef::Local: {
      Frame* f = frame.get();
      for (int d = 0; d < r.depth; ++d) f = f->parent.get();
      return f->slots[size_t(r.index)];
    }
    case VarRef::Free:
      return free_value(r.index, pos);
    default:
      throw Error(pos, "internal: unresolved name '" + name + "'");
  }
}

const Value& Evaluator::operand(const Expr& e, const FrameP& frame, Value& tmp) {
  if (e.kind == Expr::Var) {
    switch (e.ref.kind) {
      case VarRef::Global:
        if (pending(e.ref.index)) force_slot(e.ref.index);
        return globals_[size_t(e.ref.index)];
      case VarRef::Local: {
        Frame* f = frame.get();
        for (int d = 0; d < e.ref.depth; ++d) f = f->parent.get();
        return f->slots[size_t(e.ref.index)];
      }
      case VarRef::Free:
        if (auto& cached = free_[size_t(e.ref.index)]) return *cached;
        break;
      default:
        break;
    }
  }
  tmp = eval(e, frame);
  return tmp;
}

Value Evaluator::eval(const Expr& e, const FrameP& frame) {
  for (auto& [x, v] : memo_)
    if (x == &e) return v;
  switch (e.kind) {
    case Expr::Empty:
      return Value();
    case Expr::Universe:
      return universe_;
    case Expr::Var:
      return lookup(e.ref, e.name, frame, e.pos);
    case Expr::Tag:
      return Value::tag(e.name);
    case Expr::Set: {
      std::vector<Value> xs;
      for (auto& x : e.elems) xs.push_back(eval(*x, frame));
      return Value::set_of(std::move(xs), n_);
    }
    case Expr::Tuple: {
      std::vector<Value> xs;
      for (auto& x : e.elems) xs.push_back(eval(*x, frame));
      return Value::tuple(std::move(xs));
    }
    case Expr::Unary: {
      Value ta;
      return unary(e.op1, operand(*e.a, frame, ta), e.pos);
    }
    case Expr::Binary: {
      if (e.op2 == Op2::Seq && (is_bracket(*e.a) || is_bracket(*e.b))) return seq_bracket(e, frame);
      Value ta, tb;
      const Value& a = operand(*e.a, frame, ta);
      // An empty left operand decides `;`, `&` and `\`: the right one is not computed.
      // Not on a statement's first run, which is eager as herd's (a type error on the right is reported).
      if (!eager_ && (e.op2 == Op2::Seq || e.op2 == Op2::Inter || e.op2 == Op2::Diff) && surely_empty(a)) return a;
      return binary(e.op2, a, operand(*e.b, frame, tb), e.pos);
    }
    case Expr::App: {
      Value tf, ta;
      const Value& f = operand(*e.a, frame, tf);
      return apply(f, operand(*e.b, frame, ta), e.pos);
    }
    case Expr::Let: {
      auto f = std::make_shared<Frame>(Frame{frame, std::vector<Value>(size_t(e.frame_size))});
      size_t off = 0;
      for (auto& b : e.binds) {
        bind_pattern(b.pat, eval(*b.rhs, frame), *f, off, b.pos);
        off += b.pat.names.size();
      }
      return eval(*e.a, f);
    }
    case Expr::LetRec: {
      auto f = std::make_shared<Frame>(Frame{frame, std::vector<Value>(size_t(e.frame_size))});
      std::vector<Value*> slots;
      for (size_t k = 0; k < f->slots.size(); ++k) slots.push_back(&f->slots[k]);
      letrec(e.binds, slots, f);
      rec_frames_.push_back(f);
      return eval(*e.a, f);
    }
    case Expr::Fun:
      return Value::closure(Closure{&e, frame});
    case Expr::Try:
      try {
        return eval(*e.a, frame);
      } catch (const Error&) {
        return eval(*e.b, frame);
      }
    case Expr::If:
      return eval(cond(*e.cond, frame) ? *e.a : *e.b, frame);
    case Expr::MatchSet: {
      Value s = eval(*e.a, frame);
      if (!is_setlike(s)) throw Error(e.a->pos, "match: expected a set, found " + describe(s));
      std::vector<Value> xs = elements(s);
      if (xs.empty()) return eval(*e.b, frame);
      auto f = std::make_shared<Frame>(Frame{frame, std::vector<Value>(2)});
      f->slots[0] = xs[0];
      xs.erase(xs.begin());
      f->slots[1] = rest_of(s, std::move(xs));
      return eval(*e.c, f);
    }
    case Expr::MatchTag: {
      Value t = eval(*e.a, frame);
      if (t.kind == Value::Tag)
        for (size_t k = 0; k < e.tags.size(); ++k)
          if (e.tags[k] == t.as_tag()) return eval(*e.elems[k], frame);
      if (e.b) return eval(*e.b, frame);
      throw Error(e.pos, "match: no clause for " + describe(t));
    }
  }
  throw Error(e.pos, "internal: bad expression");
}

Value Evaluator::seq_bracket(const Expr& e, const FrameP& frame) {
  Value ta, tb;
  const Expr& br = is_bracket(*e.a) ? *e.a : *e.b;
  if (&br == e.a.get()) {
    const Value& s = operand(*br.a, frame, ta);
    if (s.kind != Value::Set) {
      Value a = unary(Op1::ToId, s, br.pos);
      if (!eager_ && surely_empty(a)) return a;
      return binary(Op2::Seq, a, operand(*e.b, frame, tb), e.pos);
    }
    if (!eager_ && s.as_set().empty()) {
      Value out;
      Value::fresh_rel(out, n_);
      return out;
    }
    const Value& r = operand(*e.b, frame, tb);
    if (r.kind == Value::Empty) return Value();
    if (r.kind != Value::Rel) return binary(Op2::Seq, unary(Op1::ToId, s, br.pos), r, e.pos);
    return rel_restrict_rows(s.as_set(), r.as_rel());
  }
  const Value& r = operand(*e.a, frame, ta);
  if (!eager_ && surely_empty(r)) return r;
  const Value& s = operand(*br.a, frame, tb);
  if (s.kind != Value::Set || (r.kind != Value::Rel && r.kind != Value::Empty))
    return binary(Op2::Seq, r, unary(Op1::ToId, s, br.pos), e.pos);
  if (r.kind == Value::Empty) return Value();
  return rel_restrict_cols(r.as_rel(), s.as_set());
}

Value Evaluator::rest_of(const Value& s, std::vector<Value> xs) {
  if (xs.empty()) return Value();
  if (s.kind == Value::Set || s.kind == Value::Rel) return Value::set_of(std::move(xs), n_);
  return Value::vset(std::move(xs));
}

bool Evaluator::cond(const Cond& c, const FrameP& frame) {
  if (c.kind == Cond::Variant) return m_.variants.count(c.variant) > 0;
  Value a = eval(*c.a, frame), b = eval(*c.b, frame);
  switch (c.kind) {
    case Cond::Eq:
      return equal_sets(a, b);
    case Cond::Subset:
      return equal_sets(binary(Op2::Diff, a, b, c.a->pos), Value());
    case Cond::In: {
      bool found = false;
      for_each_element(b, [&](const Value& x) { found |= compare(x, a) == 0; });
      return found;
    }
    default:
      return false;
  }
}

bool Evaluator::equal_sets(const Value& a, const Value& b) {
  auto is_empty = [](const Value& v) {
    return v.kind == Value::Empty || (v.kind == Value::Set && v.as_set().empty()) ||
           (v.kind == Value::Rel && v.as_rel().empty());
  };
  if (is_empty(a) || is_empty(b)) return is_empty(a) && is_empty(b);
  return compare(a, b) == 0;
}

Value Evaluator::apply(const Value& f, const Value& arg, const Pos& pos) {
  if (f.kind == Value::Fun) {
    const Closure& c = f.as_closure();
    auto fr = std::make_shared<Frame>(Frame{c.env, std::vector<Value>(size_t(c.fun->frame_size))});
    bind_pattern(c.fun->pat, arg, *fr, 0, pos);
    return eval(*c.fun->a, fr);
  }
  if (f.kind == Value::Builtin) {
    const PartialApp& p = f.as_builtin();
    std::vector<Value> args = p.args;
    args.push_back(arg);
    if (int(args.size()) == p.fn->arity) return p.fn->fn(ctx_, args, pos);
    return Value::builtin(PartialApp{p.fn, std::move(args)});
  }
  throw Error(pos, "expected a function, found " + describe(f));
}

[[noreturn]] void Evaluator::type_error(const Pos& pos, const char* op, const Value& a, const Value& b) {
  throw Error(pos, std::string(op) + ": cannot combine " + describe(a) + " with " + describe(b));
}

Value Evaluator::unary(Op1 op, const Value& v0, const Pos& pos) {
  Value tv;
  const Value& v = forced(v0, tv);
  if (v.kind == Value::Empty) {
    switch (op) {
      case Op1::Star:
      case Op1::Opt:
        return Value::rel(Relation::identity(n_));
      case Op1::Complement:
        throw Error(pos, "~: cannot complement an empty set of unknown type");
      default:
        return Value();
    }
  }
  if (v.kind == Value::Rel) {
    const Relation& r = v.as_rel();
    switch (op) {
      case Op1::Star:
      case Op1::Plus:
      case Op1::Opt: {  // computed in recycled storage
        Value out;
        Relation& o = Value::fresh_rel_unset(out, n_);
        o = r;
        if (op != Op1::Opt) o.close_transitively();
        if (op != Op1::Plus) o.add_identity();
        return out;
      }
      case Op1::Inverse: {
        Value out;
        Relation& o = Value::fresh_rel(out, n_);
        r.for_each([&](size_t i, size_t j) { o.set(j, i); });
        return out;
      }
      case Op1::Complement: return Value::rel(r.complement());
      case Op1::ToId: return Value::rel(r & Relation::identity(n_));
    }
  }
  if (v.kind == Value::Set) {
    if (op == Op1::Complement) return Value::set(v.as_set().complement());
    if (op == Op1::ToId) return rel_id_on(v.as_set());
    // Closures of a set: herd treats a set S in a relation context as [S].
    Relation r = Relation::id_on(v.as_set());
    if (op == Op1::Star || op == Op1::Opt) return Value::rel(Relation::identity(n_));
    if (op == Op1::Plus || op == Op1::Inverse) return Value::rel(r);
  }
  if (v.kind == Value::Event && op == Op1::ToId) {
    Relation r(n_);
    r.set(v.i, v.i);
    return Value::rel(std::move(r));
  }
  static const char* names[] = {"*", "+", "?", "^-1", "~", "[...]"};
  throw Error(pos, std::string(names[int(op)]) + ": expected a relation, found " + describe(v));
}

const Value& Evaluator::forced(const Value& v, Value& tmp) {
  if (v.kind != Value::Event && v.kind != Value::Pair && v.kind != Value::Lazy) return v;
  tmp = force(v);
  return tmp;
}

Value Evaluator::force(const Value& v) {
  if (v.kind == Value::Event) return Value::set(EventSet::singleton(n_, v.i));
  if (v.kind == Value::Pair) {
    Relation r(n_);
    r.set(v.i, v.j);
    return Value::rel(std::move(r));
  }
  if (v.kind != Value::Lazy) return v;
  return Value::vset(elements(v));
}

Value Evaluator::binary(Op2 op, const Value& a0, const Value& b0, const Pos& pos) {
  if (op == Op2::Add) return add(a0, b0, pos);
  Value ta, tb;
  const Value& a = forced(a0, ta);
  const Value& b = forced(b0, tb);
  if (op == Op2::Cartesian) {
    if ((a.kind == Value::Set || a.kind == Value::Empty) && (b.kind == Value::Set || b.kind == Value::Empty)) {
      if (a.kind == Value::Empty || b.kind == Value::Empty) return Value::rel(Relation(n_));
      return Value::rel(Relation::cross(a.as_set(), b.as_set()));
    }
    type_error(pos, "*", a, b);
  }
  if (op == Op2::Seq) {
    if (a.kind == Value::Empty && (b.kind == Value::Rel || b.kind == Value::Empty)) return Value();
    if (b.kind == Value::Empty && a.kind == Value::Rel) return Value();
    if (a.kind == Value::Rel && b.kind == Value::Rel) return rel_compose(a.as_rel(), b.as_rel());
    type_error(pos, ";", a, b);
  }
  const char* sym = op == Op2::Union ? "|" : op == Op2::Inter ? "&" : "\\";
  if (a.kind == Value::Empty) {
    if (!is_setlike(b)) type_error(pos, sym, a, b);
    return op == Op2::Union ? b : Value();
  }
  if (b.kind == Value::Empty) {
    if (!is_setlike(a)) type_error(pos, sym, a, b);
    return op == Op2::Inter ? Value() : a;
  }
  if (a.kind == Value::Set && b.kind == Value::Set) {
    const EventSet &x = a.as_set(), &y = b.as_set();
    return op == Op2::Union ? set_union(x, y) : op == Op2::Inter ? set_inter(x, y) : set_diff(x, y);
  }
  if (a.kind == Value::Rel && b.kind == Value::Rel) {
    const Relation &x = a.as_rel(), &y = b.as_rel();
    return op == Op2::Union ? rel_union(x, y) : op == Op2::Inter ? rel_inter(x, y) : rel_diff(x, y);
  }
  if (a.kind == Value::VSet && b.kind == Value::VSet) {
    const auto &x = a.as_vec(), &y = b.as_vec();
    std::vector<Value> out;
    if (op == Op2::Union) std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
    else if (op == Op2::Inter) std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
    else std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
    return Value::vset(std::move(out));
  }
  type_error(pos, sym, a, b);
}

Value Evaluator::add(const Value& e, const Value& s0, const Pos& pos) {
  Value s = force(s0);
  if (s.kind == Value::Empty) return Value::set_of({e}, n_);
  if (s.kind == Value::Set && e.kind == Value::Event) {
    EventSet x = s.as_set();
    x.set(e.i);
    return Value::set(std::move(x));
  }
  if (s.kind == Value::Rel && e.kind == Value::Pair) {
    Relation r = s.as_rel();
    r.set(e.i, e.j);
    return Value::rel(std::move(r));
  }
  if (s.kind == Value::VSet) {
    std::vector<Value> xs = s.as_vec();
    xs.push_back(e);
    return Value::vset(std::move(xs));
  }
  if (s.kind == Value::Set || s.kind == Value::Rel) {
    std::vector<Value> xs = elements(s);
    xs.push_back(e);
    return Value::set_of(std::move(xs), n_);
  }
  type_error(pos, "++", e, s);
}

bool Evaluator::skipped_without_test(const std::string& name) const {
  return checks_ && !checks_->strict && std::binary_search(checks_->skip.begin(), checks_->skip.end(), name);
}

std::optional<Relation> Evaluator::as_relation(const Value& v, size_t n) {
  switch (v.kind) {
    case Value::Empty: return Relation(n);
    case Value::Rel: return v.as_rel();
    case Value::Set: return Relation::id_on(v.as_set());
    default: return std::nullopt;
  }
}

std::optional<Relation> Evaluator::relation(const std::string& name) const {
  auto it = m_.top_names.find(name);
  if (it == m_.top_names.end() || size_t(it->second) >= globals_.size()) return std::nullopt;
  // A slot bound at or after the statement that stopped this execution holds another execution's value.
  for (size_t k = stop_; k < m_.stmts.size(); ++k)
    if (!m_.stmts[k]->local)
      for (int sl : m_.stmts[k]->slots)
        if (sl == it->second) return std::nullopt;
  if (pending(it->second)) const_cast<Evaluator*>(this)->force_slot(it->second);
  const Value& v = globals_[size_t(it->second)];
  if (v.kind == Value::Empty) return std::nullopt;  // not bound (yet) in this execution
  return as_relation(v, n_);
}

std::optional<FailedCheck> Evaluator::failed() const {
  if (stop_ == m_.stmts.size() || !failed_stmt_) return std::nullopt;
  const Stmt& s = *failed_stmt_;
  // The environment of the failed check is still in place: nothing ran after it.
  auto self = const_cast<Evaluator*>(this);
  std::optional<Relation> r = as_relation(self->force(self->eval(*s.expr, failed_frame_)), n_);
  if (!r) return std::nullopt;
  return FailedCheck{failed_, check_name(s), s.negated, s.pos.str(), std::move(*r)};
}

}  // namespace paddock::cat::detail
