# clang rejects one header of Debian's ANTLR 4.9 C++ runtime, misc/InterpreterDataReader.h (its default
# constructor default-constructs a Vocabulary, whose const std::vector member has no initializer; g++ accepts
# it). Nothing in paddock uses that reader, so for clang builds a copy of antlr4-runtime.h without that one
# include is put first on the include path; every other header still comes from the runtime's own folder.
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  file(READ ${ANTLR4_INCLUDE_DIR}/antlr4-runtime.h runtime_h)
  string(REPLACE "#include \"misc/InterpreterDataReader.h\"" "" runtime_h "${runtime_h}")
  file(WRITE ${PROJECT_BINARY_DIR}/clang-antlr/antlr4-runtime.h "${runtime_h}")
  include_directories(BEFORE ${PROJECT_BINARY_DIR}/clang-antlr)
endif()
