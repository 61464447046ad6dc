// Static scoping: every variable becomes a global slot, a (depth, index) in the local frames, or a free
// name (candidate set/relation, builtin) looked up at evaluation time. Free names that no engine can
// define are refused here, at model load, so a misspelt relation or a plain `let` that refers to itself is
// reported before any test runs (not when the first candidate reaches it).
#include <algorithm>
#include <unordered_map>

#include "cat/builtins.hpp"
#include "cat/error.hpp"
#include "cat/model.hpp"

namespace paddock::cat {

namespace {

class Resolver {
 public:
  Resolver(Model& m, const std::vector<std::string>& extra) : m_(m), extra_(extra) {}

  void run() {
    for (auto& s : m_.stmts) stmt(*s);
    m_.num_globals = next_global_;
    m_.top_names = globals_;
    check_free_names();
  }

 private:
  struct Frame {
    std::vector<std::string> names;
  };

  int new_global(const std::string& name, const Pos* at = nullptr) {
    int slot = next_global_++;
    if (!name.empty()) {
      globals_[name] = slot;
      if (at) top_binding_pos_.emplace(name, *at);
    }
    return slot;
  }

  // Binds `name` in the innermost local frame if any, else as a global; returns the slot.
  int bind(const std::string& name, bool& local, const Pos* at = nullptr) {
    if (!frames_.empty()) {
      local = true;
      frames_.back().names.push_back(name);
      return int(frames_.back().names.size()) - 1;
    }
    local = false;
    return new_global(name, at);
  }

  // The relations every engine's candidate carries (events/structure.cpp, exec and smt engines), and what the
  // evaluator supplies itself. Sets are not listed: any capitalised name may be an event set a test's
  // annotations or an architecture's lowering defines (a tag 'once gives Once, X86's MFENCE gives MFENCE).
  static bool engine_name(const std::string& name) {
    static const char* const kRels[] = {"po",   "rf",   "loc",       "int",      "ext", "rmw",
                                        "addr", "data", "ctrl", "iico_data", "iico_ctrl", "id"};
    for (const char* r : kRels)
      if (name == r) return true;
    if (find_builtin(name)) return true;
    return !name.empty() && !(name[0] >= 'a' && name[0] <= 'z');
  }

  // A free name that no engine defines is an error; when the model binds it later at the top level, it is a
  // forward reference (a plain `let` sees only what precedes it, itself excluded), which herd finds unbound
  // too. Engine names may be rebound from themselves (`let po = po & ...`, x86tso.cat's `let X = X | ...`).
  void check_free_names() {
    for (const auto& name : m_.free_names) {
      auto use = first_use_.find(name);
      if (use == first_use_.end() || engine_name(name)) continue;
      if (std::find(extra_.begin(), extra_.end(), name) != extra_.end()) continue;
      const Pos& pos = use->second;
      if (auto later = top_binding_pos_.find(name); later != top_binding_pos_.end())
        throw Error(pos, "'" + name + "' is used before its definition at " + later->second.str() +
                             " (a plain `let` sees only earlier bindings, not itself: write `let rec` for a "
                             "recursive definition)");
      throw Error(pos, "unknown identifier '" + name + "' (defined neither by the model nor by the engine)");
    }
  }

  // Inside `try e with ...` an unbound name is herd's way of asking "is it defined?": not an error.
  void note_use(const std::string& name, const Pos& pos, const VarRef& r) {
    if (r.kind == VarRef::Free && try_depth_ == 0) first_use_.emplace(name, pos);
  }

  VarRef lookup(const std::string& name) {
    VarRef r;
    for (int d = 0; d < int(frames_.size()); ++d) {
      auto& f = frames_[frames_.size() - 1 - size_t(d)];
      for (int i = int(f.names.size()) - 1; i >= 0; --i)
        if (f.names[size_t(i)] == name) {
          r.kind = VarRef::Local;
          r.depth = d;
          r.index = i;
          return r;
        }
    }
    if (auto it = globals_.find(name); it != globals_.end()) {
      r.kind = VarRef::Global;
      r.index = it->second;
      return r;
    }
    r.kind = VarRef::Free;
    auto it = free_.find(name);
    if (it == free_.end()) {
      it = free_.emplace(name, int(m_.free_names.size())).first;
      m_.free_names.push_back(name);
    }
    r.index = it->second;
    return r;
  }

  void pattern_names(const Pattern& p, std::vector<std::string>& out) {
    for (auto& n : p.names) out.push_back(n);
    if (p.names.empty()) return;
  }

  void stmts_in_frame(std::vector<StmtP>& body) {
    for (auto& s : body) stmt(*s);
  }

