// The explicit exhaustive engine: enumerates every candidate execution of a test (one path per
// thread, rf for every read, final write of every observed location), solves the values, applies
// the filter and runs the cat model on each; the model's `with ... from` forks give the executions.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

#include "cat/interpreter.hpp"
#include "events/events.hpp"
#include "events/structure.hpp"
#include "exec/result.hpp"
#include "litmus/ast.hpp"

namespace paddock::exec {

// One execution as the model judged it, for observers (graphs, explanations); valid during the call only.
struct Execution {
  const std::vector<events::StructEvent>& events;  // init writes first, then each thread's events
  const std::vector<int>& locs;                    // location index of each event (-1: fence)
  const std::vector<events::Value>& values;        // value read or written by each event (fences: 0)
  const cat::Candidate& candidate;                 // sets and relations given to the model (FW included)
  const cat::Outcome& outcome;                     // allowed or the failed check; Outcome::inspect for names
  const State& state;                              // values of Result::displayed
  bool positive;                                   // the condition holds
};

struct Options {
  double timeout_seconds = 0;  // 0: none
  // Called for every execution the model counts (each `with` alternative), allowed or not, after the filter.
  std::function<void(const Execution&)> observer;
  // herd's exploration switches (herd.ml's filter options): -skipchecks/-strictskip/-through go to the cat
  // interpreter; with -throughflag F only the executions that raise flag F are counted.
  cat::CheckOptions checks;
  std::optional<std::string> throughflag;
  // Run the model on the executions of paths cut by loop unrolling too, for herd's -candidates count.
  bool count_cut = false;
  // herd's -variant oota: keep the candidates whose value equations herd's solver leaves unsolved
  // (events/equations.hpp), which herd otherwise drops before the model.
  bool oota = false;
  // Enumerate every coherence order even when a check already forbids a prefix (for comparisons; hidden).
  bool no_prune = false;
  // Run the model on one execution per orbit of the test's symmetries (symmetry.hpp) and map the others' states;
  // off (or -noprune) to enumerate every execution, for comparisons.
  bool symmetry = true;
  // When set, counts the candidate executions examined, for a batch's progress line (src/batch/).
  std::atomic<uint64_t>* candidates = nullptr;
  // Threads to split the candidates between (each takes every threads-th subtree of the rf choices); the result
  // is the serial one. Not with an observer, which sees executions in order.
  int threads = 1;
};

// Thrown when a test exceeds its time budget; the message names the test.
class Timeout : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Result run(const litmus::Test& test, const events::Program& program, const cat::Model& model, const Options& opts);

// herd's displayed locations: the locations clause plus every location of the condition, sorted.
std::vector<litmus::Location> displayed_locations(const litmus::Test& test);

}  // namespace paddock::exec
