// bench_perf [--soak N]: states explored per scenario with and without the reduction, states/second (CPU time),
// peak memory. Rerun after a change to the model or the explorer and compare the table.
#include <sys/resource.h>

#include <cstdio>
#include <ctime>
#include <string>

#include <fmt/format.h>

#include "perf/explorer.hpp"
#include "perf/scenarios.hpp"

using namespace paddock::perf;

static double cpu_now() { return double(std::clock()) / CLOCKS_PER_SEC; }

int main(int argc, char** argv) {
  uint64_t soak = 2'000'000;
  if (argc == 3 && std::string(argv[1]) == "--soak") soak = std::stoull(argv[2]);
  fmt::print("{:<10} {:<22} {:>10} {:>11} {:>10} {:>8} {:>12} {:>8}  {}\n", "scenario", "variant", "states", "no-POR", "transit.",
             "cpu s", "states/s", "depth", "verdict");
  uint64_t tot_states = 0;
  double tot_cpu = 0, worst = 0;
  std::string worst_name;
  for (const auto& s : scenarios())
    for (const auto& v : s.variants) {
      auto m = build_model(s, v);
      Options o;
      if (s.name == "soak") o.max_states = soak;
      double t0 = cpu_now();
      Result r = explore(*m, o);
      double cpu = cpu_now() - t0;
      std::string nopor = "-";
      if (s.name != "soak") {
        Options f = o;
        f.por = false;
        nopor = fmt::format("{}", explore(*m, f).st.states);
      }
      tot_states += r.st.states;
      tot_cpu += cpu;
      if (cpu > worst) worst = cpu, worst_name = s.name + " " + v.name;
      fmt::print("{:<10} {:<22} {:>10} {:>11} {:>10} {:>8.3f} {:>12.0f} {:>8}  {}{}\n", s.name, v.name, r.st.states, nopor,
                 r.st.transitions, cpu, cpu > 0 ? r.st.states / cpu : 0.0, r.st.max_depth, r.failed() ? "FAIL" : "PASS",
                 r.st.truncated ? " (bounded)" : "");
      std::fflush(stdout);
    }
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  fmt::print("\ntotal: {} states in {:.2f} s CPU = {:.0f} states/s; slowest: {} ({:.2f} s); peak RSS {} MB\n", tot_states,
             tot_cpu, tot_states / tot_cpu, worst_name, worst, ru.ru_maxrss / 1024);
  return 0;
}
