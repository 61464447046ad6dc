# paddock's own LKMM files (models/) against the kernel's (../shared/corpus/kernel-model): every report
# must be identical, on the team's tests, the corpus, the probes in model_equivalence/ (each needs one
# model term that random tests rarely reach), and 500 generated random tests (fixed seed).
# Skipped (exit 77) when the kernel's model is not there.
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(model_eq_corpus ${PROJECT_SOURCE_DIR}/../shared/corpus)
set(model_eq_run ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/model_equivalence.py
    ${PROJECT_BINARY_DIR}/paddock ${model_eq_corpus}/kernel-model/linux-kernel.cfg)
add_test(NAME model_equivalence
  COMMAND ${model_eq_run} ${PROJECT_SOURCE_DIR}/litmus ${CMAKE_CURRENT_LIST_DIR}/model_equivalence
          ${model_eq_corpus}/lkmm ${model_eq_corpus}/catalogue-linux)
add_test(NAME model_equivalence.random COMMAND ${model_eq_run} --random 500 --seed 1)
set_tests_properties(model_equivalence model_equivalence.random PROPERTIES SKIP_RETURN_CODE 77)
