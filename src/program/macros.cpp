#include "program/macros.hpp"

#include <fmt/format.h>

#include <cctype>

#include "util/embedded.hpp"

namespace paddock::program {

using litmus::Expr;
using litmus::ExprPtr;
using litmus::Stmt;
using litmus::StmtPtr;

namespace {

bool ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// ASCII whitespace and `//` comments only, the usual preamble of a table: it parses as nothing, so the parser
// (whose first use in a process is costly) need not run on it.
bool blank_or_line_comments(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    if (c != '/' || i + 1 >= s.size() || s[i + 1] != '/') return false;
    for (; i < s.size() && s[i] != '\n'; ++i)
      if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  }
  return true;
}

}  // namespace

// An entry starts on a line, outside braces and comments, with `NAME(`.
MacroTable MacroTable::from_text(const std::string& text, const std::string& origin) {
  MacroTable t;
  t.origin_ = origin;
  int depth = 0, line = 1;
  bool in_block_comment = false;
  std::string cur_name, cur_text;
  auto flush = [&] {
    if (!cur_name.empty()) t.chunks_[cur_name] = Chunk{cur_text, nullptr};
    cur_name.clear();
    cur_text.clear();
  };
  size_t pos = 0;
  std::string preamble;  // text before the first entry: must parse as nothing but comments
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string l = text.substr(pos, eol == std::string::npos ? std::string::npos : eol - pos + 1);
    pos = eol == std::string::npos ? text.size() : eol + 1;
    size_t first = l.find_first_not_of(" \t");
    if (depth == 0 && !in_block_comment && first != std::string::npos && ident_start(l[first])) {
      size_t e = first;
      while (e < l.size() && ident_char(l[e])) ++e;
      size_t p = l.find_first_not_of(" \t", e);
      if (p != std::string::npos && l[p] == '(') {
        flush();
        cur_name = l.substr(first, e - first);
        cur_text = std::string(size_t(line - 1), '\n');
      }
    }
    // Track braces outside comments so multi-line blocks stay in one entry.
    for (size_t i = 0; i < l.size(); ++i) {
      if (in_block_comment) {
        if (l.compare(i, 2, "*/") == 0) in_block_comment = false, ++i;
        continue;
      }
      if (l.compare(i, 2, "//") == 0) break;
      if (l.compare(i, 2, "/*") == 0) in_block_comment = true, ++i;
      else if (l[i] == '{') ++depth;
      else if (l[i] == '}') --depth;
    }
    if (cur_name.empty()) preamble += l;
    else cur_text += l;
    ++line;
  }
  flush();
  // Text outside any entry (other than comments) is an error in the table itself.
  if (!blank_or_line_comments(preamble) && !litmus::parse_def(preamble, origin).empty())
    throw UserError(origin, {1, 1}, "expected a macro definition NAME(ARGS) ...");
  return t;
}

const MacroTable& MacroTable::bundled() {
  static const MacroTable table = from_text(*embedded_file("linux-kernel.def"), "<bundled>/linux-kernel.def");
  return table;
}

const litmus::MacroDef* MacroTable::find(const std::string& name) const {
  auto it = chunks_.find(name);
  if (it == chunks_.end()) return nullptr;
  std::lock_guard<std::mutex> lock(*mu_);
  Chunk& c = const_cast<Chunk&>(it->second);
  if (!c.def) {
    auto defs = litmus::parse_def(c.text, origin_);
    if (defs.size() != 1 || defs[0].name != name)
      throw UserError(origin_, {}, fmt::format("the definition of macro '{}' does not parse as one entry", name));
    c.def = std::make_shared<litmus::MacroDef>(std::move(defs[0]));
  }
  return c.def.get();
}

std::vector<std::string> MacroTable::names() const {
  std::vector<std::string> out;
  for (const auto& [n, c] : chunks_) out.push_back(n);
  return out;
}

void MacroTable::parse_all() const {
  for (const auto& [n, c] : chunks_) find(n);
}

const Primitive* find_primitive(const std::string& name) {
  static const Primitive prims[] = {
      {"__load", 1, true},          {"__store", 2, true},         {"__fence", -1, true},
      {"__xchg", 2, true},          {"__cmpxchg", 3, true},       {"__atomic_op", 3, true},
      {"__atomic_op_return", 3, true}, {"__atomic_fetch_op", 3, true}, {"__atomic_add_unless", 3, true},
      {"__lock", 1, false},         {"__unlock", 1, false},       {"__trylock", 1, false},
      {"__islocked", 1, false},     {"__srcu", 1, true},
  };
  for (auto& p : prims)
    if (name == p.name) return &p;
  return nullptr;
}

namespace {

constexpr int kMaxDepth = 32;  // a macro table that recurses deeper than this is cyclic

class Expander {
 public:
  Expander(const MacroTable& m, std::string file) : macros_(m), file_(std::move(file)) {}

  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(file_, pos, msg); }

  // Replaces macro parameters by the call's arguments.
  static ExprPtr subst(const ExprPtr& e, const std::map<std::string, ExprPtr>& env) {
    if (e->kind == Expr::Kind::Var) {
      auto it = env.find(e->name);
      return it == env.end() ? e : it->second;
    }
    if (e->args.empty()) return e;
    auto c = std::make_shared<Expr>(*e);
    for (auto& a : c->args) a = subst(a, env);
    return c;
  }

