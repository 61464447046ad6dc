#include "perf/model.hpp"

#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

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

uint64_t Model::inv_bits() const {
  uint64_t inv = bit(R_X86);  // G4: pmc_refcount
  if (chk.ds) inv |= mem_bit(V_DSAREA) | mem_bit(V_DS) | bit(R_DS);
  if (chk.bp) inv |= bit(R_BP);
  if (chk.m1 && L_mem >= 0) inv |= bit(L_mem);
  if (chk.i2) inv |= B_EV | bit(R_PERF);
  return inv;
}

uint64_t Model::qinv_bits() const {
  uint64_t q = 0;
  if (chk.h1) q |= bit(R_PERF) | B_CTX | mem_bit(V_ONLINE);
  if (chk.h2) q |= B_CTX | mem_bit(V_ONLINE);
  if (chk.ds) q |= mem_bit(V_DS) | bit(R_X86);
  if (chk.bp) q |= mem_bit(V_ONLINE) | bit(R_BP);
  return q;
}

// Footprints as the reduction needs them (explorer.cpp, docs/perf-model.md "Reduction"):
// - sc mode: nothing touches the store buffers, so R_SB is dropped everywhere; sb modes: lock writes touch them;
// - a step reading cpu_atomic() reads every spinlock a task actor may hold;
// - invariants checked in every state (check_state): every step writing a resource such an invariant reads also
//   reads all of them, so these writers are pairwise dependent and keep their order in every equivalent execution;
// - quiescence checks (evaluated where every actor is between operations): a step that may make "quiescent and a
//   check fails" true (one that ends an operation, or changes checked state while its actor stays between
//   operations) reads every checked resource and writes R_QUIET; steps that start an operation and writers of
//   checked state read R_QUIET. So such a step keeps its order against every start, end and checked write, and the
//   state after it is the same in every equivalent execution (docs/perf-model.md, "Reduction").
void Model::finish_footprints() {
  uint64_t spin_task = 0;
  for (const Actor& a : actors) {
    if (a.kind != AK::task) continue;
    for (const Node& n : a.prog.nodes)
      for (const Step& st : n.alts)
        for (size_t L = 0; L < locks.size(); ++L)
          if (locks[L].kind == LK::spin && (st.foot.w >> L & 1)) spin_task |= bit(int(L));
  }
  const uint64_t inv = inv_bits(), qinv = qinv_bits();
  // `done` is read only by steps that wait for other actors (wait_for, a task's wake-up), which declare R_DONE;
  // without such a step, finishing needs no footprint of its own.
  bool done_read = false;
  for (const Actor& a : actors)
    for (const Node& n : a.prog.nodes)
      for (const Step& st : n.alts) done_read |= st.wait_done != 0;
  const bool qchk = qinv != 0;
  for (Actor& a : actors) {
    Prog& p = a.prog;
    auto quiet = [&](size_t pc) { return pc >= p.nodes.size() || p.nodes[pc].quiet; };
    for (size_t pc = 0; pc < p.nodes.size(); ++pc)
      for (Step& st : p.nodes[pc].alts) {
        Foot& f = st.foot;
        if (!sb()) {
          f.r &= ~bit(R_SB);
          f.w &= ~bit(R_SB);
        } else if (f.w & B_LOCKS) {
          f.r |= bit(R_SB), f.w |= bit(R_SB);  // a release may be queued behind buffered stores, a take drops it
        }
        if (st.flags & SF_ATOMIC_RD) f.r |= spin_task | mem_bit(V_CURR);
        bool fin = st.falls && pc + 1 == p.nodes.size();
        for (int l : st.jumps) fin |= size_t(p.label_pc[l]) == p.nodes.size();
        if (fin && done_read) f.w |= bit(R_DONE);
        if (f.w & inv) f.r |= inv;
        if (!qchk) continue;
        // enter: may leave quiescence; maker: may make "quiescent and a check fails" true (ends an operation, or
        // changes checked state while its actor stays between operations).
        bool enter = false, maker = false;
        auto to = [&](size_t q) {
          if (quiet(pc) && !quiet(q)) enter = true;
          if (quiet(q) && (!quiet(pc) || (f.w & qinv))) maker = true;
        };
        if (st.falls) to(pc + 1);
        if (st.stays) to(pc);
        for (int l : st.jumps) to(size_t(p.label_pc[l]));
        if (enter) f.r |= bit(R_QUIET);
        if (maker) f.r |= qinv | bit(R_QUIET), f.w |= bit(R_QUIET);
        if (f.w & qinv) f.r |= bit(R_QUIET);
      }
  }
}

void Model::finish() {
  if (actors.size() > MAXACT) throw std::runtime_error("perf model: too many actors");
  steps.clear();
  finish_footprints();
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
                     mems[int(f.mem)], f.lockdep == Lockdep::faithful ? "faithful" : "semantic") +
         (f.ctxsw_mb ? "" : " CTXSW_MB=off") + (f.ds_reserve_mb ? "" : " DS_RESERVE_MB=off") + (f.curr_late ? " CURR=late" : "") + (f.ds_ap_low ? " AP=cpu0" : "") + (f.pin_tasks ? " PINNED" : "") +
         (f.locks_off.empty() ? "" : " LOCKS=off@" + fmt::format("{}", fmt::join(f.locks_off, ","))) +
         (f.fences_off ? f.fences_off_at.empty() ? " FENCES=off" : " FENCES=off@" + fmt::format("{}", fmt::join(f.fences_off_at, ",")) : "");
}

}  // namespace paddock::perf
