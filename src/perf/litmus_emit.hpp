// Litmus tests for the ordering-critical fragments of the model (spec §5, L1-L10).
#pragma once
#include <map>
#include <string>
#include <vector>

namespace paddock::perf {

struct LitmusFile {
  std::string name;  // file name, e.g. "L1-C-peterz.litmus"
  std::string text;
};

// The hand-written L1-L10 (the regression references committed in litmus/perf/).
std::vector<LitmusFile> litmus_tests();
// Which fragments the slicer produces, and from which run (slicer.hpp, xcheck.hpp).
struct FragmentSource {
  std::string id, name, scenario, variant;
  bool locks;
  std::map<std::string, std::string> rename;  // model name -> the hand-written test's identifier
  std::string window;  // Window::name (slicer.cpp)
};
const std::vector<FragmentSource>& fragment_sources();
// L1-L10 as `--emit-litmus` writes them: sliced from the model where fragment_sources() names a run, otherwise the
// hand-written test. Throws if a declared slice cannot be produced.
std::vector<LitmusFile> emitted_litmus_tests();
int write_litmus(const std::string& dir, const std::vector<LitmusFile>& files);
// Writes emitted_litmus_tests() into dir; returns the number written or throws.
int emit_litmus(const std::string& dir);

}  // namespace paddock::perf
