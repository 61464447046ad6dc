#include "litmus/syntax_errors.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "util/utf8.hpp"

namespace paddock::litmus {

void check_utf8(const std::string& text, const std::string& file) {
  // NUL is well-formed UTF-8 but no litmus text holds it.
  if (auto bad = find_bad_utf8(text, true))
    throw UserError(file, {bad->line, bad->col},
                    fmt::format("expected text, found byte 0x{:02x} (the file is not UTF-8 text)", bad->byte));
}

static std::string describe(antlr4::Token* t) {
  if (!t || t->getType() == antlr4::Token::EOF) return "end of file";
  std::string s = t->getText();
  if (s.size() > 40) s = s.substr(0, 40) + "...";
  return fmt::format("'{}'", s);
}

void ThrowingListener::syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                                   size_t col, const std::string& msg, std::exception_ptr e) {
  Pos pos{int(line), int(col) + 1};
  auto* parser = dynamic_cast<antlr4::Parser*>(recognizer);
  if (!parser) {
    // Lexer: msg is "token recognition error at: '...'".
    auto at = msg.find("at: ");
    std::string what = at == std::string::npos ? msg : msg.substr(at + 4);
    throw UserError(file_, pos, fmt::format("unexpected character {}", what));
  }
  // A thread body left open swallows the condition: say so at the condition keyword.
  auto stack = parser->getRuleInvocationStack();
  if (std::find(stack.begin(), stack.end(), "block") != stack.end() && offending) {
    auto* ts = parser->getTokenStream();
    for (size_t k = offending->getTokenIndex() + 1, back = 0; k-- > 0 && back < 8; ++back) {
      antlr4::Token* t = ts->get(k);
      std::string w = t->getText();
      if (t->getCharPositionInLine() == 0 &&
          (w == "exists" || w == "forall" || w == "locations" || w == "filter" || w == "final")) {
        throw UserError(file_, {int(t->getLine()), 1},
                        fmt::format("expected '}}' to close the thread body before '{}', found '{}'", w, w));
      }
      if (w == "~" && k + 1 < ts->size() && ts->get(k + 1)->getText() == "exists" && t->getCharPositionInLine() == 0)
        throw UserError(file_, {int(t->getLine()), 1},
                        "expected '}' to close the thread body before '~exists', found '~exists'");
    }
  }
  std::string expected;
  try {
    expected = parser->getExpectedTokens().toString(parser->getVocabulary());
  } catch (...) {
  }
  std::string found = describe(offending);
  if (msg.rfind("extraneous input", 0) == 0 || expected.empty() || expected == "{}")
    throw UserError(file_, pos, fmt::format("unexpected {}", found));
  throw UserError(file_, pos, fmt::format("expected {}, found {}", expected, found));
}

}  // namespace paddock::litmus
