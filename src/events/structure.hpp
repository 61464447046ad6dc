// One event structure (a path chosen for each thread) laid out for the models: init writes first (one per
// location, at the location's index), then each thread's events; plus everything that depends only on the
// program: the event sets (R W F IW RMW LKR ... and one per annotation) and po, int, ext, addr, data, ctrl,
// rmw, iico_data, iico_ctrl. Shared by the explicit engine and the Z3 engine.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "events/events.hpp"
#include "rel/relation.hpp"

namespace paddock::events {

struct StructEvent {
  const Event* ev = nullptr;  // null for an init write
  int thread = -1;
  int init_loc = -1;          // the location of an init write
};

struct Structure {
  std::vector<const Path*> paths;
  std::vector<StructEvent> events;
  std::vector<int> base;                   // index of each thread's first event
  std::map<std::string, EventSet> sets;    // FW is present and empty: the engines choose it
  std::map<std::string, Relation> rels;
};

Structure make_structure(const Program& program, const std::vector<const Path*>& paths);

// herd names the set of an annotation by upper-casing its first letter: 'wmb -> Wmb, 'MB -> MB.
std::string tag_set_name(const std::string& tag);

}  // namespace paddock::events
