// Cat text -> plain syntax tree. The only file that sees ANTLR types.
//
// Speed matters here: the kernel's model files are parsed in every process. So the tokens come from a
// hand-written lexer equivalent to CatLexer (fast_lex below; it gives up on anything unusual, and CatLexer then
// lexes the file), the grammar is almost LL(1) (grammar/Cat.g4), and the tree is walked by switching on token
// types and rule indices rather than by chains of dynamic_casts.
#include "cat/parse.hpp"

#include <antlr4-runtime.h>

#include <cstdio>
#include <cstring>
#include <typeinfo>

#include "CatLexer.h"
#include "CatParser.h"
#include "cat/error.hpp"
#include "util/utf8.hpp"

namespace paddock::cat {

namespace {

using P = paddock::cat::antlrgen::CatParser;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;

std::string describe_token(antlr4::Token* t) {
  if (!t || t->getType() == antlr4::Token::EOF) return "end of file";
  return "'" + t->getText() + "'";
}

class ThrowingListener : public antlr4::BaseErrorListener {
 public:
  explicit ThrowingListener(std::string file) : file_(std::move(file)) {}
  void syntaxError(antlr4::Recognizer* rec, antlr4::Token* bad, size_t line, size_t col, const std::string& msg,
                   std::exception_ptr) override {
    if (auto* parser = dynamic_cast<antlr4::Parser*>(rec)) {
      std::string expected;
      try {
        auto set = parser->getExpectedTokens();
        if (!set.isEmpty() && set.size() <= 40) expected = set.toString(parser->getVocabulary());
      } catch (...) {
      }
      if (expected.empty()) expected = "an instruction or expression";
      if (expected.size() > 2 && expected.front() == '{') expected = "one of " + expected;
      throw Error(file_, int(line), int(col) + 1, "expected " + expected + ", found " + describe_token(bad));
    }
    // Lexer: msg is "token recognition error at: 'x'"
    std::string text = msg;
    auto p = msg.find("at: ");
    if (p != std::string::npos) text = msg.substr(p + 4);
    throw Error(file_, int(line), int(col) + 1, "unexpected character " + text);
  }

