// -explain: for an execution the model forbids, which check forbids it and the cycle (acyclic), the reflexive
// event (irreflexive) or the pairs (empty) that violate it, each edge with the model's names that contain it.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cat/model.hpp"
#include "exec/engine.hpp"
#include "graph/snapshot.hpp"

namespace paddock::graph {

struct Explanation {
  std::string check;  // the check's name (`as` name, or acyclic@FILE:LINE:COL)
  std::string test;   // acyclic, irreflexive, empty (negated: prefixed with ~)
  std::string pos;    // where the check is
  // The violation: a cycle e0 -> e1 -> ... -> e0 for acyclic/irreflexive (one event for a reflexive pair), or
  // the pairs of a non-empty relation for empty (at most 8).
  std::vector<std::pair<size_t, size_t>> edges;
  bool cycle = false;
  std::vector<std::vector<std::string>> names;  // per edge: top-level names of the model holding it, bell/cat order
};

// Explains the failed check of a forbidden execution; nullopt when it is allowed or the check's relation cannot
// be recomputed (a check inside a procedure body whose frame is gone).
std::optional<Explanation> explain(const exec::Execution& x, const cat::Model& model);

// Marks the explanation's edges in the picture (added, labelled with the check's name).
void highlight(Snapshot& s, const Explanation& e);

// Text: one line for the check, one per edge (`a: W[once]x=1 -> d: R[once]x=0  in fr, fre, com, ...`).
std::string explain_text(const Snapshot& s, const Explanation& e);

}  // namespace paddock::graph
