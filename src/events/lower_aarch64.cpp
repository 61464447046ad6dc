#include "events/lower_aarch64.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "events/aarch64_thread.hpp"
#include "events/asm_lowering.hpp"
#include "events/code_aarch64.hpp"
#include "events/mixed.hpp"
#include "events/vncr_aarch64.hpp"

namespace paddock::events::aarch64 {

std::vector<Path> Thread::run() {
  State init;
  for (const auto& [key, v] : prog_.reg_init)
    if (key.first == tid_) init.regs[key.second] = {konst(v), {}};
  return explore_paths(*this, std::move(init));
}

void Thread::finish(State& s) const {
  for (const auto& [name, v] : s.regs) {
    s.path.regs[name] = v.v;
    if (observed_.count(name) && v.v->kind == Sym::Kind::Const && v.v->value.kind == Value::Kind::Code &&
        code_value_text(v.v->value.i).find(":+") != std::string::npos)
      fail(observed_.at(name), fmt::format("{}:{} would hold a return address that no label names: unsupported", tid_, name));
  }
}

void Thread::jump(State s, const Operand& target, std::vector<State>& todo, bool counted) {
  if (target.kind != Operand::Kind::Word && target.kind != Operand::Kind::Label)
    fail(target.pos, "expected a label");
  size_t to = code_position(s, target);
  // Uncounted jumps still end: a constant loop that never exits is refused rather than run forever.
  if (to <= s.pc && !counted && ++s.const_jumps > 100000)
    fail(target.pos, fmt::format("the loop to {} does not terminate", target.name));
  jump_to(std::move(s), to, target.name, opts_.unroll, counted, todo);
}

size_t Thread::code_position(const State& s, const Operand& target) const {
  if (target.name.size() > 2 && target.name[0] == '.' && (target.name[1] == '+' || target.name[1] == '-')) {
    long bytes = 0;
    try {
      bytes = std::stol(target.name.substr(1));
    } catch (const std::exception&) {
      fail(target.pos, fmt::format("bad branch offset {}", target.name));
    }
    if (bytes % 4 != 0) fail(target.pos, fmt::format("branch offset {} is not a multiple of 4", target.name));
    auto at = map_.relative(code_thread(s), s.pc, bytes);
    if (!at) fail(target.pos, fmt::format("branch target {} is outside the thread", target.name));
    return *at;
  }
  auto at = map_.label(code_thread(s), target.name);
  if (!at) fail(target.pos, fmt::format("label {} is not defined in this thread", target.name));
  return *at;
}

void Thread::call(State s, const Instr& in, std::vector<State>& todo) {
  const std::string& op = in.op;
  if (op == "ADR") {
    arity(in, 2, 2);
    const Operand& target = arg(in, 1);
    if (target.kind != Operand::Kind::Word)
      fail(target.pos, fmt::format("Replace offset by label in instruction ADR {},{}", regname(in, 0), target.name));
    code_position(s, target);  // defined here
    put(s, regname(in, 0), {konst(Value::code(code_value(CodeMap::label_text(code_thread(s), target.name)))), {}});
    s.pc++;
    todo.push_back(std::move(s));
    return;
  }
  if (op == "BL") {
    arity(in, 1, 1);
    put(s, "X30", {return_address(s), {}});
    return jump(std::move(s), in.args[0], todo);
  }
  arity(in, op == "RET" ? 0 : 1, 1);
  std::string r = in.args.empty() ? "X30" : regname(in, 0);
  Pos rpos = in.args.empty() ? in.pos : in.args[0].pos;
  RV to = get(s, xname(r));
  if (op == "BLR") put(s, "X30", {return_address(s), {}});
  if (++s.const_jumps > 100000) fail(in.pos, fmt::format("{} does not terminate", in.mnemonic));
  auto go = [&](State st, const std::string& text) {
    auto at = map_.target(text);
    if (!at) {
      // A return address no label names: `label:"P0:+5"`.
      size_t plus = text.find(":+");
      if (plus == std::string::npos) fail(rpos, fmt::format("{} jumps to {}, which holds {}", in.mnemonic, r, text));
      at = std::make_pair(std::stoi(text.substr(8, plus - 8)), size_t(std::stoul(text.substr(plus + 2))));
    }
    st.code_thread = at->first == tid_ ? -1 : at->first;
    st.pc = at->second;
    todo.push_back(std::move(st));
  };
  if (to.v->kind == Sym::Kind::Const) {
    if (to.v->value.kind != Value::Kind::Code && telechat_) {
      // herd's telechat variant (compiled code): a return to no code address ends the thread.
      s.pc = map_.size(code_thread(s));
      todo.push_back(std::move(s));
      return;
    }
    if (to.v->value.kind != Value::Kind::Code)
      fail(rpos, fmt::format("{} jumps to {}, which holds no code address", in.mnemonic, r));
    return go(std::move(s), code_value_text(to.v->value.i));
  }
  s.ctrl.add(to.t);
  if (map_.exported().empty())
    fail(rpos, fmt::format("Could find no potential target for indirect branch {} (potential targets are statically known labels)", in.mnemonic));
  for (const auto& l : map_.exported()) {
    State st = s;
    st.path.guards.push_back({binop("==", to.v, konst(Value::code(code_value(l)))), true});
    go(std::move(st), l);
  }
}

void Thread::step(State s, const Instr& in, std::vector<State>& todo) {
  const std::string& op = in.op;
  const auto& A = in.args;
  auto next = [&](State st) {
    st.pc++;
    todo.push_back(std::move(st));
  };
  if (op == "NOP") return next(std::move(s));
  if (op == "UDF" || op == "SVC") return fault(std::move(s), in, op == "UDF" ? "UndefinedInstruction" : "SupervisorCall", todo);
  if (op == "BL" || op == "BLR" || op == "RET" || op == "BR" || op == "ADR") return call(std::move(s), in, todo);
  if (op == "DMB" || op == "DSB") {
    arity(in, 1, 1);
    static const std::set<std::string> opts = {"SY", "ST", "LD", "ISH", "ISHST", "ISHLD", "OSH", "OSHST", "OSHLD", "NSH", "NSHST", "NSHLD"};
    std::string o = A[0].kind == Operand::Kind::Word ? A[0].name : "";
    for (char& c : o) c = char(std::toupper(static_cast<unsigned char>(c)));
    if (!opts.count(o)) fail(A[0].pos, fmt::format("{} needs a barrier option (SY ST LD ISH ISHST ISHLD OSH ...)", in.mnemonic));
    event(s, Sort::F, nullptr, nullptr, {op + "." + o}, in.pos);
    return next(std::move(s));
  }
  if (op == "ISB") {
    arity(in, 0, 0);
    event(s, Sort::F, nullptr, nullptr, {"ISB"}, in.pos);
    return next(std::move(s));
  }
  if (op == "B") {
    arity(in, 1, 1);
    return jump(std::move(s), A[0], todo);
  }
  if (starts(op, "B.")) {
    arity(in, 1, 1);
    auto [c, t] = condition(s, op.substr(2), in.pos);
    return branch(std::move(s), c, t, A[0], todo);
  }
  if (op == "CBZ" || op == "CBNZ") {
    arity(in, 2, 2);
    RV v = get(s, regname(in, 0));
    return branch(std::move(s), binop(op == "CBZ" ? "==" : "!=", v.v, num(0)), v.t, A[1], todo);
  }
  if (op == "TBZ" || op == "TBNZ") {
    arity(in, 3, 3);
    RV v = get(s, regname(in, 0));
    if (A[1].kind != Operand::Kind::Imm) fail(A[1].pos, "expected a bit number");
    SymPtr bit = binop("&", binop(">>q", v.v, num(A[1].imm)), num(1));
    return branch(std::move(s), binop(op == "TBZ" ? "==" : "!=", bit, num(0)), v.t, A[2], todo);
  }
  if (op == "MOV" || op == "MOVZ") {
    arity(in, 2, 3);
    RV v = source(s, in, 1);
    put(s, regname(in, 0), v);
    return next(std::move(s));
  }
  if (op == "MOVN" || op == "MVN") {
    arity(in, 2, 3);
    RV v = source(s, in, 1);
    v.v = unop("~q", v.v);
    put(s, regname(in, 0), v);
    return next(std::move(s));
  }
  if (op == "NEG") {
    arity(in, 2, 3);
    RV v = source(s, in, 1);
    v.v = binop(is_w(regname(in, 0)) ? "-" : "-q", num(0), v.v);
    put(s, regname(in, 0), v);
    return next(std::move(s));
  }
  static const std::set<std::string> alus = {"ADD", "SUB", "EOR", "ORR", "AND", "BIC", "ORN", "EON", "MUL", "LSL",
                                             "LSR", "ASR", "ADDS", "SUBS", "ANDS", "BICS"};
  if (alus.count(op)) {
    arity(in, 3, 4);
    alu(s, in, op);
    return next(std::move(s));
  }
  if (op == "CMP" || op == "CMN" || op == "TST") {
    arity(in, 2, 3);
    RV a = get(s, regname(in, 0));
    RV b = source(s, in, 1);
    Taint t = a.t;
    t.add(b.t);
    bool x = !is_w(regname(in, 0));
    set_flags(s, op == "CMP" ? 's' : op == "CMN" ? 'a' : 'l', x, a.v, b.v, t);
    return next(std::move(s));
  }
  if (op == "CSEL" || op == "CSINC" || op == "CSINV" || op == "CSNEG" || op == "CSET" || op == "CSETM" ||
      op == "CINC" || op == "CINV" || op == "CNEG") {
    // Normalised to Rd := cond ? Rn : f(Rm).
    std::string rd = regname(in, 0), rn, rm, cc, kind;
    if (op == "CSET" || op == "CSETM") {
      arity(in, 2, 2);
      rn = rm = is_w(rd) ? "WZR" : "XZR";
      cc = invert(word(in, 1));
      kind = op == "CSET" ? "CSINC" : "CSINV";
    } else if (op == "CINC" || op == "CINV" || op == "CNEG") {
      arity(in, 3, 3);
      rn = rm = regname(in, 1);
      cc = invert(word(in, 2));
      kind = op == "CINC" ? "CSINC" : op == "CINV" ? "CSINV" : "CSNEG";
    } else {
      arity(in, 4, 4);
      rn = regname(in, 1), rm = regname(in, 2), cc = word(in, 3), kind = op;
    }
    auto [c, t] = condition(s, cc, in.pos);
    bool x = !is_w(rd);
    fork(std::move(s), c, [&, rd = rd, rn = rn, rm = rm, kind = kind, t = t](State st, bool yes) {
      RV v = get(st, yes ? rn : rm);
      if (!yes) {
        if (kind == "CSINC") v.v = binop(x ? "+q" : "+", v.v, num(1));
        else if (kind == "CSINV") v.v = unop("~", v.v);
        else if (kind == "CSNEG") v.v = binop(x ? "-q" : "-", num(0), v.v);
      }
      v.t.add_pick(t);
      put(st, rd, v);
      next(std::move(st));
    });
    return;
  }
  if (op == "MRS" || op == "MSR") {
    // The flags are a system register: NZCV holds N, Z, C, V in bits 31 to 28. Under FEAT_NV2 the registers of
    // the VNCR page are memory at VNCR_EL2 (events/vncr_aarch64.hpp).
    arity(in, 2, 2);
    const Operand& sr = A[op == "MRS" ? 1 : 0];
    std::string name = sr.name;
    for (char& c : name) c = char(std::toupper(static_cast<unsigned char>(c)));
    if (auto off = vncr_offset(name); off && sr.kind == Operand::Kind::Word && nv2_) {
      auto base = s.regs.find("VNCR_EL2");
      if (base == s.regs.end()) fail(sr.pos, fmt::format("{} {}: VNCR_EL2 is not initialised (0:VNCR_EL2=x)", in.mnemonic, sr.name));
      RV a{plus(base->second.v, num(*off)), base->second.t};
      if (op == "MRS") {
        RV v = read(s, a, {}, in.pos, 8);
        v.v = loaded(s, v.v, 8, false);
        put(s, regname(in, 0), v);
      } else {
        RV d = get(s, regname(in, 1));
        write(s, a, &d, d.v, {}, in.pos, 8);
      }
      return next(std::move(s));
    }
    if (sr.kind == Operand::Kind::Reg || name != "NZCV")
      fail(sr.pos, fmt::format("unsupported system register {} (NZCV, and the VNCR page's registers with Variant=NV2)", sr.name));
    if (op == "MRS") {
      Flags& f = s.flags;
      RV v{num(0), {}};
      if (f.set) {
        auto at = [](SymPtr b, int k) { return binop("<<q", binop("!=", std::move(b), num(0)), num(k)); };
        v = {binop("|", binop("|", at(f.n, 31), at(f.z, 30)), binop("|", at(f.c, 29), at(f.v, 28))), f.t};
      }
      put(s, regname(in, 0), v);
    } else {
      RV v = get(s, regname(in, 1));
      auto bit = [&](int k) { return binop("&", binop(">>q", v.v, num(k)), num(1)); };
      Flags f;
      f.set = true;
      f.n = bit(31), f.z = bit(30), f.c = bit(29), f.v = bit(28);
      f.t = v.t;
      s.flags = std::move(f);
    }
    return next(std::move(s));
  }
  if (bits(s, in)) return next(std::move(s));
  if (memory(s, in, todo)) return;
  fail(in.pos, fmt::format("unsupported instruction {}", in.mnemonic));
}

}  // namespace paddock::events::aarch64

