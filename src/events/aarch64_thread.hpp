// The AArch64 lowering's thread executor (lower_aarch64.cpp runs it): symbolic registers and flags carrying the
// reads they depend on, forks on every multi-outcome instruction. Its members are defined in lower_aarch64.cpp
// (control flow, code as data), lower_aarch64_memory.cpp (addresses, events, loads, stores, atomics) and
// lower_aarch64_alu.cpp (flags, conditions, data processing). Internal to events/.
#pragma once
#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "events/code_aarch64.hpp"
#include "events/lower_aarch64.hpp"
#include "events/mixed.hpp"
#include "events/sym_make.hpp"

namespace paddock::events::aarch64 {

using hw::Instr;
using hw::Operand;

inline SymPtr num(int64_t v) { return konst(Value::num(v)); }

inline SymPtr unop(const std::string& op, SymPtr a) {
  if (op == "zext32" && a->kind == Sym::Kind::Unary && (a->op == "zext32" || a->op == "zext16" || a->op == "zext8"))
    return a;  // already within 32 bits
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Unary;
  s->op = op;
  s->a = std::move(a);
  if (s->a->kind == Sym::Kind::Const) {
    Value v = eval(*s, {});
    if (v.kind != Value::Kind::Unknown) return konst(v);
  }
  return s;
}

// The reads (path-local event indices) a value depends on: `dep` through register dataflow, `pick` also
// through the condition of a CSEL-style choice or CAS's comparison (pick is a superset of dep).
// `outcome`: the value also depends on which outcome an instruction had (STXR's status), a constant on each
// path that herd still treats as unknown when counting loop iterations.
struct Taint {
  std::set<int> dep, pick;
  bool outcome = false;
  void add(const Taint& o) {
    dep.insert(o.dep.begin(), o.dep.end());
    pick.insert(o.pick.begin(), o.pick.end());
    outcome = outcome || o.outcome;
  }
  void add_pick(const Taint& o) {
    pick.insert(o.dep.begin(), o.dep.end());
    pick.insert(o.pick.begin(), o.pick.end());
    outcome = outcome || o.outcome;
  }
};

struct RV {
  SymPtr v;
  Taint t;
};

// NZCV after the last flag-setting instruction, each flag a symbolic truth value.
struct Flags {
  bool set = false;
  SymPtr n, z, c, v;
  Taint t;
};

struct Reservation {
  SymPtr addr;
  int read = -1;
  int bytes = 0;
  int read2 = -1;  // LDXP's second read, paired with STXP's second write
};

struct State {
  Path path;
  size_t pc = 0;
  int stmt = 0;
  std::map<std::string, RV> regs;  // by X name (X0, SP)
  Flags flags;
  Taint ctrl;                      // reads the branches taken so far depend on
  std::optional<Reservation> res;
  std::map<size_t, int> back_jumps;
  int const_jumps = 0;  // backward jumps on known conditions (not bounded by the unroll)
  int code_thread = -1;  // whose code `pc` is in, after a branch into another thread's code; -1 its own
};

inline bool is_zr(const std::string& r) { return r == "WZR" || r == "XZR"; }
inline bool is_w(const std::string& r) { return r[0] == 'W'; }
inline std::string xname(const std::string& r) {
  if (r == "WSP") return "SP";
  if (r == "WZR") return "XZR";
  if (r[0] == 'W') return "X" + r.substr(1);
  return r;
}

// The cells of the init block's arrays: for each cell's location, its array's first cell, byte offset in the
// array, cell size and cell count. Constant addresses move from cell to cell by byte offsets.
struct Arrays {
  std::map<std::string, std::pair<int, int>> shape;  // name: cell bytes, cells
  struct Cell {
    int first, offset, size, cells;
  };
  std::map<int, Cell> cell;
};

struct Access {
  int size = 8;
  std::vector<std::string> tags;
};

class Thread {
 public:
  Thread(const hw::AsmTest& t, Program& prog, int tid, const BuildOptions& opts, const Arrays& arrays, const CodeMap& map)
      : test_(t), prog_(prog), tid_(tid), opts_(opts), arrays_(arrays), map_(map) {
    for (const auto& [k, v] : t.test.meta)
      if (k == "Variant" && v.find("telechat") != std::string::npos) telechat_ = true;
    for (const auto& [k, v] : t.test.meta)
      if (k == "Variant" && v.find("fatal") != std::string::npos) fatal_ = true;
    if (opts.fatal) fatal_ = true;
    for (const auto& [k, v] : t.test.meta) {
      std::string lv = v;
      for (char& c : lv) c = char(std::tolower(static_cast<unsigned char>(c)));
      if (k == "Variant" && lv.find("nv2") != std::string::npos) nv2_ = true;
    }
    if (opts.nv2) nv2_ = true;
    std::vector<litmus::Location> locs = t.test.locations;
    litmus::prop_locations(t.test.condition, locs);
    litmus::prop_locations(t.test.filter, locs);
    for (const auto& l : locs)
      if (l.thread == tid_) observed_.emplace(l.name, l.pos);
  }

