// Properties of spec §4.1 and lockdep findings of §4.2, as failure classes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace paddock::perf {

enum class Prop : uint8_t {
  DEADLOCK,        // G1: waits-for cycle
  STUCK,           // G1: every unfinished actor blocked, no cycle
  LIVELOCK,        // G2
  W_TOMB,          // G3 WARNs
  W_NOCTX,         //    (also B3)
  W_REPROG,
  G4,              // refcount < 0, use after free
  I1,              // task running without its counter
  I2,
  I3,              // event added to a dead ctx
  H1,              // cpuctx online flag disagrees with the CPU at quiescence
  H2,              // events on a perf-offline CPU
  D1,              // DS_AREA names a freed DS
  D2,              // PEBS enabled with a bad DS setup
  D3,
  D4_INFO,         // stale DS_AREA (information only)
  B1,              // breakpoint slot counter < 0
  B2,              // histogram disagrees with ground truth at quiescence
  B4,              // spurious ENOSPC
  M1,              // mem hotplug writer and reader overlap
  A_CPUSHELD,      // lockdep_assert_cpus_held() fails
  LD_CYCLE,        // lockdep: lock-order cycle
  LD_RECURSIVE,    // lockdep: re-acquisition of a held class
  LD_RR,           // lockdep: read re-acquisition of a held percpu_rwsem
  LD_NONOWNER,     // lockdep: release by a non-owner
  LD_ATOMIC,       // lockdep: sleeping lock in atomic context
  COUNT
};

const char* prop_name(Prop p);
inline bool is_info(Prop p) { return p == Prop::D4_INFO; }

struct Violation {
  Prop kind;
  std::string detail;
};

struct Model;
struct State;
// Invariants checked in every state (G4, I2, D1, B1, M1; D4 as information). `seen`: bit per Prop already reported
// (the caller only counts further hits), whose messages are left empty instead of formatted.
void check_state(const Model& m, const State& s, std::vector<Violation>& out, std::vector<Violation>& info,
                 uint32_t seen = 0);
// No actor is inside an operation.
bool quiescent(const Model& m, const State& s);
// Checks at quiescence (H1, H2, D3, B2).
void check_quiescent(const Model& m, const State& s, std::vector<Violation>& out, uint32_t seen = 0);

}  // namespace paddock::perf
