// ANTLR glue for the AArch64 grid (grammar/LitmusAArch64.g4) and the checks herd's AArch64 front end makes:
// mnemonics all-lower or all-upper, registers in any case (kept upper case here), decimal immediates,
// one cell per thread in every row, labels unique in the test, init/condition registers X-names only.
// Operand shapes per instruction are checked by the lowering, which knows what each one reads.
#include <cctype>
#include <fmt/format.h>

#include <charconv>
#include <functional>
#include <set>

#include "LitmusAArch64Lexer.h"
#include "LitmusAArch64Parser.h"
#include "antlr4-runtime.h"
#include "asm/front_end.hpp"
#include "asm/normal_form.hpp"
#include "asm/parse.hpp"
#include "asm/sections.hpp"
#include "litmus/parse.hpp"
#include "litmus/syntax_errors.hpp"

namespace paddock::hw {

using P = LitmusAArch64Parser;

namespace {

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

int reg_number(const std::string& u, size_t from) {
  if (u.size() <= from || u.size() > from + 2) return -1;
  int n = 0;
  for (size_t i = from; i < u.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(u[i]))) return -1;
    n = n * 10 + (u[i] - '0');
  }
  if (u.size() == from + 2 && u[from] == '0') return -1;
  return n <= 30 ? n : -1;
}

}  // namespace

std::string aarch64_register(const std::string& name) {
  // herd's symbolic registers: `%r` (or `X%r`) and its 32-bit view `W%r`, initialised by `%r=...`.
  if (size_t pct = name.find('%'); pct != std::string::npos) {
    std::string view = upper(name.substr(0, pct)), id = name.substr(pct + 1);
    if (id.empty() || id.find('%') != std::string::npos || !(view.empty() || view == "X" || view == "W")) return "";
    return (view == "W" ? "W%" : "X%") + id;
  }
  std::string u = upper(name);
  if (u == "XZR" || u == "WZR" || u == "SP" || u == "WSP") return u;
  if (u == "LR") return "X30";
  if ((u[0] == 'X' || u[0] == 'W') && reg_number(u, 1) >= 0) return u[0] + std::to_string(reg_number(u, 1));
  return "";
}

int aarch64_register_rank(const std::string& name) {
  std::string r = aarch64_register(name);
  if (r.empty() || r[0] == 'W' || r.find('%') != std::string::npos) return -1;  // symbolic registers are not shown
  if (r == "XZR") return 0;
  if (r == "SP") return 1;
  return 2 + reg_number(r, 1);
}

namespace {

using front_end::pos_of;

bool all_upper_or_lower(const std::string& s) {
  bool up = false, low = false;
  for (char c : s) up = up || (c >= 'A' && c <= 'Z'), low = low || (c >= 'a' && c <= 'z');
  return !(up && low);
}

class Builder {
 public:
  explicit Builder(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(file_, pos, msg); }

  int64_t number(P::ImmContext* c) const {
    std::string s = c->NUM()->getText();
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v > (uint64_t(1) << 63))
      fail(pos_of(c->NUM()->getSymbol()), fmt::format("integer literal '{}' does not fit in 64 bits", s));
    return c->MINUS() ? int64_t(0 - v) : int64_t(v);
  }

  std::string reg(antlr4::tree::TerminalNode* w) const {
    std::string r = aarch64_register(w->getText());
    if (r.empty()) {
      const std::string t = w->getText();
      // Morello's capability registers (C0-C30, CSP, CZR): herd's Variant=morello, not modelled here.
      const bool capability = t.size() >= 2 && (t[0] == 'C' || t[0] == 'c') &&
                              (std::isdigit(static_cast<unsigned char>(t[1])) || t == "CSP" || t == "CZR");
      if (capability)
        fail(pos_of(w->getSymbol()),
             fmt::format("unsupported: '{}' is a Morello capability register (Variant=morello is not modelled)", t));
      fail(pos_of(w->getSymbol()), fmt::format("'{}' is not an AArch64 register", t));
    }
    return r;
  }

