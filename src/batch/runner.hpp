// A batch of tests (several files, @LIST, -j N): every test runs in a worker process (worker.hpp), reports
// are printed whole in input order whatever -j is, and a test that crashes or passes a limit is reported
// naming it while the others run on. Optionally a journal records each finished test (journal.hpp), the
// list is cut into shards, and journals are merged back into one report. docs/batch.md has the details.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "batch/worker.hpp"
#include "driver/driver.hpp"

namespace paddock::batch {

struct BatchOptions {
  int jobs = 1;
  bool quiet = false;
  Limits limits;
  std::string journal;                   // --journal FILE ("" none)
  int shard_index = 0, shard_count = 0;  // --shard I/N, 1 <= I <= N (0/0 none)
  std::vector<Fault> faults;             // -debug-fault (hidden)
  bool progress = false;                 // the progress line on stderr
};

// What one test prints, as the command line words it (herd's text or JSON, herd7 mode's warnings). Journals
// hold this, so that a resumed run or a merge reprints it byte for byte.
struct Rendered {
  std::string out, err;  // for stdout and stderr, newlines included
  bool failed = false;   // the test could not be run
};
using Render = std::function<Rendered(const TestOutcome&, const std::string& path)>;

// Prints one test's output: -q keeps only what a failed test prints.
void print(const Rendered& r, bool quiet);

// Exit statuses (documented in --help and docs/batch.md).
constexpr int kAllRan = 0, kSomeFailed = 1, kBadUsage = 2;

// The positions of the I-th of N slices of a list of n: every N-th test from the I-th (1-based), which
// spreads the neighbouring (similar) tests of a list over the shards.
std::vector<size_t> shard_slice(size_t n, int index, int count);

// Runs the tests (the slice of them when sharded); prints each report on stdout and each error on stderr,
// in input order; returns the exit status. `fp` is what shapes the output (the command line but for the
// batch's own options and the tests): a journal resumes only under the same.
int run_batch(const Session& session, const std::vector<std::string>& tests, const std::vector<std::string>& fp,
              const BatchOptions& opts, const Render& render);

// Prints what a single run of the journals' whole list would have printed, from the journals of its
// shards (or of one run); a test in none of them is an error naming it.
// `render_for(json)` words the error of a test in no journal, as text or as JSON after the journals' own
// options (a merge of -json journals prints JSON throughout).
int merge_journals(const std::vector<std::string>& journals, bool quiet,
                   const std::function<Render(bool json)>& render_for);

}  // namespace paddock::batch
