#include "perf/xcheck.hpp"

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "driver/driver.hpp"

namespace paddock::perf {

SlicedRun slice_run(const ScenarioSpec& s, const VariantSpec& v, const Window& w, const std::string& name,
                    const std::map<std::string, std::string>& rename, const std::string& fragment) {
  SlicedRun out;
  Flags probe;
  v.set(probe);
  if (probe.mem == Mem::sb_x86) {
    out.skip = "MEM=sb_x86 is stronger than LKMM (locked operations drain the store buffer)";
    return out;
  }
  Options opt;
  if (s.max_states) opt.max_states = s.max_states;
  auto m = build_model(s, v);
  Result r = explore(*m, opt);
  out.failed = r.has(w.prop);
  std::vector<std::vector<std::string>> emitted;
  auto emit = [&](const Model& mm, const Finding& f, const std::string& origin) {
    ++out.traces;
    bool any = false;
    for (bool locks : {false, true}) {
      if (!w.locks.empty() && !locks) continue;  // a lock's argument: the test without the lock stands for nothing
      SliceOpts o;
      o.locks = locks;
      o.result = out.failed ? "Sometimes" : "Never";
      o.origin = origin;
      o.rename = rename;
      o.fragment = fragment;
      std::string base = name.empty() ? fmt::format("C-{}-{}-{}", s.name, v.name, prop_name(w.prop)) : name;
      // A scenario's further windows are named after their argument (the first keeps the short name).
      if (name.empty() && windows_of(s.name).at(0) != &w) base += '-';
      if (name.empty() && windows_of(s.name).at(0) != &w)
        for (char c : w.name) {
          if (std::isalnum(static_cast<unsigned char>(c))) base += c;
          else if (base.back() != '-') base += '-';
        }
      if (!base.empty() && base.back() == '-') base.pop_back();
      if (out.traces > 1) base += fmt::format("-{}", out.traces);
      o.name = base + (locks ? "-locks" : "");
      Slice sl = slice(mm, f.trace, w, o);
      if (sl.ok) out.slices.push_back(std::move(sl)), any = true;
      else out.problems.push_back(fmt::format("{}: {}", o.name, sl.why));
    }
    if (!any) --out.traces;
    out.trace_ok.push_back(any);
  };
  if (out.failed) {
    for (const Finding& f : r.findings)
      if (f.kind == w.prop) emit(*m, f, fmt::format("counterexample: {}", f.detail));
    return out;
  }
  // Critical windows. The barriers are what the fixed code's argument rests on, so look for executions that break
  // the property once they stop ordering anything (store buffers on, FENCES=off). Such a counterexample may owe its
  // failure to barriers outside the window; so slice it, and search again with only the barriers the slice keeps
  // disabled: what fails then fails for lack of exactly the window's barriers, and its slice must be Never.
  auto relaxed_model = [&](const std::vector<std::string>& at) {
    VariantSpec rv = v;
    rv.set = [set = v.set, at](Flags& f) {
      set(f);
      f.fences_off = true;
      f.fences_off_at = at;
      if (f.mem == Mem::sc) f.mem = Mem::sb_lkmm;
    };
    return build_model(s, rv);
  };
  // Every barrier set found this way is also tried with each of its barriers left on: a failure that remains
  // rests on a smaller window (e.g. the repair's store-buffering race once the IPI's message passing is intact), and
  // is sliced as a window of its own.
  if (!w.locks.empty()) {
    // A lock's argument: the same code with the window's locks excluding nobody (recorded, never held). What fails
    // then fails for lack of the mutual exclusion; its slice with the lock operations must be Never.
    VariantSpec rv = v;
    rv.set = [set = v.set, locks = w.locks](Flags& f) {
      set(f);
      f.locks_off = locks;
      f.mem = Mem::sc;  // what fails then fails for lack of mutual exclusion alone (no store buffer, no barrier)
      f.pin_tasks = true;  // and not through a migration (the other window's argument)
    };
    auto mm = build_model(s, rv);
    Result r1 = explore(*mm, opt);
    for (const Finding& f : r1.findings) {
      if (f.kind != w.prop) continue;
      SliceOpts po;
      po.locks = true;
      Slice probe = slice(*mm, f.trace, w, po);
      if (!probe.ok) out.notes.push_back(fmt::format("a LOCKS=off counterexample could not be sliced ({})", probe.why));
      else if (probe.lock_procs < 2)
        out.notes.push_back("a LOCKS=off counterexample whose window does not take the lock on both sides");
      else
        emit(*mm, f, fmt::format("critical window: a {} counterexample with {} excluding nobody; the property holds "
                                 "with it", prop_name(w.prop), fmt::join(w.locks, ", ")));
    }
    return out;
  }
  auto all_off = relaxed_model({});
  Result r1 = explore(*all_off, opt);
  std::vector<std::vector<std::string>> todo, tried;
  for (const Finding& f : r1.findings) {
    if (f.kind != w.prop) continue;
    Slice probe = slice(*all_off, f.trace, w, SliceOpts{});
    if (!probe.ok) {
      out.notes.push_back(fmt::format("a FENCES=off counterexample could not be sliced ({})", probe.why));
      continue;
    }
    if (probe.fences.empty()) {
      out.notes.push_back("a FENCES=off counterexample keeps no barrier in its window (the failure is not the window's)");
      continue;
    }
    todo.push_back(probe.fences);
  }
  while (!todo.empty() && tried.size() < 16) {
    std::vector<std::string> fences = todo.front();
    todo.erase(todo.begin());
    std::sort(fences.begin(), fences.end());
    if (std::find(tried.begin(), tried.end(), fences) != tried.end()) continue;
    tried.push_back(fences);
    auto mm = relaxed_model(fences);
    Result r2 = explore(*mm, opt);
    const Finding* g = r2.first(w.prop);
    if (!g) {
      if (out.traces == 0)
        out.notes.push_back(fmt::format("disabling only {} breaks nothing: that counterexample needed barriers "
                                        "outside the window", fmt::join(fences, ", ")));
      continue;
    }
    Slice probe = slice(*mm, g->trace, w, SliceOpts{});
    std::vector<std::string> kept = probe.fences;
    std::sort(kept.begin(), kept.end());
    // A trace whose window keeps barriers that are on is not this set's failure: it is left to that smaller set.
    bool own = probe.ok && std::includes(fences.begin(), fences.end(), kept.begin(), kept.end()) && !kept.empty();
    if (!own) continue;
    if (std::find(emitted.begin(), emitted.end(), kept) == emitted.end()) {
      emitted.push_back(kept);
      emit(*mm, *g, fmt::format("critical window: a {} counterexample with only the barriers of {} disabled; the "
                                "property holds with them", prop_name(w.prop), fmt::join(kept, ", ")));
    }
    if (kept.size() > 1)
      for (size_t i = 0; i < kept.size(); ++i) {
        std::vector<std::string> sub = kept;
        sub.erase(sub.begin() + long(i));
        todo.push_back(sub);
      }
  }
  return out;
}

std::vector<const Window*> windows_for(const ScenarioSpec& s, const VariantSpec& v) {
  Flags f;
  v.set(f);
  std::vector<const Window*> r;
  for (const Window* w : windows_of(s.name))
    if (!w->applies || w->applies(f)) r.push_back(w);
  return r;
}

std::string lkmm_observation(const std::string& text, const std::string& file) {
  static std::unique_ptr<Session> session = std::make_unique<Session>(Config{});
  TestOutcome t = session->run_text(text, file);
  if (!t.error.empty()) throw std::runtime_error(t.error);
  size_t p = t.report.find("\nObservation ");
  if (p == std::string::npos) throw std::runtime_error(file + ": no Observation line in the LKMM report");
  size_t e = t.report.find('\n', p + 1);
  std::string line = t.report.substr(p + 1, e - p - 1);  // Observation NAME KIND POS NEG
  size_t a = line.find(' ', 12), b = line.find(' ', a + 1);
  return line.substr(a + 1, b - a - 1);
}

int cross_check(const std::string& scenario, std::string& out) {
  if (scenario == "all") {
    // Every scenario that declares a critical window (= has a memory-ordering property), so a new window is
    // cross-checked without a new CTest.
    int rc = 0;
    std::vector<std::string> done;
    for (const Window& w : windows()) {
      if (std::find(done.begin(), done.end(), w.scenario) != done.end()) continue;
      done.push_back(w.scenario);
      rc = std::max(rc, cross_check(w.scenario, out));
    }
    return rc;
  }
  const ScenarioSpec* s = find_scenario(scenario);
  if (!s) {
    out += fmt::format("paddock perf: unknown scenario {} (see --list)\n", scenario);
    return 2;
  }
  std::vector<const Window*> ws = windows_of(scenario);
  if (ws.empty()) {
    out += fmt::format("paddock perf: {} declares no critical window (scenarios with one:", scenario);
    for (const Window& x : windows()) out += " " + x.scenario;
    out += ")\n";
    return 2;
  }
  std::string wl;
  for (const Window* w : ws) wl += fmt::format("{}{} ({})", wl.empty() ? "" : "; ", w->name, prop_name(w->prop));
  out += fmt::format("== perf --cross-check {} (windows: {}): operational store-buffer model vs LKMM\n", scenario, wl);
  int traces = 0, tests = 0, disagree = 0, skipped = 0;
  std::vector<std::string> notes;
  for (const VariantSpec& v : s->variants) {
    std::vector<SlicedRun> runs;
    for (const Window* w : windows_for(*s, v)) runs.push_back(slice_run(*s, v, *w));
    if (runs.empty()) {
      out += fmt::format("   {:<24} skipped: no window applies to this configuration\n", v.name);
      ++skipped;
      continue;
    }
    if (!runs[0].skip.empty()) {
      out += fmt::format("   {:<24} skipped: {}\n", v.name, runs[0].skip);
      ++skipped;
      continue;
    }
    // A counterexample must be sliced by some window (each tries every one); a critical window's slice must work.
    std::vector<std::string> problems;
    int vt = 0;
    for (size_t i = 0; i < runs.size(); ++i) {
      const SlicedRun& r = runs[i];
      if (!r.failed) {
        vt += r.traces;
        for (const std::string& p : r.problems) problems.push_back(p);
        continue;
      }
      if (i) continue;
      for (size_t k = 0; k < r.trace_ok.size(); ++k) {
        bool ok = false;
        for (const SlicedRun& q : runs) ok |= k < q.trace_ok.size() && q.trace_ok[k];
        if (ok) ++vt;
        else
          for (const SlicedRun& q : runs)
            for (const std::string& p : q.problems) problems.push_back(fmt::format("counterexample {}: {}", k + 1, p));
      }
    }
    const bool failed = runs[0].failed;
    const std::string want = failed ? "Sometimes" : "Never";
    out += fmt::format("   {:<24} operational: {:<5} -> sliced tests must be {}; {} trace(s) sliced\n", v.name,
                       failed ? "FAIL" : "PASS", want, vt);
    traces += vt;
    for (const SlicedRun& r : runs)
      for (const std::string& n : r.notes) out += fmt::format("      note: {}\n", n);
    for (const std::string& p : problems) {
      out += fmt::format("      DISAGREEMENT (unsliceable): {}\n", p);
      notes.push_back(fmt::format("{} {}: {}", scenario, v.name, p));
      ++disagree;
    }
    for (const SlicedRun& r : runs)
      for (const Slice& sl : r.slices) {
        std::string got = lkmm_observation(sl.text, sl.name + ".litmus");
        bool ok = failed ? got != "Never" : got == "Never";
        ++tests;
        out += fmt::format("      {:<40} LKMM: {:<9} {}\n", sl.name, got, ok ? "agrees" : "DISAGREES");
        if (!ok) {
          ++disagree;
          notes.push_back(fmt::format("{} {}: {} is {} under LKMM, the operational model says {}:\n{}", scenario,
                                      v.name, sl.name, got, want, sl.text));
        }
      }
  }
  out += fmt::format("   {} trace(s) sliced into {} test(s), {} variant(s) skipped; {}\n", traces, tests, skipped,
                     disagree ? fmt::format("{} DISAGREEMENT(S)", disagree) : std::string("no disagreement"));
  for (const std::string& n : notes) out += "   finding: " + n + "\n";
  return disagree ? 1 : 0;
}

}  // namespace paddock::perf
