// Compact binary form of a cat syntax tree (cat/ast.hpp), so that the bundled models can be parsed at build
// time (tools/catc.cpp) and loaded without the ANTLR parser at run time. Every field of every node is kept;
// positions keep line and column, and take the file name given to read_ast.
#pragma once

#include <string>
#include <string_view>

#include "cat/ast.hpp"

namespace paddock::cat {

// The bytes start with a magic and a format version; read_ast rejects anything else.
std::string write_ast(const File& f);
// `path` becomes File::path and the file of every position (as parse_cat(text, path) would give).
// Throws cat::Error on malformed or truncated input.
File read_ast(std::string_view bytes, const std::string& path);

// Structural equality of two syntax trees, positions (file, line, column) included. On a difference, `where`
// (if given) receives a short description of the first one found.
bool same_ast(const File& a, const File& b, std::string* where = nullptr);
bool same_ast(const std::vector<StmtP>& a, const std::vector<StmtP>& b, std::string* where = nullptr);

}  // namespace paddock::cat
