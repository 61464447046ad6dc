#include "report/asm_hash.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

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
        if (o.kind == hw::Operand::Kind::Label) names.insert(o.name);
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

// AArch64 normal forms: upper case, no spaces, `#` immediates, herd's aliases (SUBS to ZR is CMP ...).
std::string operand_text_a64(const hw::Operand& o, const std::map<std::string, std::string>& labels) {
  switch (o.kind) {
    case hw::Operand::Kind::Imm: return fmt::format("#{}", o.imm);
    case hw::Operand::Kind::Reg: return o.name;
    case hw::Operand::Kind::Mem: {
      std::string out = "[" + o.name;
      if (!o.index.empty()) {
        out += "," + o.index;
        // A zero amount is not printed: `[X1,X2,LSL #0]` is `[X1,X2]`, `SXTW #0` is `SXTW`.
        bool amount = o.has_imm && o.scale != 0;
        if (!o.ext.empty() && (o.ext != "LSL" || amount)) out += "," + o.ext + (amount ? fmt::format(" #{}", o.scale) : "");
      } else if (o.disp != 0 || o.writeback) {
        out += fmt::format(",#{}", o.disp);
      }
      return out + (o.writeback ? "]!" : "]");
    }
    case hw::Operand::Kind::Label: return o.name[0] == '.' ? o.name : labels.at(o.name);
    case hw::Operand::Kind::Word: {
      auto it = labels.find(o.name);
      if (it != labels.end() && !o.has_imm) return it->second;
      std::string n = o.name;
      for (char& c : n) c = char(std::toupper(static_cast<unsigned char>(c)));
      return o.has_imm ? fmt::format("{} #{}", n, o.imm) : n;
    }
  }
  return "";
}

std::string a64_invert(const std::string& cc) {
  static const std::map<std::string, std::string> inv = {
      {"EQ", "NE"}, {"NE", "EQ"}, {"GE", "LT"}, {"LT", "GE"}, {"GT", "LE"}, {"LE", "GT"}, {"HI", "LS"},
      {"LS", "HI"}, {"HS", "LO"}, {"LO", "HS"}, {"CS", "CC"}, {"CC", "CS"}, {"MI", "PL"}, {"PL", "MI"},
      {"VS", "VC"}, {"VC", "VS"}};
  auto it = inv.find(cc);
  return it == inv.end() ? cc : it->second;
}

std::string normal_form_a64(const hw::Instr& in, const std::map<std::string, std::string>& labels) {
  std::string op = in.op;
  std::vector<hw::Operand> args = in.args;
  auto zr = [](const hw::Operand& o) { return o.kind == hw::Operand::Kind::Reg && (o.name == "WZR" || o.name == "XZR"); };
  if ((op == "SUBS" || op == "ANDS" || op == "ADDS") && !args.empty() && zr(args[0])) {
    op = op == "SUBS" ? "CMP" : op == "ANDS" ? "TST" : "CMN";
    args.erase(args.begin());
  } else if (op == "ORN" && args.size() >= 2 && zr(args[1])) {
    op = "MVN";
    args.erase(args.begin() + 1);
  } else if ((op == "NEG" || op == "NEGS") && args.size() >= 2) {
    hw::Operand z = args[0];
    z.name = z.name[0] == 'W' ? "WZR" : "XZR";
    args.insert(args.begin() + 1, z);
    op = op == "NEG" ? "SUB" : "SUBS";
  } else if (op == "CSINC" && args.size() == 4 && zr(args[1]) && zr(args[2])) {
    op = "CSET";
    hw::Operand c = args[3];
    c.name = a64_invert(c.name);
    args = {args[0], c};
  }
  if (op == "REV64") op = "REV";  // herd's name for the 64-bit REV
  if (op == "ADR") op = "ADDR";   // herd's compat printer's name
  // herd's compat printer shows LDXP's first register by its W name whatever the width (pp_ldxp).
  if ((op == "LDXP" || op == "LDAXP") && !args.empty() && args[0].kind == hw::Operand::Kind::Reg && args[0].name[0] == 'X')
    args[0].name = args[0].name == "XZR" ? "WZR" : "W" + args[0].name.substr(1);
  if (op == "UBFM" || op == "SBFM")  // herd prints their registers by X name whatever the width
    for (auto& o : args)
      if (o.kind == hw::Operand::Kind::Reg && o.name[0] == 'W') o.name = o.name == "WZR" ? "XZR" : "X" + o.name.substr(1);
  if (op == "LDUR" && args.size() == 2 && args[1].kind == hw::Operand::Kind::Mem) {
    // herd prints LDUR apart: X-name destination, a space after the comma, offset 0 dropped.
    const hw::Operand& m = args[1];
    std::string rt = args[0].name[0] == 'W' ? (args[0].name == "WZR" ? "XZR" : "X" + args[0].name.substr(1)) : args[0].name;
    return fmt::format("LDUR {}, [{}{}]", rt, m.name, m.disp ? fmt::format(",#{}", m.disp) : "");
  }
  // An ALU operand's zero shift (`X1,LSL #0`, `#0,LSL #0`) is not printed.
  for (size_t i = 1; i + 1 < args.size() && !(op == "MOVK" || op == "MOVZ" || op == "MOVN"); ++i) {
    const hw::Operand& m = args[i + 1];
    bool shift = m.kind == hw::Operand::Kind::Word && m.has_imm && m.imm == 0 &&
                 (m.name == "LSL" || m.name == "LSR" || m.name == "ASR" || m.name == "ROR");
    if (shift && (args[i].kind == hw::Operand::Kind::Reg || args[i].kind == hw::Operand::Kind::Imm))
      args.erase(args.begin() + long(i) + 1);
  }
  std::string out = op;
  bool movk = op == "MOVK" || op == "MOVZ" || op == "MOVN";
  for (size_t i = 0; i < args.size(); ++i) {
    const hw::Operand& o = args[i];
    bool post = o.kind == hw::Operand::Kind::Imm && i > 0 && args[i - 1].kind == hw::Operand::Kind::Mem;
    // herd prints the MOV{K,Z,N} shift after an empty operand (MOVZ/MOVN: LSL #0 when none is written)
    bool shift = movk && i == 2 && o.kind == hw::Operand::Kind::Word;
    // ... and a pair's post-indexed address after a space: `STP X1,X2, [X3]#16`
    bool pair_post = (op == "STP" || op == "STNP" || op == "LDP" || op == "LDNP" || op == "LDPSW") &&
                     o.kind == hw::Operand::Kind::Mem && i + 1 < args.size() && args[i + 1].kind == hw::Operand::Kind::Imm;
    out += (i == 0 ? " " : post ? "" : shift ? ",," : pair_post ? ", " : ",") + operand_text_a64(o, labels);
  }
  return out;
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
  for (auto& l : locs) {
    l.reg_rank = -1;
    if (l.whole) l = {l.pos, l.thread, l.base()};  // `x={1,2}` is the location x
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
