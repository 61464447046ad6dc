#include "cat/value.hpp"

#include <algorithm>

namespace paddock::cat {

Value Value::vset(std::vector<Value> xs) {
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  if (xs.empty()) return Value();
  return make(VSet, std::make_shared<const std::vector<Value>>(std::move(xs)));
}

Value Value::set_of(std::vector<Value> xs, size_t n) {
  if (xs.empty()) return Value();
  bool events = true, pairs = true;
  for (auto& x : xs) {
    events &= x.kind == Event;
    pairs &= x.kind == Pair;
  }
  if (events) {
    EventSet s(n);
    for (auto& x : xs) s.set(x.i);
    return set(std::move(s));
  }
  if (pairs) {
    Relation r(n);
    for (auto& x : xs) r.set(x.i, x.j);
    return rel(std::move(r));
  }
  return vset(std::move(xs));
}

namespace {
template <class T>
int cmp3(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}
int compare_vec(const std::vector<Value>& a, const std::vector<Value>& b) {
  for (size_t k = 0; k < a.size() && k < b.size(); ++k)
    if (int c = compare(a[k], b[k])) return c;
  return cmp3(a.size(), b.size());
}
}  // namespace

int compare(const Value& a, const Value& b) {
  if (a.kind != b.kind) return a.kind < b.kind ? -1 : 1;
  switch (a.kind) {
    case Value::Empty:
      return 0;
    case Value::Event:
      return cmp3(a.i, b.i);
    case Value::Pair:
      if (a.i != b.i) return cmp3(a.i, b.i);
      return cmp3(a.j, b.j);
    case Value::Set:
      if (a.p == b.p) return 0;
      return cmp3(a.as_set(), b.as_set());
    case Value::Rel:
      if (a.p == b.p) return 0;
      return cmp3(a.as_rel(), b.as_rel());
    case Value::Tag:
      return a.as_tag().compare(b.as_tag());
    case Value::Tuple:
    case Value::VSet:
      if (a.p == b.p) return 0;
      return compare_vec(a.as_vec(), b.as_vec());
    default:
      return cmp3(a.p.get(), b.p.get());
  }
}

const char* kind_name(Value::Kind k) {
  switch (k) {
    case Value::Empty: return "empty set";
    case Value::Set: return "event set";
    case Value::Rel: return "relation";
    case Value::Event: return "event";
    case Value::Pair: return "pair of events";
    case Value::Tag: return "tag";
    case Value::Tuple: return "tuple";
    case Value::VSet: return "set";
    case Value::Fun: return "function";
    case Value::Proc: return "procedure";
    case Value::Builtin: return "builtin function";
    case Value::Lazy: return "set of relations";
  }
  return "value";
}

std::string describe(const Value& v) {
  switch (v.kind) {
    case Value::Set: return "event set " + v.as_set().to_string();
    case Value::Rel: return "relation " + v.as_rel().to_string();
    case Value::Event: return "event " + std::to_string(v.i);
    case Value::Pair: return "pair (" + std::to_string(v.i) + "," + std::to_string(v.j) + ")";
    case Value::Tag: return "tag '" + v.as_tag();
    default: return kind_name(v.kind);
  }
}

std::vector<Value> elements(const Value& v) {
  std::vector<Value> out;
  for_each_element(v, [&](const Value& x) { out.push_back(x); });
  return out;
}

size_t lazy_count(const LazyProduct& l) {
  size_t c = 1;
  for (auto& comp : l.comps) c *= comp.size();
  return c;
}

}  // namespace paddock::cat
