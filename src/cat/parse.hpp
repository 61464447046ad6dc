// Cat text -> syntax tree. Throws cat::Error ("FILE:LINE:COL: error: expected X, found Y").
#pragma once

#include <string>

#include "cat/ast.hpp"

namespace paddock::cat {

File parse_cat(const std::string& text, const std::string& path);

}  // namespace paddock::cat
