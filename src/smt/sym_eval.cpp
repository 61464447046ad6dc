// The symbolic cat evaluator (see sym_eval.hpp): values whose sets and relations hold Terms instead of bits.
// The meaning of expressions is cat/operators.hpp, shared with the explicit evaluator; this file gives the
// statements (checks as constraints, `with` as symbolic choices, let rec unrolled) and the domain's kernels.
#include "smt/sym_eval.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>

#include "cat/error.hpp"
#include "cat/operators.hpp"

namespace paddock::smt {

using cat::Binding;
using cat::Cond;
using cat::Expr;
using cat::Op1;
using cat::Op2;
using cat::Pattern;
using cat::Pos;
using cat::Stmt;
using cat::VarRef;

namespace {

struct SFrame;
using SFrameP = std::shared_ptr<SFrame>;
struct SBuiltin;

struct SV {
  enum Kind { Empty, Set, Rel, Event, Pair, Tag, Tuple, VSet, Fun, Proc, Builtin, Orders, Product, Thunk } kind = Empty;
  uint32_t i = 0, j = 0;
  std::shared_ptr<const SSet> set;
  std::shared_ptr<const SRel> rel;
  std::shared_ptr<const std::string> tag;
  // Tuple: members; VSet: members (with guards); Builtin: arguments so far; Product: components (VSets,
  // with guards); Orders: (set, order).
  std::shared_ptr<const std::vector<SV>> elems;
  std::shared_ptr<const std::vector<T>> guards;
  const Expr* fun = nullptr;
  const Stmt* proc = nullptr;
  SFrameP env;
  const SBuiltin* builtin = nullptr;

