// How the explicit engine uses a test's symmetries (symmetry.hpp) on its search: the model runs on one execution
// of each orbit, the one whose (paths, rf) is least, comparing the path choices first and then, within a
// structure its stabilizer maps to itself, each read's write in the order the reads are chosen. Every other
// execution of the orbit is the image of one the model ran on, and is tallied by mapping that one's state.
#pragma once
#include <cstddef>
#include <map>
#include <utility>
#include <vector>

#include "events/events.hpp"
#include "events/structure.hpp"
#include "exec/result.hpp"
#include "exec/symmetry.hpp"
#include "litmus/ast.hpp"

namespace paddock::exec {

class Orbits {
 public:
  Orbits(const std::vector<Automorphism>& group, const litmus::Test& test, const events::Program& prog,
         const std::vector<litmus::Location>& displayed);
  bool active() const { return !group_.empty(); }

  // A new structure (its path choice, events, first event of each thread, reads in the order they are chosen):
  // false when a symmetry maps its paths to smaller ones, so that none of its candidates is run.
  bool enter(const std::vector<size_t>& choice, const std::vector<events::StructEvent>& ev,
             const std::vector<int>& base, const std::vector<int>& reads);
  // False when, for the reads chosen so far (the first k; rf by event), some symmetry of the structure gives
  // every completion a smaller image.
  bool canonical(size_t k, const std::vector<int>& rf) const;
  // A complete candidate: the symmetries that give its distinct images other than itself, one for each.
  void images_of(const std::vector<int>& rf);
  // Its images' states and whether the condition holds on each, for the state st of one final-write choice.
  const std::vector<std::pair<State, bool>>& image_states(const State& st);

 private:
  int map_event(const Automorphism& g, size_t e) const;
  // The condition on a state given by its displayed values (each location it reads is displayed).
  bool holds_on(const litmus::Prop& p, const State& st) const;
  void index_atoms(const litmus::Prop& p);

  const std::vector<Automorphism>& group_;
  const litmus::Test& test_;
  const events::Program& prog_;
  const std::vector<litmus::Location>& displayed_;
  // The structure entered last.
  std::vector<size_t> choice_;
  const std::vector<events::StructEvent>* ev_ = nullptr;
  const std::vector<int>* base_ = nullptr;
  const std::vector<int>* reads_ = nullptr;
  std::vector<size_t> stabilizer_;          // its symmetries that map it to itself (indices into group_)
  std::vector<std::vector<int>> emap_;      // per stabilizer element: the image of each event
  std::vector<std::vector<int>> read_pre_;  // per element: the position of the read mapped onto reads[j]
  std::vector<size_t> images_;              // the candidate's symmetries with distinct images
  std::vector<std::pair<State, bool>> image_states_;
  std::map<const litmus::Prop*, std::pair<int, int>> atom_at_;  // condition atom -> displayed positions
};

}  // namespace paddock::exec
