// Generic lock table operations (spec §1.4): each emitter appends the steps of one lock primitive.
#pragma once
#include <string>

#include "perf/program.hpp"

namespace paddock::perf {

// mutex / raw spinlock (sub = lockdep subclass, mutex_lock_nested).
void lock(B& b, int L, const std::string& lbl, int sub = 0);
void unlock(B& b, int L, const std::string& lbl);
// mutex / spinlock chosen at run time; `bits` over-approximates the candidate locks (footprint).
using LockFn = std::function<int(const State&, const Ex&)>;
void lock_dyn(B& b, LockFn lf, const std::string& lbl, uint64_t bits, int sub = 0);
// Readers of a percpu_rwsem (cpus_read_lock, get_online_mems) or of a homebrew recursive lock.
void read_lock(B& b, int L, const std::string& lbl);
void read_unlock(B& b, int L, const std::string& lbl);
// Writers: percpu_rwsem RW1 (pending) + RW2 (no readers); homebrew: active_writer + inner-mutex loop.
void write_lock(B& b, int L, const std::string& lbl);
void write_unlock(B& b, int L, const std::string& lbl);

// Lock-table primitives shared with steps that take a lock as part of a larger atomic step.
bool lock_free(const State& s, int L);
// Free, or only released into this actor's own store buffer (it may take it back at once).
bool can_take(const State& s, const Ex& e, int L);
uint8_t owner_mask(const State& s, int L);
void take(State& s, Ex& e, int L, int sub, int mode);      // acquire + lockdep record
void release(State& s, Ex& e, int L);                      // release + pop held
void push_held(State& s, Ex& e, int L, int sub, int mode);  // lockdep map only (no lock state)
void pop_held(State& s, const Ex& e, int L);
bool holds(const State& s, int a, int L);

}  // namespace paddock::perf
