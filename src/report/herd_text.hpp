// herd7's report for one test, byte for byte (docs: herd-c-semantics.md section 5).
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "exec/result.hpp"
#include "litmus/ast.hpp"

namespace paddock::report {

struct ReportOptions {
  bool time = true;  // print the `Time NAME s.ss` line (the corpus outputs have it stripped)
  bool candidates = false;  // herd's -candidates: `Candidates NAME N` after the Time line
  // Assembly tests: the Hash value computed by their front end's rules (report/asm_hash.hpp), and
  // whether the line is printed at all (herd omits it when the header spells its key `hash=`).
  std::optional<std::string> hash{};
  bool hash_line = true;
  bool hexa = false;  // herd's -hexa: integers of states and of the condition in hexadecimal
};

// The whole text herd7 prints for the test, ending with the empty line after `Hash=`.
// `location_names` are the program's global locations sorted by name (events::Program::locations):
// a Value::Addr i prints as location_names[i].
std::string herd_report(const litmus::Test& test, const exec::Result& result,
                        const std::vector<std::string>& location_names, const ReportOptions& opts = {});

// The test's name as herd prints it (a trailing `.litmus` removed).
std::string report_name(const litmus::Test& test);

// `Allowed` (exists), `Forbidden` (~exists), `Required` (forall or no condition).
const char* test_kind(const litmus::Test& test);

// Whether herd prints `Ok` for these counts.
bool condition_ok(const litmus::Test& test, uint64_t positive, uint64_t negative);

// `Never` | `Sometimes` | `Always`.
const char* observation(uint64_t positive, uint64_t negative);

// A value of a state line: integers in decimal, addresses by name, thin-air values as `S<n>`.
// `type`: the C type the value is shown at (a uint64_t prints unsigned).
std::string value_text(const events::Value& v, const std::vector<std::string>& location_names,
                       const std::string& type = "", bool hexa = false);

// The state lines in herd's order: bindings sorted (registers by thread then name, then globals, byte-wise),
// lines sorted by their values in that order (thin-air < integers < addresses by name).
std::vector<std::string> state_lines(const exec::Result& result, const std::vector<std::string>& location_names,
                                     bool hexa = false);

// The same states as values: `locations` as printed (`0:r0`, `[x]`), one row of values per state, in herd's order.
struct StateRows {
  std::vector<std::string> locations;
  std::vector<std::string> types;  // the type each location is shown at (Result::displayed_types)
  std::vector<bool> whole;         // a cell of an array shown whole; `locations` then holds the array's name
  std::vector<std::vector<events::Value>> rows;
};
StateRows state_rows(const exec::Result& result, const std::vector<std::string>& location_names);

}  // namespace paddock::report
