#include "perf/slicer.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace paddock::perf {

const std::vector<Window>& windows() {
  static const std::vector<Window> w = [] {
    std::vector<Window> v;
    // Seed 001: find_get_context publishes ctxp (O3), the installer then reads task_cpu (N1 / P1); the migrating
    // CPU stores task_cpu and hands the task over under rq->lock; the destination's switch takes it (acquire),
    // and its sched-in reads ctxp (W4). The installer's window ends at its last task_cpu load (the one its
    // decision rests on: N6 after the fallback, or the IPI handler's check in the pre-001 protocol).
    const int x = V_CTXP + 0, y = V_TCPU + 0, z = LOC_ONRQ + 0;
    v.push_back({"S1-B", "install vs migration vs sched-in", Prop::I1, {x, y, z},
                 {{"A_open(T0)", {{{AccK::W, x}, {AccK::R, y}}}, true},
                  {"migrate(T0)", {{{AccK::W, y}, {AccK::W, z}}}},
                  {"sched(", {{{AccK::R, z}, {AccK::R, x}}}}}});
    // Seed 000 EXTRA: reserve_ds_buffers stores ds[1] (E1) and tests online[1] (E4's IPI send), whose handler on
    // CPU1 reads ds[1] back for DS_AREA (a continuation of the caller, as the model runs it); the AP of CPU1 reads
    // ds[1] (U4, before it is online; or after set_cpu_online in the repair) and sets online[1] (U5).
    // The handler is its own process: the reserver's part ends at its IPI's queueing (csd[1]) or, when the CPU
    // was offline and no IPI was sent, at the online test.
    // AP=cpu0 (Flags::ds_ap_low): the same argument about CPU0, whose IPI comes before the reserver's local call.
    for (int c : {1, 0}) {
      const int ds = V_DS + c, on = V_ONLINE + c, csd = LOC_CSD + c;
      v.push_back({"S0-B", c ? "DS reserve vs the AP" : "DS reserve vs the AP, CPU0", Prop::D2, {ds, on, csd},
                   {{"A1:", {{{AccK::W, ds}, {AccK::W, csd}}, {{AccK::W, ds}, {AccK::R, on}}}, true},
                    {"A2:", {{{AccK::R, ds}, {AccK::W, on}}, {{AccK::W, on}, {AccK::R, ds}}}},
                    {fmt::format("ipi(cpu{})", c), {{{AccK::R, csd}, {AccK::R, ds}}}, false, true}},
                   true, {}, [c](const Flags& f) { return f.ds_ap_low == (c == 0); }});
    }
    // Seed 001, the fallback: perf_install_in_context() found the task not current and, under ctx->lock, tests
    // task_curr() once more (N6) and adds the event inactive (N7); the context switch publishes rq->curr (W2) and
    // its sched-in reads the event list under ctx->lock (W4). ctx->lock serializes the two: the argument is the
    // lock's, so the window is searched with ctx->lock excluding nobody, and keeps no barrier. One window per CPU
    // the task can be switched in on: the installer's task_curr() must read that CPU's rq->curr.
    for (int c : {1, 2}) {
      const int cu = V_CURR + c, ev = LOC_EVL + 0;
      Role inst{"A_open(T0)", {{{AccK::R, cu, "N6."}, {AccK::W, ev, "N7."}}}};
      Role sch{fmt::format("sched(cpu{})", c),
               {{{AccK::W, cu, "W2."}, {AccK::R, ev, "W4."}},
                {{AccK::R, ev, "W4."}, {AccK::W, cu, "W2."}}}};  // CURR=late: curr after sched-in
      v.push_back({"S1-B", fmt::format("install fallback vs sched-in on CPU{}", c), Prop::I1, {cu, ev}, {inst, sch},
                   false, {"ctx(T0).lock"}});
    }
    return v;
  }();
  return w;
}

const Window* find_window(const std::string& scenario) {
  for (const Window& w : windows())
    if (w.scenario == scenario) return &w;
  return nullptr;
}

std::vector<const Window*> windows_of(const std::string& scenario) {
  std::vector<const Window*> r;
  for (const Window& w : windows())
    if (w.scenario == scenario) r.push_back(&w);
  return r;
}

std::vector<MemAcc> record_trace(const Model& m, const Trace& tr, std::vector<State>* before) {
  MemLog log;
  State s = m.init;
  struct Guard {
    ~Guard() { g_memlog = nullptr; }
  } guard;
  for (size_t i = 0; i < tr.size(); ++i) {
    const Step* st = step_at(m, s, tr[i].actor, tr[i].step);
    if (!st) throw std::runtime_error(fmt::format("perf slicer: trace replay diverged at step {}", i + 1));
    if (before) before->push_back(s);
    log.tidx = int(i);
    log.label = st->label;
    g_memlog = &log;
    apply_step(m, s, tr[i].actor, *st, nullptr);
    g_memlog = nullptr;
  }
  if (before) before->push_back(s);
  return log.acc;
}

