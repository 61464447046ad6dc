#include "events/vncr_aarch64.hpp"

#include <map>

#include <fmt/format.h>

namespace paddock::events {

std::optional<int> vncr_offset(const std::string& r) {
  static const std::map<std::string, int> table = [] {
    std::map<std::string, int> t = {
      {"VTTBR_EL2", 0x020},
      {"VTCR_EL2", 0x040},
      {"VMPIDR_EL2", 0x050},
      {"CNTVOFF_EL2", 0x060},
      {"HCR_EL2", 0x078},
      {"HSTR_EL2", 0x080},
      {"VPIDR_EL2", 0x088},
      {"TPIDR_EL2", 0x090},
      {"HCRX_EL2", 0x0A0},
      {"VNCR_EL2", 0x0B0},
      {"CPACR_EL1", 0x100},
      {"CONTEXTIDR_EL1", 0x108},
      {"SCTLR_EL1", 0x110},
      {"ACTLR_EL1", 0x118},
      {"TCR_EL1", 0x120},
      {"AFSR0_EL1", 0x128},
      {"AFSR1_EL1", 0x130},
      {"ESR_EL1", 0x138},
      {"MAIR_EL1", 0x140},
      {"AMAIR_EL1", 0x148},
      {"MDSCR_EL1", 0x158},
      {"SPSR_EL1", 0x160},
      {"CNTV_CVAL_EL0", 0x168},
      {"CNTV_CTL_EL0", 0x170},
      {"CNTP_CVAL_EL0", 0x178},
      {"CNTP_CTL_EL0", 0x180},
      {"SCXTNUM_EL1", 0x188},
      {"TFSR_EL1", 0x190},
      {"HDFGRTR2_EL2", 0x1A0},
      {"HDFGWTR2_EL2", 0x1B0},
      {"HFGRTR_EL2", 0x1B8},
      {"HFGWTR_EL2", 0x1C0},
      {"HFGITR_EL2", 0x1C8},
      {"HDFGRTR_EL2", 0x1D0},
      {"HDFGWTR_EL2", 0x1D8},
      {"ZCR_EL1", 0x1E0},
      {"HAFGRTR_EL2", 0x1E8},
      {"TTBR0_EL1", 0x200},
      {"TTBR1_EL1", 0x210},
      {"FAR_EL1", 0x220},
      {"ELR_EL1", 0x230},
      {"SP_EL1", 0x240},
      {"VBAR_EL1", 0x250},
      {"TCR2_EL1", 0x270},
      {"PIRE0_EL1", 0x290},
      {"PIR_EL1", 0x2A0},
      {"POR_EL1", 0x2A8},
      {"HFGRTR2_EL2", 0x2C0},
      {"HFGWTR2_EL2", 0x2C8},
      {"HFGITR2_EL2", 0x310},
      {"ICH_HCR_EL2", 0x4C0},
      {"ICH_VMCR_EL2", 0x4C8},
      {"VDISR_EL2", 0x500},
      {"VSESR_EL2", 0x508},
      {"PMBLIMITR_EL1", 0x800},
      {"PMBPTR_EL1", 0x810},
      {"PMBSR_EL1", 0x820},
      {"PMSCR_EL1", 0x828},
      {"PMSEVFR_EL1", 0x830},
      {"PMSICR_EL1", 0x838},
      {"PMSIRR_EL1", 0x840},
      {"PMSLATFR_EL1", 0x848},
      {"TRFCR_EL1", 0x880},
      {"MPAM1_EL1", 0x900},
      {"MPAMHCR_EL2", 0x930},
      {"MPAMVPMV_EL2", 0x938},
    };
    for (int k = 0; k < 16; ++k) t[fmt::format("ICH_LR{}_EL2", k)] = 0x400 + 8 * k;
    for (int k = 0; k < 4; ++k) t[fmt::format("ICH_AP0R{}_EL2", k)] = 0x480 + 8 * k, t[fmt::format("ICH_AP1R{}_EL2", k)] = 0x4A0 + 8 * k;
    for (int k = 0; k < 8; ++k) t[fmt::format("MPAMVPM{}_EL2", k)] = 0x940 + 8 * k;
    return t;
  }();
  auto it = table.find(r);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

}  // namespace paddock::events
