// Bounds and variant flags of the perf model (spec §1.1). Fixed per run; never hashed.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace paddock::perf {

constexpr int MAXCPU = 3;
constexpr int MAXTASK = 3;
constexpr int MAXPMU = 2;
constexpr int MAXCTX = MAXTASK + MAXPMU * MAXCPU;  // task ctxs first, then cpuctx[p][c]
constexpr int MAXEV = 4;
constexpr int MAXACT = 8;
constexpr int MAXLOCK = 32;  // lock ids double as footprint bits
constexpr int MAXHELD = 6;
constexpr int NSLOT = 2;  // breakpoint slots per type
constexpr int SBD = 2;    // store-buffer depth

enum class V001 : uint8_t { pre, post, post_nomb };
enum class V000 : uint8_t { pre, post, repair };
enum class DsStorage : uint8_t { cea_static, kmalloc };
enum class V002 : uint8_t { pre, rfc_srcu, post };
enum class V003 : uint8_t { pre, mid, post };
enum class CpuhpImpl : uint8_t { percpu_rwsem, homebrew };
enum class V004 : uint8_t { pre, post, post_possible };
enum class Mem : uint8_t { sc, sb_lkmm, sb_x86 };
enum class Lockdep : uint8_t { semantic, faithful };

struct Flags {
  V001 v001 = V001::post;
  V000 v000 = V000::post;
  DsStorage ds = DsStorage::cea_static;
  V002 v002 = V002::post;
  V003 v003 = V003::post;
  CpuhpImpl cpuhp = CpuhpImpl::percpu_rwsem;
  V004 v004 = V004::post;
  Mem mem = Mem::sc;
  Lockdep lockdep = Lockdep::semantic;
  bool online_initcpu = false;
  // The context switch's full barrier (rq->lock + smp_mb__after_spinlock at W1, switch_to before W4). Off only in
  // S1-B post_noswmb: the kernel as it would be without it (fragment L3).
  bool ctxsw_mb = true;
  // V000=repair's smp_mb() between the ds stores and the online test (E3); off only in S0-B repair_nomb (L9).
  bool ds_reserve_mb = true;
  // The context switch stores rq->curr (W2) only after perf's sched-in (W4): the order L6 asks about; only in
  // S1-B post_latecurr (the kernel stores curr first).
  bool curr_late = false;
  // S0-B: the incoming CPU is CPU0 and the reserver runs on CPU1, so reserve_ds_buffers' IPI to the incoming CPU
  // comes before its local (serializing) WRMSR: what separates L8 from L9.
  bool ds_ap_low = false;
  // Barriers are recorded but do not drain the store buffers (all of them, or only those of the steps labelled in
  // fences_off_at): the search for the critical windows of a fixed variant (xcheck.cpp); never a verdict of its own.
  bool fences_off = false;
  std::vector<std::string> fences_off_at;
  // Locks (by name) that are recorded but exclude nobody: the search for the critical windows whose argument is a
  // lock's mutual exclusion (xcheck.cpp); never a verdict of its own.
  std::vector<std::string> locks_off;
  // No migration (the scenario's migration budget goes to one more switch per scheduling CPU): a lock window's
  // search holds the task on its CPU, as the migration is another window's argument (L1's).
  bool pin_tasks = false;  // U6: perf_event_init_cpu again in the ONLINE phase (off by default)
};

// Subsystem toggles: only what a scenario needs gets actors and locks.
struct Subsys {
  bool sched = false, perfcore = false, x86ds = false, bp = false, memhp = false;
};

std::string flags_string(const Flags& f);

}  // namespace paddock::perf
