// `-models lkmm,x86,arm64`: one row per test, one column per model (verdict and Positive/Negative counts),
// and a warning where a hardware mapping allows an outcome that LKMM forbids (docs/hardware.md).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace paddock::report {

struct ModelCell {
  enum class Kind { Ok, Skipped, Error } kind = Kind::Ok;
  uint64_t positive = 0, negative = 0;
  std::string note;  // Skipped: the primitive; Error: the message
};

// The header line: `Test` padded to `name_width`, then each model's name over its column.
std::string models_header(const std::vector<std::string>& models, size_t name_width);

struct ModelsRow {
  std::string line;                   // the row, newline included (and its warning mark)
  std::vector<std::string> warnings;  // one sentence per model that allows what the first ("lkmm") forbids
};

// `models[0]` is the reference the others are compared with when it is "lkmm": a hardware column that has
// executions on a side of the condition where LKMM has none (LKMM Never, hardware Sometimes/Always; LKMM
// Always, hardware Sometimes/Never) is a warning.
ModelsRow models_row(const std::string& name, const std::vector<std::string>& models,
                     const std::vector<ModelCell>& cells, size_t name_width);

}  // namespace paddock::report
