// C tests on hardware through the driver: each kernel primitive as the kernel compiles it for x86-64
// (../shared/docs/mappings.md), checked under models/x86tso.cat, and the -models table's warnings.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "driver/driver.hpp"
#include "report/models_table.hpp"
#include "util/embedded.hpp"

using namespace paddock;

namespace {

const Session& session(const std::string& hw, bool show_events = false) {
  static std::map<std::pair<std::string, bool>, std::unique_ptr<Session>> sessions;
  auto& s = sessions[{hw, show_events}];
  if (!s) {
    Config c;
    c.hw_arch = hw;
    c.show_events = show_events;
    s = std::make_unique<Session>(c);
  }
  return *s;
}

// The mapped events of P0's first path, one "SORT[TAGS]" word per event ("R*[X][A]", "F[DMB.ISH]").
std::vector<std::string> p0_events(const std::string& hw, const std::string& text) {
  TestOutcome r = session(hw, true).run_text(text, "t.litmus");
  INFO(r.error);
  std::istringstream in(r.report);
  std::vector<std::string> out;
  std::string line;
  bool in_p0 = false;
  while (std::getline(in, line)) {
    if (line.rfind("P0 path 1/", 0) == 0) in_p0 = true;
    else if (line.rfind("P", 0) == 0) in_p0 = false;
    else if (in_p0 && line.rfind("  e", 0) == 0) {
      std::istringstream w(line);
      std::string id, ev;
      w >> id >> ev;
      out.push_back(ev);
    }
  }
  return out;
}

std::vector<std::string> evs(std::initializer_list<const char*> l) { return {l.begin(), l.end()}; }

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
    CHECK(run("arm64") == r.arm64);
    CHECK(run("arm64-lse") == r.arm64);
    // The Z3 encoding judges the mapped events alike.
    for (const char* a : {"x86", "arm64", "arm64-lse"}) {
      INFO(a);
      Config c;
      c.hw_arch = a;
      c.speedcheck = Config::Speedcheck::True;
      TestOutcome z = Session(c).run_text(text, r.file), e = session(a).run_text(text, r.file);
      auto ok = [](const std::string& rep) { return rep.find("\nOk\n") != std::string::npos; };
      CHECK(ok(z.report) == ok(e.report));
    }
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
  TestOutcome arm = session("arm64").run_text(t, "t.litmus");
  CHECK(hash(lk.report) == hash(arm.report));
  CHECK(lk.report.substr(0, lk.report.find("Ok")) == arm.report.substr(0, arm.report.find("Ok")));
}

