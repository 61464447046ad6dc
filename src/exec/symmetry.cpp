#include "exec/symmetry.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace paddock::exec {

using events::Event;
using events::Path;
using events::Program;
using events::Sym;
using events::Value;

namespace {

constexpr size_t kMaxGroup = 720;       // 6! : beyond, the orbit bookkeeping costs more than it saves
constexpr size_t kMaxNodes = 200000;    // search steps before giving up

// A parameter `int *x` of a thread is a register x holding &x: it names the location, and maps with it, not as
// a register (such registers are never displayed: mappable()).
bool is_parameter(const std::string& reg, const Sym& v, const Program& prog) {
  return v.kind == Sym::Kind::Const && v.value.kind == Value::Kind::Addr &&
         prog.locations[size_t(v.value.i)].name == reg;
}

// A path's registers at its end, parameters aside.
std::vector<const std::pair<const std::string, events::SymPtr>*> registers(const Path& p, const Program& prog) {
  std::vector<const std::pair<const std::string, events::SymPtr>*> out;
  for (const auto& r : p.regs)
    if (!r.second || !is_parameter(r.first, *r.second, prog)) out.push_back(&r);
  return out;
}

// A partial map of locations and of read numbers, both injective.
struct Binding {
  const Program* prog = nullptr;
  std::vector<int> loc, loc_inv, read, read_inv;

  static bool bind(std::vector<int>& f, std::vector<int>& inv, int a, int b) {
    if (a < 0 || b < 0 || size_t(a) >= f.size() || size_t(b) >= inv.size()) return false;
    if (f[size_t(a)] >= 0 || inv[size_t(b)] >= 0) return f[size_t(a)] == b && inv[size_t(b)] == a;
    f[size_t(a)] = b, inv[size_t(b)] = a;
    return true;
  }
  bool value(const Value& a, const Value& b) {
    if (a.kind != b.kind) return false;
    if (a.kind == Value::Kind::Addr) return bind(loc, loc_inv, int(a.i), int(b.i));
    return a.i == b.i;
  }
  bool sym(const Sym* a, const Sym* b) {
    if (!a || !b) return a == b;
    if (a == b && !mentions_names(*a)) return true;
    if (a->kind != b->kind || a->op != b->op) return false;
    switch (a->kind) {
      case Sym::Kind::Const:
        if (!value(a->value, b->value)) return false;
        break;
      case Sym::Kind::Read:
        if (!bind(read, read_inv, a->read, b->read)) return false;
        break;
      default: break;
    }
    return sym(a->a.get(), b->a.get()) && sym(a->b.get(), b->b.get()) && sym(a->c.get(), b->c.get());
  }
  // Whether a shared subterm still needs walking (it binds what it names).
  static bool mentions_names(const Sym& s) {
    if (s.kind == Sym::Kind::Read || (s.kind == Sym::Kind::Const && s.value.kind == Value::Kind::Addr)) return true;
    for (const Sym* c : {s.a.get(), s.b.get(), s.c.get()})
      if (c && mentions_names(*c)) return true;
    return false;
  }

  bool event(const Event& a, const Event& b) {
    if (a.sort != b.sort || a.tags != b.tags || a.rmw != b.rmw || a.op != b.op || a.stmt != b.stmt ||
        a.access != b.access || a.byte != b.byte || (a.read_id < 0) != (b.read_id < 0))
      return false;
    if (a.read_id >= 0 && !bind(read, read_inv, a.read_id, b.read_id)) return false;
    return sym(a.addr.get(), b.addr.get()) && sym(a.value.get(), b.value.get());
  }
  bool syms(const std::vector<events::SymPtr>& a, const std::vector<events::SymPtr>& b) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k)
      if (!sym(a[k].get(), b[k].get())) return false;
    return true;
  }
  bool path(const Path& a, const Path& b) {
    if (a.events.size() != b.events.size() || a.iico != b.iico || a.iico_data != b.iico_data ||
        a.iico_ctrl != b.iico_ctrl || a.rmw != b.rmw || a.addr != b.addr || a.data != b.data || a.ctrl != b.ctrl ||
        a.rels != b.rels || a.guards.size() != b.guards.size() ||
        !a.faults.empty() || !b.faults.empty() || a.loop_cut || b.loop_cut)
      return false;
    for (size_t k = 0; k < a.events.size(); ++k)
      if (!event(a.events[k], b.events[k])) return false;
    for (size_t k = 0; k < a.guards.size(); ++k)
      if (a.guards[k].truth != b.guards[k].truth || !sym(a.guards[k].cond.get(), b.guards[k].cond.get())) return false;
    auto ra = registers(a, *prog), rb = registers(b, *prog);
    if (ra.size() != rb.size()) return false;
    for (size_t k = 0; k < ra.size(); ++k)
      if (ra[k]->first != rb[k]->first || !sym(ra[k]->second.get(), rb[k]->second.get())) return false;
    return syms(a.computed, b.computed) && syms(a.checked, b.checked);
  }
  bool thread(const std::vector<Path>& a, const std::vector<Path>& b) {
    if (a.size() != b.size()) return false;
    for (size_t k = 0; k < a.size(); ++k)
      if (!path(a[k], b[k])) return false;
    return true;
  }
};

