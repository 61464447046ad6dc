#include "litmus/fast_lex.hpp"

#include <antlr4-runtime.h>

#include <cstring>
#include <stdexcept>

#include "LitmusCLexer.h"

namespace paddock::litmus {

namespace {

using L = LitmusCLexer;

bool ident_start(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool ident_char(unsigned char c) { return ident_start(c) || (c >= '0' && c <= '9'); }
bool hex_digit(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

struct Word {
  const char* text;
  size_t type;
};
const Word kKeywords[] = {
    {"if", L::IF}, {"else", L::ELSE}, {"while", L::WHILE}, {"void", L::VOID}, {"struct", L::STRUCT},
    {"exists", L::EXISTS}, {"forall", L::FORALL}, {"final", L::FINAL}, {"locations", L::LOCATIONS},
    {"filter", L::FILTER}, {"not", L::NOT}, {"true", L::TRUE}, {"false", L::FALSE},
    {"int", L::TYPEWORD}, {"long", L::TYPEWORD}, {"short", L::TYPEWORD}, {"char", L::TYPEWORD},
    {"unsigned", L::TYPEWORD}, {"signed", L::TYPEWORD}, {"const", L::TYPEWORD}, {"volatile", L::TYPEWORD},
    {"bool", L::TYPEWORD}, {"_Bool", L::TYPEWORD}, {"u8", L::TYPEWORD}, {"u16", L::TYPEWORD},
    {"u32", L::TYPEWORD}, {"u64", L::TYPEWORD}, {"s8", L::TYPEWORD}, {"s16", L::TYPEWORD}, {"s32", L::TYPEWORD},
    {"s64", L::TYPEWORD}, {"_Atomic", L::TYPEWORD},
};

// The token type of a maximal identifier run: a keyword or type word when it is one (they come before ID in the
// grammar, so they win ties), TYPEWORD when it ends in `_t` after at least one character, else ID.
size_t word_type(const char* s, size_t len) {
  for (const Word& w : kKeywords)
    if (w.text[0] == s[0] && std::strlen(w.text) == len && std::memcmp(w.text, s, len) == 0) return w.type;
  if (len >= 3 && s[len - 2] == '_' && s[len - 1] == 't') return L::TYPEWORD;
  return L::ID;
}

class Lexer {
 public:
  Lexer(const std::string& text, std::vector<std::unique_ptr<antlr4::Token>>& out)
      : text_(text), s_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()), out_(out) {}

  bool run(bool code) {
    while (i_ < n_) {
      if (!(code ? code_token(code) : header_token(code))) return false;
    }
    auto eof = std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF, "<EOF>");
    eof->setLine(line_);
    eof->setCharPositionInLine(col_);
    eof->setStartIndex(cp_);
    eof->setStopIndex(cp_ - 1);
    out_.push_back(std::move(eof));
    return true;
  }

 private:
  bool in_condition_ = false;
  // The byte offset where `pat` next occurs at or after byte `from`, or npos.
  size_t find(const char* pat, size_t from) const { return from > n_ ? std::string::npos : text_.find(pat, from); }

  // Moves to byte j, counting code points, lines and columns (ANTLR counts a line at each '\n').
  bool advance(size_t j) {
    while (i_ < j) {
      unsigned char c = s_[i_];
      size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
      if (len == 0 || i_ + len > n_ || (len == 2 && c < 0xc2)) return false;
      for (size_t k = 1; k < len; ++k)
        if ((s_[i_ + k] & 0xc0) != 0x80) return false;
      if (c == '\n') {
        ++line_;
        col_ = 0;
      } else {
        ++col_;
      }
      i_ += len;
      ++cp_;
    }
    return true;
  }

  // Consumes bytes up to j as one token of `type` (or skips them when type is 0).
  bool token(size_t type, size_t j) {
    size_t b0 = i_, cp0 = cp_, line0 = line_, col0 = col_;
    if (!advance(j)) return false;
    if (type == 0) return true;
    if (type == L::EXISTS || type == L::FORALL || type == L::FINAL || type == L::LOCATIONS || type == L::FILTER)
      in_condition_ = true;  // as the ANTLR lexer: from here on `(*` always opens a comment
    auto t = std::make_unique<antlr4::CommonToken>(type, text_.substr(b0, i_ - b0));
    t->setLine(line0);
    t->setCharPositionInLine(col0);
    t->setStartIndex(cp0);
    t->setStopIndex(cp_ - 1);
    out_.push_back(std::move(t));
    return true;
  }

  // Header mode: H_WS, H_COMMENT '(*' .*? '*)', H_STRING, H_LBRACE (-> CODE), H_WORD; longest match, ties to the
  // earlier rule.
  bool header_token(bool& code) {
    unsigned char c = s_[i_];
    if (blank(c)) {
      size_t j = i_;
      while (j < n_ && blank(s_[j])) ++j;
      return token(0, j);
    }
    if (c == '{') {
      code = true;
      return token(L::H_LBRACE, i_ + 1);
    }
    if (c == '"') {
      size_t j = find("\"", i_ + 1);
      if (j == std::string::npos) return false;  // unterminated: a lexical error
      return token(L::H_STRING, j + 1);
    }
    size_t word = i_;
    while (word < n_ && !blank(s_[word]) && s_[word] != '{' && s_[word] != '"') ++word;
    if (c == '(' && i_ + 1 < n_ && s_[i_ + 1] == '*') {
      size_t close = find("*)", i_ + 2);
      if (close != std::string::npos && close + 2 >= word) return token(0, close + 2);  // a comment, unless the word is longer
    }
    return token(L::H_WORD, word);
  }

  // Mode CODE: longest match, ties to the earlier rule; ANY takes any other character, so nothing fails here.
  bool code_token(bool&) {
    unsigned char c = s_[i_];
    auto at = [&](size_t k) -> unsigned char { return i_ + k < n_ ? s_[i_ + k] : 0; };
    if (blank(c)) {
      size_t j = i_;
      while (j < n_ && blank(s_[j])) ++j;
      return token(0, j);
    }
    if (c == '/') {
      if (at(1) == '/') {
        size_t j = i_ + 2;
        while (j < n_ && s_[j] != '\r' && s_[j] != '\n') ++j;
        return token(0, j);
      }
      if (at(1) == '*') {
        size_t close = find("*/", i_ + 2);
        if (close != std::string::npos) return token(0, close + 2);
        return token(L::DIV, i_ + 1);
      }
      if (at(1) == '\\') return token(L::CONJ, i_ + 2);
      return token(L::DIV, i_ + 1);
    }
    if (c == '(') {
      if (at(1) == '*' && i_ + 2 < n_ && (in_condition_ || blank(at(2)) || at(2) == '*')) {
        size_t close = find("*)", in_condition_ ? i_ + 2 : i_ + 3);
        if (close != std::string::npos) return token(0, close + 2);
      }
      return token(L::LPAREN, i_ + 1);
    }
    if (ident_start(c)) {
      size_t j = i_ + 1;
      while (j < n_ && ident_char(s_[j])) ++j;
      return token(word_type(text_.data() + i_, j - i_), j);
    }
    if (c >= '0' && c <= '9') {
      if (c == '0' && (at(1) == 'x' || at(1) == 'X') && hex_digit(at(2))) {
        size_t j = i_ + 2;
        while (j < n_ && hex_digit(s_[j])) ++j;
        return token(L::HEX, j);
      }
      size_t j = i_ + 1;
      while (j < n_ && s_[j] >= '0' && s_[j] <= '9') ++j;
      return token(L::INT, j);
    }
    if (c == '"') {  // STRING when closed on its line, else ANY
      size_t j = i_ + 1;
      while (j < n_ && s_[j] != '"' && s_[j] != '\r' && s_[j] != '\n') ++j;
      if (j < n_ && s_[j] == '"') return token(L::STRING, j + 1);
    }
    size_t type = L::ANY, len = 1;
    unsigned char d = at(1);
    switch (c) {
      case '\\': if (d == '/') type = L::DISJ, len = 2; break;
      case '=': if (d == '>') type = L::IMPLIES, len = 2; else if (d == '=') type = L::EQ, len = 2; else type = L::ASSIGN; break;
      case '-': if (d == '>') type = L::IMPLIES, len = 2; else type = L::MINUS; break;
      case '<': if (d == '<') type = L::SHL, len = 2; else if (d == '=') type = L::LE, len = 2; else type = L::LT; break;
      case '>': if (d == '>') type = L::SHR, len = 2; else if (d == '=') type = L::GE, len = 2; else type = L::GT; break;
      case '!': if (d == '=') type = L::NE, len = 2; else type = L::BANG; break;
      case '&': if (d == '&') type = L::ANDAND, len = 2; else type = L::AMP; break;
      case '|': if (d == '|') type = L::OROR, len = 2; else type = L::PIPE; break;
      case '+': type = L::PLUS; break;
      case '*': type = L::STAR; break;
      case '%': type = L::MOD; break;
      case '^': type = L::CARET; break;
      case '~': type = L::TILDE; break;
      case '?': type = L::QUESTION; break;
      case ':': type = L::COLON; break;
      case ';': type = L::SEMI; break;
      case ',': type = L::COMMA; break;
      case ')': type = L::RPAREN; break;
      case '{': type = L::LBRACE; break;
      case '}': type = L::RBRACE; break;
      case '[': type = L::LBRACKET; break;
      case ']': type = L::RBRACKET; break;
      default: break;
    }
    if (type != L::ANY) return token(type, i_ + len);
    // ANY: one character (code point).
    size_t cl = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 1;
    return token(L::ANY, i_ + cl);
  }

  const std::string& text_;
  const unsigned char* s_;
  size_t n_;
  std::vector<std::unique_ptr<antlr4::Token>>& out_;
  size_t i_ = 0, cp_ = 0, line_ = 1, col_ = 0;
};

}  // namespace

bool fast_lex(const std::string& text, bool code_mode, std::vector<std::unique_ptr<antlr4::Token>>& out) {
  return Lexer(text, out).run(code_mode);
}

std::vector<LexedToken> lex_litmus(const std::string& text, bool code_mode, bool hand_written) {
  std::vector<LexedToken> out;
  auto add = [&](antlr4::Token& t) {
    out.push_back(LexedToken{t.getType(), t.getType() == antlr4::Token::EOF ? "<EOF>" : t.getText(), t.getLine(),
                             t.getCharPositionInLine(), t.getStartIndex(), t.getStopIndex()});
  };
  if (hand_written) {
    std::vector<std::unique_ptr<antlr4::Token>> toks;
    if (!fast_lex(text, code_mode, toks)) return out;
    for (auto& t : toks) add(*t);
    return out;
  }
  struct Throw : antlr4::BaseErrorListener {
    void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t, size_t, const std::string& msg,
                     std::exception_ptr) override {
      throw std::runtime_error(msg);
    }
  } listener;
  antlr4::ANTLRInputStream input(text);
  LitmusCLexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  if (code_mode) lexer.setMode(LitmusCLexer::CODE);
  for (;;) {
    auto t = lexer.nextToken();
    add(*t);
    if (t->getType() == antlr4::Token::EOF) return out;
  }
}

}  // namespace paddock::litmus
