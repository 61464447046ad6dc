// Litmus tests whose herd7 output is quoted in the project docs or seeds (texts reconstructed exactly,
// whitespace included, since the hash depends on it).
#pragma once

namespace paddock::report::testing {

// Seed 001 (Peter Zijlstra's perf/core mail): herd prints Hash=e427f41d9146b2a5445101d3e2fcaa34.
// The mail indents the test; the hash matches the kernel-style original: tab indentation.
inline constexpr const char* kPeterz =
    "C C-peterz\n"
    "\n"
    "{\n"
    "}\n"
    "\n"
    "P0(int *x, int *y)\n"
    "{\n"
    "\tint r1;\n"
    "\n"
    "\tWRITE_ONCE(*x, 1);\n"
    "\tsmp_mb();\n"
    "\tr1 = READ_ONCE(*y);\n"
    "}\n"
    "\n"
    "P1(int *y, int *z)\n"
    "{\n"
    "\tWRITE_ONCE(*y, 1);\n"
    "\tsmp_store_release(z, 1);\n"
    "}\n"
    "\n"
    "P2(int *x, int *z)\n"
    "{\n"
    "\tint r1;\n"
    "\tint r2;\n"
    "\n"
    "\tr1 = smp_load_acquire(z);\n"
    "\tsmp_mb();\n"
    "\tr2 = READ_ONCE(*x);\n"
    "}\n"
    "\n"
    "exists\n"
    "(0:r1=0 /\\ 2:r1=1 /\\ 2:r2=0)\n";

inline constexpr const char* kPeterzOutput =
    "Test C-peterz Allowed\n"
    "States 7\n"
    "0:r1=0; 2:r1=0; 2:r2=0;\n"
    "0:r1=0; 2:r1=0; 2:r2=1;\n"
    "0:r1=0; 2:r1=1; 2:r2=1;\n"
    "0:r1=1; 2:r1=0; 2:r2=0;\n"
    "0:r1=1; 2:r1=0; 2:r2=1;\n"
    "0:r1=1; 2:r1=1; 2:r2=0;\n"
    "0:r1=1; 2:r1=1; 2:r2=1;\n"
    "No\n"
    "Witnesses\n"
    "Positive: 0 Negative: 7\n"
    "Condition exists (0:r1=0 /\\ 2:r1=1 /\\ 2:r2=0)\n"
    "Observation C-peterz Never 0 7\n"
    "Time C-peterz 0.01\n"
    "Hash=e427f41d9146b2a5445101d3e2fcaa34\n"
    "\n";

// The MP+pooncerelease+poacquireonce of the kernel's litmus-tests documentation (locations x and y;
// the current tools/memory-model file uses buf and flag and hashes differently): herd-hash.md quotes
// Hash=579aaa14d8c35a39429b02e698241d09.
inline constexpr const char* kMpDoc =
    "C MP+pooncerelease+poacquireonce\n"
    "\n"
    "{}\n"
    "\n"
    "P0(int *x, int *y)\n"
    "{\n"
    "\tWRITE_ONCE(*x, 1);\n"
    "\tsmp_store_release(y, 1);\n"
    "}\n"
    "\n"
    "P1(int *x, int *y)\n"
    "{\n"
    "\tint r0;\n"
    "\tint r1;\n"
    "\n"
    "\tr0 = smp_load_acquire(y);\n"
    "\tr1 = READ_ONCE(*x);\n"
    "}\n"
    "\n"
    "exists (1:r0=1 /\\ 1:r1=0)\n";

}  // namespace paddock::report::testing
