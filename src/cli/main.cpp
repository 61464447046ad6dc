// paddock: herd7-compatible command line over libpaddock.
#include <fmt/format.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "cat/error.hpp"
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
    fmt::print("paddock 0.1\n");
    return 0;
  }
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
        fmt::print(stderr, "{}\n", r.error);
      } else if (!opts.quiet) {
        fmt::print("{}", r.report);
        std::fflush(stdout);
      }
    }
  };
  size_t n = std::min<size_t>(size_t(opts.jobs), opts.files.size());
  std::vector<std::thread> pool;
  for (size_t k = 1; k < n; ++k) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  return failed ? 1 : 0;
}
