// Shared by the fuzz targets: the libFuzzer entry point each target defines, and the checks on what an input
// may legitimately produce. A finding is reported by abort() with a message on stderr, which libFuzzer (and the
// replay main) turn into a crash report with the input saved.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace paddock::fuzz {

// Prints "paddock fuzz finding: WHAT" and aborts.
[[noreturn]] void finding(const std::string& what);

// An error message must name the input and say "error:" ("FILE:LINE:COL: error: ..." or "FILE: error: ...").
void check_error_message(const std::string& message, const std::string& file);

}  // namespace paddock::fuzz
