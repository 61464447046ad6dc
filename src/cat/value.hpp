// Run-time values of the cat interpreter. Cheap to copy (payloads are shared and immutable).
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
struct LazyProduct {
  std::vector<std::vector<Relation>> comps;
};

struct Value {
  enum Kind { Empty, Set, Rel, Event, Pair, Tag, Tuple, VSet, Fun, Proc, Builtin, Lazy } kind = Empty;
  uint32_t i = 0, j = 0;            // Event i; Pair (i, j)
  std::shared_ptr<const void> p;    // payload, typed by kind

  static Value set(EventSet s) { return make(Set, std::make_shared<const EventSet>(std::move(s))); }
  static Value rel(Relation r) { return make(Rel, std::make_shared<const Relation>(std::move(r))); }
  static Value event(size_t e) { Value v; v.kind = Event; v.i = uint32_t(e); return v; }
  static Value pair(size_t a, size_t b) { Value v; v.kind = Pair; v.i = uint32_t(a); v.j = uint32_t(b); return v; }
  static Value tag(std::string t) { return make(Tag, std::make_shared<const std::string>(std::move(t))); }
  static Value tuple(std::vector<Value> xs) { return make(Tuple, std::make_shared<const std::vector<Value>>(std::move(xs))); }
  // Normalises: sorts and removes duplicates.
  static Value vset(std::vector<Value> xs);
  // Builds the most specific set: all events -> Set, all pairs -> Rel, none -> Empty, else VSet.
  static Value set_of(std::vector<Value> xs, size_t n);
  static Value closure(Closure c) { return make(Fun, std::make_shared<const Closure>(std::move(c))); }
  static Value procedure(ProcValue c) { return make(Proc, std::make_shared<const ProcValue>(std::move(c))); }
  static Value builtin(PartialApp a) { return make(Builtin, std::make_shared<const PartialApp>(std::move(a))); }
  static Value lazy(LazyProduct l) { return make(Lazy, std::make_shared<const LazyProduct>(std::move(l))); }

  const EventSet& as_set() const { return *static_cast<const EventSet*>(p.get()); }
  const Relation& as_rel() const { return *static_cast<const Relation*>(p.get()); }
  const std::string& as_tag() const { return *static_cast<const std::string*>(p.get()); }
  const std::vector<Value>& as_vec() const { return *static_cast<const std::vector<Value>*>(p.get()); }
  const Closure& as_closure() const { return *static_cast<const Closure*>(p.get()); }
  const ProcValue& as_proc() const { return *static_cast<const ProcValue*>(p.get()); }
  const PartialApp& as_builtin() const { return *static_cast<const PartialApp*>(p.get()); }
  const LazyProduct& as_lazy() const { return *static_cast<const LazyProduct*>(p.get()); }

 private:
  static Value make(Kind k, std::shared_ptr<const void> p) {
    Value v;
    v.kind = k;
    v.p = std::move(p);
    return v;
  }
};

// Total order on values (kinds first); 0 means equal.
int compare(const Value& a, const Value& b);
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

}  // namespace paddock::cat

#include "cat/value_inl.hpp"
