// The Z3 engine. For each combination of thread paths (an event structure) it encodes, in one formula:
// rf as Booleans over may-pairs, values as bit-vectors with the rf equations (undetermined thin-air
// values as in the explicit engine), guards and computed addresses as constraints, the final writes of
// the observed locations, and the cat model evaluated symbolically (smt/sym_eval.hpp). Then it asks Z3.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "cat/model.hpp"
#include "events/events.hpp"
#include "exec/result.hpp"
#include "litmus/ast.hpp"

namespace paddock::smt {

enum class Speedcheck { True, Fast };

struct Options {
  Speedcheck mode = Speedcheck::True;
  double timeout_seconds = 0;  // 0: none
};

class Timeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// herd's -speedcheck: is there a consistent execution (that passes the filter) whose final state
// satisfies the proposition (exists, ~exists) or falsifies it (forall)? The Result holds at most one
// state, the witness, counted once (positive for exists/~exists, negative for forall), plus the flags:
// with `True`, every flag some such execution raises (one more SAT call per flag); with `Fast`, the
// flags of the witness. Throws Unsupported (smt/sym_eval.hpp) for cat constructs it cannot encode.
exec::Result speedcheck(const litmus::Test& test, const events::Program& program, const cat::Model& model,
                        const Options& opts);

// What the cross-check uses: whether some consistent execution passing the filter satisfies
// `goal_holds ? proposition : ~proposition` (no condition: the proposition is true).
bool exists_execution(const litmus::Test& test, const events::Program& program, const cat::Model& model,
                      bool goal_holds, double timeout_seconds = 0);

}  // namespace paddock::smt
