// The architecture registry: the one place an architecture is named. The first word of a test's header
// picks its front end and lowering (text -> events) and the model herd uses for it by default.
// Adding an architecture: a grammar and front end (src/asm/), a lowering (src/events/), a cat file
// (models/), and one entry in arch.cpp.
#pragma once
#include <string>

#include "events/events.hpp"
#include "litmus/ast.hpp"
#include "program/macros.hpp"
#include "report/herd_text.hpp"

namespace paddock {

// A test ready for the engines.
struct PreparedTest {
  litmus::Test test;             // header, init, condition (and the threads, for C)
  events::Program program;
  report::ReportOptions report;  // how its report differs from a C test's
};

struct Arch {
  const char* name;           // the header word, case-sensitive as in herd
  const char* default_model;  // bundled cat file herd picks for it ("" = the configuration's, for C)
  PreparedTest (*prepare)(const std::string& text, const std::string& file, const program::MacroTable& macros,
                          const events::BuildOptions& opts);
};

// The architecture of a test file, from its first word; throws a positioned UserError when the word
// names no architecture paddock knows.
const Arch& arch_of(const std::string& text, const std::string& file);

}  // namespace paddock
