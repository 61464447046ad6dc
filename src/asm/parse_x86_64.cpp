// ANTLR glue for the X86_64 grid (grammar/LitmusX86_64.g4) and the checks herd's X86_64 front end makes:
// mnemonics with their size suffix (b/w/l/q) where herd takes one, registers with or without `%` in any
// case, register widths matching the suffix, `lock` only where herd allows it, memory operand first in
// cmpxchg, one cell per thread in every row, labels unique in the test.
#include <fmt/format.h>

#include <charconv>
#include <map>
#include <set>

#include "LitmusX86_64Lexer.h"
#include "LitmusX86_64Parser.h"
#include "antlr4-runtime.h"
#include "asm/front_end.hpp"
#include "asm/parse.hpp"
#include "asm/sections.hpp"
#include "asm/x86_64_regs.hpp"
#include "litmus/parse.hpp"
#include "litmus/syntax_errors.hpp"

namespace paddock::hw {

using P = LitmusX86_64Parser;

namespace {

using front_end::pos_of;

// Operand shapes: r = register, m = memory, i = immediate, l = label; a letter set per operand, AT&T order.
struct Shape {
  const char* op;
  bool sized;     // takes a b/w/l/q suffix (or none)
  std::vector<const char*> args;
  bool lockable;
  bool any_args = false;  // the nop forms take whatever operands
};
const std::vector<Shape>& shapes() {
  static const std::vector<Shape> s = {
      {"mov", true, {"rmi", "rm"}, false},     {"add", true, {"rmi", "rm"}, true},
      {"xor", true, {"rmi", "rm"}, true},      {"or", true, {"rmi", "rm"}, false},
      {"cmp", true, {"rmi", "rm"}, false},     {"inc", true, {"rm"}, true},
      {"dec", true, {"rm"}, true},             {"xchg", true, {"rm", "rm"}, true},
      {"uxch", true, {"rm", "rm"}, true},      {"cmpxchg", true, {"m", "r"}, true},
      {"cmovc", true, {"rm", "r"}, false},     {"and", false, {"rmi", "rm"}, false},
      {"shl", false, {"i", "rm"}, false},      {"setnb", false, {"rm"}, false},
      {"movnti", false, {"r", "m"}, false},    {"movntil", false, {"r", "m"}, false},
      {"movntiq", false, {"r", "m"}, false},   {"clflush", false, {"m"}, false},
      {"clflushopt", false, {"m"}, false},     {"jmp", false, {"l"}, false},
      {"je", false, {"l"}, false},             {"jne", false, {"l"}, false},
      {"jle", false, {"l"}, false},            {"jlt", false, {"l"}, false},
      {"jgt", false, {"l"}, false},            {"jge", false, {"l"}, false},
      {"js", false, {"l"}, false},             {"jns", false, {"l"}, false},
      {"mfence", false, {}, false},            {"lfence", false, {}, false},
      {"sfence", false, {}, false},            {"nop", false, {}, false, true},
      {"nopl", false, {}, false, true},        {"nopw", false, {}, false, true},
      {"endbr64", false, {}, false},           {"ret", false, {}, false},
  };
  return s;
}

int suffix_size(char c) { return c == 'b' ? 1 : c == 'w' ? 2 : c == 'l' ? 4 : c == 'q' ? 8 : 0; }

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
    if (ec != std::errc() || p != s.data() + s.size())
      fail(pos_of(t), fmt::format("integer literal '{}' does not fit in 64 bits", s));
    return negative ? int64_t(0 - v) : int64_t(v);
  }

  std::string reg_name(const std::string& spelled, Pos pos) const {
    if (x86_64_register(spelled).rank < 0) fail(pos, fmt::format("'{}' is not an X86_64 register", spelled));
    return x86_64_lower(spelled);
  }

  Operand operand(P::OperandContext* c, bool label) const {
    Operand o;
    o.pos = pos_of(c->getStart());
    if (auto* x = dynamic_cast<P::ImmOperandContext*>(c)) {
      o.kind = Operand::Kind::Imm;
      o.imm = number(x->NUM()->getSymbol(), x->MINUS() != nullptr);
    } else if (auto* x = dynamic_cast<P::MemOperandContext*>(c)) {
      o.kind = Operand::Kind::Mem;
      if (x->segment()) o.segment = x86_64_lower(x->segment()->WORD()->getText());
      if (auto* d = x->disp()) o.disp = number(d->NUM()->getSymbol(), d->MINUS() != nullptr);
      if (x->base) {
        std::string w = x->base->WORD()->getText();
        Pos p = pos_of(x->base->getStart());
        bool is_reg = x->base->PERCENT() || x86_64_register(w).rank >= 0;
        if (is_reg) {
          o.name = reg_name(w, p);
          o.mem_reg = true;
        } else {
          o.name = w;  // a location: (x)
        }
      }
      if (x->index) o.index = reg_name(x->index->WORD()->getText(), pos_of(x->index->getStart()));
      if (x->scale) o.scale = number(x->scale, false);
      if (!x->base && !x->index) fail(o.pos, "empty memory operand");
    } else if (auto* x = dynamic_cast<P::BracketOperandContext*>(c)) {
      o.kind = Operand::Kind::Mem;
      o.name = x->WORD()->getText();
      if (x86_64_register(o.name).rank >= 0) o.name = x86_64_lower(o.name), o.mem_reg = true;
    } else if (auto* x = dynamic_cast<P::RegOperandContext*>(c)) {
      o.kind = Operand::Kind::Reg;
      o.name = reg_name(x->WORD()->getText(), pos_of(x->WORD()->getSymbol()));
    } else {
      auto* w = dynamic_cast<P::WordOperandContext*>(c);
      o.name = w->WORD()->getText();
      if (label) {
        o.kind = Operand::Kind::Label;
      } else {
        o.kind = Operand::Kind::Reg;
        o.name = reg_name(o.name, o.pos);
      }
    }
    return o;
  }

