// Positions and user-facing errors shared by every stage.
#pragma once
#include <stdexcept>
#include <string>

namespace paddock {

struct Pos {
  int line = 0;  // 1-based; 0 = unknown
  int col = 0;   // 1-based
};

// An error in the user's input: printed as "FILE:LINE:COL: error: MESSAGE".
class UserError : public std::runtime_error {
 public:
  UserError(std::string file, Pos pos, const std::string& message);
  const std::string& file() const { return file_; }
  Pos pos() const { return pos_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  Pos pos_;
  std::string message_;
};

}  // namespace paddock