TEST_CASE("arm64: each primitive's instructions as events (LL/SC and LSE)") {
  auto one = [](const std::string& stmt) {
    return "C t\n{}\nP0(int *x, atomic_t *a, spinlock_t *l)\n{\n int r0;\n " + stmt + "\n}\nexists (x=0)\n";
  };
  struct Row {
    const char* stmt;
    std::vector<std::string> llsc, lse;
  };
  const Row rows[] = {
      {"r0 = READ_ONCE(*x);", evs({"R"}), evs({"R"})},
      {"WRITE_ONCE(*x, 1);", evs({"W"}), evs({"W"})},
      {"r0 = smp_load_acquire(x);", evs({"R[A]"}), evs({"R[A]"})},  // LDAR
      {"smp_store_release(x, 1);", evs({"W[L]"}), evs({"W[L]"})},  // STLR
      {"smp_mb();", evs({"F[DMB.ISH]"}), evs({"F[DMB.ISH]"})},
      {"smp_rmb();", evs({"F[DMB.ISHLD]"}), evs({"F[DMB.ISHLD]"})},
      {"smp_wmb();", evs({"F[DMB.ISHST]"}), evs({"F[DMB.ISHST]"})},
      {"smp_mb__before_atomic();", evs({"F[DMB.ISH]"}), evs({"F[DMB.ISH]"})},
      {"barrier();", evs({}), evs({})},
      // LDXR; STLXR; CBNZ; DMB ISH  /  SWPAL
      {"r0 = xchg(x, 1);", evs({"R*[X]", "W*[X][L]", "F[DMB.ISH]"}), evs({"R*[X][A]", "W*[X][L]"})},
      {"r0 = xchg_acquire(x, 1);", evs({"R*[X][A]", "W*[X]"}), evs({"R*[X][A]", "W*[X]"})},
      {"r0 = xchg_release(x, 1);", evs({"R*[X]", "W*[X][L]"}), evs({"R*[X]", "W*[X][L]"})},
      {"r0 = xchg_relaxed(x, 1);", evs({"R*[X]", "W*[X]"}), evs({"R*[X]", "W*[X]"})},
      // the successful path of cmpxchg: as xchg (CASAL, CASA ...)
      {"r0 = cmpxchg(x, 0, 1);", evs({"R*[X]", "W*[X][L]", "F[DMB.ISH]"}), evs({"R*[X][A]", "W*[X][L]"})},
      // STADD: the read in NoRet; LDADDAL; LDADDA
      {"atomic_inc(a);", evs({"R*[X]", "W*[X]"}), evs({"R*[X][NoRet]", "W*[X]"})},
      {"r0 = atomic_add_return(1, a);", evs({"R*[X]", "W*[X][L]", "F[DMB.ISH]"}), evs({"R*[X][A]", "W*[X][L]"})},
      {"r0 = atomic_fetch_add_acquire(1, a);", evs({"R*[X][A]", "W*[X]"}), evs({"R*[X][A]", "W*[X]"})},
      // qspinlock's fast path (LDAXR; STXR / CASA) and the STLRB of the unlock
      {"spin_lock(l);", evs({"R*[X][A]", "W*[X]"}), evs({"R*[X][A]", "W*[X]"})},
      {"spin_unlock(l);", evs({"W[L]"}), evs({"W[L]"})},
  };
  for (const Row& r : rows) {
    INFO(r.stmt);
    CHECK(p0_events("arm64", one(r.stmt)) == r.llsc);
    CHECK(p0_events("arm64-lse", one(r.stmt)) == r.lse);
  }
  // A failing cmpxchg: a lone LDXR (no DMB: the failure branches past it); a failing CASAL is an acquire read
  // and no exclusive access.
  std::string fail = "C t\n{}\nP0(int *x)\n{\n int r0;\n r0 = cmpxchg(x, 5, 1);\n}\nexists (0:r0=0)\n";
  TestOutcome r = session("arm64", true).run_text(fail, "t.litmus");
  CHECK(r.report.find("P0 path 2/2\n  e0   R*[X] x") != std::string::npos);
  r = session("arm64-lse", true).run_text(fail, "t.litmus");
  CHECK(r.report.find("P0 path 2/2\n  e0   R[A] x") != std::string::npos);
}

