#include "events/structure.hpp"

namespace paddock::events {

std::string tag_set_name(const std::string& tag) {
  std::string s = tag;
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = char(s[0] - 'a' + 'A');
  return s;
}

Structure make_structure(const Program& program, const std::vector<const Path*>& paths) {
  Structure st;
  st.paths = paths;
  for (size_t l = 0; l < program.locations.size(); ++l) st.events.push_back({nullptr, -1, int(l)});
  for (size_t t = 0; t < paths.size(); ++t) {
    st.base.push_back(int(st.events.size()));
    for (const auto& e : paths[t]->events) st.events.push_back({&e, int(t), -1});
  }
  size_t n = st.events.size();
  auto set = [&](const std::string& name) -> EventSet& {
    auto it = st.sets.find(name);
    if (it == st.sets.end()) it = st.sets.emplace(name, EventSet(n)).first;
    return it->second;
  };
  for (const char* s : {"R", "W", "F", "IW", "FW", "RMW", "LKR", "LKW", "UL", "LF", "RL", "RU", "SRCU"}) set(s);
  for (size_t g = 0; g < n; ++g) {
    const StructEvent& se = st.events[g];
    if (!se.ev) {
      set("IW").set(g);
      set("W").set(g);
      continue;
    }
    set(sort_name(se.ev->sort)).set(g);
    if (se.ev->rmw) set("RMW").set(g);
    for (const auto& tg : se.ev->tags) set(tag_set_name(tg)).set(g);
  }
  st.sets["M"] = st.sets["R"] | st.sets["W"];

  Relation po(n), in(n), ext(n), addr(n), data(n), ctrl(n), rmw(n), idata(n), ictrl(n);
  for (size_t a = 0; a < n; ++a)
    for (size_t b = 0; b < n; ++b) {
      bool same = st.events[a].thread >= 0 && st.events[a].thread == st.events[b].thread;
      if (same) in.set(a, b);
      else if (a != b) ext.set(a, b);  // init writes belong to no thread
    }
  for (size_t t = 0; t < paths.size(); ++t) {
    const Path& p = *paths[t];
    size_t b0 = size_t(st.base[t]), m = p.events.size();
    // po: statement order, and inside a statement the transitive intra-instruction order.
    Relation iico(n);
    for (auto [x, y] : p.iico) iico.set(b0 + size_t(x), b0 + size_t(y));
    iico = iico.transitive_closure();
    for (size_t i = 0; i < m; ++i)
      for (size_t j = 0; j < m; ++j)
        if (p.events[i].stmt < p.events[j].stmt || iico.test(b0 + i, b0 + j)) po.set(b0 + i, b0 + j);
    auto put = [&](Relation& r, const std::vector<Edge>& es) {
      for (auto [x, y] : es) r.set(b0 + size_t(x), b0 + size_t(y));
    };
    put(addr, p.addr), put(data, p.data), put(ctrl, p.ctrl), put(rmw, p.rmw);
    put(idata, p.iico_data), put(ictrl, p.iico_ctrl);
    for (const auto& [name, es] : p.rels) {
      auto it = st.rels.find(name);
      if (it == st.rels.end()) it = st.rels.emplace(name, Relation(n)).first;
      put(it->second, es);
    }
  }
  // Mixed-size mode: the bytes of one access (or of one location's initial value) are one single-copy-atomic
  // class; sca-class relates the distinct events of a class (empty otherwise).
  if (program.mixed) {
    Relation sca(n);
    const auto& m = *program.mixed;
    for (size_t a = 0; a < program.locations.size(); ++a)
      for (size_t b = 0; b < program.locations.size(); ++b)
        if (a != b && m.base[a] == m.base[b]) sca.set(a, b);
    for (size_t t = 0; t < paths.size(); ++t) {
      const auto& evs = paths[t]->events;
      size_t b0 = size_t(st.base[t]);
      for (size_t i = 0; i < evs.size(); ++i)
        for (size_t j = 0; j < evs.size(); ++j)
          if (i != j && evs[i].access >= 0 && evs[i].access == evs[j].access) sca.set(b0 + i, b0 + j);
    }
    auto it = st.rels.find("sca-class");  // the lowering's own classes (LDXP's pair) join the bytes'
    if (it != st.rels.end()) sca = sca | it->second;
    st.rels["sca-class"] = std::move(sca);
  }
  st.rels["po"] = std::move(po);
  st.rels["int"] = std::move(in);
  st.rels["ext"] = std::move(ext);
  st.rels["addr"] = std::move(addr);
  st.rels["data"] = std::move(data);
  st.rels["ctrl"] = std::move(ctrl);
  st.rels["rmw"] = std::move(rmw);
  st.rels["iico_data"] = std::move(idata);
  st.rels["iico_ctrl"] = std::move(ictrl);
  return st;
}

}  // namespace paddock::events
