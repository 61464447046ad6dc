#include "util/embedded.hpp"

namespace paddock {

std::optional<std::string> embedded_file(const std::string& name) {
  for (const auto& f : embedded_files())
    if (f.name == name) return std::string(f.text);
  return std::nullopt;
}

}  // namespace paddock