  static SV of_set(SSet s) { SV v; v.kind = Set; v.set = std::make_shared<const SSet>(std::move(s)); return v; }
  static SV of_rel(SRel r) { SV v; v.kind = Rel; v.rel = std::make_shared<const SRel>(std::move(r)); return v; }
  static SV event(size_t e) { SV v; v.kind = Event; v.i = uint32_t(e); return v; }
  static SV pair(size_t a, size_t b) { SV v; v.kind = Pair; v.i = uint32_t(a); v.j = uint32_t(b); return v; }
  static SV of_tag(std::string t) { SV v; v.kind = Tag; v.tag = std::make_shared<const std::string>(std::move(t)); return v; }
  static SV tuple(std::vector<SV> xs) {
    SV v;
    v.kind = Tuple;
    v.elems = std::make_shared<const std::vector<SV>>(std::move(xs));
    return v;
  }
};

struct SFrame {
  SFrameP parent;
  std::vector<SV> slots;
};

// The nouns of the explicit evaluator's messages (cat/value.cpp), so that an error reads the same on both engines.
const char* kind_name(SV::Kind k) {
  static const char* names[] = {"empty set", "event set", "relation", "event", "pair of events", "tag", "tuple", "set",
                                "function", "procedure", "builtin function", "set of orders", "set of relations",
                                "definition"};
  return names[int(k)];
}

// Structural comparison (terms compare by number, which is exact for interned constants and
// identical Z3 terms). Returns <0, 0, >0.
int compare(const SV& a, const SV& b) {
  if (a.kind != b.kind) return int(a.kind) - int(b.kind);
  switch (a.kind) {
    case SV::Empty: return 0;
    case SV::Event: return a.i < b.i ? -1 : a.i > b.i;
    case SV::Pair: return a.i != b.i ? (a.i < b.i ? -1 : 1) : (a.j < b.j ? -1 : a.j > b.j);
    case SV::Tag: return a.tag->compare(*b.tag);
    case SV::Set: return a.set->v < b.set->v ? -1 : a.set->v > b.set->v;
    case SV::Rel: return a.rel->m < b.rel->m ? -1 : a.rel->m > b.rel->m;
    case SV::Tuple:
    case SV::VSet: {
      const auto &x = *a.elems, &y = *b.elems;
      if (x.size() != y.size()) return x.size() < y.size() ? -1 : 1;
      for (size_t k = 0; k < x.size(); ++k)
        if (int c = compare(x[k], y[k])) return c;
      if (a.kind == SV::VSet) return *a.guards < *b.guards ? -1 : *a.guards > *b.guards;
      return 0;
    }
    default: {
      const void* p = a.fun ? (const void*)a.fun : a.proc ? (const void*)a.proc : (const void*)a.builtin;
      const void* q = b.fun ? (const void*)b.fun : b.proc ? (const void*)b.proc : (const void*)b.builtin;
      if (p != q) return p < q ? -1 : 1;
      if (a.env != b.env) return a.env < b.env ? -1 : 1;
      if (a.elems != b.elems) return a.elems < b.elems ? -1 : 1;
      return 0;
    }
  }
}

std::string tag_set_name(const std::string& t) {
  std::string s = t;
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

const char* const kDefaultSets[] = {"R", "W", "F", "IW", "FW", "RMW", "LKR", "LKW", "UL", "LF", "RL", "RU", "SRCU"};
const char* const kDefaultRels[] = {"po", "rf", "loc", "int", "ext", "rmw", "addr",
                                    "data", "ctrl", "iico_data", "iico_ctrl"};

class SymEval;
struct SBuiltin {
  const char* name;
  int arity;
  SV (SymEval::*fn)(const std::vector<SV>& args, const Pos& pos);
};

class SymEval {
 public:
  SymEval(const cat::Model& m, const SymBase& b, Terms& t) : m_(m), b_(b), t_(t), a_(t, b.n), n_(b.n) {
    globals_.resize(size_t(m.num_globals));
    free_.resize(m.free_names.size());
  }
  ~SymEval() {
    for (auto& f : rec_frames_) f->slots.clear();
  }

  SymOutcome run() {
    for (const auto& s : m_.stmts) {
      if (s->kind == Stmt::With) {
        with(*s);
        continue;
      }
      exec(*s, nullptr, T1);
    }
    return std::move(out_);
  }

 private:
  [[noreturn]] void unsupported(const Pos& pos, const std::string& what) {
    throw Unsupported(pos.str() + ": construct " + what + " not supported symbolically");
  }

  // ------------------------------------------------------------ statements

  void exec(const Stmt& s, const SFrameP& frame, T guard) {
    switch (s.kind) {
      case Stmt::Let: {
        // Top-level single-name bindings are evaluated on first use: a definition only the unused part of
        // the model needs (e.g. the plain-access relations of the LKMM when no access is plain) costs nothing.
        if (!frame && !s.local) {
          bool simple = true;
          for (auto& b : s.binds) simple &= !b.pat.tuple;
          if (simple) {
            for (size_t k = 0; k < s.binds.size(); ++k) {
              SV th;
              th.kind = SV::Thunk;
              th.fun = s.binds[k].rhs.get();
              slot_ref(s, k, frame) = th;
            }
            return;
          }
        }
        cat::ops::bind_let(*this, s, frame);
        return;
      }
      case Stmt::LetRec: {
        std::vector<SV*> slots;
        for (size_t k = 0; k < s.slots.size(); ++k) slots.push_back(&slot_ref(s, k, frame));
        letrec(s.binds, slots, frame);
        return;
      }
      case Stmt::Check:
        check(s, force(eval(*s.expr, frame)), guard);
        return;
      case Stmt::Procedure: {
        SV v;
        v.kind = SV::Proc;
        v.proc = &s;
        v.env = frame;
        slot_ref(s, 0, frame) = v;
        return;
      }
      case Stmt::Call: {
        SV p = lookup(s.proc, s.name, frame, s.pos);
        if (p.kind != SV::Proc) throw cat::Error(s.pos, "call: '" + s.name + "' is not a procedure");
        const Stmt& proc = *p.proc;
        auto f = std::make_shared<SFrame>(SFrame{p.env, std::vector<SV>(size_t(proc.frame_size))});
        bind_pattern(proc.pat, eval(*s.expr, frame), *f, 0, s.pos);
        for (auto& b : proc.body) exec(*b, f, guard);
        return;
      }
      case Stmt::Forall: {
        SV set = eval(*s.expr, frame);
        for_each_element(set, s.pos, [&](const SV& x, T g) {
          auto f = std::make_shared<SFrame>(SFrame{frame, std::vector<SV>(size_t(s.frame_size))});
          f->slots[0] = x;
          for (auto& b : s.body) exec(*b, f, t_.and2(guard, g));
        });
        return;
      }
      case Stmt::Enum: {
        std::vector<SV> tags;
        for (auto& tg : s.names) tags.push_back(SV::of_tag(tg));
        slot_ref(s, 0, frame) = vset(std::move(tags), {});
        for (size_t k = 0; k < s.names.size(); ++k) {
          auto it = b_.sets.find(tag_set_name(s.names[k]));
          slot_ref(s, k + 1, frame) = SV::of_set(it == b_.sets.end() ? a_.empty_set() : it->second);
        }
        return;
      }
      case Stmt::With:
        unsupported(s.pos, "with (below the top level)");
      case Stmt::IfVariant:
        unsupported(s.pos, "if-variant statement");
      default:
        return;  // show, unshow, instructions, debug, include (already expanded)
    }
  }

  // ------------------------------------------------------------ with: symbolic choices

  void with(const Stmt& s) {
    SV set = eval(*s.expr, nullptr);
    SV& slot = globals_[size_t(s.slots[0])];
    switch (set.kind) {
      case SV::Empty:
        out_.checks.push_back({"with-empty", F0});  // no alternative: no execution
        slot = SV();
        return;
      case SV::Orders:
        slot = orders((*set.elems)[0], (*set.elems)[1], set.i != 0, s.pos);
        return;
      case SV::Product: {
        SRel acc = a_.empty_rel();
        const auto& comps = *set.elems;
        for (size_t c = 0; c < comps.size(); ++c) {
          SV pick = choose(comps[c], (*set.guards)[c], s.pos);
          if (pick.kind == SV::Rel) acc = a_.unite(acc, *pick.rel);
          else if (pick.kind != SV::Empty) unsupported(s.pos, "with over a cross of non-relations");
        }
        slot = SV::of_rel(std::move(acc));
        return;
      }
      case SV::VSet:
        slot = choose(set, T1, s.pos);
        return;
      default:
        unsupported(s.pos, std::string("with x from ") + kind_name(set.kind));
    }
  }

  // One member of a guarded set, chosen by one-hot selectors; present: whether the choice happens.
  SV choose(const SV& set, T present, const Pos& pos) {
    if (set.kind == SV::Empty) {
      out_.checks.push_back({"with-empty", t_.not1(present)});
      return SV();
    }
    if (set.kind != SV::VSet) unsupported(pos, std::string("choice from ") + kind_name(set.kind));
    const auto& xs = *set.elems;
    const auto& gs = *set.guards;
    std::vector<T> sel;
    for (size_t k = 0; k < xs.size(); ++k) sel.push_back(xs.size() == 1 ? t_.and2(present, gs[k]) : t_.and2(t_.fresh("sel"), t_.and2(present, gs[k])));
    // Exactly one selector when present.
    std::vector<T> any = sel;
    out_.defs.push_back(t_.ex(t_.implies(present, t_.orN(any))));
    for (size_t a = 0; a < sel.size(); ++a)
      for (size_t b = a + 1; b < sel.size(); ++b) out_.defs.push_back(t_.ex(t_.not1(t_.and2(sel[a], sel[b]))));
    bool rels = true, sets = true;
    for (auto& x : xs) {
      rels &= x.kind == SV::Rel || x.kind == SV::Empty;
      sets &= x.kind == SV::Set || x.kind == SV::Empty;
    }
    if (rels) {
      SRel acc = a_.empty_rel();
      for (size_t k = 0; k < xs.size(); ++k)
        if (xs[k].kind == SV::Rel)
          for (size_t e = 0; e < n_ * n_; ++e) acc.m[e] = t_.or2(acc.m[e], t_.and2(sel[k], xs[k].rel->m[e]));
      return SV::of_rel(std::move(acc));
    }
    if (sets) {
      SSet acc = a_.empty_set();
      for (size_t k = 0; k < xs.size(); ++k)
        if (xs[k].kind == SV::Set)
          for (size_t e = 0; e < n_; ++e) acc.v[e] = t_.or2(acc.v[e], t_.and2(sel[k], xs[k].set->v[e]));
      return SV::of_set(std::move(acc));
    }
    if (xs.size() == 1 && gs[0] == T1) return xs[0];
    unsupported(pos, "choice among values that are not relations or sets");
  }

  // Every union of one linear extension of `order` per location class of `s` (per_loc), or every linear
  // extension of `order` on `s`: one such order, as integer clocks per event (the pairs of one class are
  // ordered by their clocks).
  SV orders(const SV& sv, const SV& ov, bool per_loc, const Pos& pos) {
    SSet s = need_set(sv, pos, "generate_orders");
    SRel order = need_rel(ov, pos, "generate_orders");
    const SRel& loc = per_loc ? base_rel("loc") : all_pairs();
    std::vector<std::optional<z3::expr>> clk(n_);
    for (size_t i = 0; i < n_; ++i)
      if (s.v[i] != F0) clk[i] = t_.fresh_int("co");
    SRel co = a_.empty_rel();
    for (size_t i = 0; i < n_; ++i)
      for (size_t j = 0; j < n_; ++j) {
        if (i == j || !clk[i] || !clk[j]) continue;
        T same = t_.and2(t_.and2(s.v[i], s.v[j]), loc.at(i, j));
        if (same == F0) continue;
        T before = t_.intern(*clk[i] < *clk[j]);
        co.at(i, j) = t_.and2(same, before);
        if (i < j) out_.defs.push_back(t_.ex(t_.implies(same, t_.intern(*clk[i] != *clk[j]))));
        T o = order.at(i, j);
        if (o != F0) out_.defs.push_back(t_.ex(t_.implies(t_.and2(o, same), before)));
      }
    return SV::of_rel(std::move(co));
  }

  // ------------------------------------------------------------ checks

  void check(const Stmt& s, const SV& v, T guard) {
    const char* what = s.check == Stmt::Acyclic ? "acyclic" : s.check == Stmt::Irreflexive ? "irreflexive" : "empty";
    std::string name = s.name.empty() ? std::string(what) + "@" + s.pos.str() : s.name;
    // Polarity: a plain check and a flag are asserted to hold (clocks are exact there); `requires`
    // and negated checks need the exact term.
    bool positive = !s.negated && s.test_type != Stmt::Requires;
    T ok;
    switch (v.kind) {
      case SV::Empty:
        ok = T1;
        break;
      case SV::Rel: {
        const SRel& r = *v.rel;
        if (s.check == Stmt::Acyclic) ok = acyclic(r, positive);
        else if (s.check == Stmt::Irreflexive) {
          std::vector<T> d;
          for (size_t i = 0; i < n_; ++i) d.push_back(r.at(i, i));
          ok = t_.not1(t_.orN(d));
        } else {
          std::vector<T> d = r.m;
          ok = t_.not1(t_.orN(d));
        }
        break;
      }
      case SV::Set: {
        if (s.check != Stmt::IsEmpty) throw cat::Error(s.expr->pos, std::string(what) + ": expected a relation, found a set");
        std::vector<T> d = v.set->v;
        ok = t_.not1(t_.orN(d));
        break;
      }
      case SV::VSet: {
        if (s.check != Stmt::IsEmpty) throw cat::Error(s.expr->pos, std::string(what) + ": expected a relation");
        std::vector<T> d = *v.guards;
        ok = t_.not1(t_.orN(d));
        break;
      }
      default:
        throw cat::Error(s.expr->pos, std::string(what) + ": expected a relation or set, found " + kind_name(v.kind));
    }
    if (s.negated) ok = t_.not1(ok);
    if (s.test_type == Stmt::Plain) {
      out_.checks.push_back({name, t_.implies(guard, ok)});
      return;
    }
    T raise = s.test_type == Stmt::Flag ? ok : t_.not1(ok);
    out_.flags.push_back({name, t_.and2(guard, raise)});
  }

  // Acyclicity. Positive (asserted true): integer clocks on the edges inside the strongly connected
  // components of the may-graph (edges between components cannot close a cycle). Otherwise exact:
  // no reflexive pair in the transitive closure.
  T acyclic(const SRel& r, bool positive) {
    if (!positive) {
      SRel c = a_.plus(r);
      std::vector<T> d;
      for (size_t i = 0; i < n_; ++i) d.push_back(c.at(i, i));
      return t_.not1(t_.orN(d));
    }
    std::vector<T> conj;
    for (size_t i = 0; i < n_; ++i) conj.push_back(t_.not1(r.at(i, i)));
    // Tarjan's SCC over the may-graph.
    std::vector<int> index(n_, -1), low(n_, 0), comp(n_, -1);
    std::vector<char> on(n_, 0);
    std::vector<size_t> stack;
    int counter = 0, ncomp = 0;
    std::function<void(size_t)> strong = [&](size_t v) {
      index[v] = low[v] = counter++;
      stack.push_back(v);
      on[v] = 1;
      for (size_t w = 0; w < n_; ++w) {
        if (w == v || r.at(v, w) == F0) continue;
        if (index[w] < 0) {
          strong(w);
          low[v] = std::min(low[v], low[w]);
        } else if (on[w]) low[v] = std::min(low[v], index[w]);
      }
      if (low[v] == index[v]) {
        while (true) {
          size_t w = stack.back();
          stack.pop_back();
          on[w] = 0;
          comp[w] = ncomp;
          if (w == v) break;
        }
        ++ncomp;
      }
    };
    for (size_t v = 0; v < n_; ++v)
      if (index[v] < 0) strong(v);
    std::vector<std::optional<z3::expr>> clk(n_);
    for (size_t i = 0; i < n_; ++i)
      for (size_t j = 0; j < n_; ++j) {
        if (i == j || comp[i] != comp[j] || r.at(i, j) == F0) continue;
        if (r.at(i, j) == T1 && false) continue;
        if (!clk[i]) clk[i] = t_.fresh_int("clk");
        if (!clk[j]) clk[j] = t_.fresh_int("clk");
        conj.push_back(t_.implies(r.at(i, j), t_.intern(*clk[i] < *clk[j])));
      }
    return t_.andN(conj);
  }

  // ------------------------------------------------------------ let rec

  void letrec(const std::vector<Binding>& binds, const std::vector<SV*>& slots, const SFrameP& frame) {
    bool all_funs = true;
    for (auto& b : binds) {
      if (b.pat.tuple || b.pat.names.size() != 1) throw cat::Error(b.pos, "let rec: expected a name, found a tuple");
      all_funs &= b.rhs->kind == Expr::Fun;
    }
    if (all_funs) {
      for (size_t k = 0; k < binds.size(); ++k) {
        SV v;
        v.kind = SV::Fun;
        v.fun = binds[k].rhs.get();
        v.env = frame;
        *slots[k] = v;
      }
      return;
    }
    for (auto* s : slots) *s = SV();
    // Kleene iteration; it ends when the values repeat (always, when they are program-only constants).
    // When only the may-support has stabilised, switch to the exact rank encoding.
    auto support = [&](const SV& v) {
      std::vector<char> sp;
      if (v.kind == SV::Rel)
        for (T x : v.rel->m) sp.push_back(char(x == F0 ? 0 : x == T1 ? 1 : 2));
      if (v.kind == SV::Set)
        for (T x : v.set->v) sp.push_back(char(x == F0 ? 0 : x == T1 ? 1 : 2));
      return sp;
    };
    std::vector<std::vector<char>> prev_support(binds.size());
    for (int round = 0;; ++round) {
      if (round > 100000) throw cat::Error(binds[0].pos, "let rec: no fixpoint reached");
      bool changed = false, support_changed = false;
      std::vector<SV> vals;
      for (size_t k = 0; k < binds.size(); ++k) {
        SV v = eval(*binds[k].rhs, frame);
        if (compare(v, *slots[k]) != 0) {
          changed = true;
          auto sp = support(v);
          if (sp != prev_support[k]) support_changed = true;
          prev_support[k] = std::move(sp);
          *slots[k] = std::move(v);
        }
      }
      if (!changed) return;
      if (!support_changed) break;
    }
    letrec_ranked(binds, slots, frame);
  }

  // Exact least fixpoint over the stable may-support: fresh Booleans x for the entries, closed under the
  // body (F(x) => x) and well-founded (x_e => F(x)_e with every x_f replaced by x_f /\ rank_f < rank_e).
  void letrec_ranked(const std::vector<Binding>& binds, const std::vector<SV*>& slots, const SFrameP& frame) {
    struct Entry {
      size_t slot, pos;
      T var;
      z3::expr rank;
    };
    std::vector<Entry> entries;
    z3::expr_vector src(t_.ctx);
    for (size_t k = 0; k < slots.size(); ++k) {
      SV& s = *slots[k];
      if (s.kind == SV::Rel) {
        SRel x = *s.rel;
        for (size_t e = 0; e < x.m.size(); ++e)
          if (x.m[e] != F0) {
            x.m[e] = t_.fresh("rec");
            entries.push_back({k, e, x.m[e], t_.fresh_int("rank")});
            src.push_back(t_.ex(x.m[e]));
          }
        s = SV::of_rel(std::move(x));
      } else if (s.kind == SV::Set) {
        SSet x = *s.set;
        for (size_t e = 0; e < x.v.size(); ++e)
          if (x.v[e] != F0) {
            x.v[e] = t_.fresh("rec");
            entries.push_back({k, e, x.v[e], t_.fresh_int("rank")});
            src.push_back(t_.ex(x.v[e]));
          }
        s = SV::of_set(std::move(x));
      } else if (s.kind != SV::Empty) {
        unsupported(binds[k].pos, std::string("let rec over ") + kind_name(s.kind) + " that depends on the execution");
      }
    }
    std::vector<SV> body;
    for (size_t k = 0; k < binds.size(); ++k) body.push_back(eval(*binds[k].rhs, frame));
    auto entry_of = [&](const SV& v, size_t pos) -> T {
      if (v.kind == SV::Rel) return v.rel->m[pos];
      if (v.kind == SV::Set) return v.set->v[pos];
      return F0;
    };
    // Entries of the body outside the support: the support was stable, so they must be false.
    for (size_t k = 0; k < body.size(); ++k) {
      const SV& v = body[k];
      const SV& s = *slots[k];
      size_t sz = v.kind == SV::Rel ? v.rel->m.size() : v.kind == SV::Set ? v.set->v.size() : 0;
      for (size_t p = 0; p < sz; ++p)
        if (entry_of(v, p) != F0 && (s.kind == SV::Empty || entry_of(s, p) == F0))
          unsupported(binds[k].pos, "let rec whose may-support keeps growing");
    }
    for (const Entry& e : entries) {
      T f = entry_of(body[e.slot], e.pos);
      out_.defs.push_back(t_.ex(t_.implies(f, e.var)));
      if (f == T1 || f == F0) {
        out_.defs.push_back(t_.ex(t_.implies(e.var, f)));
        continue;
      }
      z3::expr_vector dst(t_.ctx);
      for (const Entry& g : entries) dst.push_back(t_.ex(g.var) && g.rank < e.rank);
      z3::expr fe = t_.ex(f);
      out_.defs.push_back(z3::implies(t_.ex(e.var), fe.substitute(src, dst)));
    }
  }

 public:  // the expressions: cat/operators.hpp calls in
  // ------------------------------------------------------------ expressions

  static bool is_setlike(const SV& v) {
    return v.kind == SV::Empty || v.kind == SV::Set || v.kind == SV::Rel || v.kind == SV::VSet;
  }

  const std::vector<SV>& destructure(const SV& v, size_t k, const Pos& pos) {
    return cat::ops::destructure(*this, v, k, pos);
  }
  void bind_pattern(const Pattern& pat, const SV& v, SFrame& f, size_t off, const Pos& pos) {
    cat::ops::bind_pattern(*this, pat, v, f, off, pos);
  }

  const SRel& base_rel(const std::string& name) {
    static thread_local SRel none;
    auto it = b_.rels.find(name);
    if (it != b_.rels.end()) return it->second;
    auto& c = empty_rels_[name];
    if (c.n != n_) c = a_.empty_rel();
    return c;
  }

  SV free_value(int idx, const Pos& pos);

  const SRel& all_pairs() {
    if (all_pairs_.n != n_) {
      all_pairs_ = a_.empty_rel();
      std::fill(all_pairs_.m.begin(), all_pairs_.m.end(), T1);
    }
    return all_pairs_;
  }
  SRel all_pairs_;

  SV lookup(const VarRef& r, const std::string& name, const SFrameP& frame, const Pos& pos) {
    switch (r.kind) {
      case VarRef::Global: {
        SV& g = globals_[size_t(r.index)];
        if (g.kind == SV::Thunk) {
          const Expr* e = g.fun;
          g = SV();  // a definition cannot refer to itself (it would be a let rec)
          size_t before = t_.size();
          SV v = eval(*e, nullptr);
          if (std::getenv("PADDOCK_SMT_STATS") && t_.size() - before > 1000)
            fprintf(stderr, "smt:   %s: %zu terms\n", name.c_str(), t_.size() - before);
          globals_[size_t(r.index)] = v;
          return v;
        }
        return g;
      }
      case VarRef::Local: {
        SFrame* f = frame.get();
        for (int d = 0; d < r.depth; ++d) f = f->parent.get();
        return f->slots[size_t(r.index)];
      }
      case VarRef::Free:
        return free_value(r.index, pos);
      default:
        throw cat::Error(pos, "internal: unresolved name '" + name + "'");
    }
  }

  SV vset(std::vector<SV> xs, std::vector<T> gs) {
    if (gs.empty()) gs.assign(xs.size(), T1);
    // Sort and merge equal members (guards or-ed).
    std::vector<size_t> idx(xs.size());
    for (size_t k = 0; k < idx.size(); ++k) idx[k] = k;
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return compare(xs[a], xs[b]) < 0; });
    std::vector<SV> ox;
    std::vector<T> og;
    for (size_t k : idx) {
      if (gs[k] == F0) continue;
      if (!ox.empty() && compare(ox.back(), xs[k]) == 0) og.back() = t_.or2(og.back(), gs[k]);
      else ox.push_back(xs[k]), og.push_back(gs[k]);
    }
    if (ox.empty()) return SV();
    SV v;
    v.kind = SV::VSet;
    v.elems = std::make_shared<const std::vector<SV>>(std::move(ox));
    v.guards = std::make_shared<const std::vector<T>>(std::move(og));
    return v;
  }

