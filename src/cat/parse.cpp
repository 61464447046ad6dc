// ANTLR parse tree -> plain syntax tree. The only file that sees ANTLR types.
#include "cat/parse.hpp"

#include <antlr4-runtime.h>

#include "CatLexer.h"
#include "CatParser.h"
#include "cat/error.hpp"

namespace paddock::cat {

namespace {

using P = paddock::cat::antlrgen::CatParser;

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

class Builder {
 public:
  explicit Builder(std::string path) : file_(std::make_shared<const std::string>(std::move(path))) {}

  Pos pos(antlr4::Token* t) const { return Pos{file_, int(t->getLine()), int(t->getCharPositionInLine()) + 1}; }
  Pos pos(antlr4::ParserRuleContext* c) const { return pos(c->getStart()); }
  Pos pos(antlr4::tree::TerminalNode* n) const { return pos(n->getSymbol()); }

  File file(P::ModelContext* m) {
    File f;
    f.path = *file_;
    if (auto* h = m->header()) {
      auto s = h->STRING();
      if (!s.empty()) f.title = unquote(s[0]->getText());
      else if (!h->NAME().empty()) f.title = h->NAME(0)->getText();
    }
    for (auto* i : m->instruction()) f.stmts.push_back(stmt(i));
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
      if (auto* c = dynamic_cast<P::FunBindingContext*>(b)) {
        x.pat.names.push_back(c->NAME()->getText());
        x.rhs = fun(pos(b), pattern(c->pat0()), expr(c->expr()), c->NAME()->getText());
      } else if (auto* c = dynamic_cast<P::FunTupleBindingContext*>(b)) {
        x.pat.names.push_back(c->NAME()->getText());
        x.rhs = fun(pos(b), pattern(c->formals(), true), expr(c->expr()), c->NAME()->getText());
      } else if (auto* c = dynamic_cast<P::TupleBindingContext*>(b)) {
        x.pat = pattern(c->formals(), true);
        x.pat.tuple = true;
        x.rhs = expr(c->expr());
      } else if (auto* c = dynamic_cast<P::PlainBindingContext*>(b)) {
        x.pat = pattern(c->formals(), true);
        x.rhs = expr(c->expr());
      }
      out.push_back(std::move(x));
    }
    return out;
  }

  std::unique_ptr<Cond> cond(P::CondContext* c) {
    auto out = std::make_unique<Cond>();
    if (auto* v = dynamic_cast<P::VariantCondContext*>(c)) {
      out->kind = Cond::Variant;
      out->variant = unquote(v->STRING()->getText());
    } else if (auto* v = dynamic_cast<P::EqCondContext*>(c)) {
      out->kind = Cond::Eq;
      out->a = expr(v->expr(0));
      out->b = expr(v->expr(1));
    } else if (auto* v = dynamic_cast<P::SubsetCondContext*>(c)) {
      out->kind = Cond::Subset;
      out->a = expr(v->expr(0));
      out->b = expr(v->expr(1));
    } else if (auto* v = dynamic_cast<P::InCondContext*>(c)) {
      out->kind = Cond::In;
      out->a = expr(v->expr(0));
      out->b = expr(v->expr(1));
    }
    return out;
  }

