// The evaluator: runs a resolved Model on one Candidate, forking at every `with x from S`.
#include <algorithm>
#include <atomic>
#include <deque>

#include "cat/builtins.hpp"
#include "cat/interpreter.hpp"
#include "cat/model.hpp"
#include "cat/value.hpp"
#include "cat/eval_cache.hpp"
#include "cat/profile.hpp"

namespace paddock::cat {

struct Frame {
  std::shared_ptr<Frame> parent;
  std::vector<Value> slots;
};
using FrameP = std::shared_ptr<Frame>;

namespace {

class Evaluator final : public Inspector {
 public:
  Evaluator(const Model& m, const Candidate& c, const std::function<void(const Outcome&)>& each,
            const CheckOptions* checks = nullptr, bool prune = false)
      : m_(m), c_(c), n_(c.n), checks_(checks && !checks->empty() ? checks : nullptr), prune_(prune && !checks_),
        each_(each), empty_rel_(c.n),
        ctx_{c.n, c, loc_rel(c), [this](const Value& f, const Value& a, const Pos& p) { return apply(f, a, p); }} {
    globals_.resize(size_t(m.num_globals));
    free_.resize(m.free_names.size());
    if (m.id != 0 && m.stmt_inputs.size() == m.stmts.size()) {
      cache_ = &t_cache;
      if (cache_->model_id != m.id || cache_->n != n_) cache_->reset(m, n_);
      epoch_ = ++cache_->epoch;
      universe_ = cache_->universe;
      resolve_free_names();
    } else {
      universe_ = Value::set(EventSet::full(n_));
    }
  }

  // Binds the free names that the candidate defines, in one ordered pass over its maps and the sorted names.
  void resolve_free_names() {
    resolved_ = true;
    // The same structure: the same map entries (Candidate::structure), so the same borrowed values.
    if (c_.structure != 0 && cache_->free_structure == c_.structure) {
      free_ = cache_->free_values;
      return;
    }
    auto rit = c_.rels.begin();
    auto sit = c_.sets.begin();
    for (size_t idx : cache_->free_by_name) {
      const std::string& name = m_.free_names[idx];
      while (rit != c_.rels.end() && rit->first < name) ++rit;
      if (rit != c_.rels.end() && rit->first == name) {
        free_[idx] = borrow_rel(rit->second);
        continue;
      }
      while (sit != c_.sets.end() && sit->first < name) ++sit;
      if (sit != c_.sets.end() && sit->first == name) free_[idx] = borrow_set(sit->second);
    }
    cache_->free_structure = c_.structure;
    if (c_.structure != 0) cache_->free_values = free_;
  }
  ~Evaluator() {
    for (auto& f : rec_frames_) f->slots.clear();  // break closure <-> frame cycles
  }

  size_t run() {
    run_from(0);
    return count_;
  }

 private:
  const Relation& loc_rel(const Candidate& c) {
    auto it = c.rels.find("loc");
    return it == c.rels.end() ? empty_rel_ : it->second;
  }

  // ------------------------------------------------------------ statements

  void run_from(size_t i) {
    for (; i < m_.stmts.size(); ++i) {
      const Stmt& s = *m_.stmts[i];
      if (s.kind == Stmt::With) {
        Value set = with_set(i, s);
        if (!is_setlike(set)) throw Error(s.expr->pos, "with: expected a set, found " + describe(set));
        size_t nflags = flags_.size(), nskipped = skipped_.size();
        int slot = s.slots[0];
        if (prune_ && cache_ && set.kind == Value::Lazy && set.as_lazy().orders && pruned_fork(i, set.as_lazy(), nflags))
          return;
        for_each_element(set, [&](const Value& x) {
          flags_.resize(nflags);
          skipped_.resize(nskipped);
          globals_[size_t(slot)] = x;
          run_from(i + 1);
        });
        return;
      }
      if (!exec_top(i, s)) {
        stop_ = i;
        report(false);
        return;
      }
    }
    stop_ = m_.stmts.size();
    report(true);
  }

