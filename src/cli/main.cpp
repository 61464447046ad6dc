// paddock: herd7-compatible command line over libpaddock.
#include <fmt/format.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "cat/error.hpp"
#include "cli/herd7_mode.hpp"
#include "cli/options.hpp"
#include "driver/driver.hpp"
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
  cli::Options opts;
  try {
    opts = cli::parse_options(argc, argv);
  } catch (const std::invalid_argument& e) {
    fmt::print(stderr, "paddock: {}\n{}", e.what(), cli::usage());
    return 2;
  }
  if (opts.help) {
    fmt::print("{}", cli::usage());
    return 0;
  }
  if (opts.version) {
    fmt::print("{}\n", herd7 ? cli::herd7_version() : "paddock 0.1");
    return 0;
  }
  for (const auto& n : opts.notes) fmt::print(stderr, "{}: {}\n", herd7 ? "herd7" : "paddock", n);
  if (opts.files.empty()) {
    fmt::print(stderr, "paddock: no test given\n{}", cli::usage());
    return 2;
  }
  std::unique_ptr<Session> session;
  try {
    session = std::make_unique<Session>(opts.config);
  } catch (const std::exception& e) {
    fmt::print(stderr, "{}\n", e.what());
    return 2;
  }
  std::mutex out;
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto worker = [&] {
    for (size_t i; (i = next++) < opts.files.size();) {
      TestOutcome r = session->run_file(opts.files[i]);
      std::lock_guard<std::mutex> lock(out);
      if (!r.error.empty()) {
        failed = true;
        if (opts.config.json) fmt::print("{}\n", r.json);
        fmt::print(stderr, "{}\n", herd7 ? cli::herd7_error(r) : r.error);
      } else if (!opts.quiet) {
        if (opts.config.json) fmt::print("{}\n", r.json);
        else fmt::print("{}", r.report);
        std::fflush(stdout);
        if (herd7 && r.loop) fmt::print(stderr, "{}\n", cli::herd7_loop_warning(opts.files[i]));
      }
    }
  };
  size_t n = std::min<size_t>(size_t(opts.jobs), opts.files.size());
  std::vector<std::thread> pool;
  for (size_t k = 1; k < n; ++k) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return failed && !herd7 ? 1 : 0;  // herd7 7.58 exits 0 after a test's user error
}
