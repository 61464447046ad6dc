// Building symbolic values in the assembly lowerings: constants, and binary operations folded to a constant
// when both operands are constants (so that statically decided branches make a single path).
#pragma once
#include <string>
#include <utility>

#include "events/events.hpp"

namespace paddock::events {

inline SymPtr konst(Value v) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Const;
  s->value = v;
  return s;
}

inline SymPtr binop(const std::string& op, SymPtr a, SymPtr b) {
  auto s = std::make_shared<Sym>();
  s->kind = Sym::Kind::Binary;
  s->op = op;
  s->a = std::move(a);
  s->b = std::move(b);
  if (s->a->kind == Sym::Kind::Const && s->b->kind == Sym::Kind::Const) {
    Value v = eval(*s, {});
    if (v.kind != Value::Kind::Unknown) return konst(v);
  }
  return s;
}

}  // namespace paddock::events
