// How the value of a cat expression varies with one variable (the relation bound by a `with x from S` fork,
// e.g. co), derived from the model's text: constant, increasing, decreasing, or unknown. The evaluator uses it
// to cut off partial coherence orders: when a plain check (acyclic, irreflexive, empty) tests an increasing
// expression and fails on a relation contained in every completion of the partial choice, it fails on every
// completion too. Nothing here knows a particular model.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "cat/ast.hpp"
#include "cat/value.hpp"

namespace paddock::cat {

class Model;

// Join is bitwise or: Const | Up = Up, Up | Down = Any.
enum class Pol : uint8_t { Const = 0, Up = 1, Down = 2, Any = 3 };
inline Pol join(Pol a, Pol b) { return Pol(uint8_t(a) | uint8_t(b)); }
inline Pol flip(Pol p) { return p == Pol::Up ? Pol::Down : p == Pol::Down ? Pol::Up : p; }

// What the analysis may ask of the evaluation in progress (values of constant, closed expressions).
class PolHooks {
 public:
  // Current value of a top-level variable (global slot or candidate name); nullopt if unavailable.
  virtual std::optional<Value> var_value(const Expr& var) = 0;
  // Whether the value of a closed constant expression is empty now; nullopt if it cannot be evaluated.
  virtual std::optional<bool> closed_empty(const Expr& e) = 0;

 protected:
  ~PolHooks() = default;
};

class Monotonicity {
 public:
  // Globals not bound through bind() are constant, except `var_slot` (increasing; -1: none). Free names (the
  // candidate's relations and sets) have the polarities `free` gives by index (constant when empty).
  Monotonicity(const Model& m, int var_slot, PolHooks& hooks, std::vector<Pol> free = {});
  Pol expr(const Expr& e);  // a top-level expression
  // After expr(): how the event sets and the orders given to generate_orders in it vary (each joined over its
  // calls), or nullopt if it calls none. A fork over such orders has fewer alternatives as the order grows, when
  // its events are fixed.
  struct OrdersArgs {
    Pol events = Pol::Const, order = Pol::Const;
  };
  std::optional<OrdersArgs> orders_args() const { return orders_args_; }
  // Records a top-level binding (rhs: its defining expression, for the `a \ (a & b)` rule; may be null).
  void bind(int slot, Pol p, const Expr* rhs);
  Pol global(int slot) const { return globals_[size_t(slot)]; }
  // Takes the bindings (and free names' polarities) another analysis recorded, the variable's slot excepted.
  void inherit(const Monotonicity& o, int var_slot) {
    globals_ = o.globals_, defs_ = o.defs_, free_ = o.free_;
    if (var_slot >= 0) globals_[size_t(var_slot)] = Pol::Up, defs_[size_t(var_slot)] = nullptr;
  }

 private:
  struct R {
    Pol p = Pol::Const;
    bool empty = false;  // constant and known to be empty now
  };
  R ex(const Expr& e);
  R var(const Expr& e);
  R app(const Expr& e);
  R binary(const Expr& e);
  bool known_empty(const Expr& e, const R& r);

  const Model& m_;
  PolHooks& hooks_;
  std::vector<Pol> globals_;
  std::vector<const Expr*> defs_;
  std::vector<std::vector<R>> frames_;  // local frames, innermost last
  std::vector<const Expr*> active_;     // function bodies being analysed (recursion guard)
  std::vector<Pol> free_;
  std::optional<OrdersArgs> orders_args_;
};

// Global slots read by each top-level statement (its expressions, functions defined in it included), and the
// statement that binds each global slot (-1: none).
struct StmtReads {
  std::vector<std::vector<int>> reads;
  std::vector<int> def;
};
StmtReads statement_reads(const Model& m);

}  // namespace paddock::cat
