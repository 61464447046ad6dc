#include "perf/report.hpp"

#include <fmt/format.h>

namespace paddock::perf {

namespace {

std::string actor1(const Model& m, int v) {
  if (v & OWN_SB) return fmt::format("(release buffered in sb[{}])", v & 15);
  return v ? m.actors[v - 1].name.substr(0, m.actors[v - 1].name.find(':')) : "-";
}

std::string mask_actors(const Model& m, uint8_t mk) {
  std::string r;
  for (int a = 0; a < MAXACT; ++a)
    if (mk >> a & 1) r += (r.empty() ? "" : "+") + actor1(m, a + 1);
  return r.empty() ? "-" : r;
}

std::string est_name(uint8_t e) {
  static const char* n[] = {"none", "NEW", "INACTIVE", "EXITED", "FREED", "ERROR"};
  if (e >= E_ACT) return fmt::format("ACTIVE@{}", e - E_ACT);
  return n[e];
}

std::string memvar(int v) {
  if (v >= SB_REL) return fmt::format("release#{}", v - SB_REL);
  if (v < V_TCPU) return fmt::format("ctxp[T{}]", v - V_CTXP);
  if (v < V_CURR) return fmt::format("task_cpu[T{}]", v - V_TCPU);
  if (v < V_ONLINE) return fmt::format("curr[{}]", v - V_CURR);
  if (v < V_DS) return fmt::format("online[{}]", v - V_ONLINE);
  if (v < V_DSAREA) return fmt::format("ds[{}]", v - V_DS);
  return fmt::format("DS_AREA[{}]", v - V_DSAREA);
}

std::string memval(int v, int x) {
  if (v < V_TCPU) return x ? fmt::format("ctx(T{})", x - 1) : "NULL";
  if (v >= V_CURR && v < V_ONLINE) return x ? fmt::format("T{}", x - 1) : "idle";
  if (v >= V_DS) return x ? fmt::format("#{}", x) : (v < V_DSAREA ? "NULL" : "0");
  return fmt::format("{}", x);
}

const char* mode_str(int md) { return md == M_W ? "W" : md == M_R ? "R" : "RR"; }

std::string json_str(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    if (c == '\n') {
      o += "\\n";
      continue;
    }
    o += c;
  }
  return o + "\"";
}

}  // namespace