  // A fork's set, reused from the previous candidate when the inputs and slots it was built from are unchanged
  // (the coherence orders of a structure whose cobase does not change with rf).
  Value with_set(size_t i, const Stmt& s) {
    if (!cache_ || !m_.stmt_inputs[i].cacheable) return eval(*s.expr, nullptr);
    const Model::StmtInputs& si = m_.stmt_inputs[i];
    EvalCache::Entry& en = cache_->entries[i];
    std::vector<uint64_t> versions(si.inputs.size()), sversions(si.slots.size());
    bool hit = en.valid;
    for (size_t k = 0; k < si.inputs.size(); ++k) {
      versions[k] = input_version(size_t(si.inputs[k]));
      hit = hit && en.versions[k] == versions[k];
    }
    for (size_t k = 0; hit && k < si.slots.size(); ++k)
      if (en.slot_versions[k] != 0 && slot_version(si.slots[k]) != en.slot_versions[k]) hit = false;
    if (hit) return en.slots[0];
    en.valid = false;
    check_frame_ = nullptr;
    Value set = eval(*s.expr, nullptr);
    for (size_t k = 0; k < si.slots.size(); ++k) sversions[k] = pending(si.slots[k]) ? 0 : slot_version(si.slots[k]);
    en.slots.resize(1);
    if (!own(set, en.slots[0])) return set;
    en.versions = std::move(versions);
    en.slot_versions = std::move(sversions);
    en.valid = true;
    return en.slots[0];
  }

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
  bool pruned_fork(size_t i, const LazyProduct& l, size_t nflags) {
    const OrderSpace& sp = *l.orders;
    int slot = m_.stmts[i]->slots[0];
    globals_[size_t(slot)] = Value::rel(Relation(n_));
    Hooks hooks(*this);
    Monotonicity mono(m_, slot, hooks);
    std::vector<size_t> checks;
    size_t end = i + 1;
    // Classify the statements up to the next fork, running them once on the empty partial order.
    try {
      for (; end < m_.stmts.size(); ++end) {
        const Stmt& s = *m_.stmts[end];
        if (s.kind == Stmt::With) break;
        switch (s.kind) {
          case Stmt::Let: {
            size_t k = 0;
            for (auto& b : s.binds) {
              Pol p = mono.expr(*b.rhs);
              for (size_t q = 0; q < b.pat.names.size(); ++q, ++k)
                mono.bind(s.slots[k], p, b.pat.tuple ? nullptr : b.rhs.get());
            }
            exec_top(end, s);
            break;
          }
          case Stmt::LetRec: {
            bool funs = std::all_of(s.binds.begin(), s.binds.end(), [](const Binding& b) { return b.rhs->kind == Expr::Fun; });
            if (!funs) {
              for (int round = 0; round < 4; ++round) {
                bool changed = false;
                for (size_t k = 0; k < s.binds.size() && k < s.slots.size(); ++k) {
                  Pol old = mono.global(s.slots[k]), p = join(old, mono.expr(*s.binds[k].rhs));
                  if (p != old) mono.bind(s.slots[k], p, nullptr), changed = true;
                }
                if (!changed) break;
              }
              for (int sl : s.slots)
                if (mono.global(sl) == Pol::Down) mono.bind(sl, Pol::Any, nullptr);
            }
            exec_top(end, s);
            break;
          }
          case Stmt::Check: {
            if (s.test_type != Stmt::Plain || s.negated) break;
            Pol p = mono.expr(*s.expr);
            if (p != Pol::Const && p != Pol::Up) break;
            if (!check_ok(s, force(eval(*s.expr, nullptr)))) return true;  // fails for every order
            if (p == Pol::Up) checks.push_back(end);
            break;
          }
          case Stmt::Enum:
          case Stmt::Procedure:
            exec_top(end, s);
            break;
          default:
            break;  // calls and foralls are judged on complete orders only
        }
      }
    } catch (const Error&) {
      return false;
    }
    if (checks.empty()) return false;
    // The statements those checks need, in order.
    const StmtReads& rd = cache_->reads;
    std::vector<char> need(m_.stmts.size(), 0);
    std::vector<int> work;
    for (size_t c : checks) {
      need[c] = 1;
      work.insert(work.end(), rd.reads[c].begin(), rd.reads[c].end());
    }
    while (!work.empty()) {
      int sl = work.back();
      work.pop_back();
      int d = rd.def[size_t(sl)];
      if (d <= int(i) || d >= int(end) || need[size_t(d)]) continue;
      need[size_t(d)] = 1;
      work.insert(work.end(), rd.reads[size_t(d)].begin(), rd.reads[size_t(d)].end());
    }
    ForkState st;
    for (size_t j = i + 1; j < end; ++j)
      if (need[j]) st.plan.push_back(j);
    // Classes as bit masks of predecessors within the class.
    for (const auto& cls : sp.classes) {
      OrderClass oc{cls, std::vector<uint64_t>(cls.size(), 0)};
      for (size_t a = 0; a < cls.size(); ++a)
        for (size_t b = 0; b < cls.size(); ++b)
          if (a != b && sp.order.test(cls[b], cls[a])) oc.preds[a] |= uint64_t(1) << b;
      st.classes.push_back(std::move(oc));
    }
    st.partial = Relation(n_);
    st.slot = slot;
    st.index = i;
    st.flags = nflags;
    if (st.classes.empty()) return false;
    order_dfs(st, 0, st.full_mask(0));
    return true;
  }

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
    uint64_t full_mask(size_t c) const {
      size_t k = classes[c].ev.size();
      return k == 64 ? ~uint64_t(0) : (uint64_t(1) << k) - 1;
    }
  };

  // Whether every planned check passes on the pairs fixed so far (errors: cannot tell, keep going).
  bool probe(const ForkState& st) {
    globals_[size_t(st.slot)] = Value::rel(st.partial);
    try {
      for (size_t j : st.plan) {
        const Stmt& s = *m_.stmts[j];
        if (s.kind == Stmt::Check) {
          if (!check_ok(s, force(eval(*s.expr, nullptr)))) return false;
        } else {
          exec_top(j, s);
        }
      }
    } catch (const Error&) {
    }
    return true;
  }

  void order_dfs(ForkState& st, size_t c, uint64_t remaining) {
    const OrderClass& oc = st.classes[c];
    uint64_t ready = 0;
    for (uint64_t r = remaining; r; r &= r - 1) {
      int a = bits::ctz(r);
      if (!(oc.preds[size_t(a)] & remaining)) ready |= uint64_t(1) << a;
    }
    bool forced = bits::popcount(ready) == 1;
    for (uint64_t r = ready; r; r &= r - 1) {
      int a = bits::ctz(r);
      uint64_t rest = remaining & ~(uint64_t(1) << a);
      uint64_t* row = st.partial.row_data(oc.ev[size_t(a)]);
      for (uint64_t q = rest; q; q &= q - 1) {
        size_t e = oc.ev[size_t(bits::ctz(q))];
        row[e >> 6] |= uint64_t(1) << (e & 63);
      }
      bool last_class = c + 1 == st.classes.size();
      if (rest == 0 && last_class) {
        flags_.resize(st.flags);
        globals_[size_t(st.slot)] = Value::rel(st.partial);
        run_from(st.index + 1);
      } else if (forced || probe(st)) {
        if (rest) order_dfs(st, c, rest);
        else order_dfs(st, c + 1, st.full_mask(c + 1));
      }
      for (uint64_t q = rest; q; q &= q - 1) {
        size_t e = oc.ev[size_t(bits::ctz(q))];
        row[e >> 6] &= ~(uint64_t(1) << (e & 63));
      }
    }
  }


  // ------------------------------------------------------------ reuse between candidates

  // The current version of an input (reading it from the candidate on the first call of this evaluation).
  uint64_t input_version(size_t k) {
    EvalCache::InputState& st = cache_->inputs[k];
    if (st.checked == epoch_) return st.version;
    st.checked = epoch_;
    // What does not change within a structure (Candidate::structure) was compared on its first candidate.
    if (c_.structure != 0 && st.structure == c_.structure && !cache_->input_dynamic[k]) return st.version;
    st.structure = c_.structure;
    const Model::Input& in = m_.inputs[k];
    bool present = true;
    Value cur;
    switch (in.kind) {
      case Model::Input::Free:
        try {
          cur = free_value(in.index, Pos{});
        } catch (const Error&) {
          present = false;
        }
        break;
      case Model::Input::SetName: {
        auto it = c_.sets.find(in.name);
        if (it == c_.sets.end()) present = false;
        else cur = borrow_set(it->second);
        break;
      }
      case Model::Input::Loc: {
        auto it = c_.rels.find("loc");
        if (it == c_.rels.end()) present = false;
        else cur = borrow_rel(it->second);
        break;
      }
      case Model::Input::Values:
        if (st.version != 0 && st.values == c_.values) return st.version;
        st.values = c_.values;
        return ++st.version;
    }
    bool same = st.version != 0 && st.present == present && (!present || same_input(st.value, cur));
    if (same) return st.version;
    Value kept;
    if (present && !own(cur, kept)) present = false, kept = Value();  // cannot happen for inputs
    st.present = present;
    st.value = std::move(kept);
    return ++st.version;
  }

