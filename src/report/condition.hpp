// herd7's echo of a test's condition (the `Condition` line), the locations herd displays, and
// evaluation of a proposition over a final state.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "events/events.hpp"
#include "litmus/ast.hpp"

namespace paddock::report {

// `0:r1` for a register, `[x]` for a global (as in state lines and the condition echo).
std::string location_text(const litmus::Location& loc);

// The proposition as herd prints it: atoms `0:r0=1` / `[x]=1` / `0:r0=x`, `!=` as `not (a=v)`,
// `~P` as `not (P)`, `true`/`false`, ` /\ `, ` \/ `, ` => `, parentheses re-derived from the tree.
std::string prop_text(const litmus::Prop& p, bool hexa = false);

// The whole echo: `exists (P)`, `~exists (P)`, `forall (P)`; `forall (true)` when the test has no condition.
std::string condition_text(const litmus::Test& t, bool hexa = false);

// Locations of a proposition (atoms' left-hand sides), in source order, with repeats.
void prop_locations(const litmus::Prop& p, std::vector<litmus::Location>& out);

// herd's displayed locations: the `locations [...]` clause plus the condition's locations (not the
// filter's), without repeats, in herd's order (registers by thread then name, then globals; byte-wise).
std::vector<litmus::Location> displayed_locations(const litmus::Test& t);

// The value a location holds in a final state; nullopt when the caller does not know it.
using Lookup = std::function<std::optional<events::Value>(const litmus::Location&)>;

// Evaluates a proposition. An atom's address value `x` is compared with the address of location `x`
// (`location_names` are the program's locations sorted by name, Value::Addr indexes them); a name that is
// no location never equals anything. An unknown (thin-air) value equals nothing. A location the lookup
// does not know reads as 0 (herd: unknown locations read as 0).
bool eval_prop(const litmus::Prop& p, const Lookup& lookup, const std::vector<std::string>& location_names);

// Convenience: the state's values are those of `displayed` (same order).
bool eval_prop(const litmus::Prop& p, const std::vector<litmus::Location>& displayed,
               const std::vector<events::Value>& state, const std::vector<std::string>& location_names);

}  // namespace paddock::report
