# paddock_antlr(<target> <grammar.g4> <namespace> <GrammarName>)
# Generates the C++ parser and visitor for a combined grammar at build time with the antlr4 wrapper in
# /usr/bin (the runtime package's own helper calls `java -jar` on a jar without a Class-Path and fails),
# and builds it as a static library without our warning flags, linked with the static ANTLR runtime (fewer
# dynamic relocations and cheaper dynamic_casts at run time). cmake/AntlrPatch.cmake makes the generated
# ATN initialisation lazy.
function(paddock_antlr target grammar ns name)
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/antlr_${name})
  set(outs
    ${gen}/${name}Lexer.cpp ${gen}/${name}Lexer.h
    ${gen}/${name}Parser.cpp ${gen}/${name}Parser.h
    ${gen}/${name}Visitor.cpp ${gen}/${name}Visitor.h
    ${gen}/${name}BaseVisitor.cpp ${gen}/${name}BaseVisitor.h)
  add_custom_command(OUTPUT ${outs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}
    COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -visitor -no-listener -Werror
            -package ${ns} -o ${gen} -Xexact-output-dir ${grammar}
    COMMAND ${CMAKE_COMMAND} "-DFILES=${gen}/${name}Lexer.cpp;${gen}/${name}Parser.cpp"
            -P ${PROJECT_SOURCE_DIR}/cmake/AntlrPatch.cmake
    DEPENDS ${grammar} ${PROJECT_SOURCE_DIR}/cmake/AntlrPatch.cmake VERBATIM)
  add_library(${target} STATIC ${outs})
  target_include_directories(${target} SYSTEM PUBLIC ${gen} ${ANTLR4_INCLUDE_DIR})
  target_link_libraries(${target} PUBLIC antlr4_static)
  target_compile_options(${target} PRIVATE -w)
  # The 4.7.2 tool writes u8"" literals that C++20 types as char8_t.
  target_compile_options(${target} PUBLIC -fno-char8_t)
endfunction()

# paddock_antlr_split(<target> <namespace> <Name> <NameLexer.g4> <NameParser.g4>)
# Same for a grammar split into a lexer grammar <Name>Lexer and a parser grammar <Name>Parser
# (needed when the lexer uses modes).
function(paddock_antlr_split target ns name lexer_g4 parser_g4)
  set(gen ${CMAKE_CURRENT_BINARY_DIR}/antlr_${name})
  set(outs
    ${gen}/${name}Lexer.cpp ${gen}/${name}Lexer.h
    ${gen}/${name}Parser.cpp ${gen}/${name}Parser.h
    ${gen}/${name}ParserVisitor.cpp ${gen}/${name}ParserVisitor.h
    ${gen}/${name}ParserBaseVisitor.cpp ${gen}/${name}ParserBaseVisitor.h)
  add_custom_command(OUTPUT ${outs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}
    COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -no-listener -Werror
            -package ${ns} -o ${gen} -Xexact-output-dir ${lexer_g4}
    COMMAND ${ANTLR4_TOOL} -Dlanguage=Cpp -visitor -no-listener -Werror
            -package ${ns} -o ${gen} -Xexact-output-dir -lib ${gen} ${parser_g4}
    COMMAND ${CMAKE_COMMAND} "-DFILES=${gen}/${name}Lexer.cpp;${gen}/${name}Parser.cpp"
            -P ${PROJECT_SOURCE_DIR}/cmake/AntlrPatch.cmake
    DEPENDS ${lexer_g4} ${parser_g4} ${PROJECT_SOURCE_DIR}/cmake/AntlrPatch.cmake VERBATIM)
  add_library(${target} STATIC ${outs})
  target_include_directories(${target} SYSTEM PUBLIC ${gen} ${ANTLR4_INCLUDE_DIR})
  target_link_libraries(${target} PUBLIC antlr4_static)
  target_compile_options(${target} PRIVATE -w)
  # The 4.7.2 tool writes u8"" literals that C++20 types as char8_t.
  target_compile_options(${target} PUBLIC -fno-char8_t)
endfunction()