std::string state_diff(const Model& m, const State& a, const State& b) {
  std::vector<std::string> d;
  auto num = [&](const std::string& n, int x, int y) {
    if (x != y) d.push_back(fmt::format("{}: {}->{}", n, x, y));
  };
  for (int v = 0; v < NMEM; ++v)
    if (a.mem[v] != b.mem[v]) d.push_back(fmt::format("{}: {}->{}", memvar(v), memval(v, a.mem[v]), memval(v, b.mem[v])));
  for (int c = 0; c < m.ncpu; ++c) {
    bool sbch = a.sbn[c] != b.sbn[c];
    for (int i = 0; i < SBD; ++i) sbch |= a.sbvar[c][i] != b.sbvar[c][i] || a.sbval[c][i] != b.sbval[c][i];
    if (sbch) {
      std::string q;
      for (int i = 0; i < b.sbn[c]; ++i) q += fmt::format("{}{}={}", i ? ", " : "", memvar(b.sbvar[c][i]), memval(b.sbvar[c][i], b.sbval[c][i]));
      d.push_back(fmt::format("sb[{}]: [{}]", c, q));
    }
    if (a.irqs[c] != b.irqs[c])
      d.push_back(b.irqs[c] ? fmt::format("irqs_off[{}] by {}", c, actor1(m, b.irqs[c])) : fmt::format("irqs_on[{}]", c));
    if (a.ipi[c] != b.ipi[c])
      d.push_back(b.ipi[c] ? fmt::format("IPI to CPU{} queued by {}", c, actor1(m, b.ipi[c])) : fmt::format("IPI to CPU{} done", c));
    num(fmt::format("active[{}]", c), a.active[c], b.active[c]);
    num(fmt::format("perf_online[{}]", c), a.perf_online[c], b.perf_online[c]);
    if (a.task_ctx[c] != b.task_ctx[c])
      d.push_back(fmt::format("task_ctx[{}]: {}->{}", c, a.task_ctx[c] ? m.ctx_name(a.task_ctx[c] - 1) : "NULL",
                              b.task_ctx[c] ? m.ctx_name(b.task_ctx[c] - 1) : "NULL"));
    num(fmt::format("cpu_pinned[{}]", c), a.cpu_pinned[c], b.cpu_pinned[c]);
    for (int k = 0; k < NSLOT; ++k) num(fmt::format("tsk_pinned[{}][{}]", c, k), a.tsk_pinned[c][k], b.tsk_pinned[c][k]);
  }
  for (size_t l = 0; l < m.locks.size(); ++l) {
    const LockSt &x = a.lk[l], &y = b.lk[l];
    if (std::memcmp(&x, &y, sizeof x) == 0) continue;
    std::string st = y.owner & OWN_SB ? "released (buffered in sb[" + std::to_string(y.owner & 15) + "])"
                     : y.owner      ? "held by " + actor1(m, y.owner)
                                    : "free";
    if (y.pend) st += ", writer pending " + actor1(m, y.pend);
    if (y.rd) st += ", readers " + mask_actors(m, uint8_t(y.rd | y.rd2));
    d.push_back(fmt::format("{}: {}", m.locks[l].name, st));
  }
  static const char* rn[] = {"RUNNING", "RUNNABLE", "BLOCKED", "DEAD"};
  for (int t = 0; t < m.ntask; ++t) {
    if (a.run[t] != b.run[t]) d.push_back(fmt::format("T{}: {}->{}", t, rn[a.run[t]], rn[b.run[t]]));
    num(fmt::format("exiting[T{}]", t), a.exiting[t], b.exiting[t]);
  }
  for (int k = 0; k < MAXCTX; ++k) {
    if (a.ctask[k] != b.ctask[k] && b.ctask[k] == CT_TOMB) d.push_back(fmt::format("{}.task: TOMBSTONE", m.ctx_name(k)));
    if (a.cev[k] != b.cev[k]) {
      std::string l;
      for (size_t i = 0; i < m.ev.size(); ++i)
        if (b.cev[k] >> i & 1) l += (l.empty() ? "" : ",") + m.ev[i].name;
      d.push_back(fmt::format("{}.events: {{{}}}", m.ctx_name(k), l));
    }
    num(m.ctx_name(k) + ".online", a.conline[k], b.conline[k]);
  }
  for (size_t i = 0; i < m.ev.size(); ++i)
    if (a.est[i] != b.est[i]) d.push_back(fmt::format("{}: {}->{}", m.ev[i].name, est_name(a.est[i]), est_name(b.est[i])));
  num("pmus_published", a.published, b.published);
  num("pmc_refcount", a.pmc_ref, b.pmc_ref);
  num("lbr_exclusive", a.lbr_excl, b.lbr_excl);
  num("pebs_enabled", a.pebs_en, b.pebs_en);
  num("pebs_buf", a.pebs_buf, b.pebs_buf);
  num("ds_alive", a.ds_alive, b.ds_alive);
  num("bp_list", a.bp_list, b.bp_list);
  std::string r;
  for (auto& x : d) r += (r.empty() ? "" : "; ") + x;
  return r;
}

std::string render_trace(const Model& m, const Trace& t, int loop_at, const std::string& ind) {
  std::string out;
  State s = m.init;
  for (size_t i = 0; i < t.size(); ++i) {
    if (int(i) == loop_at) out += ind + "   -- cycle starts here; the steps below repeat forever --\n";
    const Step* st = step_at(m, s, t[i].actor, t[i].step);
    if (!st) {
      out += ind + "   (trace replay diverged)\n";
      break;
    }
    State n = s;
    apply_step(m, n, t[i].actor, *st, nullptr);
    std::string d = state_diff(m, s, n);
    out += fmt::format("{}{:>3}. {:<28} {:<52}{}\n", ind, i + 1, m.actors[t[i].actor].name.substr(0, 28), st->label,
                       d.empty() ? "" : "  " + d);
    s = n;
  }
  return out;
}

