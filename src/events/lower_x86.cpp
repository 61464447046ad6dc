#include "events/lower_x86.hpp"
#include "events/asm_lowering.hpp"
#include "events/sym_make.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace paddock::events {

using hw::Instr;
using hw::Operand;

namespace {

struct State {
  Path path;
  size_t pc = 0;
  int stmt = 0;
  std::map<std::string, SymPtr> regs;
  std::map<size_t, int> back_jumps;  // taken backward jumps per target
};

class X86Thread {
 public:
  X86Thread(const hw::AsmTest& t, Program& prog, int tid, const BuildOptions& opts)
      : test_(t), prog_(prog), tid_(tid), opts_(opts), code_(t.threads[size_t(tid)]) {
    for (size_t i = 0; i < code_.size(); ++i)
      for (const auto& l : code_[i].labels) labels_[l] = i;
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
    for (const auto& [name, v] : s.regs) s.path.regs[name] = v;
  }
  const hw::Cell& cell(const State& s) const { return code_[s.pc]; }

 private:
  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(test_.test.file, pos, msg); }

  SymPtr reg(const State& s, const std::string& name) const {
    auto it = s.regs.find(name);
    return it == s.regs.end() ? konst(Value::num(0)) : it->second;  // uninitialised registers hold 0
  }

  SymPtr address(const State& s, const Operand& o) const {
    if (o.mem_abs) fail(o.pos, fmt::format("non-symbolic memory access [{}]", o.imm));
    if (o.mem_reg) return reg(s, o.name);
    return konst(Value::addr(prog_.location_index(o.name)));
  }

  int add_event(State& s, Sort sort, SymPtr addr, SymPtr value, bool atomic, Pos pos) {
    int k = append_event(prog_, s.path, s.stmt, sort, std::move(addr), std::move(value), pos);
    if (atomic) s.path.events[size_t(k)].tags.push_back("X"), s.path.events[size_t(k)].rmw = true;
    return k;
  }

