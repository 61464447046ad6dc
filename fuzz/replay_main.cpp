// The fuzz targets without libFuzzer: runs each file given (a folder: every file under it, sorted) through
// LLVMFuzzerTestOneInput once. Arguments starting with '-' (libFuzzer's options) are ignored, so one command
// line serves both builds. Lets the normal build replay the regression inputs in fuzz/regressions/.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "harness.hpp"
#include "util/files.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("-", 0) == 0) continue;
    if (fs::is_directory(a)) {
      std::vector<std::string> in;
      for (const auto& e : fs::recursive_directory_iterator(a))
        if (e.is_regular_file()) in.push_back(e.path().string());
      std::sort(in.begin(), in.end());
      files.insert(files.end(), in.begin(), in.end());
    } else {
      files.push_back(a);
    }
  }
  for (const auto& f : files) {
    auto text = paddock::read_file(f);
    if (!text) {
      std::fprintf(stderr, "%s: error: cannot read the file\n", f.c_str());
      return 1;
    }
    std::fprintf(stderr, "replay: %s\n", f.c_str());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(text->data()), text->size());
  }
  std::fprintf(stderr, "replay: %zu inputs, no finding\n", files.size());
  return 0;
}