bool matches(const Result& r, const Expect& e) {
  if (e.pass) return !r.failed();
  for (Prop k : e.kinds)
    if (!r.has(k)) return false;
  return r.failed();
}

std::string render_text(const Model& m, const Result& r, const Expect* e, bool full) {
  std::string o;
  const auto& st = r.st;
  o += fmt::format("== perf {} --variant {}\n", m.scenario, m.variant);
  o += fmt::format("   {}\n", flags_string(m.f));
  o += fmt::format("   explored {} states, {} transitions, depth {}, {} terminal, {} reduced (reduction {}), {:.1f} bytes/state "
                   "({}), {:.3f} s{}\n",
                   st.states, st.transitions, st.max_depth, st.terminal, st.reduced, reduction_name(st.red),
                   st.states ? double(st.visited_bytes) / double(st.states) : 0.0,
                   st.exact_states ? fmt::format("exact, {}-byte images", st.state_bytes) : std::string("fingerprints"),
                   st.secs, st.truncated ? "  [TRUNCATED]" : "");
  std::string kinds;
  for (auto& f : r.findings)
    if (kinds.find(prop_name(f.kind)) == std::string::npos) kinds += (kinds.empty() ? "" : ", ") + std::string(prop_name(f.kind));
  o += fmt::format("   verdict: {}{}\n", r.failed() ? "FAIL (" + kinds + ")" : "PASS (every property holds)",
                   st.truncated ? " (bounded: state cap reached)" : "");
  if (e) {
    std::string ek;
    for (Prop k : e->kinds) ek += (ek.empty() ? "" : ", ") + std::string(prop_name(k));
    o += fmt::format("   expected: {}{} -> {}\n", e->pass ? "PASS" : "FAIL (" + ek + ")", e->note.empty() ? "" : "  [" + e->note + "]",
                     matches(r, *e) ? "as expected" : "UNEXPECTED");
  }
  int n = 0;
  for (auto& f : r.findings) {
    o += fmt::format("\n   finding {}: {}: {}{}\n", ++n, prop_name(f.kind), f.detail, f.count > 1 ? fmt::format(" (hit {} times)", f.count) : "");
    if (f.kind == Prop::LD_CYCLE && !full) {
      o += "     (edge witnesses below; --trace prints their traces)\n";
      continue;
    }
    o += fmt::format("     trace ({} steps):\n", f.trace.size());
    o += render_trace(m, f.trace, f.loop_at, "     ");
  }
  for (auto& f : r.infos)
    o += fmt::format("\n   info: {}: {}{}\n", prop_name(f.kind), f.detail, f.count > 1 ? fmt::format(" (seen {} times)", f.count) : "");
  if (!r.ld_cycles.empty()) {
    o += fmt::format("\n   lockdep: {} lock-order cycle(s) over all explored executions\n", r.ld_cycles.size());
    int k = 0;
    for (auto& c : r.ld_cycles) {
      o += fmt::format("   cycle {} ({} locks){}\n", ++k, c.edges.size(), c.needs_writer.empty() ? "" : " -- " + c.needs_writer);
      int j = 0;
      for (int ei : c.edges) {
        const LdEdge& e = r.ld_edges[ei];
        std::string held;
        for (auto& [l, hm] : e.w.held)
          held += fmt::format("{}{}{}", held.empty() ? "" : ", ", m.locks[l].name, (hm & 15) ? "/1" : "");
        std::string modes;
        for (int b = 0; b < 9; ++b)
          if (e.modes >> b & 1) modes += fmt::format("{}{}->{}", modes.empty() ? "" : ",", mode_str(b / 3), mode_str(b % 3));
        o += fmt::format("     #{} {} -> {} [{}]: {} at {}{}, held [{}]\n", j++, r.ld_nodes[e.from], r.ld_nodes[e.to], modes,
                         m.actors[e.w.actor].name, m.steps[e.w.step]->label, e.w.attempt ? " (blocked attempt)" : "", held);
        if (full) o += render_trace(m, e.w.trace, -1, "         ");
      }
    }
  }
  if (full) {
    size_t hit = 0;
    for (auto c : r.coverage) hit += c > 0;
    o += fmt::format("\n   step coverage: {} of {} steps executed; never executed:\n", hit, r.coverage.size());
    for (size_t i = 0; i < r.coverage.size(); ++i)
      if (!r.coverage[i]) o += fmt::format("     {}\n", m.steps[i]->label);
  }
  return o;
}

