# paddock_embed(<output.cpp> <symbol-prefix> FILES f1 f2 ...)
# Writes a C++ file holding each file's bytes, so the bundled models work from any directory.
# The table maps the file's base name to its contents.
function(paddock_embed out FILES)
  set(files ${ARGN})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} "-DFILES=${files}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake
    DEPENDS ${files} ${PROJECT_SOURCE_DIR}/cmake/EmbedScript.cmake VERBATIM)
endfunction()
