#include "graph/dot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace paddock::graph {

std::string edge_color(const DotStyle& style, const std::string& label) {
  auto it = style.edge_colors.find(label);
  if (it != style.edge_colors.end()) return it->second;
  static const std::map<std::string, std::string> herd = {
      {"rf", "red"},       {"co", "blue"},       {"ws", "blue"},        {"fr", "#ffa040"},   {"po", "black"},
      {"ppo", "brown"},    {"poloc", "brown"},   {"mb", "darkgreen"},   {"wmb", "darkgreen"}, {"rmb", "darkgreen"},
      {"fence", "darkgreen"}, {"addr", "indigo"}, {"data", "indigo"},  {"ctrl", "indigo"},  {"dep", "indigo"},
      {"rmw", "black"},    {"iico", "black"}};
  auto h = herd.find(label);
  return h == herd.end() ? "black" : h->second;
}

std::string apply_cfg(DotStyle& style, const std::string& cfg_text) {
  std::istringstream in(cfg_text);
  std::string line;
  auto to_bool = [](const std::string& v) { return v == "true" || v == "1" || v == "yes"; };
  while (std::getline(in, line)) {
    std::istringstream ls(line);
    std::string key, value;
    if (!(ls >> key) || key[0] == '#') continue;
    ls >> value;
    try {
      if (key == "graph") {
        if (value == "cluster") style.layout = DotStyle::Layout::Cluster;
        else if (value == "columns") style.layout = DotStyle::Layout::Columns;
        else if (value == "free") style.layout = DotStyle::Layout::Free;
        else return "graph takes cluster, columns or free, found '" + value + "'";
      } else if (key == "showevents") {
        if (value == "all") style.events = DotStyle::Events::All;
        else if (value == "mem") style.events = DotStyle::Events::Mem;
        else if (value == "noregs") style.events = DotStyle::Events::NoRegs;
        else if (value == "memfence") style.events = DotStyle::Events::MemFence;
        else return "showevents takes all, mem, noregs or memfence, found '" + value + "'";
      } else if (key == "showinitwrites") style.show_init_writes = to_bool(value);
      else if (key == "showthread") style.show_thread = to_bool(value);
      else if (key == "fontsize") style.fontsize = std::stoi(value);
      else if (key == "xscale") style.xscale = std::stod(value);
      else if (key == "yscale") style.yscale = std::stod(value);
      else if (key == "arrowsize") style.arrowsize = std::stod(value);
      else if (key == "edgeattr") {
        // NAME,ATTR,VALUE: only colours are used.
        size_t c1 = value.find(','), c2 = value.find(',', c1 == std::string::npos ? c1 : c1 + 1);
        if (c1 == std::string::npos || c2 == std::string::npos) return "edgeattr takes NAME,ATTR,VALUE";
        if (value.substr(c1 + 1, c2 - c1 - 1) == "color") style.edge_colors[value.substr(0, c1)] = value.substr(c2 + 1);
      }
    } catch (const std::exception&) {
      return key + " takes a number, found '" + value + "'";
    }
  }
  return "";
}

namespace {

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

bool visible(const DotStyle& st, const Node& n) {
  if (n.thread < 0) return st.show_init_writes;
  if (n.fence) return st.events != DotStyle::Events::Mem;
  return true;
}

}  // namespace

