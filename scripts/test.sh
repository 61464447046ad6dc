#!/usr/bin/env bash
# Builds paddock twice and runs the whole test suite (Catch2 units + litmus conformance via CTest):
#   1. RelWithDebInfo: every test, including the conformance run over ../shared/corpus when it exists;
#   2. AddressSanitizer + UBSan: the same suite;
#   3. clang + libFuzzer: the fuzz targets, each fuzzed about a minute (fuzz/run.sh).
# CTest's closing line ("100% tests passed, 0 tests failed out of N") is the verdict.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${JOBS:-2}

if [ -d ../shared/corpus ]; then
  echo "paddock: conformance corpus found at ../shared/corpus"
else
  echo "paddock: ../shared/corpus is absent: the corpus conformance tests will report themselves skipped"
fi

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPADDOCK_SANITIZE=ON
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$jobs" -LE slow)

# The fuzz targets (fuzz/README.md): a clang build with libFuzzer + ASan/UBSan of the fuzz targets only, each
# fuzzed FUZZ_SECONDS (after replaying its seeds); a finding fails the run.
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" \
  -DCMAKE_CXX_COMPILER=clang++ -DPADDOCK_SANITIZE=ON -DPADDOCK_FUZZ=ON
cmake --build build-fuzz -j"$jobs" --target fuzz_c fuzz_cat fuzz_diff fuzz_asm
fuzz/run.sh build-fuzz "${FUZZ_SECONDS:-60}"

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")
