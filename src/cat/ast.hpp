// Plain C++ syntax tree of a cat file (no ANTLR types). Every node carries its source position.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace paddock::cat {

struct Pos {
  std::shared_ptr<const std::string> file;
  int line = 0, col = 0;
  std::string str() const;  // "FILE:LINE:COL"
};

struct Expr;
using ExprP = std::unique_ptr<Expr>;

// A binder: one name (`x`, or "" for `_`) or a tuple of names (`(x, y)`).
struct Pattern {
  std::vector<std::string> names;
  bool tuple = false;
};

struct Binding {
  Pos pos;
  Pattern pat;
  ExprP rhs;
};

// How a variable reference was resolved by the loader (see resolve.cpp).
struct VarRef {
  enum Kind { Unresolved, Global, Local, Free } kind = Unresolved;
  int depth = 0;  // Local: number of frames to walk up
  int index = 0;  // Global: slot; Local: slot in frame; Free: index in Model::free_names
};

enum class Op1 { Star, Plus, Opt, Inverse, Complement, ToId };
enum class Op2 { Union, Inter, Diff, Seq, Cartesian, Add };

struct Cond {
  enum Kind { Variant, Eq, Subset, In } kind = Variant;
  std::string variant;
  ExprP a, b;
};

struct Expr {
  enum Kind {
    Empty,      // 0 / {}
    Universe,   // _
    Var,        // name
    Tag,        // 'name
    Set,        // {e1, ..., en}
    Tuple,      // (e1, ..., en), n != 1
    Unary,      // op1 a
    Binary,     // a op2 b
    App,        // a b  (b = argument)
    Let,        // let bindings in body
    LetRec,     // let rec bindings in body
    Fun,        // fun pat -> body
    Try,        // try a with b
    If,         // if cond then a else b
    MatchSet,   // match a with {} -> b || x ++ s -> c
    MatchTag,   // match a with 't -> e || ... || _ -> d
  } kind;
  Pos pos;
  std::string name;          // Var, Tag, Fun (function name for messages); MatchSet: element name
  std::string name2;         // MatchSet: rest name
  VarRef ref;                // Var
  Op1 op1 = Op1::Star;
  Op2 op2 = Op2::Union;
  ExprP a, b, c;
  std::vector<ExprP> elems;  // Set, Tuple; MatchTag: clause bodies
  std::vector<std::string> tags;  // MatchTag: clause tags
  std::vector<Binding> binds;     // Let, LetRec
  Pattern pat;                    // Fun
  std::unique_ptr<Cond> cond;     // If
  int frame_size = 0;             // Let/LetRec/Fun/MatchSet: slots in the frame they open

  Expr(Kind k, Pos p) : kind(k), pos(std::move(p)) {}
};

struct Stmt;
using StmtP = std::unique_ptr<Stmt>;

struct Stmt {
  enum Kind {
    Let, LetRec, Check, Show, Unshow, Include, Procedure, Call, Forall, With,
    Instructions, Enum, IfVariant, Debug,
  } kind;
  Pos pos;
  std::vector<Binding> binds;  // Let, LetRec
  std::vector<int> slots;      // Let/LetRec/With/Forall: slots bound (global, or in the local frame)
  bool local = false;          // slots are in the current local frame (inside procedure bodies)
  // Check
  enum CheckKind { Acyclic, Irreflexive, IsEmpty } check = Acyclic;
  enum TestType { Plain, Flag, Requires } test_type = Plain;
  bool negated = false;
  ExprP expr;                  // Check, Show-as, With, Forall, Call argument, Debug, Instructions args (unused)
  std::string name;            // Check `as`, Show-as name, Include file, Procedure/Call/With/Forall/Enum name
  std::vector<std::string> names;  // Show/Unshow names, Enum tags
  Pattern pat;                 // Procedure parameters
  std::vector<StmtP> body;     // Procedure, Forall, IfVariant then-branch
  std::vector<StmtP> else_body;  // IfVariant
  std::unique_ptr<Cond> cond;  // IfVariant
  int frame_size = 0;          // Procedure/Forall: size of their frame
  VarRef proc;                 // Call: the procedure's slot

  Stmt(Kind k, Pos p) : kind(k), pos(std::move(p)) {}
};

struct File {
  std::string path;
  std::string title;  // model name, if any
  std::vector<StmtP> stmts;
};

}  // namespace paddock::cat