  // The version of global slot g's current value (EvalCache::SlotState): unchanged while the value is.
  uint64_t slot_version(int g) {
    if (pending(g)) force_slot(g);
    EvalCache::SlotState& st = cache_->slots[size_t(g)];
    Value& cur = globals_[size_t(g)];
    if (st.kept && cur.kind == st.last.kind && cur.identity() == st.last.identity() && cur.i == st.last.i &&
        cur.j == st.last.j)
      return st.version;
    if (st.kept && same_input(st.last, cur)) {
      cur = st.last;  // share the payload: the next test is an address comparison
      return st.version;
    }
    Value kept;
    st.kept = own(cur, kept);
    st.last = st.kept ? kept : Value();
    if (st.kept) cur = st.last;
    return ++st.version;
  }

  // A top-level `let` is run when one of its slots is first read (lookup, operand, slot_version), so that what
  // only feeds an empty intersection or sequence is never computed: in LKMM without plain accesses, pre-race is
  // empty and the data-race relations (xbstar, vis, ww-vis, ...) are not needed.
  void force_slot(int g) {
    size_t i = size_t(pending_[size_t(g)] - 1);
    const Stmt& s = *m_.stmts[i];
    for (int sl : s.slots) pending_[size_t(sl)] = 0;
    FrameP saved = check_frame_;
    run_top(i, s);
    check_frame_ = saved;
  }
  bool pending(int g) const { return !pending_.empty() && pending_[size_t(g)] != 0; }

  bool exec_top(size_t i, const Stmt& s) {
    if (cache_ && s.kind == Stmt::Let && !s.local && m_.stmt_inputs[i].cacheable) {
      if (pending_.empty()) pending_.assign(globals_.size(), 0);
      for (int sl : s.slots) pending_[size_t(sl)] = int(i) + 1, globals_[size_t(sl)] = Value();
      return true;
    }
    return run_top(i, s);
  }

  // Runs a top-level statement, or replays its result from an earlier candidate when the inputs and slots it
  // reads are unchanged.
  bool run_top(size_t i, const Stmt& s) {
    if (!profile::on()) return run_top_body(i, s);
    uint64_t t0 = profile::now(), outer = prof_nested_;
    prof_nested_ = 0;
    bool replayed = false;
    bool r = run_top_body(i, s, &replayed);
    uint64_t elapsed = profile::now() - t0;
    profile::add(s, elapsed - prof_nested_, replayed);
    prof_nested_ = outer + elapsed;
    return r;
  }
  bool run_top_body(size_t i, const Stmt& s, bool* replayed = nullptr) {
    check_frame_ = nullptr;
    struct Eager {
      bool& e;
      bool saved;
      ~Eager() { e = saved; }
    } eager_guard{eager_, eager_};
    eager_ = true;
    if (!cache_ || !m_.stmt_inputs[i].cacheable) {
      bool r = exec(s, nullptr);
      if (cache_ && !s.local)
        for (int sl : s.slots) slot_version(sl);
      return r;
    }
    const Model::StmtInputs& si = m_.stmt_inputs[i];
    EvalCache::Entry& en = cache_->entries[i];
    // Forcing a pending slot runs another statement from inside this one: scratch per nesting depth.
    if (scratch_.size() <= depth_) scratch_.resize(depth_ + 1);
    std::vector<uint64_t> &versions = scratch_[depth_].first, &sversions = scratch_[depth_].second;
    struct Depth {
      size_t& d;
      ~Depth() { --d; }
    } depth_guard{++depth_};
    versions.resize(si.inputs.size());
    sversions.resize(si.slots.size());
    bool hit = en.valid;
    for (size_t k = 0; k < si.inputs.size(); ++k) {
      versions[k] = input_version(size_t(si.inputs[k]));
      hit = hit && en.versions[k] == versions[k];
    }
    // The result is a function of the slots the evaluation read: a slot it did not force (left pending behind an
    // empty operand) is recorded as 0 and not compared; it stays unread while the ones read are unchanged.
    for (size_t k = 0; hit && k < si.slots.size(); ++k)
      if (en.slot_versions[k] != 0 && slot_version(si.slots[k]) != en.slot_versions[k]) hit = false;
    if (hit) {
      if (replayed) *replayed = true;
      if (s.kind == Stmt::Check) return apply_check(s, en.ok);
      for (size_t k = 0; k < s.slots.size(); ++k) globals_[size_t(s.slots[k])] = en.slots[k];
      return true;
    }
    en.valid = false;
    // The first run is eager and reads every slot: its result is not kept, or each later hit test would force the
    // slots only that run read (LKMM's data-race lets behind an empty pre-race). The second run records what a
    // lazy evaluation reads.
    bool first = !en.ever;
    eager_ = first;
    auto read_versions = [&] {
      for (size_t k = 0; k < si.slots.size(); ++k)
        sversions[k] = pending(si.slots[k]) ? 0 : slot_version(si.slots[k]);
    };
    if (s.kind == Stmt::Check) {
      bool ok = check_ok(s, force(eval(*s.expr, nullptr)));
      read_versions();
      en.ever = true;
      en.ok = ok;
      en.versions = versions;
      en.slot_versions = sversions;
      en.valid = !first;
      return apply_check(s, ok);
    }
    bool r = exec(s, nullptr);
    read_versions();
    en.slots.resize(s.slots.size());
    bool keep = true;
    for (size_t k = 0; k < s.slots.size(); ++k) {
      slot_version(s.slots[k]);  // canonical payload of an unchanged value
      keep = keep && own(globals_[size_t(s.slots[k])], en.slots[k]);
    }
    en.ever = true;
    if (!keep) return r;
    en.versions = versions;
    en.slot_versions = sversions;
    en.valid = !first;
    return r;
  }

  // Lets left pending that have never run: run them once, so that an error in one (a type error, say) is
  // reported as eagerly as herd would, on the first candidate.
  void force_unrun() {
    if (pending_.empty()) return;
    for (size_t g = 0; g < pending_.size(); ++g)
      if (pending_[g] && !cache_->entries[size_t(pending_[g] - 1)].ever) force_slot(int(g));
  }

