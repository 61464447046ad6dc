// paddock's graph options (graph9): herd's -show prop|cond|wit|neg|all with -o DIR and -nshow N, rendering with
// -png/-svg, paddock's -explain, and --minimize [--keep VERDICT]. Parsed and run here, apart from the other options.
#pragma once
#include <string>
#include <vector>

namespace paddock {
class Session;
}

namespace paddock::cli {

struct Options;

struct GraphOptions {
  std::string show;  // "" (none), prop, cond, wit, neg, all
  std::string dir;   // -o DIR
  bool png = false, svg = false;
  bool explain = false;
  bool minimize = false;
  std::string keep;  // --keep Never|Sometimes|Always
  size_t nshow = 0;  // herd's -nshow: at most N executions per test (0: all)
  bool active() const { return !show.empty() || explain || minimize; }
};

// Consumes argv[i] (and its argument) when it is one of the options above; false otherwise.
// Throws std::invalid_argument for a bad value.
bool parse_graph_option(const std::string& a, int& i, int argc, char** argv, GraphOptions& g);
// Checks combinations once every option is read.
void check_graph_options(const GraphOptions& g);

// Runs the graph modes on every file (directories: their *.litmus, recursively); returns the exit status.
int run_graph_mode(const Session& session, const Options& opts);

// Usage lines.
const char* graph_usage();

}  // namespace paddock::cli
