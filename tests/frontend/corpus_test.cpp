#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>

#include "helpers.hpp"

using namespace paddock;
namespace fs = std::filesystem;

// Every test of the shared corpus parses and builds events (when the corpus is present).
TEST_CASE("the shared corpus parses and builds events") {
  fs::path corpus = PADDOCK_CORPUS_DIR;
  if (!fs::exists(corpus)) {
    WARN("shared corpus not found at " << corpus << ": corpus front-end test skipped");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& e : fs::recursive_directory_iterator(corpus))
    if (e.path().extension() == ".litmus") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() >= 134);
  auto t0 = std::chrono::steady_clock::now();
  size_t events = 0;
  for (const auto& f : files) {
    INFO(f.string());
    events::Program p;
    REQUIRE_NOTHROW(p = testing::build(testing::slurp(f.string()), f.string()));
    for (const auto& paths : p.threads)
      for (const auto& path : paths) events += path.events.size();
  }
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  WARN(files.size() << " corpus tests parsed and built (" << events << " events) in " << ms << " ms");
}

TEST_CASE("the team's litmus tests parse and build events") {
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(PADDOCK_SOURCE_DIR "/litmus"))
    if (e.path().extension() == ".litmus") {
      INFO(e.path().string());
      REQUIRE_NOTHROW(testing::build(testing::slurp(e.path().string()), e.path().string()));
      ++n;
    }
  CHECK(n >= 1);
}
