// One execution copied out of the engine's observer callback into a self-contained picture: labelled events in
// per-thread order and named edges. What the dot writer (graph/dot.hpp) and explanations (graph/explain.hpp) read.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "cat/interpreter.hpp"
#include "cat/model.hpp"
#include "events/events.hpp"
#include "exec/engine.hpp"
#include "litmus/ast.hpp"

namespace paddock::graph {

struct Node {
  int thread = -1;       // -1: init write
  int index = 0;         // position in its thread (init writes: by location)
  std::string name;      // herd's event name: a, b, ... (init writes: "")
  std::string action;    // herd's action text: W[once]x=1, R[acquire]z=0, F[mb]
  bool fence = false;
  int line = 0;          // source line of the instruction (0 for init writes)
};

struct Edge {
  size_t from, to;
  std::string label;     // po, rf, co, fr, a shown relation, or a check's name
  bool highlight = false;  // part of the explanation (the violating cycle or pairs)
};

struct Snapshot {
  std::vector<Node> nodes;  // engine event order: init writes, then each thread's events
  std::vector<Edge> edges;
  std::string state;        // "0:r1=0; 2:r1=1;" herd's state line
  bool allowed = false;
  bool positive = false;    // the condition's proposition holds
  std::string failed_check;
};

// Which relations a picture shows besides po/rf/co/fr: herd's -doshow/-unshow, plain parameters.
struct ShowNames {
  std::vector<std::string> doshow;  // added (model names looked up in the execution)
  std::vector<std::string> unshow;  // never drawn (po, rf, ... included)
};

// The model's shown names (cat `show`) plus doshow, minus unshow.
std::vector<std::string> shown_names(const cat::Model& model, const ShowNames& names);

// Copies one execution: events with herd's labels; po (immediate successors), rf, co (immediate successors per
// location), fr (to the immediate co-successor), addr/data/ctrl/rmw, and the named relations (Outcome::inspect).
Snapshot snapshot(const litmus::Test& test, const events::Program& prog, const exec::Execution& x,
                  const std::vector<std::string>& extra_names, const ShowNames& names);

// herd's state line of a snapshot's execution: "0:r1=0; x=1;".
std::string state_line(const std::vector<litmus::Location>& displayed, const exec::State& st,
                       const events::Program& prog);

}  // namespace paddock::graph
