// The integer C types an init block declares (`uint32_t 0:X0;`, `int8_t x;`): width and signedness.
#include "litmus/ast.hpp"

namespace paddock::litmus {

int type_bits(const std::string& type) {
  if (type == "int8_t" || type == "uint8_t" || type == "char" || type == "unsigned char") return 8;
  if (type == "int16_t" || type == "uint16_t" || type == "short" || type == "unsigned short") return 16;
  if (type == "int" || type == "int32_t" || type == "uint32_t" || type == "unsigned" || type == "unsigned int")
    return 32;
  if (type == "int64_t" || type == "uint64_t" || type == "long" || type == "unsigned long" || type == "intptr_t" ||
      type == "uintptr_t")
    return 64;
  return 0;
}

bool type_unsigned(const std::string& type) { return type.rfind("uint", 0) == 0 || type.rfind("unsigned", 0) == 0; }

}  // namespace paddock::litmus
