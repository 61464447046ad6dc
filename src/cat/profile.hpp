// Per-statement cost of a model run (PADDOCK_CAT_PROFILE=1): exclusive CPU cycles and runs/replays of each
// top-level statement, printed to stderr at exit, costliest first. For finding where a model's time goes; off,
// it costs one predictable branch per statement.
#pragma once

#include <cstdint>

namespace paddock::cat {

struct Stmt;

namespace profile {
bool on();
uint64_t now();
// cycles: exclusive of nested statements (a pending let forced from inside another statement).
void add(const Stmt& s, uint64_t cycles, bool replayed);
}  // namespace profile

}  // namespace paddock::cat
