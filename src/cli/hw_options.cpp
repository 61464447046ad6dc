#include "cli/hw_options.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace paddock::cli {

namespace {

const char* const kTargets[] = {"x86", "arm64", "arm64-lse"};

bool is_target(const std::string& m) {
  return std::any_of(std::begin(kTargets), std::end(kTargets), [&](const char* t) { return m == t; });
}

}  // namespace

bool parse_hw_option(const std::string& a, int& i, int argc, char** argv, Config& cfg) {
  if (a != "-arch" && a != "-models") return false;
  if (i + 1 >= argc) throw std::invalid_argument("option " + a + " needs an argument");
  std::string v = argv[++i];
  if (a == "-arch") {
    if (!is_target(v)) throw std::invalid_argument("-arch takes x86, arm64 or arm64-lse, found '" + v + "'");
    cfg.hw_arch = v;
    return true;
  }
  cfg.side_models.clear();
  for (size_t start = 0; start <= v.size();) {
    size_t comma = v.find(',', start);
    std::string m = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (m != "lkmm" && !is_target(m))
      throw std::invalid_argument("-models lists lkmm, x86, arm64 or arm64-lse, found '" + m + "'");
    if (std::find(cfg.side_models.begin(), cfg.side_models.end(), m) != cfg.side_models.end())
      throw std::invalid_argument("-models names " + m + " twice");
    cfg.side_models.push_back(m);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return true;
}

void check_hw_options(Config& cfg, const std::vector<std::string>& files, bool json, bool graphs) {
  if (!cfg.side_models.empty()) {
    if (!cfg.hw_arch.empty()) throw std::invalid_argument("-arch and -models do not combine: -models names every model");
    if (json || cfg.show_events || graphs)
      throw std::invalid_argument("-models prints its own table: it does not combine with --json, -show or -explain");
    for (const auto& f : files) {
      std::string stem = std::filesystem::path(f).filename().string();
      if (stem.size() > 7 && stem.compare(stem.size() - 7, 7, ".litmus") == 0) stem.resize(stem.size() - 7);
      cfg.side_name_width = std::max(cfg.side_name_width, stem.size());
    }
  }
}

const char* hw_usage() {
  return R"(C tests on hardware (docs/hardware.md):
  -arch A            A = x86|arm64|arm64-lse: compile each kernel primitive as the kernel does on that
                     machine and check the test under its model (x86tso.cat, aarch64.cat); tests using
                     RCU or SRCU are skipped with a message naming the primitive
  -models M,...      M = lkmm|x86|arm64|arm64-lse: one table, a row per test and a column per model
                     (verdict, Positive and Negative counts); a row where a hardware model allows what
                     LKMM forbids is marked `!!! WARNING` and explained on stderr; exit status 3 then
)";
}

}  // namespace paddock::cli
