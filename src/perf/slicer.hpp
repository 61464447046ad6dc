// Slicing a trace into a C litmus test (docs/perf-model.md, "Litmus tests from the model").
// A critical window names the locations that carry an ordering argument and, per role (an actor, or the migrating
// CPU), where its part of the window starts and ends; the slicer replays a trace with the memory log on, cuts each
// role's accesses to that window, and prints them in program order with their primitives and an `exists` clause
// giving the values the trace observed.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "perf/explorer.hpp"
#include "perf/memlog.hpp"

namespace paddock::perf {

struct Sel {
  AccK k;
  int loc;
  std::string label = "";  // the access's step label contains this, e.g. "N7." (empty: any step)
};
struct Role {
  std::string proc;                            // actor name prefix ("sched(") or "migrate(T0)"
  std::vector<std::pair<Sel, Sel>> windows;    // alternative (first, last) accesses; the last match in the trace wins
  bool last_end = false;  // the window ends at the last matching access after its start (else the first)
  bool optional = false;  // a trace may lack this role (e.g. no IPI was sent): the test has one process less
};
struct Window {
  std::string scenario;
  std::string name;        // the argument, e.g. "install vs migration"
  Prop prop;               // the property whose failure the window explains
  std::vector<int> locs;   // sliced locations
  std::vector<Role> roles;
  // IPI handlers are sliced as their own processes (ipi(cpuN)), the IPI as message passing on csd[N]; otherwise a
  // handler's accesses stay in its caller's process, as the model runs it.
  bool split_ipi = false;
  // The argument is the mutual exclusion of these locks (by name): a fixed variant's critical windows are searched
  // with them excluding nobody (LOCKS=off), and only the slice with lock operations stands for the window.
  // Non-empty also restricts the -locks slices to them.
  std::vector<std::string> locks = {};
  // The configurations the window is about (empty: every one), e.g. which CPU is the incoming one.
  std::function<bool(const Flags&)> applies = {};
};
// The declared windows (S1-B: install vs migration vs sched-in, the fallback vs sched-in per CPU; S0-B: DS reserve
// vs the AP, for CPU1 and, with AP=cpu0, CPU0).
const std::vector<Window>& windows();
const Window* find_window(const std::string& scenario);  // the first one
std::vector<const Window*> windows_of(const std::string& scenario);

struct SliceOpts {
  bool locks = false;                     // keep mutex/spinlock operations (as spin_lock/spin_unlock)
  std::string name;                       // test name (default: C-<scenario>-<variant>-<prop>)
  std::map<std::string, std::string> rename;  // model location/lock name -> identifier (default: loc_ident)
  std::string result;                     // the operational verdict: "Never" or "Sometimes"
  std::string origin;                     // how the trace was obtained (header)
  std::string fragment;                   // e.g. "L1" (header)
};

struct Slice {
  bool ok = false;
  std::string why;   // !ok: what was missing
  std::string text;  // the litmus test
  std::string name;  // file name (name + ".litmus")
  int nproc = 0;
  std::vector<std::string> fences;  // labels of the steps whose barriers the test keeps (merged ones included)
  int lock_procs = 0;               // processes that take one of the window's locks (Window::locks)
};

// Replays `tr` on `m` with the memory log on (every access of every step).
std::vector<MemAcc> record_trace(const Model& m, const Trace& tr, std::vector<State>* before = nullptr);
Slice slice(const Model& m, const Trace& tr, const Window& w, const SliceOpts& o);

// Canonical form for "equal up to renaming": the text from the initial-state block on, locations renamed by first
// occurrence (a, b, ... in parameter lists), registers per process by first occurrence, whitespace kept.
std::string canonical_litmus(const std::string& text);
// The part of a test herd hashes (from the initial-state block to the end), verbatim.
std::string litmus_body(const std::string& text);

}  // namespace paddock::perf
