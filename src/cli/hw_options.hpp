// C tests on hardware: -arch x86|arm64|arm64-lse and -models lkmm,x86,... (docs/hardware.md). Parsed here,
// apart from herd's options; the -models table's header and exit status too.
#pragma once
#include <string>
#include <vector>

#include "driver/driver.hpp"

namespace paddock::cli {

// Consumes argv[i] (and its argument) when it is -arch or -models; false otherwise. Throws
// std::invalid_argument for a bad value.
bool parse_hw_option(const std::string& a, int& i, int argc, char** argv, Config& cfg);

// Checks combinations once every option is read; sizes the table's first column from the test files.
void check_hw_options(Config& cfg, const std::vector<std::string>& files, bool json, bool graphs);

// -models exits with this when some row raised a warning (whatever else happened).
constexpr int kHardwareWarning = 3;

const char* hw_usage();

}  // namespace paddock::cli
