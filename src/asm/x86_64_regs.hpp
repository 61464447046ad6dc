// herd's X86_64 registers: every spelling (%eax, r8d, al, ah ...) names a part of one of the 64-bit
// registers, which are what init blocks, conditions and states use (in lower case).
#pragma once
#include <cctype>
#include <string>

namespace paddock::hw {

struct X86_64Reg {
  int rank = -1;      // index in herd's display order (rax rbx rcx rdx rsi rdi rbp rsp r8..r15 rip cs); -1: none
  int size = 8;       // bytes the spelling covers: 1, 2, 4 or 8
  bool high8 = false; // %ah %bh %ch %dh: bits 8..15
};

inline const char* x86_64_reg_name(int rank) {
  static const char* const names[] = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9",
                                      "r10", "r11", "r12", "r13", "r14", "r15", "rip", "cs"};
  return rank >= 0 && rank < 18 ? names[rank] : "";
}

inline std::string x86_64_lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Any spelling, any case, without the `%`.
inline X86_64Reg x86_64_register(const std::string& spelled) {
  std::string s = x86_64_lower(spelled);
  static const char* const legacy[] = {"ax", "bx", "cx", "dx", "si", "di", "bp", "sp"};
  for (int i = 0; i < 18; ++i)
    if (s == x86_64_reg_name(i)) return {i, 8, false};
  for (int i = 0; i < 8; ++i) {
    std::string b = legacy[i];
    if (s == "e" + b) return {i, 4, false};
    if (s == b) return {i, 2, false};
    if (i < 4 && s == std::string(1, b[0]) + "l") return {i, 1, false};
    if (i < 4 && s == std::string(1, b[0]) + "h") return {i, 1, true};
    if (i >= 4 && s == b + "l") return {i, 1, false};
  }
  for (int n = 8; n < 16; ++n) {
    std::string r = "r" + std::to_string(n);
    if (s == r + "d") return {n, 4, false};
    if (s == r + "w") return {n, 2, false};
    if (s == r + "b" || s == r + "l") return {n, 1, false};
  }
  return {};
}

}  // namespace paddock::hw