  std::vector<Path> run();

  // For explore_paths (events/asm_lowering.hpp).
  bool at_end(const State& s) const { return s.pc >= map_.size(code_thread(s)); }
  void finish(State& s) const;
  const hw::Cell& cell(const State& s) const { return map_.cell(code_thread(s), s.pc); }
  void step(State s, const Instr& in, std::vector<State>& todo);

 private:
  [[noreturn]] void fail(Pos pos, const std::string& msg) const { throw UserError(test_.test.file, pos, msg); }

  // ---------------------------------------------------------------- operands
  const Operand& arg(const Instr& in, size_t i) const {
    if (i >= in.args.size()) fail(in.pos, fmt::format("{} needs more operands", in.mnemonic));
    return in.args[i];
  }
  void arity(const Instr& in, size_t lo, size_t hi) const {
    if (in.args.size() < lo || in.args.size() > hi)
      fail(in.pos, lo == hi ? fmt::format("{} takes {} operands, found {}", in.mnemonic, lo, in.args.size())
                            : fmt::format("{} takes {} to {} operands, found {}", in.mnemonic, lo, hi, in.args.size()));
  }
  const std::string& regname(const Instr& in, size_t i) const {
    const Operand& o = arg(in, i);
    if (o.kind != Operand::Kind::Reg) fail(o.pos, fmt::format("operand {} of {} must be a register", i + 1, in.mnemonic));
    return o.name;
  }
  const Operand& mem(const Instr& in, size_t i) const {
    const Operand& o = arg(in, i);
    if (o.kind != Operand::Kind::Mem) fail(o.pos, fmt::format("operand {} of {} must be a memory operand [Xn...]", i + 1, in.mnemonic));
    return o;
  }

  // Registers hold 64 bits: a W name reads the low 32, and a W write clears the upper 32.
  RV get(const State& s, const std::string& r) const {
    if (is_zr(r)) return {num(0), {}};
    auto it = s.regs.find(xname(r));
    if (it == s.regs.end()) return {num(0), {}};  // uninitialised registers hold 0
    RV v = it->second;
    if (is_w(r)) v.v = unop("zext32", v.v);
    return v;
  }
  // A store-exclusive's status register: 0 on success, 1 on failure; it depends on which outcome was chosen.
  void put_status(State& s, const std::string& r, int64_t v) const {
    Taint chosen;
    chosen.outcome = true;
    put(s, r, {num(v), chosen});
  }
  void put(State& s, const std::string& r, RV v) const {
    if (is_zr(r)) return;
    if (is_w(r)) v.v = unop("zext32", v.v);
    s.regs[xname(r)] = std::move(v);
  }

  // An ALU source operand: register (optionally shifted/extended by the next Word operand) or immediate.
  RV source(const State& s, const Instr& in, size_t i) const;

  // A constant address as (location, byte offset): a cell counts from its array's first cell, `x+4` is kept
  // as the unevaluated sum of an address and a number (herd's symbolic `x+4`).
  std::optional<std::pair<int, int64_t>> addr_parts(const SymPtr& v) const;

