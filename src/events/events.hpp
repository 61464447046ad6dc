// Event structures of a C litmus test: per thread, every control-flow path (and every outcome of
// cmpxchg, trylock, is_locked, add_unless) as a list of events with symbolic values, tags,
// intra-statement order, dependencies and the guards the path needs.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "litmus/ast.hpp"

namespace paddock::events {

// A value: a 32-bit integer, the address of a location, or unknown (thin air).
struct Value {
  // Code: an assembly test's code address or instruction (`label:"P0:L0"`, `instr:"B .+4"`, `NOP`), compared by
  // identity only; `i` is its number in code_value's table.
  enum class Kind { Int, Addr, Unknown, Code };
  Kind kind = Kind::Int;
  int64_t i = 0;  // Int: the value; Addr: location index; Code: code_value number
  static Value num(int64_t v) { return {Kind::Int, v}; }
  static Value addr(int loc) { return {Kind::Addr, loc}; }
  static Value unknown() { return {Kind::Unknown, 0}; }
  static Value code(int id) { return {Kind::Code, id}; }
  bool operator==(const Value& o) const { return kind == o.kind && i == o.i; }
  bool operator<(const Value& o) const { return kind != o.kind ? kind < o.kind : i < o.i; }
};

// A symbolic value built while executing a thread; `Read` stands for the value a read returns.
struct Sym;
using SymPtr = std::shared_ptr<const Sym>;
struct Sym {
  enum class Kind { Const, Read, Unary, Binary, Cond };
  Kind kind;
  Value value;     // Const
  int read = -1;   // Read: program-wide read number (Event::read_id)
  std::string op;  // Unary/Binary
  SymPtr a, b, c;
};

enum class Sort { R, W, F, LKR, LKW, UL, LF, RL, RU, SRCU };
const char* sort_name(Sort s);

// The herd primitive an event comes from, when the event's sort and annotations do not say it: a hardware
// mapping (map_hw.hpp) compiles each into the kernel's own instructions.
enum class Op : uint8_t { None, Xchg, Cmpxchg, AddUnless, AtomicOp, AtomicOpReturn, FetchOp, Lock, Trylock };

struct Event {
  Sort sort;
  std::vector<std::string> tags;  // annotations as written in the .def braces: ONCE, MB, rmb ...
  bool rmw = false;               // part of an atomic operation (herd's set RMW)
  Op op = Op::None;
  int read_id = -1;               // R, LF, RL, RU: program-wide number for Sym::Read
  SymPtr addr;                    // location (memory, lock and SRCU events)
  SymPtr value;                   // W: the value written
  int stmt = 0;                   // statement number along the path (po between statements)
  // Mixed-size mode (events/mixed.hpp): the path index of the first byte event of the access this byte belongs
  // to (its bytes share it: one single-copy-atomic class), and the byte's offset in the access. -1 otherwise.
  int access = -1;
  int byte = 0;
  Pos pos;
  bool is_memory_read() const { return sort == Sort::R; }
  bool is_memory_write() const { return sort == Sort::W; }
};

using Edge = std::pair<int, int>;  // indices into Path::events

// A guard the path needs: the symbolic value must be nonzero (`truth`) or zero.
struct Guard {
  SymPtr cond;
  bool truth;
};

struct Path {
  std::vector<Event> events;
  std::vector<Edge> iico;       // intra-statement order (operand -> consumer, R* -> W*, LKR -> LKW)
  std::vector<Edge> iico_data, iico_ctrl;
  std::vector<Edge> rmw;        // successful RMW pairs
  std::vector<Edge> addr, data, ctrl;  // raw dependencies (herd's, before the bell's carry-dep)
  std::map<std::string, std::vector<Edge>> rels;  // further named relations of an architecture (AArch64: amo, pick-addr ...)
  std::vector<Guard> guards;
  std::map<std::string, SymPtr> regs;  // register values at the end of the path
  // Every operation on a read's value evaluated along the path, in order, used or not: herd turns each into a
  // value equation, and a candidate whose equations its solver leaves unsolved is dropped (equations.hpp).
  std::vector<SymPtr> computed;
  // Values every candidate evaluates, used or not, so that an operation herd refuses (IllegalOperation: a
  // narrower load's mask on an address) is reported.
  std::vector<SymPtr> checked;
  // Faults the path raised (Variant=fatal: the thread stops there): the label of the faulting instruction, kind.
  std::vector<std::pair<std::string, std::string>> faults;
  bool loop_cut = false;               // needed more than the unroll bound: discarded, reported as Loop
  // What herd's warning names for the cut: the label jumped back to in asm tests, `While` for C loops.
  std::string cut_at = "While";
};

struct Location {
  std::string name;
  Value init;
  std::string type;  // as declared in the init block ("" if untyped or undeclared)
  bool show_as_int = false;  // its final value is shown and compared as herd's int (low 32 bits, signed): X86_64
};

// Mixed-size mode (-variant mixed): every location is one byte, and what a test names (`x`, a cell `t[1]`) is a
// view over consecutive bytes, little-endian (events/mixed.hpp).
struct ByteView {
  int first = 0, bytes = 0;  // location index of its lowest byte, and how many
  std::string type;          // the C type it is shown and compared at
};
struct MixedLayout {
  std::vector<int> base;                 // per location (byte): the index of its base's byte 0
  std::vector<int> base_bytes;           // per location: the size of its base in bytes
  std::map<std::string, ByteView> views;  // by name as the test writes it
};

struct Program {
  std::vector<Location> locations;              // every global location, sorted by name
  std::optional<MixedLayout> mixed;             // mixed-size mode: locations are bytes
  std::vector<std::vector<Path>> threads;       // all paths of each thread
  std::map<std::pair<int, std::string>, Value> reg_init;  // `0:r1=5;`
  int reads = 0;                                // number of read ids handed out
  // Declared types of registers (`uint64_t 0:X0;`), and the type of what is declared without one ("" none):
  // final values are shown and compared at these types (value_type.cpp).
  std::map<std::pair<int, std::string>, std::string> reg_types;
  std::string default_type;
  // Code values (labels, instructions) or faults occur: only the explicit engine runs such a program.
  bool code_or_faults = false;
  // Assembly: an access through an integer (or code) address computed at run time is refused, as herd refuses
  // "non symbolic" addresses; in C such an execution (a NULL dereference) is dropped.
  bool asm_addresses = false;
  int location_index(const std::string& name) const;  // -1 when unknown
  std::string type_of(int thread, const std::string& name) const;  // `thread` -1 for a global location
};

struct BuildOptions {
  int unroll = 2;      // herd unrolls `while` twice for C tests
  bool mixed = false;  // -variant mixed (byte-level mixed-size accesses)
  bool fatal = false;  // -variant fatal (AArch64: a fault ends its thread)
  bool nv2 = false;    // -variant nv2 (AArch64 FEAT_NV2: the VNCR page's system registers are memory)
};

// Builds the event structures of an expanded test. `bodies` are the macro-expanded thread bodies.
Program build(const litmus::Test& test, const std::vector<litmus::StmtPtr>& bodies, const BuildOptions& opts = {});

// An operation herd cannot apply to an address or code value, such as the mask of a 32-bit load (`mask32`):
// herd refuses the test ("Illegal operation mask32 on x").
struct IllegalOperation : std::domain_error {
  IllegalOperation(std::string o, Value x) : std::domain_error("illegal operation " + o), op(std::move(o)), v(x) {}
  std::string op;
  Value v;
};

// Evaluates a symbolic value given the values of reads (Unknown when it depends on an unknown read).
// Throws std::domain_error on a division by zero.
Value eval(const Sym& s, const std::vector<Value>& reads);

// The unary ops rbit32, rbit64 (bit order) and rev16, rev32, rev64 (byte order within each 2, 4 or 8 bytes).
uint64_t bit_reverse(const std::string& op, uint64_t x);

// An integer cut to the width of a declared type (litmus::type_bits) and sign- or zero-extended back
// (addresses and unknowns unchanged).
Value at_type(Value v, const std::string& type);

// Code values by their canonical text, numbered in one table for the process (thread-safe): equal texts, equal
// numbers.
int code_value(const std::string& text);
const std::string& code_value_text(int64_t id);

std::string to_string(const Sym& s, const Program& p);
std::string to_string(const Value& v, const Program& p);

}  // namespace paddock::events
