// Text -> AST for assembly litmus tests. Throws UserError with the position.
#pragma once
#include <string>

#include "asm/ast.hpp"

namespace paddock::hw {

// An X86 test (herd's `X86` dialect, Intel operand order).
AsmTest parse_x86(const std::string& text, const std::string& file);

// X86 register names as herd knows them, in herd's display order (flags last); -1 when not one.
int x86_register_rank(const std::string& name);

// An X86_64 test (herd's `X86_64` dialect, AT&T operand order). Register names in the init block and the
// condition stay as written (herd's Hash digests them so); canonical_x86_64_registers then lower-cases them.
AsmTest parse_x86_64(const std::string& text, const std::string& file);
void canonical_x86_64_registers(AsmTest& t);

// The 64-bit X86_64 registers in herd's display order (rax rbx rcx rdx rsi rdi rbp rsp r8..r15 rip cs); -1 otherwise.
int x86_64_register_rank(const std::string& name);

}  // namespace paddock::hw

namespace paddock::hw {

// An AArch64 test (herd's `AArch64` dialect). Register names in the init block and the condition stay as
// written (herd's Hash digests them so); canonical_aarch64_registers then makes them X0.., SP, XZR.
AsmTest parse_aarch64(const std::string& text, const std::string& file);
void canonical_aarch64_registers(AsmTest& t);

// The canonical upper-case name of an AArch64 register (W5, X5, WZR, XZR, SP, WSP; LR is X30), "" if none.
std::string aarch64_register(const std::string& name);
// herd's display order of the 64-bit registers: XZR, SP, X0..X30; -1 for anything else.
int aarch64_register_rank(const std::string& name);

}  // namespace paddock::hw