  // The most specific set: events -> Set, pairs -> Rel, else VSet.
  SV set_of(std::vector<SV> xs, std::vector<T> gs) {
    if (gs.empty()) gs.assign(xs.size(), T1);
    if (xs.empty()) return SV();
    bool ev = true, pr = true;
    for (auto& x : xs) ev &= x.kind == SV::Event, pr &= x.kind == SV::Pair;
    if (ev) {
      SSet s = a_.empty_set();
      for (size_t k = 0; k < xs.size(); ++k) s.v[xs[k].i] = t_.or2(s.v[xs[k].i], gs[k]);
      return SV::of_set(std::move(s));
    }
    if (pr) {
      SRel r = a_.empty_rel();
      for (size_t k = 0; k < xs.size(); ++k) r.at(xs[k].i, xs[k].j) = t_.or2(r.at(xs[k].i, xs[k].j), gs[k]);
      return SV::of_rel(std::move(r));
    }
    return vset(std::move(xs), std::move(gs));
  }

  // Calls f(element, membership) for every possible element.
  template <class Fn>
  void for_each_element(const SV& v, const Pos& pos, Fn&& f) {
    switch (v.kind) {
      case SV::Empty: return;
      case SV::Set:
        for (size_t i = 0; i < n_; ++i)
          if (v.set->v[i] != F0) f(SV::event(i), v.set->v[i]);
        return;
      case SV::Rel:
        for (size_t i = 0; i < n_; ++i)
          for (size_t j = 0; j < n_; ++j)
            if (v.rel->at(i, j) != F0) f(SV::pair(i, j), v.rel->at(i, j));
        return;
      case SV::VSet:
        for (size_t k = 0; k < v.elems->size(); ++k) f((*v.elems)[k], (*v.guards)[k]);
        return;
      default:
        throw cat::Error(pos, std::string("expected a set, found ") + kind_name(v.kind));
    }
  }

