#include "litmus/ast.hpp"

namespace paddock::litmus {

// herd displays registers first (by thread, then name byte-wise), then globals byte-wise.
bool Location::operator<(const Location& o) const {
  bool reg = thread >= 0, oreg = o.thread >= 0;
  if (reg != oreg) return reg;
  if (thread != o.thread) return thread < o.thread;
  if (reg_rank != o.reg_rank) return reg_rank < o.reg_rank;  // both -1 for C registers
  return name < o.name;
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