  const Shape* find(const std::string& low, int* size) const {
    for (const auto& s : shapes())
      if (low == s.op) return *size = 0, &s;
    if (low.size() > 1) {
      int k = suffix_size(low.back());
      std::string stem = low.substr(0, low.size() - 1);
      for (const auto& s : shapes())
        if (k && s.sized && stem == s.op) return *size = k, &s;
    }
    return nullptr;
  }

  Instr instr(P::InstrContext* c) const {
    Instr in;
    in.pos = pos_of(c->getStart());
    in.lock = c->LOCK() != nullptr;
    std::string raw = c->op->getText();
    Pos op_pos = pos_of(c->op);
    in.mnemonic = x86_64_lower(raw);
    int size = 0;
    const Shape* shape = find(in.mnemonic, &size);
    if (!shape) fail(op_pos, fmt::format("unsupported instruction {}", raw));
    in.op = shape->op;
    if (in.lock && !shape->lockable) fail(in.pos, fmt::format("illegal lock prefix on {}", raw));
    auto ops = c->operand();
    if (!shape->any_args && ops.size() != shape->args.size())
      fail(op_pos, fmt::format("{} takes {} operand{}, found {}", raw, shape->args.size(),
                               shape->args.size() == 1 ? "" : "s", ops.size()));
    for (size_t i = 0; i < ops.size(); ++i) {
      std::string allowed = shape->any_args ? "rmi" : shape->args[i];
      Operand o = operand(ops[i], allowed == "l");
      char k = o.kind == Operand::Kind::Imm ? 'i' : o.kind == Operand::Kind::Reg ? 'r' : o.kind == Operand::Kind::Mem ? 'm' : 'l';
      if (allowed.find(k) == std::string::npos) {
        static const std::map<char, const char*> what = {{'i', "an immediate"}, {'r', "a register"},
                                                         {'m', "a memory operand"}, {'l', "a label"}};
        fail(o.pos, fmt::format("operand {} of {} cannot be {}", i + 1, raw, what.at(k)));
      }
      in.args.push_back(o);
    }
    if (shape->any_args) return in;
    if (in.args.size() == 2 && in.args[0].kind == Operand::Kind::Mem && in.args[1].kind == Operand::Kind::Mem)
      fail(in.args[1].pos, fmt::format("{} cannot take two memory operands", raw));
    // Register widths: every data register agrees with the suffix, and with each other without one.
    std::string op = in.op;
    bool data_regs = !(op == "shl" || op == "clflush" || op == "clflushopt");
    for (const auto& o : in.args) {
      if (o.kind != Operand::Kind::Reg || !data_regs) continue;
      int w = x86_64_register(o.name).size;
      if (size && w != size)
        fail(o.pos, fmt::format("bad operand size: {} moves {} bytes, %{} has {}", raw, size, o.name, w));
      size = w;
    }
    if (op == "shl")
      for (const auto& o : in.args)
        if (o.kind == Operand::Kind::Reg) size = x86_64_register(o.name).size;
    if (op == "movntil") size = 4;
    if (op == "movntiq") size = 8;
    in.size = size ? size : 4;
    return in;
  }

 private:
  std::string file_;
};

// Init blocks and conditions name only the 64-bit registers (rax .. r15, rip, cs), in any case.
void check_state_registers(const litmus::Test& t) {
  auto check = [&](int thread, const std::string& name, Pos pos) {
    if (thread < 0) return;
    X86_64Reg r = x86_64_register(name);
    if (r.rank < 0 || r.size != 8) throw UserError(t.file, pos, fmt::format("'{}' is not an X86_64 register", name));
  };
  front_end::for_state_names(
      t, [&](const litmus::InitEntry& e) { check(e.thread, e.name, e.pos); },
      [&](const litmus::Location& l) { check(l.thread, l.name, l.pos); });
}

void canonical(litmus::Location& l) {
  if (l.thread < 0) return;
  l.name = x86_64_lower(l.name);
  l.reg_rank = x86_64_register(l.name).rank;
}

}  // namespace

int x86_64_register_rank(const std::string& name) {
  X86_64Reg r = x86_64_register(name);
  return r.size == 8 ? r.rank : -1;
}

AsmTest parse_x86_64(const std::string& text, const std::string& file) {
  litmus::check_utf8(text, file);
  Sections sec = split_sections(text, file);
  AsmTest t;
  t.test = litmus::parse_state(sec.state_text, file);
  t.test.arch = sec.arch;
  check_state_registers(t.test);

  Builder b(file);
  t.threads = front_end::with_program<LitmusX86_64Lexer, LitmusX86_64Parser>(
      sec.program_text, file, [&](P::ProgramContext* prog) { return front_end::grid(b, prog, true); });
  return t;
}

void canonical_x86_64_registers(AsmTest& t) {
  for (auto& e : t.test.init)
    if (e.thread >= 0) e.name = x86_64_lower(e.name);
  front_end::map_state_locations(t.test, [](litmus::Location& l) { canonical(l); });
}

}  // namespace paddock::hw
