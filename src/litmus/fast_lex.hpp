// A hand-written equivalent of the generated LitmusCLexer (grammar/LitmusCLexer.g4). The lexer runs in every
// process on every test and on the macro entries the test uses; ANTLR's lexer starts cold in each process (its
// ATN is deserialised and its DFA built character by character), this one does not.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace antlr4 {
class Token;
}

namespace paddock::litmus {

// Appends to `out` the tokens LitmusCLexer gives for `text` (starting in its header mode, or in mode CODE as for a
// .def table), ending with EOF: same types, texts, lines, columns and character indices. Returns false (with
// `out` in an unspecified state) when the text holds anything it leaves to LitmusCLexer: a lexical error, or bytes
// that are not valid UTF-8.
bool fast_lex(const std::string& text, bool code_mode, std::vector<std::unique_ptr<antlr4::Token>>& out);

// For tests: the tokens of `text` as (type, text, line, column, start, stop), from fast_lex (hand_written; empty
// when it leaves the text to LitmusCLexer) or from LitmusCLexer (throws on a lexical error).
struct LexedToken {
  size_t type;
  std::string text;
  size_t line, col, start, stop;
  bool operator==(const LexedToken&) const = default;
};
std::vector<LexedToken> lex_litmus(const std::string& text, bool code_mode, bool hand_written);

}  // namespace paddock::litmus
