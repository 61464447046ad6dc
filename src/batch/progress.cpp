#include "batch/progress.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace paddock::batch {

namespace {

std::string clock(double seconds) {
  auto s = uint64_t(seconds);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

void put(const std::string& s) {
  for (size_t done = 0; done < s.size();) {
    ssize_t n = ::write(2, s.data() + done, s.size() - done);
    if (n <= 0) return;
    done += size_t(n);
  }
}

}  // namespace

std::string Progress::line(size_t done, size_t total, size_t running, uint64_t candidates, double elapsed) {
  std::string eta = done ? clock(elapsed / double(done) * double(total - done)) : "?";
  return fmt::format("paddock: {}/{} tests, {} running, {} candidate executions, {} elapsed, ETA {}", done, total,
                     running, candidates, clock(elapsed), eta);
}

void Progress::update(size_t done, size_t running, uint64_t candidates, double now) {
  if (!enabled_ || now - start_ < 0.5 || now - last_ < 0.25) return;
  last_ = now;
  put("\r\033[K" + line(done, total_, running, candidates, now - start_));
  shown_ = true;
}

void Progress::clear() {
  if (!shown_) return;
  put("\r\033[K");
  shown_ = false;
}

}  // namespace paddock::batch
