// Litmus tests for the ordering-critical fragments of the model (spec §5, L1-L10).
#pragma once
#include <string>
#include <vector>

namespace paddock::perf {

struct LitmusFile {
  std::string name;  // file name, e.g. "L1-C-peterz.litmus"
  std::string text;
};

std::vector<LitmusFile> litmus_tests();
// Writes every test into dir; returns the number written or throws.
int emit_litmus(const std::string& dir);

}  // namespace paddock::perf
