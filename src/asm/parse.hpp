// Text -> AST for assembly litmus tests. Throws UserError with the position.
#pragma once
#include <string>

#include "asm/ast.hpp"

namespace paddock::hw {

// An X86 test (herd's `X86` dialect, Intel operand order).
AsmTest parse_x86(const std::string& text, const std::string& file);

// X86 register names as herd knows them, in herd's display order (flags last); -1 when not one.
int x86_register_rank(const std::string& name);

}  // namespace paddock::hw
