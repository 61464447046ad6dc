// Text and JSON reports: verdict, statistics, findings with their traces, lockdep cycles.
#pragma once
#include <string>

#include "perf/explorer.hpp"
#include "perf/scenarios.hpp"

namespace paddock::perf {

// Changed key variables between two states ("online[1]: 0->1, lock pmus_lock: free->A2").
std::string state_diff(const Model& m, const State& a, const State& b);
std::string render_trace(const Model& m, const Trace& t, int loop_at = -1, const std::string& indent = "    ");
std::string render_text(const Model& m, const Result& r, const Expect* e, bool full);
std::string render_json(const Model& m, const Result& r, const Expect* e);
// Does the result match the expectation (pass, or every expected failure class found)?
bool matches(const Result& r, const Expect& e);

}  // namespace paddock::perf
