#include "driver/arch.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "asm/parse.hpp"
#include "asm/sections.hpp"
#include "events/lower_aarch64.hpp"
#include "events/lower_x86.hpp"
#include "events/lower_x86_64.hpp"
#include "litmus/parse.hpp"
#include "report/asm_hash.hpp"

namespace paddock {

namespace {

PreparedTest prepare_c(const std::string& text, const std::string& file, const program::MacroTable& macros,
                       const events::BuildOptions& opts) {
  PreparedTest p;
  p.test = litmus::parse_test(text, file);
  auto bodies = program::expand(p.test, macros);
  p.program = events::build(p.test, bodies, opts);
  return p;
}

PreparedTest prepare_x86(const std::string& text, const std::string& file, const program::MacroTable&,
                         const events::BuildOptions& opts) {
  hw::AsmTest t = hw::parse_x86(text, file);
  if (opts.mixed) throw UserError(file, {1, 1}, "mixed mode not implemented for architecture X86");  // as herd
  PreparedTest p;
  p.program = events::lower_x86(t, opts);
  p.report.hash = report::x86_hash(t);
  p.report.hash_line = report::asm_hash_line_printed(t);
  p.test = std::move(t.test);
  return p;
}

// herd's mixed-size mode splits accesses into bytes; paddock does not have it for X86_64 yet, and answering
// such a test with whole-location accesses would be silently wrong.
void refuse_mixed(const hw::AsmTest& t, const std::string& text, const events::BuildOptions& opts) {
  if (opts.mixed) throw UserError(t.test.file, {1, 1}, "mixed-size mode (-variant mixed) is not supported for X86_64 tests");
  for (const auto& [k, v] : t.test.meta) {
    if (k != "Variant" || v.find("mixed") == std::string::npos) continue;
    Pos pos{1, 1};
    auto at = text.find("Variant=");
    if (at != std::string::npos) pos.line = 1 + int(std::count(text.begin(), text.begin() + long(at), '\n'));
    throw UserError(t.test.file, pos, "mixed-size mode (Variant=mixed) is not supported for X86_64 tests");
  }
}

PreparedTest prepare_x86_64(const std::string& text, const std::string& file, const program::MacroTable&,
                            const events::BuildOptions& opts) {
  hw::AsmTest t = hw::parse_x86_64(text, file);
  refuse_mixed(t, text, opts);
  PreparedTest p;
  p.report.hash = report::x86_64_hash(t);
  p.report.hash_line = report::asm_hash_line_printed(t);
  hw::canonical_x86_64_registers(t);
  p.program = events::lower_x86_64(t, opts);
  p.test = std::move(t.test);
  return p;
}

PreparedTest prepare_aarch64(const std::string& text, const std::string& file, const program::MacroTable&,
                             const events::BuildOptions& opts) {
  hw::AsmTest t = hw::parse_aarch64(text, file);
  // A test's own `Variant=mixed` turns on mixed-size mode for it, as herd (events/mixed.hpp).
  events::BuildOptions o = opts;
  for (const auto& [k, v] : t.test.meta)
    if (k == "Variant" && v.find("mixed") != std::string::npos) o.mixed = true;
  PreparedTest p;
  p.report.hash = report::aarch64_hash(t);
  p.report.hash_line = report::asm_hash_line_printed(t);
  hw::canonical_aarch64_registers(t);
  p.program = events::lower_aarch64(t, o);
  p.test = std::move(t.test);
  return p;
}

const Arch kArchs[] = {
    {"C", "", prepare_c},
    {"X86", "x86tso.cat", prepare_x86},
    {"X86_64", "x86tso-mixed.cat", prepare_x86_64},
    {"AArch64", "aarch64.cat", prepare_aarch64},
};

// herd's other architectures: named so that the error says what is missing rather than "unknown".
const char* const kHerdOnly[] = {"ARM", "PPC", "MIPS", "RISCV", "LISA", "BPF", "JAVA"};

}  // namespace

const Arch& arch_of(const std::string& text, const std::string& file) {
  Pos pos;
  std::string word = hw::first_word(text, &pos);
  for (const auto& a : kArchs)
    if (word == a.name) return a;
  for (const char* h : kHerdOnly)
    if (word == h) throw UserError(file, pos, fmt::format("unsupported architecture {}", word));
  if (word.empty()) throw UserError(file, pos, "expected the architecture and name of the test (e.g. 'C name')");
  std::string known;
  for (const auto& a : kArchs) known += (known.empty() ? "" : ", ") + std::string(a.name);
  throw UserError(file, pos, fmt::format("unknown architecture '{}' (known: {})", word, known));
}

}  // namespace paddock
