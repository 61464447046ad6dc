// The macro table (a .def file) and the expansion of kernel macros into herd's primitives.
#pragma once
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "litmus/ast.hpp"
#include "litmus/parse.hpp"

namespace paddock::program {

// Entries are split textually on load and parsed on first use: a test uses a handful of the
// table's ~150 macros, and parsing all of them would dominate the run time of a small test.
class MacroTable {
 public:
  // Reads a .def file; `origin` names where it came from in error messages.
  static MacroTable from_text(const std::string& text, const std::string& origin);
  static const MacroTable& bundled();  // models/linux-kernel.def, embedded in the binary

  // Thread-safe. Throws UserError when the entry does not parse.
  const litmus::MacroDef* find(const std::string& name) const;
  const std::string& origin() const { return origin_; }
  std::vector<std::string> names() const;
  // Parses every entry (reports the first bad one).
  void parse_all() const;

 private:
  struct Chunk {
    std::string text;  // the entry, preceded by newlines so that positions are those of the file
    std::shared_ptr<const litmus::MacroDef> def;
  };
  std::string origin_;
  std::map<std::string, Chunk> chunks_;  // a later entry of the same name wins, as in herd
  std::shared_ptr<std::mutex> mu_ = std::make_shared<std::mutex>();
};

// Primitive operations of herd's C front end, with their argument counts.
struct Primitive {
  const char* name;
  int arity;        // -1: no parentheses (fences)
  bool tagged;      // takes {TAG}
};
const Primitive* find_primitive(const std::string& name);

// Returns the thread bodies with every macro call replaced by primitives.
// Throws UserError at the call for an unknown macro, a wrong argument count, or a statement
// macro used as a value.
std::vector<litmus::StmtPtr> expand(const litmus::Test& test, const MacroTable& macros);

}  // namespace paddock::program
