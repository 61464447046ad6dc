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

Pos pos_of(const antlr4::Token* t) { return {int(t->getLine()), int(t->getCharPositionInLine()) + 1}; }

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

  std::vector<std::vector<Cell>> grid(P::ProgramContext* c) const {
    auto rows = c->row();
    // First row: P0 | P1 | ... ;
    std::vector<std::vector<Cell>> threads;
    auto head = rows[0]->cell();
    for (size_t k = 0; k < head.size(); ++k) {
      auto* cell = head[k];
      auto* in = cell->instr();
      std::string want = fmt::format("P{}", k);
      if (!cell->label().empty() || !in || in->LOCK() || !in->operand().empty() || in->op->getText() != want)
        fail(pos_of(cell->getStart()), fmt::format("expected '{}' in the first row of the program", want));
      threads.emplace_back();
    }
    std::set<std::string> labels;
    for (size_t r = 1; r < rows.size(); ++r) {
      auto cells = rows[r]->cell();
      if (cells.size() != threads.size())
        fail(pos_of(rows[r]->getStart()),
             fmt::format("mismatch in instruction lines: {} cells for {} threads", cells.size(), threads.size()));
      for (size_t k = 0; k < cells.size(); ++k) {
        Cell cell;
        for (auto* l : cells[k]->label()) {
          std::string name = l->WORD()->getText();
          if (!labels.insert(name).second)
            fail(pos_of(l->getStart()), fmt::format("label {} occurs more than once", name));
          cell.labels.push_back(name);
        }
        if (auto* in = cells[k]->instr()) {
          cell.has_instr = true;
          cell.instr = instr(in);
        }
        if (!cell.labels.empty() || cell.has_instr) threads[k].push_back(std::move(cell));
      }
    }
    // Branch targets must be labels of the same thread.
    for (const auto& th : threads) {
      std::set<std::string> own;
      for (const auto& cell : th) own.insert(cell.labels.begin(), cell.labels.end());
      for (const auto& cell : th)
        for (const auto& o : cell.instr.args)
          if (o.kind == Operand::Kind::Label && !own.count(o.name))
            fail(o.pos, fmt::format("label {} is not defined in this thread", o.name));
    }
    return threads;
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
  for (const auto& e : t.init) check(e.thread, e.name, e.pos);
  std::vector<litmus::Location> locs = t.locations;
  litmus::prop_locations(t.condition, locs);
  litmus::prop_locations(t.filter, locs);
  for (const auto& l : locs) check(l.thread, l.name, l.pos);
}

// herd displays X86 registers in its own order (EAX EBX ECX ...), not by name.
void rank_registers(litmus::PropPtr& p) {
  if (!p) return;
  auto q = std::make_shared<litmus::Prop>(*p);
  if (q->loc.thread >= 0) q->loc.reg_rank = x86_register_rank(q->loc.name);
  if (q->value.reg) q->value.reg->reg_rank = x86_register_rank(q->value.reg->name);
  rank_registers(q->left);
  rank_registers(q->right);
  p = q;
}

}  // namespace

AsmTest parse_x86(const std::string& text, const std::string& file) {
  litmus::check_utf8(text, file);
  Sections sec = split_sections(text, file);
  AsmTest t;
  t.test = litmus::parse_state(sec.state_text, file);
  t.test.arch = sec.arch;
  check_state_registers(t.test);
  for (auto& l : t.test.locations)
    if (l.thread >= 0) l.reg_rank = x86_register_rank(l.name);
  rank_registers(t.test.condition);
  rank_registers(t.test.filter);

  antlr4::ANTLRInputStream input(sec.program_text);
  litmus::ThrowingListener listener(file);
  LitmusX86Lexer lexer(&input);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&listener);
  antlr4::CommonTokenStream tokens(&lexer);
  LitmusX86Parser parser(&tokens);
  parser.removeErrorListeners();
  parser.addErrorListener(&listener);
  auto* prog = parser.program();
  Builder b(file);
  t.threads = b.grid(prog);
  return t;
}

}  // namespace paddock::hw
