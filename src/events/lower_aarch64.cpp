#include "events/lower_aarch64.hpp"
#include "events/code_aarch64.hpp"
#include "events/sym_make.hpp"
#include "events/vncr_aarch64.hpp"

#include "events/mixed.hpp"

#include <fmt/format.h>

#include <map>
#include <optional>
#include <set>

namespace paddock::events {

using hw::Instr;
using hw::Operand;

namespace {

SymPtr num(int64_t v) { return konst(Value::num(v)); }

SymPtr unop(const std::string& op, SymPtr a) {
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

bool is_zr(const std::string& r) { return r == "WZR" || r == "XZR"; }
bool is_w(const std::string& r) { return r[0] == 'W'; }
std::string xname(const std::string& r) {
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

  std::vector<Path> run() {
    State init;
    for (const auto& [key, v] : prog_.reg_init)
      if (key.first == tid_) init.regs[key.second] = {konst(v), {}};
    std::vector<State> todo{std::move(init)};
    std::vector<Path> out;
    while (!todo.empty()) {
      State s = std::move(todo.back());
      todo.pop_back();
      if (s.pc >= map_.size(code_thread(s)) || s.path.loop_cut) {
        for (const auto& [name, v] : s.regs) {
          s.path.regs[name] = v.v;
          if (observed_.count(name) && v.v->kind == Sym::Kind::Const && v.v->value.kind == Value::Kind::Code &&
              code_value_text(v.v->value.i).find(":+") != std::string::npos)
            fail(observed_.at(name), fmt::format("{}:{} would hold a return address that no label names: unsupported", tid_, name));
        }
        out.push_back(std::move(s.path));
        continue;
      }
      const hw::Cell& cell = map_.cell(code_thread(s), s.pc);
      if (!cell.has_instr) {
        s.pc++;
        todo.push_back(std::move(s));
        continue;
      }
      s.stmt++;
      step(std::move(s), cell.instr, todo);
    }
    return out;
  }

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
  RV source(const State& s, const Instr& in, size_t i) const {
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

  // A constant address as (location, byte offset): a cell counts from its array's first cell, `x+4` is kept
  // as the unevaluated sum of an address and a number (herd's symbolic `x+4`).
  std::optional<std::pair<int, int64_t>> addr_parts(const SymPtr& v) const {
    auto base = [&](const SymPtr& c) -> std::optional<std::pair<int, int64_t>> {
      if (c->kind != Sym::Kind::Const || c->value.kind != Value::Kind::Addr) return std::nullopt;
      int loc = int(c->value.i);
      auto it = arrays_.cell.find(loc);
      if (it == arrays_.cell.end()) return std::make_pair(loc, int64_t(0));
      return std::make_pair(it->second.first, int64_t(it->second.offset));
    };
    if (auto b = base(v)) return b;
    if (v->kind == Sym::Kind::Binary && v->op == "+q" && v->b->kind == Sym::Kind::Const && v->b->value.kind == Value::Kind::Int)
      if (auto b = base(v->a)) return std::make_pair(b->first, b->second + v->b->value.i);
    return std::nullopt;
  }

  // a + b (or a - b): constant addresses plus constant offsets land on array cells.
  SymPtr plus(const SymPtr& a, const SymPtr& b, bool minus = false) const {
    auto is_int = [](const SymPtr& x) { return x->kind == Sym::Kind::Const && x->value.kind == Value::Kind::Int; };
    if (prog_.mixed) return mixed_plus(a, b, minus);
    std::optional<std::pair<int, int64_t>> pa = addr_parts(a);
    int64_t k = 0;
    if (pa && is_int(b)) k = minus ? -b->value.i : b->value.i;
    else if (!minus && is_int(a) && (pa = addr_parts(b))) k = a->value.i;
    else if (pa && !minus && b->kind != Sym::Kind::Const) return computed_cell(*pa, a, b);
    else return binop(minus ? "-q" : "+q", a, b);
    int first = pa->first;
    int64_t off = pa->second + k;
    for (const auto& [loc, c] : arrays_.cell)
      if (c.first == first && c.offset == off) return konst(Value::addr(loc));
    if (off == 0) return konst(Value::addr(first));
    auto s = std::make_shared<Sym>();
    s->kind = Sym::Kind::Binary;
    s->op = "+q";
    s->a = konst(Value::addr(first));
    s->b = num(off);
    return s;
  }

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
  SymPtr mixed_plus(const SymPtr& a, const SymPtr& b, bool minus) const {
    auto is_int = [](const SymPtr& x) { return x->kind == Sym::Kind::Const && x->value.kind == Value::Kind::Int; };
    if (minus) {
      if (is_int(b)) return mixed_plus(a, num(int64_t(0 - uint64_t(b->value.i))), false);
      return binop("-q", a, b);
    }
    auto pa = mixed_parts(a), pb = mixed_parts(b);
    std::optional<std::pair<int, int64_t>> p;
    int64_t k = 0;
    if (pa && is_int(b)) p = pa, k = b->value.i;
    else if (pb && is_int(a)) p = pb, k = a->value.i;
    if (!p) return binop("+a", a, b);
    int first = p->first, n = prog_.mixed->base_bytes[size_t(first)];
    int64_t at = p->second + k;
    if (at >= 0 && at < n) return konst(Value::addr(int(first + at)));
    auto s = std::make_shared<Sym>();  // eval leaves "+oob" unknown: no location
    s->kind = Sym::Kind::Binary;
    s->op = "+oob";
    s->a = konst(Value::addr(first));
    s->b = num(at);
    s->c = num(n);  // the location's size: "+a" may bring the address back inside (events/value.cpp)
    return s;
  }
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
  RV address(const State& s, const Operand& o) const {
    RV base = get(s, o.name);
    if (o.name == "XZR" || o.name == "WZR") fail(o.pos, "the base register of an address cannot be XZR");
    RV a = base;
    if (o.disp != 0) a.v = plus(a.v, num(o.disp));
    if (!o.index.empty()) {
      RV x = get(s, o.index);
      SymPtr iv = x.v;
      if (o.ext == "SXTW") iv = unop("sext32", iv);
      if (o.scale) iv = binop("<<q", iv, num(o.scale));
      a.v = plus(a.v, iv);
      a.t.add(x.t);
    }
    return a;
  }

  // Pre/post-index: the base register is updated with the offset.
  void writeback(State& s, const Instr& in, const Operand& m) const {
    if (in.args.size() >= 2 && &in.args[in.args.size() - 2] == &m && in.args.back().kind != Operand::Kind::Imm)
      fail(in.args.back().pos, fmt::format("unexpected '{}' after the address: a post-index offset is an immediate (#k)",
                                           in.args.back().name));
    if (m.writeback) {
      RV b = get(s, m.name);
      put(s, m.name, {plus(b.v, num(m.disp)), b.t});
    } else if (in.args.size() > 0 && in.args.back().kind == Operand::Kind::Imm && &in.args.back() != &m &&
               in.args.size() >= 2 && &in.args[in.args.size() - 2] == &m) {
      RV b = get(s, m.name);
      put(s, m.name, {plus(b.v, num(in.args.back().imm)), b.t});
    }
  }

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
  RV read(State& s, const RV& addr, const std::vector<std::string>& tags, Pos pos, int bytes) {
    int n = prog_.mixed ? bytes : 1;
    int first = int(s.path.events.size());
    RV out;
    std::vector<SymPtr> parts;
    for (int k = 0; k < n; ++k) {
      RV ak = addr;
      if (k) ak.v = plus(addr.v, num(k));  // stays inside the location (mixed_plus)
      if (prog_.mixed) outside(ak.v, pos);
      int r = event(s, Sort::R, &ak, nullptr, tags, pos, prog_.mixed ? first : -1, k);
      auto v = std::make_shared<Sym>();
      v->kind = Sym::Kind::Read;
      v->read = s.path.events[size_t(r)].read_id;
      parts.push_back(v);
      out.t.dep.insert(r);
      out.t.pick.insert(r);
    }
    out.v = n == 1 ? parts[0] : recompose(parts);
    out.t.add(addr.t);  // the loaded value also depends on what its address came from
    last_read_ = first;
    return out;
  }

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
  std::pair<SymPtr, Taint> condition(const State& s, const std::string& cc, Pos pos) const {
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
  void jump(State s, const Operand& target, std::vector<State>& todo, bool counted = true) {
    if (target.kind != Operand::Kind::Word && target.kind != Operand::Kind::Label)
      fail(target.pos, "expected a label");
    size_t to = code_position(s, target);
    // Uncounted jumps still end: a constant loop that never exits is refused rather than run forever.
    if (to <= s.pc && !counted && ++s.const_jumps > 100000)
      fail(target.pos, fmt::format("the loop to {} does not terminate", target.name));
    if (to <= s.pc && counted && ++s.back_jumps[to] > opts_.unroll) {
      s.path.loop_cut = true;
      s.path.cut_at = target.name;  // herd's warning names the label
      todo.push_back(std::move(s));
      return;
    }
    s.pc = to;
    todo.push_back(std::move(s));
  }

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
  size_t code_position(const State& s, const Operand& target) const {
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
  void call(State s, const Instr& in, std::vector<State>& todo) {
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
  void set_flags(State& s, char kind, bool x, SymPtr a, SymPtr b, Taint t) {
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

  void alu(State& s, const Instr& in, const std::string& op) {
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

  void step(State s, const Instr& in, std::vector<State>& todo) {
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

  int64_t imm(const Instr& in, size_t i) const {
    const Operand& o = arg(in, i);
    if (o.kind != Operand::Kind::Imm) fail(o.pos, fmt::format("operand {} of {} must be an immediate", i + 1, in.mnemonic));
    return o.imm;
  }

  // Register-only data processing beyond the ALU forms: MOVK, the bitfield moves and their aliases, byte and
  // bit reversal, ABS, multiply-accumulate. A W destination gets the 32-bit result zero-extended.
  bool bits(State& s, const Instr& in) {
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
  bool memory(State& s0, const Instr& in, std::vector<State>& todo) {
    std::string op = in.op;
    auto next = [&](State st) {
      st.pc++;
      todo.push_back(std::move(st));
    };
    // Size suffixes B/H and the sign-extending loads change the value only: a load takes the low bytes of the
    // location, zero- or sign-extended; a store writes the low bytes of its register.
    static const std::set<std::string> loads = {"LDR", "LDRB", "LDRH", "LDRSB", "LDRSH", "LDRSW", "LDUR", "LDURB", "LDURH",
                                                "LDAR", "LDARB", "LDARH", "LDAPR", "LDAPRB", "LDAPRH", "LDXR", "LDXRB",
                                                "LDXRH", "LDAXR", "LDAXRB", "LDAXRH"};
    static const std::set<std::string> stores = {"STR", "STRB", "STRH", "STUR", "STURB", "STURH", "STLR", "STLRB", "STLRH"};
    State& s = s0;
    if (op == "LDP" || op == "LDNP" || op == "LDPSW" || op == "STP" || op == "STNP" || op == "LDIAPP" || op == "STILP") {
      // Two accesses of the registers' size, at the address and the next one; the stored registers are not
      // on the data port (herd-asm-semantics.md 3.4). Neither access is ordered before the other, except in
      // the ordered pairs: LDIAPP reads both AcqPc (Q), the first before the second; STILP writes both
      // release (L), the first before the second, or the second first for the pre-indexed form (herd's
      // seq_mem: an intra-instruction order, so po).
      arity(in, 3, 4);
      bool ordered = op == "LDIAPP" || op == "STILP";
      const std::vector<std::string> tags = op == "LDIAPP" ? std::vector<std::string>{"Q"}
                                            : op == "STILP" ? std::vector<std::string>{"L"}
                                                            : std::vector<std::string>{};
      const Operand& m = mem(in, 2);
      std::string r1 = regname(in, 0), r2 = regname(in, 1);
      if (is_w(r1) != is_w(r2)) fail(in.pos, fmt::format("{} takes two registers of one size", in.mnemonic));
      bool sw = op == "LDPSW";
      if (sw && is_w(r1)) fail(in.pos, "LDPSW loads into X registers");
      int bytes = sw || is_w(r1) ? 4 : 8;
      RV a = address(s, m);
      RV a2 = a;
      a2.v = plus(a.v, num(bytes));
      if (op[0] == 'L') {
        if (r1 == r2) fail(in.pos, fmt::format("{} loads one register twice", in.mnemonic));
        RV v1 = read(s, a, tags, in.pos, bytes);
        int first = last_read_;
        RV v2 = read(s, a2, tags, in.pos, bytes);
        if (ordered) link(s, "iico", first, last_read_);
        v1.v = loaded(s, v1.v, bytes, sw), v2.v = loaded(s, v2.v, bytes, sw);
        writeback(s, in, m);
        put(s, r1, v1);
        put(s, r2, v2);
      } else {
        RV d1 = get(s, r1), d2 = get(s, r2);
        int w1 = write(s, a, nullptr, sized(d1.v, bytes, false), tags, in.pos, bytes);
        int w2 = write(s, a2, nullptr, sized(d2.v, bytes, false), tags, in.pos, bytes);
        if (ordered) m.writeback ? link(s, "iico", w2, w1) : link(s, "iico", w1, w2);
        writeback(s, in, m);
      }
      next(std::move(s));
      return true;
    }
    if (op == "LDXP" || op == "LDAXP") {
      // Two exclusive reads (both X, Acq* too for LDAXP) at the address and the next; the reservation is
      // the first one's address (herd's ldxp).
      arity(in, 3, 3);
      std::string r1 = regname(in, 0), r2 = regname(in, 1);
      if (is_w(r1) != is_w(r2)) fail(in.pos, fmt::format("{} takes two registers of one size", in.mnemonic));
      if (r1 == r2) fail(in.pos, fmt::format("{} loads one register twice", in.mnemonic));
      int bytes = is_w(r1) ? 4 : 8;
      std::vector<std::string> tags = {"X"};
      if (op == "LDAXP") tags.push_back("A");
      RV a = address(s, mem(in, 2));
      RV a2 = a;
      a2.v = plus(a.v, num(bytes));
      RV v1 = read(s, a, tags, in.pos, bytes);
      int first = last_read_;
      RV v2 = read(s, a2, tags, in.pos, bytes);
      one_access(s, first, last_read_);
      s.res = Reservation{a.v, first, bytes, last_read_};
      v1.v = loaded(s, v1.v, bytes, false), v2.v = loaded(s, v2.v, bytes, false);
      put(s, r1, v1);
      put(s, r2, v2);
      next(std::move(s));
      return true;
    }
    if (op == "STXP" || op == "STLXP") {
      // Success: two exclusive writes (Rel* too for STLXP) paired with LDXP's two reads, status 0; failure:
      // no write, status 1. As STXR, the stored registers are not on the data port.
      arity(in, 4, 4);
      std::string status = regname(in, 0), r1 = regname(in, 1), r2 = regname(in, 2);
      if (is_w(r1) != is_w(r2)) fail(in.pos, fmt::format("{} takes two registers of one size", in.mnemonic));
      int bytes = is_w(r1) ? 4 : 8;
      RV d1 = get(s, r1), d2 = get(s, r2);
      RV a = address(s, mem(in, 3));
      RV a2 = a;
      a2.v = plus(a.v, num(bytes));
      std::optional<Reservation> res = s.res;
      s.res.reset();
      if (res && (!prog_.mixed || res->bytes == bytes)) {
        State ok = s;
        ok.path.guards.push_back({binop("==", a.v, res->addr), true});
        std::vector<std::string> tags = {"X"};
        if (op == "STLXP") tags.push_back("L");
        int w1 = write(ok, a, nullptr, sized(d1.v, bytes, false), tags, in.pos, bytes);
        int w2 = write(ok, a2, nullptr, sized(d2.v, bytes, false), tags, in.pos, bytes);
        one_access(ok, w1, w2);
        pair(ok, res->read, w1, false, false);
        if (res->read2 >= 0) pair(ok, res->read2, w2, false, false);
        put_status(ok, status, 0);
        next(std::move(ok));
      }
      put_status(s, status, 1);
      next(std::move(s));
      return true;
    }
    if (loads.count(op)) {
      arity(in, 2, 3);
      const Operand& m = mem(in, 1);
      std::vector<std::string> tags;
      if (starts(op, "LDAR")) tags = {"A"};
      else if (starts(op, "LDAPR")) tags = {"Q"};
      else if (starts(op, "LDXR")) tags = {"X"};
      else if (starts(op, "LDAXR")) tags = {"X", "A"};
      RV a = address(s, m);
      if (tags.empty() && is_code(a.v)) {
        // Code is not written (no -variant self): a load from it is the instruction there, a constant.
        std::string text = instruction_at(a.v);
        if (text.empty()) fail(m.pos, fmt::format("{} reads {}, where no instruction is", in.mnemonic, code_value_text(a.v->value.i)));
        writeback(s, in, m);
        put(s, regname(in, 0), {konst(Value::code(code_value(text))), a.t});
        next(std::move(s));
        return true;
      }
      RV v = read(s, a, tags, in.pos, access_bytes(in));
      bool sign = starts(op, "LDRS") || starts(op, "LDURS");
      v.v = loaded(s, v.v, access_bytes(in), sign);
      if (tags.size() && tags[0] == "X") s.res = Reservation{a.v, last_read_, access_bytes(in)};
      writeback(s, in, m);
      put(s, regname(in, 0), v);
      next(std::move(s));
      return true;
    }
    if (stores.count(op)) {
      arity(in, 2, 3);
      const Operand& m = mem(in, 1);
      RV d = get(s, regname(in, 0));
      RV a = address(s, m);
      write(s, a, &d, sized(d.v, access_bytes(in), false), starts(op, "STLR") ? std::vector<std::string>{"L"} : std::vector<std::string>{}, in.pos,
            access_bytes(in));
      writeback(s, in, m);
      next(std::move(s));
      return true;
    }
    if (starts(op, "STXR") || starts(op, "STLXR")) {
      arity(in, 3, 3);
      std::string status = regname(in, 0);
      RV d = get(s, regname(in, 1));
      RV a = address(s, mem(in, 2));
      std::optional<Reservation> res = s.res;
      s.res.reset();
      // Mixed-size mode: an exclusive pair of two sizes is CONSTRAINED UNPREDICTABLE; herd lets it only fail.
      if (res && (!prog_.mixed || res->bytes == access_bytes(in, 1))) {
        State ok = s;
        ok.path.guards.push_back({binop("==", a.v, res->addr), true});
        std::vector<std::string> tags = {"X"};
        if (starts(op, "STLXR")) tags.push_back("L");
        int w = write(ok, a, nullptr, sized(d.v, access_bytes(in, 1), false), tags, in.pos, access_bytes(in, 1));  // not on the data port
        pair(ok, res->read, w, false, false);
        put_status(ok, status, 0);
        next(std::move(ok));
      }
      put_status(s, status, 1);
      next(std::move(s));
      return true;
    }
    bool is_swp = starts(op, "SWP");
    static const char* const ldops[] = {"ADD", "CLR", "EOR", "SET", "SMAX", "SMIN", "UMAX", "UMIN"};
    std::string ldop;
    bool st_form = false;
    for (const char* o : ldops) {
      if (starts(op, (std::string("LD") + o).c_str())) ldop = o;
      if (starts(op, (std::string("ST") + o).c_str())) ldop = o, st_form = true;
    }
    if (is_swp || !ldop.empty()) {
      std::string sfx = op.substr(is_swp ? 3 : 2 + ldop.size());
      if (!sfx.empty() && (sfx.back() == 'B' || sfx.back() == 'H')) sfx.pop_back();
      bool acq = false, rel = false;
      if (sfx == "A") acq = true;
      else if (sfx == "L") rel = true;
      else if (sfx == "AL") acq = rel = true;
      else if (!sfx.empty()) return false;
      if (st_form && acq) return false;  // no STADDA
      arity(in, st_form ? 2 : 3, st_form ? 2 : 3);
      RV src = get(s, regname(in, 0));
      std::string rt = st_form ? "WZR" : regname(in, 1);
      RV a = address(s, mem(in, st_form ? 1 : 2));
      bool noret = is_zr(rt);  // no register receives the value: the acquire is dropped (SWP too)
      std::vector<std::string> rtags = {"X"};
      if (noret) rtags.push_back("NoRet");
      else if (acq) rtags.push_back("A");
      int bytes = access_bytes(in);
      RV old = read(s, a, rtags, in.pos, bytes);
      int r = last_read_;
      old.v = sized(old.v, bytes, false);
      std::vector<std::string> wtags = {"X"};
      if (rel) wtags.push_back("L");
      SymPtr nv;
      if (is_swp) nv = src.v;
      else if (ldop == "ADD") nv = binop("+q", old.v, src.v);
      else if (ldop == "EOR") nv = binop("^", old.v, src.v);
      else if (ldop == "SET") nv = binop("|", old.v, src.v);
      else if (ldop == "CLR") nv = binop("&", old.v, unop("~", src.v));
      else {
        // The signed forms compare at the access width; the result is one of the two operands.
        SymPtr so = sized(old.v, bytes, true), ss = sized(src.v, bytes, true);
        SymPtr keep_old = ldop == "SMAX" ? binop(">", so, ss) : ldop == "SMIN" ? binop("<", so, ss)
                        : ldop == "UMAX" ? binop("<u", src.v, old.v) : binop("<u", old.v, src.v);
        nv = std::make_shared<Sym>(Sym{Sym::Kind::Cond, {}, -1, "", keep_old, old.v, src.v});
      }
      nv = sized(nv, bytes, false);
      int w = write(s, a, is_swp ? nullptr : &src, nv, wtags, in.pos, bytes);
      pair(s, r, w, true, !is_swp);
      // LD<op> computes its write from its read: a value that goes on through a forwarded store.
      if (!is_swp) link(s, "data", r, w), link(s, "pick-data", r, w);
      put(s, rt, old);
      next(std::move(s));
      return true;
    }
    if (starts(op, "CAS")) {
      // CASP compares and swaps two registers with two consecutive accesses (herd: two reads, two writes,
      // the comparison of both pairs deciding); otherwise exactly as CAS.
      bool pairwise = starts(op, "CASP");
      std::string sfx = op.substr(pairwise ? 4 : 3);
      if (!pairwise && !sfx.empty() && (sfx.back() == 'B' || sfx.back() == 'H')) sfx.pop_back();
      if (!sfx.empty() && sfx != "A" && sfx != "L" && sfx != "AL") return false;
      bool acq = sfx == "A" || sfx == "AL", rel = sfx == "L" || sfx == "AL";
      size_t n = pairwise ? 2 : 1;
      arity(in, 2 * n + 1, 2 * n + 1);
      std::vector<std::string> rs;
      std::vector<RV> expect, nv;
      for (size_t k = 0; k < n; ++k) rs.push_back(regname(in, k)), expect.push_back(get(s, rs.back()));
      for (size_t k = 0; k < n; ++k) nv.push_back(get(s, regname(in, n + k)));
      if (pairwise && (is_w(rs[0]) != is_w(rs[1]) || is_w(rs[0]) != is_w(regname(in, 2)) || is_w(rs[0]) != is_w(regname(in, 3))))
        fail(in.pos, fmt::format("{} takes four registers of one size", in.mnemonic));
      int bytes = access_bytes(in);
      RV a0 = address(s, mem(in, 2 * n));
      std::vector<RV> addr{a0};
      if (pairwise) addr.push_back(a0), addr[1].v = plus(a0.v, num(bytes));
      for (int variant = 0; variant < 4; ++variant) {
        bool success = variant < 2;
        State st = s;
        std::vector<std::string> rtags;
        if (success || variant == 3) rtags.push_back("X");
        if (!pairwise && is_zr(rs[0])) rtags.push_back("NoRet");  // the old value goes nowhere: the acquire is dropped
        else if (acq) rtags.push_back("A");
        std::vector<RV> old;
        std::vector<int> r;
        SymPtr eq;
        Taint cmp;
        for (size_t k = 0; k < n; ++k) {
          old.push_back(read(st, addr[k], rtags, in.pos, bytes));
          r.push_back(last_read_);
          old[k].v = sized(old[k].v, bytes, false);
          SymPtr e = binop("==", old[k].v, expect[k].v);
          eq = eq ? binop("&&", eq, e) : e;
          cmp.add(old[k].t);
          cmp.add(expect[k].t);
        }
        st.path.guards.push_back({eq, success});
        if (success) {
          std::vector<std::string> wtags = {"X"};
          if (rel) wtags.push_back("L");
          for (size_t k = 0; k < n; ++k) {
            int w = write(st, addr[k], &nv[k], sized(nv[k].v, bytes, false), wtags, in.pos, bytes);
            // The expected values are compared, not stored: pick dependencies only.
            for (size_t j = 0; j < n; ++j) {
              edges_to(st, "pick-data", expect[j].t.pick, w);
              edges_to(st, "pick-data", expect[j].t.dep, w);
            }
            pair(st, r[k], w, true, false);
            // The comparison with the reads decides the writes: a pick dependency, carried on by forwarding.
            for (size_t j = 0; j < n; ++j) link(st, "pick-data", r[j], w);
          }
          for (size_t k = 0; k < n; ++k) {
            if (variant == 0) {
              put(st, rs[k], old[k]);
            } else {
              RV kept = expect[k];
              kept.t.add_pick(cmp);
              put(st, rs[k], kept);
            }
          }
        } else {
          if (variant == 3) {
            // The old values written back flow from the reads; Rs only through the comparison (pick).
            for (size_t k = 0; k < n; ++k) {
              int w = write(st, addr[k], nullptr, old[k].v, {"X"}, in.pos, bytes);
              for (size_t j = 0; j < n; ++j) edges_to(st, "pick-data", expect[j].t.pick, w);
              pair(st, r[k], w, true, true);
              link(st, "data", r[k], w);
              link(st, "pick-data", r[k], w);
            }
          }
          for (size_t k = 0; k < n; ++k) put(st, rs[k], old[k]);
        }
        next(std::move(st));
      }
      return true;
    }
    return false;
  }

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

void prop_names(const litmus::PropPtr& p, std::set<std::string>& names) {
  if (!p) return;
  if (p->kind == litmus::Prop::Kind::Atom) {
    if (p->loc.thread < 0) names.insert(p->loc.name);
    if (p->value.is_addr) names.insert(p->value.addr);
  }
  prop_names(p->left, names);
  prop_names(p->right, names);
}

// Mixed-size mode: the declared locations laid out in bytes (events/mixed.hpp), then the threads.
Program lower_mixed(const hw::AsmTest& t, const BuildOptions& opts, const std::set<std::string>& names) {
  CodeMap map(t);
  for (const auto& e : t.test.init)
    if (!e.code.empty()) throw UserError(t.test.file, e.pos, "mixed-size mode: code values in the init block are unsupported");
  Program p;
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
    if (!seen.insert({e.thread, e.name}).second)
      throw UserError(t.test.file, e.pos, fmt::format("location {} is initialized more than once", e.name));
    if (e.thread < 0) continue;
    if (e.thread >= int(t.threads.size()))
      throw UserError(t.test.file, e.pos, fmt::format("thread {} does not exist", e.thread));
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
  for (const auto& l : t.test.locations)
    if (l.thread < 0) names.insert(l.name);
  prop_names(t.test.condition, names);
  prop_names(t.test.filter, names);
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
  std::set<std::pair<int, std::string>> seen;
  for (const auto& e : t.test.init) {
    if (!seen.insert({e.thread, e.name}).second)
      throw UserError(t.test.file, e.pos, fmt::format("location {} is initialized more than once", e.name));
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
      if (e.thread >= int(t.threads.size()))
        throw UserError(t.test.file, e.pos, fmt::format("thread {} does not exist", e.thread));
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
  return p;
}

}  // namespace paddock::events
