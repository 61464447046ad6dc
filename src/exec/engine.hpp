// The explicit exhaustive engine: enumerates every candidate execution of a test (one path per
// thread, rf for every read, final write of every observed location), solves the values, applies
// the filter and runs the cat model on each; the model's `with ... from` forks give the executions.
#pragma once
#include <stdexcept>
#include <string>

#include "cat/interpreter.hpp"
#include "events/events.hpp"
#include "exec/result.hpp"
#include "litmus/ast.hpp"

namespace paddock::exec {

struct Options {
  double timeout_seconds = 0;  // 0: none
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