  void report(bool allowed) {
    force_unrun();
    Outcome o;
    o.allowed = allowed;
    if (allowed && checks_ && checks_->strict) {
      std::vector<std::string> failed = skipped_;
      std::sort(failed.begin(), failed.end());
      failed.erase(std::unique(failed.begin(), failed.end()), failed.end());
      if (failed != checks_->skip) o.allowed = false, o.discarded = true;
    }
    if (allowed) o.flags = flags_;
    else o.failed_check = failed_;
    o.inspect = this;
    ++count_;
    each_(o);
  }

  Value& slot_ref(const Stmt& s, size_t k, const FrameP& frame) {
    return s.local ? frame->slots[size_t(s.slots[k])] : globals_[size_t(s.slots[k])];
  }

  // Returns false when a (non-flag) check fails; failed_ then names it.
  bool exec(const Stmt& s, const FrameP& frame) {
    switch (s.kind) {
      case Stmt::Let: {
        if (s.binds.size() == 1 && !s.binds[0].pat.tuple) {  // the common `let x = e`
          Value v = eval(*s.binds[0].rhs, frame);
          slot_ref(s, 0, frame) = std::move(v);
          return true;
        }
        std::vector<Value> vals;
        vals.reserve(s.binds.size());
        for (auto& b : s.binds) vals.push_back(eval(*b.rhs, frame));
        size_t k = 0;
        for (size_t b = 0; b < s.binds.size(); ++b) {
          const Pattern& pat = s.binds[b].pat;
          if (pat.tuple) {
            const auto& xs = destructure(vals[b], pat.names.size(), s.binds[b].pos);
            for (size_t q = 0; q < pat.names.size(); ++q) slot_ref(s, k++, frame) = xs[q];
          } else {
            slot_ref(s, k++, frame) = vals[b];
          }
        }
        return true;
      }
      case Stmt::LetRec: {
        std::vector<Value*> slots;
        for (size_t k = 0; k < s.slots.size(); ++k) slots.push_back(&slot_ref(s, k, frame));
        letrec(s.binds, slots, frame, s.local ? nullptr : &s);
        return true;
      }
      case Stmt::Check:
        check_frame_ = frame;
        return apply_check(s, check_ok(s, force(eval(*s.expr, frame))));
      case Stmt::Procedure:
        slot_ref(s, 0, frame) = Value::procedure(ProcValue{&s, frame});
        return true;
      case Stmt::Call: {
        if (!s.names.empty() && skipped_without_test(s.names[0])) return true;
        Value p = lookup(s.proc, s.name, frame, s.pos);
        if (p.kind != Value::Proc) throw Error(s.pos, "call: '" + s.name + "' is not a procedure");
        const Stmt& proc = *p.as_proc().proc;
        auto f = std::make_shared<Frame>(Frame{p.as_proc().env, std::vector<Value>(size_t(proc.frame_size))});
        bind_pattern(proc.pat, eval(*s.expr, frame), *f, 0, s.pos);
        for (auto& b : proc.body)
          if (!exec(*b, f)) {
            if (!s.names.empty()) failed_ = s.names[0];
            return false;
          }
        return true;
      }
      case Stmt::Forall: {
        Value set = eval(*s.expr, frame);
        bool ok = true;
        for_each_element(set, [&](const Value& x) {
          if (!ok) return;
          auto f = std::make_shared<Frame>(Frame{frame, std::vector<Value>(size_t(s.frame_size))});
          f->slots[0] = x;
          for (auto& b : s.body)
            if (ok && !exec(*b, f)) ok = false;
        });
        return ok;
      }
      case Stmt::Enum: {
        std::vector<Value> tags;
        for (auto& t : s.names) tags.push_back(Value::tag(t));
        slot_ref(s, 0, frame) = Value::vset(std::move(tags));
        for (size_t k = 0; k < s.names.size(); ++k) {
          auto it = c_.sets.find(tag_set_name(s.names[k]));
          slot_ref(s, k + 1, frame) = it == c_.sets.end() ? Value::set(EventSet(n_)) : borrow_set(it->second);
        }
        return true;
      }
      case Stmt::With:
        throw Error(s.pos, "with: only allowed at the top level");
      default:
        return true;  // show, unshow, instructions, debug
    }
  }

  static const char* check_name(const Stmt& s) {
    return s.check == Stmt::Acyclic ? "acyclic" : s.check == Stmt::Irreflexive ? "irreflexive" : "empty";
  }

  // Whether the test of a check holds (negation included).
  bool check_ok(const Stmt& s, const Value& v) {
    bool ok;
    const char* what = check_name(s);
    switch (v.kind) {
      case Value::Empty:
        ok = true;
        break;
      case Value::Rel:
        ok = s.check == Stmt::Acyclic ? v.as_rel().acyclic()
             : s.check == Stmt::Irreflexive ? v.as_rel().irreflexive()
                                            : v.as_rel().empty();
        break;
      case Value::Set:
        if (s.check != Stmt::IsEmpty) throw Error(s.expr->pos, std::string(what) + ": expected a relation, found " + describe(v));
        ok = v.as_set().empty();
        break;
      case Value::VSet:
      case Value::Lazy:
        if (s.check != Stmt::IsEmpty) throw Error(s.expr->pos, std::string(what) + ": expected a relation, found " + describe(v));
        ok = false;  // non-empty by construction
        if (v.kind == Value::Lazy) ok = lazy_count(v.as_lazy()) == 0;
        break;
      default:
        throw Error(s.expr->pos, std::string(what) + ": expected a relation or set, found " + describe(v));
    }
    if (s.negated) ok = !ok;
    return ok;
  }

  // Records the result of a check: false when a plain check fails (failed_ then names it); flags are raised.
  bool apply_check(const Stmt& s, bool ok) {
    auto name = [&] { return s.name.empty() ? std::string(check_name(s)) + "@" + s.pos.str() : s.name; };
    if (checks_) {
      bool skip = !s.name.empty() && std::binary_search(checks_->skip.begin(), checks_->skip.end(), s.name);
      if (skip && !checks_->strict) return true;  // not applied at all (a skipped flag is never raised)
      if (checks_->through && s.test_type == Stmt::Plain) ok = true;
      // As herd: a skipped test that does not hold (a flag not raised included) is recorded.
      if (skip && !ok) {
        skipped_.push_back(s.name);
        return true;
      }
    }
    if (s.test_type == Stmt::Plain) {
      if (!ok) failed_ = name(), failed_stmt_ = &s, failed_frame_ = check_frame_;
      return ok;
    }
    // flag: raised when the test holds; requires: recorded when it does not.
    bool raise = s.test_type == Stmt::Flag ? ok : !ok;
    if (raise) {
      std::string n = name();
      if (std::find(flags_.begin(), flags_.end(), n) == flags_.end()) flags_.push_back(std::move(n));
    }
    return true;
  }