namespace {

bool is_loc(const Window& w, int loc) { return std::find(w.locs.begin(), w.locs.end(), loc) != w.locs.end(); }
bool sel_match(const Sel& s, const MemAcc& a) {
  return a.k == s.k && a.loc == s.loc && a.label.find(s.label) != std::string::npos;
}
bool is_lock(const MemAcc& a) { return a.k == AccK::LOCK || a.k == AccK::UNLOCK; }

std::string ident(std::string n) {
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  while (!n.empty() && n.back() == '_') n.pop_back();
  return n;
}

}  // namespace

Slice slice(const Model& m, const Trace& tr, const Window& w, const SliceOpts& o) {
  Slice out;
  std::vector<State> before;
  std::vector<MemAcc> acc = record_trace(m, tr, &before);
  if (w.split_ipi)
    for (MemAcc& a : acc)
      if (a.ipi >= 0) a.proc = PROC_IPI + a.ipi;
  // Processes present in the log.
  std::vector<int> procs;
  for (const MemAcc& a : acc)
    if (std::find(procs.begin(), procs.end(), a.proc) == procs.end()) procs.push_back(a.proc);

  auto lock_kept = [&](int L) {
    return w.locks.empty() || std::find(w.locks.begin(), w.locks.end(), m.locks[size_t(L)].name) != w.locks.end();
  };
  struct Part {
    int proc;
    std::vector<const MemAcc*> ops;
    int first_t, last_t;
  };
  std::vector<Part> parts;
  for (const Role& r : w.roles) {
    // The last window of this role in the trace: the latest first access with a matching last one after it.
    int best_i = -1, best_j = -1, best_p = -1;
    for (int p : procs) {
      if (proc_name(m, p).rfind(r.proc, 0) != 0) continue;
      std::vector<size_t> mine;
      for (size_t i = 0; i < acc.size(); ++i)
        if (acc[i].proc == p) mine.push_back(i);
      for (auto& [s0, s1] : r.windows)
        for (size_t a = 0; a < mine.size(); ++a) {
          if (!sel_match(s0, acc[mine[a]])) continue;
          int end = -1;
          for (size_t b = a; b < mine.size(); ++b)
            if (sel_match(s1, acc[mine[b]])) {
              end = int(mine[b]);
              if (!r.last_end) break;
            }
          if (end >= 0 && int(mine[a]) > best_i) best_i = int(mine[a]), best_j = end, best_p = p;
        }
    }
    if (best_i < 0 && r.optional) continue;
    if (best_i < 0) {
      out.why = fmt::format("no window of {} in the trace", r.proc);
      return out;
    }
    Part pt{best_p, {}, acc[best_i].tidx, acc[best_j].tidx};
    std::vector<int> held;  // locks taken in the window and not yet released
    std::vector<const MemAcc*> opening;  // acquisitions before the window of locks it releases or holds throughout
    auto taken_before = [&](int L) -> const MemAcc* {
      for (int k = best_i - 1; k >= 0; --k)
        if (acc[size_t(k)].proc == best_p && is_lock(acc[size_t(k)]) && acc[size_t(k)].loc == L)
          return acc[size_t(k)].k == AccK::LOCK ? &acc[size_t(k)] : nullptr;
      return nullptr;
    };
    std::vector<int> seen;  // locks with an operation in the window
    for (int i = best_i; i <= best_j; ++i) {
      const MemAcc& a = acc[size_t(i)];
      if (a.proc != best_p) continue;
      // A lock's window keeps no barrier: its claim is that the lock alone orders the accesses.
      if ((a.k == AccK::F && w.locks.empty()) || ((a.k == AccK::R || a.k == AccK::W) && is_loc(w, a.loc)))
        pt.ops.push_back(&a);
      else if (o.locks && is_lock(a) && lock_kept(a.loc)) {
        if (std::find(seen.begin(), seen.end(), a.loc) == seen.end()) seen.push_back(a.loc);
        if (a.k == AccK::LOCK) held.push_back(a.loc);
        else if (auto it = std::find(held.begin(), held.end(), a.loc); it != held.end()) held.erase(it);
        else if (const MemAcc* l = taken_before(a.loc)) opening.push_back(l);  // its acquisition opens the process
        pt.ops.push_back(&a);
      }
    }
    // Held throughout the window (taken before it, released after it): the window is its critical section. Only for
    // a window that names its locks (the others keep the locks they take or drop, as context).
    std::vector<int> across;
    if (o.locks && !w.locks.empty())
      for (const MemAcc& a : acc)
        if (a.proc == best_p && a.k == AccK::LOCK && lock_kept(a.loc) &&
            std::find(seen.begin(), seen.end(), a.loc) == seen.end() &&
            std::find(across.begin(), across.end(), a.loc) == across.end() && taken_before(a.loc) == &a) {
          across.push_back(a.loc);
          opening.push_back(&a);
          held.push_back(a.loc);
        }
    std::sort(opening.begin(), opening.end());  // log order = address order
    pt.ops.insert(pt.ops.begin(), opening.begin(), opening.end());
    // Taken in the window (or throughout it), released after it: the releases close the process, in trace order.
    std::vector<const MemAcc*> closing;
    for (int L : held)
      for (size_t k = size_t(best_j) + 1; k < acc.size(); ++k)
        if (acc[k].proc == best_p && acc[k].k == AccK::UNLOCK && acc[k].loc == L) {
          closing.push_back(&acc[k]);
          break;
        }
    std::sort(closing.begin(), closing.end());
    pt.ops.insert(pt.ops.end(), closing.begin(), closing.end());
    // Repeated loads of one location reading the same value fold into the last one: by read-read coherence the
    // earlier ones read that store or an older one, so the folded test allows at least the trace's outcome.
    for (size_t i = 0; i < pt.ops.size(); ++i) {
      const MemAcc* a = pt.ops[i];
      if (a->k != AccK::R) continue;
      for (size_t j = i + 1; j < pt.ops.size(); ++j) {
        const MemAcc* b = pt.ops[j];
        if (b->loc != a->loc || is_lock(*b) || b->k == AccK::F) continue;
        if (b->k == AccK::R && b->val == a->val) {
          pt.ops.erase(pt.ops.begin() + long(i));
          --i;
        }
        break;
      }
    }
    // Barriers count only between two kept accesses; a run of them is one barrier, smp_mb() unless all are
    // csd_lock's smp_wmb().
    {
      int lo = -1, hi = -1;
      for (size_t i = 0; i < pt.ops.size(); ++i)
        if (pt.ops[i]->k != AccK::F) hi = int(i), lo = lo < 0 ? int(i) : lo;
      for (int i = lo + 1; i < hi; ++i)
        if (pt.ops[size_t(i)]->k == AccK::F &&
            std::find(out.fences.begin(), out.fences.end(), pt.ops[size_t(i)]->label) == out.fences.end())
          out.fences.push_back(pt.ops[size_t(i)]->label);
    }
    std::vector<const MemAcc*> ops;
    for (const MemAcc* a : pt.ops) {
      if (a->k == AccK::F && ops.empty()) continue;
      if (a->k == AccK::F && ops.back()->k == AccK::F) {
        if (ops.back()->prim == Prim::csd_wmb) ops.back() = a;  // the run is as strong as its strongest barrier
        continue;
      }
      ops.push_back(a);
    }
    while (!ops.empty() && ops.back()->k == AccK::F) ops.pop_back();
    pt.ops = ops;
    parts.push_back(pt);
  }

  // Locations in order of first occurrence; initial values = memory before the earliest window start.
  int t0 = int(tr.size());
  for (const Part& p : parts) t0 = std::min(t0, p.first_t);
  std::vector<int> locs, locks;
  for (const Part& p : parts)
    for (const MemAcc* a : p.ops) {
      auto& v = is_lock(*a) ? locks : locs;
      if (a->k != AccK::F && std::find(v.begin(), v.end(), a->loc) == v.end()) v.push_back(a->loc);
    }
  auto init_of = [&](int loc) {
    if (loc >= LOC_EVL) return int(before[size_t(t0)].cev[loc - LOC_EVL]);
    if (loc >= LOC_ONRQ) {  // onrq, csd: counters of the log
      int n = 0;
      for (const MemAcc& a : acc)
        if (a.tidx < t0 && a.k == AccK::W && a.loc == loc) ++n;
      return n;
    }
    return int(before[size_t(t0)].mem[loc]);
  };
  auto lname = [&](int loc, bool lock) {
    std::string n = lock ? m.locks[size_t(loc)].name : loc_name(m, loc);
    auto it = o.rename.find(n);
    return it != o.rename.end() ? it->second : lock ? ident(n) : loc_ident(m, loc);
  };
  // Stores get 1, 2, ... per location in trace order.
  std::map<const MemAcc*, int> sval;
  std::map<int, int> nst;
  std::vector<const MemAcc*> all;
  for (const Part& p : parts)
    for (const MemAcc* a : p.ops) all.push_back(a);
  std::sort(all.begin(), all.end());  // log order = address order (one vector)
  for (const MemAcc* a : all)
    if (a->k == AccK::W) sval[a] = ++nst[a->loc];
  auto rval = [&](const MemAcc* a, std::string& err) {
    const MemAcc* src = nullptr;
    for (const MemAcc* s : all)
      if (s < a && s->k == AccK::W && s->loc == a->loc && s->val == a->val) src = s;
    if (src) return sval[src];
    if (a->val == init_of(a->loc)) return 0;
    err = fmt::format("{} reads {} = {}, written outside the slice", a->label, loc_name(m, a->loc), a->val);
    return -1;
  };

  // Header.
  std::string name = o.name.empty() ? fmt::format("C-{}-{}-{}", m.scenario, m.variant, prop_name(w.prop)) : o.name;
  std::string h = fmt::format("C {}\n\n(*\n * Result: {}\n *\n", name, o.result.empty() ? "?" : o.result);
  if (!o.fragment.empty()) h += fmt::format(" * paddock perf fragment {}, ", o.fragment);
  else h += " * ";
  h += fmt::format("sliced from scenario {}, variant {} ({}).\n", m.scenario, m.variant, flags_string(m.f));
  if (!o.origin.empty()) h += fmt::format(" * Trace: {} ({} steps), window of property {}.\n", o.origin, tr.size(), prop_name(w.prop));
  h += " *\n * Processes:\n";
  for (size_t i = 0; i < parts.size(); ++i)
    h += fmt::format(" *   P{} = {} on CPU{}, trace steps {}-{} ({} .. {})\n", i, proc_name(m, parts[i].proc),
                     parts[i].ops.empty() ? -1 : parts[i].ops.front()->cpu, parts[i].first_t + 1, parts[i].last_t + 1,
                     parts[i].ops.empty() ? "" : parts[i].ops.front()->label,
                     parts[i].ops.empty() ? "" : parts[i].ops.back()->label);
  h += " *\n * Variables (model values: initial -> stored, in litmus order):\n";
  for (int loc : locs) {
    std::string vs = fmt::format("{}", init_of(loc));
    for (const MemAcc* a : all)
      if (a->k == AccK::W && a->loc == loc) vs += fmt::format(" -> {}", a->val);
    h += fmt::format(" *   {} = {} ({})\n", lname(loc, false), loc_name(m, loc), vs);
  }
  for (int L : locks) h += fmt::format(" *   {} = {} (as spinlock_t)\n", lname(L, true), m.locks[size_t(L)].name);
  h += " *\n * Generated by `paddock perf --emit-litmus`; do not edit.\n *)\n\n";

  // Bodies.
  std::string body = "{\n}\n\n", ex;
  for (size_t i = 0; i < parts.size(); ++i) {
    const Part& p = parts[i];
    std::string params;
    for (int loc : locs)
      for (const MemAcc* a : p.ops)
        if (!is_lock(*a) && a->k != AccK::F && a->loc == loc) {
          params += (params.empty() ? "" : ", ") + fmt::format("int *{}", lname(loc, false));
          break;
        }
    for (int L : locks)
      for (const MemAcc* a : p.ops)
        if (is_lock(*a) && a->loc == L) {
          params += (params.empty() ? "" : ", ") + fmt::format("spinlock_t *{}", lname(L, true));
          break;
        }
    std::string decl, code;
    int nreg = 0;
    // A load the model branched on (MemAcc::ctrl) guards the accesses after it, up to the next lock operation:
    // `if (rN == v)` with the value the trace read, the path the trace took (and LKMM's control dependency).
    struct Open {
      size_t end;
      bool braces;
    };
    std::vector<Open> open;
    auto tabs = [&] { return std::string(open.size() + 1, '\t'); };
    auto close_to = [&](size_t keep) {
      while (open.size() > keep) {
        bool br = open.back().braces;
        open.pop_back();
        if (br) code += tabs() + "}\n";
      }
    };
    if (std::any_of(p.ops.begin(), p.ops.end(), [&](const MemAcc* a) { return is_lock(*a) && lock_kept(a->loc); }) &&
        !w.locks.empty())
      ++out.lock_procs;
    for (size_t k = 0; k < p.ops.size(); ++k) {
      const MemAcc* a = p.ops[k];
      if (is_lock(*a)) close_to(0);
      std::string x = a->k == AccK::F ? "" : lname(a->loc, is_lock(*a));
      switch (a->k) {
        case AccK::F: code += tabs() + (a->prim == Prim::csd_wmb ? "smp_wmb();\n" : "smp_mb();\n"); break;
        case AccK::LOCK: code += tabs() + fmt::format("spin_lock({});\n", x); break;
        case AccK::UNLOCK: code += tabs() + fmt::format("spin_unlock({});\n", x); break;
        case AccK::W:
          if (a->prim == Prim::store_release) code += tabs() + fmt::format("smp_store_release({}, {});\n", x, sval[a]);
          else code += tabs() + fmt::format("WRITE_ONCE(*{}, {});\n", x, sval[a]);
          break;
        case AccK::R: {
          std::string err;
          int v = rval(a, err);
          if (v < 0) {
            out.why = err;
            return out;
          }
          ++nreg;
          decl += fmt::format("\tint r{};\n", nreg);
          if (a->prim == Prim::load_acquire) code += tabs() + fmt::format("r{} = smp_load_acquire({});\n", nreg, x);
          else code += tabs() + fmt::format("r{} = READ_ONCE(*{});\n", nreg, x);
          ex += fmt::format("{}{}:r{}={}", ex.empty() ? "" : " /\\ ", i, nreg, v);
          if (a->ctrl) {
            size_t end = k;
            while (end + 1 < p.ops.size() && !is_lock(*p.ops[end + 1])) ++end;
            if (end > k) {
              code += tabs() + fmt::format("if (r{} == {}){}\n", nreg, v, end - k > 1 ? " {" : "");
              open.push_back({end, end - k > 1});
            }
          }
          break;
        }
      }
      while (!open.empty() && open.back().end == k) close_to(open.size() - 1);
    }
    close_to(0);
    body += fmt::format("{}P{}({})\n{{\n{}{}{}}}\n", i ? "\n" : "", i, params, decl, decl.empty() ? "" : "\n", code);
  }
  if (ex.empty()) {
    out.why = "the window has no loads";
    return out;
  }
  body += fmt::format("\nexists ({})\n", ex);
  out.ok = true;
  out.text = h + body;
  out.name = name;
  out.nproc = int(parts.size());
  return out;
}

