// AArch64 flags, conditions, ALU and register-only data processing (aarch64_thread.hpp).
#include "events/aarch64_thread.hpp"

namespace paddock::events::aarch64 {

RV Thread::source(const State& s, const Instr& in, size_t i) const {
  const Operand& o = arg(in, i);
  RV v;
  if (o.kind != Operand::Kind::Reg && o.kind != Operand::Kind::Imm)
    fail(o.pos, fmt::format("operand {} of {} must be a register or an immediate", i + 1, in.mnemonic));
  v = o.kind == Operand::Kind::Imm ? RV{num(o.imm), {}} : get(s, o.name);  // `#1, LSL #12` shifts too
  if (i + 1 < in.args.size() && in.args[i + 1].kind == Operand::Kind::Word) {
    const Operand& m = in.args[i + 1];
    int64_t k = m.has_imm ? m.imm : 0;
    // Shifts act at the operation's width (its destination's), extends take the low bits of the source.
    bool w = is_w(regname(in, 0));
    static const std::map<std::string, const char*> ext = {{"UXTB", "zext8"}, {"UXTH", "zext16"}, {"UXTW", "zext32"},
                                                          {"SXTB", "sext8"}, {"SXTH", "sext16"}, {"SXTW", "sext32"}};
    if (m.name == "LSL") v.v = binop("<<q", v.v, num(k));
    else if (m.name == "LSR") v.v = binop(">>q", v.v, num(k));
    else if (m.name == "ASR") v.v = binop(">>aq", w ? unop("sext32", v.v) : v.v, num(k));
    else if (m.name == "ROR") {
      SymPtr x = v.v;
      int width = w ? 32 : 64;
      k %= width;
      if (k) v.v = binop("|", binop(">>q", x, num(k)), binop("<<q", x, num(width - k)));
    } else if (ext.count(m.name)) v.v = binop("<<q", unop(ext.at(m.name), v.v), num(k));
    else if (m.name == "SXTX" || m.name == "UXTX") v.v = binop("<<q", v.v, num(k));
    else fail(m.pos, fmt::format("unsupported operand modifier {}", m.name));
    if (k < 0 || k >= (w ? 32 : 64)) fail(m.pos, fmt::format("shift amount {} out of range", k));
  }
  return v;
}

std::pair<SymPtr, Taint> Thread::condition(const State& s, const std::string& cc, Pos pos) const {
  const Flags& f = s.flags;
  if (!f.set) {
    // NZCV = 0 initially.
    static const std::set<std::string> holds = {"NE", "GE", "GT", "LO", "CC", "LS", "PL", "VC", "AL"};
    static const std::set<std::string> fails = {"EQ", "LT", "LE", "HI", "HS", "CS", "MI", "VS", "NV"};
    if (holds.count(cc)) return {num(1), {}};
    if (fails.count(cc)) return {num(0), {}};
    fail(pos, fmt::format("unknown condition {}", cc));
  }
  auto no = [](SymPtr x) { return binop("==", std::move(x), num(0)); };
  auto both = [](SymPtr x, SymPtr y) { return binop("&&", std::move(x), std::move(y)); };
  auto either = [](SymPtr x, SymPtr y) { return binop("||", std::move(x), std::move(y)); };
  SymPtr nv = binop("==", f.n, f.v);
  SymPtr c;
  if (cc == "EQ") c = f.z;
  else if (cc == "NE") c = no(f.z);
  else if (cc == "CS" || cc == "HS") c = f.c;
  else if (cc == "CC" || cc == "LO") c = no(f.c);
  else if (cc == "MI") c = f.n;
  else if (cc == "PL") c = no(f.n);
  else if (cc == "VS") c = f.v;
  else if (cc == "VC") c = no(f.v);
  else if (cc == "HI") c = both(f.c, no(f.z));
  else if (cc == "LS") c = either(no(f.c), f.z);
  else if (cc == "GE") c = nv;
  else if (cc == "LT") c = no(nv);
  else if (cc == "GT") c = both(no(f.z), nv);
  else if (cc == "LE") c = either(f.z, no(nv));
  else if (cc == "AL") c = num(1);
  else if (cc == "NV") c = num(0);
  else fail(pos, fmt::format("unknown condition {}", cc));
  return {c, f.t};
}

void Thread::set_flags(State& s, char kind, bool x, SymPtr a, SymPtr b, Taint t) {
  SymPtr sa = x ? a : unop("sext32", a), sb = x ? b : unop("sext32", b);
  SymPtr ua = x ? a : binop("&", a, num(0xffffffff)), ub = x ? b : binop("&", b, num(0xffffffff));
  SymPtr res = kind == 's' ? binop(x ? "-q" : "-", sa, sb) : kind == 'a' ? binop(x ? "+q" : "+", sa, sb) : binop("&", sa, sb);
  if (!x) res = unop("sext32", res);
  Flags f;
  f.set = true;
  f.n = binop("<", res, num(0));
  f.z = binop("==", res, num(0));
  auto neg = [](SymPtr v) { return binop("<", std::move(v), num(0)); };
  if (kind == 's') {
    f.c = binop(">=u", ua, ub);
    f.v = binop("&&", binop("!=", neg(sa), neg(sb)), binop("!=", neg(res), neg(sa)));
  } else if (kind == 'a') {
    SymPtr ures = x ? res : binop("&", res, num(0xffffffff));
    f.c = binop("<u", ures, ua);
    f.v = binop("&&", binop("==", neg(sa), neg(sb)), binop("!=", neg(res), neg(sa)));
  } else {
    f.c = f.v = num(0);
  }
  f.t = std::move(t);
  s.flags = std::move(f);
}

void Thread::alu(State& s, const Instr& in, const std::string& op) {
  bool x = !is_w(regname(in, 0));
  auto q = [&](const char* o) { return x ? std::string(o) + "q" : std::string(o); };
  std::string base = op;
  bool flags = false;
  if (op == "ADDS" || op == "SUBS" || op == "ANDS" || op == "BICS") base = op.substr(0, op.size() - 1), flags = true;
  RV a = get(s, regname(in, 1));
  RV b = source(s, in, 2);
  RV r;
  r.t = a.t;
  r.t.add(b.t);
  if (base == "ADD") r.v = x ? plus(a.v, b.v) : binop("+", a.v, b.v);
  else if (base == "SUB") r.v = x ? plus(a.v, b.v, true) : binop("-", a.v, b.v);
  else if (base == "EOR") r.v = binop("^", a.v, b.v);
  else if (base == "ORR") r.v = binop("|", a.v, b.v);
  else if (base == "AND") r.v = binop("&", a.v, b.v);
  else if (base == "BIC") r.v = binop("&", a.v, unop(x ? "~q" : "~", b.v));
  else if (base == "ORN") r.v = binop("|", a.v, unop(x ? "~q" : "~", b.v));
  else if (base == "EON") r.v = binop("^", a.v, unop(x ? "~q" : "~", b.v));
  else if (base == "MUL") r.v = binop(q("*").c_str(), a.v, b.v);
  else if (base == "LSL") r.v = binop(x ? "<<q" : "<<", a.v, b.v);
  else if (base == "LSR") r.v = binop(x ? ">>q" : ">>", a.v, b.v);
  else if (base == "ASR") r.v = x ? binop(">>aq", a.v, b.v) : binop(">>aq", unop("sext32", a.v), binop("&", b.v, num(31)));
  // BICS sets its flags from the value it computes, a & ~b.
  if (flags) set_flags(s, base == "SUB" ? 's' : base == "ADD" ? 'a' : 'l', x, a.v, base == "BIC" ? unop(x ? "~q" : "~", b.v) : b.v, r.t);
  put(s, regname(in, 0), r);
}

bool Thread::bits(State& s, const Instr& in) {
  const std::string& op = in.op;
  auto rv = [](SymPtr v, Taint t) { return RV{std::move(v), std::move(t)}; };
  auto low32 = [](SymPtr v) { return binop("&", std::move(v), num(0xffffffff)); };
  if (op == "MOVK") {
    arity(in, 2, 3);
    std::string rd = regname(in, 0);
    int64_t sh = 0;
    if (in.args.size() == 3) {
      const Operand& m = in.args[2];
      if (m.kind != Operand::Kind::Word || m.name != "LSL") fail(m.pos, "MOVK takes LSL #0, #16, #32 or #48");
      sh = m.has_imm ? m.imm : 0;
    }
    bool w = is_w(rd);
    if (sh % 16 != 0 || sh > (w ? 16 : 48)) fail(in.args.back().pos, fmt::format("MOVK: a shift of {} is not allowed", sh));
    RV old = get(s, rd);
    uint64_t keep = ~(uint64_t(0xffff) << sh) & (w ? 0xffffffffu : ~uint64_t(0));
    SymPtr v = binop("|", binop("&", old.v, num(int64_t(keep))), num(int64_t((uint64_t(imm(in, 1)) & 0xffff) << sh)));
    put(s, rd, rv(v, old.t));
    return true;
  }
  static const std::map<std::string, std::pair<bool, int>> ext = {  // alias: signed, top bit of the field
      {"UXTB", {false, 7}}, {"UXTH", {false, 15}}, {"SXTB", {true, 7}}, {"SXTH", {true, 15}}, {"SXTW", {true, 31}}};
  if (op == "UBFM" || op == "SBFM" || op == "UBFX" || op == "SBFX" || ext.count(op)) {
    std::string rd = regname(in, 0);
    RV x = get(s, regname(in, 1));
    int d = is_w(rd) ? 32 : 64;
    bool sign = op[0] == 'S';
    int64_t immr = 0, imms = 0;
    if (ext.count(op)) {
      arity(in, 2, 2);
      imms = ext.at(op).second;
    } else {
      arity(in, 4, 4);
      immr = imm(in, 2), imms = imm(in, 3);
      if (op == "UBFX" || op == "SBFX") imms = immr + imms - 1;
    }
    if (immr < 0 || imms < 0 || immr >= d || imms >= d) fail(in.pos, fmt::format("{}: bit positions out of range", in.mnemonic));
    SymPtr v = d == 32 ? low32(x.v) : x.v;
    const char* shr = sign ? ">>aq" : ">>q";
    SymPtr top = binop("<<q", v, num(63 - imms));  // the field's top bit at bit 63
    if (imms >= immr) {
      v = binop(shr, top, num(64 - (imms - immr + 1)));
    } else {
      v = binop("<<q", binop(shr, top, num(63 - imms)), num(d - immr));
    }
    put(s, rd, rv(d == 32 ? low32(v) : v, x.t));
    return true;
  }
  if (op == "REV" || op == "REV16" || op == "REV32" || op == "REV64" || op == "RBIT") {
    arity(in, 2, 2);
    std::string rd = regname(in, 0);
    bool w = is_w(rd);
    RV x = get(s, regname(in, 1));
    std::string u = op == "RBIT" ? (w ? "rbit32" : "rbit64") : op == "REV16" ? "rev16" : op == "REV32" || (op == "REV" && w) ? "rev32" : "rev64";
    if (w && (op == "REV32" || op == "REV64")) fail(in.pos, fmt::format("{} needs X registers", in.mnemonic));
    put(s, rd, rv(unop(u, w ? low32(x.v) : x.v), x.t));
    return true;
  }
  if (op == "ABS") {
    arity(in, 2, 2);
    std::string rd = regname(in, 0);
    bool w = is_w(rd);
    RV x = get(s, regname(in, 1));
    SymPtr v = w ? unop("sext32", x.v) : x.v;
    v = std::make_shared<Sym>(Sym{Sym::Kind::Cond, {}, -1, "", binop("<", v, num(0)), binop("-q", num(0), v), v});
    put(s, rd, rv(w ? low32(v) : v, x.t));
    return true;
  }
  // MADD/MSUB/MNEG (and MUL, done as an ALU op), the long forms from W sources to an X destination.
  static const std::set<std::string> mac = {"MADD", "MSUB", "MNEG", "SMADDL", "SMSUBL", "SMULL", "SMNEGL",
                                            "UMADDL", "UMSUBL", "UMULL", "UMNEGL"};
  if (mac.count(op)) {
    bool three = op == "MNEG" || op == "SMULL" || op == "SMNEGL" || op == "UMULL" || op == "UMNEGL";
    arity(in, three ? 3 : 4, three ? 3 : 4);
    std::string rd = regname(in, 0);
    bool w = is_w(rd), lng = op[0] == 'S' || op[0] == 'U';
    RV a = get(s, regname(in, 1)), b = get(s, regname(in, 2));
    Taint t = a.t;
    t.add(b.t);
    SymPtr x = a.v, y = b.v;
    if (lng) {
      if (w) fail(in.pos, fmt::format("{} writes an X register", in.mnemonic));
      x = op[0] == 'S' ? unop("sext32", x) : low32(x);
      y = op[0] == 'S' ? unop("sext32", y) : low32(y);
    }
    SymPtr prod = binop(w ? "*" : "*q", x, y);
    bool neg = op.find("NEG") != std::string::npos, sub = op.find("SUB") != std::string::npos;
    SymPtr acc = num(0);
    if (!three) {
      RV c = get(s, regname(in, 3));
      t.add(c.t);
      acc = c.v;
    }
    SymPtr v = binop(w ? (neg || sub ? "-" : "+") : (neg || sub ? "-q" : "+q"), acc, prod);
    put(s, rd, rv(w ? low32(v) : v, t));
    return true;
  }
  return false;
}

}  // namespace paddock::events::aarch64
