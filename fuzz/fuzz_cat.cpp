// Fuzz target (b): the cat front end on arbitrary text -- parse, check that the syntax tree survives its
// binary form (cat/ast_io.hpp, used for the bundled models) unchanged, then load it as a model over herd's
// stdlib.cat (includes resolved among the bundled files, variants decided, names resolved, inputs analysed).
// A cat::Error with a well-formed message is a fine outcome; anything else is a finding.
#include <optional>

#include "cat/ast_io.hpp"
#include "cat/error.hpp"
#include "cat/interpreter.hpp"
#include "cat/model.hpp"
#include "cat/parse.hpp"
#include "harness.hpp"
#include "util/embedded.hpp"

using namespace paddock;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 16384) return 0;
  const std::string file = "fuzz.cat";
  std::string text(reinterpret_cast<const char*>(data), size);
  std::optional<cat::File> parsed;
  try {
    parsed = cat::parse_cat(text, file);
  } catch (const cat::Error& e) {
    fuzz::check_error_message(e.what(), file);
    return 0;
  }
  try {
    cat::File back = cat::read_ast(cat::write_ast(*parsed), file);
    std::string where;
    if (!cat::same_ast(*parsed, back, &where)) fuzz::finding("syntax tree changed by write_ast/read_ast: " + where);
  } catch (const cat::Error& e) {
    fuzz::finding(std::string("read_ast rejected write_ast's output: ") + e.what());
  }
  cat::LoadOptions lo;
  lo.embedded = [](const std::string& n) { return embedded_file(n); };
  lo.embedded_ast = [](const std::string& n) {
    const EmbeddedFile* f = embedded_entry(n);
    return f ? f->ast : std::string_view();
  };
  lo.variants = {"lkmmv2"};
  try {
    (void)cat::load_model_text(text, file, "", "", lo);
  } catch (const cat::Error& e) {
    // Errors from bundled included files name those files.
    if (std::string(e.what()).find(": error: ") == std::string::npos) fuzz::finding(std::string("malformed error message: ") + e.what());
  }
  return 0;
}