  static StmtPtr subst(const StmtPtr& s, const std::map<std::string, ExprPtr>& env) {
    auto c = std::make_shared<Stmt>(*s);
    for (auto* p : {&c->lhs, &c->rhs, &c->cond, &c->expr, &c->init})
      if (*p) *p = subst(*p, env);
    for (auto& b : c->body) b = subst(b, env);
    return c;
  }

  const litmus::MacroDef& lookup(const Expr& call) const {
    const auto* d = macros_.find(call.name);
    if (!d)
      fail(call.pos, fmt::format("unknown macro '{}' (macros read from {})", call.name, macros_.origin()));
    if (d->params.size() != call.args.size())
      fail(call.pos, fmt::format("macro '{}' takes {} argument(s), found {} (macros read from {})", call.name,
                                 d->params.size(), call.args.size(), macros_.origin()));
    return *d;
  }

  std::map<std::string, ExprPtr> bind(const litmus::MacroDef& d, const Expr& call) const {
    std::map<std::string, ExprPtr> env;
    for (size_t i = 0; i < d.params.size(); ++i) env[d.params[i]] = call.args[i];
    return env;
  }

  // `depth` counts macro expansions, not the nesting of the test's own expressions (a 5,000-deep parenthesised
  // value is legal): only a macro body expanded inside itself is cyclic.
  ExprPtr expr(const ExprPtr& e, int depth) {
    ExprPtr cur = e;
    if (e->kind == Expr::Kind::Call && !find_primitive(e->name)) {
      if (depth > kMaxDepth) fail(e->pos, fmt::format("macro expansion of '{}' does not terminate", e->name));
      const auto& d = lookup(*e);
      if (!d.expr)
        fail(e->pos, fmt::format("macro '{}' expands to statements and cannot be used as a value", e->name));
      // Arguments are expanded first so that a nested call reports its own position.
      auto call = std::make_shared<Expr>(*e);
      for (auto& a : call->args) a = expr(a, depth);
      return relocate(expr(subst(d.expr, bind(d, *call)), depth + 1), e->pos);
    }
    if (e->kind == Expr::Kind::Call) check_primitive(*e);
    if (cur->args.empty()) return cur;
    auto c = std::make_shared<Expr>(*cur);
    for (auto& a : c->args) a = expr(a, depth);
    return c;
  }

  // Events built from a macro body point at the call in the test, not at the .def table.
  static ExprPtr relocate(const ExprPtr& e, Pos pos) {
    auto c = std::make_shared<Expr>(*e);
    c->pos = pos;
    return c;
  }

  void check_primitive(const Expr& e) const {
    const auto* p = find_primitive(e.name);
    if (p->tagged && !e.has_tag) fail(e.pos, fmt::format("primitive '{}' needs an annotation {{TAG}}", e.name));
    int n = e.has_parens ? int(e.args.size()) : -1;
    if (n != p->arity)
      fail(e.pos, fmt::format("primitive '{}' takes {} argument(s), found {}", e.name, p->arity < 0 ? 0 : p->arity,
                              n < 0 ? 0 : n));
  }

  StmtPtr stmt(const StmtPtr& s, int depth) {
    if (depth > kMaxDepth) fail(s->pos, "macro expansion does not terminate");
    // A statement macro called as a statement: splice its block in.
    if (s->kind == Stmt::Kind::Expr && s->expr->kind == Expr::Kind::Call && !find_primitive(s->expr->name)) {
      const auto& d = lookup(*s->expr);
      if (d.block) {
        auto call = std::make_shared<Expr>(*s->expr);
        for (auto& a : call->args) a = expr(a, depth);
        auto body = subst(d.block, bind(d, *call));
        return relocate(stmt(body, depth + 1), s->pos);
      }
    }
    auto c = std::make_shared<Stmt>(*s);
    for (auto* p : {&c->lhs, &c->rhs, &c->cond, &c->expr, &c->init})
      if (*p) *p = expr(*p, depth);
    for (auto& b : c->body) b = stmt(b, depth);
    return c;
  }

  static StmtPtr relocate(const StmtPtr& s, Pos pos) {
    auto c = std::make_shared<Stmt>(*s);
    c->pos = pos;
    for (auto& b : c->body) b = relocate(b, pos);
    for (auto* p : {&c->lhs, &c->rhs, &c->cond, &c->expr, &c->init})
      if (*p) *p = relocate_deep(*p, pos);
    return c;
  }

  static ExprPtr relocate_deep(const ExprPtr& e, Pos pos) {
    auto c = std::make_shared<Expr>(*e);
    c->pos = pos;
    for (auto& a : c->args) a = relocate_deep(a, pos);
    return c;
  }

 private:
  const MacroTable& macros_;
  std::string file_;
};

}  // namespace

std::vector<StmtPtr> expand(const litmus::Test& test, const MacroTable& macros) {
  Expander x(macros, test.file);
  std::vector<StmtPtr> out;
  for (const auto& t : test.threads) out.push_back(x.stmt(t.body, 0));
  return out;
}

}  // namespace paddock::program
