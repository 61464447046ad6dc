#include "smt/engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include "events/structure.hpp"
#include "exec/engine.hpp"
#include "rel/relation.hpp"
#include "smt/sym_eval.hpp"
#include "util/diag.hpp"

namespace paddock::smt {

using events::Event;
using events::Path;
using events::Program;
using events::Sort;
using events::Sym;
using events::Value;

namespace {

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

// PADDOCK_SMT_STATS=1: one line per structure and query on stderr (sizes and times).
bool stats_on() {
  static bool on = std::getenv("PADDOCK_SMT_STATS") != nullptr;
  return on;
}

// One Z3 context per thread, created on first use (about 8 ms) and reused by every test.
z3::context& shared_context() {
  thread_local z3::context ctx;
  return ctx;
}

void collect(const litmus::PropPtr& p, std::vector<litmus::Location>& out) { litmus::prop_locations(p, out); }

// Values as 65-bit vectors, mirroring events::eval's int64 values exactly: an integer is its 64-bit two's
// complement in the low bits (C's and W-register arithmetic wraps to 32 bits and sign-extends, as there; X86_64's
// and X-register operators keep 64), the address of location l is 2^64 + l. `known` is false for undetermined
// (thin-air) values and for operations herd cannot evaluate (arithmetic on addresses), as in events::eval.
constexpr unsigned W = 65;
struct SVal {
  z3::expr known;
  z3::expr val;
};

using GEvent = events::StructEvent;

class Structure {
 public:
  Structure(const litmus::Test& test, const Program& prog, const cat::Model& model, z3::context& ctx,
            const std::vector<const Path*>& paths, const std::vector<int>& observed)
      : test_(test), prog_(prog), model_(model), ctx_(ctx), terms_(ctx), paths_(paths), observed_(observed) {}

  // Builds everything. Returns false when the structure has no execution for a static reason.
  bool build(bool with_model) {
    structure_ = events::make_structure(prog_, paths_);
    ev_ = structure_.events;
    n_ = ev_.size();
    for (size_t g = 0; g < n_; ++g) {
      if (ev_[g].ev == nullptr || ev_[g].ev->sort == Sort::W) writes_.push_back(int(g));
      if (ev_[g].ev && ev_[g].ev->sort == Sort::R) reads_.push_back(int(g));
    }
    for (int r : reads_) read_of_id_[ev_[size_t(r)].ev->read_id] = r;
    for (int r : reads_) {
      int id = ev_[size_t(r)].ev->read_id;
      known_.emplace(id, ctx_.bool_const(fmt::format("k{}", id).c_str()));
      value_.emplace(id, ctx_.bv_const(fmt::format("v{}", id).c_str(), W));
    }
    if (!addresses()) return false;
    rf();
    guards();
    final_writes();
    if (!with_model) return true;
    base_part();
    double t0 = cpu_seconds();
    SymOutcome o = evaluate_symbolic(model_, sb_, terms_);
    if (stats_on())
      fmt::print(stderr, "smt: {} events, {} reads, cat evaluated in {:.3f} s: {} terms, {} defs, {} checks, {} flags\n", n_,
                 reads_.size(), cpu_seconds() - t0, terms_.size(), o.defs.size(), o.checks.size(), o.flags.size());
    for (auto& d : o.defs) assertions_.push_back(d);
    for (auto& [name, t] : o.checks) assertions_.push_back(terms_.ex(t));
    flags_ = std::move(o.flags);
    return true;
  }

  void assert_into(z3::solver& s) {
    for (auto& a : assertions_) s.add(a);
    if (test_.filter) s.add(terms_.ex(holds(*test_.filter)));
  }

  T proposition() { return test_.condition ? holds(*test_.condition) : T1; }
  const std::vector<std::pair<std::string, T>>& flags() const { return flags_; }
  Terms& terms() { return terms_; }

  exec::State witness(const z3::model& m, const std::vector<litmus::Location>& displayed) {
    exec::State st;
    for (const auto& l : displayed) {
      SVal v = lookup(l);
      st.push_back(decode(m, v));
    }
    return st;
  }

