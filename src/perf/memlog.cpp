#include "perf/memlog.hpp"

#include <fmt/format.h>

namespace paddock::perf {

thread_local MemLog* g_memlog = nullptr;

void log_acc(const Ex& e, int cpu, AccK k, Prim p, int loc, int val, int proc) {
  if (!g_memlog) return;
  MemAcc a;
  a.tidx = g_memlog->tidx;
  a.proc = proc >= 0 ? proc : e.a;
  a.cpu = cpu;
  a.k = k;
  a.prim = p;
  a.loc = loc;
  a.val = val;
  a.label = g_memlog->label;
  if (proc < 0) a.ipi = g_memlog->in_ipi[e.a];
  g_memlog->acc.push_back(std::move(a));
}

void log_mem(const Ex& e, int cpu, bool store, int var, int val) {
  log_acc(e, cpu, store ? AccK::W : AccK::R, store ? Prim::write_once : Prim::read_once, var, val);
}

void log_events(const State& s, const Ex& e, int k, AccK kind) {
  if (!g_memlog) return;
  log_acc(e, cpu_of(s, *e.m, e.a), kind, kind == AccK::W ? Prim::write_once : Prim::read_once, LOC_EVL + k, s.cev[k]);
}

void wrmsr(State& s, const Ex& e, int var, int8_t v) {
  fence(s, e, Prim::wrmsr);  // recorded in every mode; drains only what sb modes buffer
  s.mem[var] = v;
}

void fence(State& s, const Ex& e, int cpu, Prim p) {
  log_acc(e, cpu, AccK::F, p, -1, 0);
  if (p == Prim::csd_wmb) return;  // W->W: a FIFO store buffer keeps that order already
  const Flags& f = e.m->f;
  bool off = f.fences_off;
  if (off && !f.fences_off_at.empty()) {
    off = false;
    for (const std::string& l : f.fences_off_at) off |= e.step && e.step->label == l;
  }
  if (!off) drain(s, cpu);
}

std::string loc_name(const Model& m, int loc) {
  if (loc >= LOC_EVL) {
    int k = loc - LOC_EVL;
    return k < MAXTASK ? fmt::format("events[T{}]", k) : fmt::format("events[{}]", m.ctx_name(k));
  }
  if (loc >= LOC_CSD) return fmt::format("csd[{}]", loc - LOC_CSD);
  if (loc >= LOC_ONRQ) return fmt::format("onrq[T{}]", loc - LOC_ONRQ);
  if (loc >= V_DSAREA) return fmt::format("ds_area[{}]", loc - V_DSAREA);
  if (loc >= V_DS) return fmt::format("ds[{}]", loc - V_DS);
  if (loc >= V_ONLINE) return fmt::format("online[{}]", loc - V_ONLINE);
  if (loc >= V_CURR) return fmt::format("curr[{}]", loc - V_CURR);
  if (loc >= V_TCPU) return fmt::format("task_cpu[T{}]", loc - V_TCPU);
  return fmt::format("ctxp[T{}]", loc - V_CTXP);
}

std::string loc_ident(const Model& m, int loc) {
  std::string n = loc_name(m, loc), o;
  for (char c : n)
    if (c == '[') o += '_';
    else if (c != ']') o += c;
  return o;
}

std::string proc_name(const Model& m, int proc) {
  if (proc >= PROC_IPI) return fmt::format("ipi(cpu{})", proc - PROC_IPI);
  if (proc >= PROC_MIGRATE) return fmt::format("migrate(T{})", proc - PROC_MIGRATE);
  return m.actor_name(proc);
}

const char* prim_name(Prim p) {
  switch (p) {
    case Prim::read_once: return "READ_ONCE";
    case Prim::write_once: return "WRITE_ONCE";
    case Prim::load_acquire: return "smp_load_acquire";
    case Prim::store_release: return "smp_store_release";
    case Prim::smp_mb: return "smp_mb";
    case Prim::ctxsw_mb: return "context switch (full barrier)";
    case Prim::ipi_mb: return "IPI send (full barrier)";
    case Prim::atomic_mb: return "value-returning atomic (full barrier)";
    case Prim::wrmsr: return "wrmsr (serializing)";
    case Prim::csd_wmb: return "csd_lock (smp_wmb)";
    case Prim::lock_acquire: return "lock acquire";
    case Prim::lock_release: return "lock release";
  }
  return "?";
}

}  // namespace paddock::perf
