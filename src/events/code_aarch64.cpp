#include "events/code_aarch64.hpp"

#include <fmt/format.h>

#include <set>

#include "asm/normal_form.hpp"

namespace paddock::events {

CodeMap::CodeMap(const hw::AsmTest& t) : threads_(t.threads), labels_(t.threads.size()) {
  for (size_t k = 0; k < threads_.size(); ++k)
    for (size_t i = 0; i < threads_[k].size(); ++i)
      for (const auto& l : threads_[k][i].labels) labels_[k][l] = i;
  std::set<std::string> seen;
  auto add = [&](const std::string& text) {
    if (seen.insert(text).second) exported_.push_back(text);
  };
  for (const auto& e : t.test.init)
    if (e.label_thread >= 0) add(label_text(e.label_thread, e.label));
  for (size_t k = 0; k < threads_.size(); ++k)
    for (const auto& c : threads_[k])
      if (c.has_instr && c.instr.op == "ADR" && c.instr.args.size() == 2 && c.instr.args[1].kind == hw::Operand::Kind::Word)
        add(label_text(int(k), c.instr.args[1].name));
}

std::optional<size_t> CodeMap::label(int thread, const std::string& name) const {
  if (thread < 0 || size_t(thread) >= labels_.size()) return std::nullopt;
  auto it = labels_[size_t(thread)].find(name);
  if (it == labels_[size_t(thread)].end()) return std::nullopt;
  return it->second;
}

std::string CodeMap::label_text(int thread, const std::string& name) {
  return fmt::format("label:\"P{}:{}\"", thread, name);
}

std::string CodeMap::label_at(int thread, size_t pc) const {
  // Labels name the instruction at or after them: every label whose instruction is pc's names it.
  auto instruction = [&](size_t p) {
    while (p < size(thread) && !cell(thread, p).has_instr) ++p;
    return p;
  };
  std::string best;
  for (const auto& [name, at] : labels_[size_t(thread)])
    if (instruction(at) == instruction(pc) && (best.empty() || name < best)) best = name;
  return best.empty() ? "" : label_text(thread, best);
}

std::optional<std::pair<int, size_t>> CodeMap::target(const std::string& text) const {
  const std::string head = "label:\"P";
  if (text.rfind(head, 0) != 0 || text.back() != '"') return std::nullopt;
  size_t colon = text.find(':', head.size());
  if (colon == std::string::npos) return std::nullopt;
  int thread = std::stoi(text.substr(head.size(), colon - head.size()));
  auto at = label(thread, text.substr(colon + 1, text.size() - colon - 2));
  if (!at) return std::nullopt;
  return std::make_pair(thread, *at);
}

long CodeMap::instruction_index(int thread, size_t pc) const {
  long n = 0;
  for (size_t i = 0; i < pc && i < size(thread); ++i) n += cell(thread, i).has_instr;
  return n;
}

std::string CodeMap::instruction_at(int thread, size_t pc) const {
  while (pc < size(thread) && !cell(thread, pc).has_instr) ++pc;
  if (pc >= size(thread)) return "";
  const hw::Instr& in = cell(thread, pc).instr;
  long here = instruction_index(thread, pc);
  std::map<std::string, std::string> offsets;
  for (const auto& [name, at] : labels_[size_t(thread)]) {
    long bytes = 4 * (instruction_index(thread, at) - here);
    offsets[name] = bytes < 0 ? fmt::format(".{}", bytes) : fmt::format(".+{}", bytes);
  }
  std::string text = hw::aarch64_normal_form(in, offsets, false);
  return text == "NOP" ? text : fmt::format("instr:\"{}\"", text);
}

std::optional<size_t> CodeMap::relative(int thread, size_t pc, long bytes) const {
  long steps = bytes / 4;
  long at = long(pc);
  long n = long(size(thread));
  while (steps != 0) {
    at += steps > 0 ? 1 : -1;
    if (at < 0 || at > n) return std::nullopt;
    if (at == n || cell(thread, size_t(at)).has_instr) steps += steps > 0 ? -1 : 1;
  }
  return size_t(at);
}

}  // namespace paddock::events
