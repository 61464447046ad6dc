// The X86_64 front end: AT&T operands, size suffixes and register widths, herd's rules on `lock` and
// cmpxchg, register names in states, positioned errors, and the Hash's normal forms.
#include <catch2/catch.hpp>

#include "asm/parse.hpp"
#include "report/asm_hash.hpp"

using namespace paddock;
using hw::Operand;

namespace {

std::string error_of(const std::string& text) {
  try {
    hw::parse_x86_64(text, "t.litmus");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

// A one-thread test whose only row is `row`.
std::string one(const std::string& row, const std::string& cond = "exists (0:rax=0)") {
  return "X86_64 t\n{ }\n P0 ;\n " + row + " ;\n" + cond + "\n";
}

}  // namespace

TEST_CASE("X86_64 operands: AT&T order, memory forms, sizes") {
  hw::AsmTest t = hw::parse_x86_64(
      "X86_64 t\n{ 0:rbx=x; }\n P0 ;\n movl $1,(x) ;\n movq 8(%rbx,%rcx,4),%rax ;\n lock; cmpxchgl (x),%edx ;\n"
      " mov %al,(x) ;\n L0: jne L0 ;\nexists (0:RAX=1)\n",
      "t.litmus");
  REQUIRE(t.threads.size() == 1);
  const auto& code = t.threads[0];
  REQUIRE(code.size() == 5);
  CHECK(code[0].instr.op == "mov");
  CHECK(code[0].instr.size == 4);
  CHECK(code[0].instr.args[0].kind == Operand::Kind::Imm);
  CHECK(code[0].instr.args[1].name == "x");
  const Operand& m = code[1].instr.args[0];
  CHECK(m.kind == Operand::Kind::Mem);
  CHECK((m.mem_reg && m.name == "rbx" && m.index == "rcx" && m.scale == 4 && m.disp == 8));
  CHECK(code[1].instr.size == 8);
  CHECK((code[2].instr.lock && code[2].instr.op == "cmpxchg" && code[2].instr.size == 4));
  CHECK(code[3].instr.size == 1);  // no suffix: the register's width
  CHECK(code[4].labels == std::vector<std::string>{"L0"});
  // States name the 64-bit registers in lower case once canonicalised (herd prints `0:rax`).
  hw::canonical_x86_64_registers(t);
  CHECK(t.test.condition->loc.name == "rax");
  CHECK(t.test.condition->loc.reg_rank == 0);
}

TEST_CASE("X86_64 errors are positioned") {
  CHECK(error_of(one("movd %eax,(x)")) == "t.litmus:4:2: error: unsupported instruction movd");
  CHECK(error_of(one("movl $1,(x) ;\n frob (x)")).find("t.litmus:5:2: error: unsupported instruction frob") == 0);
  CHECK(error_of(one("movl %rax,(x)")) == "t.litmus:4:7: error: bad operand size: movl moves 4 bytes, %rax has 8");
  CHECK(error_of(one("mov %eax,%rbx")) == "t.litmus:4:11: error: bad operand size: mov moves 4 bytes, %rbx has 8");
  CHECK(error_of(one("lock movl $1,(x)")) == "t.litmus:4:2: error: illegal lock prefix on movl");
  // herd takes cmpxchg's memory operand first; the real AT&T order is refused.
  CHECK(error_of(one("lock cmpxchgl %ebx,(x)")) == "t.litmus:4:16: error: operand 1 of cmpxchgl cannot be a register");
  CHECK(error_of(one("movl (x),(y)")) == "t.litmus:4:11: error: movl cannot take two memory operands");
  CHECK(error_of(one("movl $1,%foo")) == "t.litmus:4:11: error: 'foo' is not an X86_64 register");
  CHECK(error_of(one("movl $1,(x)", "exists (1:eax=1)")).find("error: 'eax' is not an X86_64 register") !=
        std::string::npos);
  CHECK(error_of(one("jne L9")) == "t.litmus:4:6: error: label L9 is not defined in this thread");
  CHECK(error_of("X86_64 t\n{ }\n P0 | P1 ;\n movl $1,(x) ;\nexists (0:rax=0)\n")
            .find("t.litmus:4:2: error: mismatch in instruction lines") == 0);
}

TEST_CASE("X86_64 Hash text: herd's normal forms") {
  hw::AsmTest t = hw::parse_x86_64(
      "X86_64 t\n{ }\n P0 | P1 ;\n MOVL $1,(x) | movq 0(%RSI,%rbx,8),%rcx ;\n lock; incl (x) | nopl 0(%rax,%eax,0) ;\n"
      " Lz: xchgq %rcx,(y) | mfence ;\n jne Lz | ;\nexists (0:rax=0)\n",
      "t.litmus");
  CHECK(report::x86_64_hash_code_text(t) ==
        " movl $1,(x)    | movq (%rsi, %rbx,8),%rcx ;\n"
        " lock; incl (x) | NOP                      ;\n"
        " L00:           | mfence                   ;\n"
        " xchgq %rcx,(y) |                          ;\n"
        " jne L00        |                          ;\n");
}
