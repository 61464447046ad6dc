// Findings and the traces that witness them (paths from the initial state, rebuilt from the DFS stack).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "perf/props.hpp"

namespace paddock::perf {

struct TraceStep {
  uint8_t actor;
  uint16_t step;  // global step id
};
using Trace = std::vector<TraceStep>;

struct Finding {
  Prop kind;
  std::string detail;
  Trace trace;
  int loop_at = -1;    // livelock: index in `trace` where the repeating cycle starts
  uint64_t count = 1;  // how many times it was hit during exploration
  uint64_t key = 0;    // distinguishes findings of one kind (e.g. the actors of a deadlock cycle)
};

}  // namespace paddock::perf
