// The `herd7` entry point: the paddock binary started under the name herd7 (an installed symlink) answers
// as herd7 7.58 does where the kernel's tools/memory-model scripts look (docs/paddock.1, README).
#pragma once
#include <string>

#include "driver/driver.hpp"

namespace paddock::cli {

// Whether argv[0]'s base name is `herd7`.
bool started_as_herd7(const char* argv0);

// What `herd7 -version` prints (without the newline): herd's `VERSION, Rev: REV` shape.
std::string herd7_version();

// herd7's stderr line for a test that could not be run, e.g.
//   Warning: File "t.litmus": Unknown macro frobnicate_once (User error)
//   Warning: File "t.litmus", line 12, characters 0-1: unexpected '}' (User error)
std::string herd7_error(const TestOutcome& r);

// herd7's stderr line after the report of a test where some path needed more than -unroll iterations.
std::string herd7_loop_warning(const std::string& file, const std::string& at = "While");

}  // namespace paddock::cli
