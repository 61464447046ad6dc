#include "util/diag.hpp"

#include <fmt/format.h>

namespace paddock {

static std::string render(const std::string& file, Pos pos, const std::string& message) {
  if (pos.line > 0) return fmt::format("{}:{}:{}: error: {}", file, pos.line, pos.col, message);
  return fmt::format("{}: error: {}", file, message);
}

UserError::UserError(std::string file, Pos pos, const std::string& message)
    : std::runtime_error(render(file, pos, message)), file_(std::move(file)), pos_(pos), message_(message) {}

}  // namespace paddock
