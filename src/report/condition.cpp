#include "report/condition.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace paddock::report {

using litmus::Location;
using litmus::Prop;
using Kind = litmus::Prop::Kind;

std::string location_text(const Location& loc) {
  if (!loc.fault.empty())
    return loc.fault == "*" ? fmt::format("Fault(P{}:{})", loc.thread, loc.name)
                            : fmt::format("Fault(P{}:{},{})", loc.thread, loc.name, loc.fault);
  if (loc.thread >= 0) return fmt::format("{}:{}", loc.thread, loc.name);
  if (!loc.name.empty() && loc.name.back() == ']') return loc.name;  // an array cell, `v[1]`
  return fmt::format("[{}]", loc.name);
}

namespace {

std::string atom_text(const Prop& p, bool hexa) {
  std::string v = p.value.reg             ? location_text(*p.value.reg)
                  : !p.value.code.empty() ? p.value.code
                  : p.value.is_addr        ? p.value.addr
                  : hexa            ? fmt::format("0x{:x}", uint64_t(p.value.value))
                                    : fmt::format("{}", p.value.value);
  if (!p.loc.fault.empty()) {  // echoed lower-case, as herd
    std::string f = location_text(p.loc);
    f[0] = 'f';
    return f;
  }
  std::string eq = fmt::format("{}={}", location_text(p.loc), v);
  return p.negated_eq ? fmt::format("not ({})", eq) : eq;
}

// `x={1,2}`: the values of the whole cells the And chain of an array comparison holds.
void cell_values(const Prop& p, bool hexa, std::vector<std::string>& out) {
  if (p.kind == Kind::Atom) {
    out.push_back(hexa ? fmt::format("0x{:x}", uint64_t(p.value.value)) : fmt::format("{}", p.value.value));
    return;
  }
  if (p.left) cell_values(*p.left, hexa, out);
  if (p.right) cell_values(*p.right, hexa, out);
}

std::string array_text(const Prop& p, bool hexa) {
  std::vector<std::string> vals;
  cell_values(p, hexa, vals);
  std::string out = p.array_name + "={";
  for (size_t k = 0; k < vals.size(); ++k) out += (k ? "," : "") + vals[k];
  return out + "}";
}

// Whether `child`, printed as an operand of `parent`, needs parentheses (herd re-derives them:
// `\/` and `=>` under `/\`, `=>` under `\/`, `/\` and `\/` under `=>`; same operator never).
bool needs_parens(Kind parent, Kind child) {
  switch (parent) {
    case Kind::And: return child == Kind::Or || child == Kind::Implies;
    case Kind::Or: return child == Kind::Implies;
    case Kind::Implies: return child == Kind::And || child == Kind::Or;
    default: return false;
  }
}

std::string operand_text(Kind parent, const Prop& child, bool hexa) {
  std::string s = prop_text(child, hexa);
  return child.array_name.empty() && needs_parens(parent, child.kind) ? fmt::format("({})", s) : s;
}

}  // namespace

std::string prop_text(const Prop& p, bool hexa) {
  if (!p.array_name.empty()) return array_text(p, hexa);
  switch (p.kind) {
    case Kind::True: return "true";
    case Kind::False: return "false";
    case Kind::Atom: return atom_text(p, hexa);
    case Kind::Not: return fmt::format("not ({})", prop_text(*p.left, hexa));
    case Kind::And: return operand_text(p.kind, *p.left, hexa) + " /\\ " + operand_text(p.kind, *p.right, hexa);
    case Kind::Or: return operand_text(p.kind, *p.left, hexa) + " \\/ " + operand_text(p.kind, *p.right, hexa);
    case Kind::Implies: return operand_text(p.kind, *p.left, hexa) + " => " + operand_text(p.kind, *p.right, hexa);
  }
  return "";
}

std::string condition_text(const litmus::Test& t, bool hexa) {
  if (!t.condition || t.quantifier == litmus::Quantifier::None) return "forall (true)";
  const char* q = t.quantifier == litmus::Quantifier::Exists      ? "exists"
                  : t.quantifier == litmus::Quantifier::NotExists ? "~exists"
                                                                  : "forall";
  return fmt::format("{} ({})", q, prop_text(*t.condition, hexa));
}

void prop_locations(const Prop& p, std::vector<Location>& out) {
  switch (p.kind) {
    case Kind::Atom:
      out.push_back(p.loc);
      if (p.value.reg) out.push_back(*p.value.reg);
      break;
    case Kind::Not: prop_locations(*p.left, out); break;
    case Kind::And:
    case Kind::Or:
    case Kind::Implies:
      prop_locations(*p.left, out);
      prop_locations(*p.right, out);
      break;
    default: break;
  }
}

std::vector<Location> displayed_locations(const litmus::Test& t) {
  std::vector<Location> locs = t.locations;
  if (t.condition) prop_locations(*t.condition, locs);
  std::sort(locs.begin(), locs.end(), litmus::display_less);
  locs.erase(std::unique(locs.begin(), locs.end()), locs.end());
  return locs;
}

namespace {

bool atom_holds(const Prop& p, const Lookup& lookup, const std::vector<std::string>& names) {
  events::Value v = events::Value::num(0);
  if (auto got = lookup(p.loc)) v = *got;
  bool eq;
  if (v.kind == events::Value::Kind::Unknown) {
    eq = false;
  } else if (p.value.reg) {
    auto w = lookup(*p.value.reg);
    eq = v == (w ? *w : events::Value::num(0));
  } else if (!p.value.code.empty()) {
    eq = v.kind == events::Value::Kind::Code && events::code_value_text(v.i) == p.value.code;
  } else if (p.value.is_addr) {
    eq = v.kind == events::Value::Kind::Addr && v.i >= 0 && size_t(v.i) < names.size() &&
         names[size_t(v.i)] == p.value.addr;
  } else {
    eq = v.kind == events::Value::Kind::Int && v.i == p.value.value;
  }
  return p.negated_eq ? !eq : eq;
}

}  // namespace

bool eval_prop(const Prop& p, const Lookup& lookup, const std::vector<std::string>& names) {
  switch (p.kind) {
    case Kind::True: return true;
    case Kind::False: return false;
    case Kind::Atom: return atom_holds(p, lookup, names);
    case Kind::Not: return !eval_prop(*p.left, lookup, names);
    case Kind::And: return eval_prop(*p.left, lookup, names) && eval_prop(*p.right, lookup, names);
    case Kind::Or: return eval_prop(*p.left, lookup, names) || eval_prop(*p.right, lookup, names);
    case Kind::Implies: return !eval_prop(*p.left, lookup, names) || eval_prop(*p.right, lookup, names);
  }
  return false;
}

bool eval_prop(const Prop& p, const std::vector<Location>& displayed, const std::vector<events::Value>& state,
               const std::vector<std::string>& names) {
  Lookup lookup = [&](const Location& l) -> std::optional<events::Value> {
    for (size_t i = 0; i < displayed.size() && i < state.size(); ++i)
      if (displayed[i] == l) return state[i];
    return std::nullopt;
  };
  return eval_prop(p, lookup, names);
}

}  // namespace paddock::report
