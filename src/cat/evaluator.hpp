// The evaluator's class (eval.cpp: statements, reuse between candidates, coherence-order cut-offs;
// eval_expr.cpp: expressions and the Inspector). Private to those two files.
#pragma once
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cat/builtins.hpp"
#include "cat/eval_cache.hpp"
#include "cat/interpreter.hpp"
#include "cat/model.hpp"
#include "cat/monotone.hpp"
#include "cat/operators.hpp"
#include "cat/value.hpp"

namespace paddock::cat {

struct Frame {
  std::shared_ptr<Frame> parent;
  std::vector<Value> slots;
};
using FrameP = std::shared_ptr<Frame>;

namespace detail {

// Runs a resolved Model on one Candidate, forking at every `with x from S`.
class Evaluator final : public Inspector {
 public:
  Evaluator(const Model& m, const Candidate& c, const std::function<void(const Outcome&)>& each,
            const CheckOptions* checks = nullptr, bool prune = false, EvalCache* cache = &t_cache)
      : m_(m), c_(c), n_(c.n), checks_(checks && !checks->empty() ? checks : nullptr), prune_(prune && !checks_),
        each_(each), empty_rel_(c.n),
        ctx_{c.n, c, loc_rel(c), [this](const Value& f, const Value& a, const Pos& p) { return apply(f, a, p); }} {
    globals_.resize(size_t(m.num_globals));
    free_.resize(m.free_names.size());
    if (m.id != 0 && m.stmt_inputs.size() == m.stmts.size()) {
      cache_ = cache;
      if (cache_->model_id != m.id || cache_->n != n_) cache_->reset(m, n_);
      epoch_ = ++cache_->epoch;
      if (cache_->probe_search != c.search) {
        cache_->probe_search = c.search;
        cache_->probe.assign(m.stmts.size(), {});
      }
      universe_ = cache_->universe;
      resolve_free_names();
    } else {
      universe_ = Value::set(EventSet::full(n_));
    }
  }

  // Binds the free names that the candidate defines, in one ordered pass over its maps and the sorted names.
  void resolve_free_names();
  ~Evaluator() {
    for (auto& f : rec_frames_) f->slots.clear();  // break closure <-> frame cycles
  }

  size_t run();

  // The statements before the model's first choice with more than one alternative, on a candidate whose rf
  // is a part of every completion's (cat::refuted_early): true when a plain check there that increases with rf
  // already fails.
  bool refuted_prefix(bool fw_final);

 private:
  const Relation& loc_rel(const Candidate& c);

  // ------------------------------------------------------------ statements

  void run_from(size_t i);

  // A fork's set, reused from the previous candidate when the inputs and slots it was built from are unchanged
  // (the coherence orders of a structure whose cobase does not change with rf).
  Value with_set(size_t i, const Stmt& s);

  // ------------------------------------------------------------ coherence orders with cut-offs
  //
  // A fork over generate_orders(S, r) builds each order one event at a time. After each step, every completion
  // contains the pairs fixed so far (an event placed before each unplaced one of its class), so a plain check
  // of an expression increasing in the fork's variable (cat/monotone.hpp) that fails on them fails on all
  // completions: the subtree is skipped. Only the statements such checks need are run at inner nodes.

  struct Hooks final : PolHooks {
    Evaluator& ev;
    explicit Hooks(Evaluator& e) : ev(e) {}
    std::optional<Value> var_value(const Expr& v) override {
      try {
        return ev.lookup(v.ref, v.name, nullptr, v.pos);
      } catch (const Error&) {
        return std::nullopt;
      }
    }
    std::optional<bool> closed_empty(const Expr& e) override {
      try {
        Value v = ev.force(ev.eval(e, nullptr));
        if (v.kind == Value::Empty) return true;
        if (v.kind == Value::Set) return v.as_set().empty();
        if (v.kind == Value::Rel) return v.as_rel().empty();
      } catch (const Error&) {
      }
      return std::nullopt;
    }
  };

  // Returns false when cut-offs do not apply (the caller then enumerates the set as usual).
  bool pruned_fork(size_t i, const LazyProduct& l, size_t nflags);

