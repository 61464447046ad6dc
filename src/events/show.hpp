#pragma once
#include <string>

#include "events/events.hpp"

namespace paddock::events {
std::string show(const Program& p);
}
