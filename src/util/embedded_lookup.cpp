#include "util/embedded.hpp"

namespace paddock {

const EmbeddedFile* embedded_entry(const std::string& name) {
  for (const auto& f : embedded_files())
    if (f.name == name) return &f;
  return nullptr;
}

std::optional<std::string> embedded_file(const std::string& name) {
  if (const EmbeddedFile* f = embedded_entry(name)) return std::string(f->text);
  return std::nullopt;
}

}  // namespace paddock
