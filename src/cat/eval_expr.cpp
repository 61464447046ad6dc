// The evaluator's expressions: names, operators, application, forcing lazy sets; and the Inspector queries
// (the class: evaluator.hpp).
#include <algorithm>

#include "cat/evaluator.hpp"

namespace paddock::cat::detail {

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
  return ops::walk(*this, e, frame);
}

[[gnu::always_inline]] inline Value Evaluator::unary_expr(const Expr& e, const FrameP& frame) {
  Value ta;
  return unary(e.op1, operand(*e.a, frame, ta), e.pos);
}

[[gnu::always_inline]] inline Value Evaluator::binary_expr(const Expr& e, const FrameP& frame) {
  if (e.op2 == Op2::Seq && (is_bracket(*e.a) || is_bracket(*e.b))) return seq_bracket(e, frame);
  Value ta, tb;
  const Value& a = operand(*e.a, frame, ta);
  // An empty left operand decides `;`, `&` and `\`: the right one is not computed.
  // Not on a statement's first run, which is eager as herd's (a type error on the right is reported).
  if (!eager_ && (e.op2 == Op2::Seq || e.op2 == Op2::Inter || e.op2 == Op2::Diff) && surely_empty(a)) return a;
  return binary(e.op2, a, operand(*e.b, frame, tb), e.pos);
}

[[gnu::always_inline]] inline Value Evaluator::app_expr(const Expr& e, const FrameP& frame) {
  Value tf, ta;
  const Value& f = operand(*e.a, frame, tf);
  return apply(f, operand(*e.b, frame, ta), e.pos);
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

bool Evaluator::member(const Value& x, const Value& s, const Pos&) {
  bool found = false;
  for_each_element(s, [&](const Value& y) { found |= compare(y, x) == 0; });
  return found;
}

bool Evaluator::equal_sets(const Value& a, const Value& b, const Pos&) {
  if (surely_empty(a) || surely_empty(b)) return surely_empty(a) && surely_empty(b);
  return compare(a, b) == 0;
}

Value Evaluator::apply(const Value& f, const Value& arg, const Pos& pos) {
  if (f.kind == Value::Fun) {
    const Closure& c = f.as_closure();
    return ops::apply_closure(*this, *c.fun, c.env, arg, pos);
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

Value Evaluator::rel_unary(Op1 op, const Value& v) {
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
    case Op1::ToId: break;
  }
  return Value::rel(r & Relation::identity(n_));
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

Value Evaluator::set_op(Op2 op, const Value& a, const Value& b) {
  const EventSet &x = a.as_set(), &y = b.as_set();
  return op == Op2::Union ? set_union(x, y) : op == Op2::Inter ? set_inter(x, y) : set_diff(x, y);
}

Value Evaluator::rel_op(Op2 op, const Value& a, const Value& b) {
  const Relation &x = a.as_rel(), &y = b.as_rel();
  return op == Op2::Union ? rel_union(x, y) : op == Op2::Inter ? rel_inter(x, y) : rel_diff(x, y);
}

Value Evaluator::vset_op(Op2 op, const Value& a, const Value& b) {
  const auto &x = a.as_vec(), &y = b.as_vec();
  std::vector<Value> out;
  if (op == Op2::Union) std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
  else if (op == Op2::Inter) std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
  else std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
  return Value::vset(std::move(out));
}

Value Evaluator::insert(const Value& s, const Value& e) {
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
  std::vector<Value> xs = elements(s);
  xs.push_back(e);
  return s.kind == Value::VSet ? Value::vset(std::move(xs)) : Value::set_of(std::move(xs), n_);
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
