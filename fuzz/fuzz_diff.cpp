// Fuzz target (c): small tests through both engines with the bundled kernel model (LKMM), which must agree.
// The explicit engine's counts decide two questions -- is there a consistent execution (passing the filter)
// whose final state satisfies the proposition (Positive > 0)? one that falsifies it (Negative > 0)? -- and the
// Z3 engine must answer both the same way; the speedcheck report's Ok/No and Loop prefix must equal the
// explicit ones. Inputs that do not parse, or exceed the budget below, are skipped (target (a) covers them);
// running out of the time budget is not a finding either (the search is exhaustive and may blow up).
#include <fmt/format.h>

#include "driver/driver.hpp"
#include "events/events.hpp"
#include "exec/engine.hpp"
#include "harness.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"
#include "report/herd_text.hpp"
#include "smt/engine.hpp"
#include "smt/sym_eval.hpp"
#include "util/diag.hpp"

using namespace paddock;

namespace {

// The budget: a handful of threads, paths and events keeps one input well under a second.
constexpr size_t kMaxBytes = 2048;
constexpr size_t kMaxThreads = 4;
constexpr size_t kMaxPathsPerThread = 4;
constexpr size_t kMaxEventsPerPath = 8;
constexpr int kMaxReads = 8;
constexpr double kExplicitSeconds = 2, kZ3Seconds = 10;

const Session& session() {
  static const Session s{Config{}};  // the bundled linux-kernel.cfg
  return s;
}

bool within_budget(const events::Program& prog) {
  if (prog.threads.size() > kMaxThreads || prog.reads > kMaxReads) return false;
  for (const auto& paths : prog.threads) {
    if (paths.size() > kMaxPathsPerThread) return false;
    for (const auto& p : paths)
      if (p.events.size() > kMaxEventsPerPath) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxBytes) return 0;
  const std::string file = "fuzz.litmus";
  std::string text(reinterpret_cast<const char*>(data), size);
  const Session& s = session();
  litmus::Test test;
  events::Program prog;
  try {
    test = litmus::parse_test(text, file);
    auto bodies = program::expand(test, s.macros());
    prog = events::build(test, bodies);
  } catch (const UserError&) {
    return 0;
  }
  if (!within_budget(prog)) return 0;

  exec::Result r;
  try {
    exec::Options o;
    o.timeout_seconds = kExplicitSeconds;
    r = exec::run(test, prog, s.model(), o);
  } catch (const exec::Timeout&) {
    return 0;
  } catch (const UserError& e) {
    fuzz::check_error_message(e.what(), file);
    return 0;
  }
  bool sat_p, sat_not_p;
  exec::Result z;
  try {
    sat_p = smt::exists_execution(test, prog, s.model(), true, kZ3Seconds);
    sat_not_p = smt::exists_execution(test, prog, s.model(), false, kZ3Seconds);
    z = smt::speedcheck(test, prog, s.model(), {smt::Speedcheck::True, kZ3Seconds});
  } catch (const smt::Timeout&) {
    return 0;
  } catch (const smt::Unsupported&) {
    return 0;  // a construct the Z3 engine declines (documented); the explicit verdict stands alone
  }
  std::string diffs;
  if (sat_p != (r.positive > 0))
    diffs += fmt::format(" exists(P): z3 {} explicit Positive={};", sat_p, r.positive);
  if (sat_not_p != (r.negative > 0))
    diffs += fmt::format(" exists(~P): z3 {} explicit Negative={};", sat_not_p, r.negative);
  if (report::condition_ok(test, r.positive, r.negative) != report::condition_ok(test, z.positive, z.negative))
    diffs += " speedcheck Ok/No differs;";
  if (r.loop != z.loop) diffs += fmt::format(" Loop: explicit {} speedcheck {};", r.loop, z.loop);
  if (!diffs.empty()) fuzz::finding("explicit and Z3 engines disagree:" + diffs);
  return 0;
}
