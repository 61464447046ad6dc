// The bug scenarios of spec §3 (plus the soak configuration), each with its variants and expected verdicts.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "perf/model.hpp"
#include "perf/props.hpp"

namespace paddock::perf {

struct Expect {
  bool pass = true;
  std::vector<Prop> kinds;  // failure classes that must be found (others may accompany them)
  std::string note;
};

struct VariantSpec {
  std::string name;
  std::function<void(Flags&)> set;
  Expect expect;
};

struct ScenarioSpec {
  std::string name, seed, title;
  bool extra = false;  // a finding beyond the seeds
  std::vector<VariantSpec> variants;
  std::function<void(Model&)> build;
  uint64_t max_states = 0;  // default bound for this scenario (0: the explorer's default)
};

const std::vector<ScenarioSpec>& scenarios();
const ScenarioSpec* find_scenario(const std::string& name);
const VariantSpec* find_variant(const ScenarioSpec& s, const std::string& name);
// Models capture their own address in step closures: they live on the heap and never move.
std::unique_ptr<Model> build_model(const ScenarioSpec& s, const VariantSpec& v);

}  // namespace paddock::perf