std::string litmus_body(const std::string& text) {
  size_t p = text.find("\n{");
  return p == std::string::npos ? text : text.substr(p + 1);
}

std::string canonical_litmus(const std::string& text) {
  std::string b = litmus_body(text);
  // Tokenise into identifiers and everything else.
  std::vector<std::string> tok;
  for (size_t i = 0; i < b.size();) {
    if (std::isalpha(static_cast<unsigned char>(b[i])) || b[i] == '_') {
      size_t j = i;
      while (j < b.size() && (std::isalnum(static_cast<unsigned char>(b[j])) || b[j] == '_')) ++j;
      tok.push_back(b.substr(i, j - i));
      i = j;
    } else {
      tok.push_back(std::string(1, b[i]));
      ++i;
    }
  }
  auto is_reg = [](const std::string& t) {
    return t.size() > 1 && t[0] == 'r' && std::all_of(t.begin() + 1, t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  // Locations: the parameters of the process headers ("int *x", "spinlock_t *l"), by first occurrence.
  std::map<std::string, std::string> loc;
  for (size_t i = 0; i + 2 < tok.size(); ++i)
    if ((tok[i] == "int" || tok[i] == "spinlock_t") && tok[i + 1] == " " && tok[i + 2] == "*" && i + 3 < tok.size() &&
        !loc.count(tok[i + 3]))
      loc[tok[i + 3]] = fmt::format("L{}", loc.size());
  // Registers: per process (Pn in the code, n: in the condition), by first occurrence.
  std::map<std::string, std::map<std::string, std::string>> reg;
  std::string out, proc;
  bool in_cond = false;
  for (size_t i = 0; i < tok.size(); ++i) {
    const std::string& t = tok[i];
    if (t == "exists" || t == "forall" || t == "locations" || t == "filter") in_cond = true;
    if (!in_cond && t.size() > 1 && t[0] == 'P' && std::isdigit(static_cast<unsigned char>(t[1]))) proc = t.substr(1);
    std::string p = proc;
    if (in_cond && is_reg(t) && i >= 2 && tok[i - 1] == ":") p = tok[i - 2];
    if (is_reg(t)) {
      auto& r = reg[p];
      if (!r.count(t)) r[t] = fmt::format("R{}", r.size());
      out += r[t];
    } else if (loc.count(t)) {
      out += loc[t];
    } else {
      out += t;
    }
  }
  return out;
}

}  // namespace paddock::perf