 private:
  // ------------------------------------------------------------ values
  z3::expr num(int64_t v) { return z3::zext(ctx_.bv_val(uint64_t(v), 64), 1); }
  z3::expr addr(int64_t l) { return z3::concat(ctx_.bv_val(1, 1), ctx_.bv_val(uint64_t(l), 64)); }
  z3::expr encode(const Value& v) {
    // Code values (labels, instructions) are opaque like addresses, numbered past every location.
    if (v.kind == Value::Kind::Code) return addr((int64_t(1) << 40) + v.i);
    return v.kind == Value::Kind::Addr ? addr(v.i) : v.kind == Value::Kind::Int ? num(v.i) : num(0);
  }
  SVal constant(const Value& v) { return {ctx_.bool_val(v.kind != Value::Kind::Unknown), encode(v)}; }
  z3::expr is_addr(const z3::expr& x) { return x.extract(64, 64) == ctx_.bv_val(1, 1); }
  z3::expr lo(const z3::expr& x) { return x.extract(63, 0); }             // the 64-bit integer
  z3::expr widen(const z3::expr& x64) { return z3::zext(x64, 1); }        // a 64-bit integer as a value
  z3::expr wrap(const z3::expr& x64) { return z3::sext(x64.extract(31, 0), 32); }  // events::eval's wrap
  // events::bit_reverse: RBIT of 32/64 bits, REV16/REV32/REV64 of the bytes of each 2/4/8-byte group.
  z3::expr bit_reverse(const std::string& op, const z3::expr& x) {
    if (op == "rbit32" || op == "rbit64") {
      int w = op == "rbit32" ? 32 : 64;
      z3::expr r = x.extract(0, 0);
      for (int i = 1; i < w; ++i) r = z3::concat(r, x.extract(unsigned(i), unsigned(i)));
      return w == 64 ? r : z3::zext(r, 32);
    }
    unsigned group = op == "rev16" ? 2 : op == "rev32" ? 4 : 8;
    std::vector<int> from(8);
    for (int b = 0; b < 8; ++b) {
      int base = b / int(group) * int(group);
      from[size_t(base + (int(group) - 1 - (b - base)))] = b;  // byte `to` comes from byte `b`
    }
    z3::expr r = x.extract(unsigned(8 * from[7] + 7), unsigned(8 * from[7]));
    for (int to = 6; to >= 0; --to) r = z3::concat(r, x.extract(unsigned(8 * from[size_t(to)] + 7), unsigned(8 * from[size_t(to)])));
    return r;
  }
  z3::expr c64(int64_t v) { return ctx_.bv_val(uint64_t(v), 64); }
  z3::expr truthy(const z3::expr& x) { return x != ctx_.bv_val(0, W); }
  z3::expr b2v(const z3::expr& b) { return z3::ite(b, num(1), num(0)); }

  static bool has_read(const Sym& s) {
    switch (s.kind) {
      case Sym::Kind::Const: return false;
      case Sym::Kind::Read: return true;
      default: return (s.a && has_read(*s.a)) || (s.b && has_read(*s.b)) || (s.c && has_read(*s.c));
    }
  }

  SVal compile(const Sym& s) {
    auto it = memo_.find(&s);
    if (it != memo_.end()) return it->second;
    SVal r = compile_(s);
    memo_.emplace(&s, r);
    return r;
  }