  // a + b (or a - b): constant addresses plus constant offsets land on array cells.
  SymPtr plus(const SymPtr& a, const SymPtr& b, bool minus = false) const;

  // A constant address plus a computed offset (`[X0,X3,LSL #2]` with X3 loaded): the cell of the array the
  // offset lands on, chosen when the offset is known (one cell per byte offset; elsewhere no location).
  SymPtr computed_cell(std::pair<int, int64_t> base, const SymPtr& a, const SymPtr& off) const {
    SymPtr out = binop("+q", a, off);
    for (const auto& [loc, c] : arrays_.cell)
      if (c.first == base.first)
        out = std::make_shared<Sym>(Sym{Sym::Kind::Cond, {}, -1, "", binop("==", off, num(c.offset - base.second)),
                                        konst(Value::addr(loc)), out});
    return out;
  }

  // Mixed-size mode: addresses are bytes. A constant address plus a constant inside its location is that byte;
  // outside it (a pointer one past the end, on its way back) it stays the unevaluated "+oob" of the location's
  // first byte and the offset, which no access may use (outside()).
  std::optional<std::pair<int, int64_t>> mixed_parts(const SymPtr& x) const {
    if (x->kind == Sym::Kind::Const && x->value.kind == Value::Kind::Addr) {
      int loc = int(x->value.i), first = prog_.mixed->base[size_t(loc)];
      return std::make_pair(first, int64_t(loc - first));
    }
    if (x->kind == Sym::Kind::Binary && x->op == "+oob") return std::make_pair(int(x->a->value.i), x->b->value.i);
    return std::nullopt;
  }
  SymPtr mixed_plus(const SymPtr& a, const SymPtr& b, bool minus) const;
  // An access through an address outside its location is refused where it is made.
  void outside(const SymPtr& x, Pos pos) const {
    if (x->kind != Sym::Kind::Binary || x->op != "+oob") return;
    const std::string& name = prog_.locations[size_t(x->a->value.i)].name;
    fail(pos, fmt::format("mixed-size mode: {}{:+} is outside {} ({} bytes)", name, x->b->value.i, name,
                          prog_.mixed->base_bytes[size_t(x->a->value.i)]));
  }

  // A constant address past its location or array (plus() leaves it as `x +q k`): herd refuses the test.
  void outside_location(const SymPtr& x, Pos pos) const {
    if (x->kind != Sym::Kind::Binary || x->op != "+q" || x->a->kind != Sym::Kind::Const ||
        x->a->value.kind != Value::Kind::Addr || x->b->kind != Sym::Kind::Const || x->b->value.kind != Value::Kind::Int)
      return;
    const std::string& name = prog_.locations[size_t(x->a->value.i)].name;
    if (arrays_.cell.count(int(x->a->value.i)))
      fail(pos, fmt::format("Out of bounds access on array {}", name.substr(0, name.find('['))));
    fail(pos, fmt::format("an access to {}{:+}, outside location {}: only herd's mixed-size mode (-variant mixed) lays "
                          "locations out in bytes", name, x->b->value.i, name));
  }

  // The address of a memory operand and the reads it depends on.
  RV address(const State& s, const Operand& o) const;

  // Pre/post-index: the base register is updated with the offset.
  void writeback(State& s, const Instr& in, const Operand& m) const;

  // ---------------------------------------------------------------- events
  void edges(State& s, const char* rel, const std::set<int>& from, int to) const {
    for (int r : from) {
      if (std::string(rel) == "addr") s.path.addr.push_back({r, to});
      else if (std::string(rel) == "data") s.path.data.push_back({r, to});
      else if (std::string(rel) == "ctrl") s.path.ctrl.push_back({r, to});
      else if (std::string(rel) == "iico") s.path.iico.push_back({r, to});  // an order inside the instruction: po
      else s.path.rels[rel].push_back({r, to});
    }
  }

  static bool is_code(const SymPtr& v) { return v->kind == Sym::Kind::Const && v->value.kind == Value::Kind::Code; }
  std::string instruction_at(const SymPtr& addr) const {
    auto at = map_.target(code_value_text(addr->value.i));
    return at ? map_.instruction_at(at->first, at->second) : "";
  }

