// Operational vs axiomatic cross-check: the store-buffer model's verdict against paddock's LKMM on the sliced tests.
#pragma once
#include <string>
#include <vector>

#include "perf/scenarios.hpp"
#include "perf/slicer.hpp"

namespace paddock::perf {

// The tests sliced from one run of a variant: its counterexamples of the window's property (result Sometimes), or,
// when the property holds, the counterexamples of the same code with barriers recorded but not enforced
// (FENCES=off, store buffers on), or, for a window whose argument is a lock, with that lock excluding nobody
// (LOCKS=off, sc, tasks pinned): the critical windows, whose result must be Never.
struct SlicedRun {
  std::string skip;            // non-empty: not checked, and why
  bool failed = false;         // the operational model found the property violated
  std::vector<Slice> slices;   // plain and with lock operations, per trace
  int traces = 0;              // traces sliced
  std::vector<std::string> problems;  // traces that could not be sliced
  std::vector<bool> trace_ok;         // per trace handed to the slicer: some slice of it was produced
  std::vector<std::string> notes;     // critical-window candidates that were not the window's (not a disagreement)
};
SlicedRun slice_run(const ScenarioSpec& s, const VariantSpec& v, const Window& w, const std::string& name = "",
                    const std::map<std::string, std::string>& rename = {}, const std::string& fragment = "");

// The windows of `s` that apply to variant v's configuration (Window::applies).
std::vector<const Window*> windows_for(const ScenarioSpec& s, const VariantSpec& v);

// "Never", "Sometimes" or "Always" from paddock's LKMM (the bundled linux-kernel.cfg); throws on a bad test.
std::string lkmm_observation(const std::string& text, const std::string& file);

// Runs the cross-check of every variant of `scenario`; prints the table and the closing note; 0 all agree,
// 1 a disagreement, 2 no window / bad scenario.
// SCENARIO "all": every scenario with a critical window.
int cross_check(const std::string& scenario, std::string& out);

}  // namespace paddock::perf
