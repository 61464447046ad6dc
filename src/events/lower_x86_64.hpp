// X86_64 instructions into the event structures the engines take (herd-asm-semantics.md 3.3): the sixteen
// 64-bit registers and the flags are symbolic values (x86tso-mixed.cat ignores register events); a write to
// %eax zero-extends into %rax, a write to %ax/%al/%ah keeps the other bits; memory accesses, fences, clflush
// and locked read-modify-writes become events; cmpxchg forks into success and failure; jumps as for X86.
#pragma once
#include "asm/ast.hpp"
#include "events/events.hpp"

namespace paddock::events {

Program lower_x86_64(const hw::AsmTest& test, const BuildOptions& opts = {});

}  // namespace paddock::events
