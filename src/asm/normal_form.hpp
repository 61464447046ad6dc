// herd's printed form of an instruction. `labels` gives the text printed for each label operand (the Hash's
// renamed L00.., or `.+8` offsets for an instruction value); `compat` is herd's compat printer, the Hash's.
#pragma once
#include <map>
#include <string>

#include "asm/ast.hpp"

namespace paddock::hw {

std::string aarch64_normal_form(const Instr& in, const std::map<std::string, std::string>& labels, bool compat);

}  // namespace paddock::hw
