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
  std::vector<std::string> shows;
  std::unordered_map<std::string, int> top_names;  // last top-level binding of each name -> global slot
};

// Fills slots / VarRefs in m.stmts (defined in resolve.cpp).
void resolve_model(Model& m);

}  // namespace paddock::cat