  Operand operand(P::OperandContext* c) const {
    Operand o;
    o.pos = pos_of(c->getStart());
    if (auto* x = dynamic_cast<P::ImmOperandContext*>(c)) {
      o.kind = Operand::Kind::Imm;
      o.imm = number(x->imm());
    } else if (auto* x = dynamic_cast<P::MemOperandContext*>(c)) {
      o.kind = Operand::Kind::Mem;
      o.mem_reg = true;
      o.name = reg(x->WORD());
      o.writeback = x->BANG() != nullptr;
      auto in = x->inner();
      size_t k = 0;
      if (k < in.size() && in[k]->imm()) o.disp = number(in[k++]->imm());
      else if (k < in.size()) {
        auto* w = in[k]->WORD();
        if (in[k]->imm()) fail(pos_of(in[k]->imm()->getStart()), "expected ',' or ']' after the index register");
        o.index = reg(w);
        o.scale = 0;  // a shift amount here (Operand's default 1 is x86's multiplier)
        ++k;
        if (k < in.size()) {
          if (!in[k]->WORD()) fail(pos_of(in[k]->getStart()), "expected LSL, SXTW, UXTW or SXTX after the index register");
          o.ext = upper(in[k]->WORD()->getText());
          if (o.ext != "LSL" && o.ext != "SXTW" && o.ext != "UXTW" && o.ext != "SXTX" && o.ext != "UXTX")
            fail(pos_of(in[k]->getStart()), fmt::format("expected LSL, SXTW, UXTW or SXTX, found '{}'", in[k]->WORD()->getText()));
          if (in[k]->imm()) o.has_imm = true, o.scale = number(in[k]->imm());
          else o.scale = 0;
          if (o.ext == "LSL" && !o.has_imm) fail(pos_of(in[k]->getStart()), "LSL needs a shift amount");
          ++k;
        }
      }
      if (k < in.size()) fail(pos_of(in[k]->getStart()), "expected ']'");
      if (o.writeback && !o.index.empty()) fail(o.pos, "pre-indexed addressing takes an immediate offset");
    } else if (auto* x = dynamic_cast<P::OffsetOperandContext*>(c)) {
      o.kind = Operand::Kind::Label;
      o.name = std::string(".") + (x->PLUS() ? "+" : "-") + x->NUM()->getText();
    } else {
      auto* w = dynamic_cast<P::WordOperandContext*>(c);
      std::string text = w->WORD()->getText();
      std::string r = aarch64_register(text);
      if (w->imm()) {
        o.kind = Operand::Kind::Word;
        o.name = upper(text);
        o.has_imm = true;
        o.imm = number(w->imm());
      } else if (!r.empty()) {
        o.kind = Operand::Kind::Reg;
        o.name = r;
      } else {
        // A condition, barrier option, extend, or a label: the lowering decides by position.
        o.kind = Operand::Kind::Word;
        o.name = text;
      }
    }
    return o;
  }

  Instr instr(P::InstrContext* c) const {
    Instr in;
    in.pos = pos_of(c->getStart());
    std::string raw = c->op->getText();
    in.mnemonic = raw;
    if (!all_upper_or_lower(raw)) fail(in.pos, fmt::format("unsupported instruction {}", raw));
    in.op = upper(raw);
    for (auto* o : c->operand()) in.args.push_back(operand(o));
    return in;
  }

 private:
  std::string file_;
};

// Init blocks and conditions name the 64-bit registers only (X0..X30, SP, XZR, LR), in any case.
void check_state_registers(const litmus::Test& t) {
  auto check = [&](int thread, const std::string& name, Pos pos, bool fault = false) {
    if (fault) return;  // Fault(P0:L0,..): a label, checked by the lowering
    if (thread >= 0 && aarch64_register_rank(name) < 0) throw UserError(t.file, pos, fmt::format("{} is not a register", name));
  };
  front_end::for_state_names(
      t,
      [&](const litmus::InitEntry& e) {
        if (upper(e.name) != "VNCR_EL2") check(e.thread, e.name, e.pos);  // FEAT_NV2's base, the one system register set here
      },
      [&](const litmus::Location& l) { check(l.thread, l.name, l.pos, !l.fault.empty()); });
}

void canonical(litmus::Location& l) {
  if (l.thread < 0 || !l.fault.empty()) return;
  l.name = aarch64_register(l.name);
  l.reg_rank = aarch64_register_rank(l.name);
}

}  // namespace

