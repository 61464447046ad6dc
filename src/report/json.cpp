#include "report/json.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/condition.hpp"
#include "report/hash.hpp"
#include "report/herd_text.hpp"

namespace paddock::report {

using Json = nlohmann::ordered_json;  // fields in insertion order: the documented order
using events::Value;

namespace {

Json value_json(const Value& v, const std::vector<std::string>& names, const std::string& type = "") {
  switch (v.kind) {
    case Value::Kind::Int:
      // A 64-bit unsigned location is shown from its bits, as in the text report.
      if (litmus::type_bits(type) == 64 && litmus::type_unsigned(type)) return Json(uint64_t(v.i));
      return Json(v.i);
    case Value::Kind::Addr: return Json{{"address", value_text(v, names)}};
    case Value::Kind::Unknown: return Json{{"unknown", value_text(v, names)}};
    case Value::Kind::Code: return Json{{"code", value_text(v, names)}};
  }
  return Json();
}

Json header(const std::string& file) {
  Json j;
  j["format"] = "paddock-report";
  j["version"] = kJsonVersion;
  j["file"] = file;
  return j;
}

}  // namespace

std::string json_report(const litmus::Test& test, const exec::Result& result,
                        const std::vector<std::string>& names, const JsonContext& ctx) {
  Json j = header(ctx.file);
  uint64_t pos = result.positive, neg = result.negative;
  j["test"] = report_name(test);
  j["model"] = ctx.model;
  j["kind"] = test_kind(test);
  j["condition"] = condition_text(test);
  j["verdict"] = condition_ok(test, pos, neg) ? "Ok" : "No";
  j["loop"] = result.loop;
  j["observation"] = observation(pos, neg);
  j["positive"] = pos;
  j["negative"] = neg;
  StateRows sr = state_rows(result, names);
  Json states = Json::array();
  for (const auto& row : sr.rows) {
    Json st = Json::object();
    for (size_t k = 0; k < sr.locations.size(); ++k) {
      const std::string& key = sr.locations[k];
      if (key.rfind("Fault(", 0) == 0) {  // a fault atom (AArch64): whether the execution raised it
        st[key] = row[k].kind == Value::Kind::Int && row[k].i != 0;
      } else if (sr.whole[k]) {  // a whole array, `x={1,2}`: its cells in order
        Json cells = Json::array();
        for (; k < sr.locations.size() && sr.whole[k] && sr.locations[k] == key; ++k)
          cells.push_back(value_json(row[k], names, sr.types[k]));
        --k;
        st[key] = std::move(cells);
      } else {
        st[key] = value_json(row[k], names, sr.types[k]);
      }
    }
    states.push_back(std::move(st));
  }
  j["states"] = std::move(states);
  Json flags = Json::array();
  for (const auto& f : result.flags) flags.push_back(f);  // std::set: herd's byte-wise order
  j["flags"] = std::move(flags);
  j["hash"] = ctx.hash ? *ctx.hash : herd_hash(test);
  j["time"] = ctx.time ? Json(result.seconds) : Json();
  j["candidates"] = ctx.candidates ? Json(result.candidates) : Json();
  j["error"] = nullptr;
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string json_error(const std::string& file, Pos p, const std::string& message) {
  Json j = header(file);
  Json e;
  e["line"] = p.line > 0 ? Json(p.line) : Json();
  e["column"] = p.line > 0 ? Json(p.col) : Json();
  e["message"] = message;
  j["error"] = std::move(e);
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace paddock::report
