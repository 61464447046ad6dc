// ANTLR glue: parse with the generated LitmusC parser and build the plain AST.
#include "litmus/parse.hpp"

#include <fmt/format.h>

#include <charconv>

#include "LitmusCLexer.h"
#include "LitmusCParser.h"
#include "antlr4-runtime.h"
#include "litmus/fast_lex.hpp"
#include "litmus/syntax_errors.hpp"

namespace paddock::litmus {

using P = LitmusCParser;

namespace {

Pos pos_of(const antlr4::Token* t) { return {int(t->getLine()), int(t->getCharPositionInLine()) + 1}; }
Pos pos_of(antlr4::ParserRuleContext* c) { return pos_of(c->getStart()); }

class Builder {
 public:
  Builder(std::string file, antlr4::CharStream* input) : file_(std::move(file)), input_(input) {}

  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(file_, pos, msg); }

  int64_t parse_int(const antlr4::Token* t, bool negative) const {
    std::string s = t->getText();
    int base = 10;
    const char* b = s.data();
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) base = 16, b += 2;
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), v, base);
    // Assembly tests (state_only_) hold 64-bit registers and locations.
    if (state_only_ && ec == std::errc() && p == s.data() + s.size()) return negative ? int64_t(0 - v) : int64_t(v);
    if (ec != std::errc() || p != s.data() + s.size() || v > (uint64_t(1) << 32))
      fail(pos_of(t), fmt::format("integer literal '{}' does not fit in 32 bits", s));
    int64_t r = negative ? -int64_t(v) : int64_t(v);
    if (r < INT32_MIN || r > int64_t(UINT32_MAX))
      fail(pos_of(t), fmt::format("integer literal '{}' does not fit in 32 bits", s));
    return r;
  }

  static std::string type_text(P::TypeSpecContext* t) {
    std::string out;
    for (auto* child : t->children) {
      if (!out.empty()) out += ' ';
      out += child->getText();
    }
    return out;
  }

  std::string text_between(const antlr4::Token* open, const antlr4::Token* close) const {
    size_t a = open->getStopIndex() + 1;
    if (close->getStartIndex() == 0 || close->getStartIndex() < a) return "";
    return input_->getText(antlr4::misc::Interval(a, close->getStartIndex() - 1));
  }

  // ---------------------------------------------------------------- expressions
  ExprPtr expr(P::ExprContext* c) {
    auto e = std::make_shared<Expr>();
    e->pos = pos_of(c);
    if (auto* x = dynamic_cast<P::IntExprContext*>(c)) {
      e->kind = Expr::Kind::Int;
      e->value = parse_int(x->num, false);
    } else if (auto* x = dynamic_cast<P::VarExprContext*>(c)) {
      e->kind = Expr::Kind::Var;
      e->name = x->ident()->getText();
    } else if (auto* x = dynamic_cast<P::ParenExprContext*>(c)) {
      return expr(x->expr());
    } else if (auto* x = dynamic_cast<P::CastExprContext*>(c)) {
      e->kind = Expr::Kind::Cast;
      e->type = x->castType()->getText();
      e->args.push_back(expr(x->expr()));
    } else if (auto* x = dynamic_cast<P::UnaryExprContext*>(c)) {
      // A negative literal is a literal, as herd reads it.
      if (x->op->getType() == LitmusCLexer::MINUS)
        if (auto* lit = dynamic_cast<P::IntExprContext*>(x->expr())) {
          e->kind = Expr::Kind::Int;
          e->value = parse_int(lit->num, true);
          return e;
        }
      e->kind = Expr::Kind::Unary;
      e->op = x->op->getText();
      e->args.push_back(expr(x->expr()));
    } else if (auto* x = dynamic_cast<P::BinExprContext*>(c)) {
      e->kind = Expr::Kind::Binary;
      e->op = x->op->getText();
      e->args.push_back(expr(x->expr(0)));
      e->args.push_back(expr(x->expr(1)));
    } else if (auto* x = dynamic_cast<P::CondExprContext*>(c)) {
      e->kind = Expr::Kind::Cond;
      for (auto* a : x->expr()) e->args.push_back(expr(a));
    } else if (auto* x = dynamic_cast<P::CallExprContext*>(c)) {
      e->kind = Expr::Kind::Call;
      e->name = x->name->getText();
      if (x->args()) args(x->args(), e->args);
    } else if (auto* x = dynamic_cast<P::PrimExprContext*>(c)) {
      e->kind = Expr::Kind::Call;
      e->name = x->name->getText();
      e->has_tag = true;
      e->tag = x->tag()->getText();
      e->has_parens = x->LPAREN() != nullptr;
      if (x->args()) args(x->args(), e->args);
    } else {
      fail(e->pos, "unsupported expression");
    }
    return e;
  }

  void args(P::ArgsContext* c, std::vector<ExprPtr>& out) {
    for (auto* a : c->arg()) {
      if (a->expr()) {
        out.push_back(expr(a->expr()));
      } else {
        auto e = std::make_shared<Expr>();
        e->kind = Expr::Kind::OpArg;
        e->pos = pos_of(a);
        e->op = a->getText();
        out.push_back(e);
      }
    }
  }

  // ---------------------------------------------------------------- statements
  StmtPtr block(P::BlockContext* c) {
    auto s = std::make_shared<Stmt>();
    s->kind = Stmt::Kind::Block;
    s->pos = pos_of(c);
    for (auto* st : c->stmt()) s->body.push_back(stmt(st));
    return s;
  }

  StmtPtr stmt(P::StmtContext* c) {
    auto s = std::make_shared<Stmt>();
    s->pos = pos_of(c);
    if (auto* x = dynamic_cast<P::BlockStmtContext*>(c)) return block(x->block());
    if (auto* x = dynamic_cast<P::DeclStmtContext*>(c)) {
      // `int r0, r1 = 2;` becomes one Decl per declarator inside a Block.
      std::string type = type_text(x->typeSpec());
      auto decls = x->declarator();
      auto one = [&](P::DeclaratorContext* d) {
        auto ds = std::make_shared<Stmt>();
        ds->kind = Stmt::Kind::Decl;
        ds->pos = decls.size() == 1 ? pos_of(c) : pos_of(d);
        ds->type = type;
        ds->name = d->ident()->getText();
        if (d->expr()) ds->init = expr(d->expr());
        return ds;
      };
      if (decls.size() == 1) return one(decls[0]);
      s->kind = Stmt::Kind::Block;
      for (auto* d : decls) s->body.push_back(one(d));
      return s;
    }
    if (auto* x = dynamic_cast<P::IfStmtContext*>(c)) {
      s->kind = Stmt::Kind::If;
      s->cond = expr(x->expr());
      for (auto* b : x->stmt()) s->body.push_back(stmt(b));
      return s;
    }
    if (auto* x = dynamic_cast<P::WhileStmtContext*>(c)) {
      s->kind = Stmt::Kind::While;
      s->cond = expr(x->expr());
      s->body.push_back(stmt(x->stmt()));
      return s;
    }
    if (auto* x = dynamic_cast<P::ExprStmtContext*>(c)) {
      if (!x->rhs) {
        s->kind = Stmt::Kind::Expr;
        s->expr = expr(x->lhs);
        return s;
      }
      s->kind = Stmt::Kind::Assign;
      s->lhs = expr(x->lhs);
      s->rhs = expr(x->rhs);
      bool ok = s->lhs->kind == Expr::Kind::Var ||
                (s->lhs->kind == Expr::Kind::Unary && s->lhs->op == "*");
      if (!ok) fail(s->lhs->pos, "expected a register or *pointer on the left of '='");
      return s;
    }
    s->kind = Stmt::Kind::Empty;
    return s;
  }

  // ---------------------------------------------------------------- init block
  InitEntry init_entry(P::InitEntryContext* c) {
    InitEntry e;
    e.pos = pos_of(c);
    if (c->typeSpec()) e.type = type_text(c->typeSpec());
    e.stars = int(c->stars.size());
    if (auto* r = dynamic_cast<P::RegLocContext*>(c->initLoc())) {
      e.thread = int(parse_int(r->tid, false));
      e.name = r->ident()->getText();
    } else if (auto* r = dynamic_cast<P::SymRegLocContext*>(c->initLoc())) {
      if (!state_only_) fail(e.pos, "a symbolic register (%r): only assembly tests have them");
      e.name = "%" + r->ident()->getText();
    } else if (auto* b = dynamic_cast<P::BracketGlobalLocContext*>(c->initLoc())) {
      e.name = b->ident()->getText();
    } else {
      e.name = c->initLoc()->getText();
    }
    if (c->size) e.array_size = int(parse_int(c->size, false));
    if (auto* v = c->initValue()) {
      e.has_value = true;
      init_value(v, e);
    } else {
      e.value_text = "0";
    }
    return e;
  }

  void init_value(P::InitValueContext* v, InitEntry& e) {
    if (auto* x = dynamic_cast<P::IntValueContext*>(v)) {
      e.value = parse_int(x->num, x->MINUS() != nullptr);
      e.value_text = (x->MINUS() ? "-" : "") + x->num->getText();
    } else if (auto* x = dynamic_cast<P::AddrValueContext*>(v)) {
      e.value_is_addr = true;
      e.addr = x->ident()->getText();
      e.value_text = e.addr;
      if (x->cell) {  // a cell of an array: named `x[1]`, digested as herd prints it, `x+1`
        e.addr += "[" + x->cell->getText() + "]";
        e.value_text += "+" + x->cell->getText();
      }
    } else if (auto* x = dynamic_cast<P::LabelValueContext*>(v)) {
      std::string proc = x->proc->getText();
      int t = -1;
      if (proc.size() > 1 && proc.size() < 6 && proc[0] == 'P' && proc.find_first_not_of("0123456789", 1) == std::string::npos)
        t = std::stoi(proc.substr(1));
      if (t < 0) fail(pos_of(x), fmt::format("expected a thread P<n> before ':{}', found '{}'", x->lbl->getText(), proc));
      code_only(pos_of(x), "a code address");
      e.label_thread = t;
      e.label = x->lbl->getText();
      e.value_text = fmt::format("{}:{}", t, e.label);
    } else if (auto* x = dynamic_cast<P::CodeValueContext*>(v)) {
      std::string kind = x->kind->getText(), text = x->STRING()->getText();
      text = text.substr(1, text.size() - 2);
      if (kind != "instr") fail(pos_of(x), fmt::format("expected instr:\"...\" as an initial value, found {}:", kind));
      code_only(pos_of(x), "an instruction");
      e.is_instr = true;
      e.instr = text;
      e.value_text = fmt::format("instr:\"{}\"", text);
    } else if (auto* x = dynamic_cast<P::WrappedValueContext*>(v)) {
      init_value(x->initValue(), e);
    } else if (auto* x = dynamic_cast<P::ArrayValueContext*>(v)) {
      if (!e.array_size) fail(pos_of(x), fmt::format("a list of values initialises an array, and {} is not one", e.name));
      for (auto* item : x->arrayItem()) e.array_values.push_back(parse_int(item->num, item->MINUS() != nullptr));
      if (e.array_values.size() > size_t(*e.array_size))
        fail(pos_of(x), fmt::format("{} values for the {} cells of {}", e.array_values.size(), *e.array_size, e.name));
    }
  }

  // Code values belong to assembly tests.
  void code_only(Pos pos, const char* what) const {
    if (!state_only_) fail(pos, fmt::format("{} as a value: only assembly tests have code values", what));
  }

  // ---------------------------------------------------------------- condition
  Location location(P::LocationContext* c) {
    Location l;
    l.pos = pos_of(c);
    if (auto* r = dynamic_cast<P::RegLocationContext*>(c)) {
      l.thread = int(parse_int(r->tid, false));
      l.name = r->ident()->getText();
    } else if (auto* a = dynamic_cast<P::CellLocationContext*>(c)) {
      l.name = a->ident()->getText() + "[" + a->cell->getText() + "]";
    } else if (auto* m = dynamic_cast<P::MemLocationContext*>(c)) {
      l.name = m->ident()->getText();
    } else if (auto* b = dynamic_cast<P::BracketLocationContext*>(c)) {
      l.name = b->ident()->getText();
    }
    return l;
  }

  // `x={1,2}` holds when every cell holds its value: an And of atoms on the whole cells `x[0]`, `x[1]`.
  PropPtr array_prop(P::ArrayPropContext* x) {
    std::string name = x->ident()->getText();
    std::vector<int64_t> vals;
    for (auto* item : x->arrayItem()) vals.push_back(parse_int(item->num, item->MINUS() != nullptr));
    if (vals.empty()) fail(pos_of(x), fmt::format("{}={{}} compares no cell", name));
    PropPtr out;
    for (size_t k = vals.size(); k-- > 0;) {
      auto a = std::make_shared<Prop>();
      a->kind = Prop::Kind::Atom;
      a->pos = pos_of(x);
      a->loc.pos = pos_of(x);
      a->loc.name = fmt::format("{}[{}]", name, k);
      a->loc.whole = true;
      a->value.value = vals[k];
      if (!out) {
        out = a;
        continue;
      }
      auto n = std::make_shared<Prop>();
      n->kind = Prop::Kind::And;
      n->pos = pos_of(x);
      n->left = a;
      n->right = out;
      out = n;
    }
    auto top = std::make_shared<Prop>(*out);
    top->array_name = name;
    return top;
  }

  PropPtr prop(P::PropContext* c) {
    auto p = std::make_shared<Prop>();
    p->pos = pos_of(c);
    if (auto* x = dynamic_cast<P::ParenPropContext*>(c)) return prop(x->prop());
    if (auto* x = dynamic_cast<P::NotPropContext*>(c)) {
      p->kind = Prop::Kind::Not;
      p->left = prop(x->prop());
    } else if (auto* x = dynamic_cast<P::ImpPropContext*>(c)) {
      p->kind = Prop::Kind::Implies;
      p->left = prop(x->prop(0));
      p->right = prop(x->prop(1));
    } else if (auto* x = dynamic_cast<P::AndPropContext*>(c)) {
      p->kind = Prop::Kind::And;
      p->left = prop(x->prop(0));
      p->right = prop(x->prop(1));
    } else if (auto* x = dynamic_cast<P::OrPropContext*>(c)) {
      p->kind = Prop::Kind::Or;
      p->left = prop(x->prop(0));
      p->right = prop(x->prop(1));
    } else if (dynamic_cast<P::TruePropContext*>(c)) {
      p->kind = Prop::Kind::True;
    } else if (dynamic_cast<P::FalsePropContext*>(c)) {
      p->kind = Prop::Kind::False;
    } else if (auto* x = dynamic_cast<P::ArrayPropContext*>(c)) {
      return array_prop(x);
    } else if (auto* x = dynamic_cast<P::FaultPropContext*>(c)) {
      std::string f = x->f->getText(), proc = x->proc->getText();
      if (f != "Fault" && f != "fault") fail(pos_of(x), fmt::format("expected a condition, found '{}('", f));
      if (!state_only_) fail(pos_of(x), "a fault atom: only assembly tests have them");
      if (proc.size() < 2 || proc.size() > 5 || proc[0] != 'P' || proc.find_first_not_of("0123456789", 1) != std::string::npos)
        fail(pos_of(x->proc), fmt::format("expected a thread P<n>, found '{}'", proc));
      p->kind = Prop::Kind::Atom;
      p->loc.pos = pos_of(x);
      p->loc.thread = std::stoi(proc.substr(1));
      p->loc.name = x->lbl->getText();
      p->loc.fault = x->kind ? x->kind->getText() : "*";
      p->value.value = 1;
    } else if (auto* x = dynamic_cast<P::AtomPropContext*>(c)) {
      p->kind = Prop::Kind::Atom;
      p->loc = location(x->location());
      p->negated_eq = x->ne2 || x->op->getType() == LitmusCLexer::NE;
      auto* v = x->value();
      if (v->tid) {
        Location r;
        r.pos = pos_of(v);
        r.thread = int(parse_int(v->tid, false));
        r.name = v->ident()->getText();
        p->value.reg = r;
      } else if (v->STRING()) {
        std::string kind = v->kind->getText(), text = v->STRING()->getText();
        if (kind != "instr" && kind != "label")
          fail(pos_of(v), fmt::format("expected instr:\"...\" or label:\"...\", found {}:", kind));
        code_only(pos_of(v), kind == "label" ? "a code address" : "an instruction");
        p->value.code_kind = kind;
        p->value.code_text = text.substr(1, text.size() - 2);
      } else if (v->ident()) {
        p->value.is_addr = true;
        p->value.addr = v->ident()->getText();
      } else {
        p->value.value = parse_int(v->num, v->MINUS() != nullptr);
      }
    }
    return p;
  }

  // ---------------------------------------------------------------- whole test
  Test test(P::FileContext* f) {
    Test t;
    t.file = file_;
    auto* h = f->header();
    t.arch = h->arch->getText();
    if (t.arch != "C" && !state_only_)
      fail(pos_of(h->arch), fmt::format("expected 'C' (a C litmus test), found '{}'", t.arch));
    if (!h->name)
      fail(pos_of(f->initBlock()), state_only_ ? "expected the test's name after the architecture"
                                               : "expected the test's name after 'C'");
    t.name = h->name->getText();
    for (auto* d : h->docs) t.docs.push_back(d->getText());
    size_t meta_line = 0;  // line of the last key=value word: herd's value runs to the end of the line
    for (auto* m : h->meta) {
      std::string w = m->getText();
      auto eq = w.find('=');
      if (eq != std::string::npos && eq > 0) {
        t.meta.emplace_back(w.substr(0, eq), w.substr(eq + 1));
        meta_line = m->getLine();
        continue;
      }
      if (!t.meta.empty() && m->getLine() == meta_line) {  // `Com=Rf Rf` (diy's info lines)
        t.meta.back().second += " " + w;
        continue;
      }
      // Any other header text is skipped, as herd's splitter does (find_init): a second `C name` line, free prose,
      // the tail of a nested (* (* *) *) comment.
    }
    t.init_pos = pos_of(f->initBlock());
    for (auto* e : f->initBlock()->initEntry()) t.init.push_back(init_entry(e));
    for (auto* th : f->thread()) {
      Thread tr;
      tr.pos = pos_of(th);
      tr.name = th->name->getText();
      int expect = int(t.threads.size());
      if (tr.name != fmt::format("P{}", expect))
        fail(pos_of(th->name), fmt::format("expected thread P{}, found '{}' (threads must be P0, P1, ... in order)",
                                           expect, tr.name));
      tr.id = expect;
      for (auto* pc : th->param()) {
        Param p;
        p.pos = pos_of(pc);
        p.type = type_text(pc->typeSpec());
        p.stars = int(pc->stars.size());
        p.name = pc->ident()->getText();
        if (p.stars == 0)
          fail(p.pos, fmt::format("parameter '{}' must be a pointer (write '{} *{}')", p.name, p.type, p.name));
        tr.params.push_back(p);
      }
      tr.body = block(th->block());
      tr.body_text = text_between(th->block()->LBRACE()->getSymbol(), th->block()->RBRACE()->getSymbol());
      t.threads.push_back(std::move(tr));
    }
    if (t.threads.empty() && !state_only_) fail(pos_of(f->condSection()), "expected at least one thread P0(...) { ... }");
    auto* cs = f->condSection();
    if (auto* l = cs->locationsClause())
      for (auto* loc : l->location()) t.locations.push_back(location(loc));
    if (auto* fl = cs->filterClause()) t.filter = prop(fl->prop());
    if (auto* c = cs->condition()) {
      if (c->neg) t.quantifier = Quantifier::NotExists;
      else if (c->quant->getType() == LitmusCLexer::EXISTS) t.quantifier = Quantifier::Exists;
      else t.quantifier = Quantifier::Forall;
      t.condition = prop(c->prop());
    }
    return t;
  }

  MacroDef def_entry(P::DefEntryContext* c) {
    MacroDef m;
    m.pos = pos_of(c);
    auto ids = c->ident();
    m.name = ids[0]->getText();
    for (size_t i = 1; i < ids.size(); ++i) m.params.push_back(ids[i]->getText());
    if (c->block()) m.block = block(c->block());
    else m.expr = expr(c->expr());
    return m;
  }

  bool state_only_ = false;  // an assembly test's header, init and condition (parse_state)

 private:
  std::string file_;
  antlr4::CharStream* input_;
};