namespace paddock::events {

using namespace aarch64;

namespace {

// Whether the test's values or condition involve code (labels, instructions) or faults: the Z3 encoding has
// neither, so the driver runs the explicit engine on such a program.
bool sym_has_code(const SymPtr& s) {
  if (!s) return false;
  if (s->kind == Sym::Kind::Const) return s->value.kind == Value::Kind::Code;
  return sym_has_code(s->a) || sym_has_code(s->b) || sym_has_code(s->c);
}
bool prop_has_code(const litmus::PropPtr& p) {
  if (!p) return false;
  if (p->kind == litmus::Prop::Kind::Atom && (!p->value.code.empty() || !p->loc.fault.empty())) return true;
  return prop_has_code(p->left) || prop_has_code(p->right);
}
bool uses_code(const hw::AsmTest& t, const Program& p) {
  if (prop_has_code(t.test.condition) || prop_has_code(t.test.filter)) return true;
  for (const auto& [key, v] : p.reg_init)
    if (v.kind == Value::Kind::Code) return true;
  for (const auto& paths : p.threads)
    for (const auto& path : paths) {
      if (!path.faults.empty()) return true;
      for (const auto& [name, v] : path.regs)
        if (sym_has_code(v)) return true;
      for (const auto& e : path.events)
        if (sym_has_code(e.value) || sym_has_code(e.addr)) return true;
      for (const auto& g : path.guards)
        if (sym_has_code(g.cond)) return true;
    }
  return false;
}

// A label the condition or filter names (a fault's, a label value's) must be one of the program's: herd refuses
// the test otherwise ("Post-condition introduces new symbolic location(s)").
void check_condition_labels(const hw::AsmTest& t, const CodeMap& map, const litmus::PropPtr& p) {
  if (!p) return;
  if (p->kind == litmus::Prop::Kind::Atom) {
    if (!p->loc.fault.empty() && !p->loc.name.empty() && !map.label(p->loc.thread, p->loc.name))
      throw UserError(t.test.file, p->pos, fmt::format("the condition names label {} of P{}, which the program does not "
                                                       "have", p->loc.name, p->loc.thread));
    if (p->value.code_kind == "label" && !map.target(p->value.code))
      throw UserError(t.test.file, p->pos, fmt::format("the condition names {}, a label the program does not have",
                                                       p->value.code));
  }
  check_condition_labels(t, map, p->left);
  check_condition_labels(t, map, p->right);
}

// Mixed-size mode: the declared locations laid out in bytes (events/mixed.hpp), then the threads.
Program lower_mixed(const hw::AsmTest& t, const BuildOptions& opts, const std::set<std::string>& names) {
  CodeMap map(t);
  check_condition_labels(t, map, t.test.condition);
  check_condition_labels(t, map, t.test.filter);
  for (const auto& e : t.test.init)
    if (!e.code.empty()) throw UserError(t.test.file, e.pos, "mixed-size mode: code values in the init block are unsupported");
  Program p;
  p.asm_addresses = true;
  p.default_type = "int";
  std::map<std::string, MixedBase> bases;
  auto bytes_of = [&](const litmus::InitEntry* e, const std::string& type) {
    int bits = litmus::type_bits(type.empty() ? "int" : type);
    if (bits == 0 || bits % 8 != 0)
      throw UserError(t.test.file, e ? e->pos : Pos{}, fmt::format("mixed-size mode: cannot tell the size of type '{}'", type));
    return bits / 8;
  };
  for (const auto& n : names) bases[n] = {n, "", 0, 4, {0}};
  for (const auto& e : t.test.init) {
    if (e.thread >= 0) continue;
    if (e.value_is_addr)
      throw UserError(t.test.file, e.pos, fmt::format("mixed-size mode: {} holds an address, which cannot be split in bytes", e.name));
    MixedBase b{e.name, e.type, 0, bytes_of(&e, e.type), {e.value}};
    if (e.array_size) {
      if (*e.array_size <= 0 || *e.array_size > 10)
        throw UserError(t.test.file, e.pos, fmt::format("{} cannot be an array (of 1 to 10 cells, declared once)", e.name));
      b.cells = *e.array_size;
      b.values = e.array_values;
    }
    bases[e.name] = b;
  }
  // A cell named in a condition (`t[1]`) is a view of its array, not a location.
  for (auto it = bases.begin(); it != bases.end();) {
    auto open = it->first.find('[');
    if (open != std::string::npos && bases.count(it->first.substr(0, open)) && bases.at(it->first.substr(0, open)).cells) it = bases.erase(it);
    else ++it;
  }
  std::vector<MixedBase> list;
  for (auto& [n, b] : bases) list.push_back(b);
  lay_out_bytes(p, list, t.test.file);
  auto addr_of = [&](const litmus::InitEntry& e) {
    auto it = p.mixed->views.find(e.addr);
    if (it == p.mixed->views.end()) throw UserError(t.test.file, e.pos, fmt::format("unknown location {}", e.addr));
    return Value::addr(it->second.first);
  };
  std::set<std::pair<int, std::string>> seen;
  for (const auto& e : t.test.init) {
    check_init_entry(t.test, e, t.threads.size(), seen);
    if (e.thread < 0) continue;
    p.reg_init[{e.thread, e.name}] = e.value_is_addr ? addr_of(e) : Value::num(e.value);
    if (!e.type.empty()) p.reg_types[{e.thread, e.name}] = e.type;
  }
  Arrays none;
  for (size_t k = 0; k < t.threads.size(); ++k) {
    Thread b(t, p, int(k), opts, none, map);
    p.threads.push_back(b.run());
  }
  return p;
}

}  // namespace

Program lower_aarch64(const hw::AsmTest& t, const BuildOptions& opts) {
  Program p;
  p.asm_addresses = true;
  p.default_type = "int";  // herd shows and compares an undeclared register or location as an int
  std::set<std::string> names;
  Arrays arrays;
  for (const auto& e : t.test.init) {
    if (e.array_size) {
      if (e.thread >= 0 || *e.array_size <= 0 || *e.array_size > 4096 || arrays.shape.count(e.name))
        throw UserError(t.test.file, e.pos, fmt::format("{} cannot be an array (of 1 to 4096 cells, declared once)", e.name));
      int bits = litmus::type_bits(e.type.empty() ? "int" : e.type);
      arrays.shape[e.name] = {bits ? bits / 8 : 8, *e.array_size};
      for (int k = 0; k < *e.array_size; ++k) names.insert(fmt::format("{}[{}]", e.name, k));
      continue;
    }
    if (e.thread < 0 && e.name[0] != '%') names.insert(e.name);
    if (e.value_is_addr) names.insert(e.addr);
  }
  state_location_names(t.test, names);
  if (opts.mixed) return lower_mixed(t, opts, names);
  // An array's name is its first cell (Program::location_index); cells are `t[0]` ... (at most 10: sorted by name).
  for (const auto& n : names)
    if (!arrays.shape.count(n)) p.locations.push_back({n, Value::num(0), ""});
  for (const auto& [name, shape] : arrays.shape)
    for (int k = 0; k < shape.second; ++k) {
      int loc = p.location_index(fmt::format("{}[{}]", name, k));
      arrays.cell[loc] = {p.location_index(name), k * shape.first, shape.first, shape.second};
    }

  CodeMap map(t);
  check_condition_labels(t, map, t.test.condition);
  check_condition_labels(t, map, t.test.filter);
  std::set<std::pair<int, std::string>> seen;
  for (const auto& e : t.test.init) {
    check_init_entry(t.test, e, t.threads.size(), seen);
    if (e.array_size) {
      for (int k = 0; k < *e.array_size; ++k) {
        auto& cell = p.locations[size_t(p.location_index(fmt::format("{}[{}]", e.name, k)))];
        cell.init = Value::num(size_t(k) < e.array_values.size() ? e.array_values[size_t(k)] : 0);
        cell.type = e.type;
      }
      continue;
    }
    Value v = e.value_is_addr ? Value::addr(p.location_index(e.addr)) : Value::num(e.value);
    if (e.label_thread >= 0 && !map.label(e.label_thread, e.label))
      throw UserError(t.test.file, e.pos, fmt::format("Label {} not found on P{}, yet it is used in the initialization list", e.label, e.label_thread));
    if (!e.code.empty()) v = Value::code(code_value(e.code));
    if (e.thread >= 0) {
      p.reg_init[{e.thread, e.name}] = v;
      if (!e.type.empty()) p.reg_types[{e.thread, e.name}] = e.type;
      continue;
    }
    if (e.name[0] == '%') {  // a symbolic register: every thread's register of that name
      for (size_t k = 0; k < t.threads.size(); ++k) p.reg_init[{int(k), "X" + e.name}] = v;
      continue;
    }
    auto& loc = p.locations[size_t(p.location_index(e.name))];
    loc.init = v;
    loc.type = e.type;
  }
  for (size_t k = 0; k < t.threads.size(); ++k) {
    Thread b(t, p, int(k), opts, arrays, map);
    p.threads.push_back(b.run());
  }
  p.code_or_faults = uses_code(t, p);
  return p;
}

}  // namespace paddock::events
