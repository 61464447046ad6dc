#include "minimize/search.hpp"

#include <fmt/format.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "asm/sections.hpp"
#include "driver/arch.hpp"
#include "litmus/parse.hpp"

namespace paddock::minimize {

namespace {

std::string line_starting(const std::string& report, const std::string& prefix) {
  std::istringstream in(report);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

}  // namespace

std::string observation_verdict(const std::string& report) {
  std::string obs = line_starting(report, "Observation ");
  std::istringstream ls(obs);
  std::string w1, name, verdict;
  ls >> w1 >> name >> verdict;
  return verdict;
}

Result minimize(const Session& session, const std::string& text, const std::string& file, const std::string& keep) {
  Result res;
  litmus::Test test;
  try {
    // The constructs it weakens are the kernel's primitives; an assembly test would otherwise meet the C
    // parser's first complaint about its code.
    const Arch& arch = arch_of(text, file);
    if (std::string_view(arch.name) != "C") {
      Pos pos;
      (void)hw::first_word(text, &pos);
      throw UserError(file, pos, fmt::format("--minimize weakens the primitives of C tests; this is an {} test", arch.name));
    }
    test = litmus::parse_test(text, file);
  } catch (const UserError& e) {
    res.error = e.what();
    return res;
  }
  res.test_name = test.name;
  TestOutcome orig = session.run_text(text, file);
  if (!orig.error.empty()) {
    res.error = orig.error;
    return res;
  }
  res.verdict = observation_verdict(orig.report);
  std::string want = keep.empty() ? res.verdict : keep;
  if (want != res.verdict) {
    res.error = fmt::format("{}: error: the test's verdict is {}, not {}: there is nothing to keep", file,
                            res.verdict, want);
    return res;
  }
  res.constructs = find_constructs(test, text, session.macros());
  const auto& cs = res.constructs;
  res.lattice = 1;
  for (const auto& c : cs) res.lattice *= c.levels.size();

  // Never and Always are lost, never regained, by weakening (more executions); Sometimes the other way round,
  // so that only its own direction of inference holds.
  bool down_closed = want != "Sometimes";
  auto leq = [&](const std::vector<int>& a, const std::vector<int>& b) {  // a weaker than or equal to b
    for (size_t k = 0; k < cs.size(); ++k)
      if (!cs[k].leq[size_t(a[k])][size_t(b[k])]) return false;
    return true;
  };
  std::map<std::vector<int>, bool> known;
  std::vector<std::vector<int>> passed, failed;
  auto start = std::chrono::steady_clock::now();
  std::function<bool(const std::vector<int>&)> keeps = [&](const std::vector<int>& a) -> bool {
    auto it = known.find(a);
    if (it != known.end()) return it->second;
    bool ok;
    bool inferred = false;
    for (const auto& f : failed)
      if (down_closed ? leq(a, f) : leq(f, a)) { ok = false, inferred = true; break; }
    if (!inferred)
      for (const auto& p : passed)
        if (down_closed ? leq(p, a) : leq(a, p)) { ok = true, inferred = true; break; }
    if (inferred) {
      ++res.inferred;
    } else {
      ++res.checks;
      TestOutcome o = session.run_text(apply(text, cs, a), file);
      if (!o.error.empty()) throw UserError(file, {}, "a weakened test could not be checked: " + o.error);
      ok = observation_verdict(o.report) == want;
    }
    (ok ? passed : failed).push_back(a);
    known[a] = ok;
    return ok;
  };

  // Depth-first from the test as written, one construct one step weaker at a time, only through combinations that
  // keep the verdict. A kept combination none of whose one-step weakenings keeps it is minimal.
  std::set<std::vector<int>> visited, minimal;
  std::function<void(const std::vector<int>&)> dfs = [&](const std::vector<int>& a) {
    if (!visited.insert(a).second) return;
    bool any = false;
    for (size_t k = 0; k < cs.size(); ++k)
      for (int w : cs[k].levels[size_t(a[k])].weaker) {
        std::vector<int> b = a;
        b[k] = w;
        if (keeps(b)) {
          any = true;
          dfs(b);
        }
      }
    if (!any) minimal.insert(a);
  };
  try {
    std::vector<int> top(cs.size(), 0);
    known[top] = true;
    passed.push_back(top);
    dfs(top);
  } catch (const UserError& e) {
    res.error = e.what();
    return res;
  }
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  // Confirm each minimal combination with its own full check (pruning may have deduced a neighbour's result).
  for (const auto& a : minimal) {
    Minimal m;
    m.levels = a;
    m.text = apply(text, cs, a);
    m.diff = diff_line(cs, a);
    TestOutcome o = session.run_text(m.text, file);
    if (!o.error.empty()) {
      res.error = o.error;
      return res;
    }
    m.observation = line_starting(o.report, "Observation ");
    m.hash = line_starting(o.report, "Hash=");
    if (observation_verdict(o.report) != want) {
      res.error = fmt::format("{}: error: internal: minimal combination {} does not keep {}", file, m.diff, want);
      return res;
    }
    res.minimal.push_back(std::move(m));
  }
  // Weakest first: the most weakening steps.
  std::stable_sort(res.minimal.begin(), res.minimal.end(), [&](const Minimal& x, const Minimal& y) {
    auto kept = [&](const Minimal& m) {
      size_t n = 0;
      for (int l : m.levels) n += l == 0;
      return n;
    };
    return kept(x) < kept(y);
  });
  return res;
}

std::string format(const Result& r, const std::string& file) {
  std::string o = fmt::format("Minimise {} ({}): {} ordering construct{}\n", r.test_name, r.verdict,
                              r.constructs.size(), r.constructs.size() == 1 ? "" : "s");
  for (size_t k = 0; k < r.constructs.size(); ++k) {
    const Construct& c = r.constructs[k];
    std::string weaker;
    for (size_t l = 1; l < c.levels.size(); ++l) weaker += (l > 1 ? " | " : "") + c.levels[l].name;
    o += fmt::format("  [{}] P{} {}:{}:{} {}  (weaker: {})\n", k + 1, c.thread, file, c.pos.line, c.pos.col, c.text,
                     weaker);
  }
  o += fmt::format("Search: {} combinations, {} full checks, {} deduced by monotonicity, {:.2f} s\n", r.lattice,
                   r.checks, r.inferred, r.seconds);
  o += fmt::format("{} minimal set{} keeping {}:\n", r.minimal.size(), r.minimal.size() == 1 ? "" : "s", r.verdict);
  for (size_t m = 0; m < r.minimal.size(); ++m) {
    const Minimal& x = r.minimal[m];
    std::string needed;
    for (size_t k = 0; k < r.constructs.size(); ++k) {
      const Construct& c = r.constructs[k];
      if (x.levels[k] == 0) needed += fmt::format("{}[{}] {}", needed.empty() ? "" : ", ", k + 1, c.text);
      else if (!c.levels[size_t(x.levels[k])].text.empty())
        needed += fmt::format("{}[{}] as {}", needed.empty() ? "" : ", ", k + 1, c.levels[size_t(x.levels[k])].name);
    }
    o += fmt::format("\n== minimal set {}: needs {}\n", m + 1, needed.empty() ? "nothing" : needed);
    o += fmt::format("diff: {}\n", x.diff);
    o += fmt::format("confirmed by a full check: {}\n", x.observation);
    o += "-- \n" + x.text;
    if (!x.text.empty() && x.text.back() != '\n') o += "\n";
    o += "-- \n";
  }
  return o;
}

}  // namespace paddock::minimize
