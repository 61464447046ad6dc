// What the assembly front ends (parse_x86.cpp, parse_x86_64.cpp, parse_aarch64.cpp) share: running an ANTLR
// grammar over the program section, herd's program grid (a header row P0 | P1 | ..., then one cell per thread
// and row), and the walks over the registers an init block, `locations`, condition and filter name. Each front
// end keeps only what is its own: operands, instructions, register names.
#pragma once
#include <fmt/format.h>

#include "antlr4-runtime.h"

#include <set>
#include <string>
#include <vector>

#include "asm/ast.hpp"
#include "litmus/ast.hpp"
#include "litmus/syntax_errors.hpp"

namespace paddock::hw::front_end {

inline Pos pos_of(const antlr4::Token* t) { return {int(t->getLine()), int(t->getCharPositionInLine()) + 1}; }

// Parses `text` with the grammar's lexer and parser (errors thrown positioned, as UserError) and returns what
// f makes of its program tree, while the tree is alive.
template <class Lexer, class Parser, class F>
auto with_program(const std::string& text, const std::string& file, F&& f) {
  antlr4::ANTLRInputStream input(text);
  litmus::ThrowingListener listener(file);
  Lexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  Parser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  return f(parser.program());
}

// The threads' non-empty cells. The header row must read P0 | P1 | ... exactly; every later row has one cell per
// thread; a label occurs once in the program. B converts an instruction (b.instr) and fails with a position
// (b.fail). With `local_targets`, a branch must name a label of its own thread.
template <class B, class ProgramCtx>
std::vector<std::vector<Cell>> grid(const B& b, ProgramCtx* c, bool local_targets) {
  auto rows = c->row();
  std::vector<std::vector<Cell>> threads;
  auto head = rows[0]->cell();
  for (size_t k = 0; k < head.size(); ++k) {
    auto* cell = head[k];
    auto* in = cell->instr();
    std::string want = fmt::format("P{}", k);
    bool ok = cell->label().empty() && in && in->operand().empty() && in->op->getText() == want;
    if constexpr (requires { in->LOCK(); }) ok = ok && !in->LOCK();  // X86's LOCK prefix
    if (!ok) b.fail(pos_of(cell->getStart()), fmt::format("expected '{}' in the first row of the program", want));
    threads.emplace_back();
  }
  std::set<std::string> labels;
  for (size_t r = 1; r < rows.size(); ++r) {
    auto cells = rows[r]->cell();
    if (cells.size() != threads.size())
      b.fail(pos_of(rows[r]->getStart()),
             fmt::format("mismatch in instruction lines: {} cells for {} threads", cells.size(), threads.size()));
    for (size_t k = 0; k < cells.size(); ++k) {
      Cell cell;
      for (auto* l : cells[k]->label()) {
        std::string name = l->WORD()->getText();
        if (!labels.insert(name).second) b.fail(pos_of(l->getStart()), fmt::format("label {} occurs more than once", name));
        cell.labels.push_back(name);
      }
      if (auto* in = cells[k]->instr()) {
        cell.has_instr = true;
        cell.instr = b.instr(in);
      }
      if (!cell.labels.empty() || cell.has_instr) threads[k].push_back(std::move(cell));
    }
  }
  if (local_targets)
    for (const auto& th : threads) {
      std::set<std::string> own;
      for (const auto& cell : th) own.insert(cell.labels.begin(), cell.labels.end());
      for (const auto& cell : th)
        for (const auto& o : cell.instr.args)
          if (o.kind == Operand::Kind::Label && !own.count(o.name))
            b.fail(o.pos, fmt::format("label {} is not defined in this thread", o.name));
    }
  return threads;
}

// Calls on_init on every init entry, then on_location on every location of `locations`, the condition and
// the filter.
template <class InitF, class LocF>
void for_state_names(const litmus::Test& t, InitF&& on_init, LocF&& on_location) {
  for (const auto& e : t.init) on_init(e);
  std::vector<litmus::Location> locs = t.locations;
  litmus::prop_locations(t.condition, locs);
  litmus::prop_locations(t.filter, locs);
  for (const auto& l : locs) on_location(l);
}

// A copy of a proposition with f applied to every location it names (the atom's and a register value's).
template <class F>
void map_locations(litmus::PropPtr& p, F&& f) {
  if (!p) return;
  auto q = std::make_shared<litmus::Prop>(*p);
  f(q->loc);
  if (q->value.reg) f(*q->value.reg);
  map_locations(q->left, f);
  map_locations(q->right, f);
  p = q;
}

// f on every location of the test's `locations`, condition and filter.
template <class F>
void map_state_locations(litmus::Test& t, F&& f) {
  for (auto& l : t.locations) f(l);
  map_locations(t.condition, f);
  map_locations(t.filter, f);
}

}  // namespace paddock::hw::front_end