  SV eval(const Expr& e, const SFrameP& frame) { return cat::ops::walk(*this, e, frame); }

  // ------------------------------------------------------------ this domain's entries for cat/operators.hpp
  using V = SV;
  using FrameP = SFrameP;

  SV unary_expr(const Expr& e, const SFrameP& frame) { return unary(e.op1, eval(*e.a, frame), e.pos); }
  SV binary_expr(const Expr& e, const SFrameP& frame) {
    SV a = eval(*e.a, frame);
    // An empty left operand decides `&`, `\\`, `;` and `*` without the right one (typed empty values only,
    // so that the result keeps its type).
    if ((e.op2 == Op2::Inter || e.op2 == Op2::Diff || e.op2 == Op2::Seq) &&
        (a.kind == SV::Set || a.kind == SV::Rel) && is_empty_value(a))
      return a;
    if (e.op2 == Op2::Cartesian && a.kind == SV::Set && is_empty_value(a)) return SV::of_rel(a_.empty_rel());
    if ((e.op2 == Op2::Inter || e.op2 == Op2::Diff || e.op2 == Op2::Seq) && a.kind == SV::Empty) return SV();
    return binary(e.op2, a, eval(*e.b, frame), e.pos);
  }
  SV app_expr(const Expr& e, const SFrameP& frame) {
    SV f = eval(*e.a, frame);
    return apply(f, eval(*e.b, frame), e.pos);
  }
  SV universe() { return SV::of_set(a_.full_set()); }
  static SV tag(const std::string& name) { return SV::of_tag(name); }
  SV set_of(std::vector<SV> xs) { return set_of(std::move(xs), {}); }
  SV vset_of(std::vector<SV> xs) { return vset(std::move(xs), {}); }
  static SV closure(const Expr& e, const SFrameP& frame) {
    SV v;
    v.kind = SV::Fun;
    v.fun = &e;
    v.env = frame;
    return v;
  }
  void solve_letrec(const std::vector<Binding>& binds, const std::vector<SV*>& slots, const SFrameP& frame) {
    letrec(binds, slots, frame);
  }
  void keep_frame(const SFrameP& f) { rec_frames_.push_back(f); }
  SV& slot_ref(const Stmt& s, size_t k, const SFrameP& frame) {
    return s.local ? frame->slots[size_t(s.slots[k])] : globals_[size_t(s.slots[k])];
  }
  const SV& forced(const SV& v, SV& tmp) {
    if (v.kind != SV::Event && v.kind != SV::Pair) return v;
    tmp = force(v);
    return tmp;
  }
  static std::string describe(const SV& v) { return kind_name(v.kind); }
  static const std::string* tag_name(const SV& v) { return v.kind == SV::Tag ? v.tag.get() : nullptr; }
  static const std::vector<SV>* tuple_members(const SV& v) { return v.kind == SV::Tuple ? v.elems.get() : nullptr; }
  // A match's members must not depend on the execution: the clause taken would.
  std::vector<SV> members(const SV& s, const Pos& pos) {
    std::vector<SV> xs;
    for_each_element(force(s), pos, [&](const SV& x, T g) {
      if (g != T1) unsupported(pos, "match over a set that depends on the execution");
      xs.push_back(x);
    });
    return xs;
  }
  bool has_variant(const std::string& name) const { return m_.variants.count(name) > 0; }
  bool equal_sets(const SV& a0, const SV& b0, const Pos& pos) {
    SV a = force(a0), b = force(b0);
    if (!constant(a) || !constant(b)) unsupported(pos, "if on sets that depend on the execution");
    if (is_empty_value(a) || is_empty_value(b)) return is_empty_value(a) && is_empty_value(b);
    return compare(a, b) == 0;
  }
  bool member(const SV& x, const SV& s, const Pos& pos) {
    bool found = false;
    for_each_element(force(s), pos, [&](const SV& y, T g) {
      if (compare(y, x) == 0) {
        if (g != T1) unsupported(pos, "`in` on a set that depends on the execution");
        found = true;
      }
    });
    return found;
  }

