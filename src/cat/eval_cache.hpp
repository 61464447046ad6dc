// Per-thread reuse of top-level results between candidates, and the candidate-name defaults (the evaluator only).
#pragma once
#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

#include "cat/builtins.hpp"
#include "cat/model.hpp"
#include "cat/monotone.hpp"
#include "cat/value.hpp"

namespace paddock::cat {
namespace detail {

inline const char* const kDefaultSets[] = {"R", "W", "F", "IW", "FW", "RMW", "LKR", "LKW", "UL", "LF", "RL", "RU", "SRCU"};
inline const char* const kDefaultRels[] = {"po", "rf", "loc", "int", "ext", "rmw", "addr",
                                    "data", "ctrl", "iico_data", "iico_ctrl"};

inline std::string tag_set_name(const std::string& t) {
  std::string s = t;
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

// A Value that points at data owned by the candidate (no copy; the candidate outlives the evaluation).
inline Value borrow_set(const EventSet& s) { return Value::borrow(s); }
inline Value borrow_rel(const Relation& r) { return Value::borrow(r); }

inline bool borrowed(const Value& v) { return v.borrowed(); }

// A copy of `v` that owns all its data (nothing borrowed from the candidate), so that it can outlive the candidate.
// False for what cannot be copied so: closures over local frames and procedures.
inline bool own(const Value& v, Value& out) {
  switch (v.kind) {
    case Value::Set:
      out = borrowed(v) ? Value::set(v.as_set()) : v;
      return true;
    case Value::Rel:
      out = borrowed(v) ? Value::rel(v.as_rel()) : v;
      return true;
    case Value::Tuple:
    case Value::VSet: {
      std::vector<Value> xs;
      xs.reserve(v.as_vec().size());
      bool copied = false;
      for (const Value& x : v.as_vec()) {
        xs.emplace_back();
        if (!own(x, xs.back())) return false;
        copied |= xs.back().identity() != x.identity();
      }
      if (!copied) out = v;
      else if (v.kind == Value::Tuple) out = Value::tuple(std::move(xs));
      else out = Value::vset(std::move(xs));
      return true;
    }
    case Value::Builtin: {
      PartialApp a{v.as_builtin().fn, {}};
      for (const Value& x : v.as_builtin().args) {
        a.args.emplace_back();
        if (!own(x, a.args.back())) return false;
      }
      out = Value::builtin(std::move(a));
      return true;
    }
    case Value::Fun:
      if (v.as_closure().env) return false;
      out = v;
      return true;
    case Value::Proc:
      return false;
    default:  // Empty, Event, Pair, Tag, Lazy: no borrowed data
      out = v;
      return true;
  }
}

// Equality of two readings of a candidate input (a fresh builtin value is equal to the previous one of the same
// builtin).
inline bool same_input(const Value& a, const Value& b) {
  if (a.kind == Value::Builtin && b.kind == Value::Builtin)
    return a.as_builtin().fn == b.as_builtin().fn && a.as_builtin().args.size() == b.as_builtin().args.size() &&
           std::equal(a.as_builtin().args.begin(), a.as_builtin().args.end(), b.as_builtin().args.begin());
  return same_value(a, b);
}

// Results of top-level statements kept from one evaluation to the next (per thread), with the versions of the
// inputs they were computed from (Model::stmt_inputs). An input's version changes when a candidate brings a value
// different from the previous candidate's.
struct EvalCache {
  uint64_t model_id = 0;
  size_t n = 0;
  uint64_t epoch = 0;  // one per evaluation
  struct InputState {
    uint64_t checked = 0;  // epoch of the last check
    uint64_t structure = 0;  // Candidate::structure of the last check
    uint64_t version = 0;  // 0: never read
    bool present = false;  // the input exists (an unbound name does not)
    Value value;
    std::vector<int64_t> values;  // Input::Values
  };
  struct Entry {
    bool valid = false;
    bool ever = false;  // computed at least once (a let left pending is run at the end until it has been)
    std::vector<uint64_t> versions;       // of the statement's inputs
    std::vector<uint64_t> slot_versions;  // of the slots it reads
    std::vector<Value> slots;  // let / let rec / enum
    bool ok = true;            // check
  };
  // A global slot's version changes only when the slot gets a value different from the last one seen (early
  // cutoff); `last` keeps that value alive, so an unchanged payload address means an unchanged value.
  struct SlotState {
    uint64_t version = 0;
    bool kept = false;  // `last` holds the value of `version` (false: that value could not be kept)
    Value last;
  };
  std::vector<InputState> inputs;
  std::vector<char> input_dynamic;  // may change between candidates of one structure (rf, loc, FW, values)
  uint64_t free_structure = 0;      // Candidate::structure that free_values were resolved on
  std::vector<std::optional<Value>> free_values;
  std::vector<Entry> entries;
  std::vector<SlotState> slots;
  // What the model's free names are when the candidate has no set or relation of that name.
  enum Fallback : uint8_t { Unbound, Id, AllMem, NoEvents, NoPairs, Native };
  std::vector<size_t> free_by_name;  // free name indices in name order
  std::vector<Fallback> fallback;
  std::vector<const BuiltinFn*> native;
  Value universe, identity;  // _ and id over n events
  StmtReads reads;           // for cutting off coherence orders (Evaluator::pruned_fork)
  // Per check statement: how often it ran at an inner node of a coherence-order fork and how often it cut the
  // subtree there. One that does not pay is no longer run at inner nodes (complete orders still judge it).
  struct ProbeStat {
    uint64_t runs = 0, cuts = 0;
    bool dropped() const { return runs >= 512 && cuts * 64 < runs; }
  };
  std::vector<ProbeStat> probe;
  uint64_t probe_search = 0;  // Candidate::search the stats are of
  // Per top-level let rec: its subexpressions computed once per fixpoint rather than once per round.
  std::unordered_map<const void*, std::vector<const Expr*>> letrec_invariants;

  void reset(const Model& m, size_t universe_size) {
    model_id = m.id;
    n = universe_size;
    inputs.assign(m.inputs.size(), {});
    input_dynamic.assign(m.inputs.size(), 1);
    for (size_t k = 0; k < m.inputs.size(); ++k) {
      const Model::Input& in = m.inputs[k];
      if (in.kind != Model::Input::Free && in.kind != Model::Input::SetName) continue;
      const std::string& name = in.kind == Model::Input::Free ? m.free_names[size_t(in.index)] : in.name;
      input_dynamic[k] = name == "rf" || name == "loc" || name == "FW";
    }
    free_structure = 0;
    free_values.clear();
    entries.assign(m.stmts.size(), {});
    probe.assign(m.stmts.size(), {});
    letrec_invariants.clear();
    slots.assign(size_t(m.num_globals), {});
    size_t nf = m.free_names.size();
    free_by_name.resize(nf);
    for (size_t k = 0; k < nf; ++k) free_by_name[k] = k;
    std::sort(free_by_name.begin(), free_by_name.end(),
              [&](size_t a, size_t b) { return m.free_names[a] < m.free_names[b]; });
    fallback.assign(nf, Unbound);
    native.assign(nf, nullptr);
    for (size_t k = 0; k < nf; ++k) {
      const std::string& name = m.free_names[k];
      if (name == "id") fallback[k] = Id;
      else if (name == "M") fallback[k] = AllMem;
      else if (std::find_if(std::begin(kDefaultSets), std::end(kDefaultSets), [&](const char* x) { return name == x; }) !=
               std::end(kDefaultSets))
        fallback[k] = NoEvents;
      else if (std::find_if(std::begin(kDefaultRels), std::end(kDefaultRels), [&](const char* x) { return name == x; }) !=
               std::end(kDefaultRels))
        fallback[k] = NoPairs;
      else if ((native[k] = find_builtin(name))) fallback[k] = Native;
    }
    universe = Value::set(EventSet::full(n));
    identity = Value::rel(Relation::identity(n));
    reads = statement_reads(m);
  }
};

inline thread_local EvalCache t_cache;
// The results of refuted_early's evaluations of partial candidates, kept apart from the complete ones'.
inline thread_local EvalCache t_prefix_cache;
}  // namespace detail
}  // namespace paddock::cat
