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

// Footprint resources: lock ids occupy bits 0..MAXLOCK-1; then groups of shared state.
enum : int {
  R_MEM0 = MAXLOCK,       // one bit per MemVar group (ctxp, task_cpu, curr, online, ds, ds_area)
  R_SB = R_MEM0 + 6,      // store buffers
  R_SCHED,                // run states, on_cpu, budgets, active, ran
  R_IRQ,                  // irqs_off, ipi slots
  R_PERF,                 // ctx fields, events, task_ctx, perf_online, pmus list
  R_X86,                  // pmc refcount, LBR, PEBS, DS objects
  R_BP,                   // breakpoint tables
  R_NBITS
};
static_assert(R_NBITS <= 64);
constexpr uint64_t bit(int r) { return uint64_t(1) << r; }
constexpr uint64_t ALL = ~uint64_t(0);

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
  void go(int label) { next = label; }
  void viol(Prop k, std::string d) const;
  void info(Prop k, std::string d) const;
};

using EnFn = std::function<bool(const State&, const Ex&)>;
using ApFn = std::function<void(State&, Ex&)>;
using BlkFn = std::function<uint8_t(const State&, const Ex&)>;  // actors a disabled step waits for

enum : uint8_t { SF_RETRY = 1, SF_LOCK = 2, SF_LOCAL = 4 };

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