  // Kernels over Term-valued sets and matrices.
  SV identity() { return SV::of_rel(a_.identity()); }
  SV no_pairs() { return SV::of_rel(a_.empty_rel()); }
  SV rel_unary(Op1 op, const SV& v) {
    const SRel& r = *v.rel;
    switch (op) {
      case Op1::Star: return SV::of_rel(a_.star(r));
      case Op1::Plus: return SV::of_rel(a_.plus(r));
      case Op1::Opt: return SV::of_rel(a_.optional(r));
      case Op1::Inverse: return SV::of_rel(a_.inverse(r));
      case Op1::Complement: return SV::of_rel(a_.complement(r));
      case Op1::ToId: break;
    }
    SRel d = a_.empty_rel();
    for (size_t i = 0; i < n_; ++i) d.at(i, i) = r.at(i, i);
    return SV::of_rel(std::move(d));
  }
  SV set_complement(const SV& s) { return SV::of_set(a_.complement(*s.set)); }
  SV id_on(const SV& s) { return SV::of_rel(a_.id_on(*s.set)); }
  SV cross(const SV& a, const SV& b) { return SV::of_rel(a_.cross(*a.set, *b.set)); }
  SV compose(const SV& a, const SV& b) { return SV::of_rel(a_.compose(*a.rel, *b.rel)); }
  SV set_op(Op2 op, const SV& a, const SV& b) {
    return SV::of_set(op == Op2::Union   ? a_.unite(*a.set, *b.set)
                      : op == Op2::Inter ? a_.inter(*a.set, *b.set)
                                         : a_.diff(*a.set, *b.set));
  }
  SV rel_op(Op2 op, const SV& a, const SV& b) {
    return SV::of_rel(op == Op2::Union   ? a_.unite(*a.rel, *b.rel)
                      : op == Op2::Inter ? a_.inter(*a.rel, *b.rel)
                                         : a_.diff(*a.rel, *b.rel));
  }
  // Sets of values with guards: a member of a union is in either; of an intersection, in both.
  SV vset_op(Op2 op, const SV& a, const SV& b) {
    std::vector<SV> xs;
    std::vector<T> gs;
    const auto &ax = *a.elems, &bx = *b.elems;
    const auto &ag = *a.guards, &bg = *b.guards;
    auto guard_in_b = [&](const SV& x) -> T {
      for (size_t k = 0; k < bx.size(); ++k)
        if (compare(bx[k], x) == 0) return bg[k];
      return F0;
    };
    if (op == Op2::Union) {
      xs = ax, gs = ag;
      xs.insert(xs.end(), bx.begin(), bx.end());
      gs.insert(gs.end(), bg.begin(), bg.end());
    } else {
      for (size_t k = 0; k < ax.size(); ++k) {
        T gb = guard_in_b(ax[k]);
        xs.push_back(ax[k]);
        gs.push_back(op == Op2::Inter ? t_.and2(ag[k], gb) : t_.and2(ag[k], t_.not1(gb)));
      }
    }
    return vset(std::move(xs), std::move(gs));
  }
  SV singleton(const SV& x) { return set_of({x}, {}); }
  SV insert(const SV& s, const SV& e) {
    if (s.kind == SV::Set && e.kind == SV::Event) {
      SSet x = *s.set;
      x.v[e.i] = T1;
      return SV::of_set(std::move(x));
    }
    if (s.kind == SV::Rel && e.kind == SV::Pair) {
      SRel r = *s.rel;
      r.at(e.i, e.j) = T1;
      return SV::of_rel(std::move(r));
    }
    std::vector<SV> xs;
    std::vector<T> gs;
    for_each_element(s, Pos{}, [&](const SV& x, T g) { xs.push_back(x), gs.push_back(g); });
    xs.push_back(e);
    gs.push_back(T1);
    return s.kind == SV::VSet ? vset(std::move(xs), std::move(gs)) : set_of(std::move(xs), std::move(gs));
  }

