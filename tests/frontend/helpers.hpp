#pragma once
#include <fstream>
#include <sstream>
#include <string>

#include "events/events.hpp"
#include "util/files.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"

namespace paddock::testing {

inline std::string slurp(const std::string& path) { return read_file(path).value_or(""); }

inline events::Program build(const std::string& text, const std::string& file = "t.litmus") {
  auto test = litmus::parse_test(text, file);
  return events::build(test, program::expand(test, program::MacroTable::bundled()));
}

// The error a text raises ("" if none).
template <class F>
std::string error_of(F f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace paddock::testing
