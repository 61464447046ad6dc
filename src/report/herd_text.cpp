#include "report/herd_text.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include <fmt/format.h>

#include "report/condition.hpp"
#include "report/hash.hpp"

namespace paddock::report {

using events::Value;
using litmus::Quantifier;

std::string report_name(const litmus::Test& test) {
  static const std::string suffix = ".litmus";
  const std::string& n = test.name;
  if (n.size() > suffix.size() && n.compare(n.size() - suffix.size(), suffix.size(), suffix) == 0)
    return n.substr(0, n.size() - suffix.size());
  return n;
}

static Quantifier quantifier(const litmus::Test& test) {
  return test.condition ? test.quantifier : Quantifier::None;
}

const char* test_kind(const litmus::Test& test) {
  switch (quantifier(test)) {
    case Quantifier::Exists: return "Allowed";
    case Quantifier::NotExists: return "Forbidden";
    default: return "Required";
  }
}

bool condition_ok(const litmus::Test& test, uint64_t positive, uint64_t negative) {
  switch (quantifier(test)) {
    case Quantifier::Exists: return positive > 0;
    case Quantifier::NotExists: return positive == 0;
    default: return negative == 0;
  }
}

const char* observation(uint64_t positive, uint64_t negative) {
  if (positive == 0) return "Never";
  if (negative == 0) return "Always";
  return "Sometimes";
}

std::string value_text(const Value& v, const std::vector<std::string>& names, const std::string& type, bool hexa) {
  switch (v.kind) {
    case Value::Kind::Int:
      if (hexa) return fmt::format("0x{:x}", uint64_t(v.i));
      // The engine cut the value to its type; a 64-bit unsigned one is shown from its bits.
      if (litmus::type_bits(type) == 64 && litmus::type_unsigned(type)) return fmt::format("{}", uint64_t(v.i));
      return fmt::format("{}", v.i);
    case Value::Kind::Addr:
      if (v.i >= 0 && size_t(v.i) < names.size()) {
        // The first cell of an array is the array's address, shown by its name.
        const std::string& n = names[size_t(v.i)];
        if (n.size() > 3 && n.compare(n.size() - 3, 3, "[0]") == 0) return n.substr(0, n.size() - 3);
        return n;
      }
      return fmt::format("<addr {}>", v.i);
    case Value::Kind::Unknown: return fmt::format("S{}", v.i);
    case Value::Kind::Code: return events::code_value_text(v.i);
  }
  return "?";
}

namespace {

// herd's value order: thin-air (by number) < integers (signed) < addresses (by name).
struct ValueOrder {
  const std::vector<std::string>& names;
  int rank(const Value& v) const {
    switch (v.kind) {
      case Value::Kind::Unknown: return 0;
      case Value::Kind::Int: return 1;
      case Value::Kind::Addr: return 2;
      case Value::Kind::Code: return 3;
    }
    return 4;
  }
  bool less(const Value& a, const Value& b) const {
    int ra = rank(a), rb = rank(b);
    if (ra != rb) return ra < rb;
    if (a.kind == Value::Kind::Code && a.i != b.i) return events::code_value_text(a.i) < events::code_value_text(b.i);
    if (a.kind == Value::Kind::Addr) {
      bool ka = a.i >= 0 && size_t(a.i) < names.size(), kb = b.i >= 0 && size_t(b.i) < names.size();
      if (ka && kb && names[size_t(a.i)] != names[size_t(b.i)]) return names[size_t(a.i)] < names[size_t(b.i)];
    }
    return a.i < b.i;
  }
};

}  // namespace

StateRows state_rows(const exec::Result& result, const std::vector<std::string>& names) {
  // Binding order: the displayed locations sorted the herd way (Result::displayed should already be).
  std::vector<size_t> perm(result.displayed.size());
  std::iota(perm.begin(), perm.end(), 0);
  std::stable_sort(perm.begin(), perm.end(),
                   [&](size_t a, size_t b) { return litmus::display_less(result.displayed[a], result.displayed[b]); });

  StateRows out;
  for (size_t i : perm) {
    const auto& l = result.displayed[i];
    out.locations.push_back(l.whole ? l.base() : location_text(l));
    out.whole.push_back(l.whole);
    out.types.push_back(i < result.displayed_types.size() ? result.displayed_types[i] : "");
  }
  auto& rows = out.rows;
  rows.reserve(result.states.size());
  for (const auto& s : result.states) {
    std::vector<Value> row;
    row.reserve(perm.size());
    for (size_t i : perm) row.push_back(i < s.size() ? s[i] : Value::num(0));
    rows.push_back(std::move(row));
  }
  // Rows in herd's order: each column's values ranked once (few distinct values), then rows compared as ranks.
  ValueOrder order{names};
  auto less = [&](const Value& x, const Value& y) { return order.less(x, y); };
  std::vector<std::vector<uint32_t>> keys(rows.size(), std::vector<uint32_t>(perm.size()));
  for (size_t c = 0; c < perm.size(); ++c) {
    std::vector<Value> distinct;  // in order of appearance, then ranked
    std::vector<uint32_t> first(rows.size());
    for (size_t k = 0; k < rows.size(); ++k) {
      const Value& v = rows[k][c];
      size_t d = 0;
      while (d < distinct.size() && !(distinct[d] == v)) ++d;
      if (d == distinct.size()) distinct.push_back(v);
      first[k] = uint32_t(d);
      if (distinct.size() > 32) break;  // many values in this column: ranked by search below
    }
    std::vector<uint32_t> rank(distinct.size());
    if (distinct.size() <= 32) {
      std::vector<size_t> by(distinct.size());
      std::iota(by.begin(), by.end(), 0);
      std::sort(by.begin(), by.end(), [&](size_t a, size_t b) { return less(distinct[a], distinct[b]); });
      for (size_t r = 0; r < by.size(); ++r) rank[by[r]] = uint32_t(r);
      for (size_t k = 0; k < rows.size(); ++k) keys[k][c] = rank[first[k]];
      continue;
    }
    std::vector<Value> all;
    all.reserve(rows.size());
    for (const auto& r : rows) all.push_back(r[c]);
    std::sort(all.begin(), all.end(), less);
    for (size_t k = 0; k < rows.size(); ++k)
      keys[k][c] = uint32_t(std::lower_bound(all.begin(), all.end(), rows[k][c], less) - all.begin());
  }
  std::vector<size_t> idx(rows.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return keys[a] < keys[b]; });
  std::vector<std::vector<Value>> sorted;
  sorted.reserve(rows.size());
  for (size_t k : idx) sorted.push_back(std::move(rows[k]));
  rows = std::move(sorted);
  return out;
}