TEST_CASE("arm64: what the mappings order (SB, MP, LB)") {
  for (const char* a : {"arm64", "arm64-lse"}) {
    INFO(a);
    CHECK(verdict(a, sb("")) == "Sometimes 1 3");
    for (const char* f : {"smp_mb();", "smp_mb__before_atomic();", "smp_mb__after_atomic();",
                          "smp_mb__after_spinlock();", "r1 = xchg(z, 1);", "r1 = atomic_add_return(1, a);",
                          "spin_lock(l);\nspin_unlock(l);"}) {
      INFO(f);
      CHECK(word(verdict(a, sb(f))) == "Never");
    }
    // DMB ISHST and ISHLD do not order a write before a read; relaxed and one-sided RMWs do not either;
    // a failing full cmpxchg skips the DMB (LL/SC) or is only an acquire read (CASAL).
    for (const char* f : {"smp_wmb();", "smp_rmb();", "barrier();", "r1 = xchg_relaxed(z, 1);", "atomic_inc(a);",
                          "r1 = xchg_acquire(z, 1);", "r1 = xchg_release(z, 1);", "r1 = cmpxchg(z, 5, 1);"}) {
      INFO(f);
      CHECK(word(verdict(a, sb(f))) == "Sometimes");
      CHECK(word(verdict("", sb(f))) == "Sometimes");  // LKMM allows it too: no warning
    }
    // A successful full cmpxchg is a full barrier (each reads its own write, so it succeeds); of two on one
    // location one fails, and the failure path has no DMB (LL/SC) or is an acquire read only (CASAL).
    CHECK(word(verdict(a, two("WRITE_ONCE(*x, 1);\nr1 = cmpxchg(x, 1, 2);\nr0 = READ_ONCE(*y);",
                              "WRITE_ONCE(*y, 1);\nr1 = cmpxchg(y, 1, 2);\nr0 = READ_ONCE(*x);",
                              "0:r0=0 /\\ 1:r0=0"))) == "Never");
    CHECK(word(verdict(a, sb("r1 = cmpxchg(z, 0, 1);"))) == (std::string(a) == "arm64" ? "Sometimes" : "Never"));
    // MP: DMB ISHST / ISHLD suffice; a control dependency orders a write, not a read (no ISB).
    std::string mp_w = "WRITE_ONCE(*x, 1);\nsmp_wmb();\nWRITE_ONCE(*y, 1);";
    CHECK(verdict(a, two(mp_w, "r0 = READ_ONCE(*y);\nsmp_rmb();\nr1 = READ_ONCE(*x);", "1:r0=1 /\\ 1:r1=0")) ==
          "Never 0 3");
    CHECK(word(verdict(a, two(mp_w, "r0 = READ_ONCE(*y);\nif (r0)\n r1 = READ_ONCE(*x);", "1:r0=1 /\\ 1:r1=0"))) ==
          "Sometimes");
    CHECK(word(verdict(a, two("r0 = READ_ONCE(*x);\nif (r0)\n WRITE_ONCE(*y, 1);",
                              "r0 = READ_ONCE(*y);\nif (r0)\n WRITE_ONCE(*x, 1);", "0:r0=1 /\\ 1:r0=1"))) ==
          "Never");
    // Mutual exclusion and trylock as for x86.
    std::string inc = "spin_lock(l);\nr0 = READ_ONCE(*x);\nWRITE_ONCE(*x, r0 + 1);\nspin_unlock(l);";
    CHECK(verdict(a, two(inc, inc, "x=1")) == "Never 0 2");
    CHECK(word(verdict(a, two("spin_lock(l);", "r0 = spin_trylock(l);", "1:r0=1"))) == "Never");
    // Release then acquire is RCsc: SB through STLR; LDAR is forbidden.
    CHECK(word(verdict(a, two("smp_store_release(x, 1);\nr0 = smp_load_acquire(y);",
                              "smp_store_release(y, 1);\nr0 = smp_load_acquire(x);", "0:r0=0 /\\ 1:r0=0"))) ==
          "Never");
  }
  // LB through cmpxchg_relaxed: LL/SC's compare-and-branch (LDXR; EOR; CBNZ) is a control dependency to the
  // later store; CAS branches on nothing. LKMM orders neither.
  std::string lb = two("r0 = cmpxchg_relaxed(x, 1, 2);\nWRITE_ONCE(*y, 1);",
                       "r0 = READ_ONCE(*y);\nsmp_mb();\nWRITE_ONCE(*x, 1);", "0:r0=1 /\\ 1:r0=1");
  CHECK(word(verdict("", lb)) == "Sometimes");
  CHECK(word(verdict("arm64", lb)) == "Never");
  CHECK(word(verdict("arm64-lse", lb)) == "Sometimes");
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
    TestOutcome a = session("arm64").run_text(two(p, "WRITE_ONCE(*y, 1);", "0:r0=0"), "t.litmus");
    CHECK(a.skipped.find("skipped: " + name + " has no instruction-level mapping on arm64") != std::string::npos);
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