  bool constant(const SV& v) {
    if (v.kind == SV::Set) return a_.is_constant(*v.set);
    if (v.kind == SV::Rel) return a_.is_constant(*v.rel);
    if (v.kind == SV::VSet)
      for (T g : *v.guards)
        if (g != T1) return false;
    return true;
  }

  bool is_empty_value(const SV& v) {
    if (v.kind == SV::Empty) return true;
    if (v.kind == SV::Set) return std::all_of(v.set->v.begin(), v.set->v.end(), [](T x) { return x == F0; });
    if (v.kind == SV::Rel) return std::all_of(v.rel->m.begin(), v.rel->m.end(), [](T x) { return x == F0; });
    return false;
  }

  bool cond(const Cond& c, const SFrameP& frame) { return cat::ops::cond(*this, c, frame); }

  SV apply(const SV& f, const SV& arg, const Pos& pos) {
    if (f.kind == SV::Fun) return cat::ops::apply_closure(*this, *f.fun, f.env, arg, pos);
    if (f.kind == SV::Builtin) {
      std::vector<SV> args = f.elems ? *f.elems : std::vector<SV>{};
      args.push_back(arg);
      if (int(args.size()) == f.builtin->arity) return (this->*(f.builtin->fn))(args, pos);
      SV v = f;
      v.elems = std::make_shared<const std::vector<SV>>(std::move(args));
      return v;
    }
    throw cat::Error(pos, std::string("expected a function, found ") + kind_name(f.kind));
  }

