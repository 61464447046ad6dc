// FEAT_NV2: with nested virtualisation's memory redirection (herd's Variant=NV2), an MRS/MSR of one of these
// system registers is a load/store at VNCR_EL2 plus the register's byte offset in the VNCR page (the Arm
// architecture's table; Linux has it as arch/arm64/include/asm/vncr_mapping.h).
#pragma once
#include <optional>
#include <string>

namespace paddock::events {

std::optional<int> vncr_offset(const std::string& system_register);

}  // namespace paddock::events
