// paddock: herd7-compatible command line over libpaddock.
#include <fmt/format.h>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>

#include "batch/runner.hpp"
#include "cat/error.hpp"
#include "cli/herd7_mode.hpp"
#include "cli/hw_options.hpp"
#include "cli/options.hpp"
#include "driver/driver.hpp"
#include "report/models_table.hpp"
#if __has_include("perf/cli.hpp")
#include "perf/cli.hpp"
#define PADDOCK_HAS_PERF 1
#endif

int main(int argc, char** argv) {
  using namespace paddock;
#ifdef PADDOCK_HAS_PERF
  if (argc > 1 && std::string(argv[1]) == "perf") return perf::cli_main(argc - 1, argv + 1);
#endif
  const bool herd7 = cli::started_as_herd7(argv[0]);  // answer as herd7 (cli/herd7_mode.hpp)
  const std::string usage = std::string(cli::usage()) + cli::graph_usage() + "\n" + cli::hw_usage() + "\n" + cli::batch_usage();
  cli::Options opts;
  try {
    opts = cli::parse_options(argc, argv);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "paddock: {}\n{}", e.what(), usage);
    return 2;
  }
  if (opts.help) {
    fmt::print("{}", usage);
    return 0;
  }
  if (opts.version) {
    fmt::print("{}\n", herd7 ? cli::herd7_version() : "paddock 0.1");
    return 0;
  }
  for (const auto& n : opts.notes) fmt::print(stderr, "{}: {}\n", herd7 ? "herd7" : "paddock", n);
  // What one test prints, however it ran (in this process, in a worker, from a journal).
  auto warnings = std::make_shared<int>(0);  // -models rows with a warning (cli/hw_options.hpp)
  auto render_for = [herd7, warnings](bool json) -> batch::Render {
    return [herd7, json, warnings](const TestOutcome& r, const std::string& path) {
      batch::Rendered o;
      if (r.hw_warning) ++*warnings;
      if (!r.error.empty()) {
        o.failed = true;
        if (json) o.out = r.json + "\n";
        o.err = (herd7 ? cli::herd7_error(r) : r.error) + "\n";
        if (!json) o.out = r.report;  // -models prints the row of a test that some model could not run
        if (!r.skipped.empty()) o.err += r.skipped + "\n";
      } else {
        o.out = json ? r.json + "\n" : r.report;
        // herd warns in both modes: a cut loop may hide outcomes (herd-c-semantics §6).
        if (r.loop) o.err = cli::herd7_loop_warning(path, r.loop_at) + "\n";
        if (!r.skipped.empty()) o.err += r.skipped + "\n";  // a C test that has no hardware mapping
      }
      return o;
    };
  };
  const batch::Render render = render_for(opts.config.json);
  // herd7 7.58 exits 0 after a test's user error.
  auto status = [&](int s) {
    if (*warnings > 0) {
      fmt::print(stderr, "paddock: !!! {} test{} where a hardware model allows what LKMM forbids\n", *warnings,
                 *warnings == 1 ? "" : "s");
      return cli::kHardwareWarning;
    }
    return s == batch::kSomeFailed && herd7 ? 0 : s;
  };
  batch::BatchOptions& b = opts.batch.batch;
  if (opts.batch.merge) {
    if (opts.files.empty()) {
      fmt::print(stderr, "paddock: --merge needs journals\n{}", usage);
      return batch::kBadUsage;
    }
    return status(batch::merge_journals(opts.files, opts.quiet, render_for));
  }
  if (opts.files.empty()) {
    fmt::print(stderr, "paddock: no test given\n{}", usage);
    return 2;
  }
  // -j N on one test: its candidates are split between N threads (the batch has nothing else to run in parallel).
  if (opts.files.size() == 1) opts.config.threads = opts.jobs;
  std::unique_ptr<Session> session;
  try {
    session = std::make_unique<Session>(opts.config);
    for (const auto& w : session->warnings()) fmt::print(stderr, "Warning: {}\n", w);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 2;
  }
  if (opts.graphs.active()) return cli::run_graph_mode(*session, opts);
  if (!opts.config.side_models.empty() && !opts.quiet) {
    fmt::print("{}", report::models_header(opts.config.side_models, opts.config.side_name_width));
    std::fflush(stdout);
  }
  b.jobs = opts.jobs;
  b.quiet = opts.quiet;
  b.limits.cpu_seconds = opts.config.timeout_seconds;
  b.progress = isatty(2);
  // One test without limits or journal runs in this process: the kernel's scripts start one paddock per
  // test, and that start-up cost stays free of fork and pipes.
  bool workers = opts.files.size() > 1 || b.limits.cpu_seconds > 0 || b.limits.memory_mb > 0 || !b.journal.empty() ||
                 b.shard_count > 0 || !b.faults.empty() || b.progress;
  if (workers)
    return status(batch::run_batch(*session, opts.files, cli::output_shaping_args(argc, argv, opts, herd7), b, render));
  batch::Rendered r = render(session->run_file(opts.files[0]), opts.files[0]);
  batch::print(r, opts.quiet);
  return status(r.failed ? batch::kSomeFailed : batch::kAllRan);
}
