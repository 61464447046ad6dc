// The symbolic cat evaluator: runs a resolved cat::Model once over one event structure whose
// execution-dependent parts (rf, loc with computed addresses, final writes, values) are Terms.
// Program-only relations fold to constant bit-matrices; the rest become Z3 Booleans over may-pairs.
// `with x from S` becomes a symbolic choice, `let rec` an exact least fixpoint (Kleene iteration when
// it converges on constants, else fresh variables with well-founded ranks), checks become constraints.
#pragma once
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "cat/model.hpp"
#include "smt/symrel.hpp"

namespace paddock::smt {

// A cat construct the symbolic evaluator does not handle (never caught by the cat's `try`).
class Unsupported : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SymBase {
  size_t n = 0;
  std::map<std::string, SSet> sets;  // R W F IW FW RMW LKR ... and one per annotation tag
  std::map<std::string, SRel> rels;  // po rf loc int ext rmw addr data ctrl iico_data iico_ctrl
  // Term: events i and j carry the same value (for different-values / same-values).
  std::function<T(size_t, size_t)> same_value;
};

struct SymOutcome {
  std::vector<z3::expr> defs;                       // definitions (choices, orders, fixpoints): always asserted
  std::vector<std::pair<std::string, T>> checks;    // consistency: every check must hold
  std::vector<std::pair<std::string, T>> flags;     // flag name, condition under which it is raised
};

// Throws Unsupported, or cat::Error for errors the concrete evaluator would also report.
SymOutcome evaluate_symbolic(const cat::Model& model, const SymBase& base, Terms& terms);

}  // namespace paddock::smt
