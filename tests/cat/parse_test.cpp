#include <catch2/catch.hpp>

#include "cat/interpreter.hpp"
#include "cat/parse.hpp"
#include "helpers.hpp"

using namespace cat_test;

namespace {
std::string load_error(const std::string& text) {
  try {
    model(text);
  } catch (const cat::Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("parse: header, nested comments, all instruction forms") {
  auto f = cat::parse_cat(R"("My model" (* a (* nested *) comment *)
// line comment
enum Fences = 'mb || 'wmb-x
instructions F[Fences]
let a = po | rf and b = (po ; rf)^-1
let rec c = a | (c ; a)
let f(x, y) = x & y
let g x = fun y -> x \ y
let h = fun (p, q) -> p * q
flag ~empty a as fl
~irreflexive b as irr
acyclic c
show a, b
show a as aa
unshow b
procedure p(x) = empty x end
call p(a) as pp
with z from W
let m = match z with || {} -> 0 || e ++ s -> {e} end
let t = try nosuch with 0
let v = if "var" then _ else 0
let tup = a, b
)",
                          "m.cat");
  CHECK(f.title == "My model");
  REQUIRE(f.stmts.size() == 20);
  CHECK(f.stmts[0]->kind == cat::Stmt::Enum);
  CHECK(f.stmts[0]->names == std::vector<std::string>{"mb", "wmb-x"});
  CHECK(f.stmts[2]->binds.size() == 2);
  CHECK(f.stmts[3]->kind == cat::Stmt::LetRec);
  CHECK(f.stmts[7]->test_type == cat::Stmt::Flag);
  CHECK(f.stmts[7]->negated);
  CHECK(f.stmts[7]->name == "fl");
  CHECK(f.stmts[8]->check == cat::Stmt::Irreflexive);
  CHECK(f.stmts[8]->negated);
  CHECK(f.stmts[13]->kind == cat::Stmt::Procedure);
  CHECK(f.stmts[15]->kind == cat::Stmt::With);
  CHECK(f.stmts[15]->pos.line == 18);
  CHECK(f.stmts[15]->pos.col == 1);
  CHECK(f.stmts[19]->binds[0].rhs->kind == cat::Expr::Tuple);
}

TEST_CASE("parse: operator precedence follows herd") {
  // a | b ; c & d  ==  a | (b ; (c & d))
  auto f = cat::parse_cat("let x = a | b ; c & d \\ e\nlet y = ~a | b\nlet z = a ; b^-1*", "p.cat");
  const cat::Expr& x = *f.stmts[0]->binds[0].rhs;
  REQUIRE(x.kind == cat::Expr::Binary);
  CHECK(x.op2 == cat::Op2::Union);
  CHECK(x.b->op2 == cat::Op2::Seq);
  CHECK(x.b->b->op2 == cat::Op2::Diff);     // \ binds looser than &
  CHECK(x.b->b->a->op2 == cat::Op2::Inter);
  const cat::Expr& y = *f.stmts[1]->binds[0].rhs;
  CHECK(y.op2 == cat::Op2::Union);
  CHECK(y.a->kind == cat::Expr::Unary);
  CHECK(y.a->op1 == cat::Op1::Complement);
  const cat::Expr& z = *f.stmts[2]->binds[0].rhs;
  CHECK(z.op2 == cat::Op2::Seq);
  CHECK(z.b->op1 == cat::Op1::Star);
  CHECK(z.b->a->op1 == cat::Op1::Inverse);
}

TEST_CASE("parse: cartesian product versus postfix star") {
  auto f = cat::parse_cat("let x = (A * B) & loc\nlet y = r* ; s\nlet z = A * B", "p.cat");
  CHECK(f.stmts[0]->binds[0].rhs->a->op2 == cat::Op2::Cartesian);
  CHECK(f.stmts[1]->binds[0].rhs->a->op1 == cat::Op1::Star);
  CHECK(f.stmts[2]->binds[0].rhs->op2 == cat::Op2::Cartesian);
}

TEST_CASE("parse errors name file, line, column, expected and found") {
  CHECK(load_error("let x = po\nlet = rf") == "test.cat:2:5: error: expected one of {'rec', '(', '_', NAME}, found '='");
  CHECK(load_error("let x = po |") == "test.cat:1:13: error: expected one of {'begin', '~', '(', '[', '{', '0', '_', NAME, "
                                     "TAG}, found end of file");
  std::string e = load_error("acyclic po $ rf");
  CHECK(e == "test.cat:1:12: error: unexpected character '$'");
  CHECK(load_error("let x = (po | rf") == "test.cat:1:17: error: expected ')', found end of file");
  CHECK(load_error("let x = po\nacyclic x as") == "test.cat:2:13: error: expected NAME, found end of file");
}

TEST_CASE("ill-formed UTF-8 gets a positioned error (found by fuzz_cat)") {
  // Overlong forms and surrogates passed the old byte-pattern check and made ANTLR's input stream throw
  // std::range_error out of parse_cat.
  CHECK(load_error("let x = po\n(* \xc0\xba *)") ==
        "test.cat:2:4: error: unexpected byte 0xc0 (the file is not UTF-8 text)");
  CHECK(load_error("let x = \"\xed\xa0\x80\"") == "test.cat:1:10: error: unexpected byte 0xed (the file is not UTF-8 text)");
  CHECK(load_error("let x = po (* \xf4\x90\x80\x80 *)").find("unexpected byte 0xf4") != std::string::npos);
  CHECK(load_error("let x = po (* caf\xc3\xa9 *)") == "no error");
}

TEST_CASE("include errors and evaluation errors carry positions") {
  CHECK(load_error("let a = po\n  include \"nope.cat\"") == "test.cat:2:3: error: cannot find included file \"nope.cat\"");
  cat::Candidate c = build({{0, 0, 'W'}});
  try {
    (void)model("let a = po\nlet b = a | nosuch\n");  // found at load, before any candidate
    FAIL("expected an error");
  } catch (const cat::Error& e) {
    CHECK(std::string(e.what()) ==
          "test.cat:2:13: error: unknown identifier 'nosuch' (defined neither by the model nor by the engine)");
    CHECK(e.line == 2);
    CHECK(e.col == 13);
    CHECK(e.file == "test.cat");
  }
  auto m2 = model("acyclic W as bad");
  CHECK_THROWS_WITH(run(*m2, c), "test.cat:1:9: error: acyclic: expected a relation, found event set {0}");
  auto m3 = model("let x = po ; W");
  CHECK_THROWS_WITH(run(*m3, c), Catch::Contains("test.cat:1:12: error: ;: cannot combine relation"));
}