  // Whether e reads none of the global slots rec (the definitions of a top-level let rec) and only variables
  // and the operators of sets and relations: its value is the same in every round of the fixpoint.
  static bool invariant(const Expr& e, const std::vector<int>& rec) {
    switch (e.kind) {
      case Expr::Empty:
      case Expr::Universe:
        return true;
      case Expr::Var:
        if (e.ref.kind == VarRef::Free) return true;
        return e.ref.kind == VarRef::Global && std::find(rec.begin(), rec.end(), e.ref.index) == rec.end();
      case Expr::Unary:
        return invariant(*e.a, rec);
      case Expr::Binary:
        return e.op2 != Op2::Add && invariant(*e.a, rec) && invariant(*e.b, rec);
      default:
        return false;
    }
  }
  // The largest invariant subexpressions of e worth keeping (operators, not lone names).
  static void collect_invariant(const Expr& e, const std::vector<int>& rec, std::vector<const Expr*>& out) {
    if (e.kind == Expr::Unary || e.kind == Expr::Binary) {
      if (invariant(e, rec)) {
        out.push_back(&e);
        return;
      }
    }
    if (e.kind == Expr::Unary) collect_invariant(*e.a, rec, out);
    if (e.kind == Expr::Binary) collect_invariant(*e.a, rec, out), collect_invariant(*e.b, rec, out);
  }

  // Least fixpoint of mutually recursive definitions (functions are bound directly). For a top-level one, the
  // subexpressions that do not read its definitions are computed once, not once per round (LKMM's rcu-order:
  // `rcu-gp ; rcu-link ; rcu-rscsi` and the prefixes `rcu-gp ; rcu-link`).
  void letrec(const std::vector<Binding>& binds, const std::vector<Value*>& slots, const FrameP& frame,
              const Stmt* top = nullptr) {
    std::vector<std::pair<const Expr*, Value>> memo;
    if (top) {
      std::vector<const Expr*> local;
      std::vector<const Expr*>* inv = &local;
      bool known = false;
      if (cache_) {
        auto [it, fresh] = cache_->letrec_invariants.try_emplace(top);
        inv = &it->second, known = !fresh;
      }
      if (!known)
        for (auto& b : binds) collect_invariant(*b.rhs, top->slots, *inv);
      memo.reserve(inv->size());
      for (const Expr* x : *inv) memo.emplace_back(x, eval(*x, frame));
    }
    struct Memo {
      std::vector<std::pair<const Expr*, Value>>& cur;
      std::vector<std::pair<const Expr*, Value>> saved;
      ~Memo() { cur = std::move(saved); }
    } memo_guard{memo_, std::move(memo_)};
    memo_ = std::move(memo);
    letrec_rounds(binds, slots, frame);
  }
  void letrec_rounds(const std::vector<Binding>& binds, const std::vector<Value*>& slots, const FrameP& frame) {
    bool all_funs = true;
    for (auto& b : binds) {
      if (b.pat.tuple || b.pat.names.size() != 1) throw Error(b.pos, "let rec: expected a name, found a tuple");
      all_funs &= b.rhs->kind == Expr::Fun;
    }
    if (all_funs) {
      for (size_t k = 0; k < binds.size(); ++k) *slots[k] = Value::closure(Closure{binds[k].rhs.get(), frame});
      return;
    }
    for (auto* s : slots) *s = Value();
    for (int round = 0;; ++round) {
      if (round > 100000) throw Error(binds[0].pos, "let rec: no fixpoint reached");
      bool changed = false;
      for (size_t k = 0; k < binds.size(); ++k) {
        Value v = eval(*binds[k].rhs, frame);
        if (compare(v, *slots[k]) != 0) {
          *slots[k] = std::move(v);
          changed = true;
        }
      }
      if (!changed) return;
    }
  }

  // ------------------------------------------------------------ expressions

  static bool is_setlike(const Value& v) {
    return v.kind == Value::Empty || v.kind == Value::Set || v.kind == Value::Rel || v.kind == Value::VSet ||
           v.kind == Value::Lazy;
  }

  const std::vector<Value>& destructure(const Value& v, size_t k, const Pos& pos) {
    if (v.kind != Value::Tuple || v.as_vec().size() != k)
      throw Error(pos, "expected a tuple of " + std::to_string(k) + " values, found " + describe(v));
    return v.as_vec();
  }

  void bind_pattern(const Pattern& pat, const Value& v, Frame& f, size_t off, const Pos& pos) {
    if (!pat.tuple) {
      f.slots[off] = v;
      return;
    }
    if (pat.names.empty()) return;
    const auto& xs = destructure(v, pat.names.size(), pos);
    for (size_t q = 0; q < xs.size(); ++q) f.slots[off + q] = xs[q];
  }

  Value free_value(int idx, const Pos& pos) {
    auto& cached = free_[size_t(idx)];
    if (cached) return *cached;
    const std::string& name = m_.free_names[size_t(idx)];
    if (resolved_) {  // not in the candidate's maps
      switch (cache_->fallback[size_t(idx)]) {
        case EvalCache::Id: return *(cached = cache_->identity);
        case EvalCache::AllMem: return *(cached = all_memory_events());
        case EvalCache::NoEvents: return *(cached = Value::set(EventSet(n_)));
        case EvalCache::NoPairs: return *(cached = Value::rel(Relation(n_)));
        case EvalCache::Native: return *(cached = Value::builtin(PartialApp{cache_->native[size_t(idx)], {}}));
        case EvalCache::Unbound: throw Error(pos, "unbound name '" + name + "'");
      }
    }
    if (auto it = c_.rels.find(name); it != c_.rels.end()) return *(cached = borrow_rel(it->second));
    if (auto it = c_.sets.find(name); it != c_.sets.end()) return *(cached = borrow_set(it->second));
    if (name == "id") return *(cached = Value::rel(Relation::identity(n_)));
    if (name == "M") return *(cached = all_memory_events());
    for (auto* s : kDefaultSets)
      if (name == s) return *(cached = Value::set(EventSet(n_)));
    for (auto* s : kDefaultRels)
      if (name == s) return *(cached = Value::rel(Relation(n_)));
    if (auto* b = find_builtin(name)) return *(cached = Value::builtin(PartialApp{b, {}}));
    throw Error(pos, "unbound name '" + name + "'");
  }

