// Evaluation and printing of symbolic values (herd's C arithmetic: 32-bit signed, wrapping; the X86_64
// lowering's `q` operators and `sext32` work on 64 bits).
#include <fmt/format.h>

#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>

#include "events/events.hpp"

namespace paddock::events {

const char* sort_name(Sort s) {
  static const char* names[] = {"R", "W", "F", "LKR", "LKW", "UL", "LF", "RL", "RU", "SRCU"};
  return names[int(s)];
}

namespace {
struct CodeTable {
  std::mutex m;
  std::deque<std::string> texts;  // stable references
  std::map<std::string, int> ids;
};
CodeTable& code_table() {
  static CodeTable t;
  return t;
}
}  // namespace

int code_value(const std::string& text) {
  auto& t = code_table();
  std::lock_guard<std::mutex> lock(t.m);
  auto [it, added] = t.ids.emplace(text, int(t.texts.size()));
  if (added) t.texts.push_back(text);
  return it->second;
}

const std::string& code_value_text(int64_t id) {
  auto& t = code_table();
  std::lock_guard<std::mutex> lock(t.m);
  return t.texts.at(size_t(id));
}

static int64_t wrap(int64_t v) { return int64_t(int32_t(uint32_t(uint64_t(v)))); }

uint64_t bit_reverse(const std::string& op, uint64_t x) {
  if (op == "rbit32" || op == "rbit64") {
    int w = op == "rbit32" ? 32 : 64;
    uint64_t r = 0;
    for (int i = 0; i < w; ++i) r |= ((x >> i) & 1) << (w - 1 - i);
    return r;
  }
  int group = op == "rev16" ? 2 : op == "rev32" ? 4 : 8;  // bytes reversed within each group
  uint64_t r = 0;
  for (int b = 0; b < 8; ++b) {
    int base = b / group * group, to = base + (group - 1 - (b - base));
    r |= ((x >> (8 * b)) & 0xff) << (8 * to);
  }
  return r;
}

Value eval(const Sym& s, const std::vector<Value>& reads) {
  switch (s.kind) {
    case Sym::Kind::Const:
      return s.value;
    case Sym::Kind::Read:
      return reads[size_t(s.read)];
    case Sym::Kind::Cond: {
      Value c = eval(*s.a, reads);
      if (c.kind == Value::Kind::Unknown) return c;
      bool t = c.kind == Value::Kind::Addr || c.kind == Value::Kind::Code || c.i != 0;
      return eval(t ? *s.b : *s.c, reads);
    }
    case Sym::Kind::Unary: {
      Value a = eval(*s.a, reads);
      if (a.kind == Value::Kind::Unknown) return a;
      if (s.op.rfind("mask", 0) == 0) {  // a narrower load's mask: integers only (lower_aarch64's loaded())
        if (a.kind == Value::Kind::Addr || a.kind == Value::Kind::Code) throw IllegalOperation(s.op, a);
        return a;
      }
      if (a.kind == Value::Kind::Addr || a.kind == Value::Kind::Code) {
        if (s.op == "!") return Value::num(0);
        if (s.op == "sext32" || s.op == "zext32" || s.op == "zext64") return a;  // a pointer keeps its name when shown as an int
        return Value::unknown();
      }
      if (s.op == "-") return Value::num(wrap(-a.i));
      if (s.op == "!") return Value::num(a.i == 0);
      if (s.op == "~") return Value::num(wrap(~a.i));
      if (s.op == "sext32") return Value::num(wrap(a.i));
      if (s.op == "~q") return Value::num(~a.i);
      // AArch64 widths: a W register, a byte/halfword/word access, zero- or sign-extended to 64 bits.
      if (s.op == "zext32") return Value::num(int64_t(uint32_t(uint64_t(a.i))));
      if (s.op == "zext64") return a;  // a 64-bit AArch64 load: herd's Mask Quad, the identity
      if (s.op == "zext16") return Value::num(int64_t(uint16_t(uint64_t(a.i))));
      if (s.op == "zext8") return Value::num(int64_t(uint8_t(uint64_t(a.i))));
      if (s.op == "sext16") return Value::num(int64_t(int16_t(uint16_t(uint64_t(a.i)))));
      if (s.op == "sext8") return Value::num(int64_t(int8_t(uint8_t(uint64_t(a.i)))));
      if (s.op.rfind("rbit", 0) == 0 || s.op.rfind("rev", 0) == 0) return Value::num(int64_t(bit_reverse(s.op, uint64_t(a.i))));
      return Value::unknown();
    }
    case Sym::Kind::Binary: {
      if (s.op == "+a" && s.a->kind == Sym::Kind::Binary && s.a->op == "+oob") {
        // A pointer past its location (lower_aarch64's mixed_plus), brought back inside by a computed offset.
        Value k = eval(*s.b, reads);
        int64_t at = s.a->b->value.i + k.i;
        if (k.kind == Value::Kind::Int && at >= 0 && at < s.a->c->value.i) return Value::addr(int(s.a->a->value.i + at));
        return Value::unknown();
      }
      Value a = eval(*s.a, reads), b = eval(*s.b, reads);
      if (a.kind == Value::Kind::Unknown || b.kind == Value::Kind::Unknown) return Value::unknown();
      const std::string& op = s.op;
      // Mixed-size mode's byte addresses (events/mixed.hpp): a location's bytes are consecutive indices.
      if (op == "+a") {
        if (a.kind == Value::Kind::Addr && b.kind == Value::Kind::Int) return Value::addr(int(a.i + b.i));
        if (b.kind == Value::Kind::Addr && a.kind == Value::Kind::Int) return Value::addr(int(b.i + a.i));
        if (a.kind == Value::Kind::Int && b.kind == Value::Kind::Int) return Value::num(int64_t(uint64_t(a.i) + uint64_t(b.i)));
        return Value::unknown();
      }
      if (a.kind == Value::Kind::Code || b.kind == Value::Kind::Code) {
        // Code values compare by identity (herd's CMP of two instructions); `-` says only whether they differ,
        // for the Z flag.
        if (op == "==") return Value::num(a == b);
        if (op == "!=" || op == "-" || op == "-q" || op == "^") return Value::num(!(a == b));
        if ((op == "+" || op == "+q") && a.kind == Value::Kind::Int && a.i == 0) return b;
        if ((op == "+" || op == "+q" || op == "-" || op == "-q") && b.kind == Value::Kind::Int && b.i == 0) return a;
        return Value::unknown();
      }
      if (a.kind == Value::Kind::Addr || b.kind == Value::Kind::Addr) {
        // Addresses compare by identity. The only arithmetic is adding or subtracting 0, the
        // fake-dependency idiom `p + (r & 0)` of kernel tests (a location has one cell).
        bool a_addr = a.kind == Value::Kind::Addr, b_addr = b.kind == Value::Kind::Addr;
        bool plus = op == "+" || op == "+q", minus = op == "-" || op == "-q";
        if (plus && a_addr && !b_addr && b.i == 0) return a;
        if (plus && b_addr && !a_addr && a.i == 0) return b;
        if (minus && a_addr && !b_addr && b.i == 0) return a;
        if (op == "==") return Value::num(a == b);
        if (op == "!=") return Value::num(!(a == b));
        if (op == "^" && a == b) return Value::num(0);  // `EOR X4,X3,X3` on a loaded pointer: a fake dependency
        if (op == "&&") return Value::num((a.kind == Value::Kind::Addr || a.i) && (b.kind == Value::Kind::Addr || b.i));
        if (op == "||") return Value::num((a.kind == Value::Kind::Addr || a.i) || (b.kind == Value::Kind::Addr || b.i));
        return Value::unknown();
      }
      int64_t x = a.i, y = b.i;
      // 64-bit operations of the X86_64 lowering: the same operators suffixed `q`, wrapping at 64 bits.
      if (op.size() > 1 && op.back() == 'q') {
        uint64_t ux = uint64_t(x), uy = uint64_t(y);
        if (op == "+q") return Value::num(int64_t(ux + uy));
        if (op == "-q") return Value::num(int64_t(ux - uy));
        if (op == "*q") return Value::num(int64_t(ux * uy));
        if (op == "<<q") return Value::num(int64_t(ux << (uy & 63)));
        if (op == ">>q") return Value::num(int64_t(ux >> (uy & 63)));  // logical
        if (op == ">>aq") return Value::num(x >> (uy & 63));             // arithmetic
        return Value::unknown();
      }
      // Unsigned 64-bit comparisons (AArch64's carry flag).
      if (op == "<u") return Value::num(uint64_t(x) < uint64_t(y));
      if (op == ">=u") return Value::num(uint64_t(x) >= uint64_t(y));
      if (op == "+") return Value::num(wrap(x + y));
      if (op == "-") return Value::num(wrap(x - y));
      if (op == "*") return Value::num(wrap(x * y));
      if (op == "/" || op == "%") {
        if (y == 0) throw std::domain_error("division by zero");
        if (x == INT32_MIN && y == -1) return Value::num(op == "/" ? x : 0);
        return Value::num(op == "/" ? x / y : x % y);
      }
      if (op == "&") return Value::num(x & y);
      if (op == "|") return Value::num(x | y);
      if (op == "^") return Value::num(x ^ y);
      if (op == "<<") return Value::num(wrap(int64_t(uint64_t(uint32_t(x)) << (y & 31))));
      if (op == ">>") return Value::num(wrap(x >> (y & 31)));
      if (op == "==") return Value::num(x == y);
      if (op == "!=") return Value::num(x != y);
      if (op == "<") return Value::num(x < y);
      if (op == ">") return Value::num(x > y);
      if (op == "<=") return Value::num(x <= y);
      if (op == ">=") return Value::num(x >= y);
      if (op == "&&") return Value::num(x && y);
      if (op == "||") return Value::num(x || y);
      return Value::unknown();
    }
  }
  return Value::unknown();
}

std::string to_string(const Value& v, const Program& p) {
  switch (v.kind) {
    case Value::Kind::Int:
      return fmt::format("{}", v.i);
    case Value::Kind::Addr:
      return v.i >= 0 && size_t(v.i) < p.locations.size() ? p.locations[size_t(v.i)].name : "?";
    case Value::Kind::Unknown:
      return "?";
    case Value::Kind::Code:
      return code_value_text(v.i);
  }
  return "?";
}

std::string to_string(const Sym& s, const Program& p) {
  switch (s.kind) {
    case Sym::Kind::Const:
      return to_string(s.value, p);
    case Sym::Kind::Read:
      return fmt::format("v{}", s.read);
    case Sym::Kind::Unary:
      return fmt::format("{}({})", s.op, to_string(*s.a, p));
    case Sym::Kind::Binary:
      return fmt::format("({} {} {})", to_string(*s.a, p), s.op, to_string(*s.b, p));
    case Sym::Kind::Cond:
      return fmt::format("({} ? {} : {})", to_string(*s.a, p), to_string(*s.b, p), to_string(*s.c, p));
  }
  return "?";
}

}  // namespace paddock::events
