// The build-time parse of the bundled models (src/cat/embed_models.cpp, cat/ast_io.hpp) gives exactly what parsing
// their text at run time gives.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/files.hpp"
#include "cat/ast_io.hpp"
#include "cat/model.hpp"
#include "cat/parse.hpp"
#include "helpers.hpp"
#include "util/embedded.hpp"

using namespace cat_test;
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> cat_files(const char* dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".cat" || e.path().extension() == ".bell") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("ast_io: every models/ and kernel cat file reads back as parsed") {
  auto files = cat_files(PADDOCK_MODELS_DIR);
  auto kernel = cat_files(PADDOCK_KERNEL_MODEL_DIR);
  files.insert(files.end(), kernel.begin(), kernel.end());
  REQUIRE(!files.empty());
  for (auto& p : files) {
    INFO(p.string());
    cat::File f = cat::parse_cat(paddock::read_file(fs::path(p).string()).value_or(""), p.string());
    std::string bytes = cat::write_ast(f);
    std::string where;
    CHECK(cat::same_ast(cat::read_ast(bytes, p.string()), f, &where));
    CHECK(where.empty());
    CHECK(cat::write_ast(cat::read_ast(bytes, p.string())) == bytes);
  }
}

TEST_CASE("ast_io: the syntax trees embedded at build time equal the parse of the embedded text") {
  size_t n = 0;
  for (auto& e : paddock::embedded_files()) {
    std::string name(e.name);
    bool is_cat = fs::path(name).extension() == ".cat" || fs::path(name).extension() == ".bell";
    INFO(name);
    CHECK(is_cat == !e.ast.empty());
    if (e.ast.empty()) continue;
    ++n;
    std::string where;
    CHECK(cat::same_ast(cat::read_ast(e.ast, name), cat::parse_cat(std::string(e.text), name), &where));
    CHECK(where.empty());
  }
  CHECK(n > 0);
}

TEST_CASE("ast_io: a bundled model loads the same from its syntax trees and from its text") {
  auto o = opts({"lkmmv2"});
  o.include_dirs.clear();
  o.embedded = [](const std::string& n) { return paddock::embedded_file(n); };
  auto entry = [](const char* n) { return paddock::embedded_entry(n); };
  if (!entry("linux-kernel.cat") || !entry("linux-kernel.bell")) {
    WARN("skipped: no bundled linux-kernel.cat/.bell");
    return;
  }
  cat::SourceFile cat_text{"<bundled>/linux-kernel.cat", std::string(entry("linux-kernel.cat")->text), {}};
  cat::SourceFile bell_text{"linux-kernel.bell", std::string(entry("linux-kernel.bell")->text), {}};
  auto from_text = cat::load_model_files(cat_text, &bell_text, o);
  cat::SourceFile cat_ast = cat_text, bell_ast = bell_text;
  cat_ast.ast = entry("linux-kernel.cat")->ast;
  bell_ast.ast = entry("linux-kernel.bell")->ast;
  o.embedded_ast = [](const std::string& n) {
    auto* e = paddock::embedded_entry(n);
    return e ? e->ast : std::string_view();
  };
  auto from_ast = cat::load_model_files(cat_ast, &bell_ast, o);
  std::string where;
  CHECK(cat::same_ast(from_text->stmts, from_ast->stmts, &where));
  CHECK(where.empty());
  CHECK(from_text->num_globals == from_ast->num_globals);
  CHECK(from_text->free_names == from_ast->free_names);
  CHECK(from_text->shows == from_ast->shows);
  CHECK(from_text->title == from_ast->title);
}

TEST_CASE("ast_io: malformed bytes are rejected") {
  cat::File f = cat::parse_cat("let x = po | rf\nacyclic x as a\n", "t.cat");
  std::string bytes = cat::write_ast(f);
  CHECK_THROWS_AS(cat::read_ast("", "t.cat"), cat::Error);
  CHECK_THROWS_AS(cat::read_ast("PCAX" + bytes.substr(4), "t.cat"), cat::Error);
  for (size_t cut = 0; cut < bytes.size(); ++cut) CHECK_THROWS_AS(cat::read_ast(bytes.substr(0, cut), "t.cat"), cat::Error);
  CHECK_THROWS_AS(cat::read_ast(bytes + "x", "t.cat"), cat::Error);
}

TEST_CASE("ast_io: the grammar's ATNs pass ANTLR's verification") { CHECK_NOTHROW(cat::verify_cat_grammar()); }