  SVal compile_(const Sym& s) {
    if (!has_read(s)) {
      try {
        return constant(events::eval(s, {}));
      } catch (const std::domain_error&) {
        return constant(Value::unknown());
      }
    }
    switch (s.kind) {
      case Sym::Kind::Const:
        return constant(s.value);
      case Sym::Kind::Read: {
        auto k = known_.find(s.read);
        if (k == known_.end()) return constant(Value::unknown());  // lock reads: no value, as in exec
        return {k->second, value_.at(s.read)};
      }
      case Sym::Kind::Cond: {
        SVal c = compile(*s.a), a = compile(*s.b), b = compile(*s.c);
        z3::expr t = truthy(c.val);
        return {c.known && z3::ite(t, a.known, b.known), z3::ite(t, a.val, b.val)};
      }
      case Sym::Kind::Unary: {
        SVal a = compile(*s.a);
        if (s.op == "!") return {a.known, z3::ite(is_addr(a.val), num(0), b2v(a.val == num(0)))};
        // X86_64's view of a register as herd's int (a pointer keeps its name).
        if (s.op == "sext32") return {a.known, z3::ite(is_addr(a.val), a.val, widen(wrap(lo(a.val))))};
        if (s.op == "zext32") return {a.known, z3::ite(is_addr(a.val), a.val, widen(z3::zext(lo(a.val).extract(31, 0), 32)))};
        if (s.op == "zext64") return a;
        if (s.op.rfind("mask", 0) == 0) return {a.known && !is_addr(a.val), a.val};  // events::eval refuses an address
        z3::expr k = a.known && !is_addr(a.val);
        if (s.op == "-") return {k, widen(wrap(-lo(a.val)))};
        if (s.op == "~") return {k, widen(wrap(~lo(a.val)))};
        if (s.op == "~q") return {k, widen(~lo(a.val))};
        if (s.op == "zext16" || s.op == "zext8" || s.op == "sext16" || s.op == "sext8") {
          unsigned bits = s.op.back() == '8' ? 8 : 16;
          z3::expr low = lo(a.val).extract(bits - 1, 0);
          return {k, widen(s.op[0] == 'z' ? z3::zext(low, 64 - bits) : z3::sext(low, 64 - bits))};
        }
        if (s.op.rfind("rbit", 0) == 0 || s.op.rfind("rev", 0) == 0) return {k, widen(bit_reverse(s.op, lo(a.val)))};
        return {ctx_.bool_val(false), num(0)};
      }
      case Sym::Kind::Binary: {
        SVal a = compile(*s.a), b = compile(*s.b);
        const std::string& op = s.op;
        z3::expr k = a.known && b.known;
        if (op == "==") return {k, b2v(a.val == b.val)};
        if (op == "!=") return {k, b2v(a.val != b.val)};
        if (op == "&&") return {k, b2v(truthy(a.val) && truthy(b.val))};
        if (op == "||") return {k, b2v(truthy(a.val) || truthy(b.val))};
        z3::expr ints = k && !is_addr(a.val) && !is_addr(b.val);
        z3::expr x = lo(a.val), y = lo(b.val), zero = c64(0);
        // As events::eval: the only arithmetic on an address is adding or subtracting 0 (`[X5,W4,SXTW]` with
        // W4 = W2 EOR W2, `p + (r & 0)`), which leaves the address.
        if (op == "+" || op == "+q") {
          z3::expr a_off = is_addr(a.val) && !is_addr(b.val) && y == zero;
          z3::expr b_off = is_addr(b.val) && !is_addr(a.val) && x == zero;
          z3::expr sum = op == "+" ? wrap(x + y) : x + y;
          return {(ints || a_off || b_off) && k, z3::ite(a_off, a.val, z3::ite(b_off, b.val, widen(sum)))};
        }
        if (op == "-" || op == "-q") {
          z3::expr a_off = is_addr(a.val) && !is_addr(b.val) && y == zero;
          z3::expr diff = op == "-" ? wrap(x - y) : x - y;
          return {(ints || a_off) && k, z3::ite(a_off, a.val, widen(diff))};
        }
        // 64-bit operators (X86_64's `q` forms, AArch64's X registers).
        if (op == "*q") return {ints, widen(x * y)};
        if (op == "<<q") return {ints, widen(z3::shl(x, y & c64(63)))};
        if (op == ">>q") return {ints, widen(z3::lshr(x, y & c64(63)))};
        if (op == ">>aq") return {ints, widen(z3::ashr(x, y & c64(63)))};
        // Unsigned comparisons (AArch64's carry flag) on the 64-bit patterns.
        if (op == "<u") return {ints, b2v(z3::ult(x, y))};
        if (op == ">=u") return {ints, b2v(z3::uge(x, y))};
        if (op == "*") return {ints, widen(wrap(x * y))};
        if (op == "/" || op == "%") {
          // int64 division as in events::eval, with its INT32_MIN / -1 rule.
          z3::expr special = x == c64(INT32_MIN) && y == c64(-1);
          z3::expr q = op == "/" ? z3::to_expr(ctx_, Z3_mk_bvsdiv(ctx_, x, y)) : z3::srem(x, y);
          return {ints && y != zero, widen(z3::ite(special, op == "/" ? x : zero, q))};
        }
        if (op == "&") return {ints, widen(x & y)};
        if (op == "|") return {ints, widen(x | y)};
        // An address EOR itself is 0 (AArch64's fake dependency `EOR X4,X3,X3` on a loaded pointer).
        if (op == "^") return {ints || (k && a.val == b.val), z3::ite(a.val == b.val, num(0), widen(x ^ y))};
        if (op == "<<") return {ints, widen(wrap(z3::shl(z3::zext(x.extract(31, 0), 32), y & c64(31))))};
        if (op == ">>") return {ints, widen(wrap(z3::ashr(x, y & c64(31))))};
        if (op == "<") return {ints, b2v(z3::slt(x, y))};
        if (op == ">") return {ints, b2v(z3::sgt(x, y))};
        if (op == "<=") return {ints, b2v(z3::sle(x, y))};
        if (op == ">=") return {ints, b2v(z3::sge(x, y))};
        return {ctx_.bool_val(false), num(0)};
      }
    }
    return {ctx_.bool_val(false), num(0)};
  }

