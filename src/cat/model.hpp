// A loaded model: stdlib + bell + cat flattened into one statement list (includes expanded, top-level
// variant conditionals decided), with every variable resolved to a global slot, a local frame slot, or a
// free name looked up in the candidate / builtins at evaluation time.
#pragma once

#include <set>
#include <unordered_map>
#include <string>
#include <vector>

#include "cat/ast.hpp"

namespace paddock::cat {

class Model {
 public:
  std::string title;
  std::vector<StmtP> stmts;              // flattened, resolved
  int num_globals = 0;
  std::vector<std::string> free_names;   // indexed by VarRef::index for VarRef::Free
  std::set<std::string> variants;
  std::set<std::string> tested_variants;  // every variant an `if "v"` of a loaded file tests (taken or not)
  std::vector<std::string> shows;
  std::unordered_map<std::string, int> top_names;  // last top-level binding of each name -> global slot

  // What the results of the top-level statements depend on: the candidate's data and the global slots they read
  // (filled by analyse_inputs, cat/inputs.cpp). The evaluator reuses the result of a top-level let, enum or check
  // from one candidate to the next while the inputs and slots it depends on are unchanged (cat/eval.cpp).
  struct Input {
    enum Kind { Free, SetName, Values, Loc } kind = Free;
    int index = 0;     // Free: index into free_names
    std::string name;  // SetName: the candidate set an enum reads
  };
  struct StmtInputs {
    bool cacheable = false;   // a top-level let, let rec, enum, check or with (its set) that reads no procedure
    std::vector<int> inputs;  // indices into `inputs`
    std::vector<int> slots;   // global slots read (versioned by value at run time: cat/eval_cache.hpp)
  };
  std::vector<Input> inputs;
  std::vector<StmtInputs> stmt_inputs;  // parallel to stmts (empty: no reuse)
  uint64_t id = 0;                      // distinct for every analysed model of the process
};

// Fills slots / VarRefs in m.stmts (defined in resolve.cpp); refuses free names that are neither engine
// names nor in `engine_names`.
void resolve_model(Model& m, const std::vector<std::string>& engine_names = {});
// Fills inputs / stmt_inputs / id of a resolved model (defined in inputs.cpp).
void analyse_inputs(Model& m);

}  // namespace paddock::cat
