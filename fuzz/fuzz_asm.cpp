// Fuzz target (d): the assembly front ends on arbitrary text -- the architecture registry picks the front end
// by the first word (X86, X86_64, ...), which parses the grid, lowers it into event structures and takes the
// Hash; the events are then printed (-show-events). C inputs are left to fuzz_c. A UserError with a
// well-formed message is a fine outcome; anything else escaping, a sanitizer report or a hang is a finding.
#include "driver/arch.hpp"
#include "events/show.hpp"
#include "harness.hpp"
#include "program/macros.hpp"
#include "util/diag.hpp"

using namespace paddock;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;  // litmus tests are small; longer inputs only slow the search
  const std::string file = "fuzz.litmus";
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const Arch& arch = arch_of(text, file);
    if (std::string(arch.name) == "C") return 0;
    PreparedTest p = arch.prepare(text, file, program::MacroTable::bundled(), events::BuildOptions{});
    (void)events::show(p.program);
  } catch (const UserError& e) {
    fuzz::check_error_message(e.what(), file);
  }
  return 0;
}
