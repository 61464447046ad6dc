// An AArch64 test's code seen as data (herd's label values and instruction values): every thread's cells and
// labels, the code address a label value names, the instruction stored at an address, and the labels an
// indirect branch to an unknown value may reach.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "asm/ast.hpp"

namespace paddock::events {

class CodeMap {
 public:
  explicit CodeMap(const hw::AsmTest& t);

  size_t size(int thread) const { return threads_[size_t(thread)].size(); }
  const hw::Cell& cell(int thread, size_t pc) const { return threads_[size_t(thread)][pc]; }
  // The position of a label in a thread's code.
  std::optional<size_t> label(int thread, const std::string& name) const;

  // A label value's canonical text, `label:"P1:L0"`.
  static std::string label_text(int thread, const std::string& name);
  // The label value naming the instruction at or after position pc of a thread (its least label), "" when none.
  std::string label_at(int thread, size_t pc) const;
  // The code position (thread, pc) a label value's text names; nullopt when the text is not one.
  std::optional<std::pair<int, size_t>> target(const std::string& text) const;
  // The instruction value stored at (thread, pc), `instr:"B .+4"`: the first instruction at or after pc, its
  // label operands as byte offsets. "" past the last instruction.
  std::string instruction_at(int thread, size_t pc) const;
  // A branch of `bytes` bytes (4 an instruction) from position pc; nullopt outside the thread (one past the last
  // instruction is its end).
  std::optional<size_t> relative(int thread, size_t pc, long bytes) const;

  // herd's candidates for an indirect branch through an unknown value: the label values of the init block and
  // the labels ADR takes, in a fixed order.
  const std::vector<std::string>& exported() const { return exported_; }

 private:
  long instruction_index(int thread, size_t pc) const;  // instructions before position pc
  std::vector<std::vector<hw::Cell>> threads_;
  std::vector<std::map<std::string, size_t>> labels_;
  std::vector<std::string> exported_;
};

}  // namespace paddock::events