  SV force(const SV& v) {
    if (v.kind == SV::Event) {
      SSet s = a_.empty_set();
      s.v[v.i] = T1;
      return SV::of_set(std::move(s));
    }
    if (v.kind == SV::Pair) {
      SRel r = a_.empty_rel();
      r.at(v.i, v.j) = T1;
      return SV::of_rel(std::move(r));
    }
    return v;
  }

  SV unary(Op1 op, const SV& v, const Pos& pos) { return cat::ops::unary_op(*this, op, v, pos); }
  SV binary(Op2 op, const SV& a, const SV& b, const Pos& pos) { return cat::ops::binary_op(*this, op, a, b, pos); }

  // ------------------------------------------------------------ builtins

  SSet need_set(const SV& v0, const Pos& pos, const char* fn) {
    SV v = force(v0);
    if (v.kind == SV::Set) return *v.set;
    if (v.kind == SV::Empty) return a_.empty_set();
    throw cat::Error(pos, std::string(fn) + ": expected an event set, found " + kind_name(v.kind));
  }
  SRel need_rel(const SV& v0, const Pos& pos, const char* fn) {
    SV v = force(v0);
    if (v.kind == SV::Rel) return *v.rel;
    if (v.kind == SV::Empty) return a_.empty_rel();
    throw cat::Error(pos, std::string(fn) + ": expected a relation, found " + kind_name(v.kind));
  }

