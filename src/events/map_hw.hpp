// C tests on hardware: the LKMM event structures of a C test rewritten into what the Linux kernel's own code
// for each primitive does on a machine (../shared/docs/mappings.md, docs/hardware.md), so that the hardware's
// cat model (x86tso.cat, aarch64.cat) can judge the same test. Table-driven: one rule per LKMM event kind
// and annotation, nothing per test.
#pragma once
#include <stdexcept>
#include <string>

#include "events/events.hpp"

namespace paddock::events {

enum class HwTarget { X86, Arm64, Arm64Lse };

// `x86`, `arm64`, `arm64-lse`; nullptr-free: throws std::invalid_argument on another word.
HwTarget hw_target(const std::string& word);
const char* hw_target_name(HwTarget t);

// An event with no instruction-level mapping (RCU and SRCU): the test cannot be run on hardware.
struct Unmappable : std::runtime_error {
  Unmappable(Pos p, std::string primitive_)
      : std::runtime_error("no instruction mapping for " + primitive_), pos(p), primitive(std::move(primitive_)) {}
  Pos pos;
  std::string primitive;  // the kernel primitive the annotation comes from (rcu_read_lock, ...)
};

// The program `lkmm` (events::build's output) as the target runs it; throws Unmappable, and a UserError
// in `file` for an annotation the mapping does not know (a user's .def).
Program map_to_hw(const Program& lkmm, HwTarget target, const std::string& file);

}  // namespace paddock::events
