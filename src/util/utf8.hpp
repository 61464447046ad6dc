// Strict UTF-8 validation. ANTLR's input stream converts its text with std::wstring_convert, which throws
// std::range_error on anything that is not well-formed UTF-8 (overlong forms, surrogates, code points above
// U+10FFFF, truncated sequences), so the front ends check first and report a positioned error instead.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace paddock {

struct BadUtf8 {
  size_t offset;      // byte offset of the first byte of the bad sequence
  int line, col;      // 1-based; col counts code points
  unsigned char byte; // the byte at `offset`
};

// The first ill-formed sequence of `text`, if any (Unicode's definition: shortest form, no surrogates,
// at most U+10FFFF); with `reject_nul`, a NUL byte counts as bad too. Header-only: the cat syntax library,
// built before util, uses it too.
inline std::optional<BadUtf8> find_bad_utf8(std::string_view text, bool reject_nul = false) {
  int line = 1, col = 1;
  for (size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    bool ok = len > 0 && i + len <= text.size();
    uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (size_t k = 1; ok && k < len; ++k) {
      auto b = static_cast<unsigned char>(text[i + k]);
      ok = (b & 0xc0) == 0x80;
      cp = cp << 6 | (b & 0x3f);
    }
    static constexpr uint32_t shortest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (ok && len > 1) ok = cp >= shortest[len] && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
    if (!ok || (reject_nul && c == 0)) return BadUtf8{i, line, col, c};
    if (c == '\n') line++, col = 1;
    else col++;
    i += len;
  }
  return std::nullopt;
}

}  // namespace paddock
