// Fuzz target (a): the C litmus front end on arbitrary text -- parse, expand the kernel macros (the bundled
// linux-kernel.def), build the event structures and print them (-show-events). A UserError with a well-formed
// message is a fine outcome; anything else escaping, a sanitizer report or a hang is a finding.
#include "events/events.hpp"
#include "events/show.hpp"
#include "harness.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"
#include "util/diag.hpp"

using namespace paddock;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;  // litmus tests are small; longer inputs only slow the search
  const std::string file = "fuzz.litmus";
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    litmus::Test test = litmus::parse_test(text, file);
    auto bodies = program::expand(test, program::MacroTable::bundled());
    events::Program prog = events::build(test, bodies);
    (void)events::show(prog);
  } catch (const UserError& e) {
    fuzz::check_error_message(e.what(), file);
  }
  return 0;
}
