// X86 instructions into the event structures the engines take (herd-asm-semantics.md 3.2): registers and
// flags are symbolic values, as C registers are (the x86 models ignore register events and dependencies);
// memory accesses, fences and locked read-modify-writes become events; each conditional jump on an
// unknown flag forks the path; backward jumps are unrolled as herd does.
#pragma once
#include "asm/ast.hpp"
#include "events/events.hpp"

namespace paddock::events {

Program lower_x86(const hw::AsmTest& test, const BuildOptions& opts = {});

}  // namespace paddock::events
