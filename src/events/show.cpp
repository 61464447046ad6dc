// `paddock -show events`: the event structures in a readable form.
#include <fmt/format.h>

#include "events/events.hpp"
#include "events/show.hpp"

namespace paddock::events {

static std::string edges(const char* name, const std::vector<Edge>& es) {
  if (es.empty()) return "";
  std::string s = fmt::format("    {}:", name);
  for (auto [a, b] : es) s += fmt::format(" e{}->e{}", a, b);
  return s + "\n";
}

std::string show(const Program& p) {
  std::string out = "locations:";
  for (const auto& l : p.locations) out += fmt::format(" {}={}", l.name, to_string(l.init, p));
  out += "\n";
  for (size_t t = 0; t < p.threads.size(); ++t) {
    const auto& paths = p.threads[t];
    for (size_t k = 0; k < paths.size(); ++k) {
      const Path& path = paths[k];
      out += fmt::format("P{} path {}/{}{}\n", t, k + 1, paths.size(), path.loop_cut ? " (cut by loop unrolling)" : "");
      for (size_t i = 0; i < path.events.size(); ++i) {
        const Event& e = path.events[i];
        std::string tags;
        for (const auto& g : e.tags) tags += "[" + g + "]";
        std::string what = fmt::format("{}{}{}", sort_name(e.sort), e.rmw ? "*" : "", tags);
        if (e.addr) what += " " + to_string(*e.addr, p);
        if (e.sort == Sort::W) what += " := " + to_string(*e.value, p);
        if (e.read_id >= 0) what += fmt::format(" -> v{}", e.read_id);
        out += fmt::format("  e{:<3} {:<40} stmt {} line {}\n", i, what, e.stmt, e.pos.line);
      }
      out += edges("iico", path.iico) + edges("rmw", path.rmw) + edges("addr", path.addr) + edges("data", path.data) +
             edges("ctrl", path.ctrl);
      for (const auto& g : path.guards)
        out += fmt::format("    guard: {} {}\n", to_string(*g.cond, p), g.truth ? "!= 0" : "== 0");
      if (!path.regs.empty()) {
        out += "    regs:";
        for (const auto& [name, v] : path.regs) out += fmt::format(" {}={}", name, to_string(*v, p));
        out += "\n";
      }
    }
  }
  return out;
}

}  // namespace paddock::events