  Value decode(const z3::model& m, const SVal& v) {
    z3::expr k = m.eval(v.known, true);
    if (!k.is_true()) return Value::unknown();
    z3::expr x = m.eval(v.val, true);
    uint64_t low = x.extract(63, 0).simplify().get_numeral_uint64();
    if (x.extract(64, 64).simplify().get_numeral_uint64()) return Value::addr(int64_t(low));
    return Value::num(int64_t(low));
  }

  // Reads of other reads' values inside a symbolic value.
  static void reads_in(const Sym& s, std::set<int>& out) {
    if (s.kind == Sym::Kind::Read) out.insert(s.read);
    if (s.a) reads_in(*s.a, out);
    if (s.b) reads_in(*s.b, out);
    if (s.c) reads_in(*s.c, out);
  }

  T B(const z3::expr& e) { return terms_.intern(e.simplify()); }

  // ------------------------------------------------------------ addresses, loc, rf
  bool addresses() {
    addr_.resize(n_);
    const_loc_.assign(n_, -2);  // -2: computed, -1: none (fence)
    for (size_t g = 0; g < n_; ++g) {
      const GEvent& e = ev_[g];
      if (!e.ev) {
        const_loc_[g] = e.init_loc;
        addr_[g] = constant(Value::addr(e.init_loc));
        continue;
      }
      if (e.ev->sort == Sort::F) {
        const_loc_[g] = -1;
        continue;
      }
      SVal a = compile(*e.ev->addr);
      addr_[g] = a;
      if (!has_read(*e.ev->addr)) {
        Value v = events::eval(*e.ev->addr, {});
        if (v.kind != Value::Kind::Addr) return false;  // NULL or unknown address: no execution
        const_loc_[g] = int(v.i);
      } else {
        assertions_.push_back(a.known && is_addr(a.val));
      }
    }
    loc_.assign(n_ * n_, F0);
    for (size_t a = 0; a < n_; ++a)
      for (size_t b = 0; b < n_; ++b) {
        if (const_loc_[a] == -1 || const_loc_[b] == -1) continue;
        if (const_loc_[a] >= 0 && const_loc_[b] >= 0) loc_[a * n_ + b] = const_loc_[a] == const_loc_[b] ? T1 : F0;
        else if (a == b) loc_[a * n_ + b] = T1;
        else loc_[a * n_ + b] = B(addr_[a]->val == addr_[b]->val);
      }
    return true;
  }
  T loc(size_t a, size_t b) const { return loc_[a * n_ + b]; }

  SVal write_value(int w) {
    const GEvent& g = ev_[size_t(w)];
    return g.ev ? compile(*g.ev->value) : constant(prog_.locations[size_t(g.init_loc)].init);
  }

