#include "minimize/constructs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>

namespace paddock::minimize {

namespace {

size_t offset_of(const std::string& text, Pos p) {
  size_t off = 0;
  for (int line = 1; line < p.line && off < text.size(); ++line) {
    size_t nl = text.find('\n', off);
    if (nl == std::string::npos) return text.size();
    off = nl + 1;
  }
  // Columns count characters; a tab is one.
  return std::min(text.size(), off + size_t(std::max(p.col, 1) - 1));
}

// The arguments of the call whose '(' is at `open`, split at top-level commas; `close` gets the ')' offset.
std::vector<std::string> split_args(const std::string& text, size_t open, size_t& close) {
  std::vector<std::string> args;
  int depth = 0;
  size_t start = open + 1;
  for (size_t i = open; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(') ++depth;
    else if (c == ')') {
      if (--depth == 0) {
        close = i;
        std::string a = text.substr(start, i - start);
        if (a.find_first_not_of(" \t\n") != std::string::npos || !args.empty()) args.push_back(a);
        break;
      }
    } else if (c == ',' && depth == 1) {
      args.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  for (auto& a : args) {
    a.erase(0, a.find_first_not_of(" \t\n"));
    a.erase(a.find_last_not_of(" \t\n") + 1);
  }
  return args;
}

bool ends_with(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

std::string deref(const std::string& p) {
  bool ident = !p.empty() && (std::isalpha(static_cast<unsigned char>(p[0])) || p[0] == '_');
  for (char c : p) ident = ident && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
  return ident ? "*" + p : "*(" + p + ")";
}

std::string call(const std::string& name, const std::vector<std::string>& args) {
  std::string s = name + "(";
  for (size_t k = 0; k < args.size(); ++k) s += (k ? ", " : "") + args[k];
  return s + ")";
}

void walk_expr(const litmus::ExprPtr& e, const std::function<void(const litmus::Expr&)>& f) {
  if (!e) return;
  if (e->kind == litmus::Expr::Kind::Call) f(*e);
  for (const auto& a : e->args) walk_expr(a, f);
}

void walk_stmt(const litmus::StmtPtr& s, const std::function<void(const litmus::Expr&)>& f) {
  if (!s) return;
  for (const auto* e : {&s->lhs, &s->rhs, &s->cond, &s->expr, &s->init}) walk_expr(*e, f);
  for (const auto& b : s->body) walk_stmt(b, f);
}

}  // namespace

std::vector<Construct> find_constructs(const litmus::Test& test, const std::string& text,
                                       const program::MacroTable& macros) {
  std::vector<Construct> out;
  auto defined = [&](const std::string& n) { return macros.find(n) != nullptr; };
  for (const auto& th : test.threads) {
    walk_stmt(th.body, [&](const litmus::Expr& e) {
      const std::string& n = e.name;
      size_t begin = offset_of(text, e.pos);
      if (text.compare(begin, n.size(), n) != 0) {
        size_t found = text.find(n, begin >= 200 ? begin - 200 : 0);  // tolerate column conventions
        if (found == std::string::npos) return;
        begin = found;
      }
      size_t open = text.find('(', begin + n.size());
      if (open == std::string::npos || text.find_first_not_of(" \t", begin + n.size()) != open) return;
      size_t close = std::string::npos;
      std::vector<std::string> args = split_args(text, open, close);
      if (close == std::string::npos) return;
      Construct c;
      c.thread = th.id;
      c.pos = e.pos;
      c.begin = begin;
      c.end = close + 1;
      c.text = text.substr(begin, c.end - begin);
      c.levels.push_back({n, c.text, {}});
      auto add = [&](const std::string& name, const std::string& repl) {
        c.levels.push_back({name, repl, {}});
        return int(c.levels.size() - 1);
      };
      if (n == "smp_mb" && defined("smp_wmb") && defined("smp_rmb")) {
        int w = add("smp_wmb", "smp_wmb()"), r = add("smp_rmb", "smp_rmb()"), none = add("nothing", "");
        c.levels[0].weaker = {w, r};
        c.levels[size_t(w)].weaker = {none};
        c.levels[size_t(r)].weaker = {none};
      } else if (n == "smp_wmb" || n == "smp_rmb" || n == "smp_mb" || n.rfind("smp_mb__", 0) == 0) {
        c.levels[0].weaker = {add("nothing", "")};
      } else if (n == "smp_store_release" && args.size() == 2) {
        c.levels[0].weaker = {add("WRITE_ONCE", call("WRITE_ONCE", {deref(args[0]), args[1]}))};
      } else if (n == "smp_load_acquire" && args.size() == 1) {
        c.levels[0].weaker = {add("READ_ONCE", call("READ_ONCE", {deref(args[0])}))};
      } else if (n == "smp_store_mb" && args.size() == 2) {
        c.levels[0].weaker = {add("WRITE_ONCE", call("WRITE_ONCE", args))};
      } else if (n == "atomic_read_acquire" && defined("atomic_read")) {
        c.levels[0].weaker = {add("atomic_read", call("atomic_read", args))};
      } else if (n == "atomic_set_release" && defined("atomic_set")) {
        c.levels[0].weaker = {add("atomic_set", call("atomic_set", args))};
      } else if ((ends_with(n, "_acquire") || ends_with(n, "_release")) &&
                 defined(n.substr(0, n.size() - 8) + "_relaxed")) {
        std::string r = n.substr(0, n.size() - 8) + "_relaxed";
        c.levels[0].weaker = {add(r, call(r, args))};
      } else if (defined(n + "_acquire") && defined(n + "_release") && defined(n + "_relaxed")) {
        // A fully ordered RMW (xchg, cmpxchg, atomic_add_return, atomic_fetch_or, ...).
        int a = add(n + "_acquire", call(n + "_acquire", args)), rl = add(n + "_release", call(n + "_release", args));
        int rx = add(n + "_relaxed", call(n + "_relaxed", args));
        c.levels[0].weaker = {a, rl};
        c.levels[size_t(a)].weaker = {rx};
        c.levels[size_t(rl)].weaker = {rx};
      } else {
        return;
      }
      size_t L = c.levels.size();
      c.leq.assign(L, std::vector<bool>(L, false));
      std::function<void(size_t, size_t)> mark = [&](size_t top, size_t i) {
        c.leq[i][top] = true;
        for (int w : c.levels[i].weaker) mark(top, size_t(w));
      };
      for (size_t j = 0; j < L; ++j) mark(j, j);
      out.push_back(std::move(c));
    });
  }
  std::sort(out.begin(), out.end(), [](const Construct& a, const Construct& b) { return a.begin < b.begin; });
  // A construct inside another's arguments would be edited twice: keep the outer one.
  std::vector<Construct> flat;
  for (auto& c : out)
    if (flat.empty() || c.begin >= flat.back().end) flat.push_back(std::move(c));
  return flat;
}

std::string apply(const std::string& text, const std::vector<Construct>& cs, const std::vector<int>& levels) {
  std::string out;
  size_t at = 0;
  for (size_t k = 0; k < cs.size(); ++k) {
    out += text.substr(at, cs[k].begin - at);
    out += cs[k].levels[size_t(levels[k])].text;
    at = cs[k].end;
  }
  return out + text.substr(at);
}

std::string diff_line(const std::vector<Construct>& cs, const std::vector<int>& levels) {
  std::string out;
  for (size_t k = 0; k < cs.size(); ++k) {
    if (levels[k] == 0) continue;
    const Level& l = cs[k].levels[size_t(levels[k])];
    out += fmt::format("{}{}:{} {} -> {}", out.empty() ? "" : "; ", cs[k].pos.line, cs[k].pos.col, cs[k].text,
                       l.text.empty() ? "(removed)" : l.text);
  }
  return out.empty() ? "unchanged" : out;
}

}  // namespace paddock::minimize
