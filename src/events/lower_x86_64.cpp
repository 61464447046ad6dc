#include "events/lower_x86_64.hpp"
#include "events/asm_lowering.hpp"
#include "events/sym_make.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "asm/x86_64_regs.hpp"

namespace paddock::events {

using hw::Instr;
using hw::Operand;

namespace {

SymPtr num(int64_t v) { return konst(Value::num(v)); }

bool is_const(const SymPtr& s) { return s->kind == Sym::Kind::Const; }

SymPtr fold(std::shared_ptr<Sym> s) {
  bool consts = is_const(s->a) && (!s->b || is_const(s->b));
  if (consts) {
    Value v = eval(*s, {});
    if (v.kind != Value::Kind::Unknown) return konst(v);
  }
  return s;
}

// Folds whenever the value is known, whatever the operands (the shared binop folds constants only).
SymPtr fold_binop(const std::string& op, SymPtr a, SymPtr b) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Binary;
  s->op = op;
  s->a = std::move(a);
  s->b = std::move(b);
  return fold(s);
}

bool is_num(const SymPtr& s, int64_t v) {
  return s->kind == Sym::Kind::Const && s->value.kind == Value::Kind::Int && s->value.i == v;
}

SymPtr unop(const std::string& op, SymPtr a) {
  // sext32 looks at the low 32 bits only: drop an inner sext32 or mask to 32 bits, and keep comparisons (0/1).
  if (op == "sext32") {
    if (a->kind == Sym::Kind::Unary && a->op == "sext32") return a;
    if (a->kind == Sym::Kind::Binary && a->op == "&" && is_num(a->b, 0xffffffff)) a = a->a;
    if (a->kind == Sym::Kind::Binary && (a->op == "==" || a->op == ">")) return a;
  }
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Unary;
  s->op = op;
  s->a = std::move(a);
  return fold(s);
}

// A value as an operation of `size` bytes sees it: 32-bit values sign-extended (herd's int), 8- and
// 16-bit ones masked, 64-bit ones whole. Memory holds values in this form.
SymPtr sized(int size, SymPtr v) {
  if (size == 8) return v;
  if (size == 4) return unop("sext32", std::move(v));
  return fold_binop("&", std::move(v), num(size == 2 ? 0xffff : 0xff));
}

// An array of the init block (`int64_t t[2]={1,-1}`): its cells are the locations `t[0]`, `t[1]` ...
struct ArrayShape {
  int64_t elem = 4;  // bytes per cell, from the element type
  int64_t cells = 0;
};

int64_t type_bytes(const std::string& type) {
  if (type.find("8") != std::string::npos || type == "char") return 1;
  if (type.find("16") != std::string::npos || type == "short") return 2;
  if (type.find("64") != std::string::npos || type.find("long") != std::string::npos) return 8;
  return 4;
}

// A name's location; an array's name stands for its first cell.
int loc_of(const Program& p, const std::map<std::string, ArrayShape>& arrays, const std::string& name) {
  return arrays.count(name) ? p.location_index(name + "[0]") : p.location_index(name);
}

struct State {
  Path path;
  size_t pc = 0;
  int stmt = 0;
  std::map<std::string, SymPtr> regs;  // canonical 64-bit names, flags `zf` `sf`
  std::map<size_t, int> back_jumps;
};

class X86_64Thread {
 public:
  X86_64Thread(const hw::AsmTest& t, Program& prog, int tid, const BuildOptions& opts,
               const std::map<std::string, ArrayShape>& arrays)
      : test_(t), prog_(prog), tid_(tid), opts_(opts), code_(t.threads[size_t(tid)]), arrays_(arrays) {
    for (size_t i = 0; i < code_.size(); ++i)
      for (const auto& l : code_[i].labels) labels_[l] = i;
    for (const auto& e : t.test.init)
      if (e.thread == tid && (e.stars > 0 || e.type.find("64") != std::string::npos || e.type.find("long") != std::string::npos))
        wide_.insert(e.name);
    for (const auto& [k, v] : t.test.meta)
      if (k == "Variant" && v.find("telechat") != std::string::npos) telechat_ = true;
  }

