#include <catch2/catch.hpp>
#include <filesystem>
#include <random>

#include "helpers.hpp"

using namespace paddock;
namespace fs = std::filesystem;

// Random damage to real tests (truncation, deleted and inserted characters, swapped lines) must give
// either a program or a positioned UserError: never another exception, a crash or a hang.
TEST_CASE("damaged tests give positioned errors, never crashes") {
  std::vector<std::string> texts;
  for (const auto& e : fs::recursive_directory_iterator(PADDOCK_SOURCE_DIR "/litmus"))
    if (e.path().extension() == ".litmus") texts.push_back(testing::slurp(e.path().string()));
  REQUIRE(!texts.empty());
  std::mt19937 rng(12345);
  const std::string alphabet = "{}()*;,=&|~!/\\-+<>[]:\"abcxyzP0r1 \n\t#@$'\x01\x7f";
  int parsed = 0, rejected = 0;
  for (int round = 0; round < 600; ++round) {
    std::string t = texts[rng() % texts.size()];
    int edits = 1 + int(rng() % 4);
    for (int k = 0; k < edits && !t.empty(); ++k) {
      size_t at = rng() % t.size();
      switch (rng() % 4) {
        case 0: t.resize(at); break;
        case 1: t.erase(at, 1 + rng() % 8); break;
        case 2: t.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 3: t[at] = alphabet[rng() % alphabet.size()]; break;
      }
    }
    INFO(t);
    try {
      testing::build(t, "m.litmus");
      ++parsed;
    } catch (const UserError& e) {
      ++rejected;
      REQUIRE(std::string(e.what()).rfind("m.litmus:", 0) == 0);
    }
  }
  CHECK(parsed + rejected == 600);
  CHECK(rejected > 300);
}
