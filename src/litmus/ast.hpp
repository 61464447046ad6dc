// Plain C++ AST of a C litmus test. No ANTLR type appears here; every node keeps its source position.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "util/diag.hpp"

namespace paddock::litmus {

struct Expr;
using ExprPtr = std::shared_ptr<const Expr>;

// Expressions of thread bodies and of .def macro bodies.
struct Expr {
  enum class Kind {
    Int,     // value
    Var,     // name: a register, a parameter (holding an address) or a macro parameter
    Unary,   // op ("-", "!", "~", "*" deref, "&" address-of), args[0]
    Binary,  // op, args[0] op args[1]
    Cond,    // args[0] ? args[1] : args[2]
    Cast,    // type, args[0]; casts do not change values
    Call,    // name(args): a macro, or a primitive when `tag`/`is_prim` is set
    OpArg,   // an operator passed as a macro argument: op ("+", "&~", ...)
  };
  Kind kind;
  Pos pos;
  int64_t value = 0;
  std::string name;  // Var, Call
  std::string op;    // Unary, Binary, OpArg
  std::string type;  // Cast
  std::string tag;   // Call with {tag}
  bool has_tag = false;
  bool has_parens = true;  // Call: false for `__fence{MB}`
  std::vector<ExprPtr> args;
};

struct Stmt;
using StmtPtr = std::shared_ptr<const Stmt>;

struct Stmt {
  enum class Kind {
    Block,   // body
    Decl,    // name, type, init (may be null)
    Assign,  // lhs (Var or deref), rhs
    Expr,    // expr
    If,      // cond, body[0] then, body[1] else (optional)
    While,   // cond, body[0]
    Empty,
  };
  Kind kind;
  Pos pos;
  std::string name;
  std::string type;
  ExprPtr lhs, rhs, cond, expr, init;
  std::vector<StmtPtr> body;
};

// One entry of the init block: `int *p = &x;`, `0:r1=2;`, `spinlock_t l;`.
struct InitEntry {
  Pos pos;
  std::string type;   // "" when untyped; words joined by one space ("unsigned long", "struct s")
  int stars = 0;      // pointer depth written before the name
  int thread = -1;    // >= 0 for a register entry `N:reg`
  std::string name;
  std::optional<int> array_size;
  std::vector<int64_t> array_values;  // `t[2]={1,-1}`: the cells given, in order
  bool has_value = false;
  bool value_is_addr = false;  // `&x` or a bare name
  int64_t value = 0;           // when an integer
  std::string addr;            // when an address
  std::string value_text;      // as written, `&` and wrappers dropped (used by the Hash)
  // Assembly code values: `P1:L0` is the address of label L0 of thread 1; `instr:"B .+4"` (or a bare `NOP`)
  // an instruction, `instr` as written. `code` is the value's canonical text, set by the architecture's front
  // end (`label:"P1:L0"`, `instr:"B .+4"`, `NOP`); empty for other values.
  int label_thread = -1;
  std::string label;
  bool is_instr = false;
  std::string instr;
  std::string code;
};

struct Param {
  Pos pos;
  std::string type;  // declared type words
  int stars = 0;
  std::string name;
};

struct Thread {
  Pos pos;
  int id = 0;
  std::string name;  // "P0"
  std::vector<Param> params;
  StmtPtr body;           // a Block
  std::string body_text;  // exact text between the outer braces (the Hash uses it)
};

// A location in the condition or a locations [...] clause.
struct Location {
  Pos pos;
  int thread = -1;  // register when >= 0
  std::string name;
  int reg_rank = -1;  // assembly registers: the architecture's display order (EAX before EBX before ECX ...)
  // A cell `x[k]` shown as part of the whole array (`x={1,2}`: the array named in locations [x] or compared
  // whole in the condition), not as the cell `x[k]=1` on its own.
  bool whole = false;
  // A fault atom `Fault(P0:L0,UndefinedInstruction)`: thread 0, `name` the label, `fault` the kind ("*" when not
  // given); its value is 1 when the execution raised that fault. Shown after the locations.
  std::string fault;
  bool operator==(const Location& o) const {
    return thread == o.thread && name == o.name && whole == o.whole && fault == o.fault;
  }
  bool operator<(const Location& o) const;  // registers first, then names byte-wise (the Hash's order)
  std::string base() const { return name.substr(0, name.find('[')); }  // the array of a cell
};

// herd's order of a state line: registers, then whole locations (plain names and whole arrays) by name, then
// single array cells by array and index (herd's `Loc _` before `Deref _`).
bool display_less(const Location& a, const Location& b);

struct CondValue {
  bool is_addr = false;
  int64_t value = 0;
  std::string addr;
  std::optional<Location> reg;  // `0:r1=1:r2` compares two registers
  // Assembly code values `label:"P0:L0"`, `instr:"B .+4"`: kind and text as written; `code` the canonical text
  // the front end sets (the value's display, compared with final values).
  std::string code_kind, code_text, code;
};

struct Prop;
using PropPtr = std::shared_ptr<const Prop>;

struct Prop {
  enum class Kind { True, False, Atom, Not, And, Or, Implies };
  Kind kind;
  Pos pos;
  Location loc;       // Atom
  bool negated_eq = false;  // Atom written with !=
  CondValue value;    // Atom
  std::string array_name;  // `x={1,2}`, desugared to an And of whole cells `x[0]=1 /\ x[1]=2`: printed as one
  PropPtr left, right;  // Not uses left
};

// An integer C type of an init declaration: its width in bits (0 when not one) and whether it is unsigned.
int type_bits(const std::string& type);
bool type_unsigned(const std::string& type);

enum class Quantifier { None, Exists, NotExists, Forall };

// Every location an atom of the proposition reads (both sides of `0:r1=1:r2`), in source order.
void prop_locations(const PropPtr& p, std::vector<Location>& out);

struct Test {
  std::string file;
  std::string arch;  // "C"
  std::string name;
  std::vector<std::string> docs;
  std::vector<std::pair<std::string, std::string>> meta;  // key=value words of the header
  Pos init_pos;
  std::vector<InitEntry> init;
  std::vector<Thread> threads;
  std::vector<Location> locations;  // locations [...] clause
  PropPtr filter;
  Quantifier quantifier = Quantifier::None;
  PropPtr condition;
};

}  // namespace paddock::litmus
