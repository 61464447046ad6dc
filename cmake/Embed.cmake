# paddock_embed(<output.cpp> FILES f1 f2 ...)
# Writes a C++ file holding each file's bytes, so the bundled models work from any directory, and for the cat and
# bell files their syntax trees parsed at build time (by the paddock_embed_models tool, src/cat/embed_models.cpp).
# The table maps the file's base name to its contents.
function(paddock_embed out FILES)
  set(files ${ARGN})
  add_custom_command(OUTPUT ${out}
    COMMAND paddock_embed_models ${out} ${files}
    DEPENDS paddock_embed_models ${files} VERBATIM)
endfunction()
