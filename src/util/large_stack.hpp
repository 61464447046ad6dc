// Runs a function on a thread with a large stack. The parser, the builder and the value solver recurse once per
// level of expression nesting: a 5,000-deep parenthesised value needs more than the default 8 MB (and more
// still with sanitizer frames). The stack is reserved, and only touched as deep as the test needs.
#pragma once
#include <functional>

namespace paddock::util {

// Calls f on a 1 GiB-stack thread and rethrows what it throws; calls it in place when no thread can be had.
void with_large_stack(const std::function<void()>& f);

}  // namespace paddock::util
