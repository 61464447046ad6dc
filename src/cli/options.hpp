// Command line: herd7's single-dash options, GNU long spellings accepted too.
#pragma once
#include <string>
#include <vector>

#include "cli/batch_options.hpp"
#include "cli/graph_options.hpp"
#include "driver/driver.hpp"

namespace paddock::cli {

struct Options {
  Config config;
  std::vector<std::string> files;  // tests, and @list files expanded
  int jobs = 1;
  bool quiet = false;
  bool help = false;
  bool version = false;
  // Messages for stderr about accepted options that paddock ignores (herd7 compatibility).
  std::vector<std::string> notes;
  BatchArgs batch;  // cli/batch_options.hpp
  GraphOptions graphs;  // -show prop|..., -o, -png, -svg, -explain, --minimize, --keep (cli/graph_options.hpp)
};

// Throws std::invalid_argument with a message for bad usage.
Options parse_options(int argc, char** argv);
const char* usage();

}  // namespace paddock::cli