std::string write_dot(const std::string& test_name, const std::vector<Snapshot>& execs, const DotStyle& st) {
  std::string o = "digraph G {\n\n";
  o += fmt::format("/* legend */\nlabel=\"{}\";\n", esc(test_name));
  if (st.fontsize > 0) o += fmt::format("fontsize={};\n", st.fontsize);
  if (st.layout == DotStyle::Layout::Columns) o += "splines=true;\noverlap=scale;\n";
  else o += "newrank=true;\n";  // graphviz 2.42's cluster ranking fails on some nestings without it
  std::string fs = st.fontsize > 0 ? fmt::format(", fontsize={}", st.fontsize) : "";
  std::string as = st.arrowsize > 0 ? fmt::format(", arrowsize=\"{}\"", st.arrowsize) : "";
  if (execs.empty()) o += "no_solns [shape=box, color=red, label=\"no execution to show\\l\"];\n";
  double x0 = 0;
  for (size_t k = 0; k < execs.size(); ++k) {
    const Snapshot& s = execs[k];
    auto id = [&](size_t g) { return fmt::format("x{}_eiid{}", k, g); };
    int threads = 0;
    size_t longest = 0, inits = 0;
    for (const Node& n : s.nodes) {
      threads = std::max(threads, n.thread + 1);
      if (n.thread >= 0) longest = std::max(longest, size_t(n.index + 1));
      else ++inits;
    }
    std::string title = s.state;
    if (!s.allowed) title += " (forbidden: " + s.failed_check + ")";
    o += fmt::format("\nsubgraph cluster_exec{} {{\nlabel=\"{}\"; color=grey;\n", k, esc(title));
    // Positions (columns): thread t at x = t, events downwards; init writes in a row above.
    auto pos = [&](const Node& n) {
      double x, y;
      if (n.thread < 0) {
        x = x0 + double(n.index) * 0.75 * double(std::max(threads, 1)) / double(std::max<size_t>(inits, 1));
        y = double(longest) + 0.66667;
      } else {
        x = x0 + double(n.thread);
        y = double(longest) - 1 - double(n.index);
      }
      return fmt::format(", pos=\"{:.6f},{:.6f}!\"", (1.0 + x * st.xscale) * 72 * 1.5, y * st.yscale * 0.75 * 72 * 1.5);
    };
    o += "/* init events */\n";
    for (size_t g = 0; g < s.nodes.size(); ++g) {
      const Node& n = s.nodes[g];
      if (n.thread >= 0 || !visible(st, n)) continue;
      o += fmt::format("{} [label=\"{}\", shape=box, color=blue{}{}];\n", id(g), esc(n.action), fs,
                       st.layout == DotStyle::Layout::Columns ? pos(n) : "");
    }
    o += "/* the unlocked events */\n";
    for (int t = 0; t < threads; ++t) {
      if (st.layout == DotStyle::Layout::Cluster)
        o += fmt::format("subgraph cluster_x{}_proc{} {{ label=\"{}\"; color=magenta; shape=box;\n", k, t,
                         st.show_thread ? fmt::format("Thread {}", t) : "");
      for (size_t g = 0; g < s.nodes.size(); ++g) {
        const Node& n = s.nodes[g];
        if (n.thread != t || !visible(st, n)) continue;
        o += fmt::format("{} [label=\"{}: {}\\l\", shape=box, color=blue{}{}];\n", id(g), n.name, esc(n.action), fs,
                         st.layout == DotStyle::Layout::Columns ? pos(n) : "");
      }
      if (st.layout == DotStyle::Layout::Cluster) o += "}\n";
    }
    o += "\n/* the rfmap and relations */\n";
    for (const Edge& e : s.edges) {
      if (!visible(st, s.nodes[e.from]) || !visible(st, s.nodes[e.to])) continue;
      std::string color = e.highlight ? st.highlight_color : edge_color(st, e.label);
      std::string extra = e.highlight ? ", penwidth=3, style=bold" : "";
      // po edges keep the threads' columns straight in the dot layout.
      if (e.label == "po" && !e.highlight) extra += ", weight=10";
      o += fmt::format("{} -> {} [label=\"{}\", color=\"{}\", fontcolor=\"{}\"{}{}{}];\n", id(e.from), id(e.to),
                       esc(e.label), color, color, fs, as, extra);
    }
    o += "}\n";
    x0 += double(threads) + 1.0;
  }
  o += "}\n";
  return o;
}

}  // namespace paddock::graph