  void rf() {
    rf_.assign(n_ * n_, F0);
    // Dependencies between reads through may-sources, for the thin-air ranks.
    std::map<int, std::set<int>> deps;  // read id -> read ids its value may depend on
    std::map<int, std::vector<int>> sources;
    for (int r : reads_) {
      int id = ev_[size_t(r)].ev->read_id;
      for (int w : writes_)
        if (loc(size_t(w), size_t(r)) != F0) {
          sources[r].push_back(w);
          if (ev_[size_t(w)].ev) reads_in(*ev_[size_t(w)].ev->value, deps[id]);
        }
    }
    // Reads on a dependency cycle (Tarjan over read ids).
    std::set<int> cyclic;
    {
      std::map<int, int> index, low;
      std::set<int> on;
      std::vector<int> stack;
      int counter = 0;
      std::function<void(int)> strong = [&](int v) {
        index[v] = low[v] = counter++;
        stack.push_back(v);
        on.insert(v);
        for (int w : deps[v]) {
          if (!known_.count(w)) continue;
          if (!index.count(w)) {
            strong(w);
            low[v] = std::min(low[v], low[w]);
          } else if (on.count(w)) low[v] = std::min(low[v], index[w]);
        }
        if (low[v] == index[v]) {
          std::vector<int> comp;
          while (true) {
            int w = stack.back();
            stack.pop_back();
            on.erase(w);
            comp.push_back(w);
            if (w == v) break;
          }
          if (comp.size() > 1 || deps[v].count(v))
            for (int x : comp) cyclic.insert(x);
        }
      };
      for (auto& [id, _] : known_)
        if (!index.count(id)) strong(id);
    }
    std::map<int, z3::expr> rank;
    for (int id : cyclic) rank.emplace(id, ctx_.int_const(fmt::format("rank{}", id).c_str()));

    for (int r : reads_) {
      int id = ev_[size_t(r)].ev->read_id;
      const z3::expr& k = known_.at(id);
      const z3::expr& v = value_.at(id);
      std::vector<T> choices;
      for (int w : sources[r]) {
        T c = sources[r].size() == 1 ? T1 : terms_.fresh(fmt::format("rf_{}_{}", w, r));
        rf_[size_t(w) * n_ + size_t(r)] = c;
        choices.push_back(c);
        SVal wv = write_value(w);
        z3::expr body = terms_.ex(loc(size_t(w), size_t(r))) && (k == wv.known) && z3::implies(wv.known, v == wv.val);
        if (cyclic.count(id) && ev_[size_t(w)].ev) {
          std::set<int> ds;
          reads_in(*ev_[size_t(w)].ev->value, ds);
          for (int d : ds)
            if (cyclic.count(d)) body = body && z3::implies(k, rank.at(d) < rank.at(id));
        }
        assertions_.push_back(z3::implies(terms_.ex(c), body));
      }
      // Exactly one source.
      std::vector<T> any = choices;
      assertions_.push_back(terms_.ex(terms_.orN(any)));
      for (size_t a = 0; a < choices.size(); ++a)
        for (size_t b = a + 1; b < choices.size(); ++b)
          assertions_.push_back(!(terms_.ex(choices[a]) && terms_.ex(choices[b])));
    }
  }

  void guards() {
    for (const Path* p : paths_)
      for (const auto& gd : p->guards) {
        SVal c = compile(*gd.cond);
        z3::expr t = truthy(c.val);
        assertions_.push_back(c.known && (gd.truth ? t : !t));
      }
  }

