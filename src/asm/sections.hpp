// Splits an assembly litmus test the way herd's splitter does: header up to the first '{', the
// brace-balanced init block, the program grid, and the condition section from the first condition
// keyword. Each part is handed on as a copy of the whole file with the other parts blanked (newlines
// kept), so that every parser reports the file's own line and column.
#pragma once
#include <string>

#include "util/diag.hpp"

namespace paddock::hw {

struct Sections {
  std::string arch;         // the first word of the file
  Pos arch_pos;
  std::string state_text;   // header (arch word replaced by `C`), init block and condition
  std::string program_text; // the program grid only
  Pos program_pos;          // where the grid starts
};

// The first word of a test file ("" when the file has none) and its position.
std::string first_word(const std::string& text, Pos* pos = nullptr);

// Throws UserError when the file has no init block or no program.
Sections split_sections(const std::string& text, const std::string& file);

}  // namespace paddock::hw
