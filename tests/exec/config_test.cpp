// Bad configurations get `FILE:LINE:COL: error:` (issue 10, part 4): a .cfg naming a missing file points at the
// cfg line that names it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "driver/driver.hpp"

namespace fs = std::filesystem;
using namespace paddock;

namespace {

std::string session_error(const Config& c) {
  try {
    Session s(c);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a .cfg naming a missing file is reported at the cfg line", "[exec][config]") {
  fs::path dir = fs::temp_directory_path() / "paddock-config-test";
  fs::create_directories(dir);
  std::string cfg = (dir / "missing.cfg").string();
  std::ofstream(cfg) << "macros linux-kernel.def\nbell   nothere.bell\nmodel linux-kernel.cat\n";
  Config c;
  c.conf = cfg;
  CHECK(session_error(c) == cfg + ":2:8: error: cannot find the bell file 'nothere.bell'");
  std::ofstream(cfg) << "model gone.cat\n";
  CHECK(session_error(c) == cfg + ":1:7: error: cannot find the cat model 'gone.cat'");
  // Named on the command line instead: no cfg line to point at.
  c.model = "gone2.cat";
  CHECK(session_error(c) == "gone2.cat: error: cannot find the cat model");
  fs::remove_all(dir);
}
