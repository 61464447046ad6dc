// The explorer's partial-order reductions: in a state, the actor whose enabled steps alone need exploring.
#pragma once
#include <cstdint>
#include <memory>

#include "perf/explorer.hpp"

namespace paddock::perf {

class Reducer {
 public:
  virtual ~Reducer() = default;
  // The actor whose enabled steps form a persistent set in s (the others are not explored from s), or -1.
  // en_mask: the actors with an enabled step; called only when more than one step is enabled.
  virtual int pick(const State& s, uint8_t en_mask) = 0;
};

// Reduction::none gives a reducer that never picks.
std::unique_ptr<Reducer> make_reducer(const Model& m, Reduction r);

}  // namespace paddock::perf
