// The emitted litmus tests: L1-L10 with the kernel's header conventions.
#include <catch2/catch.hpp>

#include "perf/litmus_emit.hpp"

using namespace paddock::perf;

TEST_CASE("ten litmus tests with a Result line and the fragment's mapping", "[perf][litmus]") {
  auto t = litmus_tests();
  REQUIRE(t.size() == 10);
  for (auto& f : t) {
    INFO(f.name);
    CHECK(f.text.rfind("C " + f.name.substr(0, f.name.size() - 7) + "\n", 0) == 0);
    bool never = f.text.find(" * Result: Never\n") != std::string::npos;
    bool sometimes = f.text.find(" * Result: Sometimes\n") != std::string::npos;
    CHECK(never != sometimes);
    CHECK(f.text.find("Variables:") != std::string::npos);
    CHECK(f.text.find("seed") != std::string::npos);
    CHECK(f.text.find("\nexists (") != std::string::npos);
  }
  CHECK(t[0].name == "C-peterz.litmus");
  // The seed's test, verbatim bodies (tab-indented): herd7's Hash= depends on them.
  CHECK(t[0].text.find("P2(int *x, int *z)\n{\n\tint r1;\n\tint r2;\n\n\tr1 = smp_load_acquire(z);\n\tsmp_mb();\n") !=
        std::string::npos);
}
