#include "cat/value.hpp"

#include "cat/builtins.hpp"

#include <algorithm>
#include <cstring>

namespace paddock::cat {

namespace detail {

namespace {

// Dead event-set and relation payloads of this thread, kept with their storage for the next values.
template <class P>
struct Pool {
  std::vector<P*> free;
  ~Pool() {
    dead = true;
    for (P* p : free) delete p;
  }
  static constexpr size_t kMax = 512;
  static thread_local bool dead;  // trivially destructible: still readable while the thread's objects are destroyed
};
template <class P>
thread_local bool Pool<P>::dead = false;

thread_local Pool<SetPayload> t_sets;
thread_local Pool<RelPayload> t_rels;

template <class P>
P* take(Pool<P>& pool, uint8_t type) {
  if (!Pool<P>::dead && !pool.free.empty()) {
    P* p = pool.free.back();
    pool.free.pop_back();
    p->refs = 1;
    p->borrowed = false;
    p->ref = &p->own;
    return p;
  }
  P* p = new P;
  p->type = type;
  return p;
}

template <class P>
void give(Pool<P>& pool, P* p) {
  if (Pool<P>::dead || pool.free.size() >= Pool<P>::kMax) {
    delete p;
    return;
  }
  pool.free.push_back(p);
}

template <class P, class T>
Value make(Value::Kind k, T&& x) {
  auto* p = new P;
  p->type = uint8_t(k);
  if constexpr (std::is_same_v<P, TagPayload>) p->s = std::forward<T>(x);
  else if constexpr (std::is_same_v<P, VecPayload>) p->v = std::forward<T>(x);
  else if constexpr (std::is_same_v<P, ClosurePayload> || std::is_same_v<P, ProcPayload>) p->c = std::forward<T>(x);
  else if constexpr (std::is_same_v<P, BuiltinPayload>) p->a = std::forward<T>(x);
  else p->l = std::forward<T>(x);
  return Value::adopt(k, p);
}

}  // namespace

void destroy(Payload* p) {
  switch (Value::Kind(p->type)) {
    case Value::Set:
      give(t_sets, static_cast<SetPayload*>(p));
      return;
    case Value::Rel:
      give(t_rels, static_cast<RelPayload*>(p));
      return;
    case Value::Tag: delete static_cast<TagPayload*>(p); return;
    case Value::Tuple:
    case Value::VSet: delete static_cast<VecPayload*>(p); return;
    case Value::Fun: delete static_cast<ClosurePayload*>(p); return;
    case Value::Proc: delete static_cast<ProcPayload*>(p); return;
    case Value::Builtin: delete static_cast<BuiltinPayload*>(p); return;
    case Value::Lazy: delete static_cast<LazyPayload*>(p); return;
    default: return;
  }
}

}  // namespace detail

using namespace detail;

Value Value::adopt(Kind k, Payload* p) {
  Value v;
  v.kind = k;
  v.p_ = p;
  return v;
}

Value Value::set(EventSet s) {
  SetPayload* p = take(t_sets, Set);
  p->own = std::move(s);
  return adopt(Set, p);
}
Value Value::rel(Relation r) {
  RelPayload* p = take(t_rels, Rel);
  p->own = std::move(r);
  return adopt(Rel, p);
}
Value Value::borrow(const EventSet& s) {
  SetPayload* p = take(t_sets, Set);
  p->borrowed = true;
  p->ref = &s;
  return adopt(Set, p);
}
Value Value::borrow(const Relation& r) {
  RelPayload* p = take(t_rels, Rel);
  p->borrowed = true;
  p->ref = &r;
  return adopt(Rel, p);
}

EventSet& Value::fresh_set(Value& out, size_t n) {
  SetPayload* p = take(t_sets, Set);
  if (p->own.universe() == n) std::fill(p->own.words().begin(), p->own.words().end(), 0);
  else p->own = EventSet(n);
  out = adopt(Set, p);
  return p->own;
}
Relation& Value::fresh_rel_unset(Value& out, size_t n) {
  RelPayload* p = take(t_rels, Rel);
  if (p->own.universe() != n) p->own = Relation(n);
  out = adopt(Rel, p);
  return p->own;
}
Relation& Value::fresh_rel(Value& out, size_t n) {
  RelPayload* p = take(t_rels, Rel);
  if (p->own.universe() == n) {
    if (n > 0) std::memset(p->own.row_data(0), 0, n * p->own.row_words() * sizeof(uint64_t));
  } else {
    p->own = Relation(n);
  }
  out = adopt(Rel, p);
  return p->own;
}

Value Value::tag(std::string t) { return make<TagPayload>(Tag, std::move(t)); }
Value Value::tuple(std::vector<Value> xs) { return make<VecPayload>(Tuple, std::move(xs)); }
Value Value::closure(Closure c) { return make<ClosurePayload>(Fun, std::move(c)); }
Value Value::procedure(ProcValue c) { return make<ProcPayload>(Proc, std::move(c)); }
Value Value::builtin(PartialApp a) { return make<BuiltinPayload>(Builtin, std::move(a)); }
Value Value::lazy(LazyProduct l) { return make<LazyPayload>(Lazy, std::move(l)); }

Value Value::vset(std::vector<Value> xs) {
  std::sort(xs.begin(), xs.end());
  xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
  if (xs.empty()) return Value();
  return make<VecPayload>(VSet, std::move(xs));
}

Value Value::set_of(std::vector<Value> xs, size_t n) {
  if (xs.empty()) return Value();
  bool events = true, pairs = true;
  for (auto& x : xs) {
    events &= x.kind == Event;
    pairs &= x.kind == Pair;
  }
  if (events) {
    Value v;
    EventSet& s = fresh_set(v, n);
    for (auto& x : xs) s.set(x.i);
    return v;
  }
  if (pairs) {
    Value v;
    Relation& r = fresh_rel(v, n);
    for (auto& x : xs) r.set(x.i, x.j);
    return v;
  }
  return vset(std::move(xs));
}

// ------------------------------------------------------------------------------------------------ operators

namespace {

template <class Op>
Value rel_pointwise(const Relation& a, const Relation& b, Op op) {
  Value v;
  size_t n = a.universe();
  Relation& r = Value::fresh_rel_unset(v, n);
  if (n == 0) return v;
  size_t words = n * a.row_words();
  uint64_t* d = r.row_data(0);
  const uint64_t *x = a.row_data(0), *y = b.row_data(0);
  for (size_t k = 0; k < words; ++k) d[k] = op(x[k], y[k]);
  return v;
}

template <class Op>
Value set_pointwise(const EventSet& a, const EventSet& b, Op op) {
  Value v;
  EventSet& s = Value::fresh_set(v, a.universe());
  auto& d = s.words();
  const auto &x = a.words(), &y = b.words();
  for (size_t k = 0; k < d.size(); ++k) d[k] = op(x[k], y[k]);
  return v;
}

}  // namespace

Value rel_union(const Relation& a, const Relation& b) {
  return rel_pointwise(a, b, [](uint64_t x, uint64_t y) { return x | y; });
}
Value rel_inter(const Relation& a, const Relation& b) {
  return rel_pointwise(a, b, [](uint64_t x, uint64_t y) { return x & y; });
}
Value rel_diff(const Relation& a, const Relation& b) {
  return rel_pointwise(a, b, [](uint64_t x, uint64_t y) { return x & ~y; });
}
Value set_union(const EventSet& a, const EventSet& b) {
  return set_pointwise(a, b, [](uint64_t x, uint64_t y) { return x | y; });
}
Value set_inter(const EventSet& a, const EventSet& b) {
  return set_pointwise(a, b, [](uint64_t x, uint64_t y) { return x & y; });
}
Value set_diff(const EventSet& a, const EventSet& b) {
  return set_pointwise(a, b, [](uint64_t x, uint64_t y) { return x & ~y; });
}

namespace {
// r = a ; b, every row of r written. One word per row: a's bits are walked, each or-ing one word. Two words
// per row: most of a's bits (as measured on LKMM) land on events whose row in b is empty, so a's rows are
// masked by b's non-empty rows first, and the row being built stays in registers. Finding those rows costs
// more than it saves with one word per row (measured).
void compose1(size_t n, const uint64_t* x, const uint64_t* y, uint64_t* d) {
  for (size_t i = 0; i < n; ++i) {
    uint64_t acc = 0;
    for (uint64_t w = x[i]; w; w &= w - 1) acc |= y[bits::ctz(w)];
    d[i] = acc;
  }
}

void compose2(size_t n, const uint64_t* x, const uint64_t* y, uint64_t* d) {
  uint64_t dom0 = 0, dom1 = 0;
  size_t j = 0;
  for (; j < n && j < 64; ++j) dom0 |= uint64_t((y[2 * j] | y[2 * j + 1]) != 0) << j;
  for (; j < n; ++j) dom1 |= uint64_t((y[2 * j] | y[2 * j + 1]) != 0) << (j - 64);
  for (size_t i = 0; i < n; ++i) {
    uint64_t a0 = 0, a1 = 0;
    for (uint64_t w = x[2 * i] & dom0; w; w &= w - 1) {
      const uint64_t* br = y + 2 * size_t(bits::ctz(w));
      a0 |= br[0], a1 |= br[1];
    }
    for (uint64_t w = x[2 * i + 1] & dom1; w; w &= w - 1) {
      const uint64_t* br = y + 2 * (64 + size_t(bits::ctz(w)));
      a0 |= br[0], a1 |= br[1];
    }
    d[2 * i] = a0, d[2 * i + 1] = a1;
  }
}

void compose_any(size_t n, size_t rw, const uint64_t* x, const uint64_t* y, uint64_t* d) {
  std::vector<uint64_t> dom(rw, 0);
  for (size_t j = 0; j < n; ++j) {
    uint64_t any = 0;
    for (size_t q = 0; q < rw; ++q) any |= y[j * rw + q];
    dom[j >> 6] |= uint64_t(any != 0) << (j & 63);
  }
  std::fill(d, d + n * rw, 0);
  for (size_t i = 0; i < n; ++i) {
    uint64_t* out = d + i * rw;
    for (size_t k = 0; k < rw; ++k)
      for (uint64_t w = x[i * rw + k] & dom[k]; w; w &= w - 1) {
        const uint64_t* br = y + (k * 64 + size_t(bits::ctz(w))) * rw;
        for (size_t q = 0; q < rw; ++q) out[q] |= br[q];
      }
  }
}
}  // namespace

Value rel_compose(const Relation& a, const Relation& b) {
  Value v;
  size_t n = a.universe(), rw = a.row_words();
  Relation& r = Value::fresh_rel_unset(v, n);
  if (n == 0) return v;
  const uint64_t *x = a.row_data(0), *y = b.row_data(0);
  uint64_t* d = r.row_data(0);
  if (rw == 1) compose1(n, x, y, d);
  else if (rw == 2) compose2(n, x, y, d);
  else compose_any(n, rw, x, y, d);
  return v;
}

Value rel_restrict_rows(const EventSet& s, const Relation& r) {
  Value v;
  size_t rw = r.row_words();
  Relation& out = Value::fresh_rel(v, r.universe());
  s.for_each([&](size_t i) {
    const uint64_t* in = r.row_data(i);
    uint64_t* d = out.row_data(i);
    for (size_t q = 0; q < rw; ++q) d[q] = in[q];
  });
  return v;
}

Value rel_restrict_cols(const Relation& r, const EventSet& s) {
  Value v;
  size_t n = r.universe(), rw = r.row_words();
  Relation& out = Value::fresh_rel_unset(v, n);
  const auto& m = s.words();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t* in = r.row_data(i);
    uint64_t* d = out.row_data(i);
    for (size_t q = 0; q < rw; ++q) d[q] = in[q] & m[q];
  }
  return v;
}

