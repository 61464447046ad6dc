// Symmetries of a test: a permutation of its threads together with a permutation of its locations that maps the
// program onto itself (each thread's paths onto the image thread's, event by event, with initial values, register
// initial values and types), the filter onto an equivalent filter and the displayed locations onto themselves.
// Any such map takes an execution to an execution that every cat model judges alike (a model sees events through
// relations and sets only, never thread numbers or location names), so the engine need run the model on one
// execution of each orbit and tally the others' final states by mapping them (engine.cpp).
#pragma once
#include <vector>

#include "events/events.hpp"
#include "litmus/ast.hpp"

namespace paddock::exec {

struct Automorphism {
  std::vector<int> thread;  // thread t's events become thread thread[t]'s, at the same path and index
  std::vector<int> loc;     // location l becomes loc[l]
  std::vector<int> shown;   // the value displayed at position i is displayed at position shown[i]
  events::Value map(const events::Value& v) const {
    return v.kind == events::Value::Kind::Addr ? events::Value::addr(loc[size_t(v.i)]) : v;
  }
};

// Every automorphism but the identity, forming with it a group; none when the test has what is not mapped here
// (assembly, code values, faults, mixed sizes, arrays, cut loops) or the search or the group grows too large.
std::vector<Automorphism> automorphisms(const litmus::Test& test, const events::Program& program,
                                        const std::vector<litmus::Location>& displayed);

}  // namespace paddock::exec
