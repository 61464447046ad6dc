// The evaluator's statements: forks, reuse of results between candidates, coherence-order cut-offs, checks
// and let rec (the class: evaluator.hpp; expressions: eval_expr.cpp).
#include <algorithm>
#include <atomic>

#include "cat/evaluator.hpp"
#include "cat/profile.hpp"

namespace paddock::cat {
namespace detail {

void Evaluator::resolve_free_names() {
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

size_t Evaluator::run() {
  run_from(0);
  return count_;
}

const Relation& Evaluator::loc_rel(const Candidate& c) {
  auto it = c.rels.find("loc");
  return it == c.rels.end() ? empty_rel_ : it->second;
}

void Evaluator::run_from(size_t i) {
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

Value Evaluator::with_set(size_t i, const Stmt& s) {
  if (!cache_ || !m_.stmt_inputs[i].cacheable) return eval(*s.expr, nullptr);
  const Model::StmtInputs& si = m_.stmt_inputs[i];
  EvalCache::Entry& en = cache_->entries[i];
  std::vector<uint64_t> versions, sversions;
  if (entry_hit(si, en, versions)) return en.slots[0];
  en.valid = false;
  check_frame_ = nullptr;
  Value set = eval(*s.expr, nullptr);
  read_slot_versions(si, sversions);
  en.slots.resize(1);
  if (!own(set, en.slots[0])) return set;
  en.versions = std::move(versions);
  en.slot_versions = std::move(sversions);
  en.valid = true;
  return en.slots[0];
}

bool Evaluator::pruned_fork(size_t i, const LazyProduct& l, size_t nflags) {
  ForkState st;
  switch (plan_fork(i, l, nflags, nullptr, st)) {
    case ForkPlan::None: return false;
    case ForkPlan::AllFail: return true;
    case ForkPlan::Planned: break;
  }
  order_dfs(st, 0, st.full_mask(0));
  return true;
}

Evaluator::ForkPlan Evaluator::plan_fork(size_t i, const LazyProduct& l, size_t nflags, const Monotonicity* outer,
                                         ForkState& st) {
  const OrderSpace& sp = *l.orders;
  int slot = m_.stmts[i]->slots[0];
  globals_[size_t(slot)] = Value::rel(Relation(n_));
  Hooks hooks(*this);
  Monotonicity mono(m_, slot, hooks);
  if (outer) mono.inherit(*outer, slot);
  std::vector<size_t> checks;
  size_t end = i + 1;
  // Classify the statements up to the next fork, running them once on the empty partial order.
  try {
    for (; end < m_.stmts.size(); ++end) {
      const Stmt& s = *m_.stmts[end];
      if (s.kind == Stmt::With) break;
      switch (s.kind) {
        case Stmt::Let:
        case Stmt::LetRec:
          classify(mono, s);
          exec_top(end, s);
          break;
        case Stmt::Check: {
          Pol p = Pol::Any;
          if (!bound_holds(mono, s, p)) return ForkPlan::AllFail;  // fails for every order
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
    return ForkPlan::None;
  }
  if (checks.empty()) return ForkPlan::None;
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
  return st.classes.empty() ? ForkPlan::None : ForkPlan::Planned;
}

bool Evaluator::bound_holds(Monotonicity& mono, const Stmt& s, Pol& p) {
  if (s.test_type != Stmt::Plain || s.negated) return true;
  p = mono.expr(*s.expr);
  if (p != Pol::Const && p != Pol::Up) return true;
  return check_ok(s, force(eval(*s.expr, nullptr)));
}

void Evaluator::classify(Monotonicity& mono, const Stmt& s) {
  if (s.kind == Stmt::Let) {
    size_t k = 0;
    for (auto& b : s.binds) {
      Pol p = mono.expr(*b.rhs);
      for (size_t q = 0; q < b.pat.names.size(); ++q, ++k) mono.bind(s.slots[k], p, b.pat.tuple ? nullptr : b.rhs.get());
    }
    return;
  }
  if (std::all_of(s.binds.begin(), s.binds.end(), [](const Binding& b) { return b.rhs->kind == Expr::Fun; })) return;
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

bool Evaluator::refuted_prefix(bool fw_final) {
  // rf grows in every completion; the final writes may not be chosen yet; values of unchosen reads are unknown (an
  // expression naming a builtin that reads values varies in any way, however it reaches the builtin).
  std::vector<Pol> free(m_.free_names.size(), Pol::Const);
  for (size_t k = 0; k < free.size(); ++k) {
    const std::string& n = m_.free_names[k];
    if (n == "rf") free[k] = Pol::Up;
    if ((n == "FW" && !fw_final) || n == "same-values" || n == "different-values") free[k] = Pol::Any;
  }
  Hooks hooks(*this);
  Monotonicity mono(m_, -1, hooks, std::move(free));
  try {
    for (size_t i = 0; i < m_.stmts.size(); ++i) {
      const Stmt& s = *m_.stmts[i];
      switch (s.kind) {
        case Stmt::With: {
          Pol p = mono.expr(*s.expr);
          std::optional<Monotonicity::OrdersArgs> args = mono.orders_args();
          Value set = with_set(i, s);
          // Orders of fixed events extending a relation that grows with rf: every completion's orders are among
          // these; it is refuted when none of them passes the checks up to the next fork.
          bool fewer = args && args->events == Pol::Const && (args->order == Pol::Const || args->order == Pol::Up);
          if (p != Pol::Const && fewer && set.kind == Value::Lazy && set.as_lazy().orders) {
            ForkState st;
            st.survivor_search = true;
            switch (plan_fork(i, set.as_lazy(), flags_.size(), &mono, st)) {
              case ForkPlan::None: return false;
              case ForkPlan::AllFail: return true;
              case ForkPlan::Planned: break;
            }
            order_dfs(st, 0, st.full_mask(0));
            return !st.found;
          }
          if (p != Pol::Const) return false;  // else followed when every completion has the same single alternative
          size_t count = 0;
          Value only;
          for_each_element(set, [&](const Value& x) {
            if (count++ == 0) only = x;
          });
          if (count != 1) return false;
          globals_[size_t(s.slots[0])] = only;
          break;
        }
        case Stmt::Let:
        case Stmt::LetRec:
          classify(mono, s);
          exec_top(i, s);
          break;
        case Stmt::Check: {
          Pol p = Pol::Any;
          if (!bound_holds(mono, s, p)) return true;
          break;
        }
        case Stmt::Enum:
        case Stmt::Procedure:
          exec_top(i, s);
          break;
        default:
          break;  // calls and foralls bind nothing: their checks are left to complete candidates
      }
    }
  } catch (const Error&) {
  }
  return false;
}

bool Evaluator::probe(const ForkState& st, bool complete) {
  globals_[size_t(st.slot)] = Value::rel(st.partial);
  try {
    for (size_t j : st.plan) {
      const Stmt& s = *m_.stmts[j];
      if (s.kind == Stmt::Check) {
        // Inner nodes skip a check that has stopped paying there; a survivor search's complete orders run all.
        EvalCache::ProbeStat* ps = complete ? nullptr : &cache_->probe[j];
        if (ps && ps->dropped()) continue;
        if (ps) ++ps->runs;
        if (!check_ok(s, force(eval(*s.expr, nullptr)))) {
          if (ps) ++ps->cuts;
          return false;
        }
      } else {
        exec_top(j, s);
      }
    }
  } catch (const Error&) {
  }
  return true;
}

void Evaluator::order_dfs(ForkState& st, size_t c, uint64_t remaining) {
  if (st.found) return;
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
    if (rest == 0 && last_class && st.survivor_search) {
      st.found = st.found || probe(st, true);
    } else if (rest == 0 && last_class) {
      flags_.resize(st.flags);
      globals_[size_t(st.slot)] = Value::rel(st.partial);
      run_from(st.index + 1);
    } else if (forced || probe(st, false)) {
      if (rest) order_dfs(st, c, rest);
      else order_dfs(st, c + 1, st.full_mask(c + 1));
    }
    for (uint64_t q = rest; q; q &= q - 1) {
      size_t e = oc.ev[size_t(bits::ctz(q))];
      row[e >> 6] &= ~(uint64_t(1) << (e & 63));
    }
  }
}

uint64_t Evaluator::input_version(size_t k) {
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

uint64_t Evaluator::slot_version(int g) {
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

void Evaluator::force_slot(int g) {
  size_t i = size_t(pending_[size_t(g)] - 1);
  const Stmt& s = *m_.stmts[i];
  for (int sl : s.slots) pending_[size_t(sl)] = 0;
  FrameP saved = check_frame_;
  run_top(i, s);
  check_frame_ = saved;
}

bool Evaluator::exec_top(size_t i, const Stmt& s) {
  if (cache_ && s.kind == Stmt::Let && !s.local && m_.stmt_inputs[i].cacheable) {
    if (pending_.empty()) pending_.assign(globals_.size(), 0);
    for (int sl : s.slots) pending_[size_t(sl)] = int(i) + 1, globals_[size_t(sl)] = Value();
    return true;
  }
  return run_top(i, s);
}

bool Evaluator::entry_hit(const Model::StmtInputs& si, const EvalCache::Entry& en, std::vector<uint64_t>& versions) {
  versions.resize(si.inputs.size());
  bool hit = en.valid;
  for (size_t k = 0; k < si.inputs.size(); ++k) {
    versions[k] = input_version(size_t(si.inputs[k]));
    hit = hit && en.versions[k] == versions[k];
  }
  // The result is a function of the slots the evaluation read: a slot it did not force (left pending behind an
  // empty operand) is recorded as 0 and not compared; it stays unread while the ones read are unchanged.
  for (size_t k = 0; hit && k < si.slots.size(); ++k)
    if (en.slot_versions[k] != 0 && slot_version(si.slots[k]) != en.slot_versions[k]) hit = false;
  return hit;
}

void Evaluator::read_slot_versions(const Model::StmtInputs& si, std::vector<uint64_t>& sversions) {
  sversions.resize(si.slots.size());
  for (size_t k = 0; k < si.slots.size(); ++k) sversions[k] = pending(si.slots[k]) ? 0 : slot_version(si.slots[k]);
}

bool Evaluator::run_top(size_t i, const Stmt& s) {
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

bool Evaluator::run_top_body(size_t i, const Stmt& s, bool* replayed) {
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
  if (entry_hit(si, en, versions)) {
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
  if (s.kind == Stmt::Check) {
    bool ok = check_ok(s, force(eval(*s.expr, nullptr)));
    read_slot_versions(si, sversions);
    en.ever = true;
    en.ok = ok;
    en.versions = versions;
    en.slot_versions = sversions;
    en.valid = !first;
    return apply_check(s, ok);
  }
  bool r = exec(s, nullptr);
  read_slot_versions(si, sversions);
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

void Evaluator::force_unrun() {
  if (pending_.empty()) return;
  for (size_t g = 0; g < pending_.size(); ++g)
    if (pending_[g] && !cache_->entries[size_t(pending_[g] - 1)].ever) force_slot(int(g));
}

void Evaluator::report(bool allowed) {
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

Value& Evaluator::slot_ref(const Stmt& s, size_t k, const FrameP& frame) {
  return s.local ? frame->slots[size_t(s.slots[k])] : globals_[size_t(s.slots[k])];
}

bool Evaluator::exec(const Stmt& s, const FrameP& frame) {
  switch (s.kind) {
    case Stmt::Let: {
      if (s.binds.size() == 1 && !s.binds[0].pat.tuple) {  // the common `let x = e`
        Value v = eval(*s.binds[0].rhs, frame);
        slot_ref(s, 0, frame) = std::move(v);
        return true;
      }
      ops::bind_let(*this, s, frame);
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

const char* Evaluator::check_name(const Stmt& s) {
  return s.check == Stmt::Acyclic ? "acyclic" : s.check == Stmt::Irreflexive ? "irreflexive" : "empty";
}

bool Evaluator::check_ok(const Stmt& s, const Value& v) {
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

bool Evaluator::apply_check(const Stmt& s, bool ok) {
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

bool Evaluator::invariant(const Expr& e, const std::vector<int>& rec) {
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

void Evaluator::collect_invariant(const Expr& e, const std::vector<int>& rec, std::vector<const Expr*>& out) {
  if (e.kind == Expr::Unary || e.kind == Expr::Binary) {
    if (invariant(e, rec)) {
      out.push_back(&e);
      return;
    }
  }
  if (e.kind == Expr::Unary) collect_invariant(*e.a, rec, out);
  if (e.kind == Expr::Binary) collect_invariant(*e.a, rec, out), collect_invariant(*e.b, rec, out);
}

void Evaluator::letrec(const std::vector<Binding>& binds, const std::vector<Value*>& slots, const FrameP& frame,
            const Stmt* top) {
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

void Evaluator::letrec_rounds(const std::vector<Binding>& binds, const std::vector<Value*>& slots, const FrameP& frame) {
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

}  // namespace detail

using detail::Evaluator;


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

bool refuted_early(const Model& m, const Candidate& partial, bool fw_final) {
  static const std::function<void(const Outcome&)> none = [](const Outcome&) {};
  if (m.id == 0 || m.stmt_inputs.size() != m.stmts.size()) return false;  // needs the statement inputs
  Evaluator ev(m, partial, none, nullptr, false, &detail::t_prefix_cache);
  return ev.refuted_prefix(fw_final);
}

uint64_t Candidate::new_structure() {
  static std::atomic<uint64_t> next{0};
  return ++next;
}

}  // namespace paddock::cat