std::vector<std::string> state_lines(const exec::Result& result, const std::vector<std::string>& names, bool hexa) {
  StateRows sr = state_rows(result, names);
  std::vector<std::string> lines;
  lines.reserve(sr.rows.size());
  for (const auto& row : sr.rows) {
    std::string line;
    for (size_t k = 0; k < sr.locations.size(); ++k) {
      if (sr.locations[k].rfind("Fault(", 0) == 0) {  // a fault atom, after the locations: ` Fault(..);` or ` ~Fault(..);`
        line += row[k].kind == Value::Kind::Int && row[k].i ? " " : " ~";
        line += sr.locations[k] + ';';
        continue;
      }
      if (k) line += ' ';
      line += sr.locations[k];
      line += '=';
      if (!sr.whole[k]) {
        line += value_text(row[k], names, sr.types[k], hexa);
      } else {  // the cells of one array, adjacent in display order: `x={1,2}`
        line += '{';
        for (size_t j = k; j < sr.locations.size() && sr.whole[j] && sr.locations[j] == sr.locations[k]; ++j) {
          if (j > k) line += ',';
          line += value_text(row[j], names, sr.types[j], hexa);
        }
        line += '}';
        while (k + 1 < sr.locations.size() && sr.whole[k + 1] && sr.locations[k + 1] == sr.locations[k]) ++k;
      }
      line += ';';
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string herd_report(const litmus::Test& test, const exec::Result& result,
                        const std::vector<std::string>& location_names, const ReportOptions& opts) {
  std::string name = report_name(test);
  uint64_t pos = result.positive, neg = result.negative;
  std::string out;
  out += fmt::format("Test {} {}\n", name, test_kind(test));
  out += fmt::format("States {}\n", result.states.size());
  for (const auto& line : state_lines(result, location_names, opts.hexa)) {
    out += line;
    out += '\n';
  }
  out += fmt::format("{}{}\n", result.loop ? "Loop " : "", condition_ok(test, pos, neg) ? "Ok" : "No");
  out += "Witnesses\n";
  if (quantifier(test) == Quantifier::NotExists)
    out += fmt::format("Positive: {} Negative: {}\n", neg, pos);
  else
    out += fmt::format("Positive: {} Negative: {}\n", pos, neg);
  for (const auto& f : result.flags) out += fmt::format("Flag {}\n", f);  // std::set: byte-wise order
  out += fmt::format("Condition {}\n", condition_text(test, opts.hexa));
  out += fmt::format("Observation {} {} {} {}\n", name, observation(pos, neg), pos, neg);
  if (opts.time) out += fmt::format("Time {} {:.2f}\n", name, result.seconds);
  if (opts.candidates) out += fmt::format("Candidates {} {}\n", name, result.candidates);
  if (opts.hash_line) out += fmt::format("Hash={}\n", opts.hash ? *opts.hash : herd_hash(test));
  out += '\n';
  return out;
}

}  // namespace paddock::report