 public:
  SV b_domain(const std::vector<SV>& a, const Pos& pos) { return SV::of_set(a_.domain(need_rel(a[0], pos, "domain"))); }
  SV b_range(const std::vector<SV>& a, const Pos& pos) { return SV::of_set(a_.range(need_rel(a[0], pos, "range"))); }
  SV values_filter(const SV& v, const Pos& pos, bool different, const char* fn) {
    SRel r = need_rel(v, pos, fn);
    if (!b_.same_value) unsupported(pos, fn);
    for (size_t i = 0; i < n_; ++i)
      for (size_t j = 0; j < n_; ++j) {
        T& x = r.at(i, j);
        if (x == F0) continue;
        T same = b_.same_value(i, j);
        x = t_.and2(x, different ? t_.not1(same) : same);
      }
    return SV::of_rel(std::move(r));
  }
  SV b_different_values(const std::vector<SV>& a, const Pos& pos) { return values_filter(a[0], pos, true, "different-values"); }
  SV b_same_values(const std::vector<SV>& a, const Pos& pos) { return values_filter(a[0], pos, false, "same-values"); }
  SV b_classes_loc(const std::vector<SV>& a, const Pos& pos) {
    SSet s = need_set(a[0], pos, "classes-loc");
    const SRel& loc = base_rel("loc");
    if (!a_.is_constant(s) || !a_.is_constant(loc)) unsupported(pos, "classes-loc over computed addresses");
    std::vector<SV> out;
    std::vector<char> left(n_);
    for (size_t i = 0; i < n_; ++i) left[i] = s.v[i] == T1;
    for (size_t i = 0; i < n_; ++i) {
      if (!left[i]) continue;
      SSet cls = a_.empty_set();
      for (size_t j = 0; j < n_; ++j)
        if (left[j] && (j == i || loc.at(i, j) == T1)) cls.v[j] = T1, left[j] = 0;
      out.push_back(SV::of_set(std::move(cls)));
    }
    return vset(std::move(out), {});
  }
  SV b_linearisations(const std::vector<SV>& a, const Pos& pos) {
    SV v = b_generate_orders(a, pos);
    v.i = 0;  // one class: all of the set
    return v;
  }
  SV b_cross(const std::vector<SV>& a, const Pos& pos) {
    const SV& s = a[0];
    if (s.kind == SV::Empty) return vset({SV::of_rel(a_.empty_rel())}, {});
    if (s.kind != SV::VSet) throw cat::Error(pos, "cross: expected a set of sets of relations");
    for (auto& c : *s.elems)
      if (c.kind != SV::VSet && c.kind != SV::Empty) throw cat::Error(pos, "cross: expected a set of sets of relations");
    SV v;
    v.kind = SV::Product;
    v.elems = s.elems;
    v.guards = s.guards;
    return v;
  }
  SV b_generate_orders(const std::vector<SV>& a, const Pos& pos) {
    const auto& t = destructure(a[0], 2, pos);
    SV v;
    v.kind = SV::Orders;
    v.i = 1;  // per location
    v.elems = std::make_shared<const std::vector<SV>>(std::vector<SV>{SV::of_set(need_set(t[0], pos, "generate_orders")),
                                                                       SV::of_rel(need_rel(t[1], pos, "generate_orders"))});
    return v;
  }
  SV b_map(const std::vector<SV>& a, const Pos& pos) {
    std::vector<SV> out;
    std::vector<T> gs;
    for_each_element(force(a[1]), pos, [&](const SV& x, T g) {
      out.push_back(apply(a[0], x, pos));
      gs.push_back(g);
    });
    return set_of(std::move(out), std::move(gs));
  }

 private:
  const cat::Model& m_;
  const SymBase& b_;
  Terms& t_;
  Alg a_;
  size_t n_;
  std::vector<SV> globals_;
  std::vector<std::optional<SV>> free_;
  std::vector<SFrameP> rec_frames_;
  std::map<std::string, SRel> empty_rels_;
  SymOutcome out_;
};

const SBuiltin kBuiltins[] = {
    {"domain", 1, &SymEval::b_domain},
    {"range", 1, &SymEval::b_range},
    {"different-values", 1, &SymEval::b_different_values},
    {"same-values", 1, &SymEval::b_same_values},
    {"classes-loc", 1, &SymEval::b_classes_loc},
    {"linearisations", 1, &SymEval::b_linearisations},
    {"cross", 1, &SymEval::b_cross},
    {"generate_orders", 1, &SymEval::b_generate_orders},
    {"map", 2, &SymEval::b_map},
};

SV SymEval::free_value(int idx, const Pos& pos) {
  auto& cached = free_[size_t(idx)];
  if (cached) return *cached;
  const std::string& name = m_.free_names[size_t(idx)];
  if (auto it = b_.rels.find(name); it != b_.rels.end()) return *(cached = SV::of_rel(it->second));
  if (auto it = b_.sets.find(name); it != b_.sets.end()) return *(cached = SV::of_set(it->second));
  if (name == "id") return *(cached = SV::of_rel(a_.identity()));
  if (name == "M") {
    SSet m = a_.empty_set();
    if (auto it = b_.sets.find("R"); it != b_.sets.end()) m = a_.unite(m, it->second);
    if (auto it = b_.sets.find("W"); it != b_.sets.end()) m = a_.unite(m, it->second);
    return *(cached = SV::of_set(std::move(m)));
  }
  for (auto* s : kDefaultSets)
    if (name == s) return *(cached = SV::of_set(a_.empty_set()));
  for (auto* s : kDefaultRels)
    if (name == s) return *(cached = SV::of_rel(a_.empty_rel()));
  for (auto& b : kBuiltins)
    if (name == b.name) {
      SV v;
      v.kind = SV::Builtin;
      v.builtin = &b;
      return *(cached = v);
    }
  throw cat::Error(pos, "unbound name '" + name + "'");
}

}  // namespace

SymOutcome evaluate_symbolic(const cat::Model& model, const SymBase& base, Terms& terms) {
  SymEval ev(model, base, terms);
  return ev.run();
}

}  // namespace paddock::smt
