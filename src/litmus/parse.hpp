// Text -> AST for C litmus tests and .def macro tables. Throws UserError with the position.
#pragma once
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace paddock::litmus {

Test parse_test(const std::string& text, const std::string& file);

// The header, init block and condition section of an assembly test whose program grid the caller has
// blanked out (herd parses these sections alike for every architecture): any arch word, no threads.
Test parse_state(const std::string& text, const std::string& file);

// One entry of a .def table: `NAME(P1,P2) BODY` where BODY is an expression or a { block }.
struct MacroDef {
  Pos pos;
  std::string name;
  std::vector<std::string> params;
  ExprPtr expr;   // expression macro
  StmtPtr block;  // statement macro (a Block)
};

std::vector<MacroDef> parse_def(const std::string& text, const std::string& file);

}  // namespace paddock::litmus
