// The hand-written lexer (src/litmus/fast_lex.cpp) gives exactly LitmusCLexer's tokens, or leaves the text to it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "util/files.hpp"
#include "litmus/fast_lex.hpp"

namespace fs = std::filesystem;
using paddock::litmus::lex_litmus;
using paddock::litmus::LexedToken;

namespace {

// Compares the lexers on `text`; returns false when the hand-written one left it to LitmusCLexer (which must then
// report a lexical error).
bool same_tokens(const std::string& text, bool code) {
  std::vector<LexedToken> hand = lex_litmus(text, code, true);
  if (hand.empty()) {
    CHECK_THROWS(lex_litmus(text, code, false));
    return false;
  }
  std::vector<LexedToken> antlr;
  REQUIRE_NOTHROW(antlr = lex_litmus(text, code, false));
  REQUIRE(hand.size() == antlr.size());
  for (size_t i = 0; i < hand.size(); ++i) {
    INFO("token " << i << ": hand '" << hand[i].text << "' " << hand[i].type << " " << hand[i].line << ":"
                  << hand[i].col << " [" << hand[i].start << "," << hand[i].stop << "], LitmusCLexer '"
                  << antlr[i].text << "' " << antlr[i].type << " " << antlr[i].line << ":" << antlr[i].col << " ["
                  << antlr[i].start << "," << antlr[i].stop << "]");
    REQUIRE(hand[i] == antlr[i]);
  }
  return true;
}

}  // namespace

TEST_CASE("lexer: litmus tests and macro tables lex by hand exactly as LitmusCLexer lexes them") {
  size_t n = 0;
  for (const char* dir : {PADDOCK_SOURCE_DIR "/litmus", PADDOCK_CORPUS_DIR, PADDOCK_SOURCE_DIR "/models",
                          PADDOCK_CORPUS_DIR "/kernel-model"}) {
    if (!fs::exists(dir)) continue;
    for (auto& e : fs::recursive_directory_iterator(dir)) {
      auto ext = e.path().extension();
      if (ext != ".litmus" && ext != ".def") continue;
      INFO(e.path().string());
      CHECK(same_tokens(paddock::read_file(fs::path(e.path()).string()).value_or(""), ext == ".def"));
      ++n;
    }
  }
  CHECK(n > 10);
}

TEST_CASE("lexer: litmus corner cases") {
  const char* header[] = {
      "C t\n{ x = 1; }",
      "C (*c*) t (* a comment *) \"doc\" (*x*)y key=value{",
      "C t (* open",
      "C t \"open",
      "C\tt\r\n\"multi\nline doc\"\n{",
      "C caf\xc3\xa9 {",
      "",
  };
  for (const char* c : header) {
    INFO(c);
    same_tokens(c, false);
  }
  const char* code[] = {
      "int x = 0x1f + 0x + 00x1 + 123abc; u8 u8x size_t _t __t x_t foo_tx",
      "a /\\ b \\/ c => d -> e << f >> g <= h >= i == j != k && l || m < n > o = p",
      "x /* block */ y // line\r\nz (* ml *) (*x) (**) (** *) (*\n*) w",
      "/* open (* open2 /*",
      "r0 = READ_ONCE(*x); smp_store_release(y, 1); if (r0 == 1) { WRITE_ONCE(*z, 2); } else {}",
      "@ # $ . ' \" ` \\ \xc3\xa9 \xe2\x80\x94",
      "if else while void struct exists forall final locations filter not true false iff",
      "int long short char unsigned signed const volatile bool _Bool u16 u32 u64 s8 s16 s32 s64 _Atomic",
      "~exists (0:r0=1 /\\ 1:r1=0)",
      "0:X0=instr:\"B.EQ .+8\"; \"\" \"open\nline\" \"x\r\"",
  };
  for (const char* c : code) {
    INFO(c);
    CHECK(same_tokens(c, true));
  }
}

TEST_CASE("lexer: random litmus texts") {
  const char* pieces[] = {"(", "*", ")", "(*", "*)", "/*", "*/", "//", "/", "\\", "{", "}", "\"", " ", "\n", "\r",
                          "\t", "x", "int", "u8", "_t", "0", "0x", "1f", "9", "=", ">", "<", "-", "&", "|", "!",
                          ";", ",", "[", "]", ":", "?", "~", "%", "^", "exists", "C", "\xc3\xa9", "'", "."};
  std::mt19937 rng(424242);
  size_t compared = 0;
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    size_t n = rng() % 20;
    for (size_t k = 0; k < n; ++k) text += pieces[rng() % (sizeof pieces / sizeof *pieces)];
    INFO(text);
    bool code = i % 2 == 0;
    if (same_tokens(text, code)) ++compared;
  }
  CHECK(compared > 2000);
}