  std::vector<Path> run() {
    State init;
    for (const auto& [key, v] : prog_.reg_init)
      if (key.first == tid_) init.regs[key.second] = konst(v);
    return explore_paths(*this, std::move(init));
  }

  // For explore_paths.
  bool at_end(const State& s) const { return s.pc >= code_.size(); }
  void finish(State& s) const {
    // herd shows an untyped register as an int.
    for (const auto& [name, v] : s.regs) s.path.regs[name] = wide_.count(name) ? v : unop("sext32", v);
  }
  const hw::Cell& cell(const State& s) const { return code_[s.pc]; }

 private:
  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(test_.test.file, pos, msg); }

  SymPtr reg64(const State& s, const std::string& canon) const {
    auto it = s.regs.find(canon);
    return it == s.regs.end() ? num(0) : it->second;  // uninitialised registers hold 0
  }

  // A register as its spelling reads it (%eax: the low 32 bits, %ah: bits 8..15).
  SymPtr read_reg(const State& s, const std::string& spelled) const {
    hw::X86_64Reg r = hw::x86_64_register(spelled);
    SymPtr v = reg64(s, hw::x86_64_reg_name(r.rank));
    if (r.high8) return fold_binop("&", fold_binop(">>q", v, num(8)), num(0xff));
    return sized(r.size, v);
  }

  // A register write through a spelling: 32-bit writes zero-extend, 8/16-bit ones keep the other bits.
  void write_reg(State& s, const std::string& spelled, SymPtr v) {
    hw::X86_64Reg r = hw::x86_64_register(spelled);
    std::string canon = hw::x86_64_reg_name(r.rank);
    if (r.size == 8) {
      s.regs[canon] = std::move(v);
    } else if (r.size == 4) {
      s.regs[canon] = fold_binop("&", std::move(v), num(0xffffffff));
    } else {
      int64_t mask = r.size == 2 ? 0xffff : 0xff;
      SymPtr part = fold_binop("&", std::move(v), num(mask));
      if (r.high8) part = fold_binop("<<q", part, num(8)), mask <<= 8;
      s.regs[canon] = fold_binop("|", fold_binop("&", reg64(s, canon), num(~mask)), part);
    }
  }

  SymPtr address(const State& s, const Operand& o) const {
    SymPtr base;
    if (o.mem_reg) base = reg64(s, hw::x86_64_reg_name(hw::x86_64_register(o.name).rank));
    else if (!o.name.empty()) base = konst(Value::addr(loc_of(prog_, arrays_, o.name)));
    else base = num(0);
    SymPtr off = num(o.disp);
    if (!o.index.empty()) off = fold_binop("+q", off, fold_binop("*q", read_reg(s, o.index), num(o.scale)));
    if (is_const(base) && base->value.kind == Value::Kind::Addr && is_const(off) && off->value.i != 0)
      return konst(Value::addr(cell_at(o, int(base->value.i), off->value.i)));
    SymPtr a = fold_binop("+q", base, off);
    if (is_const(a) && a->value.kind == Value::Kind::Int)
      fail(o.pos, fmt::format("non-symbolic memory access [{}]", a->value.i));
    return a;
  }

  // The location `offset` bytes from location `loc`: another cell of the same array, whole cells only
  // (anything else is a location's inner bytes, which need mixed-size mode).
  int cell_at(const Operand& o, int loc, int64_t offset) const {
    const std::string& name = prog_.locations[size_t(loc)].name;
    auto open = name.find('[');
    if (open != std::string::npos) {
      const ArrayShape& a = arrays_.at(name.substr(0, open));
      int64_t index = std::stoll(name.substr(open + 1));
      if (offset % a.elem == 0 && index + offset / a.elem >= 0 && index + offset / a.elem < a.cells)
        return prog_.location_index(fmt::format("{}[{}]", name.substr(0, open), index + offset / a.elem));
    }
    fail(o.pos, fmt::format("access to {}+{}: not a whole location (mixed-size accesses are not supported)", name,
                            offset));
  }