  int event(State& s, Sort sort, const RV* addr, SymPtr value, const std::vector<std::string>& tags, Pos pos,
            int access = -1, int byte = 0) {
    if (addr && is_code(addr->v))
      fail(pos, fmt::format("an access to code ({}) other than a plain load: self-modifying code (herd's -variant self) is unsupported",
                            code_value_text(addr->v->value.i)));
    if (addr && !prog_.mixed) outside_location(addr->v, pos);
    Event e;
    e.access = access;
    e.byte = byte;
    e.sort = sort;
    e.tags = tags;
    for (const auto& t : tags) e.rmw = e.rmw || t == "X";
    if (addr) e.addr = addr->v;
    e.value = std::move(value);
    e.stmt = s.stmt;
    e.pos = pos;
    if (sort == Sort::R) e.read_id = prog_.reads++;
    s.path.events.push_back(std::move(e));
    int id = int(s.path.events.size()) - 1;
    if (addr) edges(s, "addr", addr->t.dep, id), edges(s, "pick-addr", addr->t.pick, id);
    edges(s, "ctrl", s.ctrl.dep, id);
    edges(s, "pick-ctrl", s.ctrl.pick, id);
    return id;
  }

  // A read of `bytes` bytes. In mixed-size mode, one byte event each (events/mixed.hpp), the value recomposed
  // from them; `last_read_` is the access (its first event), group() its events.
  RV read(State& s, const RV& addr, const std::vector<std::string>& tags, Pos pos, int bytes);

  int write(State& s, const RV& addr, const RV* data, SymPtr value, const std::vector<std::string>& tags, Pos pos,
            int bytes) {
    int n = prog_.mixed ? bytes : 1;
    int first = int(s.path.events.size());
    if (prog_.mixed && value->kind == Sym::Kind::Const && value->value.kind == Value::Kind::Addr)
      fail(pos, "mixed-size mode: storing an address in memory is not supported");
    for (int k = 0; k < n; ++k) {
      RV ak = addr;
      if (k) ak.v = plus(addr.v, num(k));  // stays inside the location (mixed_plus)
      if (prog_.mixed) outside(ak.v, pos);
      int w = event(s, Sort::W, &ak, n == 1 ? value : value_byte(value, k), tags, pos, prog_.mixed ? first : -1, k);
      if (data) edges(s, "data", data->t.dep, w), edges(s, "pick-data", data->t.pick, w);
    }
    return first;
  }

  // The events of the access whose first event is `first` (one outside mixed-size mode).
  std::vector<int> group(const State& s, int first) const {
    std::vector<int> g{first};
    for (size_t i = size_t(first) + 1; i < s.path.events.size() && s.path.events[i].access == first && first >= 0; ++i)
      g.push_back(int(i));
    return g;
  }
  // `rel` from every event of access `from` to every event of access `to`.
  void link(State& s, const char* rel, int from, int to) const {
    std::set<int> src;
    for (int r : group(s, from)) src.insert(r);
    for (int w : group(s, to)) edges(s, rel, src, w);
  }
  // `rel` from the reads `from` to every event of access `to`.
  void edges_to(State& s, const char* rel, const std::set<int>& from, int to) const {
    for (int w : group(s, to)) edges(s, rel, from, w);
  }

  // LDXP's two reads, STXP's two writes: one single-copy-atomic access (herd's `>>||`), so that no other
  // thread's write is seen between them (sca-class both ways).
  void one_access(State& s, int a, int b) const {
    for (int x : group(s, a))
      for (int y : group(s, b)) s.path.rels["sca-class"].push_back({x, y}), s.path.rels["sca-class"].push_back({y, x});
  }

