// herd reports through the driver, for comparing the engine's cut-offs with the full enumeration.
#pragma once
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>

#include "driver/driver.hpp"

namespace exec_test {

inline std::string without_time(std::string r) {
  return std::regex_replace(r, std::regex("\nTime [^\n]*\n"), "\nTime\n");
}

// The report of one test (Time blanked), with or without the engine's cut-offs, in `threads` threads.
inline std::string report(bool no_prune, const std::string& text, int threads = 1) {
  paddock::Config c;
  c.no_prune = no_prune;
  c.threads = threads;
  paddock::Session s(c);
  paddock::TestOutcome o = s.run_text(text, "t.litmus");
  INFO(o.error);
  REQUIRE(o.error.empty());
  return without_time(o.report);
}

// SB through n critical sections of a lock emulated by cmpxchg_acquire: with a filter (when given), else with the
// acquisitions' results in the condition (the "E" variants of the LKML family).
inline std::string sb_lock(int n, const std::string& filter = "") {
  std::ostringstream t;
  t << "C sb-lock\n{}\n";
  for (int i = 0; i < n; ++i)
    t << "P" << i << "(int *sl, int *x" << i << ", int *x" << (i + 1) % n << ") { int r1; int r2; "
      << "r2 = cmpxchg_acquire(sl, 0, 1); WRITE_ONCE(*x" << i << ", 1); r1 = READ_ONCE(*x" << (i + 1) % n
      << "); smp_store_release(sl, 0); }\n";
  if (!filter.empty()) t << "filter (" << filter << ")\n";
  t << "exists (";
  for (int i = 0; i < n; ++i) t << (i ? " /\\ " : "") << i << ":r1=0" << (filter.empty() ? " /\\ " + std::to_string(i) + ":r2=0" : "");
  t << ")\n";
  return t.str();
}

}  // namespace exec_test
