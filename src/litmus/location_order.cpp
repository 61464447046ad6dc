#include "litmus/ast.hpp"

namespace paddock::litmus {

// herd displays registers first (by thread, then name byte-wise), then globals byte-wise.
bool Location::operator<(const Location& o) const {
  bool reg = thread >= 0, oreg = o.thread >= 0;
  if (reg != oreg) return reg;
  if (thread != o.thread) return thread < o.thread;
  return name < o.name;
}

}  // namespace paddock::litmus
