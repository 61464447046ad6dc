// The Z3 verdict path against the explicit engine. For every test, two SAT questions to the Z3
// engine -- is there a consistent execution (passing the filter) whose final state satisfies the
// proposition P? one that falsifies it? -- must be answered as the explicit engine's counts say
// (Positive > 0, Negative > 0). That fixes Ok/No and the Observation word (Never/Sometimes/Always),
// and the speedcheck report's Ok/No must equal the explicit report's.
// Model: the kernel's own files from the corpus when present (the bundled LKMM is being rewritten),
// else the bundled one.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/files.hpp"
#include "driver/arch.hpp"
#include "driver/driver.hpp"
#include "events/events.hpp"
#include "exec/engine.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"
#include "report/herd_text.hpp"
#include "smt/engine.hpp"

namespace fs = std::filesystem;
using namespace paddock;

namespace {

std::vector<fs::path> tests_under(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".litmus") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

const Session& session() {
  static Session s = [] {
    Config c;
    fs::path kernel = fs::path(PADDOCK_CORPUS_DIR) / "kernel-model" / "linux-kernel.cfg";
    if (fs::exists(kernel)) c.conf = kernel.string();
    return Session(c);
  }();
  return s;
}

struct Counts {
  int tests = 0, agree = 0;
};

void crosscheck(const fs::path& file, Counts& counts) {
  INFO(file.string());
  const Session& s = session();
  litmus::Test test = litmus::parse_test(paddock::read_file(fs::path(file).string()).value_or(""), file.string());
  auto bodies = program::expand(test, s.macros());
  events::Program prog = events::build(test, bodies);
  exec::Result r = exec::run(test, prog, s.model(), {});
  bool sat_p = smt::exists_execution(test, prog, s.model(), true, 120);
  bool sat_not_p = smt::exists_execution(test, prog, s.model(), false, 120);
  ++counts.tests;
  CHECK(sat_p == (r.positive > 0));
  CHECK(sat_not_p == (r.negative > 0));
  // The speedcheck report: same Ok/No, same Loop prefix.
  exec::Result z = smt::speedcheck(test, prog, s.model(), {});
  CHECK(report::condition_ok(test, r.positive, r.negative) == report::condition_ok(test, z.positive, z.negative));
  CHECK(r.loop == z.loop);
  if (sat_p == (r.positive > 0) && sat_not_p == (r.negative > 0)) ++counts.agree;
}

// An assembly test, under the model herd picks for its architecture (x86tso, x86tso-mixed, aarch64).
void crosscheck_asm(const fs::path& file, Counts& counts) {
  INFO(file.string());
  static const Session s{Config{}};  // no -conf: herd's default model per architecture
  std::string text = paddock::read_file(file.string()).value_or("");
  const Arch& arch = arch_of(text, file.string());
  PreparedTest p = arch.prepare(text, file.string(), s.macros(), {});
  const cat::Model& model = s.model_for(arch, text, file.string());
  exec::Result r = exec::run(p.test, p.program, model, {});
  bool sat_p = smt::exists_execution(p.test, p.program, model, true, 120);
  bool sat_not_p = smt::exists_execution(p.test, p.program, model, false, 120);
  ++counts.tests;
  CHECK(sat_p == (r.positive > 0));
  CHECK(sat_not_p == (r.negative > 0));
  if (sat_p == (r.positive > 0) && sat_not_p == (r.negative > 0)) ++counts.agree;
}

}  // namespace

// Values flowing into addresses (`LDR W6,[X5,W4,SXTW]` with W4 = W2 EOR W2), CAS/SWP/CSEL dependencies,
// x86-TSO's locked accesses: every catalogue test of ../shared/corpus-hw.
TEST_CASE("Z3 verdicts agree with the explicit engine on the hardware catalogues", "[smt][hw]") {
  fs::path hw = fs::path(PADDOCK_CORPUS_DIR).parent_path() / "corpus-hw";
  std::vector<fs::path> files;
  for (const char* f : {"catalogue-x86", "catalogue-x86_64", "instructions-x86_64", "catalogue-aarch64",
                        "catalogue-aarch64-cas", "catalogue-aarch64-pick"}) {
    auto more = tests_under(hw / f);
    files.insert(files.end(), more.begin(), more.end());
  }
  if (files.empty()) {
    WARN("skipped: no corpus at " << hw.string());
    return;
  }
  Counts c;
  for (const auto& f : files) crosscheck_asm(f, c);
  WARN("corpus-hw catalogues: " << c.agree << "/" << c.tests << " tests agree");
}

TEST_CASE("Z3 verdicts agree with the explicit engine on the shared corpus", "[smt][corpus]") {
  fs::path corpus = PADDOCK_CORPUS_DIR;
  auto files = tests_under(corpus / "lkmm");
  auto more = tests_under(corpus / "catalogue-linux");
  files.insert(files.end(), more.begin(), more.end());
  if (files.empty()) {
    WARN("skipped: no corpus at " << corpus.string());
    return;
  }
  Counts c;
  for (const auto& f : files) crosscheck(f, c);
  WARN("corpus: " << c.agree << "/" << c.tests << " tests agree");
}

TEST_CASE("Z3 verdicts agree with the explicit engine on litmus/", "[smt][litmus]") {
  auto files = tests_under(fs::path(PADDOCK_SOURCE_DIR) / "litmus");
  REQUIRE(!files.empty());
  Counts c;
  for (const auto& f : files) crosscheck(f, c);
  WARN("litmus/: " << c.agree << "/" << c.tests << " tests agree");
}