  // The final write of every observed location, chosen among its init write and plain writes.
  void final_writes() {
    fw_.assign(n_, F0);
    for (int L : observed_) {
      std::vector<T> cs;
      std::vector<int> ws;
      for (int w : writes_) {
        T same = const_loc_[size_t(w)] >= 0 ? (const_loc_[size_t(w)] == L ? T1 : F0) : B(addr_[size_t(w)]->val == addr(L));
        if (same == F0) continue;
        T c = terms_.fresh(fmt::format("fw_{}_{}", L, w));
        assertions_.push_back(z3::implies(terms_.ex(c), terms_.ex(same)));
        cs.push_back(c);
        ws.push_back(w);
      }
      std::vector<T> any = cs;
      assertions_.push_back(terms_.ex(terms_.orN(any)));
      for (size_t a = 0; a < cs.size(); ++a)
        for (size_t b = a + 1; b < cs.size(); ++b) assertions_.push_back(!(terms_.ex(cs[a]) && terms_.ex(cs[b])));
      // Final value: the chosen write's.
      std::optional<SVal> fv;
      for (size_t k = ws.size(); k-- > 0;) {
        SVal wv = write_value(ws[k]);
        if (!fv) fv = wv;
        else fv = SVal{z3::ite(terms_.ex(cs[k]), wv.known, fv->known), z3::ite(terms_.ex(cs[k]), wv.val, fv->val)};
        fw_[size_t(ws[k])] = terms_.or2(fw_[size_t(ws[k])], cs[k]);
      }
      // Shown (and compared) as herd's int, as the explicit engine does: X86_64's sub-64-bit locations.
      if (fv && prog_.locations[size_t(L)].show_as_int)
        fv->val = z3::ite(is_addr(fv->val), fv->val, widen(wrap(lo(fv->val))));
      final_.emplace(L, fv ? *fv : constant(Value::unknown()));
    }
  }

  // ------------------------------------------------------------ the candidate handed to the cat
  void base_part() {
    Alg alg(terms_, n_);
    sb_.n = n_;
    // Program-only sets and relations are constants of the encoding.
    for (const auto& [name, es] : structure_.sets) {
      SSet v = alg.empty_set();
      es.for_each([&](size_t g) { v.v[g] = T1; });
      sb_.sets[name] = std::move(v);
    }
    for (const auto& [name, r] : structure_.rels) {
      SRel v = alg.empty_rel();
      r.for_each([&](size_t i, size_t j) { v.at(i, j) = T1; });
      sb_.rels[name] = std::move(v);
    }
    sb_.rels["rf"] = SRel{n_, rf_};
    sb_.rels["loc"] = SRel{n_, loc_};
    sb_.sets["FW"] = SSet{fw_};
    // Event values for different-values (as the explicit engine: unknowns are all equal, events
    // without a value count as 0).
    ev_val_.clear();
    for (size_t g = 0; g < n_; ++g) {
      const GEvent& e = ev_[g];
      if (!e.ev || e.ev->sort == Sort::W) ev_val_.push_back(write_value(int(g)));
      else if (e.ev->sort == Sort::R) ev_val_.push_back(SVal{known_.at(e.ev->read_id), value_.at(e.ev->read_id)});
      else ev_val_.push_back(constant(Value::num(0)));
    }
    sb_.same_value = [this](size_t i, size_t j) -> T {
      if (i == j) return T1;
      const SVal &a = ev_val_[i], &b = ev_val_[j];
      return B((a.known && b.known && a.val == b.val) || (!a.known && !b.known));
    };
  }

  // ------------------------------------------------------------ the condition
  // A final value at the location's declared type, as the explicit engine's lookup.
  SVal lookup(const litmus::Location& l) {
    SVal v = raw_lookup(l);
    if (prog_.default_type.empty()) return v;
    std::string type = prog_.type_of(l.thread, l.name);
    int bits = litmus::type_bits(type);
    if (bits == 0 || bits == 64) return v;
    z3::expr low = lo(v.val).extract(unsigned(bits - 1), 0);
    z3::expr x = litmus::type_unsigned(type) ? z3::zext(low, unsigned(64 - bits)) : z3::sext(low, unsigned(64 - bits));
    return SVal{v.known, z3::ite(is_addr(v.val), v.val, widen(x))};
  }

  int64_t expected(const litmus::Prop& p) const {
    if (prog_.default_type.empty()) return p.value.value;
    return events::at_type(Value::num(p.value.value), prog_.type_of(p.loc.thread, p.loc.name)).i;
  }