  int add_event(State& s, Sort sort, SymPtr addr, SymPtr value, bool atomic, Pos pos) {
    int k = append_event(prog_, s.path, s.stmt, sort, std::move(addr), std::move(value), pos);
    if (atomic) s.path.events[size_t(k)].tags.push_back("X"), s.path.events[size_t(k)].rmw = true;
    return k;
  }

  int fence(State& s, const char* tag, Pos pos) {
    int f = add_event(s, Sort::F, nullptr, nullptr, false, pos);
    s.path.events[size_t(f)].tags.push_back(tag);
    return f;
  }

  // The value of a source operand at `size` bytes; a memory operand is read.
  SymPtr load(State& s, const Operand& o, int size, bool atomic, int* read_event) {
    switch (o.kind) {
      case Operand::Kind::Imm: return sized(size, num(o.imm));
      case Operand::Kind::Reg: return read_reg(s, o.name);
      case Operand::Kind::Mem: {
        int r = add_event(s, Sort::R, address(s, o), nullptr, atomic, o.pos);
        if (read_event) *read_event = r;
        auto v = std::make_shared<Sym>();
        v->kind = Sym::Kind::Read;
        v->read = s.path.events[size_t(r)].read_id;
        return v;
      }
      case Operand::Kind::Label:
      case Operand::Kind::Word: break;
    }
    fail(o.pos, "a label is not a value");
  }

  // Writes a destination operand; returns the write event (-1 for a register).
  int store(State& s, const Operand& o, int size, SymPtr v, bool atomic) {
    if (o.kind == Operand::Kind::Reg) {
      write_reg(s, o.name, std::move(v));
      return -1;
    }
    return add_event(s, Sort::W, address(s, o), sized(size, std::move(v)), atomic, o.pos);
  }

  void link(State& s, int r, int w, bool data, bool rmw) {
    if (r < 0 || w < 0) return;
    s.path.iico.push_back({r, w});
    (data ? s.path.iico_data : s.path.iico_ctrl).push_back({r, w});
    if (rmw) s.path.rmw.push_back({r, w});
  }

  // herd's flags: ZF = (result == 0), SF = (result > 0) ("greater than", as its compare sets it).
  void set_flags(State& s, const SymPtr& a, const SymPtr& b) {
    s.regs["zf"] = fold_binop("==", a, b);
    s.regs["sf"] = fold_binop(">", a, b);
  }

  void jump(State s, const Instr& in, std::vector<State>& todo, bool counted) {
    jump_to(std::move(s), labels_.at(in.args[0].name), in.args[0].name, opts_.unroll, counted, todo);
  }

  // The condition a conditional jump tests, from the flags.
  SymPtr jump_condition(const State& s, const std::string& op) const {
    SymPtr zf = reg64(s, "zf"), sf = reg64(s, "sf");
    auto no = [](SymPtr v) { return fold_binop("==", std::move(v), num(0)); };
    if (op == "je") return zf;
    if (op == "jne") return no(zf);
    if (op == "jgt" || op == "js") return sf;
    if (op == "jge") return fold_binop("|", sf, zf);
    return no(sf);  // jle, jlt (herd computes jlt as ZF | !SF), jns
  }

