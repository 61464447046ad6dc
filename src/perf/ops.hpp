// Kernel paths as step emitters (spec §2). Each emitter appends the steps of one operation to a builder.
#pragma once
#include <functional>

#include "perf/locks.hpp"
#include "perf/model.hpp"

namespace paddock::perf {

// Return codes kept in r[0].
enum : int8_t { RC_OK = 0, RC_ESRCH = 1, RC_ENXIO = 2, RC_EAGAIN = 3, RC_ENODEV = 4, RC_ENOSPC = 5 };
const char* err_name(int r);

// Footprint helpers.
inline Foot fr(uint64_t r) { return Foot{r, 0}; }
inline Foot frw(uint64_t r, uint64_t w) { return Foot{r | w, w}; }
inline Foot fld(int var) { return fr(mem_bit(var) | bit(R_SB)); }
inline Foot fst(int var) { return frw(bit(R_SB), mem_bit(var) | bit(R_SB)); }
constexpr Foot LOCAL{0, 0};

// A local step that only jumps.
void jump(B& b, int label, const std::string& lbl = "goto");

// --- ops_sched.cpp: scheduler, tasks, IPIs, PMU (de)activation ---
// smp_call_function_single(cpu, f, wait=1): RC_ENXIO (in r[0]) if the CPU is offline; else the handler body runs
// in this actor with act.ipi = cpu and irqs_off[cpu] held. cpu_const < 0: the CPU is in r[3].
// sets_ret: the caller reads the result in r[0]; otherwise errors are ignored and r[0] is left alone.
void ipi_call(B& b, int cpu_const, const std::string& fname, const std::function<void(B&, int exit_label)>& body,
              bool sets_ret = false);
void activate_ctx(State& s, const Ex& e, int k, int c);
void deactivate_ctx(State& s, int k, int c);
void add_event(State& s, const Ex& e, int ev, int k, bool act, int c);
void recompute_pebs(State& s, const Model& m, int c);
bool task_running(const State& s, const Model& m, int t);
void build_sched(Model& m, int a, int cpu);
void build_flush(Model& m, int a);
// Task actor: optionally blocked until actor `wake_after` finishes, then user steps (I1) and an optional exit.
void build_task(Model& m, int a, int t, int wake_after, bool do_exit);

// --- ops_perf.cpp: sys_perf_event_open, install, release, exit, pmu register, init/exit_cpu ---
void op_open(B& b, int ev, bool kernel_counter);
void op_close(B& b, int ev);
void op_exit(B& b, int t);
void op_register(B& b, int pmu);
void perf_init_cpu(B& b, int c);
void perf_exit_cpu(B& b, int c);
void event_init(B& b, int ev, int fail_label);
void event_destroy(B& b, int ev);

// --- ops_hotplug.cpp ---
void op_cpu_up(B& b, int c);
void op_cpu_down(B& b, int c);

// --- ops_x86ds.cpp ---
void reserve_hw(B& b);
void release_hw(B& b);
void add_exclusive(B& b);
void del_exclusive(B& b);

// --- ops_bp.cpp ---
void reserve_bp(B& b, int ev);  // r[0] = RC_ENOSPC on failure
void release_bp(B& b, int ev);

// --- ops_memhp.cpp ---
void op_memhp(B& b);
void op_slab_reader(B& b);

}  // namespace paddock::perf