 private:
  std::string file_;
};

// ------------------------------------------------------------------------------------------------ lexer

struct Keyword {
  const char* text;
  size_t type;
};
const Keyword kKeywords[] = {
    {"let", P::LET}, {"rec", P::REC}, {"and", P::AND}, {"in", P::IN}, {"as", P::AS}, {"flag", P::FLAG},
    {"requires", P::REQUIRES}, {"acyclic", P::ACYCLIC}, {"irreflexive", P::IRREFLEXIVE}, {"empty", P::EMPTYKW},
    {"show", P::SHOW}, {"unshow", P::UNSHOW}, {"include", P::INCLUDE}, {"procedure", P::PROCEDURE},
    {"call", P::CALL}, {"debug", P::DEBUG}, {"forall", P::FORALL}, {"do", P::DO}, {"with", P::WITH},
    {"from", P::FROM}, {"instructions", P::INSTRUCTIONS}, {"default", P::DEFAULT}, {"enum", P::ENUM},
    {"if", P::IF}, {"then", P::THEN}, {"else", P::ELSE}, {"end", P::END}, {"fun", P::FUN}, {"try", P::TRY},
    {"match", P::MATCH}, {"subset", P::SUBSET}, {"begin", P::BEGIN},
};

size_t keyword_or_name(const char* s, size_t len) {
  for (const Keyword& k : kKeywords)
    if (k.text[0] == s[0] && std::strlen(k.text) == len && std::memcmp(k.text, s, len) == 0) return k.type;
  return P::NAME;
}

bool name_start(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(unsigned char c) {
  return name_start(c) || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

// Tokens exactly as CatLexer gives them (type, text, line, column, character indices), or false when the text holds
// something this lexer leaves to CatLexer: a lexical error, a comment that does not close the way nested comments
// normally close, or bytes that are not valid UTF-8.
bool fast_lex(const std::string& text, std::vector<std::unique_ptr<antlr4::Token>>& out) {
  const unsigned char* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;            // byte offset
  size_t cp = 0;           // code point index (CatLexer's character index)
  size_t line = 1, col = 0;  // col: code points since the last '\n'
  // Advances over bytes [i, j) that contain no '\n' (counting code points); checks UTF-8 as it goes.
  auto advance = [&](size_t j) -> bool {
    while (i < j) {
      unsigned char c = s[i];
      size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
      if (len == 0 || i + len > n) return false;
      for (size_t k = 1; k < len; ++k)
        if ((s[i + k] & 0xc0) != 0x80) return false;
      if (len == 2 && c < 0xc2) return false;  // overlong
      i += len;
      ++cp;
      ++col;
    }
    return true;
  };
  auto newline = [&] {
    ++i;
    ++cp;
    ++line;
    col = 0;
  };
  auto emit = [&](size_t type, size_t start_byte, size_t start_cp, size_t tline, size_t tcol) {
    auto t = std::make_unique<antlr4::CommonToken>(type, text.substr(start_byte, i - start_byte));
    t->setLine(tline);
    t->setCharPositionInLine(tcol);
    t->setStartIndex(start_cp);
    t->setStopIndex(cp - 1);
    out.push_back(std::move(t));
  };
  while (i < n) {
    unsigned char c = s[i];
    if (c == '\n') {
      newline();
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
      ++i, ++cp, ++col;
      continue;
    }
    size_t b0 = i, cp0 = cp, line0 = line, col0 = col;
    // Comments: '(*' (COMMENT | .)*? '*)' lexes as the usual nested comment when the nesting closes; otherwise
    // CatLexer falls back to a shorter match, which we leave to it.
    if (c == '(' && i + 1 < n && s[i + 1] == '*') {
      size_t depth = 0;
      i += 2, cp += 2, col += 2;
      for (;;) {
        if (i >= n) return false;
        if (s[i] == '\n') {
          newline();
        } else if (s[i] == '(' && i + 1 < n && s[i + 1] == '*') {
          ++depth;
          i += 2, cp += 2, col += 2;
        } else if (s[i] == '*' && i + 1 < n && s[i + 1] == ')') {
          i += 2, cp += 2, col += 2;
          if (depth-- == 0) break;
        } else if (!advance(i + 1)) {
          return false;
        }
      }
      continue;
    }
    if (c == '/' && i + 1 < n && s[i + 1] == '/') {
      size_t j = i;
      while (j < n && s[j] != '\n' && s[j] != '\r') ++j;
      if (!advance(j)) return false;
      continue;
    }
    if (name_start(c)) {
      size_t j = i + 1;
      while (j < n && name_char(s[j])) ++j;
      size_t type = (j - i == 1 && c == '_') ? size_t(P::UNDERSCORE) : keyword_or_name(text.data() + i, j - i);
      advance(j);
      emit(type, b0, cp0, line0, col0);
      continue;
    }
    if (c == '\'') {
      if (i + 1 >= n || !name_start(s[i + 1])) return false;
      size_t j = i + 2;
      while (j < n && name_char(s[j])) ++j;
      advance(j);
      emit(P::TAG, b0, cp0, line0, col0);
      continue;
    }
    if (c == '"') {
      size_t j = i + 1;
      while (j < n && s[j] != '"' && s[j] != '\r' && s[j] != '\n') ++j;
      if (j >= n || s[j] != '"') return false;
      if (!advance(j + 1)) return false;
      emit(P::STRING, b0, cp0, line0, col0);
      continue;
    }
    size_t type = 0, len = 1;
    auto next_is = [&](const char* t) { return std::strncmp(text.c_str() + i + 1, t, std::strlen(t)) == 0; };
    switch (c) {
      case '^': if (next_is("-1")) type = P::HATINV, len = 3; break;
      case '-': if (next_is(">")) type = P::ARROW, len = 2; break;
      case '|': if (next_is("|")) type = P::ALT, len = 2; else type = P::UNION; break;
      case '+': if (next_is("+")) type = P::PLUSPLUS, len = 2; else type = P::PLUS; break;
      case '*': type = P::STAR; break;
      case '?': type = P::OPT; break;
      case '~': type = P::COMP; break;
      case ';': type = P::SEMI; break;
      case '\\': type = P::DIFF; break;
      case '&': type = P::INTER; break;
      case '=': type = P::EQ; break;
      case ',': type = P::COMMA; break;
      case '(': type = P::LPAR; break;
      case ')': type = P::RPAR; break;
      case '[': type = P::LBRACK; break;
      case ']': type = P::RBRACK; break;
      case '{': type = P::LBRACE; break;
      case '}': type = P::RBRACE; break;
      case '0': type = P::ZERO; break;
      default: break;
    }
    if (type == 0) return false;  // a lexical error: CatLexer reports it
    advance(i + len);
    emit(type, b0, cp0, line0, col0);
  }
  auto eof = std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF, "<EOF>");
  eof->setLine(line);
  eof->setCharPositionInLine(col);
  eof->setStartIndex(cp);
  eof->setStopIndex(cp - 1);
  out.push_back(std::move(eof));
  return true;
}

// ------------------------------------------------------------------------------------------------ tree walk

// The parse tree holds only rule contexts and plain terminal nodes (the first syntax error throws).
TerminalNode* as_token(ParseTree* t) {
  return typeid(*t) == typeid(antlr4::tree::TerminalNodeImpl) ? static_cast<TerminalNode*>(t) : nullptr;
}
size_t token_type(ParseTree* t) {
  TerminalNode* n = as_token(t);
  return n ? n->getSymbol()->getType() : antlr4::Token::INVALID_TYPE;
}
template <class Ctx>
Ctx* rule(ParseTree* t) {
  return static_cast<Ctx*>(static_cast<antlr4::ParserRuleContext*>(t));
}
bool is_rule(ParseTree* t, size_t index) {
  return !as_token(t) && static_cast<antlr4::RuleContext*>(t)->getRuleIndex() == index;
}

// Binary operators of `base` by precedence (higher binds tighter) and associativity.
struct BinOp {
  Op2 op;
  int prec;
  bool right;
};
bool binary_op(size_t type, BinOp& out) {
  switch (type) {
    case P::STAR: out = {Op2::Cartesian, 8, false}; return true;
    case P::INTER: out = {Op2::Inter, 7, true}; return true;
    case P::DIFF: out = {Op2::Diff, 6, false}; return true;
    case P::SEMI: out = {Op2::Seq, 5, true}; return true;
    case P::PLUSPLUS: out = {Op2::Add, 4, true}; return true;
    case P::UNION: out = {Op2::Union, 3, true}; return true;
    default: return false;
  }
}

class Builder {
 public:
  explicit Builder(std::string path) : file_(std::make_shared<const std::string>(std::move(path))) {}

  Pos pos(antlr4::Token* t) const { return Pos{file_, int(t->getLine()), int(t->getCharPositionInLine()) + 1}; }
  Pos pos(antlr4::ParserRuleContext* c) const { return pos(c->getStart()); }
  Pos pos(TerminalNode* n) const { return pos(n->getSymbol()); }

  File file(P::ModelContext* m) {
    File f;
    f.path = *file_;
    if (auto* h = m->header()) {
      auto s = h->STRING();
      if (!s.empty()) f.title = unquote(s[0]->getText());
      else if (!h->NAME().empty()) f.title = h->NAME(0)->getText();
    }
    for (ParseTree* c : m->children)
      if (is_rule(c, P::RuleInstruction)) f.stmts.push_back(stmt(rule<P::InstructionContext>(c)));
    return f;
  }

 private:
  static std::string unquote(const std::string& s) {
    return s.size() >= 2 ? s.substr(1, s.size() - 2) : s;
  }

  std::vector<StmtP> stmts(const std::vector<P::InstructionContext*>& v) {
    std::vector<StmtP> out;
    for (auto* i : v) out.push_back(stmt(i));
    return out;
  }

  Pattern pattern(P::FormalsContext* f, bool tuple) {
    Pattern p;
    p.tuple = tuple;
    if (f)
      for (auto* x : f->pat0()) p.names.push_back(x->NAME() ? x->NAME()->getText() : std::string());
    if (tuple && p.names.size() == 1) p.tuple = false;  // `f(x)` takes x itself
    return p;
  }
  Pattern pattern(P::Pat0Context* x) {
    Pattern p;
    p.names.push_back(x->NAME() ? x->NAME()->getText() : std::string());
    return p;
  }

  ExprP fun(const Pos& ps, Pattern pat, ExprP body, std::string name) {
    auto e = std::make_unique<Expr>(Expr::Fun, ps);
    e->pat = std::move(pat);
    e->a = std::move(body);
    e->name = std::move(name);
    return e;
  }

  std::vector<Binding> bindings(P::BindingsContext* bs) {
    std::vector<Binding> out;
    for (auto* b : bs->binding()) {
      Binding x;
      x.pos = pos(b);
      if (b->pat0()) {  // f x = e
        x.pat.names.push_back(b->NAME()->getText());
        x.rhs = fun(pos(b), pattern(b->pat0()), expr(b->expr()), b->NAME()->getText());
      } else if (b->NAME()) {  // f(x, y) = e
        x.pat.names.push_back(b->NAME()->getText());
        x.rhs = fun(pos(b), pattern(b->formals(), true), expr(b->expr()), b->NAME()->getText());
      } else if (b->LPAR()) {  // (x, y) = e
        x.pat = pattern(b->formals(), true);
        x.pat.tuple = true;
        x.rhs = expr(b->expr());
      } else {  // x, y = e
        x.pat = pattern(b->formals(), true);
        x.rhs = expr(b->expr());
      }
      out.push_back(std::move(x));
    }
    return out;
  }

  std::unique_ptr<Cond> cond(P::CondContext* c) {
    auto out = std::make_unique<Cond>();
    if (c->STRING()) {
      out->kind = Cond::Variant;
      out->variant = unquote(c->STRING()->getText());
      return out;
    }
    out->kind = c->EQ() ? Cond::Eq : c->SUBSET() ? Cond::Subset : Cond::In;
    out->a = expr(c->expr(0));
    out->b = expr(c->expr(1));
    return out;
  }

  StmtP stmt(P::InstructionContext* i) {
    Pos ps = pos(i);
    switch (i->getStart()->getType()) {
      case P::LET: {
        auto s = std::make_unique<Stmt>(i->REC() ? Stmt::LetRec : Stmt::Let, ps);
        s->binds = bindings(i->bindings());
        return s;
      }
      case P::FLAG:
      case P::REQUIRES:
      case P::COMP:
      case P::ACYCLIC:
      case P::IRREFLEXIVE:
      case P::EMPTYKW: {
        auto s = std::make_unique<Stmt>(Stmt::Check, ps);
        if (i->FLAG()) s->test_type = Stmt::Flag;
        if (i->REQUIRES()) s->test_type = Stmt::Requires;
        auto* t = i->checkTest();
        s->negated = t->COMP() != nullptr;
        s->check = t->ACYCLIC() ? Stmt::Acyclic : t->IRREFLEXIVE() ? Stmt::Irreflexive : Stmt::IsEmpty;
        s->expr = expr(i->expr());
        if (i->AS()) s->name = i->NAME(0)->getText();
        return s;
      }
      case P::SHOW: {
        auto s = std::make_unique<Stmt>(Stmt::Show, ps);
        if (i->expr()) {  // show e as name
          s->expr = expr(i->expr());
          s->names.push_back(i->NAME(0)->getText());
        } else {
          for (auto* n : i->NAME()) s->names.push_back(n->getText());
        }
        return s;
      }
      case P::UNSHOW: {
        auto s = std::make_unique<Stmt>(Stmt::Unshow, ps);
        for (auto* n : i->NAME()) s->names.push_back(n->getText());
        return s;
      }
      case P::INCLUDE: {
        auto s = std::make_unique<Stmt>(Stmt::Include, ps);
        s->name = unquote(i->STRING()->getText());
        return s;
      }
      case P::PROCEDURE: {
        auto s = std::make_unique<Stmt>(Stmt::Procedure, ps);
        s->name = i->NAME(0)->getText();
        s->pat = i->LPAR() ? pattern(i->formals(), true) : pattern(i->pat0());
        s->body = stmts(i->instruction());
        return s;
      }
      case P::CALL: {
        auto s = std::make_unique<Stmt>(Stmt::Call, ps);
        s->name = i->NAME(0)->getText();
        s->expr = simple(i->simple());
        if (i->NAME().size() > 1) s->names.push_back(i->NAME(1)->getText());
        return s;
      }
      case P::DEBUG: {
        auto s = std::make_unique<Stmt>(Stmt::Debug, ps);
        s->expr = expr(i->expr());
        return s;
      }
      case P::FORALL: {
        auto s = std::make_unique<Stmt>(Stmt::Forall, ps);
        s->name = i->NAME(0)->getText();
        s->expr = expr(i->expr());
        s->body = stmts(i->instruction());
        return s;
      }
      case P::WITH: {
        auto s = std::make_unique<Stmt>(Stmt::With, ps);
        s->name = i->NAME(0)->getText();
        s->expr = expr(i->expr());
        return s;
      }
      case P::INSTRUCTIONS:
      case P::DEFAULT: {
        auto s = std::make_unique<Stmt>(Stmt::Instructions, ps);
        s->name = i->NAME(0)->getText();
        return s;
      }
      case P::ENUM: {
        auto s = std::make_unique<Stmt>(Stmt::Enum, ps);
        s->name = i->NAME(0)->getText();
        for (auto* t : i->TAG()) s->names.push_back(t->getText().substr(1));
        return s;
      }
      case P::IF: {
        auto s = std::make_unique<Stmt>(Stmt::IfVariant, ps);
        s->cond = cond(i->cond());
        s->body = stmts(i->thenIns);
        s->else_body = stmts(i->elseIns);
        return s;
      }
      default:
        throw Error(ps, "unsupported instruction");
    }
  }

  ExprP expr(P::ExprContext* x) {
    Pos ps = pos(x);
    switch (x->getStart()->getType()) {
      case P::LET: {
        auto e = std::make_unique<Expr>(x->REC() ? Expr::LetRec : Expr::Let, ps);
        e->binds = bindings(x->bindings());
        e->a = expr(x->expr(0));
        return e;
      }
      case P::FUN:
        return fun(ps, x->pat0() ? pattern(x->pat0()) : pattern(x->formals(), true), expr(x->expr(0)), "fun");
      case P::TRY: {
        auto e = std::make_unique<Expr>(Expr::Try, ps);
        e->a = expr(x->expr(0));
        e->b = expr(x->expr(1));
        return e;
      }
      case P::IF: {
        auto e = std::make_unique<Expr>(Expr::If, ps);
        e->cond = cond(x->cond());
        e->a = expr(x->expr(0));
        e->b = expr(x->expr(1));
        return e;
      }
      case P::MATCH:
        return match(x, ps);
      default: {  // base (COMMA base)*
        auto& ch = x->children;
        if (ch.size() == 1) return base(rule<P::BaseContext>(ch[0]));
        auto e = std::make_unique<Expr>(Expr::Tuple, ps);
        for (ParseTree* c : ch)
          if (!as_token(c)) e->elems.push_back(base(rule<P::BaseContext>(c)));
        return e;
      }
    }
  }

  ExprP match(P::ExprContext* c, const Pos& ps) {
    auto* mc = c->matchClauses();
    if (auto* sm = dynamic_cast<P::SetMatchContext*>(mc)) {
      auto e = std::make_unique<Expr>(Expr::MatchSet, ps);
      e->a = expr(c->expr(0));
      auto* sc = sm->setClauses();
      auto name_of = [](P::Pat0Context* p) { return p->NAME() ? p->NAME()->getText() : std::string(); };
      if (auto* f = dynamic_cast<P::EmptyFirstContext*>(sc)) {
        e->b = expr(f->expr(0));
        e->name = name_of(f->pat0(0));
        e->name2 = name_of(f->pat0(1));
        e->c = expr(f->expr(1));
      } else if (auto* f = dynamic_cast<P::ElemFirstContext*>(sc)) {
        e->name = name_of(f->pat0(0));
        e->name2 = name_of(f->pat0(1));
        e->c = expr(f->expr(0));
        e->b = expr(f->expr(1));
      }
      return e;
    }
    auto e = std::make_unique<Expr>(Expr::MatchTag, ps);
    e->a = expr(c->expr(0));
    if (auto* tm = dynamic_cast<P::TagMatchContext*>(mc)) {
      for (auto* t : tm->tagClause()) {
        e->tags.push_back(t->TAG()->getText().substr(1));
        e->elems.push_back(expr(t->expr()));
      }
      if (tm->UNDERSCORE()) e->b = expr(tm->expr());
    } else if (auto* dm = dynamic_cast<P::DefaultMatchContext*>(mc)) {
      e->b = expr(dm->expr());
    }
    return e;
  }

  ExprP unary(const Pos& ps, Op1 op, ExprP a) {
    auto e = std::make_unique<Expr>(Expr::Unary, ps);
    e->op1 = op;
    e->a = std::move(a);
    return e;
  }
  ExprP binary(const Pos& ps, Op2 op, ExprP a, ExprP b) {
    auto e = std::make_unique<Expr>(Expr::Binary, ps);
    e->op2 = op;
    e->a = std::move(a);
    e->b = std::move(b);
    return e;
  }
  ExprP var(TerminalNode* n) {
    auto e = std::make_unique<Expr>(Expr::Var, pos(n));
    e->name = n->getText();
    return e;
  }

  // `base` is a flat sequence: ~* atom, then postfix operators, `*` with or without a right operand, and binary
  // operators each followed by ~* atom. Arranged here by precedence climbing.
  struct Seq {
    const std::vector<ParseTree*>& ch;
    size_t k = 0;
    bool at_end() const { return k >= ch.size(); }
    // An operand (~* atom) starts at k.
    bool operand_at(size_t j) const { return j < ch.size() && (!as_token(ch[j]) || token_type(ch[j]) == P::COMP); }
  };

  ExprP base(P::BaseContext* x) {
    Seq s{x->children};
    return climb(s, 0);
  }

  ExprP climb(Seq& s, int min_prec) {
    ExprP lhs = operand(s);
    while (!s.at_end()) {
      TerminalNode* t = as_token(s.ch[s.k]);
      BinOp op;
      if (!t || !binary_op(t->getSymbol()->getType(), op) || op.prec < min_prec) break;
      ++s.k;
      ExprP rhs = climb(s, op.right ? op.prec : op.prec + 1);
      lhs = binary(pos(t), op.op, std::move(lhs), std::move(rhs));
    }
    return lhs;
  }

  // ~* atom followed by its postfix operators (which bind tighter than ~).
  ExprP operand(Seq& s) {
    size_t first_comp = s.k;
    while (token_type(s.ch[s.k]) == P::COMP) ++s.k;
    size_t ncomp = s.k - first_comp;
    ExprP e = atom(rule<P::AtomContext>(s.ch[s.k++]));
    while (!s.at_end()) {
      TerminalNode* t = as_token(s.ch[s.k]);
      if (!t) break;
      size_t type = t->getSymbol()->getType();
      Op1 op;
      if (type == P::HATINV) op = Op1::Inverse;
      else if (type == P::PLUS) op = Op1::Plus;
      else if (type == P::OPT) op = Op1::Opt;
      else if (type == P::STAR && !s.operand_at(s.k + 1)) op = Op1::Star;
      else break;
      ++s.k;
      e = unary(pos(t), op, std::move(e));
    }
    for (size_t j = ncomp; j-- > 0;) e = unary(pos(as_token(s.ch[first_comp + j])), Op1::Complement, std::move(e));
    return e;
  }

  ExprP atom(P::AtomContext* a) {
    auto& ch = a->children;
    TerminalNode* name = as_token(ch[0]);
    if (!name) return simple(rule<P::SimpleContext>(ch[0]));
    ExprP f = var(name);
    for (size_t j = 1; j < ch.size(); ++j) {
      auto* arg = rule<P::ArgContext>(ch[j]);
      auto app = std::make_unique<Expr>(Expr::App, pos(arg));
      app->a = std::move(f);
      ParseTree* x = arg->children[0];
      if (TerminalNode* n = as_token(x)) app->b = var(n);
      else app->b = simple(rule<P::SimpleContext>(x));
      f = std::move(app);
    }
    return f;
  }

  ExprP simple(P::SimpleContext* x) {
    Pos ps = pos(x);
    auto& ch = x->children;
    switch (x->getStart()->getType()) {
      case P::ZERO:
        return std::make_unique<Expr>(Expr::Empty, ps);
      case P::UNDERSCORE:
        return std::make_unique<Expr>(Expr::Universe, ps);
      case P::TAG: {
        auto e = std::make_unique<Expr>(Expr::Tag, ps);
        e->name = x->getStart()->getText().substr(1);
        return e;
      }
      case P::LBRACE: {  // { args? }
        if (as_token(ch[1])) return std::make_unique<Expr>(Expr::Empty, ps);
        auto e = std::make_unique<Expr>(Expr::Set, ps);
        for (ParseTree* c : rule<P::ArgsContext>(ch[1])->children)
          if (!as_token(c)) e->elems.push_back(base(rule<P::BaseContext>(c)));
        return e;
      }
      case P::LPAR:  // ( expr? )
        if (as_token(ch[1])) return std::make_unique<Expr>(Expr::Tuple, ps);  // ()
        return expr(rule<P::ExprContext>(ch[1]));
      case P::BEGIN:
        return expr(rule<P::ExprContext>(ch[1]));
      case P::LBRACK:
        return unary(ps, Op1::ToId, expr(rule<P::ExprContext>(ch[1])));
      default:
        throw Error(ps, "unsupported expression");
    }
  }

  std::shared_ptr<const std::string> file_;
};

}  // namespace

std::string Pos::str() const {
  return (file ? *file : std::string("<cat>")) + ":" + std::to_string(line) + ":" + std::to_string(col);
}

void verify_cat_grammar() {
  antlr4::ANTLRInputStream input("");
  antlrgen::CatLexer lexer(&input);
  antlr4::CommonTokenStream tokens(&lexer);
  antlrgen::CatParser parser(&tokens);
  antlr4::atn::ATNDeserializer().verifyATN(lexer.getATN());
  antlr4::atn::ATNDeserializer().verifyATN(parser.getATN());
}

std::vector<CatToken> lex_cat(const std::string& text, bool hand_written) {
  std::vector<CatToken> out;
  auto add = [&](antlr4::Token& t) {
    out.push_back(CatToken{t.getType(), t.getType() == antlr4::Token::EOF ? "<EOF>" : t.getText(), t.getLine(),
                           t.getCharPositionInLine(), t.getStartIndex(), t.getStopIndex()});
  };
  if (hand_written) {
    std::vector<std::unique_ptr<antlr4::Token>> toks;
    if (!fast_lex(text, toks)) throw Error("<lex>", 0, 0, "left to CatLexer");
    for (auto& t : toks) add(*t);
    return out;
  }
  antlr4::ANTLRInputStream input(text);
  antlrgen::CatLexer lexer(&input);
  ThrowingListener listener("<lex>");
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  for (;;) {
    auto t = lexer.nextToken();
    add(*t);
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

File parse_cat(const std::string& text, const std::string& path) {
  // ANTLRInputStream throws std::range_error on ill-formed UTF-8 (and fast_lex checks only the byte patterns).
  if (auto bad = find_bad_utf8(text)) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02x", bad->byte);
    throw Error(path, bad->line, bad->col, std::string("unexpected byte ") + hex + " (the file is not UTF-8 text)");
  }
  ThrowingListener listener(path);
  std::vector<std::unique_ptr<antlr4::Token>> fast;
  std::unique_ptr<antlr4::ANTLRInputStream> input;
  std::unique_ptr<antlr4::TokenSource> source;
  if (fast_lex(text, fast)) {
    source = std::make_unique<antlr4::ListTokenSource>(std::move(fast), path);
  } else {
    input = std::make_unique<antlr4::ANTLRInputStream>(text);
    auto lexer = std::make_unique<antlrgen::CatLexer>(input.get());
    lexer->removeErrorListeners();
    lexer->addErrorListener(&listener);
    source = std::move(lexer);
  }
  antlr4::CommonTokenStream tokens(source.get());
  antlrgen::CatParser parser(&tokens);
  parser.removeErrorListeners();
  // Two-stage parse: fast SLL prediction first; on a syntax error, reparse with full LL so that the
  // reported error is exact.
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::ModelContext* tree = nullptr;
  try {
    tree = parser.model();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  } catch (const Error&) {
    throw;  // lexer error
  }
  if (!tree) {
    tokens.seek(0);
    parser.reset();
    parser.addErrorListener(&listener);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    tree = parser.model();
  }
  Builder b(path);
  return b.file(tree);
}

}  // namespace paddock::cat
