// --minimize: the weakest combinations of the test's ordering constructs that keep its verdict. Each combination
// is checked by a full run of the explicit engine; monotonicity (weakening can only add executions) prunes the
// lattice: for Never/Always, whatever is weaker than a failing combination fails and whatever is stronger than a
// passing one passes (docs/minimize.md).
#pragma once
#include <string>
#include <vector>

#include "driver/driver.hpp"
#include "minimize/constructs.hpp"

namespace paddock::minimize {

struct Minimal {
  std::vector<int> levels;  // per construct (0: as written)
  std::string text;         // the ready-to-run test
  std::string diff;         // diff_line
  std::string observation;  // the confirming full check's Observation line
  std::string hash;         // and its Hash line
};

struct Result {
  std::string test_name;
  std::string verdict;                 // of the original test: Never, Sometimes, Always
  std::vector<Construct> constructs;
  std::vector<Minimal> minimal;        // the weakest combinations keeping the verdict
  size_t lattice = 0;                  // number of combinations
  size_t checks = 0;                   // full checks run during the search
  size_t inferred = 0;                 // results deduced by monotonicity instead
  double seconds = 0;                  // wall time of the search (confirmations excluded)
  std::string error;                   // FILE:LINE:COL: error: ... when the test could not be minimised
};

// keep: the verdict to keep ("" = the test's own verdict; "Never", "Sometimes" or "Always").
Result minimize(const Session& session, const std::string& text, const std::string& file, const std::string& keep);

// What --minimize prints.
std::string format(const Result& r, const std::string& file);

// The Observation verb (Never/Sometimes/Always) of a herd report, "" when there is none.
std::string observation_verdict(const std::string& report);

}  // namespace paddock::minimize
