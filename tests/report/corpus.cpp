#include "corpus.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "litmus/parse.hpp"

namespace fs = std::filesystem;

namespace paddock::report::testing {

fs::path corpus_root() {
  const char* env = std::getenv("PADDOCK_CORPUS");
  fs::path root = env && *env ? fs::path(env) : fs::path("/work/shared/corpus");
  std::error_code ec;
  if (!fs::is_directory(root / "herd7-output", ec)) return {};
  return root;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<CorpusCase> corpus_cases() {
  std::vector<CorpusCase> out;
  fs::path root = corpus_root();
  if (root.empty()) return out;
  fs::path outputs = root / "herd7-output";
  for (const auto& e : fs::recursive_directory_iterator(outputs)) {
    if (!e.is_regular_file() || e.path().extension() != ".out") continue;
    fs::path rel = fs::relative(e.path(), outputs);
    rel.replace_extension();  // drop .out
    fs::path litmus = root / rel;
    if (!fs::is_regular_file(litmus)) continue;
    out.push_back({rel.generic_string(), litmus, read_file(litmus), read_file(e.path())});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

std::optional<litmus::Test> try_parse(const CorpusCase& c, std::string& error) {
  try {
    return litmus::parse_test(c.litmus_text, c.litmus.string());
  } catch (const std::exception& e) {
    error = e.what();
    return std::nullopt;
  }
}

std::string line_starting(const std::string& output, const std::string& prefix) {
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

}  // namespace paddock::report::testing
