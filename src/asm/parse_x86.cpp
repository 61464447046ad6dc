// ANTLR glue for the X86 grid (grammar/LitmusX86.g4) and the checks herd's X86 front end makes:
// mnemonics all-lower or all-upper, registers upper case only, one cell per thread in every row,
// labels unique in the test, LOCK only on the instructions that take it.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "LitmusX86Lexer.h"
#include "LitmusX86Parser.h"
#include "antlr4-runtime.h"
#include "asm/front_end.hpp"
#include "asm/parse.hpp"
#include "asm/sections.hpp"
#include "litmus/parse.hpp"
#include "litmus/syntax_errors.hpp"

namespace paddock::hw {

using P = LitmusX86Parser;

int x86_register_rank(const std::string& name) {
  static const char* const regs[] = {"EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP", "EIP", "ZF", "SF", "CF"};
  for (int i = 0; i < 12; ++i)
    if (name == regs[i]) return i;
  return -1;
}

namespace {

using front_end::pos_of;

bool all_upper_or_lower(const std::string& s) {
  bool up = false, low = false;
  for (char c : s) up = up || (c >= 'A' && c <= 'Z'), low = low || (c >= 'a' && c <= 'z');
  return !(up && low);
}

std::string upper(std::string s) {
  for (char& c : s) c = char(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Operand shapes: r = register, m = memory, i = immediate, l = label; a letter set per operand.
struct Shape {
  const char* op;
  std::vector<const char*> args;
  bool lockable;
};
const std::vector<Shape>& shapes() {
  static const std::vector<Shape> s = {
      {"MOV", {"rm", "rmi"}, false},  {"MOVB", {"rm", "rmi"}, false}, {"MOVW", {"rm", "rmi"}, false},
      {"MOVL", {"rm", "rmi"}, false}, {"MOVQ", {"rm", "rmi"}, false}, {"ADD", {"rm", "rmi"}, true},
      {"XOR", {"rm", "rmi"}, true},   {"OR", {"rm", "rmi"}, false},   {"INC", {"rm"}, true},
      {"DEC", {"rm"}, true},          {"CMP", {"rm", "rmi"}, false},  {"CMOVC", {"r", "rm"}, false},
      {"SETNB", {"rm"}, false},       {"XCHG", {"rm", "rm"}, true},   {"JMP", {"l"}, false},
      {"JE", {"l"}, false},           {"JNE", {"l"}, false},          {"MFENCE", {}, false},
      {"LFENCE", {}, false},          {"SFENCE", {}, false},
  };
  return s;
}

class Builder {
 public:
  explicit Builder(std::string file) : file_(std::move(file)) {}
  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(file_, pos, msg); }

  int64_t number(const antlr4::Token* t, bool negative) const {
    std::string s = t->getText();
    int base = 10;
    const char* b = s.data();
    if (s.size() > 2 && (s[1] == 'x' || s[1] == 'X')) base = 16, b += 2;
    uint64_t v = 0;
    auto [p, ec] = std::from_chars(b, s.data() + s.size(), v, base);
    if (ec != std::errc() || p != s.data() + s.size() || v > (uint64_t(1) << 32))
      fail(pos_of(t), fmt::format("integer literal '{}' does not fit in 32 bits", s));
    return negative ? -int64_t(v) : int64_t(v);
  }

  void check_register(const std::string& name, Pos pos) const {
    if (x86_register_rank(name) >= 0 && x86_register_rank(name) < 9) return;
    fail(pos, fmt::format("'{}' is not an X86 register (EAX EBX ECX EDX ESI EDI EBP ESP EIP)", name));
  }

  Operand operand(P::OperandContext* c, bool label) const {
    Operand o;
    o.pos = pos_of(c->getStart());
    if (auto* x = dynamic_cast<P::ImmOperandContext*>(c)) {
      o.kind = Operand::Kind::Imm;
      o.imm = number(x->NUM()->getSymbol(), x->MINUS() != nullptr);
    } else if (auto* x = dynamic_cast<P::MemOperandContext*>(c)) {
      o.kind = Operand::Kind::Mem;
      if (x->NUM()) {
        o.mem_abs = true;
        o.imm = number(x->NUM()->getSymbol(), false);
      } else {
        o.name = x->WORD()->getText();
        o.mem_reg = x86_register_rank(o.name) >= 0;
        if (o.mem_reg) check_register(o.name, pos_of(x->WORD()->getSymbol()));
      }
    } else if (auto* x = dynamic_cast<P::ParenMemOperandContext*>(c)) {
      o.kind = Operand::Kind::Mem;
      o.name = x->WORD()->getText();
      o.mem_reg = true;
      check_register(o.name, pos_of(x->WORD()->getSymbol()));
    } else {
      auto* w = dynamic_cast<P::WordOperandContext*>(c);
      o.name = w->WORD()->getText();
      if (label) {
        o.kind = Operand::Kind::Label;
      } else {
        o.kind = Operand::Kind::Reg;
        check_register(o.name, o.pos);
      }
    }
    return o;
  }

  Instr instr(P::InstrContext* c) const {
    Instr in;
    in.pos = pos_of(c->getStart());
    in.lock = c->LOCK() != nullptr;
    std::string raw = c->op->getText();
    Pos op_pos = pos_of(c->op);
    in.op = upper(raw);
    const Shape* shape = nullptr;
    for (const auto& s : shapes())
      if (in.op == s.op) shape = &s;
    if (!shape || !all_upper_or_lower(raw)) fail(op_pos, fmt::format("unsupported instruction {}", raw));
    if (in.lock && !shape->lockable) fail(in.pos, fmt::format("illegal lock prefix on {}", raw));
    auto ops = c->operand();
    if (ops.size() != shape->args.size())
      fail(op_pos, fmt::format("{} takes {} operand{}, found {}", raw, shape->args.size(),
                               shape->args.size() == 1 ? "" : "s", ops.size()));
    for (size_t i = 0; i < ops.size(); ++i) {
      std::string allowed = shape->args[i];
      Operand o = operand(ops[i], allowed == "l");
      char k = o.kind == Operand::Kind::Imm ? 'i' : o.kind == Operand::Kind::Reg ? 'r' : o.kind == Operand::Kind::Mem ? 'm' : 'l';
      if (allowed.find(k) == std::string::npos) {
        static const std::map<char, const char*> what = {{'i', "an immediate"}, {'r', "a register"},
                                                         {'m', "a memory operand"}, {'l', "a label"}};
        fail(o.pos, fmt::format("operand {} of {} cannot be {}", i + 1, raw, what.at(k)));
      }
      in.args.push_back(o);
    }
    if (in.args.size() == 2 && in.args[0].kind == Operand::Kind::Mem && in.args[1].kind == Operand::Kind::Mem)
      fail(in.args[1].pos, fmt::format("{} cannot take two memory operands", raw));
    return in;
  }

 private:
  std::string file_;
};

// Registers named in the init block and the condition: herd's X86 accepts upper-case names only.
void check_state_registers(const litmus::Test& t) {
  auto check = [&](int thread, const std::string& name, Pos pos) {
    if (thread >= 0 && x86_register_rank(name) < 0)
      throw UserError(t.file, pos, fmt::format("'{}' is not an X86 register", name));
  };
  front_end::for_state_names(
      t, [&](const litmus::InitEntry& e) { check(e.thread, e.name, e.pos); },
      [&](const litmus::Location& l) { check(l.thread, l.name, l.pos); });
}

}  // namespace

AsmTest parse_x86(const std::string& text, const std::string& file) {
  litmus::check_utf8(text, file);
  Sections sec = split_sections(text, file);
  AsmTest t;
  t.test = litmus::parse_state(sec.state_text, file);
  t.test.arch = sec.arch;
  check_state_registers(t.test);
  // herd displays X86 registers in its own order (EAX EBX ECX ...), not by name.
  front_end::map_state_locations(t.test, [](litmus::Location& l) {
    if (l.thread >= 0) l.reg_rank = x86_register_rank(l.name);
  });
  Builder b(file);
  t.threads = front_end::with_program<LitmusX86Lexer, LitmusX86Parser>(
      sec.program_text, file, [&](P::ProgramContext* prog) { return front_end::grid(b, prog, true); });
  return t;
}

}  // namespace paddock::hw
