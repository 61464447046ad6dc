// Graphviz .dot text of a test's executions, following herd's conventions (herd/Pretty.ml): events named
// `a: W[once]x=1`, one column or cluster per thread, edges labelled po/rf/co/fr and by shown relation names, herd's
// colours (rf red, co blue, fr #ffa040, fences darkgreen, dependencies indigo). The display settings are plain
// parameters with herd's defaults, so that -graph/-showevents/... (and a cfg's display keys) can set them.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "graph/snapshot.hpp"

namespace paddock::graph {

struct DotStyle {
  enum class Layout { Cluster, Columns, Free } layout = Layout::Cluster;  // herd's -graph (default cluster)
  enum class Events { All, Mem, NoRegs, MemFence } events = Events::NoRegs;  // herd's -showevents
  bool show_init_writes = true;   // herd's showinitwrites
  bool show_thread = true;        // "Thread N" titles
  int fontsize = 0;               // 0: graphviz's default
  double xscale = 1.0, yscale = 1.0;  // columns: spacing (herd's xscale/yscale)
  double arrowsize = 0;           // 0: default
  std::map<std::string, std::string> edge_colors;  // herd's edgeattr NAME,color,C
  std::string highlight_color = "#00e0ff";  // explanation edges: a colour herd does not use
};

// Reads herd's display keys from a .cfg text (graph, showevents, showinitwrites, fontsize, xscale, yscale,
// arrowsize, edgeattr NAME,color,C); other keys are ignored. Returns "" or an error message for a bad value.
std::string apply_cfg(DotStyle& style, const std::string& cfg_text);

// herd's colour of an edge label.
std::string edge_color(const DotStyle& style, const std::string& label);

// One digraph holding every execution (each in its own cluster, titled with its state), named after the test.
std::string write_dot(const std::string& test_name, const std::vector<Snapshot>& execs, const DotStyle& style);

}  // namespace paddock::graph