 public:  // for explore_paths
  void step(State s, const Instr& in, std::vector<State>& todo) {
    const std::string& op = in.op;
    const auto& a = in.args;
    const int sz = in.size;
    if (op == "mfence" || op == "lfence" || op == "sfence") {
      fence(s, op == "mfence" ? "MFENCE" : op == "lfence" ? "LFENCE" : "SFENCE", in.pos);
    } else if (op == "clflush" || op == "clflushopt") {
      fence(s, op == "clflush" ? "CLFLUSH" : "CLFLUSHOPT", in.pos);
    } else if (op == "nop" || op == "nopl" || op == "nopw" || op == "endbr64") {
      // no event
    } else if (op == "ret") {
      // herd runs `ret` (the end of a compiled function) only in telechat's tests; elsewhere it refuses it.
      if (!telechat_) fail(in.pos, "ret is not implemented (only with Variant=telechat)");
      s.pc = code_.size();  // the thread ends here
      todo.push_back(std::move(s));
      return;
    } else if (op == "mov") {
      store(s, a[1], sz, load(s, a[0], sz, false, nullptr), false);
    } else if (op == "movnti" || op == "movntil" || op == "movntiq") {
      int w = store(s, a[1], sz, load(s, a[0], sz, false, nullptr), false);
      s.path.events[size_t(w)].tags.push_back("NT");
    } else if (op == "add" || op == "xor" || op == "or" || op == "and" || op == "shl") {
      int r = -1;
      SymPtr y = load(s, a[0], sz, false, nullptr);
      SymPtr x = load(s, a[1], sz, in.lock, &r);
      const char* o = op == "add" ? "+q" : op == "xor" ? "^" : op == "or" ? "|" : op == "and" ? "&" : "<<q";
      SymPtr res = sized(sz, fold_binop(o, x, y));
      link(s, r, store(s, a[1], sz, res, in.lock), true, in.lock);
      set_flags(s, res, num(0));
    } else if (op == "inc" || op == "dec") {
      int r = -1;
      SymPtr x = load(s, a[0], sz, in.lock, &r);
      SymPtr res = sized(sz, fold_binop(op == "inc" ? "+q" : "-q", x, num(1)));
      link(s, r, store(s, a[0], sz, res, in.lock), true, in.lock);
      set_flags(s, res, num(0));
    } else if (op == "cmp") {
      SymPtr src = load(s, a[0], sz, false, nullptr);
      SymPtr dst = load(s, a[1], sz, false, nullptr);
      set_flags(s, dst, src);
    } else if (op == "xchg" || op == "uxch") {
      bool mem = a[0].kind == Operand::Kind::Mem || a[1].kind == Operand::Kind::Mem;
      const Operand& m = a[0].kind == Operand::Kind::Mem ? a[0] : a[1];
      const Operand& r = a[0].kind == Operand::Kind::Mem ? a[1] : a[0];
      int rd = -1;
      SymPtr old_m = load(s, m, sz, mem, &rd);  // with memory, always atomic
      SymPtr old_r = load(s, r, sz, false, nullptr);
      int w = store(s, m, sz, old_r, mem);
      link(s, rd, w, false, mem);
      store(s, r, sz, old_m, false);
    } else if (op == "cmpxchg") {
      // cmpxchg (x),%reg: compares %rax (at the size) with [x]; equal: [x] := reg, else rax := [x].
      int rd = -1;
      SymPtr old = load(s, a[0], sz, in.lock, &rd);
      std::string acc = sz == 8 ? "rax" : sz == 4 ? "eax" : sz == 2 ? "ax" : "al";
      SymPtr expect = read_reg(s, acc);
      SymPtr eq = fold_binop("==", old, expect);
      SymPtr src = read_reg(s, a[1].name);
      State fail_s = s;
      fail_s.path.guards.push_back({eq, false});
      write_reg(fail_s, acc, old);
      fail_s.regs["zf"] = num(0);
      fail_s.regs["sf"] = fold_binop(">", expect, old);
      fail_s.pc++;
      todo.push_back(std::move(fail_s));
      s.path.guards.push_back({eq, true});
      link(s, rd, store(s, a[0], sz, src, in.lock), false, in.lock);
      s.regs["zf"] = num(1);
      s.regs["sf"] = num(0);
    } else if (op == "setnb") {
      store(s, a[0], 1, num(1), false);  // CF is always 0: "not below" holds
    } else if (op == "cmovc") {
      // CF is always 0: the move never happens.
    } else if (op == "jmp") {
      return jump(std::move(s), in, todo, true);
    } else if (op[0] == 'j') {
      SymPtr c = jump_condition(s, op);
      if (is_const(c)) {
        bool t = c->value.kind == Value::Kind::Addr || c->value.i != 0;
        if (t) return jump(std::move(s), in, todo, false);
      } else {
        State taken = s;
        taken.path.guards.push_back({c, true});
        jump(std::move(taken), in, todo, true);
        s.path.guards.push_back({c, false});
      }
    } else {
      fail(in.pos, fmt::format("unsupported instruction {}", in.mnemonic));
    }
    s.pc++;
    todo.push_back(std::move(s));
  }

