#include "graph/snapshot.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace paddock::graph {

namespace {

// Pairs (a, b) of r with no c such that a r c r b (r transitive on the pairs drawn: po, co).
std::vector<std::pair<size_t, size_t>> immediate(const Relation& r) {
  size_t n = r.universe();
  std::vector<std::pair<size_t, size_t>> out;
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b) {
      if (!r.test(a, b) || a == b) continue;
      bool via = false;
      for (size_t c = 0; c < n && !via; ++c) via = c != a && c != b && r.test(a, c) && r.test(c, b);
      if (!via) out.emplace_back(a, b);
    }
  return out;
}

std::string event_name(size_t k) {
  std::string s;
  do {
    s.insert(s.begin(), char('a' + k % 26));
    k /= 26;
  } while (k-- > 0);
  return s;
}

}  // namespace

std::vector<std::string> shown_names(const cat::Model& model, const ShowNames& names) {
  std::vector<std::string> out = cat::model_shows(model);
  for (const auto& d : names.doshow)
    if (std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
  out.erase(std::remove_if(out.begin(), out.end(),
                           [&](const std::string& s) {
                             return std::find(names.unshow.begin(), names.unshow.end(), s) != names.unshow.end();
                           }),
            out.end());
  return out;
}

std::string state_line(const std::vector<litmus::Location>& displayed, const exec::State& st,
                       const events::Program& prog) {
  std::string out;
  for (size_t k = 0; k < displayed.size() && k < st.size(); ++k) {
    const auto& l = displayed[k];
    out += l.thread >= 0 ? fmt::format("{}:{}", l.thread, l.name) : l.name;
    out += "=" + events::to_string(st[k], prog) + "; ";
  }
  if (!out.empty()) out.pop_back();
  return out;
}

Snapshot snapshot(const litmus::Test& test, const events::Program& prog, const exec::Execution& x,
                  const std::vector<std::string>& extra_names, const ShowNames& names) {
  Snapshot s;
  s.allowed = x.outcome.allowed;
  s.positive = x.positive;
  s.failed_check = x.outcome.failed_check;
  size_t n = x.events.size();
  std::vector<int> per_thread;
  size_t lettered = 0;
  for (size_t g = 0; g < n; ++g) {
    const events::StructEvent& e = x.events[g];
    Node nd;
    nd.thread = e.thread;
    if (!e.ev) {
      nd.index = e.init_loc;
      nd.action = fmt::format("W{}={}", prog.locations[size_t(e.init_loc)].name,
                              events::to_string(x.values[g], prog));
    } else {
      if (size_t(e.thread) >= per_thread.size()) per_thread.resize(size_t(e.thread) + 1, 0);
      nd.index = per_thread[size_t(e.thread)]++;
      nd.name = event_name(lettered++);
      nd.line = e.ev->pos.line;
      std::string tags;
      for (const auto& t : e.ev->tags) tags += t + ",";
      if (!tags.empty()) tags = "[" + tags.substr(0, tags.size() - 1) + "]";
      std::string what = events::sort_name(e.ev->sort);
      nd.fence = e.ev->sort == events::Sort::F;
      if (nd.fence) {
        nd.action = what + tags;
      } else {
        std::string loc = x.locs[g] >= 0 ? prog.locations[size_t(x.locs[g])].name : "?";
        nd.action = what + tags + loc;
        if (e.ev->sort == events::Sort::R || e.ev->sort == events::Sort::W)
          nd.action += "=" + events::to_string(x.values[g], prog);
      }
    }
    s.nodes.push_back(std::move(nd));
  }
  auto hidden = [&](const std::string& lbl) {
    return std::find(names.unshow.begin(), names.unshow.end(), lbl) != names.unshow.end();
  };
  auto add = [&](const std::string& lbl, const std::vector<std::pair<size_t, size_t>>& pairs) {
    if (hidden(lbl)) return;
    for (auto [a, b] : pairs) s.edges.push_back({a, b, lbl, false});
  };
  auto pairs_of = [](const Relation& r) {
    std::vector<std::pair<size_t, size_t>> out;
    for (size_t a = 0; a < r.universe(); ++a)
      for (size_t b = 0; b < r.universe(); ++b)
        if (r.test(a, b)) out.emplace_back(a, b);
    return out;
  };
  auto cand_rel = [&](const char* name) -> const Relation* {
    auto it = x.candidate.rels.find(name);
    return it == x.candidate.rels.end() ? nullptr : &it->second;
  };
  const cat::Inspector* in = x.outcome.inspect;
  if (const Relation* po = cand_rel("po")) add("po", immediate(*po));
  for (const char* dep : {"addr", "data", "ctrl", "rmw"})
    if (const Relation* r = cand_rel(dep)) add(dep, pairs_of(*r));
  const Relation* rf = cand_rel("rf");
  if (rf) add("rf", pairs_of(*rf));
  std::optional<Relation> co = in ? in->relation("co") : std::nullopt;
  if (co) {
    auto ico = immediate(*co);
    add("co", ico);
    if (rf) {  // fr: from a read to the immediate co-successor of the write it reads from
      std::vector<std::pair<size_t, size_t>> fr;
      for (auto [w, r] : pairs_of(*rf))
        for (auto [w1, w2] : ico)
          if (w1 == w) fr.emplace_back(r, w2);
      add("fr", fr);
    }
  }
  if (in)
    for (const auto& name : extra_names) {
      if (name == "po" || name == "rf" || name == "co" || name == "fr") continue;
      if (auto r = in->relation(name)) add(name, pairs_of(*r));
    }
  s.state = state_line(exec::displayed_locations(test), x.state, prog);
  return s;
}

}  // namespace paddock::graph