  struct ForkState;
  enum class ForkPlan { None, AllFail, Planned };
  // Classifies the statements after fork i up to the next one (the fork's variable increasing; the other names
  // constant, or as `outer` recorded them) and plans the checks its cut-offs test: AllFail when one fails for
  // every order, None when none applies.
  ForkPlan plan_fork(size_t i, const LazyProduct& l, size_t nflags, const Monotonicity* outer, ForkState& st);

  // Records in mono how the names a let or let rec binds vary (a let rec by a few rounds of its definitions).
  static void classify(Monotonicity& mono, const Stmt& s);

  // A check statement judged on a lower bound of its value: false when it is a plain check whose expression is
  // constant or increasing (p, from mono) and fails now, so that it fails for every larger value too.
  bool bound_holds(Monotonicity& mono, const Stmt& s, Pol& p);

  struct OrderClass {
    std::vector<size_t> ev;
    std::vector<uint64_t> preds;
  };
  struct ForkState {
    std::vector<size_t> plan;  // statements run at inner nodes
    std::vector<OrderClass> classes;
    Relation partial;          // pairs fixed so far
    int slot = 0;
    size_t index = 0, flags = 0;
    // refuted_prefix: look for one complete order passing the planned checks instead of running the model.
    bool survivor_search = false, found = false;
    uint64_t full_mask(size_t c) const {
      size_t k = classes[c].ev.size();
      return k == 64 ? ~uint64_t(0) : (uint64_t(1) << k) - 1;
    }
  };

  // Whether every planned check passes on the pairs fixed so far (errors: cannot tell, keep going); at an inner
  // node (not complete), only those that pay there (EvalCache::ProbeStat).
  bool probe(const ForkState& st, bool complete);

  void order_dfs(ForkState& st, size_t c, uint64_t remaining);


  // ------------------------------------------------------------ reuse between candidates

  // The current version of an input (reading it from the candidate on the first call of this evaluation).
  uint64_t input_version(size_t k);

  // The version of global slot g's current value (EvalCache::SlotState): unchanged while the value is.
  uint64_t slot_version(int g);

  // A top-level `let` is run when one of its slots is first read (lookup, operand, slot_version), so that what
  // only feeds an empty intersection or sequence is never computed: in LKMM without plain accesses, pre-race is
  // empty and the data-race relations (xbstar, vis, ww-vis, ...) are not needed.
  void force_slot(int g);
  bool pending(int g) const { return !pending_.empty() && pending_[size_t(g)] != 0; }

  bool exec_top(size_t i, const Stmt& s);

  // Runs a top-level statement, or replays its result from an earlier candidate when the inputs and slots it
  // reads are unchanged.
  bool run_top(size_t i, const Stmt& s);
  bool run_top_body(size_t i, const Stmt& s, bool* replayed = nullptr);
  // Whether entry en of a statement reading si holds for this candidate (versions: the inputs' versions now).
  bool entry_hit(const Model::StmtInputs& si, const EvalCache::Entry& en, std::vector<uint64_t>& versions);
  // The versions of the slots si reads, 0 for one still pending (not read by the evaluation).
  void read_slot_versions(const Model::StmtInputs& si, std::vector<uint64_t>& sversions);

  // Lets left pending that have never run: run them once, so that an error in one (a type error, say) is
  // reported as eagerly as herd would, on the first candidate.
  void force_unrun();

  void report(bool allowed);


  // Returns false when a (non-flag) check fails; failed_ then names it.
  bool exec(const Stmt& s, const FrameP& frame);

  static const char* check_name(const Stmt& s);

  // Whether the test of a check holds (negation included).
  bool check_ok(const Stmt& s, const Value& v);

  // Records the result of a check: false when a plain check fails (failed_ then names it); flags are raised.
  bool apply_check(const Stmt& s, bool ok);

  // Whether e reads none of the global slots rec (the definitions of a top-level let rec) and only variables
  // and the operators of sets and relations: its value is the same in every round of the fixpoint.
  static bool invariant(const Expr& e, const std::vector<int>& rec);
  // The largest invariant subexpressions of e worth keeping (operators, not lone names).
  static void collect_invariant(const Expr& e, const std::vector<int>& rec, std::vector<const Expr*>& out);

