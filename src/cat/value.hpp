// Run-time values of the cat interpreter. Cheap to copy: payloads are shared, immutable once built, and counted
// by a plain (non-atomic) reference count, since a value never leaves the thread that evaluates the model.
// Event sets and relations are recycled through a per-thread pool together with their storage, so that the
// operators of cat (value.cpp: rel_union, rel_compose, ...) mostly compute into memory that is already allocated.
// The concrete value layer: event sets and relations are bit matrices. A symbolic layer would add kinds here.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "rel/relation.hpp"

namespace paddock::cat {

struct Expr;
struct Stmt;
struct Frame;
struct Value;

struct Closure {
  const Expr* fun;               // Expr::Fun
  std::shared_ptr<Frame> env;    // captured local frames (null at top level)
};
struct ProcValue {
  const Stmt* proc;
  std::shared_ptr<Frame> env;
};
struct BuiltinFn;
struct PartialApp {              // a builtin with some of its (curried) arguments
  const BuiltinFn* fn;
  std::vector<Value> args;
};
// The set { u_1 | ... | u_k : u_i in comps[i] } of unions, one element per component, enumerated lazily.
// Built only when the unions are pairwise distinct (components have disjoint supports), so that counting
// elements is counting combinations.
// generate_orders(S, r) keeps its classes and order instead of the extensions themselves, so that the evaluator
// can build the orders one element at a time and cut off prefixes the model already forbids (eval.cpp).
struct OrderSpace {
  std::vector<std::vector<size_t>> classes;  // events of each class, increasing
  Relation order;                            // the order every element extends
};
struct LazyProduct {
  std::vector<std::vector<Relation>> comps;   // with `orders`: filled on first use (components())
  std::shared_ptr<const OrderSpace> orders;   // every union of one linear extension of order per class
  const std::vector<std::vector<Relation>>& components() const;
};

namespace detail {
struct Payload {
  uint32_t refs = 1;
  uint8_t type = 0;  // Value::Kind of the payload
  bool borrowed = false;
};
void destroy(Payload* p);
}  // namespace detail

struct Value {
  enum Kind { Empty, Set, Rel, Event, Pair, Tag, Tuple, VSet, Fun, Proc, Builtin, Lazy } kind = Empty;
  uint32_t i = 0, j = 0;            // Event i; Pair (i, j)

  Value() = default;
  Value(const Value& o) : kind(o.kind), i(o.i), j(o.j), p_(o.p_) {
    if (p_) ++p_->refs;
  }
  Value(Value&& o) noexcept : kind(o.kind), i(o.i), j(o.j), p_(o.p_) { o.p_ = nullptr; }
  Value& operator=(const Value& o) {
    if (o.p_) ++o.p_->refs;
    release();
    kind = o.kind, i = o.i, j = o.j, p_ = o.p_;
    return *this;
  }
  Value& operator=(Value&& o) noexcept {
    if (this != &o) {
      release();
      kind = o.kind, i = o.i, j = o.j, p_ = o.p_;
      o.p_ = nullptr;
    }
    return *this;
  }
  ~Value() { release(); }

  static Value set(EventSet s);
  static Value rel(Relation r);
  static Value event(size_t e) { Value v; v.kind = Event; v.i = uint32_t(e); return v; }
  static Value pair(size_t a, size_t b) { Value v; v.kind = Pair; v.i = uint32_t(a); v.j = uint32_t(b); return v; }
  static Value tag(std::string t);
  static Value tuple(std::vector<Value> xs);
  // Normalises: sorts and removes duplicates.
  static Value vset(std::vector<Value> xs);
  // Builds the most specific set: all events -> Set, all pairs -> Rel, none -> Empty, else VSet.
  static Value set_of(std::vector<Value> xs, size_t n);
  static Value closure(Closure c);
  static Value procedure(ProcValue c);
  static Value builtin(PartialApp a);
  static Value lazy(LazyProduct l);
  // A value referring to an event set / relation owned elsewhere, which must outlive it (the candidate's data).
  static Value borrow(const EventSet& s);
  static Value borrow(const Relation& r);
  // Makes `out` a fresh, empty event set / relation over n events and returns it for filling in. Its storage is
  // recycled from dead values when their universe was the same.
  static EventSet& fresh_set(Value& out, size_t n);
  static Relation& fresh_rel(Value& out, size_t n);
  // The same without clearing: for operators that write every word.
  static Relation& fresh_rel_unset(Value& out, size_t n);

