// Layout: "PCAT" version, a string table (count, then each string as length + bytes), the title, then the
// statements. Numbers are LEB128 varints (signed ones zig-zagged); strings are indices into the table. Each
// node starts with its kind, its position (line, column) and a bit mask of the fields that differ from their
// defaults, followed by those fields in a fixed order.
#include "cat/ast_io.hpp"

#include <cstdint>
#include <unordered_map>

#include "cat/error.hpp"

namespace paddock::cat {

namespace {

// A tripwire: a new field in cat/ast.hpp must be written, read and compared here (and kVersion bumped), or the
// bundled models would silently lose it. Sizes on x86-64 with libstdc++.
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(Expr) == 264 && sizeof(Stmt) == 264 && sizeof(Cond) == 56 && sizeof(Binding) == 64 &&
                  sizeof(Pattern) == 32 && sizeof(VarRef) == 12 && sizeof(File) == 88,
              "cat/ast.hpp changed: update the writer, the reader and the comparison in cat/ast_io.cpp");
#endif

constexpr char kMagic[4] = {'P', 'C', 'A', 'T'};
constexpr uint8_t kVersion = 1;

// Field bits of an Expr.
constexpr uint32_t E_NAME = 1u << 0, E_NAME2 = 1u << 1, E_REF = 1u << 2, E_OP1 = 1u << 3, E_OP2 = 1u << 4,
                   E_A = 1u << 5, E_B = 1u << 6, E_C = 1u << 7, E_ELEMS = 1u << 8, E_TAGS = 1u << 9,
                   E_BINDS = 1u << 10, E_PAT = 1u << 11, E_COND = 1u << 12, E_FRAME = 1u << 13;
// Field bits of a Stmt.
constexpr uint32_t S_BINDS = 1u << 0, S_SLOTS = 1u << 1, S_LOCAL = 1u << 2, S_CHECK = 1u << 3, S_TEST = 1u << 4,
                   S_NEG = 1u << 5, S_EXPR = 1u << 6, S_NAME = 1u << 7, S_NAMES = 1u << 8, S_PAT = 1u << 9,
                   S_BODY = 1u << 10, S_ELSE = 1u << 11, S_COND = 1u << 12, S_FRAME = 1u << 13, S_PROC = 1u << 14;
// Field bits of a Cond.
constexpr uint32_t C_VARIANT = 1u << 0, C_A = 1u << 1, C_B = 1u << 2;

class Writer {
 public:
  std::string finish(const File& f) {
    uint32_t title = str(f.title);
    stmts(f.stmts);
    std::string out(kMagic, 4);
    out.push_back(char(kVersion));
    std::string tree;  // the statements, written before the table was complete
    std::swap(tree, body_);
    num(table_.size());
    for (auto& s : table_) {
      num(s.size());
      body_ += s;
    }
    num(title);
    out += body_;
    out += tree;
    return out;
  }

