// bench_perf [--soak N] [--only SCENARIO] [--por-only]
// Per scenario variant: states explored without reduction, with the original ample sets and with the default
// reduction (persistent sets over lock-gated futures), transitions, CPU seconds, states/s and transitions/s of the
// default reduction, its peak RSS, the verdict, and whether the three searches agree on it (failure classes and
// lockdep cycles). Each search runs in its own forked process, so the peak RSS is that search's own.
// The last line is a one-line summary to compare across runs. Rerun after changing the model or the explorer.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "perf/explorer.hpp"
#include "perf/scenarios.hpp"

using namespace paddock::perf;

namespace {

struct Run {
  bool ok = false;
  uint64_t states = 0, transitions = 0, depth = 0;
  double cpu = 0;
  bool failed = false, truncated = false;
  uint32_t kinds = 0;  // failure classes found (bit per Prop)
  uint32_t ld_cycles = 0;
  long rss_kb = 0;
};

double cpu_now() {
  struct timespec t {};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) + double(t.tv_nsec) * 1e-9;
}

Run run(const ScenarioSpec& s, const VariantSpec& v, Reduction red, uint64_t cap) {
  int fd[2];
  if (pipe(fd) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[0]);
    auto m = build_model(s, v);
    Options o;
    o.red = red;
    if (cap) o.max_states = cap;
    double t0 = cpu_now();
    Result r = explore(*m, o);
    Run x;
    x.cpu = cpu_now() - t0;
    x.ok = true;
    x.states = r.st.states, x.transitions = r.st.transitions, x.depth = r.st.max_depth;
    x.failed = r.failed(), x.truncated = r.st.truncated;
    for (auto& f : r.findings) x.kinds |= 1u << int(f.kind);
    x.ld_cycles = uint32_t(r.ld_cycles.size());
    ssize_t n = write(fd[1], &x, sizeof x);
    _exit(n == ssize_t(sizeof x) ? 0 : 1);
  }
  close(fd[1]);
  Run x;
  if (read(fd[0], &x, sizeof x) != ssize_t(sizeof x)) x.ok = false;
  close(fd[0]);
  int status = 0;
  struct rusage ru {};
  wait4(pid, &status, 0, &ru);
  x.rss_kb = ru.ru_maxrss;
  return x;
}

}  // namespace

int main(int argc, char** argv) {
  uint64_t soak = 2'000'000;
  std::string only;
  bool por_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--soak" && i + 1 < argc) soak = std::stoull(argv[++i]);
    else if (a == "--only" && i + 1 < argc) only = argv[++i];
    else if (a == "--por-only") por_only = true;
    else {
      std::fprintf(stderr, "usage: bench_perf [--soak N] [--only SCENARIO] [--por-only]\n");
      return 2;
    }
  }
  fmt::print("{:<10} {:<22} {:>9} {:>9} {:>9} {:>10} {:>7} {:>9} {:>10} {:>6} {:>5}  {}\n", "scenario", "variant", "none",
             "ample", "por", "por-trans", "cpu-s", "states/s", "trans/s", "RSS-MB", "depth", "verdict");
  uint64_t tot[3] = {}, tot_tr = 0;
  double tot_cpu = 0, worst = 0;
  long peak = 0;
  std::string worst_name;
  bool agree = true;
  int runs = 0;
  for (const auto& s : scenarios()) {
    if (!only.empty() && s.name != only) continue;
    for (const auto& v : s.variants) {
      const bool bounded = s.name == "soak";
      const uint64_t cap = bounded ? soak : 0;
      Run p = run(s, v, Reduction::por, cap), n, a;
      if (!bounded && !por_only) {
        n = run(s, v, Reduction::none, cap);
        a = run(s, v, Reduction::ample, cap);
      }
      bool same = true;
      for (const Run* o : {&n, &a})
        if (o->ok && (o->kinds != p.kinds || o->ld_cycles != p.ld_cycles)) same = false;
      agree &= same && p.ok;
      auto cnt = [](const Run& r) { return r.ok ? fmt::format("{}", r.states) : std::string("-"); };
      tot[0] += n.states, tot[1] += a.states, tot[2] += p.states, tot_tr += p.transitions;
      tot_cpu += p.cpu;
      ++runs;
      peak = std::max(peak, p.rss_kb);
      if (p.cpu > worst) worst = p.cpu, worst_name = s.name + " " + v.name;
      fmt::print("{:<10} {:<22} {:>9} {:>9} {:>9} {:>10} {:>7.3f} {:>9.0f} {:>10.0f} {:>6} {:>5}  {}{}{}\n", s.name, v.name,
                 cnt(n), cnt(a), cnt(p), p.transitions, p.cpu, p.cpu > 0 ? p.states / p.cpu : 0.0,
                 p.cpu > 0 ? p.transitions / p.cpu : 0.0, p.rss_kb / 1024, p.depth,
                 !p.ok ? "CRASH" : p.failed ? "FAIL" : "PASS", p.truncated ? " (bounded)" : "",
                 same ? "" : "  VERDICTS DIFFER");
      std::fflush(stdout);
    }
  }
  fmt::print("\nSUMMARY runs={} states[none/ample/por]={}/{}/{} por: transitions={} cpu={:.2f}s states/s={:.0f} "
             "trans/s={:.0f} slowest={} ({:.2f}s) peak_rss={}MB verdicts={}\n",
             runs, tot[0], tot[1], tot[2], tot_tr, tot_cpu, tot_cpu > 0 ? tot[2] / tot_cpu : 0.0,
             tot_cpu > 0 ? tot_tr / tot_cpu : 0.0, worst_name, worst, peak / 1024, agree ? "agree" : "DIFFER");
  return agree ? 0 : 1;
}
