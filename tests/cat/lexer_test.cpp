// parse_cat lexes with a hand-written lexer (src/cat/parse.cpp) that must give exactly CatLexer's tokens, or leave
// the text to CatLexer.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "cat/error.hpp"
#include "cat/parse.hpp"

namespace cat = paddock::cat;
namespace fs = std::filesystem;

namespace {

// Compares the two lexers on `text`; returns false when the hand-written one left it to CatLexer.
bool same_tokens(const std::string& text) {
  std::vector<cat::CatToken> hand;
  try {
    hand = cat::lex_cat(text, true);
  } catch (const cat::Error&) {
    return false;
  }
  std::vector<cat::CatToken> antlr;
  REQUIRE_NOTHROW(antlr = cat::lex_cat(text, false));
  REQUIRE(hand.size() == antlr.size());
  for (size_t i = 0; i < hand.size(); ++i) {
    INFO("token " << i << ": hand '" << hand[i].text << "' " << hand[i].type << " " << hand[i].line << ":"
                  << hand[i].col << " [" << hand[i].start << "," << hand[i].stop << "], CatLexer '" << antlr[i].text
                  << "' " << antlr[i].type << " " << antlr[i].line << ":" << antlr[i].col << " [" << antlr[i].start
                  << "," << antlr[i].stop << "]");
    REQUIRE(hand[i] == antlr[i]);
  }
  return true;
}

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("lexer: the model files lex by hand exactly as CatLexer lexes them") {
  size_t n = 0;
  for (const char* dir : {PADDOCK_MODELS_DIR, PADDOCK_KERNEL_MODEL_DIR}) {
    if (!fs::exists(dir)) continue;
    for (auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".cat" && e.path().extension() != ".bell") continue;
      INFO(e.path().string());
      CHECK(same_tokens(slurp(e.path())));
      ++n;
    }
  }
  CHECK(n > 0);
}

TEST_CASE("lexer: corner cases lex by hand as CatLexer lexes them") {
  const char* cases[] = {
      "",
      "let",
      "let x = a|b||c+d++e*f?~g;h\\i&j=k,(l)[m]{n}0 _ _x x_ x-y.z 'tag 't-1 \"str ing\" ^-1 -> a",
      "lets letx let-x in_ ifx emptyset empty",
      "0a 00 _0 a0",
      "(* a (* nested *) comment *) x",
      "(* a (*) b *) *) y",
      "(**) (***) (* * ) *) z",
      "(*(**)*)w",
      "// line\r\nx // more\n\ry",
      "a\tb\fc\r\nd",
      "(* multi\nline\n(* nested\n*)\n*) after",
      "\"caf\xc3\xa9\" x (* \xe2\x80\x94 *) y",
      "(* \xf0\x9f\x98\x80 *) \"\xf0\x9f\x98\x80\" z",
      "x\n\n\n   y",
      "a-b ->c",
      "f(x, y) = x & y",
  };
  for (const char* c : cases) {
    INFO(c);
    CHECK(same_tokens(c));
  }
}

TEST_CASE("lexer: what the hand-written lexer leaves to CatLexer") {
  // Lexical errors, and comments that do not close as nested comments do.
  for (const char* c : {"$", "a ^ b", "'", "' a", "\"open", "\"a\nb\"", "-", "a / b", "1", "(* open", "(* (* *)",
                        "\x01", "\xff", "\xc3", "a\vb"}) {
    INFO(c);
    std::vector<cat::CatToken> t;
    CHECK_THROWS_AS(t = cat::lex_cat(c, true), cat::Error);
  }
}

TEST_CASE("lexer: random texts lex by hand as CatLexer lexes them") {
  const char* pieces[] = {"(", "*", ")", "(*", "*)", "a", "let", "x-y", "-", ">", "'", "\"", "|", "+", "^-1", "^",
                          "/", "//", "\n", "\r", " ", "\t", "0", "_", "~", ";", "\\", "&", "=", ",", "[", "]", "{",
                          "}", "?", "in", "b.c", "\xc3\xa9", "1"};
  std::mt19937 rng(20240601);
  size_t compared = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string text;
    size_t n = rng() % 24;
    for (size_t k = 0; k < n; ++k) text += pieces[rng() % (sizeof pieces / sizeof *pieces)];
    INFO(text);
    if (same_tokens(text)) ++compared;
  }
  CHECK(compared > 1000);
}
