#include "cli/herd7_mode.hpp"

#include <fmt/format.h>

#include <cstring>

namespace paddock::cli {

bool started_as_herd7(const char* argv0) {
  if (!argv0) return false;
  const char* slash = std::strrchr(argv0, '/');
  return std::strcmp(slash ? slash + 1 : argv0, "herd7") == 0;
}

// The herd7 release whose behaviour (report, messages, exit status) the entry point follows.
std::string herd7_version() { return "7.58+1, Rev: paddock-0.1"; }

namespace {

// herd's wording for the errors the kernel's judgelitmus.sh recognises: `Unknown macro NAME`.
std::string herd_message(const std::string& message) {
  static const std::string unknown = "unknown macro '";
  if (message.rfind(unknown, 0) == 0) {
    size_t end = message.find('\'', unknown.size());
    if (end != std::string::npos) return "Unknown macro " + message.substr(unknown.size(), end - unknown.size());
  }
  return message;
}

}  // namespace

std::string herd7_error(const TestOutcome& r) {
  std::string msg = herd_message(r.error_message.empty() ? r.error : r.error_message);
  const std::string& file = r.error_file;
  // herd gives the macro errors without a position, and others as `line L, characters C0-C1` (0-based).
  if (r.error_pos.line > 0 && msg.rfind("Unknown macro ", 0) != 0)
    return fmt::format("Warning: File \"{}\", line {}, characters {}-{}: {} (User error)", file, r.error_pos.line,
                       r.error_pos.col > 0 ? r.error_pos.col - 1 : 0, r.error_pos.col > 0 ? r.error_pos.col : 1, msg);
  return fmt::format("Warning: File \"{}\": {} (User error)", file, msg);
}

std::string herd7_loop_warning(const std::string& file, const std::string& at) {
  // herd names the construct that was cut: the `while` loop of a C test, the target label of an asm backward jump.
  return fmt::format("Warning: File \"{}\": unrolling limit exceeded at {}, legal outcomes may be missing.", file,
                     at.empty() ? "While" : at);
}

}  // namespace paddock::cli
