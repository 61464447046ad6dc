#include "perf/model.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace paddock::perf {

Model::Model() {
  for (int k = 0; k < MAXCTX; ++k) L_cmx[k] = L_clk[k] = -1;
  for (int c = 0; c < MAXCPU; ++c) L_rq[c] = -1;
  for (auto& a : init.act) a.ipi = -1;
  for (auto& c : init.ctask) c = CT_NONE;
  actors.reserve(MAXACT);
}

int Model::cls_id(const std::string& cls) {
  for (size_t i = 0; i < classes.size(); ++i)
    if (classes[i] == cls) return int(i);
  classes.push_back(cls);
  return int(classes.size()) - 1;
}

int Model::add_lock(const std::string& name, LK kind, const std::string& cls, int inner) {
  if (locks.size() >= MAXLOCK) throw std::runtime_error("perf model: too many locks");
  locks.push_back({name, kind, cls_id(cls), inner});
  return int(locks.size()) - 1;
}

void Model::finish() {
  if (actors.size() > MAXACT) throw std::runtime_error("perf model: too many actors");
  steps.clear();
  for (auto& a : actors) {
    a.prog.finish();
    for (auto& n : a.prog.nodes)
      for (auto& s : n.alts) {
        s.id = int(steps.size());
        steps.push_back(&s);
      }
  }
  for (size_t a = actors.size(); a < MAXACT; ++a) init.act[a].done = 1;
  for (size_t a = 0; a < actors.size(); ++a)
    if (actors[a].kind == AK::task) task_actor[actors[a].task] = int(a);
}

std::string Model::ctx_name(int k) const {
  if (k < MAXTASK) return fmt::format("ctx(T{})", k);
  int p = (k - MAXTASK) / MAXCPU, c = (k - MAXTASK) % MAXCPU;
  return fmt::format("cpuctx[{}][{}]", char('A' + p), c);
}

int cpu_of(const State& s, const Model& m, int a) {
  const ActSt& x = s.act[a];
  if (x.ipi >= 0) return x.ipi;
  const Actor& ac = m.actors[a];
  if (ac.kind == AK::task) return s.mem[V_TCPU + ac.task];
  return ac.cpu;
}

bool cpu_atomic(const State& s, const Model& m, int cpu) {
  int curr = s.mem[V_CURR + cpu];
  if (!curr || m.task_actor[curr - 1] < 0) return false;
  const ActSt& x = s.act[m.task_actor[curr - 1]];
  for (int i = 0; i < x.nheld; ++i)
    if (m.locks[x.held[i]].kind == LK::spin) return true;
  return false;
}

int8_t ld(const State& s, const Model& m, int cpu, int var) {
  if (m.f.mem != Mem::sc)
    for (int i = s.sbn[cpu] - 1; i >= 0; --i)
      if (s.sbvar[cpu][i] == var) return s.sbval[cpu][i];
  return s.mem[var];
}

void flush_one(State& s, int cpu) {
  if (!s.sbn[cpu]) return;
  if (s.sbvar[cpu][0] >= SB_REL) s.lk[s.sbvar[cpu][0] - SB_REL].owner = 0;  // the release becomes visible
  else s.mem[s.sbvar[cpu][0]] = s.sbval[cpu][0];
  for (int i = 1; i < s.sbn[cpu]; ++i) {
    s.sbvar[cpu][i - 1] = s.sbvar[cpu][i];
    s.sbval[cpu][i - 1] = s.sbval[cpu][i];
  }
  --s.sbn[cpu];
  s.sbvar[cpu][s.sbn[cpu]] = 0;
  s.sbval[cpu][s.sbn[cpu]] = 0;
}

void drain(State& s, int cpu) {
  while (s.sbn[cpu]) flush_one(s, cpu);
}

void st(State& s, const Model& m, int cpu, int var, int8_t v) {
  if (m.f.mem == Mem::sc) {
    s.mem[var] = v;
    return;
  }
  // A full buffer drains its oldest entry first: that flush could have happened just before.
  if (s.sbn[cpu] == SBD) flush_one(s, cpu);
  s.sbvar[cpu][s.sbn[cpu]] = uint8_t(var);
  s.sbval[cpu][s.sbn[cpu]] = v;
  ++s.sbn[cpu];
}

static const char* v001s[] = {"pre", "post", "post_nomb"};
static const char* v000s[] = {"pre", "post", "repair"};
static const char* v002s[] = {"pre", "rfc_srcu", "post"};
static const char* v003s[] = {"pre", "mid", "post"};
static const char* v004s[] = {"pre", "post", "post_possible"};
static const char* mems[] = {"sc", "sb_lkmm", "sb_x86"};

std::string flags_string(const Flags& f) {
  return fmt::format("V000={} DS_STORAGE={} V001={} V002={} V003={} CPUHP_IMPL={} V004={} MEM={} LOCKDEP={}",
                     v000s[int(f.v000)], f.ds == DsStorage::kmalloc ? "kmalloc" : "cea_static", v001s[int(f.v001)],
                     v002s[int(f.v002)], v003s[int(f.v003)],
                     f.cpuhp == CpuhpImpl::homebrew ? "homebrew" : "percpu_rwsem", v004s[int(f.v004)],
                     mems[int(f.mem)], f.lockdep == Lockdep::faithful ? "faithful" : "semantic");
}

}  // namespace paddock::perf