  // An atomic pair: the read's bytes before the write's (iico), and byte k of one with byte k of the other.
  void pair(State& s, int r, int w, bool same_instr, bool data) const {
    std::vector<int> rs = group(s, r), ws = group(s, w);
    for (int x : rs)
      for (int y : ws) {
        s.path.iico.push_back({x, y});
        (data ? s.path.iico_data : s.path.iico_ctrl).push_back({x, y});
      }
    for (size_t k = 0; k < rs.size() && k < ws.size(); ++k) {
      s.path.rmw.push_back({rs[k], ws[k]});
      if (same_instr) s.path.rels["amo"].push_back({rs[k], ws[k]});
    }
  }

  // ---------------------------------------------------------------- conditions
  std::pair<SymPtr, Taint> condition(const State& s, const std::string& cc, Pos pos) const;

  static std::string invert(const std::string& cc) {
    static const std::map<std::string, std::string> inv = {
        {"EQ", "NE"}, {"NE", "EQ"}, {"GE", "LT"}, {"LT", "GE"}, {"GT", "LE"}, {"LE", "GT"}, {"HI", "LS"},
        {"LS", "HI"}, {"HS", "LO"}, {"LO", "HS"}, {"CS", "CC"}, {"CC", "CS"}, {"MI", "PL"}, {"PL", "MI"},
        {"VS", "VC"}, {"VC", "VS"}, {"AL", "NV"}, {"NV", "AL"}};
    auto it = inv.find(cc);
    return it == inv.end() ? cc : it->second;
  }

  const std::string& word(const Instr& in, size_t i) const {
    const Operand& o = arg(in, i);
    if (o.kind != Operand::Kind::Word || o.has_imm)
      fail(o.pos, fmt::format("operand {} of {} must be a condition", i + 1, in.mnemonic));
    return o.name;
  }

  // Forks on a symbolic condition; `go(state, outcome)` continues each surviving outcome.
  template <class F>
  void fork(State s, const SymPtr& c, F go) {
    if (c->kind == Sym::Kind::Const) {
      bool t = c->value.kind == Value::Kind::Addr || c->value.kind == Value::Kind::Code || c->value.i != 0;
      go(std::move(s), t);
      return;
    }
    State other = s;
    other.path.guards.push_back({c, false});
    s.path.guards.push_back({c, true});
    go(std::move(s), true);
    go(std::move(other), false);
  }

  // ---------------------------------------------------------------- branches
  // `counted`: the jump counts toward the unroll bound (herd does not count a branch whose condition is a
  // known constant, so a loop with a constant trip count runs to completion).
  void jump(State s, const Operand& target, std::vector<State>& todo, bool counted = true);

  int code_thread(const State& s) const { return s.code_thread < 0 ? tid_ : s.code_thread; }

  // UDF and SVC always fault. Under Variant=fatal (herd's -variant fatal) a fault ends the thread and the final
  // state records it (`Fault(P0:L0,UndefinedInstruction)`, by the faulting instruction's label); herd's handled
  // faults (exception entry and return) are not modelled.
  void fault(State s, const Instr& in, const char* kind, std::vector<State>& todo) {
    arity(in, 1, 1);
    if (arg(in, 0).kind != Operand::Kind::Imm) fail(arg(in, 0).pos, fmt::format("{} takes an immediate (#k)", in.mnemonic));
    if (!fatal_)
      fail(in.pos, fmt::format("{} raises a fault: supported with Variant=fatal only (herd's fault handlers are not modelled)", in.mnemonic));
    std::string label = map_.label_at(code_thread(s), s.pc);
    if (!label.empty()) label = label.substr(label.find(':', 8) + 1, label.size() - label.find(':', 8) - 2);
    s.path.faults.emplace_back(label, kind);
    s.pc = map_.size(code_thread(s));
    todo.push_back(std::move(s));
  }

  // A label or `.+8`/`.-8` offset (4 bytes an instruction; one past the last ends the thread) of the code
  // being run.
  size_t code_position(const State& s, const Operand& target) const;

  // The code address after the instruction at pc: the label there, else a position no label names.
  SymPtr return_address(const State& s) const {
    std::string l = map_.label_at(code_thread(s), s.pc + 1);
    if (l.empty()) l = fmt::format("label:\"P{}:+{}\"", code_thread(s), s.pc + 1);
    return konst(Value::code(code_value(l)));
  }

