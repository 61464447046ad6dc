// Functions herd provides natively to cat (domain, range, linearisations, cross, map, ...).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cat/ast.hpp"
#include "cat/interpreter.hpp"
#include "cat/value.hpp"

namespace paddock::cat {

struct BuiltinCtx {
  size_t n;
  const Candidate& cand;
  const Relation& loc;  // the candidate's loc (empty if absent)
  std::function<Value(const Value& f, const Value& arg, const Pos&)> apply;
};

struct BuiltinFn {
  const char* name;
  int arity;  // number of curried arguments (a tuple counts as one)
  Value (*fn)(const BuiltinCtx&, const std::vector<Value>& args, const Pos&);
};

const BuiltinFn* find_builtin(const std::string& name);

// All total orders of the events of `s` that contain `order` restricted to s (none if that has a cycle).
std::vector<Relation> linear_extensions(const EventSet& s, const Relation& order);

}  // namespace paddock::cat
