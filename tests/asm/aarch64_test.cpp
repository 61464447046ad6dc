// The AArch64 front end (operands, registers, positioned errors, Hash normal forms) and AArch64 tests end to
// end through the driver (lowering, models/aarch64.cat): the orderings herd-asm-semantics.md 2.4 and 3.4-3.5
// state, on small MP/LB shapes.
#include <catch2/catch.hpp>

#include "asm/parse.hpp"
#include "driver/driver.hpp"
#include "report/asm_hash.hpp"

using namespace paddock;
using hw::Operand;

namespace {

std::string parse_error(const std::string& text) {
  try {
    hw::parse_aarch64(text, "t.litmus");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TestOutcome run(const std::string& text) {
  static Session session{Config{}};
  return session.run_text(text, "t.litmus");
}

std::string observation(const std::string& text) {
  TestOutcome r = run(text);
  INFO(r.error);
  auto at = r.report.find("Observation ");
  REQUIRE(at != std::string::npos);
  return r.report.substr(at, r.report.find('\n', at) - at);
}

// Whether the Z3 encoding (-speedcheck) finds the test's condition reachable ("Ok"): it computes the same values.
bool z3_ok(const std::string& text) {
  static Session z3([] {
    Config c;
    c.speedcheck = Config::Speedcheck::True;
    return c;
  }());
  TestOutcome o = z3.run_text(text, "t.litmus");
  INFO(o.error);
  return o.report.find("\nOk\n") != std::string::npos;
}

std::string one(const std::string& row) { return "AArch64 t\n{ 0:X1=x; }\n P0 ;\n " + row + " ;\nexists (0:X0=0)\n"; }

// MP: P0 stores data then flag with `w`; P1 reads flag, then `r1`, `r2` rows, then data.
std::string mp(const std::string& w, const std::string& r1, const std::string& r2, const std::string& read = "LDR W2,[X3]") {
  return "AArch64 t\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n MOV W0,#1 | LDR W0,[X1] ;\n STR W0,[X1] | " + r1 +
         " ;\n " + w + " | " + r2 + " ;\n MOV W2,#1 | " + read + " ;\n STR W2,[X3] | ;\nexists (1:X0=1 /\\ 1:X2=0)\n";
}

}  // namespace

TEST_CASE("AArch64 operands: registers, immediates, addressing modes, labels") {
  hw::AsmTest t = hw::parse_aarch64(
      "AArch64 t\n{ 0:x1=x; }\n P0 ;\n ldr w0, [x1, #0] ;\n LDR W4,[X3,W0,SXTW] ;\n STR X0,[X1,X2,LSL #3] ;\n"
      " LDR X0,[X1,#8]! ;\n L0: B.NE L0 ;\n MOV W0,#-1 ;\nexists (0:X0=1)\n",
      "t.litmus");
  const auto& c = t.threads[0];
  REQUIRE(c.size() == 6);
  CHECK(c[0].instr.op == "LDR");
  CHECK((c[0].instr.args[0].kind == Operand::Kind::Reg && c[0].instr.args[0].name == "W0"));
  CHECK((c[0].instr.args[1].kind == Operand::Kind::Mem && c[0].instr.args[1].name == "X1" && c[0].instr.args[1].disp == 0));
  const Operand& m = c[1].instr.args[1];
  CHECK((m.index == "W0" && m.ext == "SXTW" && !m.has_imm));
  CHECK((c[2].instr.args[1].ext == "LSL" && c[2].instr.args[1].scale == 3));
  CHECK((c[3].instr.args[1].writeback && c[3].instr.args[1].disp == 8));
  CHECK(c[4].labels == std::vector<std::string>{"L0"});
  CHECK(c[5].instr.args[1].imm == -1);
  // herd digests the normal forms (`[X1,#0]` is `[X1]`) and the init's register as written.
  CHECK(report::aarch64_hash_code_text(t) ==
        " LDR W0,[X1]           ;\n LDR W4,[X3,W0,SXTW]   ;\n STR X0,[X1,X2,LSL #3] ;\n LDR X0,[X1,#8]!       ;\n"
        " L00:                  ;\n B.NE L00              ;\n MOV W0,#-1            ;\n");
  hw::canonical_aarch64_registers(t);
  CHECK(t.test.init[0].name == "X1");
  CHECK(t.test.condition->loc.reg_rank == 2);
}

TEST_CASE("AArch64 Hash: herd's worked example") {
  hw::AsmTest t = hw::parse_aarch64("AArch64 a\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\nexists (0:X0=0)\n", "t.litmus");
  CHECK(report::aarch64_hash(t) == "ec578b77d2541afa9f2b79e14f5a4701");
  hw::AsmTest u = hw::parse_aarch64("AArch64 b\n{ 0:X1=x; }\n P0 ;\n ldr w0, [x1, #0] ;\n~exists (0:X0=1)\n", "t.litmus");
  CHECK(report::aarch64_hash(u) == "ec578b77d2541afa9f2b79e14f5a4701");
}

TEST_CASE("AArch64 errors are positioned") {
  CHECK(parse_error(one("Ldr W0,[X1]")) == "t.litmus:4:2: error: unsupported instruction Ldr");
  CHECK(parse_error(one("LDR W0,[Y1]")) == "t.litmus:4:10: error: 'Y1' is not an AArch64 register");
  CHECK(parse_error(one("STR WZR,[C1]")) ==
        "t.litmus:4:11: error: unsupported: 'C1' is a Morello capability register (Variant=morello is not modelled)");
  CHECK(parse_error("AArch64 t\n{ 0:W1=x; }\n P0 ;\n NOP ;\nexists (0:X0=0)\n") == "t.litmus:2:3: error: W1 is not a register");
  CHECK(parse_error(one("LDR W0,[X1] | NOP")).find("t.litmus:4:2: error: mismatch in instruction lines") == 0);
  CHECK(parse_error(one("MOV W0,#0x10")).find("t.litmus:4:") == 0);  // herd's immediates are decimal
  CHECK(run(one("FROB W0,[X1]")).error == "t.litmus:4:2: error: unsupported instruction FROB");
  CHECK(run(one("LDR W0,#1")).error == "t.litmus:4:9: error: operand 2 of LDR must be a memory operand [Xn...]");
  CHECK(run(one("DMB FOO")).error == "t.litmus:4:6: error: DMB needs a barrier option (SY ST LD ISH ISHST ISHLD OSH ...)");
  CHECK(run(one("B L9")).error == "t.litmus:4:4: error: label L9 is not defined in this thread");
}

TEST_CASE("ARMv8: barriers, acquire/release and dependencies order MP as herd's model does") {
  CHECK(observation(mp("MOV W9,#0", "MOV W9,#0", "MOV W9,#0")) == "Observation t Sometimes 1 3");
  CHECK(observation(mp("DMB SY", "DMB SY", "MOV W9,#0")) == "Observation t Never 0 3");
  CHECK(observation(mp("DMB ST", "DMB LD", "MOV W9,#0")) == "Observation t Never 0 3");
  CHECK(observation(mp("DMB ST", "DMB ST", "MOV W9,#0")) == "Observation t Sometimes 1 3");
  CHECK(observation(mp("DMB NSH", "DMB NSH", "MOV W9,#0")) == "Observation t Sometimes 1 3");
  // An address dependency (even a constant one, EOR W4,W0,W0) orders the reads; a control one needs an ISB.
  CHECK(observation(mp("DMB SY", "EOR W4,W0,W0", "MOV W9,#0", "LDR W2,[X3,W4,SXTW]")) == "Observation t Never 0 3");
  CHECK(observation(mp("DMB SY", "CBNZ W0,L1", "L1: MOV W9,#0")) == "Observation t Sometimes 1 3");
  CHECK(observation(mp("DMB SY", "CBNZ W0,L1", "L1: ISB")) == "Observation t Never 0 3");
  std::string relacq = "AArch64 t\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n MOV W0,#1 | LDAR W0,[X1] ;\n"
                       " STR W0,[X1] | LDR W2,[X3] ;\n STLR W0,[X3] | ;\nexists (1:X0=1 /\\ 1:X2=0)\n";
  CHECK(observation(relacq) == "Observation t Never 0 3");
  std::string relapc = relacq;
  relapc.replace(relapc.find("LDAR"), 4, "LDAPR");
  CHECK(observation(relapc) == "Observation t Never 0 3");
}

TEST_CASE("ARMv8: LB through data, control and pick dependencies") {
  auto lb = [](const std::string& p1) {
    return "AArch64 t\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n LDR W0,[X1] | LDR W0,[X1] ;\n"
           " MOV W2,#1 | " + p1 + " ;\n STR W2,[X3] | STR W2,[X3] ;\nexists (0:X0=1 /\\ 1:X0=1)\n";
  };
  auto lb_dmb = [](const std::string& p1a, const std::string& p1b) {
    return "AArch64 t\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n LDR W0,[X1] | LDR W0,[X1] ;\n"
           " DMB SY | " + p1a + " ;\n MOV W2,#1 | " + p1b + " ;\n STR W2,[X3] | STR W2,[X3] ;\nexists (0:X0=1 /\\ 1:X0=1)\n";
  };
  CHECK(observation(lb("MOV W2,#1")) == "Observation t Sometimes 1 3");
  CHECK(observation(lb_dmb("EOR W2,W0,W0", "ADD W2,W2,#1")) == "Observation t Never 0 3");
  // CMP + CSEL feeding the store: a pick dependency, which orders a write.
  CHECK(observation(lb_dmb("CMP W0,#1", "CSEL W2,W0,W0,EQ")) == "Observation t Never 0 3");
  // A constant after CMP is no dependency.
  CHECK(observation(lb_dmb("CMP W0,#1", "MOV W2,#1")) == "Observation t Sometimes 1 3");
}

TEST_CASE("AArch64 exclusives and atomics") {
  // A lone STXR fails; after LDXR it may succeed (two outcomes).
  TestOutcome r = run("AArch64 t\n{ 0:X1=x; }\n P0 ;\n MOV W0,#1 ;\n STXR W2,W0,[X1] ;\nexists (0:X2=0)\n");
  CHECK(r.report.find("Observation t Never 0 1") != std::string::npos);
  r = run("AArch64 t\n{ 0:X1=x; }\n P0 ;\n LDXR W3,[X1] ;\n MOV W0,#1 ;\n STXR W2,W0,[X1] ;\nexists (0:X2=0 /\\ x=1)\n");
  CHECK(r.report.find("Observation t Sometimes 1 1") != std::string::npos);
  // Two atomic increments never lose one.
  std::string inc = "AArch64 t\n{ 0:X1=x; 1:X1=x; }\n P0 | P1 ;\n MOV W0,#1 | MOV W0,#1 ;\n"
                    " LDADD W0,W2,[X1] | STADD W0,[X1] ;\nexists (x=1)\n";
  CHECK(observation(inc) == "Observation t Never 0 2");
  // A CAS that must fail: two structures for its one outcome.
  r = run("AArch64 t\n{ x=1; 0:X1=x; }\n P0 ;\n MOV W0,#0 ;\n MOV W2,#2 ;\n CAS W0,W2,[X1] ;\nexists (0:X0=1 /\\ x=1)\n");
  CHECK(r.report.find("Positive: 2 Negative: 0") != std::string::npos);
}

TEST_CASE("AArch64 condition flags: NZCV of CMP/CMN/ADDS at the destination's width") {
  auto taken = [](const std::string& setup, const std::string& cc) {
    return observation("AArch64 t\n{ 0:X0=1; }\n P0 ;\n " + setup + " ;\n B." + cc + " L1 ;\n MOV W0,#7 ;\n L1: NOP ;\nforall (0:X0=7)\n");
  };
  // 1 - 1: Z and C set, N and V clear.
  CHECK(taken("CMP W0,#1", "CC") == "Observation t Always 1 0");
  CHECK(taken("CMP W0,#1", "HS") == "Observation t Never 0 1");
  CHECK(taken("CMP W0,#1", "HI") == "Observation t Always 1 0");
  CHECK(taken("CMP W0,#1", "LS") == "Observation t Never 0 1");
  // 1 - 2 is negative and borrows; unsigned 1 < 2.
  CHECK(taken("CMP W0,#2", "LO") == "Observation t Never 0 1");
  CHECK(taken("CMP W0,#2", "MI") == "Observation t Never 0 1");
  CHECK(taken("CMP W0,#2", "VS") == "Observation t Always 1 0");
  // 0x7fffffff + 1 overflows at 32 bits only.
  CHECK(observation("AArch64 t\n{ 0:X0=2147483647; }\n P0 ;\n ADDS W1,W0,#1 ;\n B.VS L1 ;\n MOV W2,#7 ;\n L1: NOP ;\nforall (0:X2=0)\n") ==
        "Observation t Always 1 0");
}

TEST_CASE("ARMv8: a barrier limited to a shareability domain raises herd's flag") {
  auto flagged = [](const std::string& w, const std::string& r) {
    TestOutcome o = run(mp(w, r, "MOV W9,#0"));
    INFO(o.error);
    return o.report.find("\nFlag Assuming-common-inner-shareable-domain\nCondition") != std::string::npos;
  };
  CHECK(flagged("DMB ISH", "DMB ISHLD"));
  CHECK(flagged("DMB ISHST", "MOV W9,#0"));
  CHECK(flagged("DSB OSH", "MOV W9,#0"));
  CHECK_FALSE(flagged("DMB SY", "DMB LD"));
  CHECK_FALSE(flagged("DMB NSH", "DSB ST"));
  CHECK_FALSE(flagged("MOV W9,#0", "MOV W9,#0"));
  // ISH orders as SY does.
  CHECK(observation(mp("DMB ISH", "DMB ISH", "MOV W9,#0")) == "Observation t Never 0 3");
}

// One thread computing X0 from X1 (uint64_t: compared at 64 bits) with `rows`; `expect` as herd writes it.
std::string computes(const std::string& init, const std::string& rows, const std::string& expect) {
  return "AArch64 t\n{ uint64_t 0:X0; uint64_t 0:X1=" + init + "; }\n P0 ;\n" + rows + "\nforall (0:X0=" + expect + ")\n";
}

TEST_CASE("AArch64 data processing: MOVK, bitfield moves, reversals, ABS, multiply-accumulate") {
  struct Row {
    const char *init, *rows, *expect;
  };
  const Row rows[] = {
      {"0x10000", " MOVK W1,#1 ;\n MOV X0,X1 ;", "65537"},
      {"0x1234567812345678", " MOVK X1,#43981,LSL #32 ;\n MOV X0,X1 ;", "0x1234abcd12345678"},
      {"0xffffffffffffffff", " MOVK W1,#0,LSL #16 ;\n MOV X0,X1 ;", "0xffff"},  // W: the upper half cleared
      {"0x55667788", " UBFM W0,W1,#4,#31 ;", "0x5566778"},                       // LSR #4
      {"0x55667788", " UBFM W0,W1,#24,#7 ;", "0x8800"},                          // LSL #8
      {"0xf0", " SBFM X0,X1,#4,#7 ;", "0xffffffffffffffff"},                     // SBFX #4, #4
      {"0xf0", " SBFX W0,W1,#4,#4 ;", "0xffffffff"},
      {"0xf0", " UBFX X0,X1,#4,#3 ;", "7"},
      {"0x80", " SXTB X0,W1 ;", "0xffffffffffffff80"},
      {"0x1ff", " UXTB W0,W1 ;", "0xff"},
      {"0x87654321", " RBIT W0,W1 ;", "0x84c2a6e1"},
      {"0x0123456789abcdef", " REV X0,X1 ;", "0xefcdab8967452301"},
      {"0x0123456789abcdef", " REV W0,W1 ;", "0xefcdab89"},
      {"0x0123456789abcdef", " REV16 X0,X1 ;", "0x23016745ab89efcd"},
      {"0x0123456789abcdef", " REV32 X0,X1 ;", "0x67452301efcdab89"},
      {"0xfffffffffffffffe", " ABS X0,X1 ;", "2"},
      {"0xfffffffe", " ABS W0,W1 ;", "2"},
      {"3", " MOV X2,#5 ;\n MOV X3,#7 ;\n MADD X0,X1,X2,X3 ;", "22"},
      {"3", " MOV X2,#5 ;\n MOV X3,#7 ;\n MSUB X0,X1,X2,X3 ;", "0xfffffffffffffff8"},
      {"3", " MOV X2,#5 ;\n MNEG X0,X1,X2 ;", "0xfffffffffffffff1"},
      {"0xffffffff", " MOV W2,#2 ;\n SMULL X0,W1,W2 ;", "0xfffffffffffffffe"},  // -1 * 2
      {"0xffffffff", " MOV W2,#2 ;\n UMULL X0,W1,W2 ;", "0x1fffffffe"},
  };
  for (const Row& r : rows) {
    std::string t = computes(r.init, r.rows, r.expect);
    INFO(t);
    CHECK(observation(t) == "Observation t Always 1 0");
    CHECK(z3_ok(t));  // the Z3 encoding computes the same values
  }
  CHECK(run(one("MOVK W0,#1,LSL #32")).error == "t.litmus:4:13: error: MOVK: a shift of 32 is not allowed");
  CHECK(run(one("REV32 W0,W1")).error == "t.litmus:4:2: error: REV32 needs X registers");
}

TEST_CASE("AArch64 branches relative to the instruction: .+8 skips one, .-8 goes two back") {
  CHECK(observation("AArch64 t\n{ }\n P0 ;\n B .+8 ;\n MOV W0,#1 ;\n ADD W0,W0,#1 ;\nforall (0:X0=1)\n") ==
        "Observation t Always 1 0");
  CHECK(observation("AArch64 t\n{ 0:X0=2; }\n P0 ;\n ADD W1,W1,#2 ;\n SUBS W0,W0,#1 ;\n CBNZ W0,.-8 ;\nforall (0:X1=4)\n") ==
        "Observation t Always 1 0");
  CHECK(run(one("B .+12")).error == "t.litmus:4:4: error: branch target .+12 is outside the thread");
}

TEST_CASE("AArch64 Hash: herd drops zero shifts, prints LDUR apart, REV64 as REV, MOVZ without a shift bare") {
  hw::AsmTest t = hw::parse_aarch64(
      "AArch64 t\n{ }\n P0 ;\n LDRB W0,[X1,X2,LSL #0] ;\n LDR W0,[X1,W2,SXTW #0] ;\n ADD X0,X0,X1,LSL #0 ;\n"
      " ADDS X0,X0,#0,LSL #0 ;\n SUB X0,X0,X1,ASR #0 ;\n ADD X0,X0,X1,LSL #2 ;\n ldur w0, [x1, #8] ;\n LDUR X0,[X1] ;\n"
      " REV64 X4,X3 ;\n MOVZ W0,#42 ;\n MOVZ W0,#42,LSL #0 ;\nexists (0:X0=1)\n",
      "t.litmus");
  CHECK(report::aarch64_hash_code_text(t) ==
        " LDRB W0,[X1,X2]     ;\n LDR W0,[X1,W2,SXTW] ;\n ADD X0,X0,X1        ;\n ADDS X0,X0,#0       ;\n"
        " SUB X0,X0,X1        ;\n ADD X0,X0,X1,LSL #2 ;\n LDUR X0, [X1,#8]    ;\n LDUR X0, [X1]       ;\n"
        " REV X4,X3           ;\n MOVZ W0,#42         ;\n MOVZ W0,#42,,LSL #0 ;\n");
}

TEST_CASE("AArch64 final values at their declared types: untyped is int, uint64_t unsigned, int8_t a byte") {
  std::string t =
      "AArch64 t\n{ uint64_t 0:X0; int32_t 0:X2; uint32_t 0:X3; int64_t 0:X4; int8_t x=-1; 0:X9=x; }\n P0 ;\n"
      " MOV X0,#-1 ;\n MOV X1,#-1 ;\n MOV W2,#-2 ;\n MOV W3,#-3 ;\n MOV W4,#-4 ;\n STRB W1,[X9] ;\n"
      "locations [x;]\nforall (0:X0=-1 /\\ 0:X1=0xffffffff /\\ 0:X2=0xfffffffe /\\ 0:X3=-3 /\\ 0:X4=4294967292)\n";
  TestOutcome r = run(t);
  INFO(r.error);
  CHECK(r.report.find("\n0:X0=18446744073709551615; 0:X1=-1; 0:X2=-2; 0:X3=4294967293; 0:X4=4294967292; [x]=-1;\n") !=
        std::string::npos);
  CHECK(r.report.find("Observation t Always 1 0") != std::string::npos);
}

TEST_CASE("AArch64 access widths: sub-word loads extend, stores truncate, W registers are 32 bits") {
  struct Row {
    const char *init, *rows, *expect;
  };
  // X1 holds the address of x (declared uint64_t, initially X1's value cut to nothing: 0x8081828384858687).
  const Row rows[] = {
      {"0x8081828384858687", " LDRB W0,[X2] ;", "0x87"},
      {"0x8081828384858687", " LDRSB W0,[X2] ;", "0xffffff87"},
      {"0x8081828384858687", " LDRSB X0,[X2] ;", "0xffffffffffffff87"},
      {"0x8081828384858687", " LDRH W0,[X2] ;", "0x8687"},
      {"0x8081828384858687", " LDRSH X0,[X2] ;", "0xffffffffffff8687"},
      {"0x8081828384858687", " LDR W0,[X2] ;", "0x84858687"},
      {"0x8081828384858687", " LDRSW X0,[X2] ;", "0xffffffff84858687"},
      {"0x1ff", " MOV X3,#511 ;\n STRB W3,[X2] ;\n LDR X0,[X2] ;", "0xff"},
      {"0", " MOV X3,#-1 ;\n STRH W3,[X2] ;\n LDR X0,[X2] ;", "0xffff"},
      {"0", " MOV X3,#-1 ;\n STR W3,[X2] ;\n LDR X0,[X2] ;", "0xffffffff"},
      {"0", " MOV X3,#-1 ;\n ADD W0,W3,#1 ;", "0"},
      {"0", " MOV X3,#-1 ;\n ADD X0,XZR,W3,UXTW ;", "0xffffffff"},
      {"0", " MOV X3,#128 ;\n ADD X0,XZR,W3,SXTB #1 ;", "0xffffffffffffff00"},
      {"0", " MOV W3,#-8 ;\n ASR W0,W3,#1 ;", "0xfffffffc"},
      {"0", " MOV X3,#-8 ;\n ADD X0,XZR,X3,ASR #1 ;", "0xfffffffffffffffc"},
      {"0", " MOV X3,#1 ;\n ORR X0,XZR,X3,ROR #1 ;", "0x8000000000000000"},
      {"0", " MOV X3,#0 ;\n MVN X0,X3 ;", "0xffffffffffffffff"},
      {"0", " MOVN X0,#1 ;", "0xfffffffffffffffe"},
  };
  for (const Row& r : rows) {
    std::string t = std::string("AArch64 t\n{ uint64_t 0:X0; uint64_t x=") + r.init + "; 0:X2=x; }\n P0 ;\n" + r.rows +
                    "\nforall (0:X0=" + r.expect + ")\n";
    INFO(t);
    CHECK(observation(t) == "Observation t Always 1 0");
    CHECK(z3_ok(t));  // the Z3 encoding computes the same values
  }
}

TEST_CASE("AArch64 arrays: cells are locations, constant addresses move between them by byte offsets") {
  // Post-index and immediate offsets walk an int64_t array; the register comes back to the array's name.
  CHECK(observation("AArch64 t\n{ 0:X1=0; 0:X2=x; int64_t x[2]={1,2}; }\n P0 ;\n STR X1,[X2],#8 ;\n STR X1,[X2] ;\n"
                    " ADD X2,X2,#-8 ;\nforall (x[0]=0 /\\ x[1]=0 /\\ 0:X2=x)\n") == "Observation t Always 1 0");
  // int cells are 4 bytes; `0:X0=t[1]` is the address of the second cell.
  TestOutcome r = run("AArch64 t\n{ int t[2]={1,2}; 0:X0=t[1]; 0:X1=t; }\n P0 ;\n MOV W2,#3 ;\n STR W2,[X0] ;\n"
                      " LDR W3,[X1,#4] ;\nforall (t[0]=1 /\\ t[1]=3 /\\ 0:X3=3)\n");
  INFO(r.error);
  CHECK(r.report.find("\n0:X3=3; t[0]=1; t[1]=3;\n") != std::string::npos);
  CHECK(r.report.find("Condition forall (t[0]=1 /\\ t[1]=3 /\\ 0:X3=3)") != std::string::npos);
  // A scalar's address plus an offset and back is the scalar again.
  CHECK(observation("AArch64 t\n{ 0:X0=x; int64_t 0:X1=4; }\n P0 ;\n ADD X0,X0,#4 ;\n SUB X0,X0,X1 ;\nforall 0:X0=x\n") ==
        "Observation t Always 1 0");
}

TEST_CASE("AArch64 pairs: STP/LDP/LDPSW access two consecutive cells, post-index moves the base") {
  CHECK(observation("AArch64 t\n{ uint64_t t[4]; 0:X0=t; uint64_t 0:X3; uint64_t 0:X4; }\n P0 ;\n MOV X1,#1 ;\n"
                    " MOV X2,#2 ;\n STP X1,X2,[X0],#16 ;\n STP X2,X1,[X0] ;\n LDP X3,X4,[X0,#-8] ;\n"
                    "forall (0:X3=2 /\\ 0:X4=2 /\\ t[0]=1 /\\ t[3]=1)\n") == "Observation t Always 1 0");
  CHECK(observation("AArch64 t\n{ int t[2]={-1,-2}; 0:X2=t; int64_t 0:X0; int64_t 0:X1; }\n P0 ;\n LDPSW X0,X1,[X2] ;\n"
                    "forall (0:X0=-1 /\\ 0:X1=-2)\n") == "Observation t Always 1 0");
  // The stored registers are not on the data port: LB through STP's source stays allowed (a STR forbids it).
  auto lb = [](const std::string& store) {
    return "AArch64 t\n{ int64_t y[2]; 0:X0=x; 0:X2=y; 1:X0=x; 1:X2=y; }\n P0 | P1 ;\n LDR X1,[X0] | LDR X1,[X2] ;\n " + store +
           " | DMB SY ;\n | MOV X3,#1 ;\n | STR X3,[X0] ;\nexists (0:X1=1 /\\ 1:X1=1)\n";
  };
  CHECK(observation(lb("STP X1,X1,[X2]")) == "Observation t Sometimes 1 3");
  CHECK(observation(lb("STR X1,[X2]")) == "Observation t Never 0 3");
  CHECK(run(one("LDP X0,W1,[X1]")).error == "t.litmus:4:2: error: LDP takes two registers of one size");
  hw::AsmTest t = hw::parse_aarch64("AArch64 t\n{ }\n P0 ;\n STP X1,X2,[X3],#16 ;\n LDP W0,W1,[X2,#8] ;\nexists (0:X0=1)\n",
                                    "t.litmus");
  CHECK(report::aarch64_hash_code_text(t) == " STP X1,X2, [X3]#16 ;\n LDP W0,W1,[X2,#8]  ;\n");
}

TEST_CASE("AArch64 BICS sets N and Z from a & ~b") {
  CHECK(observation("AArch64 t\n{ 0:X1=-3; 0:X2=10; }\n P0 ;\n BICS W0,W1,W2 ;\n CSET W3,MI ;\n CSET W4,EQ ;\n"
                    "forall (0:X0=-11 /\\ 0:X3=1 /\\ 0:X4=0)\n") == "Observation t Always 1 0");
}

TEST_CASE("AArch64 loops on known conditions run to completion, not to the unroll bound") {
  CHECK(observation("AArch64 t\n{ }\n P0 ;\n MOV W0,#10 ;\n MOV W1,#0 ;\n L0: ;\n ADD W1,W1,#1 ;\n SUB W0,W0,#1 ;\n"
                    " CBNZ W0,L0 ;\nforall 0:X1=10\n") == "Observation t Always 1 0");
  CHECK(run("AArch64 t\n{ }\n P0 ;\n MOV W0,#1 ;\n L0: ;\n CBNZ W0,L0 ;\nforall 0:X0=1\n").error ==
        "t.litmus:6:10: error: the loop to L0 does not terminate");
  // STXR's status is constant on each path but depends on the outcome: that retry loop is bounded.
  TestOutcome r = run("AArch64 t\n{ int x=1; 0:X0=x; }\n P0 ;\n L0: ;\n LDXR W1,[X0] ;\n MOV W3,#2 ;\n"
                      " STXR W4,W3,[X0] ;\n CBNZ W4,L0 ;\nforall (x=2)\n");
  CHECK(r.report.find("\nLoop Ok\n") != std::string::npos);
  CHECK(r.report.find("Observation t Always 3 0") != std::string::npos);
}

TEST_CASE("AArch64 a loaded pointer EOR itself is 0: the address dependency idiom on pointers") {
  std::string t = "AArch64 t\n{ int z=1; int *p=z; int x=2; 0:X0=p; 0:X1=x; }\n P0 ;\n LDR X3,[X0] ;\n EOR X4,X3,X3 ;\n"
                  " LDR W5,[X1,X4] ;\nforall (0:X3=z /\\ 0:X5=2)\n";
  CHECK(observation(t) == "Observation t Always 1 0");
  CHECK(z3_ok(t));  // the Z3 encoding computes the same values
}

TEST_CASE("AArch64 whole arrays: locations [t] and t={..} show and compare every cell") {
  // The swap of two cells: shown whole, after the registers, before single cells; compared cell by cell.
  std::string swap = "AArch64 t\n{ int t[2]={1,2}; 0:X2=t; }\n P0 ;\n LDR W0,[X2] ;\n LDR W1,[X2,#4] ;\n STR W0,[X2,#4] ;\n"
                     " STR W1,[X2] ;\nlocations [t;0:X1;]\nforall t={2,1} /\\ t[1]=1\n";
  TestOutcome r = run(swap);
  INFO(r.error);
  CHECK(r.report.find("\n0:X1=2; t={2,1}; t[1]=1;\n") != std::string::npos);
  CHECK(r.report.find("Condition forall (t={2,1} /\\ t[1]=1)\n") != std::string::npos);
  CHECK(r.report.find("Observation t Always 1 0") != std::string::npos);
  CHECK(observation("AArch64 t\n{ int t[2]={1,2}; 0:X2=t; }\n P0 ;\n STR WZR,[X2] ;\nexists t={0,1}\n") ==
        "Observation t Never 0 1");
  // Plain locations before array cells, also in the digested locations.
  hw::AsmTest h = hw::parse_aarch64("AArch64 t\n{ int u[2]; }\n P0 ;\n NOP ;\nlocations [x;u;u[0];v[1];]\n", "t.litmus");
  CHECK(report::asm_hash_locations_text(h) == "u; x; u[0]; v[1]");
}

TEST_CASE("AArch64 CASP: both cells compared, both swapped or neither, Rs pair gets the old values") {
  auto casp = [](const std::string& init, const std::string& cond) {
    return "AArch64 t\n{ int x[2]={" + init + "}; 0:X4=x; }\n P0 ;\n MOV W0,#1 ;\n MOV W1,#2 ;\n MOV W2,#7 ;\n MOV W3,#8 ;\n"
           " CASPAL W0,W1,W2,W3,[X4] ;\nforall " + cond + "\n";
  };
  // Equal pair: swapped (two structures for the success, as CAS).
  CHECK(observation(casp("1,2", "(x={7,8} /\\ 0:X0=1 /\\ 0:X1=2)")) == "Observation t Always 2 0");
  // One cell differs: nothing written, Rs pair := the cells read.
  CHECK(observation(casp("1,5", "(x={1,5} /\\ 0:X0=1 /\\ 0:X1=5)")) == "Observation t Always 2 0");
  CHECK(run("AArch64 t\n{ }\n P0 ;\n CASP W0,X1,W2,W3,[X4] ;\nforall (true)\n").error ==
        "t.litmus:4:2: error: CASP takes four registers of one size");
}

TEST_CASE("AArch64 LDXP/STXP: an exclusive pair of two cells, both written or neither") {
  // Two threads each swap the pair exclusively: both cannot succeed on the same initial values.
  std::string t = "AArch64 t\n{ uint64_t t[2]; 0:X2=t; 1:X2=t; }\n P0 | P1 ;\n MOV X0,#1 | MOV X0,#3 ;\n MOV X1,#2 | MOV X1,#4 ;\n"
                  " LDXP X3,X4,[X2] | LDXP X3,X4,[X2] ;\n STXP W9,X0,X1,[X2] | STXP W9,X0,X1,[X2] ;\n"
                  "exists (0:X9=0 /\\ 1:X9=0 /\\ 0:X3=0 /\\ 1:X3=0)\n";
  CHECK(observation(t) == "Observation t Never 0 7");
  // Alone, it succeeds and writes both cells; without LDXP it only fails.
  CHECK(observation("AArch64 t\n{ int t[2]={5,6}; 0:X2=t; }\n P0 ;\n LDXP W3,W4,[X2] ;\n MOV W0,#1 ;\n"
                    " STLXP W9,W0,W0,[X2] ;\nexists (0:X9=0 /\\ t={1,1} /\\ 0:X3=5 /\\ 0:X4=6)\n") == "Observation t Sometimes 1 1");
  CHECK(observation("AArch64 t\n{ int t[2]; 0:X2=t; }\n P0 ;\n STXP W9,W0,W0,[X2] ;\nforall (0:X9=1)\n") ==
        "Observation t Always 1 0");
}

TEST_CASE("AArch64 STILP/LDIAPP: ordered pairs, the first access before the second") {
  // STILP's second write is seen only after its first (herd's L082), unlike STP's.
  auto w = [](const std::string& store) {
    return "AArch64 t\n{ int64_t x[2]; 0:X2=x; 1:X2=x; int64_t 1:X0; int64_t 1:X1; }\n P0 | P1 ;\n MOV X0,#1 | LDR X1,[X2,#8] ;\n"
           " MOV X1,#2 | DMB LD ;\n " + store + " | LDR X0,[X2] ;\nexists (1:X1=2 /\\ 1:X0=0)\n";
  };
  CHECK(observation(w("STILP X0,X1,[X2]")) == "Observation t Never 0 3");
  CHECK(observation(w("STP X0,X1,[X2]")) == "Observation t Sometimes 1 3");
  // LDIAPP's first read is before its second (herd's L084), unlike LDP's.
  auto r = [](const std::string& load) {
    return "AArch64 t\n{ int64_t x[2]; 0:X2=x; 1:X2=x; int64_t 1:X0; int64_t 1:X1; }\n P0 | P1 ;\n MOV X0,#1 | " + load +
           " ;\n STR X0,[X2,#8] | ;\n STLR X0,[X2] | ;\nexists (1:X0=1 /\\ 1:X1=0)\n";
  };
  CHECK(observation(r("LDIAPP X0,X1,[X2]")) == "Observation t Never 0 3");
  CHECK(observation(r("LDP X0,X1,[X2]")) == "Observation t Sometimes 1 3");
}

TEST_CASE("AArch64 Hash: herd prints LDXP's first register by its W name") {
  hw::AsmTest t = hw::parse_aarch64("AArch64 t\n{ }\n P0 ;\n LDAXP X1,X2,[X6] ;\n STXP W9,X1,X2,[X6] ;\nexists (0:X1=1)\n", "t.litmus");
  CHECK(report::aarch64_hash_code_text(t) == " LDAXP W1,X2,[X6]   ;\n STXP W9,X1,X2,[X6] ;\n");
  // ... and ADR as ADDR.
  hw::AsmTest a = hw::parse_aarch64("AArch64 t\n{ }\n P0 ;\n ADR X1,Lb ;\n BLR X1 ;\n Lb: ;\n RET ;\nexists (0:X0=1)\n", "t.litmus");
  CHECK(report::aarch64_hash_code_text(a) == " ADDR X1,L00 ;\n BLR X1      ;\n L00:        ;\n RET         ;\n");
}

TEST_CASE("AArch64 MRS/MSR NZCV: the flags as bits 31 to 28 of a register") {
  // 0 - 0 sets Z and C (0b0110); 1 - 2 sets N (0b1000).
  CHECK(observation("AArch64 t\n{ uint64_t 0:X0; }\n P0 ;\n CMP W1,#0 ;\n MRS X0,NZCV ;\n LSR X0,X0,#28 ;\nforall 0:X0=6\n") ==
        "Observation t Always 1 0");
  CHECK(observation("AArch64 t\n{ 0:X1=1; uint64_t 0:X0; }\n P0 ;\n CMP W1,#2 ;\n MRS X0,NZCV ;\n LSR X0,X0,#28 ;\nforall 0:X0=8\n") ==
        "Observation t Always 1 0");
  // MSR sets the flags a branch then reads: Z from bit 30.
  CHECK(observation("AArch64 t\n{ 0:X0=0x40000000; }\n P0 ;\n MSR NZCV,X0 ;\n CSET W2,EQ ;\n MRS X3,NZCV ;\n"
                    "forall (0:X2=1 /\\ 0:X3=1073741824)\n") == "Observation t Always 1 0");
  CHECK(run("AArch64 t\n{ }\n P0 ;\n MRS X0,DAIF ;\nforall (true)\n").error ==
        "t.litmus:4:9: error: unsupported system register DAIF (NZCV, and the VNCR page's registers with Variant=NV2)");
}

TEST_CASE("AArch64 a computed offset from an array's address selects the cell it lands on") {
  // The index is loaded, so the cell is known only at run time; the base is past the end in between.
  CHECK(observation("AArch64 t\n{ int x[4]={-1,-2,-3,-2}; 0:X0=x; int64_t 0:X3; int64_t 0:X4; }\n P0 ;\n"
                    " LDRSW X3,[X0,#12] ;\n ADD X0,X0,#16 ;\n LDRSW X4,[X0,X3,LSL #2] ;\n"
                    "forall (0:X3=-2 /\\ 0:X4=-3)\n") == "Observation t Always 1 0");
}

TEST_CASE("Conditions: `<>` is herd's not-equal") {
  TestOutcome r = run("AArch64 t\n{ }\n P0 ;\n MOV W4,#1 ;\nexists 0:X4<>0\n");
  INFO(r.error);
  CHECK(r.report.find("Condition exists (not (0:X4=0))\n") != std::string::npos);
  CHECK(r.report.find("Observation t Always 1 0") != std::string::npos);
}

TEST_CASE("AArch64 subroutines: BL/BLR return to the next instruction through RET, ADR takes a label") {
  CHECK(observation("AArch64 t\n{ }\n P0 | P1 ;\n MOV W0,#4 | ADR X1,Ldec ;\n BL Linc | MOV W0,#4 ;\n BL Linc | BLR X1 ;\n"
                    " B Lz | BLR X1 ;\n Linc: | B Lone ;\n ADD W0,W0,#1 | Ldec: ;\n RET | SUB W0,W0,#1 ;\n Lz: | RET ;\n"
                    " | Lone: ;\nforall 0:X0=6 /\\ 1:X0=2\n") == "Observation t Always 1 0");
  // A return address is the label after the call; one that no label names cannot be shown.
  CHECK(run("AArch64 t\n{ }\n P0 ;\n BL L0 ;\n L0: ;\nlocations [0:X30;]\n").report.find("0:X30=label:\"P0:L0\";") !=
        std::string::npos);
  CHECK(run("AArch64 t\n{ }\n P0 ;\n BL L0 ;\n NOP ;\n L0: ;\nlocations [0:X30;]\n").error ==
        "t.litmus:7:12: error: 0:X30 would hold a return address that no label names: unsupported");
  CHECK(run("AArch64 t\n{ }\n P0 ;\n RET ;\nforall (true)\n").error == "t.litmus:4:2: error: RET jumps to X30, which holds no code address");
}

TEST_CASE("AArch64 a thin-air cycle through 64-bit loads is dropped, as herd's masked loads make it") {
  // LB through STP (its sources are not on the data port, so the model allows the cycle): herd's solver
  // cannot compute the loads' mask on an unknown value and drops those candidates; only zeros remain.
  std::string t = "AArch64 t\n{ int64_t x[2]; int64_t y[2]; 0:X0=x; 0:X2=y; 1:X0=x; 1:X2=y; int64_t 0:X1; int64_t 1:X1; }\n"
                  " P0 | P1 ;\n LDR X1,[X0] | LDR X1,[X2] ;\n STP X1,X1,[X2] | STP X1,X1,[X0] ;\nforall (0:X1=0 /\\ 1:X1=0)\n";
  TestOutcome r = run(t);
  INFO(r.report);
  CHECK(r.report.find("States 1\n") != std::string::npos);
  CHECK(r.report.find("Observation t Always") != std::string::npos);
}

TEST_CASE("AArch64 code as data: label values, calls into another thread's code, instruction values") {
  // P0 calls P1's Ldec twice through a label value from the init block, P1 calls P0's Linc.
  CHECK(observation("AArch64 t\n{ 0:X8=P1:Ldec; 1:X1=P0:Linc; }\n P0 | P1 ;\n MOV W9,#4 | MOV W9,#4 ;\n BLR X8 | BLR X1 ;\n"
                    " BLR X8 | BLR X1 ;\n MOV W0,W9 | MOV W0,W9 ;\n B Lz | B Lo ;\n Linc: | Ldec: ;\n ADD W9,W9,#1 | SUB W9,W9,#1 ;\n"
                    " RET | RET ;\n Lz: | Lo: ;\nforall 0:X0=2 /\\ 1:X0=6\n") == "Observation t Always 1 0");
  // A load from code is the instruction there, its branch target as an offset; ADR is shown as ADR.
  TestOutcome r = run("AArch64 t\n{ 0:X8=P1:L0; 0:X9=P1:L1; }\n P0 | P1 ;\n LDR W1,[X8] | B L2 ;\n LDR W2,[X9] | L0: ;\n"
                      " | ADR X0,L1 ;\n | L1: ;\n | B L2 ;\n | L2: ;\nlocations [0:X1;0:X2]\n");
  INFO(r.error);
  CHECK(r.report.find("0:X1=instr:\"ADR X0,.+4\"; 0:X2=instr:\"B .+4\";") != std::string::npos);
  // Instruction values compare by identity (CMP then CSET), against literals in the init block and condition.
  CHECK(observation("AArch64 t\n{ 0:X0=instr:\"B.EQ .+8\"; 0:X2=NOP; }\n P0 ;\n CMP W0,W2 ;\n CSET W4,NE ;\n"
                    "forall 0:X4=1 /\\ not (0:X0=instr:\"b.eq .+4\")\n") == "Observation t Always 1 0");
  CHECK(observation("AArch64 t\n{ 0:X0=instr:\"ADR X1,.+0\"; }\n P0 ;\n L0: ;\n ADR X1,L0 ;\n LDR W2,[X1] ;\n CMP W0,W2 ;\n"
                    " CSET W3,EQ ;\nforall 0:X3=1 /\\ 0:X1=label:\"0:L0\"\n") == "Observation t Always 1 0");
  // An indirect branch through a loaded value takes each exported label the value may be: here P1 reads
  // either its own ADR'd L1 (skipping the store) or P0's L0.
  TestOutcome b = run("AArch64 t\n{ ins_t *y; 0:X2=x; 0:X4=y; 0:X3=P1:L0; 1:X2=x; 1:X4=y; }\n P0 | P1 ;\n"
                      " LDR W1,[X2] | ADR X5,L1 ;\n STLR X3,[X4] | STR X5,[X4] ;\n | LDR X3,[X4] ;\n | BR X3 ;\n | L0: ;\n"
                      " | MOV W0,#1 ;\n | STR W0,[X2] ;\n | L1: ;\nexists (0:X1=1 /\\ 1:X0=1)\n");
  INFO(b.error);
  CHECK(b.report.find("States 2\n0:X1=0; 1:X0=0;\n0:X1=0; 1:X0=1;\n") != std::string::npos);
  CHECK(b.report.find("Observation t Never 0 3") != std::string::npos);
}

TEST_CASE("AArch64 code as data: what is refused, with its position") {
  CHECK(run("AArch64 t\n{ 0:X1=P0:L9; }\n P0 ;\n BR X1 ;\nforall (true)\n").error ==
        "t.litmus:2:3: error: Label L9 not found on P0, yet it is used in the initialization list");
  CHECK(run("AArch64 t\n{ }\n P0 ;\n L0: ;\n ADR X1,.+0 ;\nforall (true)\n").error ==
        "t.litmus:5:9: error: Replace offset by label in instruction ADR X1,.+0");
  CHECK(run("AArch64 t\n{ 0:X1=P0:L0; }\n P0 ;\n L0: ;\n STR W2,[X1] ;\nforall (true)\n").error.find(
            "t.litmus:5:2: error: an access to code (label:\"P0:L0\") other than a plain load") == 0);
  CHECK(run("AArch64 t\n{ 0:X1=instr:\"B L0\"; }\n P0 ;\n NOP ;\nforall (true)\n").error.find(
            "t.litmus:2:3: error: instr:\"B L0\": a value's branch target is an offset") == 0);
  CHECK(run("AArch64 t\n{ 0:X1=instr:\"FOO X1 X2\"; }\n P0 ;\n NOP ;\nforall (true)\n").error ==
        "t.litmus:2:3: error: instr:\"FOO X1 X2\" is not an AArch64 instruction");
}

TEST_CASE("AArch64 Hash: code values, ADR and symbolic registers as herd digests them") {
  // herd7's hashes for these herdtools7 tests: a label value digests as `1:Ldec`, an instruction value gets the
  // type ins_t, ADR is ADDR, a symbolic register `%r` digests without its % after the registers.
  auto hash = [](const std::string& text) { return report::aarch64_hash(hw::parse_aarch64(text, "t.litmus")); };
  CHECK(hash("AArch64 L049\n{\n0:X0=instr:\"B.EQ .+8\";\n0:X2=NOP;\n}\n  P0        ;\n CMP W0,W2  ;\n CSET W4,NE ;\n"
             "forall 0:X4=1 /\\ not (0:X0=instr:\"B.EQ .+4\")\n") == "041819817e6401b5ace371c8e0fe2e4c");
  CHECK(hash("AArch64 A258\n{\n}\n P0        ;\nL0:        ;\n ADR X0,L0 ;\nforall(0:X0=label:\"0:L0\")\n") ==
        "e0cbeef721bbbb5cb7dd570a9b680cea");
  CHECK(hash("AArch64 L023\nStable=X9\n{\n    0:X8=P1:Ldec;\n    1:X1=P0:Linc;\n}\n  P0          | P1           ;\n"
             " MOV W9,#4    | MOV W9,#4    ;\n BLR X8       | BLR X1       ;\n BLR X8       | BLR X1       ;\n"
             " MOV W0,W9    | MOV W0,W9    ;\n B Lzero      | B Lone       ;\nLinc:         |Ldec:         ;\n"
             " ADD W9,W9,#1 | SUB W9,W9,#1 ;\n RET          | RET          ;\nLzero:        |Lone:         ;\n"
             "forall 0:X0=2 /\\ 1:X0=6\n") == "5c9551e3d56a302e74c189efe470b56c");
  CHECK(hash("AArch64 A127\n{ uint64_t X0; uint64_t %symbolic_reg = x; uint64_t x }\n\nP0;\nMOV X0, %symbolic_reg;\n\n"
             "exists (0:X0 = x)\n") == "2b1331e0638ebbd02667eb17dc2b0e99");
  // `.+4` is an offset, not a label: it does not shift the renaming of L0.
  CHECK(hash("AArch64 L050\n{\n0:X0=instr:\"B.EQ .+8\";\nins_t 0:X2;\n}\n  P0         ;\nL0:          ;\n B .+4       ;\n"
             " ADR X1,L0   ;\n LDR W2,[X1] ;\n CMP W0,W2   ;\n CSET W4,NE  ;\nlocations [0:X2;]\n"
             "forall 0:X4=1 /\\ 0:X0=instr:\"B.EQ .+8\"\n") == "52b3f65c042163d21640e8f0faff1d38");
}

TEST_CASE("AArch64 symbolic registers, telechat returns, post-index operands") {
  // `%r` is a register of every thread, initialised once; `W%r`/`X%r` are its views.
  CHECK(observation("AArch64 t\n{ uint64_t %p = x; }\n P0 | P1 ;\n MOV W1,#1 | LDR W0,[X%p] ;\n STR W1,[%p] | ;\n"
                    "exists (1:X0=1)\n") == "Observation t Sometimes 1 1");
  // Variant=telechat: a RET with no return address ends the thread (compiled code's final ret).
  CHECK(observation("AArch64 t\nVariant=telechat\n{ }\n P0 ;\n MOV W0,#1 ;\n RET ;\n MOV W0,#2 ;\nforall (0:X0=1)\n") ==
        "Observation t Always 1 0");
  CHECK(run("AArch64 t\n{ }\n P0 ;\n MOV W0,#1 ;\n RET ;\nforall (0:X0=1)\n").error ==
        "t.litmus:5:2: error: RET jumps to X30, which holds no code address");
  CHECK(run("AArch64 t\n{ 0:X2=x; }\n P0 ;\n STR X1,[X2],X3 ;\nforall (true)\n").error ==
        "t.litmus:4:14: error: unexpected 'X3' after the address: a post-index offset is an immediate (#k)");
}

TEST_CASE("AArch64 what herd refuses at run time is refused, not answered with no states") {
  // A constant address past an array, or past a plain location (outside mixed-size mode).
  CHECK(run("AArch64 t\n{ int64_t 0:X0=42; 0:X2=v; int64_t v[2]={1,2}; }\n P0 ;\n STR X0,[X2,#16] ;\nexists (v[1]=42)\n").error ==
        "t.litmus:4:2: error: Out of bounds access on array v");
  CHECK(run("AArch64 t\n{ 0:X2=x; }\n P0 ;\n LDR W0,[X2,#4] ;\nexists (0:X0=0)\n").error ==
        "t.litmus:4:2: error: an access to x+4, outside location x: only herd's mixed-size mode (-variant mixed) lays "
        "locations out in bytes");
  // A 32-bit load of a pointer, even one nothing uses (P1's W0).
  CHECK(run("AArch64 t\n{ int *p=&x; int x=1; 0:X2=p; 1:X2=p; }\n P0 | P1 ;\n LDR X0,[X2] | LDR W0,[X2] ;\n"
            "locations [0:X0;]\n").error == "t.litmus: error: Illegal operation mask32 on x");
  // The 64-bit load of the same pointer is fine.
  CHECK(run("AArch64 t\n{ int *p=&x; int x=1; 0:X2=p; }\n P0 ;\n LDR X0,[X2] ;\nlocations [0:X0;]\n").report.find("0:X0=x;") !=
        std::string::npos);
}

TEST_CASE("AArch64 faults under Variant=fatal: UDF and SVC end the thread, the state records the fault") {
  TestOutcome r = run("AArch64 t\nVariant=fatal\n{ }\n P0 | P1 ;\n MOV W0,#1 | L1: ;\n L0: | SVC #0 ;\n UDF #0 | ;\n"
                      " MOV W0,#2 | ;\nforall (0:X0=1 /\\ Fault(P0:L0,UndefinedInstruction) /\\ ~Fault(P1:L1,UndefinedInstruction))\n");
  INFO(r.error);
  CHECK(r.report.find("States 1\n0:X0=1; Fault(P0:L0,UndefinedInstruction); ~Fault(P1:L1,UndefinedInstruction);\n") !=
        std::string::npos);
  CHECK(r.report.find("Condition forall (0:X0=1 /\\ fault(P0:L0,UndefinedInstruction) /\\ not (fault(P1:L1,UndefinedInstruction)))") !=
        std::string::npos);
  CHECK(r.report.find("Observation t Always 1 0") != std::string::npos);
  // Without the kind, any fault at the label.
  CHECK(observation("AArch64 t\nVariant=fatal\n{ }\n P0 ;\n L1: ;\n SVC #0 ;\nforall (Fault(P0:L1))\n") == "Observation t Always 1 0");
  // herd's fault handlers are not modelled: without Variant=fatal the test is refused.
  CHECK(run("AArch64 t\n{ }\n P0 ;\n UDF #0 ;\nforall (true)\n").error ==
        "t.litmus:4:2: error: UDF raises a fault: supported with Variant=fatal only (herd's fault handlers are not modelled)");
}

TEST_CASE("AArch64 FEAT_NV2 (Variant=NV2): the VNCR page's system registers are memory at VNCR_EL2") {
  // MSR ELR_EL1 is a store at VNCR_EL2+0x230 (cell 70 of a uint64_t array), seen by another thread's load.
  CHECK(observation("AArch64 t\nVariant=NV2\n{ uint64_t nvmem[100]; 0:VNCR_EL2=nvmem; 1:X1=nvmem; }\n P0 | P1 ;\n"
                    " MOV X0,#1 | LDR X0,[X1,#560] ;\n MSR ELR_EL1,X0 | ;\nexists (1:X0=1)\n") == "Observation t Sometimes 1 1");
  // MRS SPSR_EL1 reads VNCR_EL2+0x160; writing VNCR_EL2 itself goes to memory too (0xB0), not to the base.
  CHECK(observation("AArch64 t\nVariant=NV2\n{ uint64_t nv[46]={0}; 0:VNCR_EL2=nv; 0:X1=nv; }\n P0 ;\n MOV X0,#7 ;\n"
                    " STR X0,[X1,#352] ;\n MRS X2,SPSR_EL1 ;\n MSR VNCR_EL2,X0 ;\n LDR X3,[X1,#176] ;\n"
                    "forall (0:X2=7 /\\ 0:X3=7)\n") == "Observation t Always 1 0");
  // Without NV2 they stay unsupported system registers; with it, an uninitialised VNCR_EL2 is refused.
  CHECK(run("AArch64 t\n{ }\n P0 ;\n MSR ELR_EL1,X0 ;\nforall (true)\n").error ==
        "t.litmus:4:6: error: unsupported system register ELR_EL1 (NZCV, and the VNCR page's registers with Variant=NV2)");
  CHECK(run("AArch64 t\nVariant=NV2\n{ }\n P0 ;\n MSR ELR_EL1,X0 ;\nforall (true)\n").error ==
        "t.litmus:5:6: error: MSR ELR_EL1: VNCR_EL2 is not initialised (0:VNCR_EL2=x)");
}

TEST_CASE("AArch64 -speedcheck: code values and faults go to the explicit engine (no Z3 encoding)") {
  Config c;
  c.speedcheck = Config::Speedcheck::True;
  Session z3{c};
  // P1's indirect branch through a loaded label: the explicit engine's answer, Never with 3 executions.
  TestOutcome r = z3.run_text("AArch64 t\n{ ins_t *y; 0:X2=x; 0:X4=y; 0:X3=P1:L0; 1:X2=x; 1:X4=y; }\n P0 | P1 ;\n"
                              " LDR W1,[X2] | ADR X5,L1 ;\n STLR X3,[X4] | STR X5,[X4] ;\n | LDR X3,[X4] ;\n | BR X3 ;\n"
                              " | L0: ;\n | MOV W0,#1 ;\n | STR W0,[X2] ;\n | L1: ;\nexists (0:X1=1 /\\ 1:X0=1)\n",
                              "t.litmus");
  INFO(r.error);
  CHECK(r.report.find("Observation t Never 0 3") != std::string::npos);
  TestOutcome f = z3.run_text("AArch64 t\nVariant=fatal\n{ }\n P0 ;\n L0: ;\n UDF #0 ;\nforall (Fault(P0:L0))\n", "t.litmus");
  INFO(f.error);
  CHECK(f.report.find("Observation t Always 1 0") != std::string::npos);
}

TEST_CASE("AArch64 non-symbolic addresses: refused in an execution the model allows, by both engines") {
  Config z3cfg;
  z3cfg.speedcheck = Config::Speedcheck::True;
  Session z3(z3cfg);
  // Through an uninitialised register (0), loading or storing.
  std::string ld = "AArch64 t\n{ }\n P0 ;\n LDR W0,[X9] ;\nexists (0:X0=0)\n";
  std::string st = "AArch64 t\n{ }\n P0 ;\n MOV W0,#1 ;\n STR W0,[X9] ;\nexists (0:X0=0)\n";
  CHECK(run(ld).error == "t.litmus:4:2: error: non-symbolic memory access [0]");
  CHECK(run(st).error == "t.litmus:5:2: error: non-symbolic memory access [0]");
  CHECK(z3.run_text(ld, "t.litmus").error == "t.litmus:4:2: error: non-symbolic memory access [0]");
  // An integer loaded from memory, then dereferenced on a path some allowed execution takes.
  std::string mem = "AArch64 t\n{ int64_t y=16; 0:X3=y; }\n P0 ;\n LDR X5,[X3] ;\n LDR W6,[X5] ;\nexists (0:X6=0)\n";
  CHECK(run(mem).error == "t.litmus:5:2: error: non-symbolic memory access [16]");
  // Only in a candidate the model rejects (reading the NULL initial pointer after storing &x: coherence): answered.
  std::string rejected = "AArch64 t\n{ int *p; 0:X1=p; 0:X6=x; }\n P0 ;\n STR X6,[X1] ;\n LDR X3,[X1] ;\n LDR W2,[X3] ;\n"
                         "exists (0:X2=0)\n";
  TestOutcome r = run(rejected);
  INFO(r.error);
  CHECK(r.error.empty());
  CHECK(observation(rejected) == "Observation t Always 1 0");
  // Not on a path no execution takes.
  std::string dead = "AArch64 t\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n CBZ W0,L0 ;\n LDR W2,[X9] ;\n L0: ;\nexists (0:X0=0)\n";
  CHECK(observation(dead) == "Observation t Always 1 0");
}

TEST_CASE("AArch64 a condition naming a label the program does not have is refused") {
  CHECK(run("AArch64 t\nVariant=fatal\n{ }\n P0 ;\nL0: ;\n UDF #0 ;\nforall (Fault(P0:L1,UndefinedInstruction))\n").error ==
        "t.litmus:7:9: error: the condition names label L1 of P0, which the program does not have");
  CHECK(run("AArch64 t\n{ }\n P0 ;\nL0: ;\n ADR X0,L0 ;\nforall (0:X0=label:\"P0:L1\")\n").error ==
        "t.litmus:6:9: error: the condition names label:\"P0:L1\", a label the program does not have");
  CHECK(observation("AArch64 t\n{ }\n P0 ;\nL0: ;\n ADR X0,L0 ;\nforall (0:X0=label:\"P0:L0\")\n") == "Observation t Always 1 0");
}