  Value all_memory_events() {
    EventSet m(n_);
    if (auto it = c_.sets.find("R"); it != c_.sets.end()) m |= it->second;
    if (auto it = c_.sets.find("W"); it != c_.sets.end()) m |= it->second;
    return Value::set(std::move(m));
  }

  static bool surely_empty(const Value& v) {
    return v.kind == Value::Empty || (v.kind == Value::Rel && v.as_rel().empty()) ||
           (v.kind == Value::Set && v.as_set().empty());
  }

  Value lookup(const VarRef& r, const std::string& name, const FrameP& frame, const Pos& pos) {
    switch (r.kind) {
      case VarRef::Global:
        if (pending(r.index)) force_slot(r.index);
        return globals_[size_t(r.index)];
      case VarRef::Local: {
        Frame* f = frame.get();
        for (int d = 0; d < r.depth; ++d) f = f->parent.get();
        return f->slots[size_t(r.index)];
      }
      case VarRef::Free:
        return free_value(r.index, pos);
      default:
        throw Error(pos, "internal: unresolved name '" + name + "'");
    }
  }

  // The value of e: a reference to the variable's value when e is a variable, else e evaluated into tmp.
  const Value& operand(const Expr& e, const FrameP& frame, Value& tmp) {
    if (e.kind == Expr::Var) {
      switch (e.ref.kind) {
        case VarRef::Global:
          if (pending(e.ref.index)) force_slot(e.ref.index);
          return globals_[size_t(e.ref.index)];
        case VarRef::Local: {
          Frame* f = frame.get();
          for (int d = 0; d < e.ref.depth; ++d) f = f->parent.get();
          return f->slots[size_t(e.ref.index)];
        }
        case VarRef::Free:
          if (auto& cached = free_[size_t(e.ref.index)]) return *cached;
          break;
        default:
          break;
      }
    }
    tmp = eval(e, frame);
    return tmp;
  }

  Value eval(const Expr& e, const FrameP& frame) {
    for (auto& [x, v] : memo_)
      if (x == &e) return v;
    switch (e.kind) {
      case Expr::Empty:
        return Value();
      case Expr::Universe:
        return universe_;
      case Expr::Var:
        return lookup(e.ref, e.name, frame, e.pos);
      case Expr::Tag:
        return Value::tag(e.name);
      case Expr::Set: {
        std::vector<Value> xs;
        for (auto& x : e.elems) xs.push_back(eval(*x, frame));
        return Value::set_of(std::move(xs), n_);
      }
      case Expr::Tuple: {
        std::vector<Value> xs;
        for (auto& x : e.elems) xs.push_back(eval(*x, frame));
        return Value::tuple(std::move(xs));
      }
      case Expr::Unary: {
        Value ta;
        return unary(e.op1, operand(*e.a, frame, ta), e.pos);
      }
      case Expr::Binary: {
        if (e.op2 == Op2::Seq && (is_bracket(*e.a) || is_bracket(*e.b))) return seq_bracket(e, frame);
        Value ta, tb;
        const Value& a = operand(*e.a, frame, ta);
        // An empty left operand decides `;`, `&` and `\`: the right one is not computed.
        // Not on a statement's first run, which is eager as herd's (a type error on the right is reported).
        if (!eager_ && (e.op2 == Op2::Seq || e.op2 == Op2::Inter || e.op2 == Op2::Diff) && surely_empty(a)) return a;
        return binary(e.op2, a, operand(*e.b, frame, tb), e.pos);
      }
      case Expr::App: {
        Value tf, ta;
        const Value& f = operand(*e.a, frame, tf);
        return apply(f, operand(*e.b, frame, ta), e.pos);
      }
      case Expr::Let: {
        auto f = std::make_shared<Frame>(Frame{frame, std::vector<Value>(size_t(e.frame_size))});
        size_t off = 0;
        for (auto& b : e.binds) {
          bind_pattern(b.pat, eval(*b.rhs, frame), *f, off, b.pos);
          off += b.pat.names.size();
        }
        return eval(*e.a, f);
      }
      case Expr::LetRec: {
        auto f = std::make_shared<Frame>(Frame{frame, std::vector<Value>(size_t(e.frame_size))});
        std::vector<Value*> slots;
        for (size_t k = 0; k < f->slots.size(); ++k) slots.push_back(&f->slots[k]);
        letrec(e.binds, slots, f);
        rec_frames_.push_back(f);
        return eval(*e.a, f);
      }
      case Expr::Fun:
        return Value::closure(Closure{&e, frame});
      case Expr::Try:
        try {
          return eval(*e.a, frame);
        } catch (const Error&) {
          return eval(*e.b, frame);
        }
      case Expr::If:
        return eval(cond(*e.cond, frame) ? *e.a : *e.b, frame);
      case Expr::MatchSet: {
        Value s = eval(*e.a, frame);
        if (!is_setlike(s)) throw Error(e.a->pos, "match: expected a set, found " + describe(s));
        std::vector<Value> xs = elements(s);
        if (xs.empty()) return eval(*e.b, frame);
        auto f = std::make_shared<Frame>(Frame{frame, std::vector<Value>(2)});
        f->slots[0] = xs[0];
        xs.erase(xs.begin());
        f->slots[1] = rest_of(s, std::move(xs));
        return eval(*e.c, f);
      }
      case Expr::MatchTag: {
        Value t = eval(*e.a, frame);
        if (t.kind == Value::Tag)
          for (size_t k = 0; k < e.tags.size(); ++k)
            if (e.tags[k] == t.as_tag()) return eval(*e.elems[k], frame);
        if (e.b) return eval(*e.b, frame);
        throw Error(e.pos, "match: no clause for " + describe(t));
      }
    }
    throw Error(e.pos, "internal: bad expression");
  }

  static bool is_bracket(const Expr& e) { return e.kind == Expr::Unary && e.op1 == Op1::ToId; }

