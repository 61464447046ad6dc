// Memory steps as data: what a step did to the modelled shared memory, recorded while a trace is replayed.
// The slicer (slicer.cpp) turns these records into litmus tests; exploration itself never records (g_memlog null).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "perf/model.hpp"

namespace paddock::perf {

// The kernel primitive an access or barrier stands for.
enum class Prim : uint8_t {
  read_once, write_once, load_acquire, store_release,
  smp_mb,       // an explicit smp_mb()
  ctxsw_mb,     // the context switch's full barrier (rq lock + smp_mb__after_spinlock, switch_to)
  ipi_mb,       // the IPI send after the online test (llist_add, a value-returning cmpxchg): a full barrier
  atomic_mb,    // a value-returning atomic (atomic_inc_not_zero)
  wrmsr,        // WRMSR is serializing: it drains the store buffer; the MSR itself is not memory
  csd_wmb,      // csd_lock()'s smp_wmb() before the IPI path's online test: orders stores only (FIFO buffers do)
  lock_acquire, lock_release,  // mutex/spinlock (emitted as spin_lock/spin_unlock)
};
enum class AccK : uint8_t { R, W, F, LOCK, UNLOCK };

// Locations beyond the MemVar groups: the runqueue hand-off of task t (rq->lock release by the migrating CPU,
// acquire by the CPU that switches the task in).
constexpr int LOC_ONRQ = NMEM;  // + task
// The call-single queue of CPU c: the IPI sender's llist_add, the handler's llist_del_all (message passing).
constexpr int LOC_CSD = LOC_ONRQ + MAXTASK;  // + cpu
// The event list of context k (ctx->event_list, written and read under ctx->lock); its value is the event mask.
constexpr int LOC_EVL = LOC_CSD + MAXCPU;  // + ctx
constexpr int NLOC = LOC_EVL + MAXCTX;
// Processes beyond the actors: the CPU that migrates task t (the model folds it into the destination's scheduler).
constexpr int PROC_MIGRATE = 64;  // + task
// The IPI handler running on CPU c, when a window slices it as its own process (Window::split_ipi).
constexpr int PROC_IPI = 96;  // + cpu

struct MemAcc {
  int tidx = -1;    // index of the step in the trace
  int proc = -1;    // actor id, or PROC_MIGRATE + t
  int cpu = -1;
  AccK k = AccK::F;
  Prim prim = Prim::smp_mb;
  int loc = -1;     // location (MemVar, LOC_ONRQ + t) or lock id
  int val = 0;      // value read or written (model encoding)
  int ipi = -1;     // the CPU whose IPI handler made the access (the model runs it in its caller), or -1
  bool ctrl = false;  // a load the step branched on: the actor's later accesses happen on this value only
  std::string label;
};

struct MemLog {
  std::vector<MemAcc> acc;
  int tidx = 0;
  std::string label;
  int onrq[MAXTASK] = {};  // migrations of each task so far (the value of its rq hand-off)
  int csd[MAXCPU] = {};    // IPIs queued to each CPU so far
  int in_ipi[MAXACT] = {-1, -1, -1, -1, -1, -1, -1, -1};  // per actor: the CPU whose handler it runs, or -1
};
extern thread_local MemLog* g_memlog;

void log_acc(const Ex& e, int cpu, AccK k, Prim p, int loc, int val, int proc = -1);
// The access just logged is a load the step branches on (its value decides the actor's path).
inline void ctrl_dep() {
  if (g_memlog && !g_memlog->acc.empty()) g_memlog->acc.back().ctrl = true;
}
// An access to context k's event list (its value after a store, or as read).
void log_events(const State& s, const Ex& e, int k, AccK kind);
// A barrier: records it, and drains the CPU's store buffer unless the model runs with fences off.
void fence(State& s, const Ex& e, int cpu, Prim p);
inline void fence(State& s, const Ex& e, Prim p) { fence(s, e, cpu_of(s, *e.m, e.a), p); }

// A write of a per-CPU MSR (DS_AREA): serializing in sb modes, then the register is written directly.
void wrmsr(State& s, const Ex& e, int var, int8_t v);

std::string loc_name(const Model& m, int loc);   // "ctxp[T0]", "task_cpu[T0]", "onrq[T0]"
std::string loc_ident(const Model& m, int loc);  // the same as a C identifier: ctxp_T0
std::string proc_name(const Model& m, int proc);
const char* prim_name(Prim p);

}  // namespace paddock::perf
