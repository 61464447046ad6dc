# Run with -DFILES=a.cpp;b.cpp (the generated lexer and parser sources of ANTLR 4.7.2's C++ target).
# The generated code deserialises and verifies its ATN in a static initialiser, i.e. in every process before
# main, whether or not the grammar is used. This makes it happen on the first construction of the lexer or parser
# instead, and skips the verification (the ATN comes from the tool; tests/cat checks it verifies).
foreach(f IN LISTS FILES)
  file(READ ${f} src)
  string(REGEX MATCH "([A-Za-z0-9_]+)::Initializer ([A-Za-z0-9_]+)::_init;" decl "${src}")
  if(NOT decl)
    message(FATAL_ERROR "AntlrPatch: no static Initializer in ${f} (ANTLR version changed?)")
  endif()
  set(cls ${CMAKE_MATCH_1})
  string(REPLACE "${decl}" "// (paddock: initialised on first construction, see cmake/AntlrPatch.cmake)" src "${src}")
  set(n 0)
  foreach(ctor "${cls}::${cls}(TokenStream *input) : Parser(input) {" "${cls}::${cls}(CharStream *input) : Lexer(input) {")
    string(FIND "${src}" "${ctor}" at)
    if(NOT at EQUAL -1)
      string(REPLACE "${ctor}" "${ctor}\n  static Initializer once;  // thread-safe one-time initialisation\n  (void)once;" src "${src}")
      math(EXPR n "${n} + 1")
    endif()
  endforeach()
  string(FIND "${src}" "atn::ATNDeserializer deserializer;" at)
  if(NOT n EQUAL 1 OR at EQUAL -1)
    message(FATAL_ERROR "AntlrPatch: unexpected generated code in ${f} (ANTLR version changed?)")
  endif()
  string(REPLACE "atn::ATNDeserializer deserializer;"
    "atn::ATNDeserializationOptions options;\n  options.setVerifyATN(false);\n  atn::ATNDeserializer deserializer(options);"
    src "${src}")
  file(WRITE ${f} "${src}")
endforeach()