  // The value of a source operand; a memory operand is read (atomically for locked instructions).
  SymPtr load(State& s, const Operand& o, bool atomic, int* read_event) {
    switch (o.kind) {
      case Operand::Kind::Imm: return konst(Value::num(o.imm));
      case Operand::Kind::Reg: return reg(s, o.name);
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
  int store(State& s, const Operand& o, SymPtr v, bool atomic) {
    if (o.kind == Operand::Kind::Reg) {
      s.regs[o.name] = std::move(v);
      return -1;
    }
    return add_event(s, Sort::W, address(s, o), std::move(v), atomic, o.pos);
  }

  // herd's flags after an arithmetic result: ZF = (res == 0), SF = (res > 0), CF = 0.
  void set_flags(State& s, const SymPtr& zf, const SymPtr& sf) {
    s.regs["ZF"] = zf;
    s.regs["SF"] = sf;
    s.regs["CF"] = konst(Value::num(0));
  }

  void order(State& s, int r, int w, bool rmw) {
    if (r < 0 || w < 0) return;
    s.path.iico.push_back({r, w});
    s.path.iico_data.push_back({r, w});
    if (rmw) s.path.rmw.push_back({r, w});
  }

  void jump(State s, const Instr& in, std::vector<State>& todo, bool counted) {
    jump_to(std::move(s), labels_.at(in.args[0].name), in.args[0].name, opts_.unroll, counted, todo);
  }

 public:  // for explore_paths
  void step(State s, const Instr& in, std::vector<State>& todo) {
    const std::string& op = in.op;
    const auto& a = in.args;
    if (op == "MFENCE" || op == "LFENCE" || op == "SFENCE") {
      int f = add_event(s, Sort::F, nullptr, nullptr, false, in.pos);
      s.path.events[size_t(f)].tags.push_back(op);
    } else if (op == "MOV" || op == "MOVB" || op == "MOVW" || op == "MOVL" || op == "MOVQ") {
      store(s, a[0], load(s, a[1], false, nullptr), false);
    } else if (op == "ADD" || op == "XOR" || op == "OR") {
      int r = -1;
      SymPtr x = load(s, a[0], in.lock, &r);
      SymPtr y = load(s, a[1], false, nullptr);
      SymPtr res = binop(op == "ADD" ? "+" : op == "XOR" ? "^" : "|", x, y);
      order(s, r, store(s, a[0], res, in.lock), in.lock);
      set_flags(s, binop("==", res, konst(Value::num(0))), binop(">", res, konst(Value::num(0))));
    } else if (op == "INC" || op == "DEC") {
      int r = -1;
      SymPtr x = load(s, a[0], in.lock, &r);
      SymPtr res = binop(op == "INC" ? "+" : "-", x, konst(Value::num(1)));
      order(s, r, store(s, a[0], res, in.lock), in.lock);
      set_flags(s, binop("==", res, konst(Value::num(0))), binop(">", res, konst(Value::num(0))));
    } else if (op == "CMP") {
      SymPtr x = load(s, a[0], false, nullptr);
      SymPtr y = load(s, a[1], false, nullptr);
      set_flags(s, binop("==", x, y), binop(">", x, y));
    } else if (op == "XCHG") {
      // Exchanging with memory is always locked.
      const Operand& m = a[0].kind == Operand::Kind::Mem ? a[0] : a[1];
      const Operand& r = a[0].kind == Operand::Kind::Mem ? a[1] : a[0];
      bool atomic = m.kind == Operand::Kind::Mem;
      int rd = -1;
      SymPtr old_m = load(s, m, atomic, &rd);
      SymPtr old_r = load(s, r, false, nullptr);
      int w = store(s, m, old_r, atomic);
      if (rd >= 0 && w >= 0) {
        s.path.iico.push_back({rd, w});
        s.path.iico_ctrl.push_back({rd, w});
        s.path.rmw.push_back({rd, w});
      }
      store(s, r, old_m, false);
    } else if (op == "SETNB") {
      store(s, a[0], konst(Value::num(1)), false);  // CF is always 0: "not below" holds
    } else if (op == "CMOVC") {
      // CF is always 0: the move never happens.
    } else if (op == "JMP") {
      return jump(std::move(s), in, todo, true);
    } else if (op == "JE" || op == "JNE") {
      SymPtr zf = reg(s, "ZF");
      bool want_zero = op == "JNE";  // JNE jumps when ZF == 0
      if (zf->kind == Sym::Kind::Const) {
        Value v = zf->value;
        bool zero = v.kind == Value::Kind::Int && v.i == 0;
        if (zero == want_zero) return jump(std::move(s), in, todo, false);
      } else {
        State taken = s;
        taken.path.guards.push_back({zf, !want_zero});
        jump(std::move(taken), in, todo, true);
        s.path.guards.push_back({zf, want_zero});
      }
    } else {
      fail(in.pos, fmt::format("unsupported instruction {}", op));
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
};

}  // namespace

Program lower_x86(const hw::AsmTest& t, const BuildOptions& opts) {
  Program p;
  p.asm_addresses = true;
  std::set<std::string> names;
  for (const auto& e : t.test.init) {
    if (e.thread < 0) names.insert(e.name);
    if (e.value_is_addr) names.insert(e.addr);
  }
  for (const auto& th : t.threads)
    for (const auto& c : th)
      for (const auto& o : c.instr.args)
        if (o.kind == Operand::Kind::Mem && !o.mem_reg && !o.mem_abs) names.insert(o.name);
  state_location_names(t.test, names);
  for (const auto& n : names) p.locations.push_back({n, Value::num(0), ""});  // std::set: sorted by name

  std::set<std::pair<int, std::string>> seen;
  for (const auto& e : t.test.init) {
    check_init_entry(t.test, e, t.threads.size(), seen);
    Value v = e.value_is_addr ? Value::addr(p.location_index(e.addr)) : Value::num(e.value);
    if (e.thread >= 0) {
      p.reg_init[{e.thread, e.name}] = v;
      continue;
    }
    auto& loc = p.locations[size_t(p.location_index(e.name))];
    loc.init = v;
    loc.type = e.type;
  }
  for (size_t k = 0; k < t.threads.size(); ++k) {
    X86Thread b(t, p, int(k), opts);
    p.threads.push_back(b.run());
  }
  return p;
}

}  // namespace paddock::events
