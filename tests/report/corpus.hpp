// The shared conformance corpus (herd7 outputs next to their tests), for corpus-wide checks.
#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace paddock::report::testing {

// $PADDOCK_CORPUS, else /work/shared/corpus; empty when the folder is absent.
std::filesystem::path corpus_root();

struct CorpusCase {
  std::string name;  // path relative to the corpus, e.g. lkmm/MP+poonceonces.litmus
  std::filesystem::path litmus;
  std::string litmus_text;
  std::string output;  // herd7's whole output (Time line removed)
};

// Every herd7-output/**.out whose test exists, sorted by name.
std::vector<CorpusCase> corpus_cases();

std::string read_file(const std::filesystem::path& p);

// Parses a corpus test; on a parse error returns nullopt and stores the message in `error`.
std::optional<litmus::Test> try_parse(const CorpusCase& c, std::string& error);

// The line of `output` that starts with `prefix` (without its newline), or "" when none.
std::string line_starting(const std::string& output, const std::string& prefix);

}  // namespace paddock::report::testing
