#include "cat/builtins.hpp"

#include <cstring>

#include "cat/error.hpp"

namespace paddock::cat {

namespace {

[[noreturn]] void type_error(const Pos& pos, const char* fn, const char* expected, const Value& got) {
  throw Error(pos, std::string(fn) + ": expected " + expected + ", found " + describe(got));
}

const Relation& need_rel(const Value& v, const Pos& pos, const char* fn, const Relation& empty) {
  if (v.kind == Value::Rel) return v.as_rel();
  if (v.kind == Value::Empty) return empty;
  type_error(pos, fn, "a relation", v);
}

EventSet need_set(const Value& v, const Pos& pos, const char* fn, size_t n) {
  if (v.kind == Value::Set) return v.as_set();
  if (v.kind == Value::Empty) return EventSet(n);
  type_error(pos, fn, "an event set", v);
}

const std::vector<Value>& need_tuple(const Value& v, size_t k, const Pos& pos, const char* fn) {
  if (v.kind != Value::Tuple || v.as_vec().size() != k)
    throw Error(pos, std::string(fn) + ": expected a tuple of " + std::to_string(k) + " arguments, found " +
                         describe(v));
  return v.as_vec();
}

Value b_domain(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  Relation e(c.n);
  return Value::set(need_rel(a[0], pos, "domain", e).domain());
}

Value b_range(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  Relation e(c.n);
  return Value::set(need_rel(a[0], pos, "range", e).range());
}

Value values_filter(const BuiltinCtx& c, const Value& v, const Pos& pos, bool different, const char* fn) {
  Relation e(c.n);
  const Relation& r = need_rel(v, pos, fn, e);
  Relation out(c.n);
  const auto& vals = c.cand.values;
  r.for_each([&](size_t i, size_t j) {
    int64_t vi = i < vals.size() ? vals[i] : 0, vj = j < vals.size() ? vals[j] : 0;
    if ((vi != vj) == different) out.set(i, j);
  });
  return Value::rel(std::move(out));
}
Value b_different_values(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  return values_filter(c, a[0], pos, true, "different-values");
}
Value b_same_values(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  return values_filter(c, a[0], pos, false, "same-values");
}

std::vector<EventSet> classes_by_loc(const BuiltinCtx& c, const EventSet& s) {
  std::vector<EventSet> out;
  EventSet left = s;
  while (!left.empty()) {
    size_t e = left.first();
    EventSet cls = (c.loc.row(e) & left);
    cls.set(e);
    left -= cls;
    out.push_back(std::move(cls));
  }
  return out;
}

Value b_classes_loc(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  std::vector<Value> out;
  for (auto& cls : classes_by_loc(c, need_set(a[0], pos, "classes-loc", c.n))) out.push_back(Value::set(cls));
  return Value::vset(std::move(out));
}

Value rels_to_set(std::vector<Relation> rs) {
  std::vector<Value> out;
  out.reserve(rs.size());
  for (auto& r : rs) out.push_back(Value::rel(std::move(r)));
  return Value::vset(std::move(out));
}

Value b_linearisations(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  const auto& t = need_tuple(a[0], 2, pos, "linearisations");
  Relation e(c.n);
  return rels_to_set(linear_extensions(need_set(t[0], pos, "linearisations", c.n),
                                       need_rel(t[1], pos, "linearisations", e)));
}

// The set of unions of one element per component; lazy when the unions are all distinct.
Value product(const BuiltinCtx& c, std::vector<std::vector<Relation>> comps) {
  for (auto& comp : comps)
    if (comp.empty()) return Value();
  if (comps.empty()) return Value::vset({Value::rel(Relation(c.n))});
  // Supports pairwise disjoint => every combination gives a distinct union.
  bool disjoint = true;
  Relation seen(c.n);
  for (auto& comp : comps) {
    Relation support(c.n);
    for (auto& r : comp) support |= r;
    if (!(support & seen).empty()) disjoint = false;
    seen |= support;
  }
  // Distinct elements within each component are required too (they come from a set, so they are).
  LazyProduct l;
  l.comps = std::move(comps);
  if (disjoint) return Value::lazy(std::move(l));
  Value lz = Value::lazy(std::move(l));
  return Value::vset(elements(lz));
}

Value b_cross(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  std::vector<std::vector<Relation>> comps;
  bool bad = false;
  for_each_element(a[0], [&](const Value& comp) {
    std::vector<Relation> rs;
    if (comp.kind != Value::VSet && comp.kind != Value::Empty && comp.kind != Value::Lazy) {
      bad = true;
      return;
    }
    for_each_element(comp, [&](const Value& r) {
      if (r.kind == Value::Rel) rs.push_back(r.as_rel());
      else if (r.kind == Value::Empty) rs.push_back(Relation(c.n));
      else bad = true;
    });
    comps.push_back(std::move(rs));
  });
  if (bad || (a[0].kind != Value::VSet && a[0].kind != Value::Empty))
    type_error(pos, "cross", "a set of sets of relations", a[0]);
  return product(c, std::move(comps));
}

Value b_generate_orders(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  const auto& t = need_tuple(a[0], 2, pos, "generate_orders");
  Relation e(c.n);
  EventSet s = need_set(t[0], pos, "generate_orders", c.n);
  const Relation& order = need_rel(t[1], pos, "generate_orders", e);
  std::vector<EventSet> classes = classes_by_loc(c, s);
  // Large classes stay unexpanded (OrderSpace): the evaluator may enumerate them with early cut-offs.
  bool large = false;
  for (auto& cls : classes) large |= cls.count() >= 3 && cls.count() <= 64;
  for (auto& cls : classes) large &= cls.count() <= 64;
  if (large) {
    auto sp = std::make_shared<OrderSpace>();
    sp->order = order.restrict(s, s);
    for (auto& cls : classes) {
      if (!sp->order.restrict(cls, cls).acyclic()) return Value();  // no extension in this class
      sp->classes.push_back(cls.elements());
    }
    LazyProduct l;
    l.orders = std::move(sp);
    return Value::lazy(std::move(l));
  }
  // Classes of one event, or of two the order already ranks (an init write and one store), have one extension:
  // they make one component together, first (the order of the alternatives is unchanged).
  std::vector<std::vector<Relation>> comps;
  Relation forced(c.n);
  bool any_forced = false;
  for (auto& cls : classes) {
    std::vector<size_t> el = cls.elements();
    if (el.size() == 2 && order.test(el[0], el[1]) != order.test(el[1], el[0])) {
      if (order.test(el[0], el[1])) forced.set(el[0], el[1]);
      else forced.set(el[1], el[0]);
      any_forced = true;
    } else if (el.size() == 1) {
      any_forced = true;
    } else {
      comps.push_back(linear_extensions(cls, order));
    }
  }
  if (any_forced) comps.insert(comps.begin(), std::vector<Relation>{std::move(forced)});
  return product(c, std::move(comps));
}

Value b_map(const BuiltinCtx& c, const std::vector<Value>& a, const Pos& pos) {
  const Value& s = a[1];
  if (s.kind != Value::Empty && s.kind != Value::Set && s.kind != Value::Rel && s.kind != Value::VSet &&
      s.kind != Value::Lazy)
    type_error(pos, "map", "a set", s);
  std::vector<Value> out;
  for_each_element(s, [&](const Value& x) { out.push_back(c.apply(a[0], x, pos)); });
  return Value::set_of(std::move(out), c.n);
}

const BuiltinFn kBuiltins[] = {
    {"domain", 1, b_domain},
    {"range", 1, b_range},
    {"different-values", 1, b_different_values},
    {"same-values", 1, b_same_values},
    {"classes-loc", 1, b_classes_loc},
    {"linearisations", 1, b_linearisations},
    {"cross", 1, b_cross},
    {"generate_orders", 1, b_generate_orders},
    {"map", 2, b_map},
};

void extensions_rec(const std::vector<size_t>& elems, const std::vector<EventSet>& preds, EventSet& remaining,
                    std::vector<size_t>& prefix, size_t n, std::vector<Relation>& out) {
  if (remaining.empty()) {
    Relation r(n);
    EventSet after(n);
    for (size_t k = prefix.size(); k-- > 0;) {
      size_t e = elems[prefix[k]];
      r.set_row(e, after);
      after.set(e);
    }
    out.push_back(std::move(r));
    return;
  }
  std::vector<size_t> ready;
  remaining.for_each([&](size_t i) {
    if (!preds[i].intersects(remaining)) ready.push_back(i);
  });
  for (size_t i : ready) {
    remaining.set(i, false);
    prefix.push_back(i);
    extensions_rec(elems, preds, remaining, prefix, n, out);
    prefix.pop_back();
    remaining.set(i, true);
  }
}

}  // namespace

std::vector<Relation> linear_extensions(const EventSet& s, const Relation& order) {
  size_t n = s.universe();
  std::vector<size_t> elems = s.elements();
  size_t k = elems.size();
  std::vector<size_t> local(n, SIZE_MAX);
  for (size_t i = 0; i < k; ++i) local[elems[i]] = i;
  std::vector<EventSet> preds(k, EventSet(k));
  for (size_t i = 0; i < k; ++i)
    order.row(elems[i]).for_each([&](size_t j) {
      if (local[j] != SIZE_MAX) preds[local[j]].set(i);
    });
  std::vector<Relation> out;
  EventSet remaining = EventSet::full(k);
  std::vector<size_t> prefix;
  extensions_rec(elems, preds, remaining, prefix, n, out);
  return out;
}

const BuiltinFn* find_builtin(const std::string& name) {
  for (auto& b : kBuiltins)
    if (name == b.name) return &b;
  return nullptr;
}

}  // namespace paddock::cat