  SVal raw_lookup(const litmus::Location& l) {
    if (l.thread >= 0) {
      if (size_t(l.thread) >= paths_.size()) return constant(Value::num(0));
      const auto& regs = paths_[size_t(l.thread)]->regs;
      auto it = regs.find(l.name);
      if (it == regs.end()) {
        auto ri = prog_.reg_init.find({l.thread, l.name});
        return constant(ri == prog_.reg_init.end() ? Value::num(0) : ri->second);
      }
      return compile(*it->second);
    }
    int loc = prog_.location_index(l.name);
    auto it = final_.find(loc);
    return it == final_.end() ? constant(Value::unknown()) : it->second;
  }

  T holds(const litmus::Prop& p) {
    using K = litmus::Prop::Kind;
    switch (p.kind) {
      case K::True: return T1;
      case K::False: return F0;
      case K::Not: return terms_.not1(holds(*p.left));
      case K::And: return terms_.and2(holds(*p.left), holds(*p.right));
      case K::Or: return terms_.or2(holds(*p.left), holds(*p.right));
      case K::Implies: return terms_.implies(holds(*p.left), holds(*p.right));
      case K::Atom: {
        SVal v = lookup(p.loc);
        if (p.value.reg) {
          SVal w = lookup(*p.value.reg);
          T same = B(v.known && w.known && v.val == w.val);
          return p.negated_eq ? terms_.not1(same) : same;
        }
        z3::expr target = p.value.is_addr ? addr(prog_.location_index(p.value.addr)) : num(expected(p));
        if (p.value.is_addr && prog_.location_index(p.value.addr) < 0) return p.negated_eq ? T1 : F0;
        T eq = B(v.known && v.val == target);
        return p.negated_eq ? terms_.not1(eq) : eq;
      }
    }
    return F0;
  }

