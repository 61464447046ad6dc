// CPU hotplug controller with the AP bring-up/take-down phases folded in (spec §2.5).
#include <fmt/format.h>

#include "perf/ops.hpp"
#include "perf/memlog.hpp"

namespace paddock::perf {

static Foot HP = frw(bit(R_SCHED) | bit(R_IRQ), bit(R_SCHED) | bit(R_IRQ));
static Foot ACTIVE = frw(bit(R_SCHED), bit(R_SCHED));

// intel_pmu_cpu_starting: pick up the DS pointer and program DS_AREA. `leave`: the AP's part ends here (the
// controller's actor stops running on CPU c, see U3).
static void ap_ds(B& b, int c, const std::string& phase, bool leave) {
  int skip = b.label();
  Step& l = b.step(phase + ".ds_load", [c, skip, leave](State& s, Ex& e) {
    s.act[e.a].r[1] = ld(s, e, V_DS + c);
    if (!s.act[e.a].r[1]) {
      if (leave) s.act[e.a].ipi = -1;
      e.go(skip);
    }
  }, fld(V_DS));
  l.jumps = {skip};
  b.step(phase + ".wrmsr_ds_area", [c, leave](State& s, Ex& e) {
    wrmsr(s, e, V_DSAREA + c, s.act[e.a].r[1]);
    if (leave) s.act[e.a].ipi = -1;
  }, b.m.sb() ? Foot{} : fst(V_DSAREA));  // sb: WRMSR drains the store buffer
  b.bind(skip);
}

void op_cpu_up(B& b, int c) {
  const Model& m = b.m;
  b.op = fmt::format("cpu_up{}", c);
  b.quiet();
  write_lock(b, m.L_cpus, "U1.cpus_write_lock");
  if (m.sub.perfcore) {
    perf_init_cpu(b, c);
    b.op = fmt::format("cpu_up{}", c);
  }
  b.op = fmt::format("ap{}", c);
  b.guard("U3.kick_ap", [c](const State& s, const Ex&) { return s.irqs[c] == 0; }, [c](State& s, Ex& e) {
    s.irqs[c] = uint8_t(e.a + 1);
    s.act[e.a].fl |= AF_ATOMIC;
    s.act[e.a].ipi = int8_t(c);  // the AP's own steps run on CPU c (its store buffer, its barriers)
  }, {}, frw(bit(R_IRQ), bit(R_IRQ)));
  const bool repair_ds = m.sub.x86ds && m.f.v000 == V000::repair;
  if (m.sub.x86ds && m.f.v000 != V000::repair) ap_ds(b, c, "U4.intel_pmu_cpu_starting", false);
  b.step("U5.set_cpu_online", [c, repair_ds](State& s, Ex& e) {
    st(s, e, V_ONLINE + c, 1);
    s.irqs[c] = 0;
    s.act[e.a].fl &= uint8_t(~AF_ATOMIC);
    if (!repair_ds) s.act[e.a].ipi = -1;
  }, frw(bit(R_IRQ) | bit(R_SB), bit(R_IRQ) | bit(R_SB) | mem_bit(V_ONLINE)));
  if (repair_ds) {
    b.step("U5.smp_mb", [](State& s, Ex& e) { fence(s, e, Prim::smp_mb); }, Foot{});
    ap_ds(b, c, "U5.intel_pmu_cpu_starting", true);
  }
  b.op = fmt::format("cpu_up{}", c);
  if (m.sub.perfcore && m.f.online_initcpu) {
    perf_init_cpu(b, c);
    b.op = fmt::format("cpu_up{}", c);
  }
  // The controller waits for the AP (cpuhp's completion, a lock hand-off): what the AP stored on CPU c is visible
  // before the controller goes on (its cpus_write_unlock is a release covering them).
  b.step("U6.set_cpu_active", [c](State& s, Ex& e) {
    drain(s, c);
    s.active[c] = 1;
  }, b.m.sb() ? Foot{} : ACTIVE);
  write_unlock(b, m.L_cpus, "U7.cpus_write_unlock");
}

void op_cpu_down(B& b, int c) {
  const Model& m = b.m;
  b.op = fmt::format("cpu_down{}", c);
  b.quiet();
  write_lock(b, m.L_cpus, "D1.cpus_write_lock");
  b.step("D2.set_cpu_inactive", [c](State& s, Ex&) { s.active[c] = 0; }, ACTIVE);
  if (m.sub.perfcore) {
    perf_exit_cpu(b, c);
    b.op = fmt::format("cpu_down{}", c);
  }
  // stop_machine: waits for queued calls; the CPU switches to idle, goes offline, DYING runs, tasks move away.
  b.guard(
      "D4.take_down", [c](const State& s, const Ex&) { return s.ipi[c] == 0 && s.irqs[c] == 0; },
      [c](State& s, Ex& e) {
        const Model& m = *e.m;
        int curr = s.mem[V_CURR + c];
        if (curr) {
          int t = curr - 1;
          if (s.task_ctx[c]) {
            deactivate_ctx(s, s.task_ctx[c] - 1, c);
            s.task_ctx[c] = 0;
          }
          if (s.run[t] == T_RUNNING) s.run[t] = T_RUNNABLE;
          s.on_cpu[t] = 0;
        }
        st(s, e, V_CURR + c, 0);
        st(s, e, V_ONLINE + c, 0);
        if (m.sub.x86ds && s.mem[V_DS + c]) wrmsr(s, e, V_DSAREA + c, 0);  // intel_pmu_cpu_dying
        recompute_pebs(s, m, c);
        for (int t = 0; t < m.ntask; ++t)
          if (s.mem[V_TCPU + t] == c && s.run[t] == T_RUNNABLE)
            for (int d = 0; d < m.ncpu; ++d)
              if (s.active[d]) {
                st(s, e, V_TCPU + t, int8_t(d));
                break;
              }
      },
      [c](const State& s, const Ex&) {
        uint8_t r = 0;
        if (s.ipi[c]) r |= uint8_t(1u << (s.ipi[c] - 1));
        if (s.irqs[c]) r |= uint8_t(1u << (s.irqs[c] - 1));
        return r;
      },
      Foot{});
  write_unlock(b, m.L_cpus, "D5.cpus_write_unlock");
}

}  // namespace paddock::perf
