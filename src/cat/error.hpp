// Errors in cat input (syntax, include resolution, evaluation), with the position they refer to.
#pragma once

#include <stdexcept>
#include <string>

#include "cat/ast.hpp"

namespace paddock::cat {

struct Error : std::runtime_error {
  std::string file;
  int line = 0, col = 0;
  Error(const std::string& file_, int line_, int col_, const std::string& msg)
      : std::runtime_error(file_ + ":" + std::to_string(line_) + ":" + std::to_string(col_) + ": error: " + msg),
        file(file_), line(line_), col(col_) {}
  Error(const Pos& p, const std::string& msg) : Error(p.file ? *p.file : std::string("<cat>"), p.line, p.col, msg) {}
};

}  // namespace paddock::cat