  // Least fixpoint of mutually recursive definitions (functions are bound directly). For a top-level one, the
  // subexpressions that do not read its definitions are computed once, not once per round (LKMM's rcu-order:
  // `rcu-gp ; rcu-link ; rcu-rscsi` and the prefixes `rcu-gp ; rcu-link`).
  void letrec(const std::vector<Binding>& binds, const std::vector<Value*>& slots, const FrameP& frame,
              const Stmt* top = nullptr);
  void letrec_rounds(const std::vector<Binding>& binds, const std::vector<Value*>& slots, const FrameP& frame);

  // ------------------------------------------------------------ expressions
  //
  // What does not depend on the representation (type rules, binding, let/fun/match...) is cat/operators.hpp,
  // shared with the symbolic evaluator; below are this domain's entries and kernels, which it calls.
 public:  // to cat/operators.hpp
  using V = Value;
  using FrameP = cat::FrameP;

  static bool is_setlike(const Value& v) {
    return v.kind == Value::Empty || v.kind == Value::Set || v.kind == Value::Rel || v.kind == Value::VSet ||
           v.kind == Value::Lazy;
  }

  const std::vector<Value>& destructure(const Value& v, size_t k, const Pos& pos) {
    return ops::destructure(*this, v, k, pos);
  }
  void bind_pattern(const Pattern& pat, const Value& v, Frame& f, size_t off, const Pos& pos) {
    ops::bind_pattern(*this, pat, v, f, off, pos);
  }

  Value free_value(int idx, const Pos& pos);

  Value all_memory_events();

  static bool surely_empty(const Value& v) {
    return v.kind == Value::Empty || (v.kind == Value::Rel && v.as_rel().empty()) ||
           (v.kind == Value::Set && v.as_set().empty());
  }

  Value lookup(const VarRef& r, const std::string& name, const FrameP& frame, const Pos& pos);

  // The value of e: a reference to the variable's value when e is a variable, else e evaluated into tmp.
  const Value& operand(const Expr& e, const FrameP& frame, Value& tmp);

  Value eval(const Expr& e, const FrameP& frame);
  Value unary_expr(const Expr& e, const FrameP& frame);
  Value binary_expr(const Expr& e, const FrameP& frame);
  Value app_expr(const Expr& e, const FrameP& frame);

  static bool is_bracket(const Expr& e) { return e.kind == Expr::Unary && e.op1 == Op1::ToId; }

  // `[S] ; r` and `r ; [S]` for a set S: r's rows or columns restricted to S, the same value as composing with
  // the identity on S (LKMM brackets nearly every relation with [Marked]). When an operand is not of that form at
  // run time (a bracket of a relation, a non-relation beside it) it finishes as the general path would, with the
  // values already computed.
  Value seq_bracket(const Expr& e, const FrameP& frame);

  bool cond(const Cond& c, const FrameP& frame) { return ops::cond(*this, c, frame); }

  Value apply(const Value& f, const Value& arg, const Pos& pos);

  Value unary(Op1 op, const Value& v, const Pos& pos) { return ops::unary_op(*this, op, v, pos); }
  Value binary(Op2 op, const Value& a, const Value& b, const Pos& pos) { return ops::binary_op(*this, op, a, b, pos); }

  // Lazy product -> explicit set; a lone event or pair -> singleton set or relation.
  // v itself when it needs no conversion (see force), else its conversion stored in tmp.
  const Value& forced(const Value& v, Value& tmp) {
    if (v.kind != Value::Event && v.kind != Value::Pair && v.kind != Value::Lazy) return v;
    tmp = force(v);
    return tmp;
  }

  Value force(const Value& v);

