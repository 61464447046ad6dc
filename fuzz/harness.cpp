#include "harness.hpp"

#include <cstdio>
#include <cstdlib>

namespace paddock::fuzz {

void finding(const std::string& what) {
  std::fprintf(stderr, "paddock fuzz finding: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void check_error_message(const std::string& message, const std::string& file) {
  if (message.rfind(file + ":", 0) != 0 || message.find(": error: ") == std::string::npos)
    finding("malformed error message: " + message);
}

}  // namespace paddock::fuzz