  // Internal (value.cpp): a value of kind k owning the single reference of p.
  static Value adopt(Kind k, detail::Payload* p);

  bool borrowed() const { return p_ && p_->borrowed; }
  // The payload's address (null for Empty, Event and Pair): equal for copies of the same value.
  const void* identity() const { return p_; }

  const EventSet& as_set() const;
  const Relation& as_rel() const;
  const std::string& as_tag() const;
  const std::vector<Value>& as_vec() const;
  const Closure& as_closure() const;
  const ProcValue& as_proc() const;
  const PartialApp& as_builtin() const;
  const LazyProduct& as_lazy() const;

 private:
  void release() {
    if (p_ && --p_->refs == 0) detail::destroy(p_);
    p_ = nullptr;
  }
  detail::Payload* p_ = nullptr;
};

namespace detail {
struct SetPayload : Payload {
  EventSet own;
  const EventSet* ref = &own;
};
struct RelPayload : Payload {
  Relation own;
  const Relation* ref = &own;
};
struct TagPayload : Payload {
  std::string s;
};
struct VecPayload : Payload {
  std::vector<Value> v;
};
struct ClosurePayload : Payload {
  Closure c;
};
struct ProcPayload : Payload {
  ProcValue c;
};
struct BuiltinPayload : Payload {
  PartialApp a;
};
struct LazyPayload : Payload {
  LazyProduct l;
};
}  // namespace detail

inline const EventSet& Value::as_set() const { return *static_cast<const detail::SetPayload*>(p_)->ref; }
inline const Relation& Value::as_rel() const { return *static_cast<const detail::RelPayload*>(p_)->ref; }
inline const std::string& Value::as_tag() const { return static_cast<const detail::TagPayload*>(p_)->s; }
inline const std::vector<Value>& Value::as_vec() const { return static_cast<const detail::VecPayload*>(p_)->v; }
inline const Closure& Value::as_closure() const { return static_cast<const detail::ClosurePayload*>(p_)->c; }
inline const ProcValue& Value::as_proc() const { return static_cast<const detail::ProcPayload*>(p_)->c; }
inline const PartialApp& Value::as_builtin() const { return static_cast<const detail::BuiltinPayload*>(p_)->a; }
inline const LazyProduct& Value::as_lazy() const { return static_cast<const detail::LazyPayload*>(p_)->l; }

// Total order on values (kinds first); 0 means equal.
int compare(const Value& a, const Value& b);
// compare(a, b) == 0, faster for sets and relations (word equality instead of two lexicographic passes).
bool same_value(const Value& a, const Value& b);
inline bool operator==(const Value& a, const Value& b) { return compare(a, b) == 0; }
inline bool operator<(const Value& a, const Value& b) { return compare(a, b) < 0; }

const char* kind_name(Value::Kind k);
std::string describe(const Value& v);  // short, for error messages

// Elements of a set-like value (Set -> events, Rel -> pairs, VSet -> members, Lazy -> unions, Empty -> none).
std::vector<Value> elements(const Value& v);
// Calls f on each element without building the list (lazy products enumerate their unions).
template <class F>
void for_each_element(const Value& v, F&& f);

size_t lazy_count(const LazyProduct& l);

// Relation operators computing into recycled storage (equal universes required, as for Relation's own).
Value rel_union(const Relation& a, const Relation& b);
Value rel_inter(const Relation& a, const Relation& b);
Value rel_diff(const Relation& a, const Relation& b);
Value rel_compose(const Relation& a, const Relation& b);
// [s] ; r and r ; [s], without building [s].
Value rel_restrict_rows(const EventSet& s, const Relation& r);
Value rel_restrict_cols(const Relation& r, const EventSet& s);
Value rel_id_on(const EventSet& s);  // [s]
Value set_union(const EventSet& a, const EventSet& b);
Value set_inter(const EventSet& a, const EventSet& b);
Value set_diff(const EventSet& a, const EventSet& b);

}  // namespace paddock::cat

#include "cat/value_inl.hpp"
