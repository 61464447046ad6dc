// Actors are explicit PC machines: a program is a list of nodes, each with one or more alternative steps.
// A step = enabled(state) + apply(state) + static footprint + source label (spec §7).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "perf/props.hpp"
#include "perf/state.hpp"

namespace paddock::perf {

struct Model;
struct Prog;
struct Step;

// Footprint resources: lock ids occupy bits 0..MAXLOCK-1; then groups of shared state.
enum : int {
  R_MEM0 = MAXLOCK,       // one bit per MemVar group (ctxp, task_cpu, curr, online, ds, ds_area)
  R_SB = R_MEM0 + 6,      // store buffers
  R_SCHED,                // run states, on_cpu, budgets, active, ran
  R_IRQ,                  // irqs_off, ipi slots
  R_PERF,                 // task_ctx, perf_online, the pmus list (the rest of the perf core has finer bits)
  R_X86,                  // pmc refcount, LBR exclusive count, active_events
  R_BP,                   // breakpoint tables
  R_QUIET,                // an actor's "between operations" flag (only when quiescence checks run)
  R_DS,                   // PEBS/DS state: pebs_active, pebs_buf, pebs_en, ds_alive, ds_gen
  R_EV0,                  // est[e]: one bit per event
  R_CTX0 = R_EV0 + MAXEV, // ctask/cact/cev/conline/cref of context k: one bit per context
  R_DONE = R_CTX0 + MAXCTX, // some actor's `done` flag (read by steps waiting for other actors to finish)
  R_NBITS
};
static_assert(R_NBITS <= 64);
constexpr uint64_t bit(int r) { return uint64_t(1) << r; }
constexpr uint64_t ALL = ~uint64_t(0);
constexpr uint64_t B_EV = ((uint64_t(1) << MAXEV) - 1) << R_EV0;
constexpr uint64_t B_CTX = ((uint64_t(1) << MAXCTX) - 1) << R_CTX0;
constexpr uint64_t B_PERF = bit(R_PERF) | B_EV | B_CTX;  // everything of the perf core
constexpr uint64_t B_X86 = bit(R_X86) | bit(R_DS);       // everything of the x86 PMU / DS
constexpr uint64_t B_LOCKS = (uint64_t(1) << MAXLOCK) - 1;
constexpr uint64_t ev_bit(int e) { return bit(R_EV0 + e); }
constexpr uint64_t ctx_bit(int k) { return bit(R_CTX0 + k); }

struct Foot {
  uint64_t r = ALL, w = ALL;  // default: conservative (touches everything)
};
inline bool dependent(const Foot& a, const Foot& b) {
  return (a.w & (b.r | b.w)) || (b.w & a.r);
}
uint64_t mem_bit(int var);

// Lock acquisition as seen by lockdep: the held stack before it, and the acquired lock.
struct Acq {
  uint8_t lock, sub, mode;
  bool atomic;        // taken in IPI/STARTING context
  bool attempt;       // recorded from a blocked attempt (deadlock state), not a success
  uint8_t nheld;
  uint8_t held[MAXHELD], hmode[MAXHELD];
};

struct Sink {
  std::vector<Acq> acq;
  std::vector<Violation> viol;
  std::vector<Violation> info;
  void clear() { acq.clear(); viol.clear(); info.clear(); }
};

// Execution context of one step by actor `a`.
struct Ex {
  const Model* m;
  const Prog* p;
  int a;
  Sink* out = nullptr;
  int next = -1;      // label to jump to (else fall through)
  bool stay = false;  // remain on this node
  const Step* step = nullptr;  // the step being applied (apply_step)
  void go(int label) { next = label; }
  void viol(Prop k, std::string d) const;
  void info(Prop k, std::string d) const;
};

using EnFn = std::function<bool(const State&, const Ex&)>;
using ApFn = std::function<void(State&, Ex&)>;
using BlkFn = std::function<uint8_t(const State&, const Ex&)>;  // actors a disabled step waits for

// SF_ATOMIC_RD: reads cpu_atomic() (whether the task current on a CPU holds a spinlock).
enum : uint8_t { SF_RETRY = 1, SF_LOCK = 2, SF_LOCAL = 4, SF_ATOMIC_RD = 8 };

struct Step {
  std::string label;  // e.g. "install.N6"
  EnFn en;            // empty: always enabled
  ApFn ap;
  BlkFn blk;          // empty: waits for nobody in particular
  Foot foot;
  uint8_t flags = 0;
  std::vector<int> jumps;  // labels this step may jump to
  bool falls = true;       // may fall through to the next node
  bool stays = false;      // may stay on its node
  int id = -1;             // global step id (coverage, traces)
  int8_t lk = -1;          // lock steps: the lock, subclass and mode (lockdep attempts in deadlocks)
  std::function<int(const State&, const Ex&)> lkdyn;  // lock chosen at run time (e.g. the prev task's ctx)
  uint8_t lk_sub = 0, lk_mode = 0;
  // Gates (partial-order reduction): the step is enabled only if no *other* actor holds lock `gate` exclusively
  // (owner or pending writer), resp. holds `gate_rd` for read. While actor a holds such a lock, no other actor
  // gets past this step, so what lies behind it is not in that actor's future. Checked at run time by
  // Options::validate.
  int8_t gate = -1, gate_rd = -1;
  uint8_t wait_done = 0;  // enabled only when every actor in this mask has finished (a "done gate")
};

struct Node {
  std::vector<Step> alts;
  bool quiet = false;  // actor is between operations here (quiescence, spec §4.1)
  std::string op;
};

struct Prog {
  std::vector<Node> nodes;
  std::vector<int> label_pc;
  std::vector<Foot> future;  // union of footprints reachable from each pc (persistent sets)
  std::vector<uint8_t> vis_quiet_change;
  void finish();             // computes `future`
  int pc_of(int label) const { return label_pc[label]; }
};

// Builder: appends nodes; labels are ints bound later.
class B {
 public:
  explicit B(const Model& m, Prog& p, int actor) : m(m), p(p), actor(actor) {}
  const Model& m;
  Prog& p;
  int actor;
  std::string op = "?";  // prefix of labels

  int label();
  void bind(int l);
  void quiet();  // mark the next node as an op boundary
  // Plain step (always enabled).
  Step& step(const std::string& lbl, ApFn ap, Foot f = {});
  // Guarded step: enabled only when `en` holds (a blocking wait); blk names who it waits for.
  Step& guard(const std::string& lbl, EnFn en, ApFn ap, BlkFn blk = {}, Foot f = {});
  // Alternative on the most recent node (nondeterministic choice).
  Step& alt(const std::string& lbl, EnFn en, ApFn ap, Foot f = {});
  std::string L(const std::string& s) const { return op + "." + s; }

 private:
  bool next_quiet = false;
};

}  // namespace paddock::perf
