// Values seen at a declared C type, as herd shows and compares registers and locations of assembly tests:
// `uint32_t 0:X0` shows the low 32 bits unsigned, `int8_t x` the low byte signed, an untyped AArch64
// register is an `int` (herd-asm-semantics.md 4.2).
#include "events/events.hpp"

namespace paddock::events {

Value at_type(Value v, const std::string& type) {
  int bits = litmus::type_bits(type);
  if (v.kind != Value::Kind::Int || bits == 0 || bits == 64) return v;
  uint64_t mask = (uint64_t(1) << bits) - 1, u = uint64_t(v.i) & mask;
  if (!litmus::type_unsigned(type) && (u >> (bits - 1)) != 0) u |= ~mask;
  return Value::num(int64_t(u));
}

std::string Program::type_of(int thread, const std::string& name) const {
  std::string t;
  if (thread >= 0) {
    auto it = reg_types.find({thread, name});
    if (it != reg_types.end()) t = it->second;
  } else if (mixed) {
    auto it = mixed->views.find(name);
    if (it != mixed->views.end()) t = it->second.type;
  } else if (int l = location_index(name); l >= 0) {
    t = locations[size_t(l)].type;
  }
  return t.empty() ? default_type : t;
}

}  // namespace paddock::events
