// x86 PMU hardware reservation and DS buffers (spec §2.7).
#include <fmt/format.h>

#include "perf/ops.hpp"
#include "perf/memlog.hpp"

namespace paddock::perf {

static Foot PMC = frw(bit(R_X86), bit(R_X86));  // pmc refcount, LBR exclusive count, active_events
static Foot DSF = frw(bit(R_DS), bit(R_DS));     // PEBS/DS buffers

static void reserve_ds(B& b) {
  const Model& m = b.m;
  b.op = "reserve_ds_buffers";
  const bool pre = m.f.v000 == V000::pre;
  if (pre) read_lock(b, m.L_cpus, "E0.get_online_cpus");
  for (int c = 0; c < m.ncpu; ++c) {
    b.step(fmt::format("E1.alloc_ds_buffer.cpu{}", c), [c](State& s, Ex& e) {
      int obj = ds_obj(c, 0);
      if (e.m->f.ds == DsStorage::kmalloc) {
        obj = ds_obj(c, s.ds_gen[c]);
        s.ds_gen[c] ^= 1;
        s.ds_alive |= uint8_t(1u << (obj - 1));
      }
      st(s, e, V_DS + c, int8_t(obj));
    }, frw(bit(R_DS) | bit(R_SB), bit(R_DS) | mem_bit(V_DS) | bit(R_SB)));
    b.step(fmt::format("E2.alloc_pebs_buffer.cpu{}", c), [c](State& s, Ex&) { s.pebs_buf |= uint8_t(1u << c); }, DSF);
  }
  if (m.f.v000 == V000::repair && m.f.ds_reserve_mb)
    b.step("E3.smp_mb", [](State& s, Ex& e) { fence(s, e, Prim::smp_mb); }, Foot{});
  b.step("E3.pebs_active", [](State& s, Ex&) { s.pebs_active = 1; }, DSF);
  // pre: for_each_online_cpu; post: for_each_possible_cpu ignoring RC_ENXIO. Both are an IPI that fails when offline.
  for (int c = 0; c < m.ncpu; ++c)
    ipi_call(b, c, fmt::format("E4.init_debug_store_on_cpu{}", c), [c](B& b, int) {
      b.step("wrmsr_ds_area", [c](State& s, Ex& e) { wrmsr(s, e, V_DSAREA + c, ld(s, e, V_DS + c)); },
             b.m.sb() ? Foot{} : frw(mem_bit(V_DS) | bit(R_SB), mem_bit(V_DSAREA) | bit(R_SB)));
    });
  if (pre) read_unlock(b, m.L_cpus, "E5.put_online_cpus");
}

static void release_ds(B& b) {
  const Model& m = b.m;
  b.op = "release_ds_buffers";
  const bool pre = m.f.v000 == V000::pre;
  auto fini = [&] {
    for (int c = 0; c < m.ncpu; ++c)
      ipi_call(b, c, fmt::format("Q1.fini_debug_store_on_cpu{}", c), [c](B& b, int) {
        b.step("wrmsr_ds_area_0", [c](State& s, Ex& e) {
          if (ld(s, e, V_DS + c)) wrmsr(s, e, V_DSAREA + c, 0);
        }, b.m.sb() ? Foot{} : frw(mem_bit(V_DS) | bit(R_SB), mem_bit(V_DSAREA) | bit(R_SB)));
      });
  };
  auto unmap = [&] {
    for (int c = 0; c < m.ncpu; ++c)
      b.step(fmt::format("Q2.release_pebs_buffer.cpu{}", c), [c](State& s, Ex&) { s.pebs_buf &= uint8_t(~(1u << c)); }, DSF);
  };
  auto free_ds = [&] {
    for (int c = 0; c < m.ncpu; ++c)
      b.step(fmt::format("Q3.release_ds_buffer.cpu{}", c), [c](State& s, Ex& e) {
        int obj = ld(s, e, V_DS + c);
        st(s, e, V_DS + c, 0);
        if (obj && e.m->f.ds == DsStorage::kmalloc) s.ds_alive &= uint8_t(~(1u << (obj - 1)));
      }, frw(bit(R_DS) | bit(R_SB) | mem_bit(V_DS), bit(R_DS) | mem_bit(V_DS) | bit(R_SB)));
  };
  if (pre) {
    read_lock(b, m.L_cpus, "Q0.get_online_cpus");
    fini();
    unmap();
    free_ds();
    read_unlock(b, m.L_cpus, "Q4.put_online_cpus");
  } else {
    free_ds();
    fini();
    unmap();
  }
}

void reserve_hw(B& b) {
  const Model& m = b.m;
  b.op = "x86_reserve_hardware";
  int done = b.label(), h4 = b.label();
  Step& h1 = b.step("H1.inc_not_zero", [done](State& s, Ex& e) {
    fence(s, e, Prim::atomic_mb);  // no-op in sc mode
    if (s.pmc_ref > 0) {
      ++s.pmc_ref;
      e.go(done);
    }
  }, m.sb() ? Foot{} : PMC);  // the sb-mode drain may flush anything, buffered lock releases included
  h1.jumps = {done};
  lock(b, m.L_pmc, "H2.pmc_reserve_mutex");
  Step& h3 = b.step("H3.refcount", [h4](State& s, Ex& e) {
    if (s.pmc_ref != 0) e.go(h4);
  }, fr(bit(R_X86)));
  h3.jumps = {h4};
  if (m.sub.x86ds) reserve_ds(b);
  b.op = "x86_reserve_hardware";
  b.bind(h4);
  b.step("H4.inc+H5.unlock", [L = m.L_pmc](State& s, Ex& e) {
    ++s.pmc_ref;
    release(s, e, L);
  }, frw(bit(R_X86) | bit(m.L_pmc), bit(R_X86) | bit(m.L_pmc)));
  b.bind(done);
}

void release_hw(B& b) {
  const Model& m = b.m;
  b.op = "x86_release_hardware";
  int done = b.label();
  const int L = m.L_pmc;
  // atomic_dec_and_mutex_lock: the last reference takes the mutex (blocking) in the same step.
  Step& k1 = b.guard(
      "K1.dec_and_lock", [L](const State& s, const Ex& e) { return s.pmc_ref != 1 || can_take(s, e, L); },
      [L, done](State& s, Ex& e) {
        if (s.pmc_ref != 1) {
          if (--s.pmc_ref < 0) e.viol(Prop::G4, "pmc_refcount < 0");
          e.go(done);
          return;
        }
        s.pmc_ref = 0;
        take(s, e, L, 0, M_W);
      },
      [L](const State& s, const Ex&) { return owner_mask(s, L); }, frw(bit(R_X86) | bit(L), bit(R_X86) | bit(L)));
  k1.jumps = {done};
  k1.flags |= SF_LOCK;
  k1.lk = int8_t(L);
  if (m.sub.x86ds) release_ds(b);
  b.op = "x86_release_hardware";
  unlock(b, L, "K3.pmc_reserve_mutex_unlock");
  b.bind(done);
}

void add_exclusive(B& b) {
  const Model& m = b.m;
  b.op = "x86_add_exclusive";
  int done = b.label();
  Step& f = b.step("inc_not_zero", [done](State& s, Ex& e) {
    if (s.lbr_excl > 0) {
      ++s.lbr_excl;
      e.go(done);
    }
  }, PMC);
  f.jumps = {done};
  lock(b, m.L_pmc, "pmc_reserve_mutex");
  b.step("inc+unlock", [L = m.L_pmc](State& s, Ex& e) {
    ++s.lbr_excl;
    release(s, e, L);
  }, frw(bit(R_X86) | bit(m.L_pmc), bit(R_X86) | bit(m.L_pmc)));
  b.bind(done);
  b.step("active_events_inc", [](State& s, Ex&) { ++s.active_events; }, PMC);
}

void del_exclusive(B& b) {
  b.op = "x86_del_exclusive";
  b.step("dec", [](State& s, Ex& e) {
    --s.lbr_excl;
    --s.active_events;
    if (s.lbr_excl < 0 || s.active_events < 0) e.viol(Prop::G4, "LBR exclusive count < 0");
  }, PMC);
}

}  // namespace paddock::perf
