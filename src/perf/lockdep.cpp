#include "perf/lockdep.hpp"

#include <fmt/format.h>

#include "perf/model.hpp"

namespace paddock::perf {

static const char* mode_name(int md) { return md == M_W ? "W" : md == M_R ? "R" : "RR"; }

LockGraph::LockGraph(const Model& m) : m(m) {
  nn = int(m.classes.size()) * 2;
  known.assign(size_t(nn * 3) * size_t(nn * 3), 0);
  writer.assign(m.classes.size(), "");
}

std::string LockGraph::node_name(int n) const {
  return m.classes[n / 2] + (n % 2 ? "/1" : "");
}

void LockGraph::add(int actor, int step, const Acq& q, const TraceFn& trace) {
  const LockInfo& L = m.locks[q.lock];
  const int cls = L.cls, to = cls * 2 + (q.sub ? 1 : 0);
  auto who_s = [&] { return fmt::format("{} at {}", m.actors[actor].name, m.steps[step]->label); };
  auto finding = [&](Prop k, auto detail) {  // detail: formats the message, only for the first witness
    auto key = std::make_pair(int(k), cls);
    if (reported.count(key)) {
      for (auto& f : findings)
        if (f.kind == k && f.key == uint64_t(cls)) ++f.count;
      return;
    }
    reported[key] = true;
    Finding f{k, detail(), trace()};
    f.key = uint64_t(cls);
    findings.push_back(std::move(f));
  };
  if (q.mode == M_W && writer[cls].empty()) writer[cls] = who_s();
  if (q.atomic && L.kind != LK::spin)
    finding(Prop::LD_ATOMIC, [&] { return fmt::format("sleeping lock {} taken in atomic context by {}", L.name, who_s()); });
  for (int i = 0; i < q.nheld; ++i) {
    const LockInfo& H = m.locks[q.held[i]];
    int hsub = q.hmode[i] & 15, hmd = q.hmode[i] >> 4;
    if (H.cls != cls || hsub != q.sub) continue;
    if (hmd == M_RR || q.mode == M_RR) continue;
    if (L.kind == LK::rwsem && hmd == M_R && q.mode == M_R)
      finding(Prop::LD_RR, [&] {
        return fmt::format("recursive read of {} (a pending writer blocks it) by {}", m.classes[cls], who_s());
      });
    else if (L.kind != LK::homebrew)
      finding(Prop::LD_RECURSIVE, [&] {
        return fmt::format("possible recursive locking of {} ({} held as {}) by {}", m.classes[cls], H.name, L.name,
                           who_s());
      });
  }
  if (q.mode == M_RR) return;  // old lockdep: recursive-read acquisitions were not chained
  for (int i = 0; i < q.nheld; ++i) {
    int hmd = q.hmode[i] >> 4;
    if (hmd == M_RR) continue;
    const int from = m.locks[q.held[i]].cls * 2 + ((q.hmode[i] & 15) ? 1 : 0);
    if (from == to) continue;
    size_t k = size_t(from * 3 + hmd) * size_t(nn * 3) + size_t(to * 3 + q.mode);
    if (known[k]) continue;
    known[k] = 1;
    auto it = index.find({from, to});
    if (it != index.end()) {
      edges[it->second].modes |= uint16_t(1u << (hmd * 3 + q.mode));
      continue;
    }
    LdEdge e{from, to, uint16_t(1u << (hmd * 3 + q.mode)), {}};
    e.w.actor = actor;
    e.w.step = step;
    e.w.attempt = q.attempt;
    for (int j = 0; j < q.nheld; ++j) e.w.held.push_back({q.held[j], q.hmode[j]});
    e.w.lock = q.lock;
    e.w.hmode = uint8_t(q.sub | q.mode << 4);
    e.w.trace = trace();
    index[{from, to}] = int(edges.size());
    edges.push_back(std::move(e));
  }
}

std::vector<LdCycle> LockGraph::cycles() const {
  std::vector<std::vector<int>> out(nn);
  for (size_t i = 0; i < edges.size(); ++i) out[edges[i].from].push_back(int(i));
  std::vector<LdCycle> res;
  std::vector<int> path;
  std::vector<char> on(nn, 0);
  std::function<void(int, int)> dfs = [&](int s, int v) {
    if (res.size() >= 200) return;
    for (int ei : out[v]) {
      int w = edges[ei].to;
      if (w == s) {
        path.push_back(ei);
        res.push_back({path, ""});
        path.pop_back();
      } else if (w > s && !on[w]) {
        on[w] = 1;
        path.push_back(ei);
        dfs(s, w);
        path.pop_back();
        on[w] = 0;
      }
    }
  };
  for (int s = 0; s < nn; ++s) {
    on[s] = 1;
    dfs(s, s);
    on[s] = 0;
  }
  // Suppress cycles through a read-held, read-requested lock that cannot block readers (no writer seen).
  std::vector<LdCycle> kept;
  for (auto& c : res) {
    bool suppressed = false;
    std::string needs;
    size_t k = c.edges.size();
    for (size_t i = 0; i < k; ++i) {
      const LdEdge& in = edges[c.edges[i]];
      const LdEdge& outE = edges[c.edges[(i + 1) % k]];
      bool in_read = true, out_read = true;
      for (int b = 0; b < 9; ++b) {
        if ((in.modes >> b & 1) && b % 3 == M_W) in_read = false;
        if ((outE.modes >> b & 1) && b / 3 == M_W) out_read = false;
      }
      if (!in_read || !out_read) continue;
      int cls = in.to / 2;
      if (writer[cls].empty()) suppressed = true;
      else needs = fmt::format("needs a concurrent writer of {} ({})", m.classes[cls], writer[cls]);
    }
    if (!suppressed) {
      c.needs_writer = needs;
      kept.push_back(c);
    }
  }
  std::stable_sort(kept.begin(), kept.end(), [](const LdCycle& a, const LdCycle& b) { return a.edges.size() > b.edges.size(); });
  return kept;
}

std::string LockGraph::edge_line(const LdEdge& e) const {
  std::string modes;
  for (int b = 0; b < 9; ++b)
    if (e.modes >> b & 1) modes += fmt::format("{}{}->{}", modes.empty() ? "" : ",", mode_name(b / 3), mode_name(b % 3));
  std::string held;
  for (auto& [l, hm] : e.w.held)
    held += fmt::format("{}{}({}{})", held.empty() ? "" : ", ", m.locks[l].name, mode_name(hm >> 4), (hm & 15) ? "/1" : "");
  return fmt::format("{} -> {} [{}]: {} at {}{}, held [{}]", node_name(e.from), node_name(e.to), modes,
                     m.actors[e.w.actor].name, m.steps[e.w.step]->label, e.w.attempt ? " (blocked attempt)" : "", held);
}

}  // namespace paddock::perf