// What a thread's image must share with it, as a cheap first test.
std::string shape(const std::vector<Path>& paths, const Program& prog) {
  std::string s = std::to_string(paths.size());
  for (const Path& p : paths) {
    s += '|';
    for (const Event& e : p.events) {
      s += char('A' + int(e.sort));
      for (const auto& t : e.tags) s += t + ',';
      s += e.rmw ? '+' : '.';
    }
    s += std::to_string(p.guards.size());
    for (const auto* r : registers(p, prog)) s += r->first + ';';
  }
  return s;
}

struct Search {
  const Program& prog;
  std::vector<std::string> shapes;
  std::vector<int> perm;
  std::vector<char> used;
  std::vector<std::pair<std::vector<int>, Binding>> found;
  size_t nodes = 0;
  bool gave_up = false;

  void run(size_t t, const Binding& b) {
    if (gave_up) return;
    if (++nodes > kMaxNodes || found.size() > kMaxGroup) {
      gave_up = true;
      return;
    }
    size_t n = prog.threads.size();
    if (t == n) {
      found.emplace_back(perm, b);
      return;
    }
    for (size_t u = 0; u < n; ++u) {
      if (used[u] || shapes[u] != shapes[t]) continue;
      Binding nb = b;
      if (!nb.thread(prog.threads[t], prog.threads[u])) continue;
      perm[t] = int(u), used[u] = 1;
      run(t + 1, nb);
      used[u] = 0;
    }
  }
};

// Completes a location map (untouched locations stay) and checks initial values, types and register inits.
bool complete(const Program& prog, const std::vector<int>& perm, Binding& b) {
  size_t nl = prog.locations.size();
  for (auto& [key, v] : prog.reg_init) {
    auto it = prog.reg_init.find({perm[size_t(key.first)], key.second});
    if (it == prog.reg_init.end() || !b.value(v, it->second)) return false;
  }
  for (auto& [key, ty] : prog.reg_types) {
    auto it = prog.reg_types.find({perm[size_t(key.first)], key.second});
    if (it == prog.reg_types.end() || it->second != ty) return false;
  }
  // Initial values may name locations (pointers): bind through them until nothing changes.
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t l = 0; l < nl; ++l) {
      int m = b.loc[l];
      if (m < 0) continue;
      const events::Location &a = prog.locations[l], &c = prog.locations[size_t(m)];
      if (a.type != c.type || a.show_as_int != c.show_as_int) return false;
      if (a.init.kind == Value::Kind::Addr && b.loc[size_t(a.init.i)] < 0) changed = true;
      if (!b.value(a.init, c.init)) return false;
    }
  }
  for (size_t l = 0; l < nl; ++l)
    if (b.loc[l] < 0) {
      if (!Binding::bind(b.loc, b.loc_inv, int(l), int(l))) return false;
      const events::Location& a = prog.locations[l];
      if (!b.value(a.init, a.init)) return false;
    }
  for (size_t l = 0; l < nl; ++l) {  // a location bound last by identity must still agree with its init
    const events::Location &a = prog.locations[l], &c = prog.locations[size_t(b.loc[l])];
    if (a.type != c.type || a.show_as_int != c.show_as_int) return false;
    if (a.init.kind != c.init.kind) return false;
    if (a.init.kind == Value::Kind::Addr ? b.loc[size_t(a.init.i)] != int(c.init.i) : a.init.i != c.init.i) return false;
  }
  return true;
}

litmus::Location image(const litmus::Location& l, const Automorphism& g, const Program& prog) {
  litmus::Location m = l;
  if (l.thread >= 0) m.thread = g.thread[size_t(l.thread)];
  else m.name = prog.locations[size_t(g.loc[size_t(prog.location_index(l.name))])].name;
  return m;
}

