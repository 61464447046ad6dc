// paddock's --json report: one JSON object per test (schema and field order: docs/json.md,
// docs/paddock-report.schema.json). It carries the same facts as herd's text report, typed.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "exec/result.hpp"
#include "litmus/ast.hpp"
#include "util/diag.hpp"

namespace paddock::report {

// Version of the JSON layout; bumped when a field changes meaning or is removed (docs/json.md).
inline constexpr int kJsonVersion = 1;

struct JsonContext {
  std::string file;   // the test file as given
  std::string model;  // the cat model: its title, else its file name
  bool candidates = false;  // include the -candidates count (else null)
  bool time = true;         // include the CPU time (else null)
  std::optional<std::string> hash{};  // assembly tests: the Hash by their front end's rules (else the C rules)
};

// One object, on one line, no trailing newline.
std::string json_report(const litmus::Test& test, const exec::Result& result,
                        const std::vector<std::string>& location_names, const JsonContext& ctx);

// The object for a test that could not be run: position (line 0: none) and message.
std::string json_error(const std::string& file, Pos pos, const std::string& message);

}  // namespace paddock::report
