#pragma once
#include <optional>
#include <string>

namespace paddock {
// The whole file as bytes, or nullopt when it cannot be read.
std::optional<std::string> read_file(const std::string& path);
}
