// Files compiled into the binary (the bundled models), looked up by base name.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace paddock {

struct EmbeddedFile {
  std::string_view name;
  std::string_view text;
  std::string_view ast;  // cat and bell files: the syntax tree serialised at build time (cat/ast_io.hpp), else empty
};

const std::vector<EmbeddedFile>& embedded_files();  // generated at build time (src/cat/embed_models.cpp)
std::optional<std::string> embedded_file(const std::string& name);
const EmbeddedFile* embedded_entry(const std::string& name);  // nullptr when not bundled

}  // namespace paddock
