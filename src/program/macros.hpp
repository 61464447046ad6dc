// The macro table (a .def file) and the expansion of kernel macros into herd's primitives.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "litmus/ast.hpp"
#include "litmus/parse.hpp"

namespace paddock::program {

class MacroTable {
 public:
  // Reads a .def file; `origin` names where it came from in error messages.
  static MacroTable from_text(const std::string& text, const std::string& origin);
  static MacroTable bundled();  // models/linux-kernel.def, embedded in the binary

  const litmus::MacroDef* find(const std::string& name) const;
  const std::string& origin() const { return origin_; }
  const std::map<std::string, litmus::MacroDef>& entries() const { return defs_; }

 private:
  std::string origin_;
  std::map<std::string, litmus::MacroDef> defs_;
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
