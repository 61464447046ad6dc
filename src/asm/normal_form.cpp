// herd's printed forms of AArch64 instructions (lib/AArch64Base.ml's dump_instruction): the Hash digests the
// compat form, and instruction values (`instr:"B .+4"`) show the plain one.
#include "asm/normal_form.hpp"

#include <fmt/format.h>

#include <cctype>

namespace paddock::hw {

// AArch64 normal forms: upper case, no spaces, `#` immediates, herd's aliases (SUBS to ZR is CMP ...).
static std::string operand_text_a64(const Operand& o, const std::map<std::string, std::string>& labels) {
  switch (o.kind) {
    case Operand::Kind::Imm: return fmt::format("#{}", o.imm);
    case Operand::Kind::Reg: return o.name;
    case Operand::Kind::Mem: {
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
    case Operand::Kind::Label: return o.name[0] == '.' ? o.name : labels.at(o.name);
    case Operand::Kind::Word: {
      auto it = labels.find(o.name);
      if (it != labels.end() && !o.has_imm) return it->second;
      std::string n = o.name;
      for (char& c : n) c = char(std::toupper(static_cast<unsigned char>(c)));
      return o.has_imm ? fmt::format("{} #{}", n, o.imm) : n;
    }
  }
  return "";
}

static std::string a64_invert(const std::string& cc) {
  static const std::map<std::string, std::string> inv = {
      {"EQ", "NE"}, {"NE", "EQ"}, {"GE", "LT"}, {"LT", "GE"}, {"GT", "LE"}, {"LE", "GT"}, {"HI", "LS"},
      {"LS", "HI"}, {"HS", "LO"}, {"LO", "HS"}, {"CS", "CC"}, {"CC", "CS"}, {"MI", "PL"}, {"PL", "MI"},
      {"VS", "VC"}, {"VC", "VS"}};
  auto it = inv.find(cc);
  return it == inv.end() ? cc : it->second;
}

std::string aarch64_normal_form(const Instr& in, const std::map<std::string, std::string>& labels, bool compat) {
  std::string op = in.op;
  std::vector<Operand> args = in.args;
  auto zr = [](const Operand& o) { return o.kind == Operand::Kind::Reg && (o.name == "WZR" || o.name == "XZR"); };
  if ((op == "SUBS" || op == "ANDS" || op == "ADDS") && !args.empty() && zr(args[0])) {
    op = op == "SUBS" ? "CMP" : op == "ANDS" ? "TST" : "CMN";
    args.erase(args.begin());
  } else if (op == "ORN" && args.size() >= 2 && zr(args[1])) {
    op = "MVN";
    args.erase(args.begin() + 1);
  } else if (compat && (op == "NEG" || op == "NEGS") && args.size() >= 2) {
    Operand z = args[0];
    z.name = z.name[0] == 'W' ? "WZR" : "XZR";
    args.insert(args.begin() + 1, z);
    op = op == "NEG" ? "SUB" : "SUBS";
  } else if (op == "CSINC" && args.size() == 4 && zr(args[1]) && zr(args[2])) {
    op = "CSET";
    Operand c = args[3];
    c.name = a64_invert(c.name);
    args = {args[0], c};
  }
  if (op == "REV64") op = "REV";  // herd's name for the 64-bit REV
  if (compat && op == "ADR") op = "ADDR";  // herd's compat printer's name
  // herd's compat printer shows LDXP's first register by its W name whatever the width (pp_ldxp).
  if (compat && (op == "LDXP" || op == "LDAXP") && !args.empty() && args[0].kind == Operand::Kind::Reg && args[0].name[0] == 'X')
    args[0].name = args[0].name == "XZR" ? "WZR" : "W" + args[0].name.substr(1);
  if (op == "UBFM" || op == "SBFM")  // herd prints their registers by X name whatever the width
    for (auto& o : args)
      if (o.kind == Operand::Kind::Reg && o.name[0] == 'W') o.name = o.name == "WZR" ? "XZR" : "X" + o.name.substr(1);
  if (op == "LDUR" && args.size() == 2 && args[1].kind == Operand::Kind::Mem) {
    // herd prints LDUR apart: X-name destination, a space after the comma, offset 0 dropped.
    const Operand& m = args[1];
    std::string rt = args[0].name[0] == 'W' ? (args[0].name == "WZR" ? "XZR" : "X" + args[0].name.substr(1)) : args[0].name;
    return fmt::format("LDUR {}, [{}{}]", rt, m.name, m.disp ? fmt::format(",#{}", m.disp) : "");
  }
  // An ALU operand's zero shift (`X1,LSL #0`, `#0,LSL #0`) is not printed.
  for (size_t i = 1; i + 1 < args.size() && !(op == "MOVK" || op == "MOVZ" || op == "MOVN"); ++i) {
    const Operand& m = args[i + 1];
    bool shift = m.kind == Operand::Kind::Word && m.has_imm && m.imm == 0 &&
                 (m.name == "LSL" || m.name == "LSR" || m.name == "ASR" || m.name == "ROR");
    if (shift && (args[i].kind == Operand::Kind::Reg || args[i].kind == Operand::Kind::Imm))
      args.erase(args.begin() + long(i) + 1);
  }
  std::string out = op;
  bool movk = op == "MOVK" || op == "MOVZ" || op == "MOVN";
  for (size_t i = 0; i < args.size(); ++i) {
    const Operand& o = args[i];
    bool post = o.kind == Operand::Kind::Imm && i > 0 && args[i - 1].kind == Operand::Kind::Mem;
    // herd prints the MOV{K,Z,N} shift after an empty operand (MOVZ/MOVN: LSL #0 when none is written)
    bool shift = movk && i == 2 && o.kind == Operand::Kind::Word;
    // ... and a pair's post-indexed address after a space: `STP X1,X2, [X3]#16`
    bool pair_post = (op == "STP" || op == "STNP" || op == "LDP" || op == "LDNP" || op == "LDPSW") &&
                     o.kind == Operand::Kind::Mem && i + 1 < args.size() && args[i + 1].kind == Operand::Kind::Imm;
    out += (i == 0 ? " " : post ? "" : shift ? ",," : pair_post ? ", " : ",") + operand_text_a64(o, labels);
  }
  return out;
}

}  // namespace paddock::hw