 private:
  const hw::AsmTest& test_;
  Program& prog_;
  int tid_;
  const BuildOptions& opts_;
  const std::vector<hw::Cell>& code_;
  std::map<std::string, size_t> labels_;
  std::set<std::string> wide_;  // registers declared with a 64-bit type: shown whole
  const std::map<std::string, ArrayShape>& arrays_;
  bool telechat_ = false;  // Variant=telechat
};

}  // namespace

Program lower_x86_64(const hw::AsmTest& t, const BuildOptions& opts) {
  Program p;
  p.asm_addresses = true;
  std::map<std::string, ArrayShape> arrays;
  for (const auto& e : t.test.init)
    if (e.array_size) {
      // As for AArch64: each cell is a location, so a huge array would take minutes (found by fuzz_asm).
      if (e.thread >= 0 || *e.array_size <= 0 || *e.array_size > 4096)
        throw UserError(t.test.file, e.pos, fmt::format("{} cannot be an array (of 1 to 4096 cells)", e.name));
      // A second declaration would shrink the array under the first one's cells (found by fuzz_asm).
      if (arrays.count(e.name))
        throw UserError(t.test.file, e.pos, fmt::format("location {} is initialized more than once", e.name));
      arrays[e.name] = {type_bytes(e.type), *e.array_size};
    }
  std::set<std::string> names;
  for (const auto& [name, a] : arrays)
    for (int64_t k = 0; k < a.cells; ++k) names.insert(fmt::format("{}[{}]", name, k));
  for (const auto& e : t.test.init) {
    if (e.thread < 0 && !e.array_size) names.insert(e.name);
    if (e.value_is_addr && !arrays.count(e.addr)) names.insert(e.addr);
  }
  for (const auto& th : t.threads)
    for (const auto& c : th)
      for (const auto& o : c.instr.args)
        if (o.kind == Operand::Kind::Mem && !o.mem_reg && !o.name.empty() && !arrays.count(o.name)) names.insert(o.name);
  state_location_names(t.test, names);
  for (const auto& n : names) p.locations.push_back({n, Value::num(0), "", true});  // std::set: sorted by name

  std::set<std::pair<int, std::string>> seen;
  for (const auto& e : t.test.init) {
    check_init_entry(t.test, e, t.threads.size(), seen);
    if (e.array_size) {
      for (int64_t k = 0; k < *e.array_size; ++k) {
        auto& cell = p.locations[size_t(p.location_index(fmt::format("{}[{}]", e.name, k)))];
        cell.init = Value::num(size_t(k) < e.array_values.size() ? e.array_values[size_t(k)] : 0);
        cell.type = e.type;
        cell.show_as_int = type_bytes(e.type) <= 4 && e.stars == 0;
      }
      continue;
    }
    Value v = e.value_is_addr ? Value::addr(loc_of(p, arrays, e.addr)) : Value::num(e.value);
    if (e.thread >= 0) {
      p.reg_init[{e.thread, e.name}] = v;
      continue;
    }
    auto& loc = p.locations[size_t(p.location_index(e.name))];
    loc.init = v;
    loc.type = e.type;
    // herd shows untyped and 32-bit locations as its int; wider types whole.
    loc.show_as_int = type_bytes(e.type) <= 4 && e.stars == 0;
  }
  for (size_t k = 0; k < t.threads.size(); ++k) {
    X86_64Thread b(t, p, int(k), opts, arrays);
    p.threads.push_back(b.run());
  }
  return p;
}

}  // namespace paddock::events
