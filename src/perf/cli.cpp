#include "perf/cli.hpp"

#include <cstdio>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "perf/explorer.hpp"
#include "perf/litmus_emit.hpp"
#include "perf/report.hpp"
#include "perf/scenarios.hpp"
#include "perf/xcheck.hpp"

namespace paddock::perf {

static const char* USAGE =
    "usage: paddock perf --list\n"
    "       paddock perf SCENARIO [--variant V] [--json] [--trace] [--reduction none|ample|por] [--no-por]\n"
    "                    [--stop-first] [--max-states N (0: no bound)] [--validate] [--exact-states]\n"
    "       paddock perf --emit-litmus DIR                 (L1-L10, sliced from the model where it can)\n"
    "       paddock perf SCENARIO [--variant V] --emit-litmus DIR   (the tests sliced from that run)\n"
    "       paddock perf --cross-check SCENARIO|all        (sliced tests vs paddock's LKMM)\n"
    "Runs the executable perf/hotplug model over every interleaving. Without --variant all variants run.\n"
    "Exit status: 0 every property holds, 1 a property fails, 2 bad usage.\n";

static int usage(const std::string& msg) {
  std::fprintf(stderr, "paddock perf: %s\n%s", msg.c_str(), USAGE);
  return 2;
}

static void list() {
  std::string o = "scenarios (variants: expected verdict):\n";
  for (auto& s : scenarios()) {
    o += fmt::format("  {:<10} seed {:<4} {}\n", s.name, s.seed, s.title);
    for (auto& v : s.variants) {
      std::string k;
      for (Prop p : v.expect.kinds) k += (k.empty() ? "" : ", ") + std::string(prop_name(p));
      o += fmt::format("      --variant {:<22} {}{}\n", v.name, v.expect.pass ? "PASS" : "FAIL (" + k + ")",
                       v.expect.note.empty() ? "" : "  " + v.expect.note);
    }
  }
  std::fputs(o.c_str(), stdout);
}

int cli_main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage("missing scenario");
  std::string scen, variant, emit, xcheck;
  bool json = false, trace = false, do_list = false, cap_set = false;
  Options opt;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string& out) {
      if (i + 1 >= args.size()) return false;
      out = args[++i];
      return true;
    };
    if (a == "--list") do_list = true;
    else if (a == "--json") json = true;
    else if (a == "--trace") trace = true;
    else if (a == "--no-por") opt.red = Reduction::none;
    else if (a == "--validate") opt.validate = true;
    else if (a == "--exact-states") opt.exact_states = true;
    else if (a == "--reduction") {
      std::string v;
      if (!value(v)) return usage("--reduction needs none, ample or por");
      if (v == "none") opt.red = Reduction::none;
      else if (v == "ample") opt.red = Reduction::ample;
      else if (v == "por") opt.red = Reduction::por;
      else return usage("--reduction needs none, ample or por");
    }
    else if (a == "--stop-first") opt.stop_first = true;
    else if (a == "--variant") {
      if (!value(variant)) return usage("--variant needs a value");
    } else if (a == "--emit-litmus") {
      if (!value(emit)) return usage("--emit-litmus needs a directory");
    } else if (a == "--cross-check") {
      if (!value(xcheck)) return usage("--cross-check needs a scenario");
    } else if (a == "--max-states") {
      std::string v;
      if (!value(v)) return usage("--max-states needs a number");
      try {
        opt.max_states = std::stoull(v);
        if (opt.max_states == 0) opt.max_states = UINT64_MAX;  // 0: no bound
        cap_set = true;
      } catch (...) {
        return usage("--max-states needs a number");
      }
    } else if (a == "-h" || a == "--help") {
      std::fputs(USAGE, stdout);
      return 0;
    } else if (!a.empty() && a[0] == '-') {
      return usage("unknown option " + a);
    } else if (scen.empty()) {
      scen = a;
    } else {
      return usage("unexpected argument " + a);
    }
  }
  if (do_list) {
    list();
    return 0;
  }
  if (!xcheck.empty()) {
    std::string o;
    int rc;
    try {
      rc = cross_check(xcheck, o);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "paddock perf: %s\n", e.what());
      return 2;
    }
    std::fputs(o.c_str(), rc == 2 ? stderr : stdout);
    return rc;
  }
  if (!emit.empty() && !scen.empty()) {
    const ScenarioSpec* s = find_scenario(scen);
    if (!s) return usage("unknown scenario " + scen + " (see --list)");
    std::vector<const Window*> ws = windows_of(scen);
    if (ws.empty()) return usage(scen + " declares no critical window to slice");
    if (!variant.empty() && !find_variant(*s, variant)) return usage("unknown variant " + variant + " of " + scen);
    try {
      int n = 0;
      for (const VariantSpec& v : s->variants) {
        if (!variant.empty() && v.name != variant) continue;
        for (const Window* w : windows_for(*s, v)) {
          SlicedRun r = slice_run(*s, v, *w);
          if (!r.skip.empty()) std::printf("%s: not sliced: %s\n", v.name.c_str(), r.skip.c_str());
          for (const std::string& p : r.problems)
            std::printf("%s (%s): not sliced: %s\n", v.name.c_str(), w->name.c_str(), p.c_str());
          std::vector<LitmusFile> fs;
          for (const Slice& sl : r.slices) fs.push_back({sl.name + ".litmus", sl.text});
          n += write_litmus(emit, fs);
          if (!r.skip.empty()) break;
        }
      }
      std::printf("wrote %d litmus tests to %s\n", n, emit.c_str());
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "paddock perf: %s\n", e.what());
      return 2;
    }
  }
  if (!emit.empty()) {
    try {
      int n = emit_litmus(emit);
      std::printf("wrote %d litmus tests to %s\n", n, emit.c_str());
      return 0;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "paddock perf: %s\n", e.what());
      return 2;
    }
  }
  if (scen.empty()) return usage("missing scenario");
  const ScenarioSpec* s = find_scenario(scen);
  if (!s) return usage("unknown scenario " + scen + " (see --list)");
  std::vector<const VariantSpec*> vs;
  if (variant.empty())
    for (auto& v : s->variants) vs.push_back(&v);
  else if (const VariantSpec* v = find_variant(*s, variant)) vs.push_back(v);
  else return usage("unknown variant " + variant + " of " + scen + " (see --list)");
  if (!cap_set && s->max_states) opt.max_states = s->max_states;
  bool failed = false, invalid = false;
  std::string jout = "[";
  for (const VariantSpec* v : vs) {
    auto m = build_model(*s, *v);
    Result r = explore(*m, opt);
    failed |= r.failed();
    for (auto& msg : r.validation) std::fprintf(stderr, "paddock perf: validation: %s\n", msg.c_str());
    invalid |= !r.validation.empty();
    if (json) jout += (jout.size() > 1 ? "," : "") + render_json(*m, r, &v->expect);
    else std::fputs((render_text(*m, r, &v->expect, trace) + "\n").c_str(), stdout);
  }
  if (json) std::puts((vs.size() == 1 ? jout.substr(1) : jout + "]").c_str());
  return invalid ? 2 : failed ? 1 : 0;
}

}  // namespace paddock::perf
