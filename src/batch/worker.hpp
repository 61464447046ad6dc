// One test in its own process: a worker forked from the batch (sharing the loaded model copy-on-write) runs
// the test and sends its outcome back through a pipe; the parent watches its CPU time and resident memory
// and kills it at a limit, so a crash, a runaway allocation or a loop deep inside an engine costs only
// that test.
#pragma once
#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "driver/driver.hpp"

namespace paddock::batch {

struct Limits {
  double cpu_seconds = 0;  // -timeout (0: none)
  double memory_mb = 0;    // -maxmem (0: none)
};

// A hidden debugging aid for the batch's own tests (-debug-fault KIND:SUBSTRING, repeatable): the worker of every test
// whose path contains SUBSTRING crashes (KIND crash), allocates without end (hog) or loops without
// checking any limit (spin), before running it.
struct Fault {
  std::string kind, pattern;
};

class Worker {
 public:
  // Forks; the child runs `path` and never returns. `candidates` lives in memory shared with the child.
  Worker(const Session& session, const std::string& path, std::atomic<uint64_t>* candidates, const std::vector<Fault>& faults,
         const std::vector<int>& fds_to_close);
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker();

  int fd() const { return fd_; }
  // Reads what is available; true at end of file (the child exited or died).
  bool read_some();
  // Kills the child when it is over a limit; true when it did.
  bool enforce(const Limits& limits, double now);
  // After end of file: reaps the child and gives the test's outcome, or the error naming it.
  TestOutcome finish(const Limits& limits, const Config& cfg);

 private:
  std::string path_;
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string buf_;
  double started_ = 0;
  enum class Killed { No, Time, Memory } killed_ = Killed::No;
};

double wall_seconds();

}  // namespace paddock::batch