  // `[S] ; r` and `r ; [S]` for a set S: r's rows or columns restricted to S, the same value as composing with
  // the identity on S (LKMM brackets nearly every relation with [Marked]). When an operand is not of that form at
  // run time (a bracket of a relation, a non-relation beside it) it finishes as the general path would, with the
  // values already computed.
  Value seq_bracket(const Expr& e, const FrameP& frame) {
    Value ta, tb;
    const Expr& br = is_bracket(*e.a) ? *e.a : *e.b;
    if (&br == e.a.get()) {
      const Value& s = operand(*br.a, frame, ta);
      if (s.kind != Value::Set) {
        Value a = unary(Op1::ToId, s, br.pos);
        if (!eager_ && surely_empty(a)) return a;
        return binary(Op2::Seq, a, operand(*e.b, frame, tb), e.pos);
      }
      if (!eager_ && s.as_set().empty()) {
        Value out;
        Value::fresh_rel(out, n_);
        return out;
      }
      const Value& r = operand(*e.b, frame, tb);
      if (r.kind == Value::Empty) return Value();
      if (r.kind != Value::Rel) return binary(Op2::Seq, unary(Op1::ToId, s, br.pos), r, e.pos);
      return rel_restrict_rows(s.as_set(), r.as_rel());
    }
    const Value& r = operand(*e.a, frame, ta);
    if (!eager_ && surely_empty(r)) return r;
    const Value& s = operand(*br.a, frame, tb);
    if (s.kind != Value::Set || (r.kind != Value::Rel && r.kind != Value::Empty))
      return binary(Op2::Seq, r, unary(Op1::ToId, s, br.pos), e.pos);
    if (r.kind == Value::Empty) return Value();
    return rel_restrict_cols(r.as_rel(), s.as_set());
  }

  // The rest of a set after removing its first element, keeping the set's kind.
  Value rest_of(const Value& s, std::vector<Value> xs) {
    if (xs.empty()) return Value();
    if (s.kind == Value::Set || s.kind == Value::Rel) return Value::set_of(std::move(xs), n_);
    return Value::vset(std::move(xs));
  }

  bool cond(const Cond& c, const FrameP& frame) {
    if (c.kind == Cond::Variant) return m_.variants.count(c.variant) > 0;
    Value a = eval(*c.a, frame), b = eval(*c.b, frame);
    switch (c.kind) {
      case Cond::Eq:
        return equal_sets(a, b);
      case Cond::Subset:
        return equal_sets(binary(Op2::Diff, a, b, c.a->pos), Value());
      case Cond::In: {
        bool found = false;
        for_each_element(b, [&](const Value& x) { found |= compare(x, a) == 0; });
        return found;
      }
      default:
        return false;
    }
  }

  // Equality where every empty set equals Empty.
  bool equal_sets(const Value& a, const Value& b) {
    auto is_empty = [](const Value& v) {
      return v.kind == Value::Empty || (v.kind == Value::Set && v.as_set().empty()) ||
             (v.kind == Value::Rel && v.as_rel().empty());
    };
    if (is_empty(a) || is_empty(b)) return is_empty(a) && is_empty(b);
    return compare(a, b) == 0;
  }

  Value apply(const Value& f, const Value& arg, const Pos& pos) {
    if (f.kind == Value::Fun) {
      const Closure& c = f.as_closure();
      auto fr = std::make_shared<Frame>(Frame{c.env, std::vector<Value>(size_t(c.fun->frame_size))});
      bind_pattern(c.fun->pat, arg, *fr, 0, pos);
      return eval(*c.fun->a, fr);
    }
    if (f.kind == Value::Builtin) {
      const PartialApp& p = f.as_builtin();
      std::vector<Value> args = p.args;
      args.push_back(arg);
      if (int(args.size()) == p.fn->arity) return p.fn->fn(ctx_, args, pos);
      return Value::builtin(PartialApp{p.fn, std::move(args)});
    }
    throw Error(pos, "expected a function, found " + describe(f));
  }

  [[noreturn]] void type_error(const Pos& pos, const char* op, const Value& a, const Value& b) {
    throw Error(pos, std::string(op) + ": cannot combine " + describe(a) + " with " + describe(b));
  }

  Value unary(Op1 op, const Value& v0, const Pos& pos) {
    Value tv;
    const Value& v = forced(v0, tv);
    if (v.kind == Value::Empty) {
      switch (op) {
        case Op1::Star:
        case Op1::Opt:
          return Value::rel(Relation::identity(n_));
        case Op1::Complement:
          throw Error(pos, "~: cannot complement an empty set of unknown type");
        default:
          return Value();
      }
    }
    if (v.kind == Value::Rel) {
      const Relation& r = v.as_rel();
      switch (op) {
        case Op1::Star:
        case Op1::Plus:
        case Op1::Opt: {  // computed in recycled storage
          Value out;
          Relation& o = Value::fresh_rel_unset(out, n_);
          o = r;
          if (op != Op1::Opt) o.close_transitively();
          if (op != Op1::Plus) o.add_identity();
          return out;
        }
        case Op1::Inverse: {
          Value out;
          Relation& o = Value::fresh_rel(out, n_);
          r.for_each([&](size_t i, size_t j) { o.set(j, i); });
          return out;
        }
        case Op1::Complement: return Value::rel(r.complement());
        case Op1::ToId: return Value::rel(r & Relation::identity(n_));
      }
    }
    if (v.kind == Value::Set) {
      if (op == Op1::Complement) return Value::set(v.as_set().complement());
      if (op == Op1::ToId) return rel_id_on(v.as_set());
      // Closures of a set: herd treats a set S in a relation context as [S].
      Relation r = Relation::id_on(v.as_set());
      if (op == Op1::Star || op == Op1::Opt) return Value::rel(Relation::identity(n_));
      if (op == Op1::Plus || op == Op1::Inverse) return Value::rel(r);
    }
    if (v.kind == Value::Event && op == Op1::ToId) {
      Relation r(n_);
      r.set(v.i, v.i);
      return Value::rel(std::move(r));
    }
    static const char* names[] = {"*", "+", "?", "^-1", "~", "[...]"};
    throw Error(pos, std::string(names[int(op)]) + ": expected a relation, found " + describe(v));
  }

  // Lazy product -> explicit set; a lone event or pair -> singleton set or relation.
  // v itself when it needs no conversion (see force), else its conversion stored in tmp.
  const Value& forced(const Value& v, Value& tmp) {
    if (v.kind != Value::Event && v.kind != Value::Pair && v.kind != Value::Lazy) return v;
    tmp = force(v);
    return tmp;
  }

  Value force(const Value& v) {
    if (v.kind == Value::Event) return Value::set(EventSet::singleton(n_, v.i));
    if (v.kind == Value::Pair) {
      Relation r(n_);
      r.set(v.i, v.j);
      return Value::rel(std::move(r));
    }
    if (v.kind != Value::Lazy) return v;
    return Value::vset(elements(v));
  }

