// C tests on hardware through the driver: each kernel primitive as the kernel compiles it for x86-64
// (../shared/docs/mappings.md), checked under models/x86tso.cat, and the -models table's warnings.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "driver/driver.hpp"
#include "report/models_table.hpp"
#include "util/embedded.hpp"

using namespace paddock;

namespace {

const Session& session(const std::string& hw) {
  static std::map<std::string, std::unique_ptr<Session>> sessions;
  auto& s = sessions[hw];
  if (!s) {
    Config c;
    c.hw_arch = hw;
    s = std::make_unique<Session>(c);
  }
  return *s;
}

// "Never 0 3" from the Observation line ("" when the test did not run: then the error is shown).
std::string verdict(const std::string& hw, const std::string& text) {
  TestOutcome r = session(hw).run_text(text, "t.litmus");
  INFO(r.error << r.skipped);
  auto at = r.report.find("Observation t ");
  if (at == std::string::npos) return "";
  at += 14;
  return r.report.substr(at, r.report.find('\n', at) - at);
}

std::string word(const std::string& v) { return v.substr(0, v.find(' ')); }

std::string read_source(const std::string& rel) {
  std::ifstream in(std::string(PADDOCK_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Two threads, each `a` then `mid` then `b` (SB when a is a write and b a read).
std::string two(const std::string& p0, const std::string& p1, const std::string& cond,
                const std::string& init = "") {
  return "C t\n{" + init + "}\nP0(int *x, int *y, int *z, atomic_t *a, spinlock_t *l)\n{\n int r0; int r1;\n" + p0 +
         "\n}\nP1(int *x, int *y, int *z, atomic_t *a, spinlock_t *l)\n{\n int r0; int r1;\n" + p1 + "\n}\nexists (" +
         cond + ")\n";
}

std::string sb(const std::string& mid) {
  return two("WRITE_ONCE(*x, 1);\n" + mid + "\nr0 = READ_ONCE(*y);", "WRITE_ONCE(*y, 1);\n" + mid + "\nr0 = READ_ONCE(*x);",
             "0:r0=0 /\\ 1:r0=0");
}

}  // namespace

TEST_CASE("the known LKMM/hardware differences (litmus/hw)") {
  struct Row {
    const char* file;
    const char *lkmm, *x86, *arm64;
  };
  const Row rows[] = {
      {"R+wmb+mb", "Sometimes", "Never", "Never"},
      {"2+2W+wmbs", "Sometimes", "Never", "Never"},
      {"IRIW+rmbs", "Sometimes", "Never", "Never"},
      {"SB+release+acquire", "Sometimes", "Sometimes", "Never"},
      {"SB+atomic_inc", "Sometimes", "Never", "Sometimes"},
      {"SB+cmpxchg-fail", "Sometimes", "Never", "Sometimes"},
  };
  for (const Row& r : rows) {
    INFO(r.file);
    std::string text = read_source(std::string("litmus/hw/") + r.file + ".litmus");
    REQUIRE(!text.empty());
    auto run = [&](const std::string& hw) {
      TestOutcome o = session(hw).run_text(text, r.file);
      INFO(o.error);
      auto at = o.report.find("Observation ");
      if (at == std::string::npos) return std::string(o.error);
      at = o.report.find(' ', at + 12) + 1;
      return o.report.substr(at, o.report.find(' ', at) - at);
    };
    CHECK(run("") == r.lkmm);
    CHECK(run("x86") == r.x86);
    // Not yet: a clear refusal, never an answer from the wrong mapping.
    for (const char* a : {"arm64", "arm64-lse"})
      CHECK(run(a).find(std::string("error: -arch ") + a + ": the arm64 mapping of C tests is not implemented yet") !=
            std::string::npos);
    (void)r.arm64;
  }
}

TEST_CASE("x86: fences") {
  CHECK(verdict("x86", sb("")) == "Sometimes 1 3");
  CHECK(verdict("x86", sb("smp_mb();")) == "Never 0 3");  // lock; addl = MFENCE
  // Compiler barriers only on x86: the store buffer stays.
  for (const char* f : {"smp_wmb();", "smp_rmb();", "smp_mb__before_atomic();", "smp_mb__after_atomic();",
                        "smp_mb__after_spinlock();", "barrier();"}) {
    INFO(f);
    CHECK(verdict("x86", sb(f)) == "Sometimes 1 3");
  }
  CHECK(verdict("x86", sb("smp_store_mb(*z, 1);")) == "Never 0 4");
}

TEST_CASE("x86: every atomic RMW is a locked instruction, relaxed or not") {
  for (const char* rmw : {"r1 = xchg_relaxed(z, 1);", "r1 = xchg(z, 1);", "atomic_inc(a);", "atomic_add(2, a);",
                          "r1 = atomic_fetch_add_relaxed(1, a);", "r1 = atomic_inc_return_acquire(a);",
                          "r1 = cmpxchg_relaxed(z, 0, 1);", "r1 = atomic_dec_and_test(a);"}) {
    INFO(rmw);
    CHECK(word(verdict("x86", sb(rmw))) == "Never");
    CHECK(word(verdict("", sb(rmw))) != "");
  }
  // A failing cmpxchg is still a LOCK CMPXCHG (a locked read): z is never 5.
  CHECK(verdict("x86", sb("r1 = cmpxchg_relaxed(z, 5, 1);")) == "Never 0 3");
  // A failing add_unless never reached its cmpxchg: a plain atomic_read decided it (a is 0, unless 0).
  CHECK(verdict("x86", sb("r1 = atomic_add_unless(a, 1, 0);")) == "Sometimes 1 3");
  CHECK(verdict("x86", sb("r1 = atomic_add_unless(a, 1, 5);")) == "Never 0 4");
}

TEST_CASE("x86: spinlocks are LOCK CMPXCHG 0 -> 1 and a plain store of 0") {
  // Mutual exclusion: the increments do not interleave.
  std::string inc = "spin_lock(l);\nr0 = READ_ONCE(*x);\nWRITE_ONCE(*x, r0 + 1);\nspin_unlock(l);";
  CHECK(verdict("x86", two(inc, inc, "x=1")) == "Never 0 2");
  CHECK(verdict("", two(inc, inc, "x=1")) == "Never 0 2");
  // spin_lock is a full fence; spin_unlock then a read is the store buffer again.
  CHECK(word(verdict("x86", sb("spin_lock(l);\nspin_unlock(l);"))) == "Never");
  CHECK(word(verdict("x86", two("WRITE_ONCE(*x, 1);\nspin_unlock(l);\nr0 = READ_ONCE(*y);",
                                "WRITE_ONCE(*y, 1);\nspin_unlock(l);\nr0 = READ_ONCE(*x);", "0:r0=0 /\\ 1:r0=0"))) ==
        "Sometimes");
  // spin_trylock succeeds only on a free lock, and then excludes the other holder.
  std::string held = two("spin_lock(l);", "r0 = spin_trylock(l);", "1:r0=1");
  CHECK(verdict("x86", held) == verdict("", held));
  CHECK(word(verdict("x86", held)) == "Never");
  std::string freed = two("spin_lock(l);\nspin_unlock(l);", "r0 = spin_trylock(l);", "1:r0=1");
  // 2 1: the trylock's first read (the kernel's atomic_read) may read the initial 0 or the unlock's.
  CHECK(verdict("x86", freed) == "Sometimes 2 1");
  CHECK(word(verdict("", freed)) == "Sometimes");
  // spin_is_locked reads the lock word.
  std::string is = two("spin_lock(l);", "r0 = spin_is_locked(l);", "1:r0=1");
  CHECK(verdict("x86", is) == verdict("", is));
}

TEST_CASE("x86: the report is the C test's (states, condition, Hash)") {
  std::string t = sb("smp_wmb();");
  TestOutcome lk = session("").run_text(t, "t.litmus"), hw = session("x86").run_text(t, "t.litmus");
  auto hash = [](const std::string& r) { return r.substr(r.find("Hash=")); };
  CHECK(hash(lk.report) == hash(hw.report));
  CHECK(lk.report.substr(0, lk.report.find("Ok")) == hw.report.substr(0, hw.report.find("Ok")));
}

TEST_CASE("RCU and SRCU are skipped, naming the primitive") {
  for (const char* p : {"rcu_read_lock();\nr0 = READ_ONCE(*y);\nrcu_read_unlock();", "synchronize_rcu();",
                        "r1 = srcu_read_lock(z);\nsrcu_read_unlock(z, r1);", "synchronize_srcu(z);"}) {
    INFO(p);
    TestOutcome r = session("x86").run_text(two(p, "WRITE_ONCE(*y, 1);", "0:r0=0"), "t.litmus");
    CHECK(r.error.empty());
    CHECK(r.report.empty());
    std::string name = std::string(p).substr(std::string(p).find_first_of("rs"));
    name = name.substr(name.find(p[0] == 'r' && p[1] == '1' ? "srcu" : p[0] == 'r' ? "rcu" : "synchronize"));
    name = name.substr(0, name.find('('));
    CHECK(r.skipped.find("t.litmus:6:") == 0);
    CHECK(r.skipped.find("skipped: " + name + " has no instruction-level mapping on x86") != std::string::npos);
  }
}

TEST_CASE("the arch option applies to C tests only") {
  TestOutcome r = session("x86").run_text("X86 t\n{ }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n", "t.litmus");
  CHECK(r.error == "t.litmus:1:1: error: -arch x86 maps C tests to hardware; this test is X86");
}

TEST_CASE("the models table: a warning where a hardware model allows what LKMM forbids") {
  using report::ModelCell;
  std::vector<std::string> models{"lkmm", "x86", "arm64"};
  auto cell = [](uint64_t p, uint64_t n) {
    ModelCell c;
    c.positive = p, c.negative = n;
    return c;
  };
  ModelCell skipped;
  skipped.kind = ModelCell::Kind::Skipped;
  auto row = report::models_row("T", models, {cell(1, 3), cell(0, 3), cell(0, 3)}, 1);
  CHECK(row.warnings.empty());  // hardware stronger: forgiven, as the kernel's judgelitmus.sh does
  CHECK(row.line == "T     Sometimes 1 3         Never 0 3             Never 0 3\n");
  row = report::models_row("T", models, {cell(0, 3), cell(0, 3), cell(1, 3)}, 1);
  REQUIRE(row.warnings.size() == 1);
  CHECK(row.warnings[0] == "T: LKMM says Never but arm64 says Sometimes: the arm64 mapping or model allows what LKMM forbids");
  CHECK(row.line.find("!!! WARNING") != std::string::npos);
  // An Always (forall) that a machine breaks is the same unsoundness.
  CHECK(report::models_row("T", models, {cell(3, 0), cell(2, 1), skipped}, 1).warnings.size() == 1);
  CHECK(report::models_row("T", models, {skipped, cell(2, 1), cell(0, 1)}, 1).warnings.empty());
  CHECK(report::models_header(models, 1) == "Test  lkmm                  x86                   arm64\n");
}
