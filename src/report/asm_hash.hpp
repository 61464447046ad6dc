// herd7's `Hash=` of an assembly test (herd-asm-semantics.md 4.3): the same four digests as for C,
// with the code printed in herd's normal instruction forms laid out in columns.
#pragma once
#include <string>

#include "asm/ast.hpp"

namespace paddock::report {

std::string x86_hash_code_text(const hw::AsmTest& t);  // the columns, each row ending with ";\n"
std::string x86_64_hash_code_text(const hw::AsmTest& t);  // the same in X86_64's normal forms
std::string asm_hash_locations_text(const hw::AsmTest& t);
// herd prints the Hash line unless the header's own key is spelled otherwise than `Hash` (e.g. `hash=`).
bool asm_hash_line_printed(const hw::AsmTest& t);
// 32 hex digits (the header's own Hash= value when it has one). X86_64: take it before canonical_x86_64_registers,
// as herd digests register names as written.
std::string x86_hash(const hw::AsmTest& t);
std::string x86_64_hash(const hw::AsmTest& t);
// AArch64: take it before canonical_aarch64_registers too.
std::string aarch64_hash_code_text(const hw::AsmTest& t);
std::string aarch64_hash(const hw::AsmTest& t);

}  // namespace paddock::report
