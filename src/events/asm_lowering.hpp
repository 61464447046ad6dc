// What the assembly lowerings (lower_x86.cpp, lower_x86_64.cpp, lower_aarch64.cpp) share: exploring a
// thread's control-flow paths one cell at a time, jumps with herd's unrolling bound, appending an event, the
// locations a test's state names, and the checks on init entries.
#pragma once
#include <fmt/format.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "asm/ast.hpp"
#include "events/events.hpp"

namespace paddock::events {

// Every path of one thread, from `init`: a worklist of partial paths, one per control-flow choice made so far,
// each run until it leaves its code or is cut by the unrolling bound. T (the architecture's thread) supplies
// at_end(s), finish(s) (the path's final registers, into s.path), cell(s) (the cell at s.pc) and
// step(s, instr, todo) (push the successors of s).
template <class T, class S>
std::vector<Path> explore_paths(T& t, S init) {
  std::vector<S> todo{std::move(init)};
  std::vector<Path> out;
  while (!todo.empty()) {
    S s = std::move(todo.back());
    todo.pop_back();
    if (s.path.loop_cut || t.at_end(s)) {
      t.finish(s);
      out.push_back(std::move(s.path));
      continue;
    }
    const hw::Cell& cell = t.cell(s);
    if (!cell.has_instr) {  // labels only
      s.pc++;
      todo.push_back(std::move(s));
      continue;
    }
    s.stmt++;
    t.step(std::move(s), cell.instr, todo);
  }
  return out;
}

// s continues at `target`. A counted backward jump is taken at most `unroll` times per target; the next one
// cuts the path there, as herd does (its warning names `label`).
template <class S>
void jump_to(S s, size_t target, const std::string& label, int unroll, bool counted, std::vector<S>& todo) {
  if (target <= s.pc && counted && ++s.back_jumps[target] > unroll) {
    s.path.loop_cut = true;
    s.path.cut_at = label;
  } else {
    s.pc = target;
  }
  todo.push_back(std::move(s));
}

// A memory or fence event of statement `stmt`, appended to the path; a read gets the program's next read id.
inline int append_event(Program& prog, Path& path, int stmt, Sort sort, SymPtr addr, SymPtr value, Pos pos) {
  Event e;
  e.sort = sort;
  e.addr = std::move(addr);
  e.value = std::move(value);
  e.stmt = stmt;
  e.pos = pos;
  if (sort == Sort::R) e.read_id = prog.reads++;
  path.events.push_back(std::move(e));
  return int(path.events.size()) - 1;
}

// The shared locations a proposition names (as atoms' locations or as address values).
inline void prop_location_names(const litmus::PropPtr& p, std::set<std::string>& names) {
  if (!p) return;
  if (p->kind == litmus::Prop::Kind::Atom) {
    if (p->loc.thread < 0) names.insert(p->loc.name);
    if (p->value.is_addr) names.insert(p->value.addr);
  }
  prop_location_names(p->left, names);
  prop_location_names(p->right, names);
}

// The shared locations of `locations`, the condition and the filter.
inline void state_location_names(const litmus::Test& t, std::set<std::string>& names) {
  for (const auto& l : t.locations)
    if (l.thread < 0) names.insert(l.name);
  prop_location_names(t.condition, names);
  prop_location_names(t.filter, names);
}

// An init entry names a location or register once, and a register of a thread the program has.
inline void check_init_entry(const litmus::Test& t, const litmus::InitEntry& e, size_t threads,
                             std::set<std::pair<int, std::string>>& seen) {
  if (!seen.insert({e.thread, e.name}).second)
    throw UserError(t.file, e.pos, fmt::format("location {} is initialized more than once", e.name));
  if (e.thread >= int(threads)) throw UserError(t.file, e.pos, fmt::format("thread {} does not exist", e.thread));
}

}  // namespace paddock::events
