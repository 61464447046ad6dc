// Static scoping: every variable becomes a global slot, a (depth, index) in the local frames, or a free
// name (candidate set/relation, builtin) looked up at evaluation time.
#include <unordered_map>

#include "cat/error.hpp"
#include "cat/model.hpp"

namespace paddock::cat {

namespace {

class Resolver {
 public:
  explicit Resolver(Model& m) : m_(m) {}

  void run() {
    for (auto& s : m_.stmts) stmt(*s);
    m_.num_globals = next_global_;
    m_.top_names = globals_;
  }

 private:
  struct Frame {
    std::vector<std::string> names;
  };

  int new_global(const std::string& name) {
    int slot = next_global_++;
    if (!name.empty()) globals_[name] = slot;
    return slot;
  }

  // Binds `name` in the innermost local frame if any, else as a global; returns the slot.
  int bind(const std::string& name, bool& local) {
    if (!frames_.empty()) {
      local = true;
      frames_.back().names.push_back(name);
      return int(frames_.back().names.size()) - 1;
    }
    local = false;
    return new_global(name);
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
          for (auto& n : b.pat.names) s.slots.push_back(bind(n, s.local));
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
      case Expr::Try:
        expr(*e.a);
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
  std::vector<Frame> frames_;
  std::unordered_map<std::string, int> globals_;
  std::unordered_map<std::string, int> free_;
  int next_global_ = 0;

 public:
  static std::string tag_set_name(const std::string& t) {
    std::string s = t;
    if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
    return s;
  }
};

}  // namespace

void resolve_model(Model& m) { Resolver(m).run(); }

}  // namespace paddock::cat
