// Which data each top-level statement's result depends on, so that the evaluator can reuse results from one
// candidate to the next (cat/eval.cpp). The engine enumerates many candidates per event structure: the sets and
// program relations (po, addr, ...) stay the same while rf, loc, the values and FW change, and much of a model
// (the bell file's classifications, fences, dependencies, rcu-rscs, ...) reads only the former.
//
// A statement depends on the free names it mentions (candidate data, or builtins, some of which read the
// candidate's values or loc) and on the global slots it reads. Slots are versioned by value at run time, so a
// statement recomputed with an unchanged result leaves its readers cached (early cutoff): in LKMM, `carry-dep`
// reads rfi but stays the identity when there are no data dependencies, and addr/ctrl/data, ppo and the flags
// built on them then do not change from one rf to the next. A slot whose value may be callable (a function, a
// builtin, or anything not syntactically a set or relation) also passes on everything its definition reads,
// since calling it reads that. A slot bound to a procedure makes its readers uncacheable.
#include <algorithm>
#include <atomic>
#include <map>

#include "cat/model.hpp"

namespace paddock::cat {

namespace {

struct Bits {
  std::vector<uint64_t> bits;

  void add(int k) {
    size_t w = size_t(k) / 64;
    if (bits.size() <= w) bits.resize(w + 1, 0);
    bits[w] |= uint64_t(1) << (k % 64);
  }
  void add(const Bits& d) {
    if (bits.size() < d.bits.size()) bits.resize(d.bits.size(), 0);
    for (size_t i = 0; i < d.bits.size(); ++i) bits[i] |= d.bits[i];
  }
  void remove(int k) {
    if (size_t(k) / 64 < bits.size()) bits[size_t(k) / 64] &= ~(uint64_t(1) << (k % 64));
  }
  std::vector<int> list() const {
    std::vector<int> out;
    for (size_t i = 0; i < bits.size(); ++i)
      for (uint64_t w = bits[i]; w; w &= w - 1) out.push_back(int(i * 64 + size_t(__builtin_ctzll(w))));
    return out;
  }
  bool operator==(const Bits& o) const {
    size_t n = std::max(bits.size(), o.bits.size());
    for (size_t i = 0; i < n; ++i)
      if ((i < bits.size() ? bits[i] : 0) != (i < o.bits.size() ? o.bits[i] : 0)) return false;
    return true;
  }
};

// What an expression reads: input ids and global slots directly; `trans` is every input it reads through the
// slots too (what a caller of a function defined by it would read).
struct Deps {
  Bits inputs, slots, trans;
  bool dynamic = false;  // reads a procedure

