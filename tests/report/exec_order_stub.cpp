// exec::Result::states is a std::set ordered by exec::StateLess, which src/exec defines. These tests
// link only paddock_report, so they supply weak stand-ins: any strict order will do, because the
// report sorts the states itself. When paddock_exec is linked, its definitions take precedence.
#include "exec/result.hpp"

namespace paddock::exec {

__attribute__((weak)) bool value_less(const events::Value& a, const events::Value& b) { return a < b; }

__attribute__((weak)) bool StateLess::operator()(const State& a, const State& b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), value_less);
}

}  // namespace paddock::exec
