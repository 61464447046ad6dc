// AArch64 instructions into the event structures the engines take (docs/aarch64-events.md is the contract
// with models/aarch64.cat): registers and flags are symbolic values that also carry the reads they depend
// on, so that addr/data/ctrl and their pick versions are computed here, as herd's aarch64deps.cat computes
// them from register events; memory accesses and barriers are events with herd's annotation sets; every
// multi-outcome instruction (conditional branch on an unknown value, CSEL family, STXR, CAS) forks the path.
#pragma once
#include "asm/ast.hpp"
#include "events/events.hpp"

namespace paddock::events {

Program lower_aarch64(const hw::AsmTest& test, const BuildOptions& opts = {});

}  // namespace paddock::events
