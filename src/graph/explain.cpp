#include "graph/explain.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

namespace paddock::graph {

namespace {

// A shortest cycle of r (as a list of edges), or empty when r is acyclic.
std::vector<std::pair<size_t, size_t>> shortest_cycle(const Relation& r) {
  size_t n = r.universe();
  std::vector<std::pair<size_t, size_t>> best;
  for (size_t s = 0; s < n; ++s) {
    if (r.test(s, s)) return {{s, s}};
    // BFS from s back to s.
    std::vector<int> parent(n, -1);
    std::deque<size_t> q;
    for (size_t b = 0; b < n; ++b)
      if (r.test(s, b)) parent[b] = int(s), q.push_back(b);
    bool found = false;
    while (!q.empty() && !found) {
      size_t a = q.front();
      q.pop_front();
      if (a == s) {
        found = true;
        break;
      }
      for (size_t b = 0; b < n; ++b)
        if (r.test(a, b) && parent[b] < 0) {
          parent[b] = int(a);
          q.push_back(b);
          if (b == s) {
            found = true;
            break;
          }
        }
    }
    if (!found) continue;
    std::vector<std::pair<size_t, size_t>> cyc;
    size_t cur = s;
    do {
      size_t p = size_t(parent[cur]);
      cyc.emplace_back(p, cur);
      cur = p;
    } while (cur != s && cyc.size() <= n);
    std::reverse(cyc.begin(), cyc.end());
    if (best.empty() || cyc.size() < best.size()) best = std::move(cyc);
  }
  return best;
}

// Top-level names of the model in the order they are bound (stdlib, bell, cat).
std::vector<std::string> bound_names(const cat::Model& m) {
  std::vector<std::string> out;
  for (const auto& s : m.stmts) {
    if (s->local) continue;
    if (s->kind == cat::Stmt::Let || s->kind == cat::Stmt::LetRec)
      for (const auto& b : s->binds)
        for (const auto& nm : b.pat.names)
          if (!nm.empty() && std::find(out.begin(), out.end(), nm) == out.end()) out.push_back(nm);
    if (s->kind == cat::Stmt::With && std::find(out.begin(), out.end(), s->name) == out.end()) out.push_back(s->name);
  }
  return out;
}

}  // namespace

std::optional<Explanation> explain(const exec::Execution& x, const cat::Model& model) {
  if (x.outcome.allowed || !x.outcome.inspect) return std::nullopt;
  std::optional<cat::FailedCheck> f = x.outcome.inspect->failed();
  if (!f) return std::nullopt;
  Explanation e;
  e.check = x.outcome.failed_check;
  e.test = (f->negated ? "~" : "") + f->test;
  e.pos = f->pos;
  if (!f->negated && (f->test == "acyclic" || f->test == "irreflexive")) {
    e.cycle = true;
    if (f->test == "acyclic") e.edges = shortest_cycle(f->rel);
    else
      for (size_t a = 0; a < f->rel.universe() && e.edges.empty(); ++a)
        if (f->rel.test(a, a)) e.edges.emplace_back(a, a);
  } else {
    for (size_t a = 0; a < f->rel.universe(); ++a)
      for (size_t b = 0; b < f->rel.universe() && e.edges.size() < 8; ++b)
        if (f->rel.test(a, b)) e.edges.emplace_back(a, b);
  }
  std::vector<std::string> all = bound_names(model);
  std::vector<std::optional<Relation>> rels;
  for (const auto& nm : all) rels.push_back(x.outcome.inspect->relation(nm));
  for (auto [a, b] : e.edges) {
    std::vector<std::string> in;
    for (size_t k = 0; k < all.size(); ++k)
      if (rels[k] && rels[k]->universe() > std::max(a, b) && rels[k]->test(a, b) && all[k] != "_" && all[k] != "id")
        in.push_back(all[k]);
    e.names.push_back(std::move(in));
  }
  return e;
}

void highlight(Snapshot& s, const Explanation& e) {
  for (auto [a, b] : e.edges) s.edges.push_back({a, b, e.check, true});
}

static std::string node_text(const Node& n) { return n.name.empty() ? n.action : n.name + ": " + n.action; }

// A shortest path from a to b over the picture's po/rf/co/fr edges ("" when there is none): how the edge of the
// check's relation reads in terms of the execution's basic relations.
static std::string basic_path(const Snapshot& s, size_t a, size_t b) {
  size_t n = s.nodes.size();
  std::vector<int> via(n, -1);  // index of the edge reaching each node
  std::deque<size_t> q{a};
  std::vector<bool> seen(n, false);
  seen[a] = true;
  while (!q.empty()) {
    size_t u = q.front();
    q.pop_front();
    for (size_t k = 0; k < s.edges.size(); ++k) {
      const Edge& e = s.edges[k];
      if (e.highlight || e.from != u || seen[e.to]) continue;
      if (e.label != "po" && e.label != "rf" && e.label != "co" && e.label != "fr") continue;
      seen[e.to] = true;
      via[e.to] = int(k);
      if (e.to == b) q.clear();
      else q.push_back(e.to);
      if (e.to == b) break;
    }
  }
  if (a == b || via[b] < 0) return "";
  std::vector<size_t> steps;
  for (size_t cur = b; cur != a; cur = s.edges[size_t(via[cur])].from) steps.push_back(size_t(via[cur]));
  auto short_name = [&](size_t g) { return s.nodes[g].name.empty() ? s.nodes[g].action : s.nodes[g].name; };
  std::string out = short_name(a);
  for (auto it = steps.rbegin(); it != steps.rend(); ++it)
    out += " -" + s.edges[*it].label + "-> " + short_name(s.edges[*it].to);
  return out;
}

std::string explain_text(const Snapshot& s, const Explanation& e) {
  std::string o = fmt::format("  forbidden by {} ({} at {})\n", e.check, e.test, e.pos);
  if (e.cycle && e.edges.size() == 1 && e.edges[0].first == e.edges[0].second)
    o += fmt::format("  reflexive at {}\n", node_text(s.nodes[e.edges[0].first]));
  else
    o += e.cycle ? "  cycle:\n" : "  non-empty, holding:\n";
  for (size_t k = 0; k < e.edges.size(); ++k) {
    auto [a, b] = e.edges[k];
    std::string names;
    size_t shown = 0;
    for (const auto& nm : e.names[k]) {
      if (shown++ == 10) {
        names += fmt::format(" ... ({} names)", e.names[k].size());
        break;
      }
      names += (names.empty() ? "" : ", ") + nm;
    }
    o += fmt::format("    {} -> {}   in {}\n", node_text(s.nodes[a]), node_text(s.nodes[b]),
                     names.empty() ? "(no named relation)" : names);
    std::string path = basic_path(s, a, b);
    if (!path.empty()) o += fmt::format("      as po/rf/co/fr: {}\n", path);
  }
  return o;
}

}  // namespace paddock::graph
