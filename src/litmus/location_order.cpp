#include "litmus/ast.hpp"

#include <cstdlib>

namespace paddock::litmus {

// herd displays registers first (by thread, then name byte-wise), then globals byte-wise.
bool Location::operator<(const Location& o) const {
  bool reg = thread >= 0, oreg = o.thread >= 0;
  if (reg != oreg) return reg;
  if (thread != o.thread) return thread < o.thread;
  if (reg_rank != o.reg_rank) return reg_rank < o.reg_rank;  // both -1 for C registers
  return name < o.name;
}

namespace {

// The index of a cell `x[12]`, -1 for a plain name.
long cell_index(const std::string& name) {
  size_t open = name.find('[');
  return open == std::string::npos ? -1 : std::strtol(name.c_str() + open + 1, nullptr, 10);
}

}  // namespace

bool display_less(const Location& a, const Location& b) {
  if (!a.fault.empty() || !b.fault.empty()) {  // faults last, by thread, label and kind
    if (a.fault.empty() != b.fault.empty()) return a.fault.empty();
    if (a.thread != b.thread) return a.thread < b.thread;
    return a.name != b.name ? a.name < b.name : a.fault < b.fault;
  }
  bool areg = a.thread >= 0, breg = b.thread >= 0;
  if (areg || breg) return a < b;
  bool acell = cell_index(a.name) >= 0 && !a.whole, bcell = cell_index(b.name) >= 0 && !b.whole;
  if (acell != bcell) return bcell;
  std::string ab = a.base(), bb = b.base();
  if (ab != bb) return ab < bb;
  return cell_index(a.name) < cell_index(b.name);
}

void prop_locations(const PropPtr& p, std::vector<Location>& out) {
  if (!p) return;
  if (p->kind == Prop::Kind::Atom) {
    out.push_back(p->loc);
    if (p->value.reg) out.push_back(*p->value.reg);
  }
  prop_locations(p->left, out);
  prop_locations(p->right, out);
}

}  // namespace paddock::litmus
