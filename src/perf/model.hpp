// A configured model: locks, events, actors with their programs, the initial state, the enabled checks.
#pragma once
#include <string>
#include <vector>

#include "perf/config.hpp"
#include "perf/program.hpp"
#include "perf/state.hpp"

namespace paddock::perf {

enum class LK : uint8_t { mutex, spin, rwsem, homebrew };

struct LockInfo {
  std::string name;  // instance, e.g. "cpuctx[A][1].mutex"
  LK kind;
  int cls;           // lockdep class id
  int inner = -1;    // homebrew: the inner mutex
};

enum class EK : uint8_t { HW, HW_PEBS, HW_LBR_EXCL, SW, TRACEPOINT, BP };

struct EventDef {
  std::string name;
  EK kind = EK::SW;
  int cpu = -1;       // -1: follows the task
  int task = -1;      // target task or -1 (CPU event)
  int pmu = 0;
  int ctx = -1;       // its context id
  bool child = false; // inherited: freed at the task's exit
  int weight = 1;     // breakpoints
  int leader_ctx = -1;  // group leader living in another ctx (perf_try_init_event locks it, subclass 1)
  bool move_group = false;  // sys_perf_event_open locks both ctx mutexes (mutex_lock_double)
};

enum class AK : uint8_t { syscall, task, sched, flush };

struct Actor {
  std::string name;  // e.g. "A1:create_kernel_counter"
  AK kind = AK::syscall;
  int cpu = 0;       // home CPU (syscalls); task actors follow task_cpu
  int task = -1;
  bool required = true;  // must finish (a terminal state with it unfinished is a deadlock)
  Prog prog;
};

struct Checks {
  bool i1 = false, i2 = false, h1 = false, h2 = false, ds = false, bp = false, m1 = false;
};

struct Model {
  std::string scenario, variant;
  Flags f;
  Subsys sub;
  int ncpu = 2, ntask = 0, npmu = 1;

  std::vector<LockInfo> locks;
  std::vector<std::string> classes;
  std::vector<EventDef> ev;
  std::vector<Actor> actors;
  std::vector<const Step*> steps;  // by global id
  State init{};
  Checks chk;
  int task_actor[MAXTASK] = {-1, -1, -1};  // actor running task t's own kernel paths

  // Well-known locks (-1 if absent).
  int L_cpus = -1, L_cpus_in = -1, L_pmus = -1, L_pmc = -1, L_event = -1, L_nrbp = -1;
  int L_mem = -1, L_mem_in = -1, L_memarl = -1;
  int L_pem[MAXTASK] = {-1, -1, -1};
  int L_cmx[MAXCTX], L_clk[MAXCTX], L_rq[MAXCPU];
  uint64_t locks_off = 0;  // bit L: Flags::locks_off names lock L (it excludes nobody)

  Model();
  int add_lock(const std::string& name, LK kind, const std::string& cls, int inner = -1);
  int cls_id(const std::string& cls);
  void finish();  // number steps, complete footprints, compute futures
  uint64_t inv_bits() const;   // resources read by the invariants checked in every state
  uint64_t qinv_bits() const;  // resources read by the checks at quiescence (0: none run)

 private:
  void finish_footprints();

 public:

  bool sb() const { return f.mem != Mem::sc; }
  static int cpuctx(int pmu, int cpu) { return MAXTASK + pmu * MAXCPU + cpu; }
  std::string ctx_name(int k) const;
  std::string actor_name(int a) const { return actors[a].name; }
};

// CPU an actor currently executes on (IPI handler CPU, the task's CPU, or its home CPU).
int cpu_of(const State& s, const Model& m, int a);
// Memory access through the store buffer of `cpu` (spec §1.8).
int8_t ld(const State& s, const Model& m, int cpu, int var);
void st(State& s, const Model& m, int cpu, int var, int8_t v);
void drain(State& s, int cpu);
void flush_one(State& s, int cpu);
// The task current on `cpu` holds a spinlock: no preemption, no interrupt (spin_lock_irq) until it drops it.
bool cpu_atomic(const State& s, const Model& m, int cpu);
// Own-view helpers for an actor. While a trace is replayed for slicing (memlog.hpp) they record the access.
struct MemLog;
extern thread_local MemLog* g_memlog;
void log_mem(const Ex& e, int cpu, bool store, int var, int val);
inline int8_t ld(const State& s, const Ex& e, int var) {
  int cpu = cpu_of(s, *e.m, e.a);
  int8_t v = ld(s, *e.m, cpu, var);
  if (g_memlog) log_mem(e, cpu, false, var, v);
  return v;
}
inline void st(State& s, const Ex& e, int var, int8_t v) {
  int cpu = cpu_of(s, *e.m, e.a);
  if (g_memlog) log_mem(e, cpu, true, var, v);
  st(s, *e.m, cpu, var, v);
}

}  // namespace paddock::perf
