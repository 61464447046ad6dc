// What the exhaustive engine found for one test: the data herd's report is printed from.
#pragma once
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "events/events.hpp"
#include "litmus/ast.hpp"

namespace paddock::exec {

// Values of the displayed locations, in herd's display order (see Result::displayed).
using State = std::vector<events::Value>;

// herd's order of values in a state line: unknown (thin-air) < integers < addresses by name.
bool value_less(const events::Value& a, const events::Value& b);
struct StateLess {
  bool operator()(const State& a, const State& b) const;
};

struct Result {
  std::vector<litmus::Location> displayed;  // locations clause + condition locations, herd's order
  std::vector<std::string> displayed_types; // the C type each is shown at ("" as computed; Program::type_of)
  std::set<State, StateLess> states;        // distinct final states of the consistent executions
  uint64_t positive = 0;                    // executions whose state satisfies the condition
  uint64_t negative = 0;
  std::set<std::string> flags;              // flags raised by consistent executions
  bool loop = false;                        // some candidate needed more loop unrolling
  std::string loop_at;                      // what herd's warning names for that cut (Path::cut_at)
  uint64_t candidates = 0;                  // herd's -candidates: executions that reached the model (failed + counted)
  double seconds = 0;                       // CPU time
  // Work counters (bench/scaling; PADDOCK_EXEC_STATS=1 prints them): complete candidates (paths, rf, final
  // writes) the model ran on, executions the model judged (each `with` alternative it did not skip), and
  // consistent executions; prefixes of rf the model was asked to refute (cat::refuted_early) and refuted.
  uint64_t model_runs = 0, judged = 0, consistent = 0, early_tries = 0, early_cuts = 0;
  size_t symmetries = 1;  // the order of the symmetry group used (exec/symmetry.hpp)
};

}  // namespace paddock::exec