  void stmt(Stmt& s) {
    switch (s.kind) {
      case Stmt::Let: {
        for (auto& b : s.binds) expr(*b.rhs);
        s.slots.clear();
        for (auto& b : s.binds)
          for (auto& n : b.pat.names) s.slots.push_back(bind(n, s.local, &s.pos));
        break;
      }
      case Stmt::LetRec: {
        s.slots.clear();
        for (auto& b : s.binds)
          for (auto& n : b.pat.names) s.slots.push_back(bind(n, s.local));
        for (auto& b : s.binds) expr(*b.rhs);
        break;
      }
      case Stmt::Check:
      case Stmt::Debug:
        expr(*s.expr);
        break;
      case Stmt::Show:
        if (s.expr) expr(*s.expr);
        break;
      case Stmt::With: {
        expr(*s.expr);
        if (!frames_.empty()) throw Error(s.pos, "expected `with` at the top level, found it inside a procedure");
        s.slots = {new_global(s.name)};
        break;
      }
      case Stmt::Procedure: {
        // The procedure name is visible in its own body only if `rec`; keep it simple: bind first.
        s.slots = {bind(s.name, s.local)};
        frames_.push_back(Frame{});
        pattern_names(s.pat, frames_.back().names);
        stmts_in_frame(s.body);
        s.frame_size = int(frames_.back().names.size());
        frames_.pop_back();
        break;
      }
      case Stmt::Call:
        s.proc = lookup(s.name);
        note_use(s.name, s.pos, s.proc);
        expr(*s.expr);
        break;
      case Stmt::Forall: {
        expr(*s.expr);
        frames_.push_back(Frame{{s.name}});
        stmts_in_frame(s.body);
        s.frame_size = int(frames_.back().names.size());
        frames_.pop_back();
        break;
      }
      case Stmt::Enum: {
        // The enum name is bound to its set of tags; each tag 't gives the event set "T" (first letter
        // upper-cased), empty when no event carries it.
        s.slots.clear();
        s.slots.push_back(bind(s.name, s.local));
        for (auto& t : s.names) s.slots.push_back(bind(tag_set_name(t), s.local));
        break;
      }
      case Stmt::Unshow:
      case Stmt::Instructions:
        break;
      case Stmt::Include:
      case Stmt::IfVariant:
        throw Error(s.pos, "internal: unexpanded include/if");
    }
  }

  void cond(Cond& c) {
    if (c.kind == Cond::Variant) m_.tested_variants.insert(c.variant);
    if (c.a) expr(*c.a);
    if (c.b) expr(*c.b);
  }

  void expr(Expr& e) {
    switch (e.kind) {
      case Expr::Empty:
      case Expr::Universe:
      case Expr::Tag:
        break;
      case Expr::Var:
        e.ref = lookup(e.name);
        note_use(e.name, e.pos, e.ref);
        break;
      case Expr::Set:
      case Expr::Tuple:
        for (auto& x : e.elems) expr(*x);
        break;
      case Expr::Unary:
        expr(*e.a);
        break;
      case Expr::Binary:
      case Expr::App:
        expr(*e.a);
        expr(*e.b);
        break;
      case Expr::Try:
        ++try_depth_;
        expr(*e.a);
        --try_depth_;
        expr(*e.b);
        break;
      case Expr::If:
        cond(*e.cond);
        expr(*e.a);
        expr(*e.b);
        break;
      case Expr::Let: {
        for (auto& b : e.binds) expr(*b.rhs);
        frames_.push_back(Frame{});
        for (auto& b : e.binds) pattern_names(b.pat, frames_.back().names);
        e.frame_size = int(frames_.back().names.size());
        expr(*e.a);
        frames_.pop_back();
        break;
      }
      case Expr::LetRec: {
        frames_.push_back(Frame{});
        for (auto& b : e.binds) pattern_names(b.pat, frames_.back().names);
        e.frame_size = int(frames_.back().names.size());
        for (auto& b : e.binds) expr(*b.rhs);
        expr(*e.a);
        frames_.pop_back();
        break;
      }
      case Expr::Fun: {
        frames_.push_back(Frame{});
        pattern_names(e.pat, frames_.back().names);
        e.frame_size = int(frames_.back().names.size());
        expr(*e.a);
        frames_.pop_back();
        break;
      }
      case Expr::MatchSet: {
        expr(*e.a);
        expr(*e.b);
        frames_.push_back(Frame{{e.name, e.name2}});
        e.frame_size = 2;
        expr(*e.c);
        frames_.pop_back();
        break;
      }
      case Expr::MatchTag:
        expr(*e.a);
        for (auto& x : e.elems) expr(*x);
        if (e.b) expr(*e.b);
        break;
    }
  }

  Model& m_;
  const std::vector<std::string>& extra_;
  int try_depth_ = 0;
  std::vector<Frame> frames_;
  std::unordered_map<std::string, int> globals_;
  std::unordered_map<std::string, int> free_;
  std::unordered_map<std::string, Pos> first_use_;        // free names: where first read
  std::unordered_map<std::string, Pos> top_binding_pos_;  // names bound by a top-level let: the first such let
  int next_global_ = 0;

 public:
  static std::string tag_set_name(const std::string& t) {
    std::string s = t;
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
    return s;
  }
};

}  // namespace

void resolve_model(Model& m, const std::vector<std::string>& engine_names) { Resolver(m, engine_names).run(); }

}  // namespace paddock::cat