  Value binary(Op2 op, const Value& a0, const Value& b0, const Pos& pos) {
    if (op == Op2::Add) return add(a0, b0, pos);
    Value ta, tb;
    const Value& a = forced(a0, ta);
    const Value& b = forced(b0, tb);
    if (op == Op2::Cartesian) {
      if ((a.kind == Value::Set || a.kind == Value::Empty) && (b.kind == Value::Set || b.kind == Value::Empty)) {
        if (a.kind == Value::Empty || b.kind == Value::Empty) return Value::rel(Relation(n_));
        return Value::rel(Relation::cross(a.as_set(), b.as_set()));
      }
      type_error(pos, "*", a, b);
    }
    if (op == Op2::Seq) {
      if (a.kind == Value::Empty && (b.kind == Value::Rel || b.kind == Value::Empty)) return Value();
      if (b.kind == Value::Empty && a.kind == Value::Rel) return Value();
      if (a.kind == Value::Rel && b.kind == Value::Rel) return rel_compose(a.as_rel(), b.as_rel());
      type_error(pos, ";", a, b);
    }
    const char* sym = op == Op2::Union ? "|" : op == Op2::Inter ? "&" : "\\";
    if (a.kind == Value::Empty) {
      if (!is_setlike(b)) type_error(pos, sym, a, b);
      return op == Op2::Union ? b : Value();
    }
    if (b.kind == Value::Empty) {
      if (!is_setlike(a)) type_error(pos, sym, a, b);
      return op == Op2::Inter ? Value() : a;
    }
    if (a.kind == Value::Set && b.kind == Value::Set) {
      const EventSet &x = a.as_set(), &y = b.as_set();
      return op == Op2::Union ? set_union(x, y) : op == Op2::Inter ? set_inter(x, y) : set_diff(x, y);
    }
    if (a.kind == Value::Rel && b.kind == Value::Rel) {
      const Relation &x = a.as_rel(), &y = b.as_rel();
      return op == Op2::Union ? rel_union(x, y) : op == Op2::Inter ? rel_inter(x, y) : rel_diff(x, y);
    }
    if (a.kind == Value::VSet && b.kind == Value::VSet) {
      const auto &x = a.as_vec(), &y = b.as_vec();
      std::vector<Value> out;
      if (op == Op2::Union) std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
      else if (op == Op2::Inter) std::set_intersection(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
      else std::set_difference(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
      return Value::vset(std::move(out));
    }
    type_error(pos, sym, a, b);
  }

  // e ++ S
  Value add(const Value& e, const Value& s0, const Pos& pos) {
    Value s = force(s0);
    if (s.kind == Value::Empty) return Value::set_of({e}, n_);
    if (s.kind == Value::Set && e.kind == Value::Event) {
      EventSet x = s.as_set();
      x.set(e.i);
      return Value::set(std::move(x));
    }
    if (s.kind == Value::Rel && e.kind == Value::Pair) {
      Relation r = s.as_rel();
      r.set(e.i, e.j);
      return Value::rel(std::move(r));
    }
    if (s.kind == Value::VSet) {
      std::vector<Value> xs = s.as_vec();
      xs.push_back(e);
      return Value::vset(std::move(xs));
    }
    if (s.kind == Value::Set || s.kind == Value::Rel) {
      std::vector<Value> xs = elements(s);
      xs.push_back(e);
      return Value::set_of(std::move(xs), n_);
    }
    type_error(pos, "++", e, s);
  }

  // A named check that -skipchecks removes without evaluating it (not under -strictskip).
  bool skipped_without_test(const std::string& name) const {
    return checks_ && !checks_->strict && std::binary_search(checks_->skip.begin(), checks_->skip.end(), name);
  }

  const Model& m_;
  const Candidate& c_;
  size_t n_;
  const CheckOptions* checks_;
  std::vector<std::string> skipped_;  // -strictskip: skipped checks that failed in this execution
  bool prune_ = false;
  // ------------------------------------------------------------ Inspector

  static std::optional<Relation> as_relation(const Value& v, size_t n) {
    switch (v.kind) {
      case Value::Empty: return Relation(n);
      case Value::Rel: return v.as_rel();
      case Value::Set: return Relation::id_on(v.as_set());
      default: return std::nullopt;
    }
  }
  std::optional<Relation> relation(const std::string& name) const override {
    auto it = m_.top_names.find(name);
    if (it == m_.top_names.end() || size_t(it->second) >= globals_.size()) return std::nullopt;
    // A slot bound at or after the statement that stopped this execution holds another execution's value.
    for (size_t k = stop_; k < m_.stmts.size(); ++k)
      if (!m_.stmts[k]->local)
        for (int sl : m_.stmts[k]->slots)
          if (sl == it->second) return std::nullopt;
    if (pending(it->second)) const_cast<Evaluator*>(this)->force_slot(it->second);
    const Value& v = globals_[size_t(it->second)];
    if (v.kind == Value::Empty) return std::nullopt;  // not bound (yet) in this execution
    return as_relation(v, n_);
  }
  std::optional<FailedCheck> failed() const override {
    if (stop_ == m_.stmts.size() || !failed_stmt_) return std::nullopt;
    const Stmt& s = *failed_stmt_;
    // The environment of the failed check is still in place: nothing ran after it.
    auto self = const_cast<Evaluator*>(this);
    std::optional<Relation> r = as_relation(self->force(self->eval(*s.expr, failed_frame_)), n_);
    if (!r) return std::nullopt;
    return FailedCheck{failed_, check_name(s), s.negated, s.pos.str(), std::move(*r)};
  }

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

}  // namespace

size_t evaluate(const Model& m, const Candidate& c, const std::function<void(const Outcome&)>& each) {
  return evaluate(m, c, each, EvalOptions{});
}

size_t evaluate(const Model& m, const Candidate& c, const std::function<void(const Outcome&)>& each,
                const EvalOptions& opts) {
  Evaluator ev(m, c, each, &opts.checks, opts.prune);
  return ev.run();
}

size_t evaluate(const Model& m, const Candidate& c, const std::function<void(const Outcome&)>& each,
                const CheckOptions& checks) {
  Evaluator ev(m, c, each, &checks);
  return ev.run();
}

uint64_t Candidate::new_structure() {
  static std::atomic<uint64_t> next{0};
  return ++next;
}

}  // namespace paddock::cat
