#include "asm/sections.hpp"

#include <cctype>

namespace paddock::hw {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

Pos pos_at(const std::string& t, size_t off) {
  Pos p{1, 1};
  for (size_t i = 0; i < off && i < t.size(); ++i) {
    if (t[i] == '\n') p.line++, p.col = 1;
    else p.col++;
  }
  return p;
}

// Skips a (* comment *) or a "string" starting at i; returns the offset after it (i when neither).
size_t skip_comment_or_string(const std::string& t, size_t i) {
  if (t.compare(i, 2, "(*") == 0) {
    size_t e = t.find("*)", i + 2);
    return e == std::string::npos ? t.size() : e + 2;
  }
  if (t[i] == '"') {
    size_t e = t.find('"', i + 1);
    return e == std::string::npos ? t.size() : e + 1;
  }
  return i;
}

std::string blank_outside(const std::string& t, size_t from, size_t to) {
  std::string out = t;
  for (size_t i = 0; i < out.size(); ++i)
    if ((i < from || i >= to) && out[i] != '\n') out[i] = ' ';
  return out;
}

}  // namespace

std::string first_word(const std::string& text, Pos* pos) {
  size_t i = 0;
  while (i < text.size()) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      ++i;
      continue;
    }
    size_t j = skip_comment_or_string(text, i);
    if (j != i) {
      i = j;
      continue;
    }
    break;
  }
  size_t e = i;
  while (e < text.size() && !std::isspace(static_cast<unsigned char>(text[e])) && text[e] != '{' && text[e] != '"')
    ++e;
  if (pos) *pos = pos_at(text, i);
  return text.substr(i, e - i);
}

Sections split_sections(const std::string& text, const std::string& file) {
  Sections s;
  s.arch = first_word(text, &s.arch_pos);
  // The init block: the first '{' outside comments and strings, up to its matching '}'.
  size_t open = std::string::npos;
  for (size_t i = 0; i < text.size();) {
    size_t j = skip_comment_or_string(text, i);
    if (j != i) {
      i = j;
      continue;
    }
    if (text[i] == '{') {
      open = i;
      break;
    }
    ++i;
  }
  if (open == std::string::npos) throw UserError(file, pos_at(text, text.size()), "expected the init block '{ ... }'");
  size_t close = open;
  for (int depth = 0; close < text.size(); ++close) {
    if (text[close] == '{') depth++;
    else if (text[close] == '}' && --depth == 0) break;
  }
  if (close >= text.size()) throw UserError(file, pos_at(text, open), "expected '}' to close the init block");
  size_t prog = close + 1;
  // A ';' right after the init block is allowed.
  size_t k = prog;
  while (k < text.size() && std::isspace(static_cast<unsigned char>(text[k]))) ++k;
  if (k < text.size() && text[k] == ';') prog = k + 1;
  // The program ends at the first condition keyword (a whole word), outside comments.
  static const char* const keys[] = {"exists", "forall", "final", "locations", "filter", "observed", "Observed", "cases"};
  size_t end = text.size();
  for (size_t i = prog; i < text.size();) {
    if (text.compare(i, 2, "(*") == 0) {
      i = skip_comment_or_string(text, i);
      continue;
    }
    if (word_char(text[i]) && (i == 0 || !word_char(text[i - 1]))) {
      size_t e = i;
      while (e < text.size() && word_char(text[e])) ++e;
      std::string w = text.substr(i, e - i);
      bool key = false;
      for (const char* kw : keys) key = key || w == kw;
      if (key) {
        end = i;
        if (w == "exists" && i > prog && text[i - 1] == '~') end = i - 1;
        break;
      }
      i = e;
      continue;
    }
    ++i;
  }
  s.program_pos = pos_at(text, prog);
  bool blank = true;
  for (size_t i = prog; i < end && blank;) {
    size_t j = text.compare(i, 2, "(*") == 0 ? skip_comment_or_string(text, i) : i;
    if (j != i) {
      i = j;
      continue;
    }
    blank = std::isspace(static_cast<unsigned char>(text[i]));
    ++i;
  }
  if (blank) throw UserError(file, pos_at(text, end), "expected the program ('P0 | P1 ... ;' and rows of instructions)");
  s.program_text = blank_outside(text, prog, end);
  std::string state = text;
  for (size_t i = prog; i < end; ++i)
    if (state[i] != '\n') state[i] = ' ';
  // The shared state parser expects the C arch word; keep every column in place.
  size_t a = 0;
  for (int line = 1, col = 1; a < state.size() && !(line == s.arch_pos.line && col == s.arch_pos.col); ++a) {
    if (state[a] == '\n') line++, col = 1;
    else col++;
  }
  if (!s.arch.empty()) {
    state[a] = 'C';
    for (size_t i = 1; i < s.arch.size(); ++i) state[a + i] = ' ';
  }
  s.state_text = std::move(state);
  return s;
}

}  // namespace paddock::hw
