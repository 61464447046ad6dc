#include "perf/world.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace paddock::perf {

static std::string P(int p) { return std::string(1, char('A' + p)); }

void add_locks(Model& m) {
  if (m.f.cpuhp == CpuhpImpl::homebrew) {
    m.L_cpus_in = m.add_lock("cpu_hotplug.lock", LK::mutex, "cpu_hotplug.lock");
    m.L_cpus = m.add_lock("cpu_hotplug", LK::homebrew, "cpu_hotplug_lock", m.L_cpus_in);
  } else {
    m.L_cpus = m.add_lock("cpu_hotplug_lock", LK::rwsem, "cpu_hotplug_lock");
  }
  if (m.sub.perfcore) {
    bool hw = false, tp = false;
    for (auto& e : m.ev) {
      hw |= e.kind == EK::HW || e.kind == EK::HW_PEBS || e.kind == EK::HW_LBR_EXCL;
      tp |= e.kind == EK::TRACEPOINT;
    }
    m.L_pmus = m.add_lock("pmus_lock", LK::mutex, "pmus_lock");
    if (hw || m.sub.x86ds) m.L_pmc = m.add_lock("pmc_reserve_mutex", LK::mutex, "pmc_reserve_mutex");
    if (tp) m.L_event = m.add_lock("event_mutex", LK::mutex, "event_mutex");
    for (int t = 0; t < m.ntask; ++t) {
      m.L_pem[t] = m.add_lock(fmt::format("T{}.perf_event_mutex", t), LK::mutex, "&p->perf_event_mutex");
      m.L_cmx[t] = m.add_lock(fmt::format("ctx(T{}).mutex", t), LK::mutex, "&ctx->mutex");
      m.L_clk[t] = m.add_lock(fmt::format("ctx(T{}).lock", t), LK::spin, "&ctx->lock");
    }
    for (int p = 0; p < m.npmu; ++p)
      for (int c = 0; c < m.ncpu; ++c) {
        int k = Model::cpuctx(p, c);
        m.L_cmx[k] = m.add_lock(fmt::format("cpuctx[{}][{}].mutex", P(p), c), LK::mutex, "&cpuctx_mutex");
        m.L_clk[k] = m.add_lock(fmt::format("cpuctx[{}][{}].lock", P(p), c), LK::spin, "&cpuctx_lock");
      }
  }
  if (m.sub.sched)
    for (int c = 0; c < m.ncpu; ++c) m.L_rq[c] = m.add_lock(fmt::format("rq[{}].lock", c), LK::spin, "&rq->lock");
  if (m.sub.bp) m.L_nrbp = m.add_lock("nr_bp_mutex", LK::mutex, "nr_bp_mutex");
  if (m.sub.memhp) {
    if (m.f.v003 == V003::pre) {
      m.L_memarl = m.add_lock("memory_add_remove_lock", LK::mutex, "memory_add_remove_lock");
      m.L_mem_in = m.add_lock("mem_hotplug.lock", LK::mutex, "mem_hotplug.lock");
      m.L_mem = m.add_lock("mem_hotplug", LK::homebrew, "mem_hotplug_lock", m.L_mem_in);
    } else {
      m.L_mem = m.add_lock("mem_hotplug_lock", LK::rwsem, "mem_hotplug_lock");
    }
  }
}

void cpu_init(Model& m, int c, bool online) {
  State& s = m.init;
  s.mem[V_ONLINE + c] = online;
  s.active[c] = online;
  if (m.f.v002 != V002::pre) s.perf_online[c] = online;
  for (int p = 0; p < m.npmu; ++p)
    if (s.published >> p & 1) s.conline[Model::cpuctx(p, c)] = online;
  if (m.f.ds == DsStorage::cea_static) s.ds_alive |= uint8_t(1u << (ds_obj(c, 0) - 1));
}

void task_init(Model& m, int t, int cpu, uint8_t run) {
  State& s = m.init;
  s.mem[V_TCPU + t] = int8_t(cpu);
  s.run[t] = run;
  if (run == T_RUNNING) {
    s.mem[V_CURR + cpu] = int8_t(t + 1);
    s.on_cpu[t] = 1;
  }
  s.ctask[t] = int8_t(t);
}

int add_event(Model& m, EventDef d) {
  if (m.ev.size() >= MAXEV) throw std::runtime_error("perf model: too many events");
  if (d.ctx < 0) d.ctx = d.task >= 0 ? d.task : Model::cpuctx(d.pmu, d.cpu);
  m.ev.push_back(d);
  return int(m.ev.size()) - 1;
}

int add_actor(Model& m, const std::string& name, AK kind, int cpu, int task, bool required) {
  if (m.actors.size() >= MAXACT) throw std::runtime_error("perf model: too many actors");
  Actor a;
  a.name = name;
  a.kind = kind;
  a.cpu = cpu;
  a.task = task;
  a.required = required;
  m.actors.push_back(std::move(a));
  return int(m.actors.size()) - 1;
}

B builder(Model& m, int a) { return B(m, m.actors[a].prog, a); }

void wait_for(B& b, uint8_t mask) {
  b.op = "start";
  b.quiet();
  Step& w = b.guard(
      "wait", [mask](const State& s, const Ex&) {
        for (int a = 0; a < MAXACT; ++a)
          if ((mask >> a & 1) && !s.act[a].done) return false;
        return true;
      },
      [](State&, Ex&) {}, {}, fr(bit(R_DONE)));
  w.wait_done = mask;
}

}  // namespace paddock::perf
