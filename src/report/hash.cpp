#include "report/hash.hpp"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "report/condition.hpp"
#include "report/md5.hpp"

namespace paddock::report {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// `0:r1` or `x` (no brackets: the hash prints locations bare).
std::string bare(int thread, const std::string& name) {
  return thread >= 0 ? fmt::format("{}:{}", thread, name) : name;
}

// One init entry as herd prints it from the parsed form.
std::string init_entry_text(const litmus::InitEntry& e) {
  std::string loc = bare(e.thread, !e.name.empty() && e.name[0] == '%' ? e.name.substr(1) : e.name);
  if (e.array_size) return fmt::format("{} {}[{}]", e.type, loc, *e.array_size);
  std::string value = e.value_text.empty() ? "0" : e.value_text;
  // herd gives an instruction value the type ins_t.
  if (e.type.empty() && e.is_instr) return fmt::format("ins_t {}={}", loc, value);
  if (e.type.empty()) return fmt::format("{}{}={}", std::string(size_t(e.stars), '*'), loc, value);
  if (e.stars == 0) return fmt::format("{} {}={}", e.type, loc, value);
  // `int **p` is a pointer to `int*`: herd prints the pointed-to type, then `*p`.
  return fmt::format("{}{} *{}={}", e.type, std::string(size_t(e.stars - 1), '*'), loc, value);
}

}  // namespace

std::string hash_info_text(const litmus::Test& t) {
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& [k, v] : t.meta) {
    std::string lk = lower(k);
    if (lk == "memorytype" || lk == "mt" || lk == "cachetype") kept.emplace_back(lk, v);
  }
  std::sort(kept.begin(), kept.end());
  std::string out;
  for (auto it = kept.rbegin(); it != kept.rend(); ++it) out += it->first + "=" + it->second;
  return out;
}

std::string hash_init_text(const litmus::Test& t) {
  std::vector<std::pair<litmus::Location, std::string>> entries;
  for (const auto& e : t.init) {
    litmus::Location l;
    l.thread = e.thread;
    l.name = e.name;
    entries.emplace_back(l, init_entry_text(e));
  }
  // Registers, then symbolic registers (`%r`, printed without the %), then global locations.
  auto rank = [](const litmus::Location& l) { return l.thread >= 0 ? 0 : !l.name.empty() && l.name[0] == '%' ? 1 : 2; };
  std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
    if (rank(a.first) != rank(b.first)) return rank(a.first) < rank(b.first);
    return a.first < b.first;
  });
  std::vector<std::string> parts;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && entries[i] == entries[i - 1]) continue;
    parts.push_back(entries[i].second);
  }
  return join(parts, "; ");
}

std::string hash_code_text(const litmus::Test& t) {
  std::vector<std::string> cells;
  for (const auto& th : t.threads) {
    std::vector<std::string> params;
    for (const auto& p : th.params)
      params.push_back(fmt::format("{}{} {}", p.type, std::string(size_t(p.stars), '*'), p.name));
    cells.push_back(fmt::format("P{}({}) {{\n{}\n}}\n", th.id, join(params, ", "), th.body_text));
  }
  return " " + join(cells, " | ") + " ;\n";
}

std::string hash_locations_text(const litmus::Test& t) {
  std::vector<std::string> parts;
  for (const auto& l : displayed_locations(t)) {
    std::string b = bare(l.thread, l.whole ? l.base() : l.name);  // `x={1,2}` is the location x
    if (parts.empty() || parts.back() != b) parts.push_back(b);
  }
  return join(parts, "; ");
}

std::string herd_hash(const litmus::Test& t) {
  for (const auto& [k, v] : t.meta)
    if (k == "Hash") return v;
  std::string info = hash_info_text(t);
  std::string data = info.empty() ? std::string() : md5_raw(info);
  data += md5_raw(hash_init_text(t));
  data += md5_raw(hash_code_text(t));
  data += md5_raw(hash_locations_text(t));
  return md5_hex(data);
}

}  // namespace paddock::report
