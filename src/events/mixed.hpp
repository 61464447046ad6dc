// Mixed-size mode (herd's -variant mixed): memory is bytes. Each location a test declares (`uint64_t x`, an
// array `uint32_t t[2]`) becomes consecutive byte locations, byte 0 named as the location and byte k `x+0k`
// (two digits, so that a location's bytes sort together), each with its own init write; an access of n bytes
// becomes n byte events at consecutive addresses, grouped by Event::access (herd's single-copy-atomic class,
// the model's `sca-class`). Values are little-endian: a load recomposes its bytes, a store writes the bytes of
// its value. The operator "+a" adds an integer to a byte address (the byte that many further; integers add as
// 64-bit), for addresses computed at run time. What the test names (`x`, `t[1]`) is a view over bytes (MixedLayout::views), shown at its type.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "events/events.hpp"

namespace paddock::events {

// A location as the test declares it: `cells` 0 for a scalar (`values` has one value), else an array of `cells`
// cells of `cell_bytes` each.
struct MixedBase {
  std::string name, type;
  int cells = 0, cell_bytes = 4;
  std::vector<int64_t> values;
};

// Fills p.locations (the bytes, sorted by name) and p.mixed. Throws UserError (at `file`) when a location
// cannot be laid out in bytes.
void lay_out_bytes(Program& p, const std::vector<MixedBase>& bases, const std::string& file);

// Byte `k` of a value (its bits 8k..8k+7) and the value recomposed from bytes, least significant first.
SymPtr value_byte(const SymPtr& v, int k);
SymPtr recompose(const std::vector<SymPtr>& bytes);

}  // namespace paddock::events
