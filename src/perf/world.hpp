// Helpers that set up a scenario's world: lock table, CPUs, tasks, actors.
#pragma once
#include <string>

#include "perf/ops.hpp"

namespace paddock::perf {

void add_locks(Model& m);  // after events and counts are set
void cpu_init(Model& m, int c, bool online);
void task_init(Model& m, int t, int cpu, uint8_t run);
int add_event(Model& m, EventDef d);
int add_actor(Model& m, const std::string& name, AK kind, int cpu, int task = -1, bool required = true);
B builder(Model& m, int a);
// First step of an actor that starts only after the actors in `mask` finished.
void wait_for(B& b, uint8_t mask);

}  // namespace paddock::perf
