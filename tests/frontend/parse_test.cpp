#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace paddock;
using litmus::Prop;

TEST_CASE("header, doc string, metadata and comments") {
  auto t = litmus::parse_test(R"(C auto/C-LB-GRR+R-A "a doc string"
(* Result: Never
 * more words *)
Hash=abc
{ }
// a comment
P0(int *x) { /* inside */ WRITE_ONCE(*x, 1); }
exists (x=1) (* trailing *)
)", "t.litmus");
  CHECK(t.arch == "C");
  CHECK(t.name == "auto/C-LB-GRR+R-A");
  REQUIRE(t.docs.size() == 1);
  REQUIRE(t.meta.size() == 1);
  CHECK(t.meta[0].first == "Hash");
  CHECK(t.meta[0].second == "abc");
  REQUIRE(t.threads.size() == 1);
  CHECK(t.threads[0].body_text == " /* inside */ WRITE_ONCE(*x, 1); ");
  CHECK(t.quantifier == litmus::Quantifier::Exists);
}

TEST_CASE("header info lines run to the end of the line, as diy writes them") {
  auto t = litmus::parse_test("C t\nCom=Rf Rf\nOrig=RfeOnceOnce DpDatadW\n{}\nP0(int *x) { }\nexists (x=0)\n", "t.litmus");
  REQUIRE(t.meta.size() == 2);
  CHECK(t.meta[0].second == "Rf Rf");
  CHECK(t.meta[1].first == "Orig");
  CHECK(t.meta[1].second == "RfeOnceOnce DpDatadW");
}

TEST_CASE("init block forms") {
  auto t = litmus::parse_test(R"(C init
{
  x=1; int y = 2; int z; w; int *p = &x; q = y; spinlock_t l; atomic_t a = ATOMIC_INIT(-3);
  unsigned long u = 0x10; intptr_t ip; 0:r1=5; struct srcu_struct s;
}
P0(int *x) { }
exists (0:r1=5)
)", "t.litmus");
  REQUIRE(t.init.size() == 12);
  CHECK(t.init[0].name == "x");
  CHECK(t.init[0].value == 1);
  CHECK(t.init[1].type == "int");
  CHECK(t.init[2].value_text == "0");
  CHECK(t.init[4].stars == 1);
  CHECK(t.init[4].value_is_addr);
  CHECK(t.init[4].addr == "x");
  CHECK(t.init[5].value_is_addr);
  CHECK(t.init[6].type == "spinlock_t");
  CHECK(t.init[7].value == -3);
  CHECK(t.init[8].type == "unsigned long");
  CHECK(t.init[8].value == 16);
  CHECK(t.init[8].value_text == "0x10");
  CHECK(t.init[10].thread == 0);
  CHECK(t.init[10].name == "r1");
  CHECK(t.init[11].type == "struct srcu_struct");
}

TEST_CASE("statements and expressions keep positions") {
  auto t = litmus::parse_test(R"(C stmts
{}
void P0(int *x, spinlock_t *l, atomic_t *a, struct srcu_struct *s)
{
	int r0 = READ_ONCE(*x);
	intptr_t r1;
	r1 = (r0 + 2) * 3 % 4 << 1 >> 1 & 7 | 8 ^ 9;
	if (r0 == 1 && !r1 || ~r0 != -1)
		WRITE_ONCE(*x, 2);
	else {
		*x = (int)r1;
	}
	while (r0 < 2) r0 = READ_ONCE(*x);
	spin_lock(l);
}
forall (0:r0=0 \/ ~0:r1=1 /\ x=2 -> true)
)", "t.litmus");
  const auto& body = t.threads[0].body->body;
  REQUIRE(body.size() == 6);
  CHECK(body[0]->kind == litmus::Stmt::Kind::Decl);
  CHECK(body[0]->pos.line == 5);
  CHECK(body[0]->pos.col == 2);
  CHECK(body[3]->kind == litmus::Stmt::Kind::If);
  CHECK(body[3]->body.size() == 2);
  CHECK(body[4]->kind == litmus::Stmt::Kind::While);
  CHECK(t.threads[0].params.size() == 4);
  CHECK(t.threads[0].params[3].type == "struct srcu_struct");
  CHECK(t.quantifier == litmus::Quantifier::Forall);
  // `\/` binds loosest, then `/\`, then `->`.
  REQUIRE(t.condition->kind == Prop::Kind::Or);
  CHECK(t.condition->right->kind == Prop::Kind::And);
  CHECK(t.condition->right->right->kind == Prop::Kind::Implies);
  CHECK(t.condition->right->left->kind == Prop::Kind::Not);
}

TEST_CASE("condition forms: ~exists, filter, locations, pointer values") {
  auto t = litmus::parse_test(R"(C cond
{ int *p = &x; }
P0(int **p, int *x) { int *r0 = READ_ONCE(*p); }
locations [x; 0:r0;]
filter (0:r0=x)
~exists (p=x /\ *x=2 /\ 0:r0 != 0 /\ [x]=3)
)", "t.litmus");
  CHECK(t.quantifier == litmus::Quantifier::NotExists);
  REQUIRE(t.locations.size() == 2);
  CHECK(t.locations[1].thread == 0);
  REQUIRE(t.filter);
  CHECK(t.filter->value.is_addr);
  auto c = t.condition;
  CHECK(c->kind == Prop::Kind::And);
}

TEST_CASE("a condition may compare two registers, and end with a (*comment*)") {
  auto t = litmus::parse_test("C t\n{}\nP0(int *x) { }\nexists (0:r1=1:r2 /\\ x=1) (*no space*)\n", "t.litmus");
  REQUIRE(t.condition->kind == Prop::Kind::And);
  const auto& atom = *t.condition->left;
  REQUIRE(atom.value.reg);
  CHECK(atom.value.reg->thread == 1);
  CHECK(atom.value.reg->name == "r2");
  std::vector<litmus::Location> locs;
  litmus::prop_locations(t.condition, locs);
  CHECK(locs.size() == 3);
}

TEST_CASE("the C-peterz test of seed 001 parses") {
  auto t = litmus::parse_test(testing::slurp(PADDOCK_SOURCE_DIR "/litmus/C-peterz.litmus"), "C-peterz.litmus");
  CHECK(t.name == "C-peterz");
  CHECK(t.threads.size() == 3);
}
