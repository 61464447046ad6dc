// herd's rule for candidates whose values it cannot solve (../shared/docs/herd-c-semantics.md §9; docs/values.md):
// herd builds each operation on a read's value as a value equation, adds `read := written value` per rf choice,
// merges pure copies, evaluates operations whose operands are known, and drops the candidate before the model if an
// equation is left (unless -variant oota). paddock's engine solves values its own way; this replays herd's solver
// on one candidate to decide the drop.
#pragma once
#include <vector>

#include "events/events.hpp"

namespace paddock::events {

// What one memory read of the candidate reads: the value a write of the chosen paths stores, or (written ==
// nullptr) the location's initial value.
struct ReadSource {
  int read_id = -1;
  const Sym* written = nullptr;
  Value init;
};

// True when herd's solver leaves a value equation of this candidate unsolved (or finds it contradictory):
// herd then drops the candidate. `paths` are the chosen path of every thread.
bool leaves_equations(const std::vector<const Path*>& paths, const std::vector<ReadSource>& rf);

// False when no candidate of the program can leave herd's solver an equation: no cycle runs from a read through
// a value-computed write of its thread to a read of another thread that may read that write (the same constant
// location, or any when an address is computed). Acyclic equations are all solved by evaluation in order, so
// the drop rule changes nothing; a cycle (an out-of-thin-air shape) may. Used by -speedcheck, whose Z3
// encoding does not have the rule, to hand such programs to the explicit engine.
bool may_leave_equations(const Program& program);

}  // namespace paddock::events