 private:
  void num(uint64_t v) {
    while (v >= 0x80) {
      body_.push_back(char(uint8_t(v) | 0x80));
      v >>= 7;
    }
    body_.push_back(char(v));
  }
  void snum(int64_t v) { num((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }
  uint32_t str(const std::string& s) {
    auto [it, fresh] = index_.emplace(s, uint32_t(table_.size()));
    if (fresh) table_.push_back(s);
    return it->second;
  }
  void put_str(const std::string& s) { num(str(s)); }
  void pos(const Pos& p) {
    snum(p.line);
    snum(p.col);
  }
  void pattern(const Pattern& p) {
    num(p.names.size());
    for (auto& n : p.names) put_str(n);
    num(p.tuple ? 1 : 0);
  }
  void ref(const VarRef& r) {
    num(uint64_t(r.kind));
    snum(r.depth);
    snum(r.index);
  }
  void opt_expr(const ExprP& e) {
    num(e ? 1 : 0);
    if (e) expr(*e);
  }
  void bindings(const std::vector<Binding>& bs) {
    num(bs.size());
    for (auto& b : bs) {
      pos(b.pos);
      pattern(b.pat);
      opt_expr(b.rhs);
    }
  }
  void cond(const Cond& c) {
    num(uint64_t(c.kind));
    uint32_t m = (c.variant.empty() ? 0 : C_VARIANT) | (c.a ? C_A : 0) | (c.b ? C_B : 0);
    num(m);
    if (m & C_VARIANT) put_str(c.variant);
    if (m & C_A) expr(*c.a);
    if (m & C_B) expr(*c.b);
  }
  static bool default_ref(const VarRef& r) { return r.kind == VarRef::Unresolved && r.depth == 0 && r.index == 0; }
  static bool default_pat(const Pattern& p) { return p.names.empty() && !p.tuple; }

  void expr(const Expr& e) {
    num(uint64_t(e.kind));
    pos(e.pos);
    uint32_t m = 0;
    if (!e.name.empty()) m |= E_NAME;
    if (!e.name2.empty()) m |= E_NAME2;
    if (!default_ref(e.ref)) m |= E_REF;
    if (e.op1 != Op1::Star) m |= E_OP1;
    if (e.op2 != Op2::Union) m |= E_OP2;
    if (e.a) m |= E_A;
    if (e.b) m |= E_B;
    if (e.c) m |= E_C;
    if (!e.elems.empty()) m |= E_ELEMS;
    if (!e.tags.empty()) m |= E_TAGS;
    if (!e.binds.empty()) m |= E_BINDS;
    if (!default_pat(e.pat)) m |= E_PAT;
    if (e.cond) m |= E_COND;
    if (e.frame_size != 0) m |= E_FRAME;
    num(m);
    if (m & E_NAME) put_str(e.name);
    if (m & E_NAME2) put_str(e.name2);
    if (m & E_REF) ref(e.ref);
    if (m & E_OP1) num(uint64_t(e.op1));
    if (m & E_OP2) num(uint64_t(e.op2));
    if (m & E_A) expr(*e.a);
    if (m & E_B) expr(*e.b);
    if (m & E_C) expr(*e.c);
    if (m & E_ELEMS) {
      num(e.elems.size());
      for (auto& x : e.elems) opt_expr(x);
    }
    if (m & E_TAGS) {
      num(e.tags.size());
      for (auto& t : e.tags) put_str(t);
    }
    if (m & E_BINDS) bindings(e.binds);
    if (m & E_PAT) pattern(e.pat);
    if (m & E_COND) cond(*e.cond);
    if (m & E_FRAME) snum(e.frame_size);
  }

  void stmts(const std::vector<StmtP>& v) {
    num(v.size());
    for (auto& s : v) stmt(*s);
  }

  void stmt(const Stmt& s) {
    num(uint64_t(s.kind));
    pos(s.pos);
    uint32_t m = 0;
    if (!s.binds.empty()) m |= S_BINDS;
    if (!s.slots.empty()) m |= S_SLOTS;
    if (s.local) m |= S_LOCAL;
    if (s.check != Stmt::Acyclic) m |= S_CHECK;
    if (s.test_type != Stmt::Plain) m |= S_TEST;
    if (s.negated) m |= S_NEG;
    if (s.expr) m |= S_EXPR;
    if (!s.name.empty()) m |= S_NAME;
    if (!s.names.empty()) m |= S_NAMES;
    if (!default_pat(s.pat)) m |= S_PAT;
    if (!s.body.empty()) m |= S_BODY;
    if (!s.else_body.empty()) m |= S_ELSE;
    if (s.cond) m |= S_COND;
    if (s.frame_size != 0) m |= S_FRAME;
    if (!default_ref(s.proc)) m |= S_PROC;
    num(m);
    if (m & S_BINDS) bindings(s.binds);
    if (m & S_SLOTS) {
      num(s.slots.size());
      for (int x : s.slots) snum(x);
    }
    if (m & S_CHECK) num(uint64_t(s.check));
    if (m & S_TEST) num(uint64_t(s.test_type));
    if (m & S_EXPR) expr(*s.expr);
    if (m & S_NAME) put_str(s.name);
    if (m & S_NAMES) {
      num(s.names.size());
      for (auto& n : s.names) put_str(n);
    }
    if (m & S_PAT) pattern(s.pat);
    if (m & S_BODY) stmts(s.body);
    if (m & S_ELSE) stmts(s.else_body);
    if (m & S_COND) cond(*s.cond);
    if (m & S_FRAME) snum(s.frame_size);
    if (m & S_PROC) ref(s.proc);
  }

  std::string body_;
  std::vector<std::string> table_;
  std::unordered_map<std::string, uint32_t> index_;
};

class Reader {
 public:
  Reader(std::string_view in, const std::string& path)
      : p_(reinterpret_cast<const uint8_t*>(in.data())), end_(p_ + in.size()),
        file_(std::make_shared<const std::string>(path)) {}

  File run() {
    if (size_t(end_ - p_) < 5 || std::string_view(reinterpret_cast<const char*>(p_), 4) != std::string_view(kMagic, 4))
      fail("not a serialised cat syntax tree");
    p_ += 4;
    if (*p_++ != kVersion) fail("serialised cat syntax tree of another format version");
    size_t n = count();
    table_.reserve(n);
    for (size_t i = 0; i < n; ++i) {
      size_t len = count();
      if (size_t(end_ - p_) < len) fail("truncated string");
      table_.emplace_back(reinterpret_cast<const char*>(p_), len);
      p_ += len;
    }
    File f;
    f.path = *file_;
    f.title = str();
    f.stmts = stmts(0);
    if (p_ != end_) fail("trailing bytes");
    return f;
  }

 private:
  [[noreturn]] void fail(const char* what) { throw Error(*file_, 0, 0, std::string("internal: ") + what); }

  uint64_t num() {
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
      if (p_ == end_ || shift > 63) fail("truncated number");
      uint8_t b = *p_++;
      v |= uint64_t(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  }
  int snum() {
    uint64_t v = num();
    return int(int64_t(v >> 1) ^ -int64_t(v & 1));
  }
  // A length that cannot exceed the bytes left (every element takes at least one byte).
  size_t count() {
    uint64_t v = num();
    if (v > uint64_t(end_ - p_)) fail("bad count");
    return size_t(v);
  }
  template <class E>
  E enumerator(uint64_t max) {
    uint64_t v = num();
    if (v > max) fail("bad enumerator");
    return E(v);
  }
  const std::string& str() {
    uint64_t i = num();
    if (i >= table_.size()) fail("bad string index");
    return table_[size_t(i)];
  }
  Pos pos() {
    Pos p;
    p.file = file_;
    p.line = snum();
    p.col = snum();
    return p;
  }
  Pattern pattern() {
    Pattern p;
    size_t n = count();
    p.names.reserve(n);
    for (size_t i = 0; i < n; ++i) p.names.push_back(str());
    p.tuple = num() != 0;
    return p;
  }
  VarRef ref() {
    VarRef r;
    r.kind = enumerator<VarRef::Kind>(VarRef::Free);
    r.depth = snum();
    r.index = snum();
    return r;
  }
  ExprP opt_expr(int depth) { return num() ? expr(depth) : nullptr; }
  std::vector<Binding> bindings(int depth) {
    std::vector<Binding> out(count());
    for (auto& b : out) {
      b.pos = pos();
      b.pat = pattern();
      b.rhs = opt_expr(depth);
    }
    return out;
  }
  std::unique_ptr<Cond> cond(int depth) {
    auto c = std::make_unique<Cond>();
    c->kind = enumerator<Cond::Kind>(Cond::In);
    uint64_t m = num();
    if (m & C_VARIANT) c->variant = str();
    if (m & C_A) c->a = expr(depth);
    if (m & C_B) c->b = expr(depth);
    return c;
  }
  void deeper(int& depth) {
    if (++depth > 100000) fail("nesting too deep");
  }

  ExprP expr(int depth) {
    deeper(depth);
    auto kind = enumerator<Expr::Kind>(Expr::MatchTag);
    auto e = std::make_unique<Expr>(kind, pos());
    uint64_t m = num();
    if (m & E_NAME) e->name = str();
    if (m & E_NAME2) e->name2 = str();
    if (m & E_REF) e->ref = ref();
    if (m & E_OP1) e->op1 = enumerator<Op1>(uint64_t(Op1::ToId));
    if (m & E_OP2) e->op2 = enumerator<Op2>(uint64_t(Op2::Add));
    if (m & E_A) e->a = expr(depth);
    if (m & E_B) e->b = expr(depth);
    if (m & E_C) e->c = expr(depth);
    if (m & E_ELEMS) {
      e->elems.resize(count());
      for (auto& x : e->elems) x = opt_expr(depth);
    }
    if (m & E_TAGS) {
      size_t n = count();
      e->tags.reserve(n);
      for (size_t i = 0; i < n; ++i) e->tags.push_back(str());
    }
    if (m & E_BINDS) e->binds = bindings(depth);
    if (m & E_PAT) e->pat = pattern();
    if (m & E_COND) e->cond = cond(depth);
    if (m & E_FRAME) e->frame_size = snum();
    return e;
  }

  std::vector<StmtP> stmts(int depth) {
    size_t n = count();
    std::vector<StmtP> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(stmt(depth));
    return out;
  }

  StmtP stmt(int depth) {
    deeper(depth);
    auto kind = enumerator<Stmt::Kind>(Stmt::Debug);
    auto s = std::make_unique<Stmt>(kind, pos());
    uint64_t m = num();
    if (m & S_BINDS) s->binds = bindings(depth);
    if (m & S_SLOTS) {
      s->slots.resize(count());
      for (int& x : s->slots) x = snum();
    }
    s->local = (m & S_LOCAL) != 0;
    if (m & S_CHECK) s->check = enumerator<Stmt::CheckKind>(Stmt::IsEmpty);
    if (m & S_TEST) s->test_type = enumerator<Stmt::TestType>(Stmt::Requires);
    s->negated = (m & S_NEG) != 0;
    if (m & S_EXPR) s->expr = expr(depth);
    if (m & S_NAME) s->name = str();
    if (m & S_NAMES) {
      size_t n = count();
      s->names.reserve(n);
      for (size_t i = 0; i < n; ++i) s->names.push_back(str());
    }
    if (m & S_PAT) s->pat = pattern();
    if (m & S_BODY) s->body = stmts(depth);
    if (m & S_ELSE) s->else_body = stmts(depth);
    if (m & S_COND) s->cond = cond(depth);
    if (m & S_FRAME) s->frame_size = snum();
    if (m & S_PROC) s->proc = ref();
    return s;
  }

  const uint8_t* p_;
  const uint8_t* end_;
  std::shared_ptr<const std::string> file_;
  std::vector<std::string> table_;
};

// ------------------------------------------------------------------------------------------------ equality

class Comparer {
 public:
  explicit Comparer(std::string* where) : where_(where) {}

  bool stmt_list(const std::vector<StmtP>& a, const std::vector<StmtP>& b) { return stmts(a, b, "statements"); }
  bool file(const File& a, const File& b) {
    return same(a.path == b.path, "path", a.path, b.path) && same(a.title == b.title, "title", a.title, b.title) &&
           stmts(a.stmts, b.stmts, "statements");
  }

 private:
  bool same(bool ok, const char* what, const std::string& x = {}, const std::string& y = {}) {
    if (!ok && where_ && where_->empty()) *where_ = std::string(what) + (x.empty() && y.empty() ? "" : ": '" + x + "' vs '" + y + "'") + at_;
    return ok;
  }
  bool pos(const Pos& a, const Pos& b) {
    at_ = " at " + a.str();
    std::string fa = a.file ? *a.file : "", fb = b.file ? *b.file : "";
    return same(fa == fb && a.line == b.line && a.col == b.col, "position", a.str(), b.str());
  }
  bool names(const std::vector<std::string>& a, const std::vector<std::string>& b, const char* what) {
    if (!same(a.size() == b.size(), what)) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!same(a[i] == b[i], what, a[i], b[i])) return false;
    return true;
  }
  bool pattern(const Pattern& a, const Pattern& b) { return names(a.names, b.names, "pattern") && same(a.tuple == b.tuple, "pattern tuple"); }
  bool ref(const VarRef& a, const VarRef& b) {
    return same(a.kind == b.kind && a.depth == b.depth && a.index == b.index, "variable reference");
  }
  bool opt_expr(const ExprP& a, const ExprP& b, const char* what) {
    if (!same(bool(a) == bool(b), what)) return false;
    return !a || expr(*a, *b);
  }
  bool bindings(const std::vector<Binding>& a, const std::vector<Binding>& b) {
    if (!same(a.size() == b.size(), "number of bindings")) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!pos(a[i].pos, b[i].pos) || !pattern(a[i].pat, b[i].pat) || !opt_expr(a[i].rhs, b[i].rhs, "binding"))
        return false;
    return true;
  }
  bool cond(const std::unique_ptr<Cond>& a, const std::unique_ptr<Cond>& b) {
    if (!same(bool(a) == bool(b), "condition")) return false;
    if (!a) return true;
    return same(a->kind == b->kind, "condition kind") && same(a->variant == b->variant, "variant", a->variant, b->variant) &&
           opt_expr(a->a, b->a, "condition operand") && opt_expr(a->b, b->b, "condition operand");
  }
  bool expr(const Expr& a, const Expr& b) {
    if (!same(a.kind == b.kind, "expression kind") || !pos(a.pos, b.pos)) return false;
    if (!same(a.name == b.name, "name", a.name, b.name) || !same(a.name2 == b.name2, "name", a.name2, b.name2) ||
        !ref(a.ref, b.ref) || !same(a.op1 == b.op1, "unary operator") || !same(a.op2 == b.op2, "binary operator") ||
        !same(a.frame_size == b.frame_size, "frame size"))
      return false;
    if (!opt_expr(a.a, b.a, "operand") || !opt_expr(a.b, b.b, "operand") || !opt_expr(a.c, b.c, "operand")) return false;
    if (!same(a.elems.size() == b.elems.size(), "number of elements")) return false;
    for (size_t i = 0; i < a.elems.size(); ++i)
      if (!opt_expr(a.elems[i], b.elems[i], "element")) return false;
    return names(a.tags, b.tags, "tags") && bindings(a.binds, b.binds) && pattern(a.pat, b.pat) && cond(a.cond, b.cond);
  }
  bool stmts(const std::vector<StmtP>& a, const std::vector<StmtP>& b, const char* what) {
    if (!same(a.size() == b.size(), what)) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (!stmt(*a[i], *b[i])) return false;
    return true;
  }
  bool stmt(const Stmt& a, const Stmt& b) {
    if (!same(a.kind == b.kind, "statement kind") || !pos(a.pos, b.pos)) return false;
    return bindings(a.binds, b.binds) && same(a.slots == b.slots, "slots") && same(a.local == b.local, "local") &&
           same(a.check == b.check, "check") && same(a.test_type == b.test_type, "test type") &&
           same(a.negated == b.negated, "negation") && opt_expr(a.expr, b.expr, "expression") &&
           same(a.name == b.name, "name", a.name, b.name) && names(a.names, b.names, "names") &&
           pattern(a.pat, b.pat) && stmts(a.body, b.body, "body") && stmts(a.else_body, b.else_body, "else body") &&
           cond(a.cond, b.cond) && same(a.frame_size == b.frame_size, "frame size") && ref(a.proc, b.proc);
  }

  std::string* where_;
  std::string at_;
};

}  // namespace

std::string write_ast(const File& f) { return Writer().finish(f); }

File read_ast(std::string_view bytes, const std::string& path) { return Reader(bytes, path).run(); }

bool same_ast(const File& a, const File& b, std::string* where) {
  if (where) where->clear();
  return Comparer(where).file(a, b);
}

bool same_ast(const std::vector<StmtP>& a, const std::vector<StmtP>& b, std::string* where) {
  if (where) where->clear();
  return Comparer(where).stmt_list(a, b);
}

}  // namespace paddock::cat
