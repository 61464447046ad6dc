// Renders a .dot file with Graphviz (the `dot` program of Debian's graphviz, or `neato -n` for herd's columns
// layout, whose positions are fixed), as a subprocess without a shell.
#pragma once
#include <string>

namespace paddock::graph {

// format: "png" or "svg". Returns "" on success, else a message (program missing, failed, no output).
std::string render(const std::string& dot_path, const std::string& out_path, const std::string& format,
                   bool fixed_positions);

}  // namespace paddock::graph
