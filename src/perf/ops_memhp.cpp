// Memory hotplug and its slab reader (spec §2.9, seed 003).
#include "perf/ops.hpp"

namespace paddock::perf {

static void assert_cpus_held(B& b, const std::string& lbl) {
  b.step(lbl, [](State& s, Ex& e) {
    if (!holds(s, e.a, e.m->L_cpus)) e.viol(Prop::A_CPUSHELD, "lockdep_assert_cpus_held() without the cpus lock");
  }, fr(0));
}

void op_memhp(B& b) {
  const Model& m = b.m;
  b.op = "mem_hotplug_begin";
  b.quiet();
  const V003 v = m.f.v003;
  if (v == V003::pre) {
    lock(b, m.L_memarl, "memory_add_remove_lock");
    write_lock(b, m.L_mem, "mem_hotplug");
    b.op = "stop_machine";
    read_lock(b, m.L_cpus, "get_online_cpus");
    read_unlock(b, m.L_cpus, "put_online_cpus");
    b.op = "lru_add_drain_all";
    read_lock(b, m.L_cpus, "get_online_cpus");
    read_unlock(b, m.L_cpus, "put_online_cpus");
    b.op = "mem_hotplug_done";
    write_unlock(b, m.L_mem, "mem_hotplug_unlock");
    unlock(b, m.L_memarl, "memory_add_remove_unlock");
    return;
  }
  read_lock(b, m.L_cpus, "cpus_read_lock");
  write_lock(b, m.L_mem, "percpu_down_write");
  b.op = "stop_machine_cpuslocked";
  assert_cpus_held(b, "lockdep_assert_cpus_held");
  if (v == V003::mid) {
    b.op = "lru_add_drain_all";
    read_lock(b, m.L_cpus, "cpus_read_lock");
    read_unlock(b, m.L_cpus, "cpus_read_unlock");
  } else {
    b.op = "lru_add_drain_all_cpuslocked";
    assert_cpus_held(b, "lockdep_assert_cpus_held");
  }
  b.op = "mem_hotplug_done";
  write_unlock(b, m.L_mem, "percpu_up_write");
  read_unlock(b, m.L_cpus, "cpus_read_unlock");
}

void op_slab_reader(B& b) {
  const Model& m = b.m;
  b.op = "kmem_cache_create";
  b.quiet();
  read_lock(b, m.L_cpus, "get_online_cpus");
  read_lock(b, m.L_mem, "get_online_mems");
  b.step("work", [](State&, Ex&) {}, fr(0));
  read_unlock(b, m.L_mem, "put_online_mems");
  read_unlock(b, m.L_cpus, "put_online_cpus");
}

}  // namespace paddock::perf
