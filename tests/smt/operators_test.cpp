// The two evaluators share the meaning of cat's expressions (cat/operators.hpp): a model that needs tuples,
// closures, let rec over a match, `e in S` for an event, tag matches, `++` and try must give one verdict on
// both engines, and a type error must be the same error on both.
#include <catch2/catch.hpp>

#include "driver/driver.hpp"
#include "events/events.hpp"
#include "exec/engine.hpp"
#include "litmus/parse.hpp"
#include "program/macros.hpp"
#include "smt/engine.hpp"
#include "util/files.hpp"

using namespace paddock;

namespace {

std::shared_ptr<const cat::Model> model_of(const std::string& text) {
  cat::LoadOptions o;
  o.include_dirs = {std::string(PADDOCK_SOURCE_DIR) + "/models"};
  return cat::load_model_text(text, "ops.cat", "", "", o);
}

struct Verdicts {
  size_t positive = 0;  // explicit engine
  bool sat = false;     // Z3: an execution satisfying the condition
};

struct Loaded {
  litmus::Test test;
  events::Program prog;
};

Loaded load(const std::string& litmus_file) {
  static const Session s{Config{}};  // the bundled linux-kernel.def for READ_ONCE and WRITE_ONCE
  std::string path = std::string(PADDOCK_SOURCE_DIR) + "/litmus/" + litmus_file;
  Loaded l{litmus::parse_test(read_file(path).value_or(""), path), {}};
  l.prog = events::build(l.test, program::expand(l.test, s.macros()));
  return l;
}

Verdicts run(const std::string& litmus_file, const cat::Model& m) {
  auto [test, prog] = load(litmus_file);
  Verdicts v;
  v.positive = exec::run(test, prog, m, {}).positive;
  v.sat = smt::exists_execution(test, prog, m, true, 60);
  return v;
}

// Sequential consistency, written so that SB's and MP's relaxed outcomes are forbidden only when each
// construct evaluates as herd's: an event-needle `in` (inside a let rec over a match), a tag match, a tag `in`,
// a tuple pattern, `++` and try.
const char* kModel = R"(
"operators"
include "cos.cat"
let fr = rf^-1 ; co
let pair (a, b) = a | b
let com = pair (rf, pair (co, fr))
let rec ids s = match s with {} -> 0 || e ++ rest -> (if e in M then [e] else 0) | ids rest end
let mem = ids M
let kinds = 'sb ++ {'mp}
let pick = match 'sb with 'sb -> po || _ -> 0 end
let strong = try (if 'mp in kinds then mem ; pick ; mem else 0) with 0
acyclic strong | com as sc
)";

}  // namespace

TEST_CASE("both engines give one meaning to cat's expressions", "[smt][operators]") {
  auto m = model_of(kModel);
  for (const char* t : {"SB+o-o+o-o.litmus", "MP+o-o+o-o.litmus"}) {
    INFO(t);
    Verdicts v = run(t, *m);
    CHECK(v.positive == 0);
    CHECK_FALSE(v.sat);
  }
  // Without the program-order part (a tag not in the set), both allow SB's outcome.
  std::string weak = kModel;
  weak.replace(weak.find("'mp in kinds"), 12, "'lb in kinds");
  auto w = model_of(weak);
  Verdicts v = run("SB+o-o+o-o.litmus", *w);
  CHECK(v.positive > 0);
  CHECK(v.sat);
}

TEST_CASE("a type error is the same error on both engines", "[smt][operators]") {
  auto m = model_of("\"bad\"\n\nlet x = rf | W\nacyclic x as a\n");
  auto [test, prog] = load("SB+o-o+o-o.litmus");
  std::string explicit_error, symbolic_error;
  try {
    exec::run(test, prog, *m, {});
  } catch (const std::exception& e) {
    explicit_error = e.what();
  }
  try {
    smt::exists_execution(test, prog, *m, true, 60);
  } catch (const std::exception& e) {
    symbolic_error = e.what();
  }
  CHECK_THAT(explicit_error, Catch::StartsWith("ops.cat:3:12: error: |: cannot combine relation"));
  CHECK_THAT(symbolic_error, Catch::StartsWith("ops.cat:3:12: error: |: cannot combine relation with event set"));
}
