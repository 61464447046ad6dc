// The ordering constructs of a C litmus test that --minimize may weaken, found in the parsed test (before macro
// expansion) and located in the source text, each with its weaker forms as replacement source text.
#pragma once
#include <string>
#include <vector>

#include "litmus/ast.hpp"
#include "program/macros.hpp"

namespace paddock::minimize {

// One form of a construct: level 0 is the original; `weaker` lists the forms one step weaker (herd's LKMM order:
// smp_mb > smp_wmb, smp_rmb > nothing; full RMW > _acquire, _release > _relaxed; release/acquire > ONCE).
struct Level {
  std::string name;  // smp_wmb, WRITE_ONCE, (nothing), xchg_relaxed ...
  std::string text;  // replacement of the construct's source text ("" removes a fence call)
  std::vector<int> weaker;
};

struct Construct {
  int thread = 0;
  Pos pos;            // where the call starts
  size_t begin = 0;   // the call's source text: [begin, end) in the test text
  size_t end = 0;
  std::string text;   // the call as written
  std::vector<Level> levels;
  // leq[i][j]: level i is weaker than or equal to level j (reflexive-transitive closure of `weaker`).
  std::vector<std::vector<bool>> leq;
};

// Every weakenable construct of the test, in source order. The replacement names are only offered when the
// macro table defines them.
std::vector<Construct> find_constructs(const litmus::Test& test, const std::string& text,
                                       const program::MacroTable& macros);

// The test text with construct k at level levels[k] (0: unchanged).
std::string apply(const std::string& text, const std::vector<Construct>& cs, const std::vector<int>& levels);

// "17:2 smp_mb() -> smp_rmb(); 24:2 smp_store_release(z, 1) -> WRITE_ONCE(*z, 1)" ("unchanged" when none).
std::string diff_line(const std::vector<Construct>& cs, const std::vector<int>& levels);

}  // namespace paddock::minimize