  // Subroutine calls and code addresses (herd's label values): ADR puts a label's address in a register, BL/BLR
  // the return address in X30, and RET/BR/BLR jump to the address a register holds, in any thread's code. An
  // address that depends on a read may be any label the init block or an ADR exports (herd's candidates):
  // the path forks once per label, each guarded by the value being that label.
  void call(State s, const Instr& in, std::vector<State>& todo);

  void branch(State s, const SymPtr& c, const Taint& t, const Operand& target, std::vector<State>& todo) {
    s.ctrl.add(t);
    bool known = c->kind == Sym::Kind::Const && !t.outcome;
    fork(std::move(s), c, [&](State st, bool taken) {
      if (taken) return jump(std::move(st), target, todo, !known);
      st.pc++;
      todo.push_back(std::move(st));
    });
  }

  // ---------------------------------------------------------------- instructions
  static bool starts(const std::string& op, const char* p) { return op.rfind(p, 0) == 0; }

  // NZCV of a op b at the width of the destination: `kind` 's' (subtract), 'a' (add), 'l' (logical: C = V = 0).
  void set_flags(State& s, char kind, bool x, SymPtr a, SymPtr b, Taint t);

  void alu(State& s, const Instr& in, const std::string& op);

  int64_t imm(const Instr& in, size_t i) const {
    const Operand& o = arg(in, i);
    if (o.kind != Operand::Kind::Imm) fail(o.pos, fmt::format("operand {} of {} must be an immediate", i + 1, in.mnemonic));
    return o.imm;
  }

  // Register-only data processing beyond the ALU forms: MOVK, the bitfield moves and their aliases, byte and
  // bit reversal, ABS, multiply-accumulate. A W destination gets the 32-bit result zero-extended.
  bool bits(State& s, const Instr& in);

  // The bytes an access moves: a B/H/SW suffix says it, else the width of the data register (operand `reg`).
  int access_bytes(const Instr& in, size_t reg = 0) const {
    const std::string& op = in.op;
    if (starts(op, "LDRSW") || starts(op, "LDURSW")) return 4;
    if (op.back() == 'B') return 1;  // LDRB, LDRSB, STRB, LDARB, SWPB, LDADDALB, CASB ...
    if (op.back() == 'H') return 2;
    return is_w(regname(in, reg)) ? 4 : 8;
  }

  // A loaded value at its access width. herd masks every load (Mask Quad too), an operation its solver cannot
  // compute on an unknown value: a thin-air cycle through a 64-bit load is dropped as through a narrower one.
  static SymPtr loaded(State& s, SymPtr v, int bytes, bool sign) {
    if (bytes == 8) return unop("zext64", std::move(v));
    // A narrower load of an address is herd's "Illegal operation mask32 on x" (events::IllegalOperation),
    // whether or not the value is used.
    SymPtr m = unop(fmt::format("mask{}", 8 * bytes), std::move(v));
    s.path.checked.push_back(m);
    return sized(m, bytes, sign);
  }

  // A value cut to `bytes` and extended back to 64 bits.
  static SymPtr sized(SymPtr v, int bytes, bool sign) {
    if (bytes == 8) return v;
    static const char* const zext[] = {"", "zext8", "zext16", "", "zext32"};
    static const char* const sext[] = {"", "sext8", "sext16", "", "sext32"};
    return unop(sign ? sext[bytes] : zext[bytes], std::move(v));
  }

  // Loads, stores, exclusives and atomics; false when `in` is none of them.
  bool memory(State& s0, const Instr& in, std::vector<State>& todo);

  const hw::AsmTest& test_;
  Program& prog_;
  int tid_;
  const BuildOptions& opts_;
  const Arrays& arrays_;
  const CodeMap& map_;
  std::map<std::string, Pos> observed_;  // this thread's registers the locations, condition or filter name
  bool telechat_ = false;                 // Variant=telechat
  bool fatal_ = false;                    // Variant=fatal: a fault ends its thread
  bool nv2_ = false;                      // Variant=NV2: VNCR page registers are memory
  int last_read_ = -1;
};

}  // namespace paddock::events::aarch64