  const litmus::Test& test_;
  const Program& prog_;
  const cat::Model& model_;
  z3::context& ctx_;
  Terms terms_;
  std::vector<const Path*> paths_;
  std::vector<int> observed_;
  events::Structure structure_;
  std::vector<GEvent> ev_;
  size_t n_ = 0;
  std::vector<int> reads_, writes_, const_loc_;
  std::map<int, int> read_of_id_;
  std::map<int, z3::expr> known_, value_;
  std::map<const Sym*, SVal> memo_;
  std::vector<std::optional<SVal>> addr_;
  std::vector<T> loc_, rf_, fw_;
  std::map<int, SVal> final_;
  std::vector<SVal> ev_val_;
  std::vector<z3::expr> assertions_;
  std::vector<std::pair<std::string, T>> flags_;
  SymBase sb_;
};

std::vector<int> observed_locations(const litmus::Test& test, const Program& prog,
                                    const std::vector<litmus::Location>& displayed) {
  std::vector<int> obs;
  for (const auto& l : displayed)
    if (l.thread < 0) obs.push_back(prog.location_index(l.name));
  std::vector<litmus::Location> fl;
  collect(test.filter, fl);
  for (const auto& l : fl)
    if (l.thread < 0) obs.push_back(prog.location_index(l.name));
  obs.erase(std::remove(obs.begin(), obs.end(), -1), obs.end());
  std::sort(obs.begin(), obs.end());
  obs.erase(std::unique(obs.begin(), obs.end()), obs.end());
  return obs;
}

// Calls f on every combination of paths (one per thread); stops when f returns true.
bool each_structure(const Program& prog, const std::function<bool(const std::vector<const Path*>&)>& f) {
  for (const auto& paths : prog.threads)
    if (paths.empty()) return false;
  std::vector<size_t> choice(prog.threads.size(), 0);
  while (true) {
    std::vector<const Path*> ps;
    for (size_t t = 0; t < choice.size(); ++t) ps.push_back(&prog.threads[t][choice[t]]);
    if (f(ps)) return true;
    size_t t = 0;
    for (; t < choice.size(); ++t) {
      if (++choice[t] < prog.threads[t].size()) break;
      choice[t] = 0;
    }
    if (t == choice.size()) return false;
  }
}

void set_timeout(z3::solver& s, z3::context& ctx, double start, double timeout) {
  if (timeout <= 0) return;
  double left = timeout - (cpu_seconds() - start);
  if (left <= 0) throw Timeout("timeout");
  z3::params p(ctx);
  p.set("timeout", unsigned(left * 1000) + 1);
  s.set(p);
}

z3::check_result checked(z3::solver& s, const litmus::Test& test, double timeout) {
  double t0 = cpu_seconds();
  z3::check_result r = s.check();
  if (stats_on()) fmt::print(stderr, "smt: check {} in {:.3f} s\n", r == z3::sat ? "sat" : r == z3::unsat ? "unsat" : "unknown", cpu_seconds() - t0);
  if (r == z3::unknown) throw Timeout(fmt::format("{}: timeout after {:.0f} s (z3: {})", test.name, timeout, s.reason_unknown()));
  return r;
}

}  // namespace

exec::Result speedcheck(const litmus::Test& test, const Program& prog, const cat::Model& model, const Options& opts) {
  exec::Result res;
  res.displayed = exec::displayed_locations(test);
  for (const auto& l : res.displayed) res.displayed_types.push_back(prog.type_of(l.thread, l.name));
  double t0 = cpu_seconds();
  z3::context& ctx = shared_context();
  std::vector<int> observed = observed_locations(test, prog, res.displayed);
  bool forall = test.condition && test.quantifier == litmus::Quantifier::Forall;
  std::set<std::string> flags_seen;
  bool found = false;
  each_structure(prog, [&](const std::vector<const Path*>& paths) {
    bool cut = false;
    for (auto* p : paths) cut = cut || p->loop_cut;
    if (cut) {
      if (res.loop) return false;
      Structure st(test, prog, model, ctx, paths, observed);
      if (!st.build(false)) return false;
      z3::solver s(ctx);
      set_timeout(s, ctx, t0, opts.timeout_seconds);
      st.assert_into(s);
      if (checked(s, test, opts.timeout_seconds) == z3::sat) {
        res.loop = true;
        for (auto* p : paths)
          if (p->loop_cut) {
            res.loop_at = p->cut_at;
            break;
          }
      }
      return false;
    }
    Structure st(test, prog, model, ctx, paths, observed);
    if (!st.build(true)) return false;
    z3::solver s(ctx);
    set_timeout(s, ctx, t0, opts.timeout_seconds);
    st.assert_into(s);
    T p = st.proposition();
    T goal = forall ? st.terms().not1(p) : p;
    s.add(st.terms().ex(goal));
    if (!found) {
      if (checked(s, test, opts.timeout_seconds) == z3::sat) {
        found = true;
        z3::model m = s.get_model();
        res.states.insert(st.witness(m, res.displayed));
        (forall ? res.negative : res.positive) = 1;
        for (auto& [name, t] : st.flags())
          if (m.eval(st.terms().ex(t), true).is_true()) flags_seen.insert(name);
        if (opts.mode == Speedcheck::Fast) return true;
      } else {
        return false;  // no execution here at all: no flag either
      }
    }
    for (auto& [name, t] : st.flags()) {
      if (flags_seen.count(name)) continue;
      s.push();
      s.add(st.terms().ex(t));
      set_timeout(s, ctx, t0, opts.timeout_seconds);
      if (checked(s, test, opts.timeout_seconds) == z3::sat) flags_seen.insert(name);
      s.pop();
    }
    return false;
  });
  res.flags = flags_seen;
  res.seconds = cpu_seconds() - t0;
  return res;
}

bool exists_execution(const litmus::Test& test, const Program& prog, const cat::Model& model, bool goal_holds,
                      double timeout_seconds) {
  z3::context& ctx = shared_context();
  double t0 = cpu_seconds();
  std::vector<int> observed = observed_locations(test, prog, exec::displayed_locations(test));
  return each_structure(prog, [&](const std::vector<const Path*>& paths) {
    for (auto* p : paths)
      if (p->loop_cut) return false;
    Structure st(test, prog, model, ctx, paths, observed);
    if (!st.build(true)) return false;
    z3::solver s(ctx);
    set_timeout(s, ctx, t0, timeout_seconds);
    st.assert_into(s);
    T p = st.proposition();
    s.add(st.terms().ex(goal_holds ? p : st.terms().not1(p)));
    return checked(s, test, timeout_seconds) == z3::sat;
  });
}

}  // namespace paddock::smt
