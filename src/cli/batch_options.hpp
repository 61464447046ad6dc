// The batch's options (-maxmem, --journal, --shard, --merge, the hidden -debug-fault), parsed apart from
// herd7's own so that both lists can grow independently.
#pragma once
#include <string>
#include <vector>

#include "batch/runner.hpp"

namespace paddock::cli {

struct BatchArgs {
  batch::BatchOptions batch;
  bool merge = false;  // --merge: the file arguments are journals
};

// Consumes argv[i] (and its argument) when it is a batch option `a` (already spelt with one dash);
// false when it is not one. Throws std::invalid_argument for a bad value.
bool parse_batch_option(const std::string& a, int& i, int argc, char** argv, BatchArgs& out);

struct Options;

// What a journal records as the batch's options: the command line without the program name, the tests (files
// and @LISTs) and the options that only say how to run the batch (-j, -q, --journal, --shard), plus the herd7
// entry point when it is used. A journal resumes or merges only under the same.
std::vector<std::string> output_shaping_args(int argc, char** argv, const Options& opts, bool herd7);

// The usage lines of the batch's options.
const char* batch_usage();

}  // namespace paddock::cli