std::string render_json(const Model& m, const Result& r, const Expect* e) {
  const auto& st = r.st;
  std::string o = "{";
  o += fmt::format("\"scenario\":{},\"variant\":{},\"flags\":{},", json_str(m.scenario), json_str(m.variant), json_str(flags_string(m.f)));
  o += fmt::format("\"states\":{},\"transitions\":{},\"depth\":{},\"terminal\":{},\"reduced\":{},\"reduction\":\"{}\",\"seconds\":{:.4f},\"truncated\":{},",
                   st.states, st.transitions, st.max_depth, st.terminal, st.reduced, reduction_name(st.red), st.secs,
                   st.truncated);
  o += fmt::format("\"verdict\":{},", json_str(r.failed() ? "FAIL" : "PASS"));
  if (e) o += fmt::format("\"as_expected\":{},", matches(r, *e));
  auto trace_json = [&](const Trace& t) {
    std::string s = "[";
    for (size_t i = 0; i < t.size(); ++i)
      s += fmt::format("{}{{\"actor\":{},\"step\":{}}}", i ? "," : "", json_str(m.actors[t[i].actor].name), json_str(m.steps[t[i].step]->label));
    return s + "]";
  };
  o += "\"findings\":[";
  for (size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    o += fmt::format("{}{{\"kind\":{},\"detail\":{},\"count\":{},\"loop_at\":{},\"trace\":{}}}", i ? "," : "", json_str(prop_name(f.kind)),
                     json_str(f.detail), f.count, f.loop_at, trace_json(f.trace));
  }
  o += "],\"infos\":[";
  for (size_t i = 0; i < r.infos.size(); ++i)
    o += fmt::format("{}{{\"kind\":{},\"detail\":{}}}", i ? "," : "", json_str(prop_name(r.infos[i].kind)), json_str(r.infos[i].detail));
  o += "],\"lockdep\":{\"edges\":[";
  for (size_t i = 0; i < r.ld_edges.size(); ++i) {
    const LdEdge& ed = r.ld_edges[i];
    std::string held = "[";
    for (size_t j = 0; j < ed.w.held.size(); ++j) held += (j ? "," : "") + json_str(m.locks[ed.w.held[j].first].name);
    o += fmt::format("{}{{\"from\":{},\"to\":{},\"modes\":{},\"actor\":{},\"step\":{},\"held\":{}],\"attempt\":{},\"trace\":{}}}", i ? "," : "",
                     json_str(r.ld_nodes[ed.from]), json_str(r.ld_nodes[ed.to]), ed.modes, json_str(m.actors[ed.w.actor].name),
                     json_str(m.steps[ed.w.step]->label), held, ed.w.attempt, trace_json(ed.w.trace));
  }
  o += "],\"cycles\":[";
  for (size_t i = 0; i < r.ld_cycles.size(); ++i) {
    std::string es;
    for (size_t j = 0; j < r.ld_cycles[i].edges.size(); ++j) es += fmt::format("{}{}", j ? "," : "", r.ld_cycles[i].edges[j]);
    o += fmt::format("{}{{\"edges\":[{}],\"needs_writer\":{}}}", i ? "," : "", es, json_str(r.ld_cycles[i].needs_writer));
  }
  o += "]}}";
  return o;
}

}  // namespace paddock::perf