namespace {

std::vector<std::vector<Cell>> parse_grid(const std::string& program_text, const std::string& file) {
  Builder b(file);
  return front_end::with_program<LitmusAArch64Lexer, LitmusAArch64Parser>(
      program_text, file, [&](P::ProgramContext* prog) { return front_end::grid(b, prog, false); });
}

// An instruction value's text, `B .+4` in `instr:"B .+4"`, as herd shows it. Branch targets are offsets:
// a value is not in any thread, so it has no labels.
std::string instruction_value(const std::string& literal, const std::string& file, Pos pos) {
  if (literal == "NOP") return "NOP";
  std::vector<std::vector<Cell>> grid;
  try {
    grid = parse_grid("P0;\n" + literal + ";\n", file);
  } catch (const UserError& e) {
    throw UserError(file, pos, fmt::format("instr:\"{}\" is not an AArch64 instruction", literal));
  }
  if (grid.size() != 1 || grid[0].size() != 1 || !grid[0][0].has_instr || !grid[0][0].labels.empty())
    throw UserError(file, pos, fmt::format("instr:\"{}\" is not one AArch64 instruction", literal));
  const Instr& in = grid[0][0].instr;
  static const std::set<std::string> targets = {"B", "BL", "CBZ", "CBNZ", "TBZ", "TBNZ", "ADR"};
  bool branch = targets.count(in.op) || in.op.rfind("B.", 0) == 0;
  if (branch && !in.args.empty() && in.args.back().kind == Operand::Kind::Word)
    throw UserError(file, pos, fmt::format("instr:\"{}\": a value's branch target is an offset (.+8), not a label", literal));
  std::string text = aarch64_normal_form(in, {}, false);
  if (text == "NOP") return "NOP";
  return fmt::format("instr:\"{}\"", text);
}

// Code values in the init block and the condition get their canonical text (litmus::InitEntry::code).
void canonical_code_values(litmus::Test& t) {
  for (auto& e : t.init) {
    if (e.value_is_addr && e.addr == "NOP") {  // herd's instruction literal NOP
      e.value_is_addr = false;
      e.addr.clear();
      e.is_instr = true;
      e.instr = "NOP";
    }
    if (e.label_thread >= 0) e.code = fmt::format("label:\"P{}:{}\"", e.label_thread, e.label);
    if (e.is_instr) e.code = instruction_value(e.instr, t.file, e.pos);
  }
  std::function<void(litmus::PropPtr&)> walk = [&](litmus::PropPtr& p) {
    if (!p) return;
    auto q = std::make_shared<litmus::Prop>(*p);
    auto& v = q->value;
    if (v.code_kind == "instr") v.code = instruction_value(v.code_text, t.file, q->pos);
    if (v.code_kind == "label") {
      std::string s = v.code_text;
      size_t colon = s.find(':');
      std::string proc = colon == std::string::npos ? "" : s.substr(0, colon);
      if (!proc.empty() && proc[0] == 'P') proc = proc.substr(1);
      if (proc.empty() || proc.size() > 4 || proc.find_first_not_of("0123456789") != std::string::npos || colon + 1 >= s.size())
        throw UserError(t.file, q->pos, fmt::format("label:\"{}\": expected label:\"P<n>:LABEL\"", s));
      v.code = fmt::format("label:\"P{}:{}\"", std::stoi(proc), s.substr(colon + 1));
    }
    walk(q->left);
    walk(q->right);
    p = q;
  };
  walk(t.condition);
  walk(t.filter);
}

}  // namespace

AsmTest parse_aarch64(const std::string& text, const std::string& file) {
  litmus::check_utf8(text, file);
  Sections sec = split_sections(text, file);
  AsmTest t;
  t.test = litmus::parse_state(sec.state_text, file);
  t.test.arch = sec.arch;
  check_state_registers(t.test);
  canonical_code_values(t.test);
  t.threads = parse_grid(sec.program_text, file);
  return t;
}

void canonical_aarch64_registers(AsmTest& t) {
  for (auto& e : t.test.init)
    if (e.thread >= 0) e.name = upper(e.name) == "VNCR_EL2" ? "VNCR_EL2" : aarch64_register(e.name);
  front_end::map_state_locations(t.test, [](litmus::Location& l) { canonical(l); });
}

}  // namespace paddock::hw
