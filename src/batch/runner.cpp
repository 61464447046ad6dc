#include "batch/runner.hpp"

#include <algorithm>

#include <poll.h>
#include <sys/mman.h>

#include <cstdio>
#include <fmt/format.h>
#include <map>
#include <memory>
#include <optional>

#include "batch/journal.hpp"
#include "batch/progress.hpp"
#include "util/diag.hpp"
#include "util/files.hpp"

namespace paddock::batch {

namespace {

// Output is in input order: outcomes wait here until every earlier test's is printed.
class Printer {
 public:
  Printer(size_t n, bool quiet, Progress& progress) : out_(n), quiet_(quiet), progress_(progress) {}
  void set(size_t pos, Rendered r) {
    if (r.failed) failed_ = true;
    out_[pos] = std::move(r);
    while (next_ < out_.size() && out_[next_]) {
      progress_.clear();
      print(*out_[next_], quiet_);
      out_[next_].reset();  // printed: the memory can go
      ++next_;
    }
  }
  bool failed() const { return failed_; }
  size_t printed() const { return next_; }

 private:
  std::vector<std::optional<Rendered>> out_;
  size_t next_ = 0;
  bool quiet_, failed_ = false;
  Progress& progress_;
};

// One counter per running worker, in memory shared with the workers (they count, the parent reads).
class SharedCounters {
 public:
  explicit SharedCounters(size_t n) : n_(n) {
    void* p = mmap(nullptr, n * sizeof(std::atomic<uint64_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::runtime_error("mmap of the progress counters failed");
    c_ = static_cast<std::atomic<uint64_t>*>(p);
    for (size_t k = 0; k < n; ++k) new (&c_[k]) std::atomic<uint64_t>(0);
  }
  ~SharedCounters() { munmap(c_, n_ * sizeof(std::atomic<uint64_t>)); }
  std::atomic<uint64_t>* operator[](size_t k) { return &c_[k]; }

 private:
  size_t n_;
  std::atomic<uint64_t>* c_;
};

std::string digest_of_file(const std::string& path) {
  auto text = read_file(path);
  return text ? digest(*text) : "";
}

std::string format_error(const UserError& e) { return e.what(); }

}  // namespace

void print(const Rendered& r, bool quiet) {
  if (quiet && !r.failed) return;
  if (!r.out.empty()) {
    std::fwrite(r.out.data(), 1, r.out.size(), stdout);
    std::fflush(stdout);
  }
  if (!r.err.empty()) {
    std::fwrite(r.err.data(), 1, r.err.size(), stderr);
    std::fflush(stderr);
  }
}

std::vector<size_t> shard_slice(size_t n, int index, int count) {
  std::vector<size_t> s;
  if (count <= 0) {
    for (size_t k = 0; k < n; ++k) s.push_back(k);
    return s;
  }
  for (size_t k = size_t(index - 1); k < n; k += size_t(count)) s.push_back(k);
  return s;
}

int run_batch(const Session& session, const std::vector<std::string>& tests, const std::vector<std::string>& fp,
              const BatchOptions& opts, const Render& render) {
  std::vector<size_t> slice = shard_slice(tests.size(), opts.shard_index, opts.shard_count);
  double start = wall_seconds();
  Progress progress(opts.progress, slice.size(), start);
  Printer printer(slice.size(), opts.quiet, progress);
  uint64_t candidates_done = 0;

  // The journal: what a previous run finished is printed from it, not run again.
  std::unique_ptr<JournalWriter> writer;
  std::vector<bool> done(slice.size(), false);
  std::vector<std::string> digests(slice.size());
  if (!opts.journal.empty()) {
    Journal jn;
    JournalHeader want{fp, tests, opts.shard_index, opts.shard_count};
    try {
      jn = read_journal(opts.journal);
      if (jn.header && (jn.header->options != want.options || jn.header->tests != want.tests ||
                        jn.header->shard_index != want.shard_index || jn.header->shard_count != want.shard_count))
        throw UserError(opts.journal, Pos{1, 1},
                        "the journal belongs to another batch (other tests, options or shard); give a new journal");
      writer = std::make_unique<JournalWriter>(opts.journal, jn.header ? jn.complete_bytes : 0);
      if (!jn.header) writer->append(header_line(want));
    } catch (const UserError& e) {
      fmt::print(stderr, "{}\n", format_error(e));
      return kBadUsage;
    }
    std::map<size_t, const JournalRecord*> last;
    for (const auto& r : jn.records) last[r.index] = &r;
    for (size_t pos = 0; pos < slice.size(); ++pos) {
      digests[pos] = digest_of_file(tests[slice[pos]]);
      auto it = last.find(slice[pos]);
      // A test whose file changed since it was journalled runs again.
      if (it == last.end() || it->second->digest != digests[pos]) continue;
      done[pos] = true;
      candidates_done += it->second->candidates;
      printer.set(pos, {it->second->out, it->second->err, it->second->failed});
    }
  }

  size_t jobs = size_t(std::max(1, opts.jobs));
  SharedCounters counters(jobs);
  std::vector<size_t> free_slots;
  for (size_t k = jobs; k-- > 0;) free_slots.push_back(k);
  struct Running {
    size_t pos, slot;
    std::unique_ptr<Worker> worker;
  };
  std::vector<Running> running;
  size_t next = 0, finished = size_t(std::count(done.begin(), done.end(), true));

  auto complete = [&](size_t pos, size_t slot, const TestOutcome& outcome) {
    uint64_t c = counters[slot]->load();
    candidates_done += c;
    Rendered r = render(outcome, tests[slice[pos]]);
    if (writer) {
      JournalRecord rec{slice[pos], tests[slice[pos]], digests[pos], r.out, r.err, r.failed, c};
      try {
        writer->append(record_line(rec));
      } catch (const UserError& e) {
        // The batch goes on; the error is reported and the exit status says something failed.
        progress.clear();
        fmt::print(stderr, "{}\n", format_error(e));
        writer.reset();
        printer.set(pos, render(file_failure(session.config(), tests[slice[pos]], "not journalled"), tests[slice[pos]]));
        ++finished;
        return;
      }
    }
    ++finished;
    printer.set(pos, std::move(r));
  };

  bool watch = opts.limits.cpu_seconds > 0 || opts.limits.memory_mb > 0;
  while (true) {
    while (next < slice.size() && done[next]) ++next;
    while (running.size() < jobs && next < slice.size()) {
      size_t pos = next++, slot = free_slots.back();
      counters[slot]->store(0);
      std::vector<int> fds;
      for (const auto& r : running) fds.push_back(r.worker->fd());
      try {
        running.push_back({pos, slot, std::make_unique<Worker>(session, tests[slice[pos]], counters[slot], opts.faults, fds)});
        free_slots.pop_back();
      } catch (const std::exception& e) {
        complete(pos, slot, file_failure(session.config(), tests[slice[pos]], fmt::format("cannot start a worker: {}", e.what())));
      }
      while (next < slice.size() && done[next]) ++next;
    }
    if (running.empty()) break;

    std::vector<pollfd> pfds;
    for (const auto& r : running) pfds.push_back({r.worker->fd(), POLLIN, 0});
    int wait_ms = watch ? 10 : progress.enabled() ? 100 : -1;
    poll(pfds.data(), pfds.size(), wait_ms);
    double now = wall_seconds();
    for (size_t k = running.size(); k-- > 0;) {
      Running& r = running[k];
      bool eof = (pfds[k].revents & (POLLIN | POLLHUP | POLLERR)) && r.worker->read_some();
      if (!eof) {
        r.worker->enforce(opts.limits, now);
        continue;
      }
      TestOutcome out = r.worker->finish(opts.limits, session.config());
      size_t pos = r.pos, slot = r.slot;
      running.erase(running.begin() + long(k));
      free_slots.push_back(slot);
      complete(pos, slot, out);
    }
    uint64_t live = 0;
    for (const auto& r : running) live += counters[r.slot]->load(std::memory_order_relaxed);
    progress.update(finished, running.size(), candidates_done + live, now);
  }
  progress.clear();
  return printer.failed() ? kSomeFailed : kAllRan;
}

int merge_journals(const std::vector<std::string>& journals, bool quiet,
                   const std::function<Render(bool json)>& render_for) {
  std::optional<JournalHeader> header;
  std::vector<Journal> all;
  try {
    for (const auto& path : journals) {
      Journal jn = read_journal(path);
      if (!jn.header) throw UserError(path, Pos{1, 1}, "not a paddock journal (empty)");
      if (header && (jn.header->options != header->options || jn.header->tests != header->tests))
        throw UserError(path, Pos{1, 1},
                        fmt::format("the journal belongs to another batch than {} (other tests or options)", journals[0]));
      if (!header) header = jn.header;
      all.push_back(std::move(jn));
    }
  } catch (const UserError& e) {
    fmt::print(stderr, "{}\n", format_error(e));
    return kBadUsage;
  }
  std::vector<const JournalRecord*> by_index(header->tests.size(), nullptr);
  for (const auto& jn : all)
    for (const auto& r : jn.records) by_index[r.index] = &r;
  Config cfg;
  cfg.json = std::find(header->options.begin(), header->options.end(), "-json") != header->options.end();
  Render render = render_for(cfg.json);
  Progress none(false, 0, 0);
  Printer printer(by_index.size(), quiet, none);
  for (size_t k = 0; k < by_index.size(); ++k) {
    if (by_index[k]) printer.set(k, {by_index[k]->out, by_index[k]->err, by_index[k]->failed});
    else printer.set(k, render(file_failure(cfg, header->tests[k], "in none of the journals"), header->tests[k]));
  }
  return printer.failed() ? kSomeFailed : kAllRan;
}

}  // namespace paddock::batch