// Runs `rule` on a fresh parser: SLL first (fast, no error reporting), full LL with the
// throwing listener when SLL gives up, so errors are reported by the precise algorithm.
template <class Rule>
auto run_parser(const std::string& text, const std::string& file, bool code_mode, Rule rule) {
  check_utf8(text, file);
  antlr4::ANTLRInputStream input(text);
  ThrowingListener listener(file);
  // The hand-written equivalent of LitmusCLexer (litmus/fast_lex.hpp) when it can, else LitmusCLexer itself.
  std::unique_ptr<antlr4::TokenSource> source;
  std::vector<std::unique_ptr<antlr4::Token>> fast;
  if (fast_lex(text, code_mode, fast)) {
    source = std::make_unique<antlr4::ListTokenSource>(std::move(fast), file);
  } else {
    auto lexer = std::make_unique<LitmusCLexer>(&input);
    lexer->removeErrorListeners();
    lexer->addErrorListener(&listener);
    if (code_mode) lexer->setMode(LitmusCLexer::CODE);
    source = std::move(lexer);
  }
  antlr4::CommonTokenStream tokens(source.get());
  LitmusCParser parser(&tokens);
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  Builder builder(file, &input);
  try {
    return rule(parser, builder);
  } catch (antlr4::ParseCancellationException&) {
  }
  tokens.seek(0);
  parser.reset();
  parser.addErrorListener(&listener);
  parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
  return rule(parser, builder);
}

}  // namespace

Test parse_test(const std::string& text, const std::string& file) {
  return run_parser(text, file, false, [](LitmusCParser& p, Builder& b) { return b.test(p.file()); });
}

Test parse_state(const std::string& text, const std::string& file) {
  return run_parser(text, file, false, [](LitmusCParser& p, Builder& b) {
    b.state_only_ = true;
    return b.test(p.file());
  });
}

std::vector<MacroDef> parse_def(const std::string& text, const std::string& file) {
  return run_parser(text, file, true, [](LitmusCParser& p, Builder& b) {
    std::vector<MacroDef> out;
    for (auto* e : p.defFile()->defEntry()) out.push_back(b.def_entry(e));
    return out;
  });
}

}  // namespace paddock::litmus
