#include "report/asm_hash.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "asm/normal_form.hpp"
#include "report/condition.hpp"
#include "report/hash.hpp"
#include "report/md5.hpp"

namespace paddock::report {

namespace {

std::string operand_text(const hw::Operand& o, const std::map<std::string, std::string>& labels) {
  switch (o.kind) {
    case hw::Operand::Kind::Imm: return fmt::format("${}", o.imm);
    case hw::Operand::Kind::Reg: return o.name;
    case hw::Operand::Kind::Mem: return o.mem_abs ? fmt::format("[{}]", o.imm) : fmt::format("[{}]", o.name);
    case hw::Operand::Kind::Label: return labels.at(o.name);
    case hw::Operand::Kind::Word: return o.name;
  }
  return "";
}

std::string normal_form(const hw::Instr& in, const std::map<std::string, std::string>& labels) {
  std::string op = in.op;
  // herd folds the sized moves into MOV before printing.
  if (op == "MOVB" || op == "MOVW" || op == "MOVL" || op == "MOVQ" || op == "MOVT") op = "MOV";
  std::string out = in.lock ? "LOCK; " : "";
  out += op;
  if (in.args.empty()) return out;
  // herd prints INC, DEC and CMP with two spaces.
  out += (op == "INC" || op == "DEC" || op == "CMP") ? "  " : " ";
  for (size_t i = 0; i < in.args.size(); ++i) {
    if (i) out += ',';
    out += operand_text(in.args[i], labels);
  }
  return out;
}

// Labels renamed L00, L01 ... in byte-wise order of every label name of the test.
std::map<std::string, std::string> renamed_labels(const hw::AsmTest& t) {
  std::set<std::string> names;
  for (const auto& th : t.threads)
    for (const auto& c : th) {
      names.insert(c.labels.begin(), c.labels.end());
      for (const auto& o : c.instr.args)
        if (o.kind == hw::Operand::Kind::Label && o.name.rfind(".+", 0) != 0 && o.name.rfind(".-", 0) != 0)
          names.insert(o.name);  // `.+8` is an offset, not a label
    }
  std::map<std::string, std::string> out;
  int k = 0;
  for (const auto& n : names) out[n] = fmt::format("L{:02d}", k++);
  return out;
}

// X86_64 (AT&T) normal forms: lower case, suffix kept, `%` registers, `disp(%base, %index,scale)`.
std::string operand_text_64(const hw::Operand& o, const std::map<std::string, std::string>& labels) {
  switch (o.kind) {
    case hw::Operand::Kind::Imm: return fmt::format("${}", o.imm);
    case hw::Operand::Kind::Reg: return "%" + o.name;
    case hw::Operand::Kind::Mem: {
      std::string out = o.segment.empty() ? "" : "%" + o.segment + ":";
      if (o.disp) out += fmt::format("{}", o.disp);
      out += '(';
      if (!o.name.empty()) out += (o.mem_reg ? "%" : "") + o.name;
      if (!o.index.empty()) out += fmt::format(", %{},{}", o.index, o.scale);
      return out + ')';
    }
    case hw::Operand::Kind::Label: return labels.at(o.name);
    case hw::Operand::Kind::Word: return o.name;
  }
  return "";
}

std::string normal_form_64(const hw::Instr& in, const std::map<std::string, std::string>& labels) {
  if (in.op == "nop" || in.op == "nopl" || in.op == "nopw" || in.op == "endbr64") return "NOP";
  std::string out = in.lock ? "lock; " : "";
  out += in.mnemonic;
  for (size_t i = 0; i < in.args.size(); ++i) out += (i ? "," : " ") + operand_text_64(in.args[i], labels);
  return out;
}

std::string normal_form_a64(const hw::Instr& in, const std::map<std::string, std::string>& labels) {
  return hw::aarch64_normal_form(in, labels, true);
}

using NormalForm = std::string (*)(const hw::Instr&, const std::map<std::string, std::string>&);

// The program as herd's hash prints it: a column per thread, each cell padded to its column's width.
std::string code_text(const hw::AsmTest& t, NormalForm form) {
  auto labels = renamed_labels(t);
  std::vector<std::vector<std::string>> cols;
  for (const auto& th : t.threads) {
    std::vector<std::string> lines;
    for (const auto& c : th) {
      for (const auto& l : c.labels) lines.push_back(labels.at(l) + ":");
      if (c.has_instr) lines.push_back(form(c.instr, labels));
    }
    cols.push_back(std::move(lines));
  }
  size_t rows = 0;
  std::vector<size_t> width;
  for (const auto& c : cols) {
    rows = std::max(rows, c.size());
    size_t w = 0;
    for (const auto& l : c) w = std::max(w, l.size());
    width.push_back(w);
  }
  std::string out;
  for (size_t r = 0; r < rows; ++r) {
    for (size_t k = 0; k < cols.size(); ++k) {
      if (k) out += '|';
      std::string cell = r < cols[k].size() ? cols[k][r] : "";
      out += ' ' + cell + std::string(width[k] - cell.size(), ' ') + ' ';
    }
    out += ";\n";
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

}  // namespace

std::string x86_hash_code_text(const hw::AsmTest& t) { return code_text(t, normal_form); }

std::string x86_64_hash_code_text(const hw::AsmTest& t) { return code_text(t, normal_form_64); }

std::string aarch64_hash_code_text(const hw::AsmTest& t) { return code_text(t, normal_form_a64); }

std::string asm_hash_locations_text(const hw::AsmTest& t) {
  // Sorted like the init entries: registers by thread then raw name byte-wise, then plain globals, then array
  // cells.
  std::vector<litmus::Location> locs = displayed_locations(t.test);
  locs.erase(std::remove_if(locs.begin(), locs.end(), [](const litmus::Location& l) { return !l.fault.empty(); }), locs.end());
  for (auto& l : locs) {
    l.reg_rank = -1;
    if (l.whole) {  // `x={1,2}` is the location x
      litmus::Location whole;
      whole.pos = l.pos, whole.thread = l.thread, whole.name = l.base();
      l = std::move(whole);
    }
  }
  std::sort(locs.begin(), locs.end(), litmus::display_less);
  locs.erase(std::unique(locs.begin(), locs.end()), locs.end());
  std::vector<std::string> parts;
  for (const auto& l : locs) parts.push_back(l.thread >= 0 ? fmt::format("{}:{}", l.thread, l.name) : l.name);
  return join(parts, "; ");
}

static bool is_hash_key(std::string k) {
  for (char& c : k) c = char(std::tolower(static_cast<unsigned char>(c)));
  return k == "hash";
}

bool asm_hash_line_printed(const hw::AsmTest& t) {
  for (const auto& kv : t.test.meta)
    if (is_hash_key(kv.first) && kv.first != "Hash") return false;
  return true;
}

static std::string asm_hash(const hw::AsmTest& t, const std::string& code) {
  for (const auto& [k, v] : t.test.meta)
    if (is_hash_key(k)) return v;
  std::string info = hash_info_text(t.test);
  std::string data = info.empty() ? std::string() : md5_raw(info);
  data += md5_raw(hash_init_text(t.test));
  data += md5_raw(code);
  data += md5_raw(asm_hash_locations_text(t));
  return md5_hex(data);
}

std::string x86_hash(const hw::AsmTest& t) { return asm_hash(t, x86_hash_code_text(t)); }

std::string x86_64_hash(const hw::AsmTest& t) { return asm_hash(t, x86_64_hash_code_text(t)); }

std::string aarch64_hash(const hw::AsmTest& t) { return asm_hash(t, aarch64_hash_code_text(t)); }

}  // namespace paddock::report
