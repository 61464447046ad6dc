#include "cli/graph_options.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include "cli/options.hpp"
#include "driver/driver.hpp"
#include "graph/dot.hpp"
#include "graph/explain.hpp"
#include "graph/render.hpp"
#include "graph/snapshot.hpp"
#include "minimize/search.hpp"
#include "util/embedded.hpp"
#include "util/files.hpp"

namespace paddock::cli {

namespace fs = std::filesystem;

const char* graph_usage() {
  return R"(Graphs (docs/graphs.md) and barrier minimisation (docs/minimize.md):
  -show W          W = prop|cond|wit|neg|all: write the executions herd would draw to -o DIR
                   as DIR/NAME.dot (prop: the proposition holds; neg: it does not; cond: those
                   validating the condition; wit: the Observation's witnesses; all: every one)
  -o DIR           folder for the .dot files (created if missing)
  -nshow N         at most N executions per test
  -png, -svg       also render each .dot with Graphviz's `dot` (Debian package graphviz)
  -explain         for each forbidden execution satisfying the condition: the check that forbids
                   it and its cycle (text; with -o also DIR/NAME-explain.dot, cycle highlighted)
  --minimize       the weakest sets of barriers/ordering that keep the test's verdict, each as a
                   ready-to-run test and a one-line diff, confirmed by a full check
  --keep V         V = Never|Sometimes|Always: the verdict --minimize must keep (default: the test's)
)";
}

bool parse_graph_option(const std::string& a, int& i, int argc, char** argv, GraphOptions& g) {
  auto need = [&]() -> std::string {
    if (i + 1 >= argc) throw std::invalid_argument("option " + a + " needs an argument");
    return argv[++i];
  };
  if (a == "-o") g.dir = need();
  else if (a == "-png") g.png = true;
  else if (a == "-svg") g.svg = true;
  else if (a == "-explain") g.explain = true;
  else if (a == "-minimize") g.minimize = true;
  else if (a == "-keep") {
    g.keep = need();
    if (g.keep != "Never" && g.keep != "Sometimes" && g.keep != "Always")
      throw std::invalid_argument("--keep takes Never, Sometimes or Always, found '" + g.keep + "'");
  } else return false;
  return true;
}

void check_graph_options(const GraphOptions& g) {
  if (!g.show.empty() && g.dir.empty()) throw std::invalid_argument("-show " + g.show + " needs -o DIR");
  if ((g.png || g.svg) && g.show.empty() && !g.explain)
    throw std::invalid_argument("-png/-svg render the graphs of -show or -explain");
  if (!g.keep.empty() && !g.minimize) throw std::invalid_argument("--keep goes with --minimize");
  if (g.minimize && (!g.show.empty() || g.explain)) throw std::invalid_argument("--minimize runs alone");
}

namespace {

std::vector<std::string> expand(const std::vector<std::string>& files) {
  std::vector<std::string> out;
  for (const auto& f : files) {
    std::error_code ec;
    if (fs::is_directory(f, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(f, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".litmus") found.push_back(it->path().string());
      std::sort(found.begin(), found.end());
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(f);
    }
  }
  return out;
}

bool shown(const std::string& show, litmus::Quantifier q, const exec::Execution& x) {
  if (!x.outcome.allowed) return false;
  if (show == "all") return true;
  if (show == "prop") return x.positive;
  if (show == "neg") return !x.positive;
  // cond: the executions that validate the condition; wit: those the Observation counts as witnesses
  // (exists, ~exists: the proposition holds; forall: cond = those satisfying it, wit = the counter-examples).
  bool forall = q == litmus::Quantifier::Forall;
  if (show == "cond") return q == litmus::Quantifier::NotExists ? !x.positive : x.positive;
  return forall ? !x.positive : x.positive;  // wit
}

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  return out ? "" : "cannot write " + path;
}

}  // namespace

int run_graph_mode(const Session& session, const Options& opts) {
  const GraphOptions& g = opts.graphs;
  bool failed = false;
  std::vector<std::string> files = expand(opts.files);
  graph::DotStyle style;
  if (!opts.config.conf.empty()) {
    auto text = read_file(opts.config.conf);
    if (!text) text = embedded_file(fs::path(opts.config.conf).filename().string());
    if (text) {
      std::string err = graph::apply_cfg(style, *text);
      if (!err.empty()) {
        fmt::print(stderr, "{}: error: {}\n", opts.config.conf, err);
        return 2;
      }
    }
  }
  graph::ShowNames names;
  std::vector<std::string> extra = graph::shown_names(session.model(), names);
  if (!g.dir.empty()) {
    std::error_code ec;
    fs::create_directories(g.dir, ec);
    if (ec) {
      fmt::print(stderr, "{}: error: cannot create the folder ({})\n", g.dir, ec.message());
      return 1;
    }
  }
  auto render = [&](const std::string& dot) {
    for (const char* fmt_name : {"png", "svg"}) {
      if (std::string(fmt_name) == "png" ? !g.png : !g.svg) continue;
      std::string out = fs::path(dot).replace_extension(fmt_name).string();
      std::string err = graph::render(dot, out, fmt_name, style.layout == graph::DotStyle::Layout::Columns);
      if (!err.empty()) {
        fmt::print(stderr, "{}: error: {}\n", dot, err);
        failed = true;
      }
    }
  };
  std::set<std::string> bases;  // two tests of one name (in different folders) get NAME.dot and NAME+2.dot
  auto base_of = [&](const std::string& file) {
    std::string stem = fs::path(file).stem().string(), base = stem;
    for (int k = 2; !bases.insert(base).second; ++k) base = stem + "+" + std::to_string(k);
    return base;
  };
  for (const auto& file : files) {
    auto text = read_file(file);
    if (!text) {
      fmt::print(stderr, "{}: error: cannot read the file\n", file);
      failed = true;
      continue;
    }
    if (g.minimize) {
      minimize::Result r = minimize::minimize(session, *text, file, g.keep);
      if (!r.error.empty()) {
        fmt::print(stderr, "{}\n", r.error);
        failed = true;
        continue;
      }
      fmt::print("{}", minimize::format(r, file));
      if (!g.dir.empty()) {
        std::string base = base_of(file);
        for (size_t k = 0; k < r.minimal.size(); ++k) {
          std::string err = write_file((fs::path(g.dir) / fmt::format("{}-min{}.litmus", base, k + 1)).string(),
                                       r.minimal[k].text);
          if (!err.empty()) fmt::print(stderr, "{}: error: {}\n", file, err), failed = true;
        }
      }
      continue;
    }
    std::vector<graph::Snapshot> shown_execs;
    std::vector<graph::Snapshot> forbidden;
    std::vector<graph::Explanation> why;
    size_t allowed_positive = 0;
    std::string test_name;
    litmus::Quantifier q = litmus::Quantifier::None;
    TestOutcome r = session.run_text(*text, file, [&](const litmus::Test& t, const events::Program& p,
                                                      const exec::Execution& x) {
      test_name = t.name;
      q = t.quantifier;
      if (!g.show.empty() && shown(g.show, t.quantifier, x) && (g.nshow == 0 || shown_execs.size() < g.nshow))
        shown_execs.push_back(graph::snapshot(t, p, x, extra, names));
      if (g.explain && x.positive) {
        if (x.outcome.allowed) {
          ++allowed_positive;
        } else if (g.nshow == 0 || forbidden.size() < g.nshow) {
          graph::Snapshot s = graph::snapshot(t, p, x, extra, names);
          if (auto e = graph::explain(x, session.model())) {
            graph::highlight(s, *e);
            why.push_back(*e);
          } else {
            why.push_back(graph::Explanation{x.outcome.failed_check, "check", "", {}, false, {}});
          }
          forbidden.push_back(std::move(s));
        }
      }
    });
    if (!r.error.empty()) {
      fmt::print(stderr, "{}\n", r.error);
      failed = true;
      continue;
    }
    if (!opts.quiet) fmt::print("{}", r.report);
    std::string base = base_of(file);
    if (!g.show.empty()) {
      std::string dot = (fs::path(g.dir) / (base + ".dot")).string();
      std::string err = write_file(dot, graph::write_dot(test_name, shown_execs, style));
      if (!err.empty()) fmt::print(stderr, "{}: error: {}\n", file, err), failed = true;
      else render(dot);
    }
    if (g.explain) {
      std::string verdict = minimize::observation_verdict(r.report);
      fmt::print("Explain {}: {} forbidden execution{} satisfy the condition; {} allowed one{} do\n", test_name,
                 forbidden.size(), forbidden.size() == 1 ? "" : "s", allowed_positive, allowed_positive == 1 ? "" : "s");
      (void)q;
      for (size_t k = 0; k < forbidden.size(); ++k) {
        fmt::print("Execution {} ({}):\n", k + 1, forbidden[k].state);
        if (why[k].pos.empty()) fmt::print("  forbidden by {} (inside a procedure: no relation to show)\n", why[k].check);
        else fmt::print("{}", graph::explain_text(forbidden[k], why[k]));
      }
      if (!g.dir.empty() && !forbidden.empty()) {
        std::string dot = (fs::path(g.dir) / (base + "-explain.dot")).string();
        std::string err = write_file(dot, graph::write_dot(test_name + " (explained)", forbidden, style));
        if (!err.empty()) fmt::print(stderr, "{}: error: {}\n", file, err), failed = true;
        else render(dot);
      }
      (void)verdict;
    }
  }
  return failed ? 1 : 0;
}

}  // namespace paddock::cli
