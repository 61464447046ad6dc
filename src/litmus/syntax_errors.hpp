// Turns ANTLR's syntax errors into positioned UserErrors ("expected X, found Y").
#pragma once
#include <string>

#include "antlr4-runtime.h"
#include "util/diag.hpp"

namespace paddock::litmus {

// Rejects bytes that are not UTF-8 before ANTLR sees them (its decoder would throw a bare exception).
void check_utf8(const std::string& text, const std::string& file);

class ThrowingListener : public antlr4::BaseErrorListener {
 public:
  explicit ThrowingListener(std::string file) : file_(std::move(file)) {}
  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line, size_t col,
                   const std::string& msg, std::exception_ptr e) override;

 private:
  std::string file_;
};

}  // namespace paddock::litmus
