#include "perf/scenarios.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "perf/world.hpp"

namespace paddock::perf {

namespace {

const int A = 0, Bp = 1;  // PMU ids

Expect pass(std::string note = "") { return Expect{true, {}, std::move(note)}; }
Expect fail(std::vector<Prop> k, std::string note = "") { return Expect{false, std::move(k), std::move(note)}; }

// DS buffers already reserved for every possible CPU, CPU0 programmed (an HW event exists).
void ds_reserved(Model& m) {
  State& s = m.init;
  for (int c = 0; c < m.ncpu; ++c) {
    s.mem[V_DS + c] = int8_t(ds_obj(c, 0));
    s.pebs_buf |= uint8_t(1u << c);
    s.ds_alive |= uint8_t(1u << (ds_obj(c, 0) - 1));
    if (m.f.ds == DsStorage::kmalloc) s.ds_gen[c] = 1;
    if (s.mem[V_ONLINE + c]) s.mem[V_DSAREA + c] = int8_t(ds_obj(c, 0));
  }
  s.pebs_active = 1;
}

// Seed 000: the 5-lock cycle (pre) through pmc_reserve_mutex -> cpu_hotplug_lock -> pmus_lock -> ctx->mutex.
void build_s0a(Model& m) {
  m.ncpu = 2, m.npmu = 2;
  m.sub.perfcore = m.sub.x86ds = true;
  m.f.v002 = V002::post;
  int kc = add_event(m, {"kc", EK::HW, 0, -1, A});
  int sw = add_event(m, {"grp", EK::SW, 1, -1, A, -1, false, 1, Model::cpuctx(Bp, 1), true});
  int lbr = add_event(m, {"lbr", EK::HW_LBR_EXCL, 1, -1, A, -1, false, 1, Model::cpuctx(Bp, 1), true});
  int old = add_event(m, {"old", EK::HW, 0, -1, A});
  add_locks(m);
  State& s = m.init;
  s.published = 3;
  cpu_init(m, 0, true);
  cpu_init(m, 1, false);
  ds_reserved(m);
  s.pmc_ref = 1;
  int k = Model::cpuctx(A, 0);
  s.cev[k] = uint8_t(1u << old);
  s.est[old] = E_ACT + 0;
  s.cact[k] = 1;
  s.cref[k] = 1;
  m.chk.ds = true;
  int a1 = add_actor(m, "A1:create_kernel_counter(HW,cpu0)", AK::syscall, 0);
  int a2 = add_actor(m, "A2:cpu_up(1)", AK::syscall, 0);
  int a3 = add_actor(m, "A3:open(cpu1,move_group)", AK::syscall, 0);
  int a4 = add_actor(m, "A4:open(LBR_EXCL,cpu1)", AK::syscall, 0);
  int a5 = add_actor(m, "A5:close(HW event)", AK::syscall, 0);
  { B b = builder(m, a1); op_open(b, kc, true); }
  { B b = builder(m, a2); op_cpu_up(b, 1); }
  { B b = builder(m, a3); op_open(b, sw, false); }
  { B b = builder(m, a4); op_open(b, lbr, false); }
  { B b = builder(m, a5); op_close(b, old); }
}

// S0-B (EXTRA): PEBS reservation racing CPU_UP's STARTING without the cpus lock.
void build_s0b(Model& m) {
  m.ncpu = 2, m.ntask = 1;
  m.sub.perfcore = m.sub.x86ds = m.sub.sched = true;
  m.f.v002 = V002::post;
  // The reserver's CPU and the incoming one (AP=cpu0: numbered before the reserver's, see Flags::ds_ap_low).
  const int home = m.f.ds_ap_low ? 1 : 0, ap = 1 - home;
  int ev = add_event(m, {"pebs", EK::HW_PEBS, -1, 0, A});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  cpu_init(m, home, true);
  cpu_init(m, ap, false);
  task_init(m, 0, home, T_RUNNABLE);
  s.swb[home] = 2, s.swb[ap] = 1, s.migb = 1;
  m.chk.ds = m.chk.i1 = m.chk.i2 = true;
  int a1 = add_actor(m, "A1:open(HW_PEBS,T0)", AK::syscall, home);
  int a2 = add_actor(m, fmt::format("A2:cpu_up({})", ap), AK::syscall, home);
  int s0 = add_actor(m, "sched(cpu0)", AK::sched, 0, -1, false);
  int s1 = add_actor(m, "sched(cpu1)", AK::sched, 1, -1, false);
  int t0 = add_actor(m, "T0", AK::task, home, 0, false);
  { B b = builder(m, a1); op_open(b, ev, false); }
  { B b = builder(m, a2); op_cpu_up(b, ap); }
  build_sched(m, s0, 0);
  build_sched(m, s1, 1);
  build_task(m, t0, 0, -1, false);
  // Only the critical-window search (FENCES=off, slicer.cpp) runs S0-B with store buffers.
  if (m.sb()) build_flush(m, add_actor(m, "store-buffers", AK::flush, 0, -1, false));
}

// S0-C (EXTRA): lock-free release vs STARTING; a use-after-free only if the DS were kmalloc'ed.
void build_s0c(Model& m) {
  m.ncpu = 2;
  m.sub.perfcore = m.sub.x86ds = true;
  m.f.v002 = V002::post;
  int ev = add_event(m, {"hw", EK::HW, 0, -1, A});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  cpu_init(m, 0, true);
  cpu_init(m, 1, false);
  ds_reserved(m);
  s.pmc_ref = 1;
  int k = Model::cpuctx(A, 0);
  s.cev[k] = uint8_t(1u << ev);
  s.est[ev] = E_ACT + 0;
  s.cact[k] = 1;
  s.cref[k] = 1;
  m.chk.ds = true;
  int a1 = add_actor(m, "A1:close(HW event)", AK::syscall, 0);
  int a2 = add_actor(m, "A2:cpu_up(1)", AK::syscall, 0);
  { B b = builder(m, a1); op_close(b, ev); }
  { B b = builder(m, a2); op_cpu_up(b, 1); }
}

// Seed 001: install into a task blocked on an offline CPU (pre: livelock).
void build_s1a(Model& m) {
  m.ncpu = 2, m.ntask = 1;
  m.sub.perfcore = m.sub.sched = true;
  m.f.v002 = V002::post;  // v4.9 took no cpus lock in sys_perf_event_open
  int ev = add_event(m, {"ev", EK::SW, -1, 0, A});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  cpu_init(m, 0, true);
  cpu_init(m, 1, false);
  task_init(m, 0, 1, T_BLOCKED);
  s.swb[0] = 2;
  m.chk.i1 = m.chk.i2 = true;
  int ao = add_actor(m, "A_open(T0)", AK::syscall, 0);
  int s0 = add_actor(m, "sched(cpu0)", AK::sched, 0, -1, false);
  int t0 = add_actor(m, "T0", AK::task, 0, 0, false);
  { B b = builder(m, ao); op_open(b, ev, false); }
  build_sched(m, s0, 0);
  build_task(m, t0, 0, ao, false);
}

// Seed 001: the lost counter when the ctxp store is not ordered before the task_cpu load.
void build_s1b(Model& m) {
  m.ncpu = 3, m.ntask = 2;
  m.sub.perfcore = m.sub.sched = true;
  m.f.v002 = V002::post;
  int ev = add_event(m, {"ev", EK::SW, -1, 0, A});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  for (int c = 0; c < 3; ++c) cpu_init(m, c, true);
  task_init(m, 0, 1, T_RUNNING);
  task_init(m, 1, 2, T_RUNNING);
  s.swb[1] = 1, s.swb[2] = 1, s.migb = 1;
  m.chk.i1 = m.chk.i2 = true;
  int ao = add_actor(m, "A_open(T0)", AK::syscall, 0);
  int s1 = add_actor(m, "sched(cpu1)", AK::sched, 1, -1, false);
  int s2 = add_actor(m, "sched(cpu2)", AK::sched, 2, -1, false);
  int t0 = add_actor(m, "T0", AK::task, 1, 0, false);
  int t1 = add_actor(m, "T1(p)", AK::task, 2, 1, false);
  { B b = builder(m, ao); op_open(b, ev, false); }
  build_sched(m, s1, 1);
  build_sched(m, s2, 2);
  build_task(m, t0, 0, -1, false);
  build_task(m, t1, 1, -1, false);
  if (m.sb()) build_flush(m, add_actor(m, "store-buffers", AK::flush, 0, -1, false));
}

// Seed 001 sanity: open racing the target's exit.
void build_s1c(Model& m) {
  m.ncpu = 2, m.ntask = 1;
  m.sub.perfcore = m.sub.sched = true;
  m.f.v002 = V002::post;
  int ev = add_event(m, {"ev", EK::SW, -1, 0, A});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  cpu_init(m, 0, true);
  cpu_init(m, 1, true);
  task_init(m, 0, 0, T_RUNNING);
  s.swb[0] = 2, s.swb[1] = 1, s.migb = 1;
  m.chk.i1 = m.chk.i2 = true;
  int ao = add_actor(m, "A_open(T0)", AK::syscall, 1);
  int s0 = add_actor(m, "sched(cpu0)", AK::sched, 0, -1, false);
  int s1 = add_actor(m, "sched(cpu1)", AK::sched, 1, -1, false);
  int t0 = add_actor(m, "T0(exit)", AK::task, 0, 0, true);
  { B b = builder(m, ao); op_open(b, ev, false); }
  build_sched(m, s0, 0);
  build_sched(m, s1, 1);
  build_task(m, t0, 0, -1, true);
}

// Seed 002: tracepoint event_init takes the cpus lock again under sys_perf_event_open's read hold.
void build_s2a(Model& m) {
  m.ncpu = 2;
  m.sub.perfcore = true;
  int ev = add_event(m, {"tp", EK::TRACEPOINT, 0, -1, A});
  add_locks(m);
  m.init.published = 1;
  cpu_init(m, 0, true);
  cpu_init(m, 1, false);
  int ao = add_actor(m, "A_open(TRACEPOINT,cpu0)", AK::syscall, 0);
  int ah = add_actor(m, "A_hp:cpu_up(1)", AK::syscall, 0);
  { B b = builder(m, ao); op_open(b, ev, false); }
  { B b = builder(m, ah); op_cpu_up(b, 1); }
}

// Seed 002: pmu registration vs hotplug; the lock-free RFC variant misses a CPU.
void build_s2b_common(Model& m, bool down) {
  m.ncpu = 2, m.npmu = 2;
  m.sub.perfcore = true;
  int ev = add_event(m, {"evB", EK::SW, 1, -1, Bp});
  add_locks(m);
  m.init.published = 1;
  cpu_init(m, 0, true);
  cpu_init(m, 1, down);
  m.chk.h1 = m.f.v002 != V002::pre;
  m.chk.h2 = true;
  int ar = add_actor(m, "A_reg:perf_pmu_register(B)", AK::syscall, 0);
  int ah = add_actor(m, down ? "A_hp:cpu_down(1)" : "A_hp:cpu_up(1)", AK::syscall, 0);
  int ao = add_actor(m, "A_open(cpu1,pmu B)", AK::syscall, 0);
  { B b = builder(m, ar); op_register(b, Bp); }
  { B b = builder(m, ah); down ? op_cpu_down(b, 1) : op_cpu_up(b, 1); }
  { B b = builder(m, ao); wait_for(b, uint8_t(1u << ar | 1u << ah)); op_open(b, ev, false); }
}
void build_s2b(Model& m) { build_s2b_common(m, false); }
void build_s2b_down(Model& m) { build_s2b_common(m, true); }

// Seed 003: memory hotplug vs cpu hotplug vs a slab reader.
void build_s3(Model& m, bool slab) {
  m.ncpu = 2;
  m.sub.memhp = true;
  add_locks(m);
  cpu_init(m, 0, true);
  cpu_init(m, 1, false);
  m.chk.m1 = true;
  int as = slab ? add_actor(m, "A_slab:kmem_cache_create", AK::syscall, 0) : -1;
  int am = add_actor(m, "A_mem:offline_pages", AK::syscall, 0);
  int ac = add_actor(m, "A_cpu:cpu_up(1)", AK::syscall, 0);
  if (slab) {
    B b = builder(m, as);
    op_slab_reader(b);
  }
  { B b = builder(m, am); op_memhp(b); }
  { B b = builder(m, ac); op_cpu_up(b, 1); }
}
void build_s3a(Model& m) { build_s3(m, true); }
void build_s3b(Model& m) { build_s3(m, false); }

// Seed 004: breakpoint slot accounting after the task context is gone.
void build_s4a(Model& m) {
  m.ncpu = 2, m.ntask = 2;
  m.sub.perfcore = m.sub.bp = true;
  m.f.v002 = V002::post;
  int b1 = add_event(m, {"b1", EK::BP, -1, 0, A});
  int b2 = add_event(m, {"b2", EK::BP, -1, 0, A});
  int b3 = add_event(m, {"b3", EK::BP, -1, 1, A, -1, true});
  int b4 = add_event(m, {"cpu_bp", EK::BP, 0, -1, A});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  cpu_init(m, 0, true);
  cpu_init(m, 1, true);
  task_init(m, 0, 0, T_RUNNING);
  task_init(m, 1, 1, T_RUNNING);
  s.mem[V_CTXP + 0] = 1, s.mem[V_CTXP + 1] = 2;
  s.cev[0] = uint8_t(1u << b1 | 1u << b2), s.cev[1] = uint8_t(1u << b3);
  s.est[b1] = s.est[b2] = E_ACT + 0, s.est[b3] = E_ACT + 1;
  s.task_ctx[0] = 1, s.task_ctx[1] = 2, s.cact[0] = s.cact[1] = 1;
  s.cref[0] = 2, s.cref[1] = 1;
  s.bp_live = s.bp_list = uint8_t(1u << b1 | 1u << b2 | 1u << b3);
  for (int c = 0; c < 2; ++c) s.tsk_pinned[c][1] = 1, s.tsk_pinned[c][0] = 1;
  m.chk.bp = true;
  int t0 = add_actor(m, "T0(exit)", AK::task, 0, 0, true);
  int t1 = add_actor(m, "T1(exit, child b3)", AK::task, 1, 1, true);
  int ac = add_actor(m, "A_close(b1;b2)", AK::syscall, 0);
  int ar = add_actor(m, "A_res(cpu bp)", AK::syscall, 0);
  build_task(m, t0, 0, -1, true);
  build_task(m, t1, 1, -1, true);
  { B b = builder(m, ac); op_close(b, b1); op_close(b, b2); }
  { B b = builder(m, ar); wait_for(b, uint8_t(1u << ac | 1u << t0 | 1u << t1)); op_open(b, b4, false); }
}

// S4-B (EXTRA): a task breakpoint reserved while a CPU is offline is not accounted there.
void build_s4b(Model& m) {
  m.ncpu = 2, m.ntask = 1;
  m.sub.perfcore = m.sub.bp = true;
  m.f.v002 = V002::post;
  int b1 = add_event(m, {"b1", EK::BP, -1, 0, A});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  cpu_init(m, 0, true);
  cpu_init(m, 1, false);
  task_init(m, 0, 0, T_RUNNING);
  m.chk.bp = true;
  int ab = add_actor(m, "A_bp:open(b1);close(b1)", AK::syscall, 0);
  int ah = add_actor(m, "A_hp:cpu_up(1)", AK::syscall, 0);
  { B b = builder(m, ab); op_open(b, b1, false); op_close(b, b1); }
  { B b = builder(m, ah); op_cpu_up(b, 1); }
}

// All subsystems together, post-fix code: a bounded soak (3 CPUs, 2 tasks, 2 PMUs, DS, hotplug, register).
void build_soak(Model& m) {
  m.ncpu = 3, m.ntask = 2, m.npmu = 2;
  m.sub.perfcore = m.sub.x86ds = m.sub.sched = true;
  int pebs = add_event(m, {"pebs", EK::HW_PEBS, -1, 0, A});
  int swb = add_event(m, {"swB", EK::SW, 2, -1, Bp});
  add_locks(m);
  State& s = m.init;
  s.published = 1;
  for (int c = 0; c < 3; ++c) cpu_init(m, c, c < 2);
  task_init(m, 0, 0, T_RUNNING);
  task_init(m, 1, 1, T_RUNNING);
  s.swb[0] = 2, s.migb = 1;
  m.chk.ds = m.chk.i1 = m.chk.i2 = m.chk.h1 = m.chk.h2 = true;
  int ao = add_actor(m, "A_open(HW_PEBS,T0);close", AK::syscall, 1);
  int ah = add_actor(m, "A_hp:cpu_up(2)", AK::syscall, 1);
  int ar = add_actor(m, "A_reg:perf_pmu_register(B);open(cpu2,B)", AK::syscall, 1);
  int s0 = add_actor(m, "sched(cpu0)", AK::sched, 0, -1, false);
  int t0 = add_actor(m, "T0", AK::task, 0, 0, false);
  int t1 = add_actor(m, "T1(exit)", AK::task, 1, 1, false);
  { B b = builder(m, ao); op_open(b, pebs, false); op_close(b, pebs); }
  { B b = builder(m, ah); op_cpu_up(b, 2); }
  { B b = builder(m, ar); op_register(b, Bp); op_open(b, swb, false); }
  build_sched(m, s0, 0);
  build_task(m, t0, 0, -1, false);
  build_task(m, t1, 1, -1, true);
}

std::vector<ScenarioSpec> make() {
  std::vector<ScenarioSpec> v;
  auto F = [](auto fn) { return std::function<void(Flags&)>(fn); };
  v.push_back({"S0-A", "000", "perf,x86,cpuhp 5-lock deadlock (reserve_ds_buffers under get_online_cpus)", false,
               {{"pre", F([](Flags& f) { f.v000 = V000::pre; }),
                 fail({Prop::DEADLOCK, Prop::LD_CYCLE}, "waits-for A1->A2->A3->A4->A1; lockdep #0->#1->#2->#3->#4->#0")},
                {"post", F([](Flags& f) { f.v000 = V000::post; }), pass()}},
               build_s0a});
  v.push_back({"S0-B", "000", "EXTRA: PEBS reserve vs CPU_UP STARTING without the cpus lock (DS_AREA never programmed)", true,
               {{"post", F([](Flags& f) { f.v000 = V000::post; }), fail({Prop::D2}, "expected-fail-known: finding beyond the seed")},
                {"pre", F([](Flags& f) { f.v000 = V000::pre; }), pass()},
                {"repair", F([](Flags& f) { f.v000 = V000::repair; }), pass("hypothetical: smp_mb + AP reads ds after set_cpu_online")},
                {"repair_nomb", F([](Flags& f) { f.v000 = V000::repair; f.ds_reserve_mb = false; f.mem = Mem::sb_lkmm; }),
                 pass("the IPI path orders ds before the online test with an smp_wmb() only, but the local call's WRMSR on CPU0 serializes")},
                {"repair-ap0", F([](Flags& f) { f.v000 = V000::repair; f.ds_ap_low = true; }),
                 pass("the repair with CPU0 coming up under a reserver on CPU1 (L8's window)")},
                {"repair_nomb-ap0", F([](Flags& f) { f.v000 = V000::repair; f.ds_reserve_mb = false; f.ds_ap_low = true; f.mem = Mem::sb_lkmm; }),
                 fail({Prop::D2}, "L9: the IPI to CPU0 comes before the local WRMSR; csd_lock's smp_wmb() does not order the ds store before the online test")}},
               build_s0b});
  v.push_back({"S0-C", "000", "EXTRA: lock-free DS release vs STARTING relies on static DS storage", true,
               {{"kmalloc-post", F([](Flags& f) { f.v000 = V000::post; f.ds = DsStorage::kmalloc; }), fail({Prop::D1})},
                {"cea-post", F([](Flags& f) { f.v000 = V000::post; f.ds = DsStorage::cea_static; }), pass("D4-INFO only")},
                {"kmalloc-pre", F([](Flags& f) { f.v000 = V000::pre; f.ds = DsStorage::kmalloc; }), pass()}},
               build_s0c});
  v.push_back({"S1-A", "001", "install into a task blocked on an offline CPU", false,
               {{"pre", F([](Flags& f) { f.v001 = V001::pre; }), fail({Prop::LIVELOCK})},
                {"post", F([](Flags& f) { f.v001 = V001::post; }), pass()}},
               build_s1a});
  v.push_back({"S1-B", "001", "install vs migration: the ctxp store must be visible to the next sched-in", false,
               {{"post_nomb", F([](Flags& f) { f.v001 = V001::post_nomb; f.mem = Mem::sb_lkmm; }), fail({Prop::I1})},
                {"post", F([](Flags& f) { f.v001 = V001::post; f.mem = Mem::sb_lkmm; }), pass()},
                {"post_noswmb", F([](Flags& f) { f.v001 = V001::post; f.mem = Mem::sb_lkmm; f.ctxsw_mb = false; }),
                 fail({Prop::I1})},
                {"post_latecurr", F([](Flags& f) { f.v001 = V001::post; f.curr_late = true; }),
                 fail({Prop::I1}, "L6: rq->curr published only after the sched-in critical section")},
                {"post_nomb-x86", F([](Flags& f) { f.v001 = V001::post_nomb; f.mem = Mem::sb_x86; }), pass("locked ops drain on x86")},
                {"pre", F([](Flags& f) { f.v001 = V001::pre; f.mem = Mem::sb_lkmm; }),
                 pass("model verdict for v4.9 under sb_lkmm: the unconditional IPI closes this window")}},
               build_s1b});
  v.push_back({"S1-C", "001", "open racing the target task's exit", false,
               {{"post", F([](Flags& f) { f.v001 = V001::post; }), pass()},
                {"pre", F([](Flags& f) { f.v001 = V001::pre; }), pass()}},
               build_s1c});
  v.push_back({"S2-A", "002", "tracepoint open: recursive cpus_read_lock behind a pending writer", false,
               {{"pre", F([](Flags& f) { f.v002 = V002::pre; }), fail({Prop::DEADLOCK, Prop::LD_RR})},
                {"post", F([](Flags& f) { f.v002 = V002::post; }), pass()}},
               build_s2a});
  v.push_back({"S2-B", "002", "perf_pmu_register vs CPU_UP: cpuctx online flag", false,
               {{"rfc_srcu", F([](Flags& f) { f.v002 = V002::rfc_srcu; }), fail({Prop::H1})},
                {"post", F([](Flags& f) { f.v002 = V002::post; }), pass()},
                {"pre", F([](Flags& f) { f.v002 = V002::pre; }), pass()}},
               build_s2b});
  v.push_back({"S2-B-down", "002", "perf_pmu_register vs CPU_DOWN (mirror of S2-B)", false,
               {{"rfc_srcu", F([](Flags& f) { f.v002 = V002::rfc_srcu; }), fail({Prop::H1})},
                {"post", F([](Flags& f) { f.v002 = V002::post; }), pass()}},
               build_s2b_down});
  v.push_back({"S3-A", "003", "mem hotplug vs cpu hotplug vs kmem_cache_create (lock inversion)", false,
               {{"pre", F([](Flags& f) { f.v003 = V003::pre; }), fail({Prop::DEADLOCK, Prop::LD_CYCLE})},
                {"pre-homebrew", F([](Flags& f) { f.v003 = V003::pre; f.cpuhp = CpuhpImpl::homebrew; }),
                 fail({Prop::LD_CYCLE}, "no hang; semantic lockdep still sees the inversion")},
                {"pre-homebrew-faithful", F([](Flags& f) {
                   f.v003 = V003::pre;
                   f.cpuhp = CpuhpImpl::homebrew;
                   f.lockdep = Lockdep::faithful;
                 }),
                 pass("evaded lockdep: recursive-read annotations were not chained")},
                {"post", F([](Flags& f) { f.v003 = V003::post; }), pass()}},
               build_s3a});
  v.push_back({"S3-B", "003", "mem hotplug: recursive cpus_read_lock in lru_add_drain_all", false,
               {{"mid", F([](Flags& f) { f.v003 = V003::mid; }), fail({Prop::DEADLOCK, Prop::LD_RR})},
                {"post", F([](Flags& f) { f.v003 = V003::post; }), pass()}},
               build_s3b});
  v.push_back({"S4-A", "004", "breakpoint slots counted through the cleared task->perf_event_ctxp", false,
               {{"pre", F([](Flags& f) { f.v004 = V004::pre; }), fail({Prop::W_NOCTX, Prop::B1, Prop::B2, Prop::B4})},
                {"post", F([](Flags& f) { f.v004 = V004::post; }), pass()}},
               build_s4a});
  v.push_back({"S4-B", "004", "EXTRA: task breakpoint reserved while a CPU is offline", true,
               {{"post", F([](Flags& f) { f.v004 = V004::post; }), fail({Prop::B2, Prop::B1})},
                {"post_possible", F([](Flags& f) { f.v004 = V004::post_possible; }), pass()}},
               build_s4b});
  v.push_back({"soak", "all", "all subsystems together, post-fix code (bounded)", false,
               {{"post", F([](Flags&) {}), pass("bounded: 2M states unless --max-states")}}, build_soak, 2'000'000});
  return v;
}

}  // namespace

const std::vector<ScenarioSpec>& scenarios() {
  static const std::vector<ScenarioSpec> v = make();
  return v;
}

const ScenarioSpec* find_scenario(const std::string& name) {
  for (auto& s : scenarios())
    if (s.name == name) return &s;
  return nullptr;
}

const VariantSpec* find_variant(const ScenarioSpec& s, const std::string& name) {
  for (auto& v : s.variants)
    if (v.name == name) return &v;
  return nullptr;
}

std::unique_ptr<Model> build_model(const ScenarioSpec& s, const VariantSpec& v) {
  auto m = std::make_unique<Model>();
  m->scenario = s.name;
  m->variant = v.name;
  v.set(m->f);
  s.build(*m);
  for (const std::string& n : m->f.locks_off) {
    bool found = false;
    for (size_t L = 0; L < m->locks.size(); ++L)
      if (m->locks[L].name == n) m->locks_off |= uint64_t(1) << L, found = true;
    if (!found) throw std::logic_error("perf: LOCKS=off names no lock of " + s.name + ": " + n);
  }
  if (m->f.pin_tasks) {  // the migration budget becomes one more switch on every CPU that schedules
    for (int c = 0; c < m->ncpu; ++c)
      if (m->init.swb[c]) m->init.swb[c] = uint8_t(m->init.swb[c] + m->init.migb);
    m->init.migb = 0;
  }
  m->finish();
  return m;
}

}  // namespace paddock::perf
