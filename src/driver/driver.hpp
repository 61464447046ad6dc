// Wires the stages together for one test: text -> AST -> expanded program -> events -> engine -> report.
// The CLI, the tests and the benchmarks all go through here.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "cat/interpreter.hpp"
#include "program/macros.hpp"

namespace paddock {

// What herd reads from -conf/-model/-bell/-macros/-variant/-I.
struct Config {
  std::string conf;    // a herd .cfg file ("" = the bundled linux-kernel.cfg)
  std::string model;   // overrides the cfg's `model`
  std::string bell;    // overrides the cfg's `bell`
  std::string macros;  // overrides the cfg's `macros`
  std::vector<std::string> include_dirs;
  std::vector<std::string> variants;  // added to the cfg's
  double timeout_seconds = 0;
  bool show_events = false;  // print event structures instead of running the model
  // herd's -speedcheck: decide the condition with one Z3 call instead of listing every state
  // (src/smt/; docs/smt.md). None: the exhaustive explicit engine.
  enum class Speedcheck { None, True, Fast } speedcheck = Speedcheck::None;
};

struct TestOutcome {
  std::string report;  // herd's text (or the event dump), empty on error
  std::string error;   // "FILE:LINE:COL: error: ..." when the test could not be run
};

// Holds what is shared by every test of a batch: the macro table and the loaded model.
class Session {
 public:
  explicit Session(const Config& cfg);  // throws UserError / cat::Error for a bad configuration
  TestOutcome run_file(const std::string& path) const;
  TestOutcome run_text(const std::string& text, const std::string& file) const;
  const program::MacroTable& macros() const { return macros_; }
  const cat::Model& model() const { return *model_; }

 private:
  Config cfg_;
  program::MacroTable macros_;
  std::shared_ptr<const cat::Model> model_;
};

}  // namespace paddock
