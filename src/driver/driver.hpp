// Wires the stages together for one test: text -> AST -> expanded program -> events -> engine -> report.
// The CLI, the tests and the benchmarks all go through here.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <mutex>
#include <string>
#include <vector>

#include "cat/interpreter.hpp"
#include "events/events.hpp"
#include "exec/engine.hpp"
#include "litmus/ast.hpp"
#include "program/macros.hpp"
#include "util/diag.hpp"

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
  // Threads the explicit engine splits one test's candidates between (-j N with a single test).
  int threads = 1;
  bool show_events = false;  // print event structures instead of running the model
  // herd's -speedcheck: decide the condition with one Z3 call instead of listing every state
  // (src/smt/; docs/smt.md). None: the exhaustive explicit engine.
  enum class Speedcheck { None, True, Fast } speedcheck = Speedcheck::None;
  // herd's exploration options (explicit engine): -unroll, -skipchecks, -strictskip, -through, -throughflag,
  // -candidates (prints `Candidates NAME N`).
  int unroll = 2;
  std::vector<std::string> skipchecks;
  bool strictskip = false;
  bool through = false;  // -through invalid|all (the same for a cat model)
  std::optional<std::string> throughflag;
  bool candidates = false;
  // herd's -hexa (or `hexa true` in the cfg): values in states and the condition echo printed in hexadecimal.
  std::optional<bool> hexa;
  bool json = false;  // TestOutcome::json holds the report/error as one line of JSON (docs/json.md)
  // Explicit engine: enumerate every coherence order, without cut-offs (hidden -noprune; for comparisons).
  bool no_prune = false;
  bool no_symmetry = false;  // hidden -nosymmetry: no orbit reduction (exec/symmetry.hpp)
  // C tests on hardware (docs/hardware.md): -arch x86|arm64|arm64-lse maps each kernel primitive to the
  // kernel's instructions and checks the test under that machine's model ("" = the configured model).
  std::string hw_arch;
  // -models lkmm,x86,...: each test under every listed model, as one row of a table (report/models_table.hpp).
  std::vector<std::string> side_models;
  size_t side_name_width = 0;  // the table's first column
};

struct TestOutcome {
  std::string report;  // herd's text (or the event dump), empty on error
  std::string error;   // "FILE:LINE:COL: error: ..." when the test could not be run
  // The parts of `error`: the file, the position when known (line 0: none) and the bare message.
  std::string error_file;
  Pos error_pos;
  std::string error_message;
  std::string json;  // Config::json: one JSON object, no newline (docs/json.md)
  bool loop = false;  // some path needed more than -unroll iterations (herd warns on stderr)
  // "FILE:LINE:COL: skipped: ..." when a C test cannot be run on hardware (RCU/SRCU): not an error.
  std::string skipped;
  bool hw_warning = false;  // -models: a hardware mapping allows what LKMM forbids
  std::string loop_at = "While";  // what the warning names: the cut loop's label (asm) or While (C)
};

// "time limit of S s exceeded": the engines' own checks and a batch's watchdog say the same.
std::string time_limit_message(double seconds);
// The outcome of a test stopped outside the stages (a batch's watchdog): "FILE: error: MESSAGE".
TestOutcome file_failure(const Config& cfg, const std::string& file, const std::string& message);

// Holds what is shared by every test of a batch: the macro table and the loaded model.
struct Arch;

class Session {
 public:
  explicit Session(const Config& cfg);  // throws UserError / cat::Error for a bad configuration
  // `candidates`, when given, counts the candidate executions examined (a batch's progress line).
  TestOutcome run_file(const std::string& path, std::atomic<uint64_t>* candidates = nullptr) const;
  TestOutcome run_text(const std::string& text, const std::string& file,
                       std::atomic<uint64_t>* candidates = nullptr) const;
  const Config& config() const { return cfg_; }
  // Same with the explicit engine, calling `observe` on every execution the model judges (graphs, -explain).
  using Observer = std::function<void(const litmus::Test&, const events::Program&, const exec::Execution&)>;
  TestOutcome run_text(const std::string& text, const std::string& file, const Observer& observe,
                       std::atomic<uint64_t>* candidates = nullptr) const;
  const program::MacroTable& macros() const { return macros_; }
  const cat::Model& model() const { return *model_; }
  // What the configuration does that is probably not what the user meant, one line each, without
  // "warning:" (a -variant that no loaded model file tests and the engine does not know).
  const std::vector<std::string>& warnings() const { return warnings_; }

 // The model a test of architecture `a` runs under: the configuration's for C, else herd's default for the arch
  // (or -model's when given).
  const cat::Model& model_for(const Arch& a, const std::string& text, const std::string& file) const;

 private:
  const cat::Model& bundled_model(const std::string& name) const;
  struct Checked;
  Checked check(const std::string& text, const std::string& file, const std::string& hw, const Observer& observe,
                std::atomic<uint64_t>* candidates) const;
  TestOutcome side_by_side(const std::string& text, const std::string& file) const;
  TestOutcome run_text_here(const std::string& text, const std::string& file, const Observer& observe,
                            std::atomic<uint64_t>* candidates) const;

  Config cfg_;
  program::MacroTable macros_;
  std::shared_ptr<const cat::Model> model_;
  std::string model_name_;  // the cat file's name (for --json when the model has no title)
  std::vector<std::string> warnings_;
  // Every variant in force: the cfg's and -variant's (a test's own `Variant=` adds to these).
  std::vector<std::string> variants_;
  bool hexa_ = false;  // -hexa, else the cfg's `hexa`
  bool cfg_model_given_ = false;  // -model, or a -conf file naming a model
  bool oota_ = false;  // -variant oota: keep candidates with unsolved value equations (exec::Options::oota)
  // herd's default models of the other architectures, loaded on first use (run_text may run in threads)
  mutable std::mutex arch_models_mutex_;
  mutable std::map<std::string, std::shared_ptr<const cat::Model>> arch_models_;
};

}  // namespace paddock
