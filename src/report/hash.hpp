// herd7's `Hash=` value of a C litmus test (docs: herd-hash.md, herd-c-semantics.md section 7).
#pragma once
#include <string>

#include "litmus/ast.hpp"

namespace paddock::report {

// The 32 hex digits herd prints after `Hash=`: the header's own `Hash=` value when it has one,
// else hex(MD5(Dinfo ‖ Dinit ‖ Dcode ‖ Dlocs)).
std::string herd_hash(const litmus::Test& t);

// The four texts whose digests make the hash (exposed for tests and debugging).
std::string hash_info_text(const litmus::Test& t);  // "" when no MemoryType/MT/CacheType key
std::string hash_init_text(const litmus::Test& t);  // e.g. "int buf=0; int flag=0"
std::string hash_code_text(const litmus::Test& t);  // " P0(int* x) {\n...\n}\n | P1(...) ... ;\n"
std::string hash_locations_text(const litmus::Test& t);  // e.g. "1:r0; 1:r1"

}  // namespace paddock::report
