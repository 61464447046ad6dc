// Standalone driver: `paddock-perf ARGS` == `paddock perf ARGS`.
#include "perf/cli.hpp"

int main(int argc, char** argv) {
  char perf[] = "perf";
  argv[0] = perf;
  return paddock::perf::cli_main(argc, argv);
}