Value rel_id_on(const EventSet& s) {
  Value v;
  Relation& r = Value::fresh_rel(v, s.universe());
  s.for_each([&](size_t e) { r.set(e, e); });
  return v;
}

// ------------------------------------------------------------------------------------------------ order

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
      if (&a.as_set() == &b.as_set()) return 0;
      return cmp3(a.as_set(), b.as_set());
    case Value::Rel:
      if (&a.as_rel() == &b.as_rel()) return 0;
      return cmp3(a.as_rel(), b.as_rel());
    case Value::Tag:
      return a.as_tag().compare(b.as_tag());
    case Value::Tuple:
    case Value::VSet:
      if (a.identity() == b.identity()) return 0;
      return compare_vec(a.as_vec(), b.as_vec());
    default:
      return cmp3(a.identity(), b.identity());
  }
}

bool same_value(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Set:
      return &a.as_set() == &b.as_set() || a.as_set() == b.as_set();
    case Value::Rel:
      return &a.as_rel() == &b.as_rel() || a.as_rel() == b.as_rel();
    case Value::Tuple:
    case Value::VSet: {
      if (a.identity() == b.identity()) return true;
      const auto &x = a.as_vec(), &y = b.as_vec();
      if (x.size() != y.size()) return false;
      for (size_t k = 0; k < x.size(); ++k)
        if (!same_value(x[k], y[k])) return false;
      return true;
    }
    default:
      return compare(a, b) == 0;
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
    case Value::Tag: return "tag '" + v.as_tag() + "'";
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
  for (auto& comp : l.components()) c *= comp.size();
  return c;
}

const std::vector<std::vector<Relation>>& LazyProduct::components() const {
  if (orders && comps.empty()) {
    // Values are immutable to their users; filling the cache in place is invisible to them (one thread).
    auto& out = const_cast<std::vector<std::vector<Relation>>&>(comps);
    size_t n = orders->order.universe();
    for (const auto& cls : orders->classes) {
      EventSet s(n);
      for (size_t e : cls) s.set(e);
      out.push_back(linear_extensions(s, orders->order));
    }
  }
  return comps;
}

}  // namespace paddock::cat
