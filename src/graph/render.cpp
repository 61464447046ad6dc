#include "graph/render.hpp"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <vector>

extern char** environ;

namespace paddock::graph {

std::string render(const std::string& dot_path, const std::string& out_path, const std::string& format,
                   bool fixed_positions) {
  std::string prog = fixed_positions ? "neato" : "dot";
  std::vector<std::string> args = {prog, "-T" + format, "-o", out_path};
  if (fixed_positions) args.insert(args.begin() + 1, "-n");
  args.push_back(dot_path);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid;
  int rc = posix_spawnp(&pid, prog.c_str(), nullptr, nullptr, argv.data(), environ);
  if (rc != 0)
    return fmt::format("cannot run `{}` ({}): install Graphviz (Debian package graphviz) to render graphs", prog,
                       std::strerror(rc));
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return fmt::format("`{}` could not be waited for", prog);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return fmt::format("`{}` failed on {} (status {})", prog, dot_path, WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  std::error_code ec;
  if (!std::filesystem::exists(out_path, ec) || std::filesystem::file_size(out_path, ec) == 0)
    return fmt::format("`{}` wrote no {}", prog, out_path);
  return "";
}

}  // namespace paddock::graph
