// `paddock perf ...`: argv[0] is "perf", the rest are its arguments. Exit 0: every property holds;
// 1: a property fails; 2: bad usage.
#pragma once

namespace paddock::perf {
int cli_main(int argc, char** argv);
}
