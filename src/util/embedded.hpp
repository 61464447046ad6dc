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
};

const std::vector<EmbeddedFile>& embedded_files();  // generated at build time
std::optional<std::string> embedded_file(const std::string& name);

}  // namespace paddock
