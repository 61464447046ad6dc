// Bad models are refused when they are loaded, before any test runs (issue 10, part 4): an unknown identifier,
// a plain `let` that refers to itself or to a later binding, a bell file that declares no instructions; a
// -variant nothing tests is warned about; a test of another architecture than the model's gets an error
// naming both. The models that are right (the kernel's, the bundled ones, includes, procedures, enums,
// `with ... from`) still load without a word.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "driver/driver.hpp"

namespace fs = std::filesystem;
using namespace paddock;

namespace {

struct Dir {
  fs::path path = fs::temp_directory_path() / "paddock-bad-model-test";
  Dir() { fs::create_directories(path); }
  ~Dir() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) const {
    std::string p = (path / name).string();
    std::ofstream(p) << text;
    return p;
  }
};

std::string session_error(const Config& c) {
  try {
    Session s(c);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

const char* const kMP =
    "C MP\n{}\nP0(int *x, int *y) { WRITE_ONCE(*x, 1); WRITE_ONCE(*y, 1); }\n"
    "P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); r1 = READ_ONCE(*x); }\n"
    "exists (1:r0=1 /\\ 1:r1=0)\n";

const char* const kX86SB =
    "X86 SB\n{ x=0; y=0; }\n P0          | P1          ;\n MOV [x],$1  | MOV [y],$1  ;\n"
    " MOV EAX,[y] | MOV EAX,[x] ;\nexists (0:EAX=0 /\\ 1:EAX=0)\n";

}  // namespace

TEST_CASE("an unknown identifier in a cat file is an error at load, at its use", "[exec][badmodel]") {
  Dir d;
  Config c;
  c.model = d.write("unk.cat", "\"t\"\nlet com = rf | loc\nlet hb = po | rff\nacyclic hb as x\n");
  CHECK(session_error(c) == c.model + ":3:15: error: unknown identifier 'rff' (defined neither by the model nor "
                                      "by the engine)");
  // An unknown procedure is the same error, at the call.
  c.model = d.write("proc.cat", "\"t\"\ncall nothere(po)\n");
  CHECK(session_error(c) == c.model + ":2:1: error: unknown identifier 'nothere' (defined neither by the model "
                                      "nor by the engine)");
}

TEST_CASE("a plain let that refers to itself or to a later binding is an error at load", "[exec][badmodel]") {
  Dir d;
  Config c;
  c.model = d.write("self.cat", "\"t\"\nlet hb = po | hb\nacyclic hb as x\n");
  CHECK(session_error(c) == c.model + ":2:15: error: 'hb' is used before its definition at " + c.model +
                                ":2:1 (a plain `let` sees only earlier bindings, not itself: write `let rec` for "
                                "a recursive definition)");
  c.model = d.write("cycle.cat", "\"t\"\nlet a = b | po\nlet b = a ; a\nacyclic a as x\n");
  CHECK(session_error(c) == c.model + ":2:9: error: 'b' is used before its definition at " + c.model +
                                ":3:1 (a plain `let` sees only earlier bindings, not itself: write `let rec` for "
                                "a recursive definition)");
  // `let rec` is the way to say it, and an engine relation may be rebound from itself.
  c.model = d.write("rec.cat", "\"t\"\nlet rec hb = po | (hb ; hb)\nlet po = po & loc\nacyclic hb | po as x\n");
  CHECK(session_error(c) == "");
}

TEST_CASE("a bell file that declares no instructions is an error at load", "[exec][badmodel]") {
  Dir d;
  Config c;
  c.bell = d.write("nob.bell", "(* not a bell *)\n\nlet fence = po & (F * F)\n");
  CHECK(session_error(c) == c.bell + ":3:1: error: bell file declares no instructions (expected at least one "
                               "`instructions R[...]`, `instructions W[...]` or `instructions F[...]`; is this a cat "
                               "file?)");
  c.bell = d.write("empty.bell", "");
  CHECK(session_error(c) == c.bell + ":1:1: error: bell file declares no instructions (expected at least one "
                               "`instructions R[...]`, `instructions W[...]` or `instructions F[...]`; is this a cat "
                               "file?)");
}

TEST_CASE("the kernel's model, includes, -I, procedures, enums and with-from load without error", "[exec][badmodel]") {
  Dir d;
  Config c;
  Session kernel(c);  // the bundled linux-kernel.cfg: cat, bell (enum, instructions), lock.cat (with ... from)
  CHECK(kernel.warnings().empty());
  d.write("inc.cat", "let myfence = po & (F * M)\nprocedure noloop(r) = acyclic r end\n");
  fs::create_directories(d.path / "lib");
  std::ofstream((d.path / "lib" / "far.cat").string()) << "let far = rf ; po\n";
  c.model = d.write("main.cat", "\"t\"\ninclude \"inc.cat\"\ninclude \"far.cat\"\nenum Colours = 'red || 'blue\n"
                                "with co from linearisations(W, loc)\ncall noloop(myfence | far | co)\n");
  c.include_dirs = {(d.path / "lib").string()};
  CHECK(session_error(c) == "");
}

TEST_CASE("a -variant that no loaded model file tests is warned about", "[exec][badmodel]") {
  Config c;
  c.variants = {"lkmmv3", "oota", "lkmmv2"};
  Session s(c);
  REQUIRE(s.warnings().size() == 1);
  CHECK(s.warnings()[0] == "variant 'lkmmv3' is tested by no loaded model file (linux-kernel.cat) and is not an "
                           "engine variant: it has no effect");
  CHECK(s.run_text(kMP, "MP.litmus").error.empty());
}

TEST_CASE("a test of another architecture than the model's gets an error naming both", "[exec][badmodel]") {
  Config c;
  c.model = "linux-kernel.cat";
  Session kernel(c);
  CHECK(kernel.run_text(kX86SB, "SB.litmus").error ==
        "SB.litmus:1:1: error: this X86 test cannot run on linux-kernel.cat, a model for C tests (give -model with a "
        "model written for X86)");
  c.model = "x86tso.cat";
  Session tso(c);
  CHECK(tso.run_text(kMP, "MP.litmus").error ==
        "MP.litmus:1:1: error: this C test cannot run on x86tso.cat, a model for X86 tests (give -model with a model "
        "written for C)");
  TestOutcome ok = tso.run_text(kX86SB, "SB.litmus");
  CHECK(ok.error.empty());
  CHECK(ok.report.find("Observation SB Sometimes") != std::string::npos);
}
