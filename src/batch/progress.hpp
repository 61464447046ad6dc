// The progress line of a batch on a terminal's stderr: tests done / total, running, candidate executions
// examined so far, elapsed time and an estimate of what is left. Redrawn in place; cleared before any
// report or error is printed so that it never mixes with them.
#pragma once
#include <cstdint>
#include <string>

namespace paddock::batch {

class Progress {
 public:
  Progress(bool enabled, size_t total, double start) : enabled_(enabled), total_(total), start_(start) {}
  // Redraws at most every quarter second, from half a second on (a short batch shows nothing).
  void update(size_t done, size_t running, uint64_t candidates, double now);
  void clear();  // before printing anything else on the terminal
  bool enabled() const { return enabled_; }

  // The line itself, for the tests.
  static std::string line(size_t done, size_t total, size_t running, uint64_t candidates, double elapsed);

 private:
  bool enabled_;
  size_t total_;
  double start_, last_ = 0;
  bool shown_ = false;
};

}  // namespace paddock::batch
