// AArch64 addresses, memory events, loads, stores, exclusives and atomics (aarch64_thread.hpp).
#include "events/aarch64_thread.hpp"
#include "events/mixed.hpp"

namespace paddock::events::aarch64 {

std::optional<std::pair<int, int64_t>> Thread::addr_parts(const SymPtr& v) const {
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

SymPtr Thread::plus(const SymPtr& a, const SymPtr& b, bool minus) const {
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

SymPtr Thread::mixed_plus(const SymPtr& a, const SymPtr& b, bool minus) const {
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

RV Thread::address(const State& s, const Operand& o) const {
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

void Thread::writeback(State& s, const Instr& in, const Operand& m) const {
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

RV Thread::read(State& s, const RV& addr, const std::vector<std::string>& tags, Pos pos, int bytes) {
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

bool Thread::memory(State& s0, const Instr& in, std::vector<State>& todo) {
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

}  // namespace paddock::events::aarch64
