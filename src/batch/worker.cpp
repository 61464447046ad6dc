#include "batch/worker.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <thread>
#include <vector>

namespace paddock::batch {

namespace {

// The outcome on the pipe: 'R', then each field as a length and its bytes (numbers as decimal text), 'E'.
// Only a record that ends with 'E' counts, so a worker that dies half-way is a crash, not a short report.
std::string encode(const TestOutcome& r) {
  std::string out = "R";
  const std::string line = std::to_string(r.error_pos.line), col = std::to_string(r.error_pos.col),
                    loop = r.loop ? "1" : "0", warning = r.hw_warning ? "1" : "0";
  for (const std::string* s :
       {&r.report, &r.error, &r.error_file, &r.error_message, &r.json, &line, &col, &loop, &r.skipped, &warning, &r.loop_at}) {
    uint64_t n = s->size();
    out.append(reinterpret_cast<const char*>(&n), sizeof n);
    out += *s;
  }
  return out + "E";
}

bool decode(const std::string& buf, TestOutcome& r) {
  size_t at = 1;
  if (buf.empty() || buf[0] != 'R') return false;
  std::string line, col, loop, warning;
  for (std::string* s :
       {&r.report, &r.error, &r.error_file, &r.error_message, &r.json, &line, &col, &loop, &r.skipped, &warning, &r.loop_at}) {
    uint64_t n;
    if (buf.size() < at + sizeof n) return false;
    std::memcpy(&n, buf.data() + at, sizeof n);
    at += sizeof n;
    if (buf.size() - at < n) return false;
    s->assign(buf, at, n);
    at += n;
  }
  r.error_pos = {std::atoi(line.c_str()), std::atoi(col.c_str())};
  r.loop = loop == "1";
  r.hw_warning = warning == "1";
  return buf.size() == at + 1 && buf[at] == 'E';
}

void write_all(int fd, const std::string& s) {
  size_t done = 0;
  while (done < s.size()) {
    ssize_t n = ::write(fd, s.data() + done, s.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(3);
    done += size_t(n);
  }
}

// Reads a /proc file of the child; "" when it is gone.
std::string proc_file(pid_t pid, const char* name) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/%s", int(pid), name);
  int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  char buf[1024];
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  return n > 0 ? std::string(buf, size_t(n)) : "";
}

// User + system CPU seconds of the child (fields 14 and 15 of /proc/PID/stat, after the parenthesised name).
double cpu_of(pid_t pid) {
  std::string s = proc_file(pid, "stat");
  size_t paren = s.rfind(')');
  if (paren == std::string::npos) return 0;
  unsigned long long utime = 0, stime = 0;
  if (std::sscanf(s.c_str() + paren + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) !=
      2)
    return 0;
  return double(utime + stime) / double(sysconf(_SC_CLK_TCK));
}

// Resident memory of the child in MB (field 2 of /proc/PID/statm, in pages).
double resident_mb(pid_t pid) {
  unsigned long long size = 0, resident = 0;
  if (std::sscanf(proc_file(pid, "statm").c_str(), "%llu %llu", &size, &resident) != 2) return 0;
  return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

[[noreturn]] void spin_forever() {
  volatile uint64_t x = 0;
  for (;;) x = x + 1;
}

void apply_fault(const Fault& f, const std::string& path) {
  if (path.find(f.pattern) == std::string::npos) return;
  if (f.kind == "crash") {
    std::fflush(nullptr);
    ::raise(SIGSEGV);
    _exit(139);  // in case SIGSEGV is caught (a sanitizer's handler) and returns
  }
  if (f.kind == "hog") {
    // Touches 16 MB blocks up to 2 GB, then loops: -maxmem (or -timeout) has to stop it.
    std::vector<std::unique_ptr<char[]>> blocks;
    for (int k = 0; k < 128; ++k) {
      blocks.emplace_back(new char[16u << 20]);
      std::memset(blocks.back().get(), k + 1, 16u << 20);
    }
    spin_forever();
  }
  if (f.kind == "spin") spin_forever();
}

[[noreturn]] void child_main(const Session& session, const std::string& path, int fd, std::atomic<uint64_t>* candidates,
                             const std::vector<Fault>& faults, pid_t parent) {
  // The worker dies with the batch (a killed batch leaves no orphans working on).
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(4);
  signal(SIGPIPE, SIG_DFL);
  for (const Fault& f : faults) apply_fault(f, path);
  TestOutcome r;
  try {
    r = session.run_file(path, candidates);
  } catch (const std::exception& e) {
    r = file_failure(session.config(), path, fmt::format("internal error: {}", e.what()));
  } catch (...) {
    r = file_failure(session.config(), path, "internal error");
  }
  write_all(fd, encode(r));
  // No destructors or exit-time hooks: the parent owns everything that outlives this test.
  _exit(0);
}

}  // namespace

double wall_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

Worker::Worker(const Session& session, const std::string& path, std::atomic<uint64_t>* candidates,
               const std::vector<Fault>& faults, const std::vector<int>& fds_to_close)
    : path_(path), started_(wall_seconds()) {
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  pid_t parent = getpid();
  std::fflush(nullptr);  // nothing buffered in the parent may be written twice
  pid_ = fork();
  if (pid_ < 0) {
    ::close(p[0]);
    ::close(p[1]);
    throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid_ == 0) {
    ::close(p[0]);
    for (int other : fds_to_close) ::close(other);
    child_main(session, path, p[1], candidates, faults, parent);
  }
  ::close(p[1]);
  fd_ = p[0];
}

Worker::~Worker() {
  if (fd_ >= 0) ::close(fd_);
  if (pid_ > 0) {  // not reaped: the batch is unwinding
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool Worker::read_some() {
  char chunk[65536];
  for (;;) {
    ssize_t n = ::read(fd_, chunk, sizeof chunk);
    if (n > 0) {
      buf_.append(chunk, size_t(n));
      return false;
    }
    if (n == 0) return true;
    if (errno == EINTR) continue;
    if (errno == EAGAIN) return false;
    return true;
  }
}

bool Worker::enforce(const Limits& limits, double now) {
  if (killed_ != Killed::No || pid_ <= 0) return false;
  if (limits.memory_mb > 0 && resident_mb(pid_) > limits.memory_mb) killed_ = Killed::Memory;
  // CPU time is the limit (as the engines' own checks); the wall clock only catches a worker that does not
  // run at all (a test path that is a FIFO nobody writes).
  else if (limits.cpu_seconds > 0 &&
           (cpu_of(pid_) > limits.cpu_seconds || now - started_ > 10 * limits.cpu_seconds + 10))
    killed_ = Killed::Time;
  if (killed_ == Killed::No) return false;
  ::kill(pid_, SIGKILL);
  return true;
}

TestOutcome Worker::finish(const Limits& limits, const Config& cfg) {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  TestOutcome r;
  // A result that arrived whole counts even when a limit struck just after it was sent.
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && decode(buf_, r)) return r;
  if (killed_ == Killed::Time) return file_failure(cfg, path_, time_limit_message(limits.cpu_seconds));
  if (killed_ == Killed::Memory)
    return file_failure(cfg, path_, fmt::format("memory limit of {:g} MB exceeded", limits.memory_mb));
  if (WIFSIGNALED(status))
    return file_failure(cfg, path_,
                        fmt::format("the worker crashed (signal {}, {})", WTERMSIG(status), strsignal(WTERMSIG(status))));
  return file_failure(cfg, path_, fmt::format("the worker crashed (exit status {}, no result)", WEXITSTATUS(status)));
}

}  // namespace paddock::batch