// A canonical text of a proposition, atoms mapped by g: operands of /\ and \/ sorted.
std::string text(const litmus::Prop* p, const Automorphism* g, const Program& prog) {
  using K = litmus::Prop::Kind;
  if (!p) return "";
  auto loc = [&](const litmus::Location& l) {
    litmus::Location m = g ? image(l, *g, prog) : l;
    return std::to_string(m.thread) + ":" + m.name;
  };
  switch (p->kind) {
    case K::True: return "T";
    case K::False: return "F";
    case K::Not: return "!(" + text(p->left.get(), g, prog) + ")";
    case K::Implies: return "(" + text(p->left.get(), g, prog) + "=>" + text(p->right.get(), g, prog) + ")";
    case K::And:
    case K::Or: {
      std::vector<std::string> ops;
      std::vector<const litmus::Prop*> work{p};
      while (!work.empty()) {
        const litmus::Prop* q = work.back();
        work.pop_back();
        if (q->kind == p->kind) work.push_back(q->left.get()), work.push_back(q->right.get());
        else ops.push_back(text(q, g, prog));
      }
      std::sort(ops.begin(), ops.end());
      std::string s = p->kind == K::And ? "&(" : "|(";
      for (auto& o : ops) s += o + ",";
      return s + ")";
    }
    case K::Atom: {
      std::string s = loc(p->loc) + (p->negated_eq ? "!=" : "=");
      if (p->value.reg) return s + loc(*p->value.reg);
      if (p->value.is_addr) {
        int l = prog.location_index(p->value.addr);
        return s + "&" + (l < 0 ? p->value.addr : prog.locations[size_t(g ? g->loc[size_t(l)] : l)].name);
      }
      return s + std::to_string(p->value.value);
    }
  }
  return "?";
}

bool mappable(const litmus::Test& test, const Program& prog, const std::vector<litmus::Location>& displayed) {
  if (test.arch != "C" || prog.mixed || prog.code_or_faults || prog.asm_addresses || prog.threads.size() < 2)
    return false;
  for (const auto& l : displayed) {
    if (l.whole || !l.fault.empty() || (l.thread < 0 && prog.location_index(l.name) < 0)) return false;
    if (l.thread >= 0 && prog.location_index(l.name) >= 0) return false;  // perhaps a parameter
  }
  for (const auto& l : prog.locations)
    if (l.name.find('[') != std::string::npos) return false;
  std::vector<litmus::Location> fl;
  litmus::prop_locations(test.filter, fl);
  for (const auto& l : fl)
    if (!l.fault.empty() || (l.thread < 0 && prog.location_index(l.name) < 0)) return false;
  return true;
}

}  // namespace

std::vector<Automorphism> automorphisms(const litmus::Test& test, const Program& prog,
                                        const std::vector<litmus::Location>& displayed) {
  if (!mappable(test, prog, displayed)) return {};
  size_t n = prog.threads.size(), nl = prog.locations.size();
  Search s{prog, {}, std::vector<int>(n, -1), std::vector<char>(n, 0), {}, 0, false};
  for (const auto& paths : prog.threads) s.shapes.push_back(shape(paths, prog));
  if (std::set<std::string>(s.shapes.begin(), s.shapes.end()).size() == n) return {};  // no two threads alike
  Binding b;
  b.prog = &prog;
  b.loc.assign(nl, -1), b.loc_inv.assign(nl, -1);
  b.read.assign(size_t(prog.reads), -1), b.read_inv.assign(size_t(prog.reads), -1);
  s.run(0, b);
  if (s.gave_up) return {};
  std::vector<Automorphism> group;
  std::string filter = text(test.filter.get(), nullptr, prog);
  for (auto& [perm, bind] : s.found) {
    if (!complete(prog, perm, bind)) continue;
    Automorphism g{perm, bind.loc, {}};
    bool identity = true;
    for (size_t t = 0; t < n; ++t) identity = identity && perm[t] == int(t);
    for (size_t l = 0; l < nl; ++l) identity = identity && g.loc[l] == int(l);
    if (identity) continue;
    bool ok = text(test.filter.get(), &g, prog) == filter;
    for (size_t i = 0; ok && i < displayed.size(); ++i) {
      auto it = std::find(displayed.begin(), displayed.end(), image(displayed[i], g, prog));
      ok = it != displayed.end();
      if (ok) g.shown.push_back(int(it - displayed.begin()));
    }
    if (ok) group.push_back(std::move(g));
  }
  // Only a group makes one execution per orbit right (engine.cpp): check closure under composition.
  std::set<std::pair<std::vector<int>, std::vector<int>>> members;
  for (const auto& g : group) members.insert({g.thread, g.loc});
  for (const auto& g : group)
    for (const auto& h : group) {
      std::vector<int> t(n), l(nl);
      for (size_t k = 0; k < n; ++k) t[k] = g.thread[size_t(h.thread[k])];
      for (size_t k = 0; k < nl; ++k) l[k] = g.loc[size_t(h.loc[k])];
      bool id = true;
      for (size_t k = 0; k < n; ++k) id = id && t[k] == int(k);
      for (size_t k = 0; k < nl; ++k) id = id && l[k] == int(k);
      if (!id && !members.count({t, l})) return {};
    }
  return group;
}

}  // namespace paddock::exec