  // The domain's entries for cat/operators.hpp.
  Value universe() const { return universe_; }
  static Value tag(const std::string& name) { return Value::tag(name); }
  Value set_of(std::vector<Value> xs) const { return Value::set_of(std::move(xs), n_); }
  static Value vset_of(std::vector<Value> xs) { return Value::vset(std::move(xs)); }
  static Value closure(const Expr& e, const FrameP& frame) { return Value::closure(Closure{&e, frame}); }
  void keep_frame(const FrameP& f) { rec_frames_.push_back(f); }
  Value& slot_ref(const Stmt& s, size_t k, const FrameP& frame);
  void solve_letrec(const std::vector<Binding>& binds, const std::vector<Value*>& slots, const FrameP& frame) {
    letrec(binds, slots, frame);
  }
  static std::string describe(const Value& v) { return cat::describe(v); }
  static const std::string* tag_name(const Value& v) { return v.kind == Value::Tag ? &v.as_tag() : nullptr; }
  static const std::vector<Value>* tuple_members(const Value& v) {
    return v.kind == Value::Tuple ? &v.as_vec() : nullptr;
  }
  static std::vector<Value> members(const Value& s, const Pos&) { return elements(s); }
  bool has_variant(const std::string& name) const { return m_.variants.count(name) > 0; }
  // Equality where every empty set equals Empty.
  bool equal_sets(const Value& a, const Value& b, const Pos& pos);
  bool member(const Value& x, const Value& s, const Pos& pos);

  // Kernels over bit sets and bit matrices.
  Value identity() const { return Value::rel(Relation::identity(n_)); }
  Value no_pairs() const { return Value::rel(Relation(n_)); }
  Value rel_unary(Op1 op, const Value& r);
  static Value set_complement(const Value& s) { return Value::set(s.as_set().complement()); }
  static Value id_on(const Value& s) { return rel_id_on(s.as_set()); }
  static Value cross(const Value& a, const Value& b) { return Value::rel(Relation::cross(a.as_set(), b.as_set())); }
  static Value compose(const Value& a, const Value& b) { return rel_compose(a.as_rel(), b.as_rel()); }
  static Value set_op(Op2 op, const Value& a, const Value& b);
  static Value rel_op(Op2 op, const Value& a, const Value& b);
  static Value vset_op(Op2 op, const Value& a, const Value& b);
  Value singleton(const Value& x) const { return Value::set_of({x}, n_); }
  Value insert(const Value& s, const Value& x);

 private:
  // A named check that -skipchecks removes without evaluating it (not under -strictskip).
  bool skipped_without_test(const std::string& name) const;

  const Model& m_;
  const Candidate& c_;
  size_t n_;
  const CheckOptions* checks_;
  std::vector<std::string> skipped_;  // -strictskip: skipped checks that failed in this execution
  bool prune_ = false;
  // ------------------------------------------------------------ Inspector

  static std::optional<Relation> as_relation(const Value& v, size_t n);
  std::optional<Relation> relation(const std::string& name) const override;
  std::optional<FailedCheck> failed() const override;

  size_t stop_ = 0;  // index of the statement that stopped the current execution (size: allowed)
  const Stmt* failed_stmt_ = nullptr;
  FrameP failed_frame_, check_frame_;
  const std::function<void(const Outcome&)>& each_;
  Relation empty_rel_;
  BuiltinCtx ctx_;
  std::vector<Value> globals_;
  std::vector<std::optional<Value>> free_;
  std::vector<std::string> flags_;
  std::string failed_;
  std::vector<FrameP> rec_frames_;
  Value universe_;
  size_t count_ = 0;
  EvalCache* cache_ = nullptr;
  std::deque<std::pair<std::vector<uint64_t>, std::vector<uint64_t>>> scratch_;  // run_top scratch per depth (stable)
  size_t depth_ = 0;
  bool eager_ = true;  // evaluate both operands of `;`, `&`, `\` (see Expr::Binary)
  uint64_t prof_nested_ = 0;  // profile: cycles of the statements run from inside the current one
  std::vector<std::pair<const Expr*, Value>> memo_;  // invariant subexpressions of the let rec being solved
  std::vector<int> pending_;  // per global slot: 1 + the index of the `let` not run yet, or 0
  uint64_t epoch_ = 0;
  bool resolved_ = false;  // free_ holds every free name the candidate defines
};

}  // namespace detail
}  // namespace paddock::cat
