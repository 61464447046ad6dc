// Options::validate: checks, state by state and transition by transition, every independence claim the reductions
// rest on (commuting steps, gates, lock ownership, declared quiescence changes). Problems go to Result::validation.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "perf/explorer.hpp"

namespace paddock::perf {

class Validator {
 public:
  virtual ~Validator() = default;
  virtual void state(const State& s) = 0;
  virtual void transition(const State& pre, const State& post, int a, const Step& st) = 0;
};

// Problems are appended to `out` (at most 50, each once).
std::unique_ptr<Validator> make_validator(const Model& m, std::vector<std::string>& out);

}  // namespace paddock::perf
