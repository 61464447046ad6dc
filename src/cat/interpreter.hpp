// The cat interpreter: load a model (stdlib + bell + cat, includes resolved) once, then run it on each
// candidate execution the engine builds. Everything here is concrete (bit matrices).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cat/error.hpp"
#include "rel/relation.hpp"

namespace paddock::cat {

struct LoadOptions {
  // Searched (after the including file's own folder) for `include "f"`, stdlib.cat, and the cat/bell paths.
  std::vector<std::string> include_dirs;
  // Active variants (e.g. "lkmmv2"), tested by `if "v" then ... else ...`.
  std::vector<std::string> variants;
  // Bundled files by base name, searched last (e.g. the embedded models/ folder).
  std::function<std::optional<std::string>(const std::string&)> embedded;
  // The syntax trees of those bundled files, serialised at build time (cat/ast_io.hpp): when it returns a
  // non-empty string for a bundled file, the file is read from it instead of being parsed.
  std::function<std::string_view(const std::string&)> embedded_ast;
  // Load herd's implicit prelude stdlib.cat first (on by default).
  bool load_stdlib = true;
  // Relations the caller's candidates define beyond the engines' own (po rf loc ...): a lower-case free name
  // that is neither is refused at load (unit tests that build their own candidates name theirs here).
  std::vector<std::string> engine_names;
};

class Model;  // defined in cat/model.hpp; immutable after load, shareable across threads

// `bell_path` may be empty. Throws cat::Error on syntax errors, missing files, and name errors found at load time.
std::shared_ptr<const Model> load_model(const std::string& cat_path, const std::string& bell_path,
                                        const LoadOptions& opts);
// Same, from text already in memory (for tests and embedded models). `cat_name` is used in messages and
// as the folder for relative includes.
std::shared_ptr<const Model> load_model_text(const std::string& cat_text, const std::string& cat_name,
                                             const std::string& bell_text, const std::string& bell_name,
                                             const LoadOptions& opts);

// A cat or bell file given in full: its name (used in messages and as the folder for relative includes), its
// text, and optionally its syntax tree serialised by cat/ast_io.hpp (then the text is not parsed).
struct SourceFile {
  std::string name;
  std::string text;
  std::string_view ast;
};
// Same as load_model_text; `bell` may be null.
std::shared_ptr<const Model> load_model_files(const SourceFile& cat, const SourceFile* bell, const LoadOptions& opts);

// The model's title (the string at the top of the cat file, if any).
const std::string& model_title(const Model&);
// Names given to `show` (in order; `unshow` removes).
std::vector<std::string> model_shows(const Model&);

struct Candidate {                       // one candidate execution, built by the engine
  size_t n = 0;                          // events 0..n-1 (init writes, memory/fence/lock events of all threads)
  std::map<std::string, EventSet> sets;  // R W M F IW FW RMW LKR LKW UL LF RL RU SRCU ... and one set per
                                         // annotation tag, named as herd names them (tag 'wmb -> "Wmb")
  std::map<std::string, Relation> rels;  // po rf loc int ext rmw addr data ctrl iico_data iico_ctrl
  std::vector<int64_t> values;           // value of each event (for different-values); unspecified for fences
  // Nonzero: a promise that candidates with the same `structure` are one object whose maps keep their keys and
  // entries, only rf, loc and FW (and values) changing, so the evaluator need not look up or compare the rest
  // again (exec/engine.cpp gives each event structure a fresh id). 0: no promise.
  uint64_t structure = 0;
  static uint64_t new_structure();  // a process-wide fresh nonzero id
  // The search it belongs to (a new_structure() id; 0: none): what the evaluator learns of which checks pay at
  // inner nodes of a coherence fork (EvalCache::ProbeStat) is kept for one search only.
  uint64_t search = 0;
};
// Missing standard names default to empty: sets R W F IW FW RMW LKR LKW UL LF RL RU SRCU,
// relations po rf loc int ext rmw addr data ctrl iico_data iico_ctrl; M defaults to R|W.

// The check that forbade an execution, with the value it tested (for explanations).
struct FailedCheck {
  std::string name;  // as in Outcome::failed_check
  std::string test;  // "acyclic", "irreflexive" or "empty"
  bool negated = false;
  std::string pos;   // FILE:LINE:COL of the check
  Relation rel;      // the relation tested (a set s is given as [s])
};

// Read access to one execution's bindings, valid during the `each` callback only (for graphs, explanations).
class Inspector {
 public:
  // The value of a top-level name as a relation (a set s as [s]); nullopt when unbound here or of another kind.
  virtual std::optional<Relation> relation(const std::string& name) const = 0;
  // The failing plain check (re-evaluated in its environment); nullopt when the execution is allowed.
  virtual std::optional<FailedCheck> failed() const = 0;

 protected:
  ~Inspector() = default;
};

struct Outcome {
  bool allowed = false;          // every check passed
  bool discarded = false;        // -strictskip: the skipped checks that failed are not exactly the skipped ones
  std::string failed_check;      // name of the first failing check (when !allowed)
  std::vector<std::string> flags;  // flags raised (only when allowed), in the order raised, without duplicates
  const Inspector* inspect = nullptr;  // always set by evaluate
};

// Runs the model on the candidate. Calls `each` once per alternative of every `with ... from` fork, i.e.
// once per execution herd would count, whether allowed or not (check Outcome::allowed). A fork over an empty
// set yields no alternative. Returns the number of alternatives (= calls to `each`).
// Throws cat::Error on evaluation errors (unbound name, type error) outside `try`.
size_t evaluate(const Model&, const Candidate&, const std::function<void(const Outcome&)>& each);

// herd's -skipchecks/-strictskip/-through, as its cat interpreter applies them:
// - a check (or flag, or named procedure call) whose name is in `skip` is not applied, unless `strict`;
// - with `strict` it is applied, and an execution counts only if the skipped checks that fail are exactly
//   `skip` (otherwise Outcome::discarded: neither allowed nor a model failure);
// - `through`: plain checks (not flags) always pass (-through invalid|all).
struct CheckOptions {
  std::vector<std::string> skip;  // sorted, without duplicates
  bool strict = false;
  bool through = false;
  bool empty() const { return skip.empty() && !through; }
};
size_t evaluate(const Model&, const Candidate&, const std::function<void(const Outcome&)>& each,
                const CheckOptions& checks);

struct EvalOptions {
  CheckOptions checks;
  // Skip, without calling `each`, the coherence orders of a `with x from generate_orders(...)` fork that a plain
  // check increasing in x (cat/monotone.hpp) forbids already on a prefix of the order. Only rejected
  // alternatives are skipped: allowed executions, their flags and their order of calls stay the same.
  // Not applied with -skipchecks/-through (`checks` not empty).
  bool prune = false;
};
size_t evaluate(const Model&, const Candidate&, const std::function<void(const Outcome&)>& each,
                const EvalOptions& opts);

// Whether a candidate whose rf is only partly chosen (reads not chosen yet read nothing) already fails a check
// every completion fails: a plain check before the model's first choice with more than one alternative, whose
// expression increases with rf and reads neither the candidate's values nor, unless `fw_final` (the partial
// candidate's FW is every completion's), FW (cat/monotone.hpp). The other inputs (sets, po, loc, ...) must be
// those of every completion. For cutting an rf search early.
bool refuted_early(const Model&, const Candidate& partial, bool fw_final);

}  // namespace paddock::cat
