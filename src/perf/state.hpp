// The hashed state vector (spec §1). Byte arrays only: no padding, so memcmp and a byte hash are canonical.
#pragma once
#include <cstdint>
#include <cstring>

#include "perf/config.hpp"

namespace paddock::perf {

// Shared variables that go through the store buffers in sb modes (spec §1.8).
enum MemVar : uint8_t {
  V_CTXP = 0,                   // ctxp[t]: 0 = NULL, else ctx id + 1
  V_TCPU = V_CTXP + MAXTASK,    // task_cpu[t]
  V_CURR = V_TCPU + MAXTASK,    // rq[c].curr: 0 = idle, else task id + 1
  V_ONLINE = V_CURR + MAXCPU,   // cpu_online bit
  V_DS = V_ONLINE + MAXCPU,     // cpu_hw_events.ds: 0 = NULL, else DS object id
  V_DSAREA = V_DS + MAXCPU,     // the DS_AREA MSR
  NMEM = V_DSAREA + MAXCPU
};

// Event states (est). ACTIVE is ACT_BASE + cpu.
enum : uint8_t { E_NONE = 0, E_NEW, E_INACTIVE, E_EXITED, E_FREED, E_ERROR, E_ACT = 0x10 };
// Task run states.
enum : uint8_t { T_RUNNING = 0, T_RUNNABLE, T_BLOCKED, T_DEAD };
// Lockdep acquisition modes.
enum : uint8_t { M_W = 0, M_R = 1, M_RR = 2 };
// ctask special values.
enum : int8_t { CT_NONE = -1, CT_TOMB = -2 };

// A mutex/spinlock release waiting in a store buffer (sb modes): owner = OWN_SB | cpu, sb entry var = SB_REL + lock.
enum : uint8_t { OWN_SB = 0x80, SB_REL = 0x40 };

struct LockSt {
  uint8_t owner;  // actor + 1 (mutex/spin owner, rwsem writer, homebrew active_writer), or OWN_SB | cpu
  uint8_t pend;   // rwsem: pending writer (actor + 1)
  uint8_t rd;     // reader bitmask (rwsem / homebrew refcount holders)
  uint8_t rd2;    // second-level recursive readers
};

// Actor flags.
enum : uint8_t { AF_ATOMIC = 1 };  // AP STARTING context: sleeping locks forbidden

struct ActSt {
  uint8_t pc;
  uint8_t done;
  int8_t ipi;     // CPU whose IPI handler this actor is running, or -1
  uint8_t fl;
  int8_t r[4];    // registers (locals of the kernel path)
  uint8_t nheld;  // lockdep held stack
  uint8_t held[MAXHELD];   // lock id
  uint8_t hmode[MAXHELD];  // subclass | mode << 4
};

struct State {
  LockSt lk[MAXLOCK];
  ActSt act[MAXACT];
  int8_t mem[NMEM];
  uint8_t sbn[MAXCPU];
  uint8_t sbvar[MAXCPU][SBD];
  int8_t sbval[MAXCPU][SBD];
  // CPUs and scheduler
  uint8_t irqs[MAXCPU];  // actor + 1 running with irqs off on c (switch, AP STARTING, IPI handler)
  uint8_t ipi[MAXCPU];   // actor + 1 owning the (single) call slot of c
  uint8_t active[MAXCPU], perf_online[MAXCPU], swb[MAXCPU];
  uint8_t migb;
  uint8_t run[MAXTASK], on_cpu[MAXTASK], exiting[MAXTASK], ran[MAXTASK];
  // perf core
  int8_t ctask[MAXCTX];
  uint8_t cact[MAXCTX], cev[MAXCTX], conline[MAXCTX];
  int8_t cref[MAXCTX];
  uint8_t task_ctx[MAXCPU];  // ctx id + 1
  uint8_t est[MAXEV];
  uint8_t published;         // pmu bitmask visible in the pmus list
  // x86 PMU / DS
  int8_t pmc_ref, lbr_excl, active_events;
  uint8_t pebs_active, pebs_buf, pebs_en, ds_alive;
  uint8_t ds_gen[MAXCPU];
  // breakpoints
  int8_t cpu_pinned[MAXCPU];
  int8_t tsk_pinned[MAXCPU][NSLOT];
  uint8_t bp_list;  // post-004 per-task breakpoint list (event bitmask)
  uint8_t bp_live;  // ground truth: reserved and not yet released (checker only)
};

static_assert(alignof(State) == 1, "State must be a byte array (no padding)");

// Four independent lanes (no serial multiply chain), then the murmur3 finaliser.
inline uint64_t hash_state(const State& s) {
  const auto* p = reinterpret_cast<const unsigned char*>(&s);
  uint64_t h[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull, 0x27D4EB2F165667C5ull};
  auto mix = [](uint64_t x, uint64_t w) {
    w *= 0x87c37b91114253d5ull;
    w = (w << 31) | (w >> 33);
    x ^= w * 0x4cf5ad432745937full;
    return ((x << 27) | (x >> 37)) * 5 + 0x52dce729;
  };
  size_t i = 0;
  for (; i + 32 <= sizeof(State); i += 32) {
    uint64_t w[4];
    std::memcpy(w, p + i, 32);
    for (int k = 0; k < 4; ++k) h[k] = mix(h[k], w[k]);
  }
  for (int k = 0; i < sizeof(State); i += 8, ++k) {
    uint64_t w = 0;
    std::memcpy(&w, p + i, sizeof(State) - i < 8 ? sizeof(State) - i : 8);
    h[k] = mix(h[k], w);
  }
  uint64_t r = h[0] ^ (h[1] * 0x9E3779B97F4A7C15ull) ^ ((h[2] << 17) | (h[2] >> 47)) ^ (h[3] * 0xff51afd7ed558ccdull);
  r ^= r >> 33;
  r *= 0xff51afd7ed558ccdull;
  r ^= r >> 33;
  r *= 0xc4ceb9fe1a85ec53ull;
  return r ^ (r >> 33);
}

inline bool same_state(const State& a, const State& b) { return std::memcmp(&a, &b, sizeof(State)) == 0; }

// DS object ids: cea_static has one per CPU (c+1); kmalloc allocates generation g: 1 + c + MAXCPU*g.
inline int ds_obj(int c, int g) { return 1 + c + MAXCPU * g; }

}  // namespace paddock::perf
