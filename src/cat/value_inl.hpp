// Template part of value.hpp.
#pragma once

namespace paddock::cat {

namespace detail {
template <class F>
void lazy_rec(const LazyProduct& l, size_t k, const Relation& acc, F& f) {
  const auto& comps = l.components();
  if (k == comps.size()) {
    f(Value::rel(acc));
    return;
  }
  for (const Relation& r : comps[k]) lazy_rec(l, k + 1, acc | r, f);
}
}  // namespace detail

template <class F>
void for_each_element(const Value& v, F&& f) {
  switch (v.kind) {
    case Value::Empty:
      return;
    case Value::Set:
      v.as_set().for_each([&](size_t e) { f(Value::event(e)); });
      return;
    case Value::Rel:
      v.as_rel().for_each([&](size_t a, size_t b) { f(Value::pair(a, b)); });
      return;
    case Value::VSet:
      for (const Value& x : v.as_vec()) f(x);
      return;
    case Value::Lazy: {
      const LazyProduct& l = v.as_lazy();
      const auto& comps = l.components();
      if (comps.empty()) return;
      size_t n = comps[0].empty() ? 0 : comps[0][0].universe();
      detail::lazy_rec(l, 0, Relation(n), f);
      return;
    }
    default:
      f(v);  // not a set: callers check kinds first
  }
}

}  // namespace paddock::cat