  StmtP stmt(P::InstructionContext* i) {
    Pos ps = pos(i);
    if (auto* c = dynamic_cast<P::LetInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(c->REC() ? Stmt::LetRec : Stmt::Let, ps);
      s->binds = bindings(c->bindings());
      return s;
    }
    if (auto* c = dynamic_cast<P::CheckInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Check, ps);
      if (c->FLAG()) s->test_type = Stmt::Flag;
      if (c->REQUIRES()) s->test_type = Stmt::Requires;
      auto* t = c->checkTest();
      s->negated = t->COMP() != nullptr;
      s->check = t->ACYCLIC() ? Stmt::Acyclic : t->IRREFLEXIVE() ? Stmt::Irreflexive : Stmt::IsEmpty;
      s->expr = expr(c->expr());
      if (c->NAME()) s->name = c->NAME()->getText();
      return s;
    }
    if (auto* c = dynamic_cast<P::ShowAsInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Show, ps);
      s->expr = expr(c->expr());
      s->names.push_back(c->NAME()->getText());
      return s;
    }
    if (auto* c = dynamic_cast<P::ShowInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Show, ps);
      for (auto* n : c->NAME()) s->names.push_back(n->getText());
      return s;
    }
    if (auto* c = dynamic_cast<P::UnshowInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Unshow, ps);
      for (auto* n : c->NAME()) s->names.push_back(n->getText());
      return s;
    }
    if (auto* c = dynamic_cast<P::IncludeInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Include, ps);
      s->name = unquote(c->STRING()->getText());
      return s;
    }
    if (auto* c = dynamic_cast<P::ProcTupleInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Procedure, ps);
      s->name = c->NAME()->getText();
      s->pat = pattern(c->formals(), true);
      s->body = stmts(c->instruction());
      return s;
    }
    if (auto* c = dynamic_cast<P::ProcInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Procedure, ps);
      s->name = c->NAME()->getText();
      s->pat = pattern(c->pat0());
      s->body = stmts(c->instruction());
      return s;
    }
    if (auto* c = dynamic_cast<P::CallInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Call, ps);
      s->name = c->NAME(0)->getText();
      s->expr = simple(c->simple());
      if (c->NAME().size() > 1) s->names.push_back(c->NAME(1)->getText());
      return s;
    }
    if (auto* c = dynamic_cast<P::DebugInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Debug, ps);
      s->expr = expr(c->expr());
      return s;
    }
    if (auto* c = dynamic_cast<P::ForallInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Forall, ps);
      s->name = c->NAME()->getText();
      s->expr = expr(c->expr());
      s->body = stmts(c->instruction());
      return s;
    }
    if (auto* c = dynamic_cast<P::WithInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::With, ps);
      s->name = c->NAME()->getText();
      s->expr = expr(c->expr());
      return s;
    }
    if (auto* c = dynamic_cast<P::InstructionsInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Instructions, ps);
      s->name = c->NAME()->getText();
      return s;
    }
    if (auto* c = dynamic_cast<P::DefaultInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Instructions, ps);
      s->name = c->NAME()->getText();
      return s;
    }
    if (auto* c = dynamic_cast<P::EnumInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::Enum, ps);
      s->name = c->NAME()->getText();
      for (auto* t : c->TAG()) s->names.push_back(t->getText().substr(1));
      return s;
    }
    if (auto* c = dynamic_cast<P::IfInsContext*>(i)) {
      auto s = std::make_unique<Stmt>(Stmt::IfVariant, ps);
      s->cond = cond(c->cond());
      s->body = stmts(c->thenIns);
      s->else_body = stmts(c->elseIns);
      return s;
    }
    throw Error(ps, "unsupported instruction");
  }

  ExprP expr(P::ExprContext* x) {
    Pos ps = pos(x);
    if (auto* c = dynamic_cast<P::BaseExprContext*>(x)) {
      if (c->base().size() == 1) return base(c->base(0));
      auto e = std::make_unique<Expr>(Expr::Tuple, ps);
      for (auto* b : c->base()) e->elems.push_back(base(b));
      return e;
    }
    if (auto* c = dynamic_cast<P::LetExprContext*>(x)) {
      auto e = std::make_unique<Expr>(c->REC() ? Expr::LetRec : Expr::Let, ps);
      e->binds = bindings(c->bindings());
      e->a = expr(c->expr());
      return e;
    }
    if (auto* c = dynamic_cast<P::FunExprContext*>(x)) return fun(ps, pattern(c->pat0()), expr(c->expr()), "fun");
    if (auto* c = dynamic_cast<P::FunTupleExprContext*>(x))
      return fun(ps, pattern(c->formals(), true), expr(c->expr()), "fun");
    if (auto* c = dynamic_cast<P::TryExprContext*>(x)) {
      auto e = std::make_unique<Expr>(Expr::Try, ps);
      e->a = expr(c->expr(0));
      e->b = expr(c->expr(1));
      return e;
    }
    if (auto* c = dynamic_cast<P::IfExprContext*>(x)) {
      auto e = std::make_unique<Expr>(Expr::If, ps);
      e->cond = cond(c->cond());
      e->a = expr(c->expr(0));
      e->b = expr(c->expr(1));
      return e;
    }
    if (auto* c = dynamic_cast<P::MatchExprContext*>(x)) {
      auto* mc = c->matchClauses();
      if (auto* sm = dynamic_cast<P::SetMatchContext*>(mc)) {
        auto e = std::make_unique<Expr>(Expr::MatchSet, ps);
        e->a = expr(c->expr());
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
      e->a = expr(c->expr());
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
    throw Error(ps, "unsupported expression");
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
  ExprP var(antlr4::tree::TerminalNode* n) {
    auto e = std::make_unique<Expr>(Expr::Var, pos(n));
    e->name = n->getText();
    return e;
  }

  ExprP base(P::BaseContext* x) {
    Pos ps = pos(x);
    if (auto* c = dynamic_cast<P::SimpleBaseContext*>(x)) return simple(c->simple());
    if (auto* c = dynamic_cast<P::AppBaseContext*>(x)) {
      ExprP f = var(c->NAME());
      for (auto* a : c->arg()) {
        auto app = std::make_unique<Expr>(Expr::App, pos(a));
        app->a = std::move(f);
        app->b = a->NAME() ? var(a->NAME()) : simple(a->simple());
        f = std::move(app);
      }
      return f;
    }
    if (auto* c = dynamic_cast<P::InverseBaseContext*>(x)) return unary(pos(c->HATINV()), Op1::Inverse, base(c->base()));
    if (auto* c = dynamic_cast<P::PostfixBaseContext*>(x)) {
      Op1 op = c->STAR() ? Op1::Star : c->PLUS() ? Op1::Plus : Op1::Opt;
      return unary(pos(c->op), op, base(c->base()));
    }
    if (auto* c = dynamic_cast<P::ComplementBaseContext*>(x)) return unary(ps, Op1::Complement, base(c->base()));
    if (auto* c = dynamic_cast<P::CartesianBaseContext*>(x))
      return binary(pos(c->STAR()), Op2::Cartesian, base(c->base(0)), base(c->base(1)));
    if (auto* c = dynamic_cast<P::InterBaseContext*>(x))
      return binary(pos(c->INTER()), Op2::Inter, base(c->base(0)), base(c->base(1)));
    if (auto* c = dynamic_cast<P::DiffBaseContext*>(x))
      return binary(pos(c->DIFF()), Op2::Diff, base(c->base(0)), base(c->base(1)));
    if (auto* c = dynamic_cast<P::SeqBaseContext*>(x))
      return binary(pos(c->SEMI()), Op2::Seq, base(c->base(0)), base(c->base(1)));
    if (auto* c = dynamic_cast<P::AddBaseContext*>(x))
      return binary(pos(c->PLUSPLUS()), Op2::Add, base(c->base(0)), base(c->base(1)));
    if (auto* c = dynamic_cast<P::UnionBaseContext*>(x))
      return binary(pos(c->UNION()), Op2::Union, base(c->base(0)), base(c->base(1)));
    throw Error(ps, "unsupported expression");
  }

  ExprP simple(P::SimpleContext* x) {
    Pos ps = pos(x);
    if (dynamic_cast<P::EmptySimpleContext*>(x)) return std::make_unique<Expr>(Expr::Empty, ps);
    if (dynamic_cast<P::UniverseSimpleContext*>(x)) return std::make_unique<Expr>(Expr::Universe, ps);
    if (auto* c = dynamic_cast<P::TagSimpleContext*>(x)) {
      auto e = std::make_unique<Expr>(Expr::Tag, ps);
      e->name = c->TAG()->getText().substr(1);
      return e;
    }
    if (auto* c = dynamic_cast<P::SetSimpleContext*>(x)) {
      if (!c->args()) return std::make_unique<Expr>(Expr::Empty, ps);
      auto e = std::make_unique<Expr>(Expr::Set, ps);
      for (auto* b : c->args()->base()) e->elems.push_back(base(b));
      return e;
    }
    if (auto* c = dynamic_cast<P::ParenSimpleContext*>(x)) {
      if (!c->expr()) return std::make_unique<Expr>(Expr::Tuple, ps);  // ()
      return expr(c->expr());
    }
    if (auto* c = dynamic_cast<P::BeginSimpleContext*>(x)) return expr(c->expr());
    if (auto* c = dynamic_cast<P::IdSimpleContext*>(x)) return unary(ps, Op1::ToId, expr(c->expr()));
    throw Error(ps, "unsupported expression");
  }

  std::shared_ptr<const std::string> file_;
};

}  // namespace

std::string Pos::str() const {
  return (file ? *file : std::string("<cat>")) + ":" + std::to_string(line) + ":" + std::to_string(col);
}

File parse_cat(const std::string& text, const std::string& path) {
  antlr4::ANTLRInputStream input(text);
  antlrgen::CatLexer lexer(&input);
  ThrowingListener listener(path);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
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
