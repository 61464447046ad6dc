// Plain AST of an assembly litmus test (X86, X86_64): the header, init block and condition in the
// litmus::Test form shared with C tests, plus a grid of instructions per thread. No ANTLR type here.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace paddock::hw {

struct Operand {
  enum class Kind {
    Imm,    // $5, 5, $-1
    Reg,    // EAX
    Mem,    // [x], [EBX], (EBX), [5]
    Label,  // a branch target
    Word,   // AArch64: a condition (EQ), barrier option (ISH) or shift/extend (LSL #3, SXTW): `name`, `imm`
  };
  Kind kind = Kind::Imm;
  Pos pos;
  int64_t imm = 0;     // Imm; Mem with an absolute address
  std::string name;    // Reg: register; Mem: symbol or register; Label: label name
  bool mem_reg = false;  // Mem: the address is in register `name`
  bool mem_abs = false;  // Mem: absolute numeric address `imm`
  // X86_64 (AT&T): registers spelled in lower case without `%` (`name`, `index`); memory `disp(base,index,scale)`
  // with `name` the base register (mem_reg) or a location, either part optional.
  std::string index;     // Mem: index register, "" when none
  int64_t scale = 1;     // Mem: index multiplier
  int64_t disp = 0;      // Mem: displacement
  std::string segment;   // Mem: `%cs:` prefix, "" when none
  // AArch64: `[base,index,ext #scale]` with `ext` LSL/SXTW/UXTW ("" none), `[base,#disp]!` (writeback);
  // registers upper case (W0, X0, WZR, XZR, SP); a Label `.+8` has `name` ".+8".
  std::string ext;
  bool has_imm = false;  // Word: an amount was given (`LSL #3`); Mem: an extend amount was given
  bool writeback = false;
};

struct Instr {
  Pos pos;
  std::string op;  // X86: mnemonic, upper case (herd accepts all-lower or all-upper); X86_64: lower case, no suffix
  bool lock = false;
  std::vector<Operand> args;
  int size = 0;          // X86_64: bytes the instruction moves (suffix b/w/l/q, else its registers', else 4)
  std::string mnemonic;  // X86_64: as written, lower case (`movl`); `op` is it without the size suffix
};

// One cell of the grid: labels, then at most one instruction.
struct Cell {
  std::vector<std::string> labels;
  bool has_instr = false;
  Instr instr;
};

struct AsmTest {
  litmus::Test test;                         // arch, name, meta, init, locations, filter, condition
  std::vector<std::vector<Cell>> threads;    // non-empty cells of each thread, in order
};

}  // namespace paddock::hw
