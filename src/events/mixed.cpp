#include "events/mixed.hpp"
#include "events/sym_make.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace paddock::events {

namespace {

std::string byte_name(const std::string& base, int k) { return k == 0 ? base : fmt::format("{}+{:02d}", base, k); }

}  // namespace

void lay_out_bytes(Program& p, const std::vector<MixedBase>& bases, const std::string& file) {
  struct Byte {
    std::string name;
    int64_t init;
    std::string base;
    int offset;
  };
  std::vector<Byte> bytes;
  for (const auto& b : bases) {
    int n = b.cells ? b.cells * b.cell_bytes : b.cell_bytes;
    if (n > 99) throw UserError(file, {}, fmt::format("{} is too large for mixed-size mode ({} bytes)", b.name, n));
    for (int k = 0; k < n; ++k) {
      int cell = b.cells ? k / b.cell_bytes : 0, at = b.cells ? k % b.cell_bytes : k;
      int64_t v = size_t(cell) < b.values.size() ? b.values[size_t(cell)] : 0;
      bytes.push_back({byte_name(b.name, k), int64_t((uint64_t(v) >> (8 * at)) & 0xff), b.name, k});
    }
  }
  std::sort(bytes.begin(), bytes.end(), [](const Byte& a, const Byte& b) { return a.name < b.name; });
  MixedLayout m;
  p.locations.clear();
  for (const auto& b : bytes) p.locations.push_back({b.name, Value::num(b.init), ""});
  m.base.resize(bytes.size());
  m.base_bytes.resize(bytes.size());
  for (const auto& b : bases) {
    int first = p.location_index(b.name);
    int n = b.cells ? b.cells * b.cell_bytes : b.cell_bytes;
    for (int k = 0; k < n; ++k) {
      // A base's bytes are consecutive locations: byte address arithmetic is index arithmetic.
      if (p.location_index(byte_name(b.name, k)) != first + k)
        throw UserError(file, {}, fmt::format("cannot lay out the bytes of {} in mixed-size mode", b.name));
      m.base[size_t(first + k)] = first;
      m.base_bytes[size_t(first + k)] = n;
    }
    p.locations[size_t(first)].type = b.type;
    if (!b.cells) {
      m.views[b.name] = {first, n, b.type};
      continue;
    }
    // An array's name is its first cell.
    m.views[b.name] = {first, b.cell_bytes, b.type};
    for (int c = 0; c < b.cells; ++c) m.views[fmt::format("{}[{}]", b.name, c)] = {first + c * b.cell_bytes, b.cell_bytes, b.type};
  }
  p.mixed = std::move(m);
}

SymPtr value_byte(const SymPtr& v, int k) {
  SymPtr x = k ? binop(">>q", v, konst(Value::num(8 * k))) : v;
  return binop("&", x, konst(Value::num(0xff)));
}

SymPtr recompose(const std::vector<SymPtr>& bytes) {
  SymPtr v = bytes[0];
  for (size_t k = 1; k < bytes.size(); ++k) v = binop("|", v, binop("<<q", bytes[k], konst(Value::num(int64_t(8 * k)))));
  return v;
}

}  // namespace paddock::events
