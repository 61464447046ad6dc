// Cat text -> syntax tree. Throws cat::Error ("FILE:LINE:COL: error: expected X, found Y").
#pragma once

#include <string>
#include <vector>

#include "cat/ast.hpp"

namespace paddock::cat {

File parse_cat(const std::string& text, const std::string& path);

// Runs ANTLR's verification of the generated lexer's and parser's ATNs, which their lazy initialisation skips
// (see cmake/AntlrPatch.cmake). Throws if either fails. For tests.
void verify_cat_grammar();

// For tests: the tokens of `text` from the hand-written lexer parse_cat uses (throws Error when it leaves the text
// to CatLexer) or from the ANTLR-generated CatLexer (throws Error on a lexical error). Ends with EOF.
struct CatToken {
  size_t type;
  std::string text;
  size_t line, col, start, stop;
  bool operator==(const CatToken&) const = default;
};
std::vector<CatToken> lex_cat(const std::string& text, bool hand_written);

}  // namespace paddock::cat
