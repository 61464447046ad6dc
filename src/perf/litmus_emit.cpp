// The ordering arguments the model relies on, as C litmus tests in the kernel's tools/memory-model style.
// Bodies use one tab per line so that L1 hashes exactly like the test in seed 001 (Hash=e427f41d...).
#include "perf/litmus_emit.hpp"
#include "perf/xcheck.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

namespace paddock::perf {

namespace {

struct Frag {
  const char* id;
  const char* name;
  const char* result;  // Never / Sometimes (kernel convention)
  const char* herd;    // herd7 7.58 on the kernel's LKMM: Observation and States
  const char* seed;
  const char* what;
  const char* mapping;
  const char* model;   // how the executable model relates
  const char* procs;   // the processes, verbatim
  const char* exists;
};

const Frag FRAGS[] = {
    {"L1", "C-peterz", "Never", "herd7 7.58 (LKMM): Observation Never 0 7, States 7",
     "001 (c096ef99fbf21500, perf/core: Fix sys_perf_event_open() vs. hotplug)",
     "install publication vs migration: the ctxp store must reach the CPU the task migrates to",
     " *   x = task->perf_event_ctxp[] (find_get_context's store, O3)\n"
     " *   y = task_cpu(t) (the installer's load, N1/N2; the migration's store)\n"
     " *   z = t placed on CPU2's runqueue (rq->lock hand-off, RCpc: release/acquire)\n"
     " *   P0's smp_mb() = the one added by the seed (N0); P2's smp_mb() = the context switch\n",
     "S1-B post passes; this is the test from the seed's commit message, verbatim",
     "P0(int *x, int *y)\n{\n\tint r1;\n\n\tWRITE_ONCE(*x, 1);\n\tsmp_mb();\n\tr1 = READ_ONCE(*y);\n}\n\n"
     "P1(int *y, int *z)\n{\n\tWRITE_ONCE(*y, 1);\n\tsmp_store_release(z, 1);\n}\n\n"
     "P2(int *x, int *z)\n{\n\tint r1;\n\tint r2;\n\n\tr1 = smp_load_acquire(z);\n\tsmp_mb();\n\tr2 = READ_ONCE(*x);\n}\n",
     "(0:r1=0 /\\ 2:r1=1 /\\ 2:r2=0)"},
    {"L2", "C-peterz-nomb0", "Sometimes", "herd7 7.58 (LKMM): Observation Sometimes 1 7, States 8", "001",
     "L1 without P0's smp_mb() (V001=post_nomb)",
     " *   as C-peterz; P0 has no barrier between the ctxp store and the task_cpu load\n",
     "S1-B post_nomb fails with I1 under MEM=sb_lkmm (the store-buffer model reaches the exists state)",
     "P0(int *x, int *y)\n{\n\tint r1;\n\n\tWRITE_ONCE(*x, 1);\n\tr1 = READ_ONCE(*y);\n}\n\n"
     "P1(int *y, int *z)\n{\n\tWRITE_ONCE(*y, 1);\n\tsmp_store_release(z, 1);\n}\n\n"
     "P2(int *x, int *z)\n{\n\tint r1;\n\tint r2;\n\n\tr1 = smp_load_acquire(z);\n\tsmp_mb();\n\tr2 = READ_ONCE(*x);\n}\n",
     "(0:r1=0 /\\ 2:r1=1 /\\ 2:r2=0)"},
    {"L3", "C-peterz-nomb2", "Sometimes", "herd7 7.58 (LKMM): Observation Sometimes 1 7, States 8", "001",
     "L1 without P2's smp_mb() (the context-switch barrier); x86-TSO would forbid it",
     " *   as C-peterz; P2 reads ctxp right after the rq hand-off, with no full barrier\n",
     "the executable model keeps the switch barrier (W1 and switch_to before W4); dropping it breaks S1-B post",
     "P0(int *x, int *y)\n{\n\tint r1;\n\n\tWRITE_ONCE(*x, 1);\n\tsmp_mb();\n\tr1 = READ_ONCE(*y);\n}\n\n"
     "P1(int *y, int *z)\n{\n\tWRITE_ONCE(*y, 1);\n\tsmp_store_release(z, 1);\n}\n\n"
     "P2(int *x, int *z)\n{\n\tint r1;\n\tint r2;\n\n\tr1 = smp_load_acquire(z);\n\tr2 = READ_ONCE(*x);\n}\n",
     "(0:r1=0 /\\ 2:r1=1 /\\ 2:r2=0)"},
    {"L4", "C-peterz-unlock-lock", "Sometimes", "paddock's LKMM: Observation Sometimes 1 7, States 8 (herd7 7.58 gave the same for the earlier version)", "001",
     "P0's smp_mb() replaced by spin_unlock(a); spin_lock(b) (perf_event_mutex release, ctx->mutex acquire)",
     " *   a = task->perf_event_mutex, b = ctx->mutex, c = ctx->lock (task_curr() is tested under it)\n"
     " *   unlock+lock of different locks orders W->R only on TSO\n"
     " *   Revised: P0's load sits inside ctx->lock, as perf_install_in_context() tests task_curr() (the earlier\n"
     " *   version omitted that critical section; it does not change the verdict)\n",
     "S1-B post_nomb under MEM=sb_lkmm (lock release buffered behind the ctxp store) fails; under sb_x86 it passes",
     "P0(int *x, int *y, spinlock_t *a, spinlock_t *b, spinlock_t *c)\n{\n\tint r1;\n\n\tspin_lock(a);\n"
     "\tWRITE_ONCE(*x, 1);\n\tspin_unlock(a);\n\tspin_lock(b);\n\tspin_lock(c);\n\tr1 = READ_ONCE(*y);\n"
     "\tspin_unlock(c);\n\tspin_unlock(b);\n}\n\n"
     "P1(int *y, int *z)\n{\n\tWRITE_ONCE(*y, 1);\n\tsmp_store_release(z, 1);\n}\n\n"
     "P2(int *x, int *z)\n{\n\tint r1;\n\tint r2;\n\n\tr1 = smp_load_acquire(z);\n\tsmp_mb();\n\tr2 = READ_ONCE(*x);\n}\n",
     "(0:r1=0 /\\ 2:r1=1 /\\ 2:r2=0)"},
    {"L5", "C-perf-ctxlock", "Never", "herd7 7.58 (LKMM): Observation Never 0 3, States 2", "001",
     "install fallback (N5-N7) vs sched-in (W4): ctx->lock serializes them",
     " *   curr = rq->curr == t (task_curr), ev = the event on ctx's list, l = ctx->lock\n"
     " *   P0: the installer's fallback; P1: the context switch publishing curr, then sched-in under ctx->lock\n",
     "S1-B post: N7 never adds an event the following sched-in misses",
     "P0(int *curr, int *ev, spinlock_t *l)\n{\n\tint r0;\n\n\tspin_lock(l);\n\tr0 = READ_ONCE(*curr);\n"
     "\tif (r0 == 0)\n\t\tWRITE_ONCE(*ev, 1);\n\tspin_unlock(l);\n}\n\n"
     "P1(int *curr, int *ev, spinlock_t *l)\n{\n\tint r1;\n\n\tWRITE_ONCE(*curr, 1);\n\tspin_lock(l);\n"
     "\tr1 = READ_ONCE(*ev);\n\tspin_unlock(l);\n}\n",
     "(0:r0=0 /\\ 1:r1=0)"},
    {"L6", "C-perf-ctxlock-late", "Sometimes", "herd7 7.58 (LKMM): Observation Sometimes 1 2, States 3", "001",
     "L5 with the curr store moved after the sched-in critical section",
     " *   as C-perf-ctxlock; rq->curr is published only after sched-in released ctx->lock\n",
     "the model's switch stores curr (W2) before sched-in (W4), as the kernel does",
     "P0(int *curr, int *ev, spinlock_t *l)\n{\n\tint r0;\n\n\tspin_lock(l);\n\tr0 = READ_ONCE(*curr);\n"
     "\tif (r0 == 0)\n\t\tWRITE_ONCE(*ev, 1);\n\tspin_unlock(l);\n}\n\n"
     "P1(int *curr, int *ev, spinlock_t *l)\n{\n\tint r1;\n\n\tspin_lock(l);\n\tr1 = READ_ONCE(*ev);\n"
     "\tspin_unlock(l);\n\tWRITE_ONCE(*curr, 1);\n}\n",
     "(0:r0=0 /\\ 1:r1=0)"},
    {"L7", "C-ds-reserve-vs-starting", "Sometimes", "paddock's LKMM: Observation Sometimes 1 3, States 4 (herd7 7.58 gave the same for the earlier version)",
     "000 (530610e84dee9c6c, perf/x86: Fix perf,x86,cpuhp deadlock)",
     "reserve_ds_buffers (E1 store ds, E4 test online) vs intel_pmu_cpu_starting (U4 load ds, U5 set online)",
     " *   ds = cpu_hw_events.ds of the incoming CPU, online = its cpu_online bit\n"
     " *   P0: the reserver (even with a full barrier); P1: the AP, which reads ds before it is marked online\n"
     " *   Revised: P1 has no barrier. intel_pmu_cpu_starting() finds ds NULL and returns before any WRMSR (the\n"
     " *   earlier version had an smp_mb() there); the outcome is reachable under SC either way: a race\n",
     "S0-B post reaches the exists state in the SC model: D2 (PEBS enabled with DS_AREA unset); a race, not a barrier problem",
     "P0(int *ds, int *online)\n{\n\tint r0;\n\n\tWRITE_ONCE(*ds, 1);\n\tsmp_mb();\n\tr0 = READ_ONCE(*online);\n}\n\n"
     "P1(int *ds, int *online)\n{\n\tint r1;\n\n\tr1 = READ_ONCE(*ds);\n\tWRITE_ONCE(*online, 1);\n}\n",
     "(0:r0=0 /\\ 1:r1=0)"},
    {"L8", "C-ds-sb-mbs", "Never", "herd7 7.58 (LKMM): Observation Never 0 3, States 3", "000",
     "repaired shape (V000=repair): the AP publishes online before it reads ds, full barriers on both sides",
     " *   ds, online as in C-ds-reserve-vs-starting; P1 = the AP after set_cpu_online()\n",
     "S0-B repair passes",
     "P0(int *ds, int *online)\n{\n\tint r0;\n\n\tWRITE_ONCE(*ds, 1);\n\tsmp_mb();\n\tr0 = READ_ONCE(*online);\n}\n\n"
     "P1(int *ds, int *online)\n{\n\tint r1;\n\n\tWRITE_ONCE(*online, 1);\n\tsmp_mb();\n\tr1 = READ_ONCE(*ds);\n}\n",
     "(0:r0=0 /\\ 1:r1=0)"},
    {"L9", "C-ds-sb-wmb", "Sometimes", "herd7 7.58 (LKMM): Observation Sometimes 1 3, States 4", "000",
     "L8 with the reserver's barrier weakened to smp_wmb() (what the IPI path alone gives)",
     " *   ds, online as in C-ds-sb-mbs; smp_wmb() does not order the ds store before the online load\n",
     "the repair needs the explicit smp_mb() between E1 and E4",
     "P0(int *ds, int *online)\n{\n\tint r0;\n\n\tWRITE_ONCE(*ds, 1);\n\tsmp_wmb();\n\tr0 = READ_ONCE(*online);\n}\n\n"
     "P1(int *ds, int *online)\n{\n\tint r1;\n\n\tWRITE_ONCE(*online, 1);\n\tsmp_mb();\n\tr1 = READ_ONCE(*ds);\n}\n",
     "(0:r0=0 /\\ 1:r1=0)"},
    {"L10", "C-pcpu-rwsem-sb", "Never", "herd7 7.58 (LKMM): Observation Never 0 3, States 3", "002, 003 (percpu_rwsem)",
     "percpu_rwsem reader fast path vs writer: justifies modelling the lock as one atomic table entry",
     " *   cnt = the reader's per-CPU count, block = the writer's readers_block flag (rcu_sync fast path)\n",
     "the model's rwsem: a reader enters iff no writer is pending, a writer proceeds iff no reader is inside",
     "P0(int *cnt, int *block)\n{\n\tint r0;\n\n\tWRITE_ONCE(*cnt, 1);\n\tsmp_mb();\n\tr0 = READ_ONCE(*block);\n}\n\n"
     "P1(int *cnt, int *block)\n{\n\tint r1;\n\n\tWRITE_ONCE(*block, 1);\n\tsmp_mb();\n\tr1 = READ_ONCE(*cnt);\n}\n",
     "(0:r0=0 /\\ 1:r1=0)"},
};

}  // namespace

std::vector<LitmusFile> litmus_tests() {
  std::vector<LitmusFile> out;
  for (const Frag& f : FRAGS) {
    std::string t = fmt::format("C {}\n\n(*\n * Result: {}\n *\n", f.name, f.result);
    t += fmt::format(" * paddock perf fragment {}, seed {}.\n", f.id, f.seed);
    t += fmt::format(" * {}.\n", f.what);
    t += fmt::format(" * {}.\n *\n * Variables:\n{}", f.herd, f.mapping);
    t += fmt::format(" *\n * Executable model: {}.\n", f.model);
    t += " * Generated by `paddock perf --emit-litmus`; do not edit.\n *)\n\n{\n}\n\n";
    t += f.procs;
    t += fmt::format("\nexists {}\n", f.exists);
    out.push_back({std::string(f.name) + ".litmus", t});
  }
  return out;
}

const std::vector<FragmentSource>& fragment_sources() {
  static const std::map<std::string, std::string> peterz = {
      {"ctxp[T0]", "x"}, {"task_cpu[T0]", "y"}, {"onrq[T0]", "z"}, {"T0.perf_event_mutex", "a"}, {"ctx(T0).mutex", "b"}, {"ctx(T0).lock", "c"}};
  static const std::map<std::string, std::string> ds = {{"ds[1]", "ds"}, {"online[1]", "online"}};
  static const std::map<std::string, std::string> ds0 = {{"ds[0]", "ds"}, {"online[0]", "online"}};
  static const std::map<std::string, std::string> ctxlock = {
      {"curr[1]", "curr"}, {"curr[2]", "curr"}, {"events[T0]", "ev"}, {"ctx(T0).lock", "l"}};
  static const char *mig = "install vs migration vs sched-in", *fb = "install fallback vs sched-in on CPU";
  static const std::vector<FragmentSource> v = {
      {"L1", "C-peterz", "S1-B", "post", false, peterz, mig},
      {"L2", "C-peterz-nomb0", "S1-B", "post_nomb", false, peterz, mig},
      {"L4", "C-peterz-unlock-lock", "S1-B", "post_nomb", true, peterz, mig},
      {"L5", "C-perf-ctxlock", "S1-B", "post", true, ctxlock, fb},
      {"L6", "C-perf-ctxlock-late", "S1-B", "post_latecurr", true, ctxlock, fb},
      {"L7", "C-ds-reserve-vs-starting", "S0-B", "post", false, ds, "DS reserve vs the AP"},
      {"L8", "C-ds-sb-mbs", "S0-B", "repair-ap0", false, ds0, "DS reserve vs the AP, CPU0"},
      {"L9", "C-ds-sb-wmb", "S0-B", "repair_nomb-ap0", false, ds0, "DS reserve vs the AP, CPU0"},
  };
  // Not reproduced, see docs/perf-model.md: L3 (a FIFO store buffer keeps loads in order, so no trace of the model
  // has its outcome), L10 (the model's percpu_rwsem has no memory steps).
  return v;
}

std::vector<LitmusFile> emitted_litmus_tests() {
  std::vector<LitmusFile> out = litmus_tests();
  for (const FragmentSource& f : fragment_sources()) {
    const ScenarioSpec* s = find_scenario(f.scenario);
    const VariantSpec* v = s ? find_variant(*s, f.variant) : nullptr;
    // f.window names the windows that may produce it (a prefix: per-CPU windows); the first that does wins.
    const Slice* pick = nullptr;
    std::vector<SlicedRun> runs;
    runs.reserve(windows().size());
    for (const Window* w : windows_of(f.scenario)) {
      if (w->name.rfind(f.window, 0) != 0 || pick || !v) continue;
      runs.push_back(slice_run(*s, *v, *w, f.name, f.rename, f.id));
      for (const Slice& sl : runs.back().slices)
        if (!pick && sl.name == f.name + (f.locks ? "-locks" : "")) pick = &sl;
    }
    if (!v || runs.empty()) throw std::logic_error("perf litmus: bad fragment source " + f.id);
    if (!pick) throw std::runtime_error("perf litmus: " + f.id + " not sliced from " + f.scenario + " " + f.variant);
    for (LitmusFile& lf : out)
      if (lf.name == f.name + ".litmus") lf.text = pick->text;
  }
  return out;
}

int write_litmus(const std::string& dir, const std::vector<LitmusFile>& files) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::runtime_error("cannot create " + dir + ": " + ec.message());
  int n = 0;
  for (const auto& f : files) {
    std::ofstream o(fs::path(dir) / f.name, std::ios::binary);
    if (!o) throw std::runtime_error("cannot write " + (fs::path(dir) / f.name).string());
    o << f.text;
    ++n;
  }
  return n;
}

int emit_litmus(const std::string& dir) { return write_litmus(dir, emitted_litmus_tests()); }

}  // namespace paddock::perf