  void add(int k) { inputs.add(k), trans.add(k); }
  void add(const Deps& d) {
    inputs.add(d.inputs), slots.add(d.slots), trans.add(d.trans);
    dynamic |= d.dynamic;
  }
  bool operator==(const Deps& o) const {
    return inputs == o.inputs && slots == o.slots && trans == o.trans && dynamic == o.dynamic;
  }
};

// Whether evaluating e surely gives a set or a relation (never something callable).
bool surely_data(const Expr& e) {
  switch (e.kind) {
    case Expr::Empty:
    case Expr::Universe:
    case Expr::Tag:
    case Expr::Unary:
      return true;
    case Expr::Binary:
      return e.op2 != Op2::Add;
    default:
      return false;
  }
}

std::string tag_set_name(const std::string& t) {
  std::string s = t;
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

class Analyser {
 public:
  explicit Analyser(Model& m)
      : m_(m), globals_(size_t(m.num_globals)), callable_(size_t(m.num_globals), 0),
        fun_def_(size_t(m.num_globals), nullptr) {}

  void run() {
    // Inputs 0..F-1 are the free names, then the values, the loc of the builtins, and the sets read by enums.
    m_.inputs.clear();
    size_t nfree = m_.free_names.size();
    for (size_t i = 0; i < nfree; ++i) m_.inputs.push_back(Model::Input{Model::Input::Free, int(i), {}});
    values_ = int(m_.inputs.size());
    m_.inputs.push_back(Model::Input{Model::Input::Values, 0, {}});
    loc_ = int(m_.inputs.size());
    m_.inputs.push_back(Model::Input{Model::Input::Loc, 0, {}});
    free_extra_.assign(nfree, -1);
    free_extra2_.assign(nfree, -1);
    for (size_t i = 0; i < nfree; ++i) {
      const std::string& name = m_.free_names[i];
      if (name == "different-values" || name == "same-values") free_extra_[i] = values_;
      if (name == "classes-loc" || name == "generate_orders") free_extra2_[i] = loc_;
    }
    m_.stmt_inputs.assign(m_.stmts.size(), {});
    for (size_t i = 0; i < m_.stmts.size(); ++i) stmt(*m_.stmts[i], m_.stmt_inputs[i]);
  }

 private:
  int set_input(const std::string& name) {
    auto it = set_ids_.find(name);
    if (it != set_ids_.end()) return it->second;
    int id = int(m_.inputs.size());
    m_.inputs.push_back(Model::Input{Model::Input::SetName, 0, name});
    set_ids_.emplace(name, id);
    return id;
  }

  // What reading slot `slot` counts as: the slot's version, plus (when its value may be callable) everything its
  // definition read.
  Deps& global(int slot) { return globals_.at(size_t(slot)); }
  void define(int slot, const Deps& d, bool callable) {
    Deps& g = global(slot);
    g = Deps{};
    g.trans = d.trans;
    g.dynamic = d.dynamic;
    g.slots.add(slot);
    if (callable) g.inputs = d.trans;
    callable_[size_t(slot)] = callable;
  }

  void stmt(const Stmt& s, Model::StmtInputs& out) {
    if (s.local) return;  // top-level statements only
    switch (s.kind) {
      case Stmt::Let: {
        if (s.binds.size() == 1 && s.slots.size() == 1 && s.binds[0].rhs->kind == Expr::Fun)
          fun_def_[size_t(s.slots[0])] = s.binds[0].rhs.get();
        Deps d;
        bool data = true;
        for (auto& b : s.binds) expr(*b.rhs, d), data = data && surely_data(*b.rhs);
        for (int slot : s.slots) define(slot, d, !data);
        finish(d, out, s.slots);
        break;
      }
      case Stmt::LetRec: {
        // Least fixpoint: the bindings read each other (their own slots are not inputs of the statement).
        bool data = std::all_of(s.binds.begin(), s.binds.end(), [](const Binding& b) { return surely_data(*b.rhs); });
        Deps d;
        for (;;) {
          for (int slot : s.slots) define(slot, d, !data);
          Deps next = d;
          for (auto& b : s.binds) expr(*b.rhs, next);
          if (next == d) break;
          d = std::move(next);
        }
        finish(d, out, s.slots);
        break;
      }
      case Stmt::Enum: {
        Deps d;
        if (!s.slots.empty()) define(s.slots[0], Deps{}, false);
        for (size_t k = 0; k < s.names.size() && k + 1 < s.slots.size(); ++k) {
          Deps t;
          t.add(set_input(tag_set_name(s.names[k])));
          define(s.slots[k + 1], t, false);
          d.add(t);
        }
        finish(d, out, s.slots);
        break;
      }
      case Stmt::Check: {
        Deps d;
        expr(*s.expr, d);
        finish(d, out, {});
        break;
      }
      case Stmt::With: {
        // The fork's choice is versioned like any slot; what it may be chosen from is read through its set
        // only when the choice may be callable (a set of coherence orders or of rf unions is not).
        Deps d;
        expr(*s.expr, d);
        bool callable = !data_elements(*s.expr, 0);
        for (int slot : s.slots) define(slot, d, callable);
        finish(d, out, {});  // the set itself is reused while what it reads is unchanged
        break;
      }
      case Stmt::Procedure:
        for (int slot : s.slots) global(slot).dynamic = true, global(slot).trans = Bits{};
        break;
      default:
        break;
    }
  }

  // Whether every element of the set e evaluates to is surely a set, a relation or an event (never callable):
  // e is itself a set or relation, a call of a builtin that builds sets of relations, or a call of a function
  // whose body is one of these (cross.cat's generate_cos).
  bool data_elements(const Expr& e, int depth) const {
    if (surely_data(e)) return true;
    if (e.kind != Expr::App || !e.a || e.a->kind != Expr::Var || depth > 4) return false;
    const VarRef& f = e.a->ref;
    if (f.kind == VarRef::Free) {
      const std::string& n = m_.free_names.at(size_t(f.index));
      return n == "generate_orders" || n == "cross" || n == "linearisations" || n == "classes-loc";
    }
    if (f.kind != VarRef::Global) return false;
    const Expr* fun = fun_def_.at(size_t(f.index));
    return fun && fun->a && data_elements(*fun->a, depth + 1);
  }

  static void finish(const Deps& d, Model::StmtInputs& out, const std::vector<int>& own) {
    out.cacheable = !d.dynamic;
    out.inputs = d.inputs.list();
    Bits slots = d.slots;
    for (int k : own) slots.remove(k);
    out.slots = slots.list();
  }

  void cond(const Cond& c, Deps& d) {
    if (c.a) expr(*c.a, d);
    if (c.b) expr(*c.b, d);
  }

  void expr(const Expr& e, Deps& d) {
    if (e.kind == Expr::Var) {
      switch (e.ref.kind) {
        case VarRef::Global:
          d.add(global(e.ref.index));
          break;
        case VarRef::Free: {
          size_t i = size_t(e.ref.index);
          d.add(int(i));
          if (free_extra_.at(i) >= 0) d.add(free_extra_[i]);
          if (free_extra2_[i] >= 0) d.add(free_extra2_[i]);
          break;
        }
        case VarRef::Local:
          break;  // bound by a let, a match or a call whose expressions are counted where they appear
        default:
          d.dynamic = true;
      }
    }
    if (e.a) expr(*e.a, d);
    if (e.b) expr(*e.b, d);
    if (e.c) expr(*e.c, d);
    for (auto& x : e.elems)
      if (x) expr(*x, d);
    for (auto& b : e.binds)
      if (b.rhs) expr(*b.rhs, d);
    if (e.cond) cond(*e.cond, d);
  }

  Model& m_;
  std::vector<Deps> globals_;
  std::vector<char> callable_;
  std::vector<const Expr*> fun_def_;  // per slot: the function a top-level `let f(x) = ...` bound, else null
  std::map<std::string, int> set_ids_;
  std::vector<int> free_extra_, free_extra2_;  // per free name: the values / loc input a builtin reads, or -1
  int values_ = 0, loc_ = 0;
};

std::atomic<uint64_t> next_model_id{1};

}  // namespace

void analyse_inputs(Model& m) {
  Analyser(m).run();
  m.id = next_model_id++;
}

}  // namespace paddock::cat
