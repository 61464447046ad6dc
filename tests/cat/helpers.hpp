// Small helpers for building candidates and running models in tests.
#pragma once

#include <string>
#include <vector>

#include "cat/interpreter.hpp"

namespace cat_test {

using paddock::EventSet;
using paddock::Relation;
namespace cat = paddock::cat;

inline cat::LoadOptions opts(std::vector<std::string> variants = {}) {
  cat::LoadOptions o;
  o.include_dirs = {PADDOCK_MODELS_DIR};
  o.variants = std::move(variants);
  o.engine_names = {"r", "expected"};  // relations the tests' own candidates define
  return o;
}

inline std::shared_ptr<const cat::Model> model(const std::string& text, std::vector<std::string> variants = {}) {
  return cat::load_model_text(text, "test.cat", "", "", opts(std::move(variants)));
}

inline EventSet set_of(size_t n, std::initializer_list<size_t> xs) {
  EventSet s(n);
  for (size_t x : xs) s.set(x);
  return s;
}

inline Relation rel_of(size_t n, std::initializer_list<std::pair<size_t, size_t>> xs) {
  Relation r(n);
  for (auto [a, b] : xs) r.set(a, b);
  return r;
}

struct Run {
  size_t alternatives = 0;
  size_t allowed = 0;
  std::vector<cat::Outcome> outcomes;
};

inline Run run(const cat::Model& m, const cat::Candidate& c) {
  Run r;
  r.alternatives = cat::evaluate(m, c, [&](const cat::Outcome& o) {
    r.outcomes.push_back(o);
    if (o.allowed) ++r.allowed;
  });
  return r;
}

// Candidate skeleton: events with thread ids (-1 = init write), locations, kinds; po follows the order of
// events within a thread; int/ext from threads; loc from locations.
struct Ev {
  int thread;
  int loc;     // -1 for fences
  char kind;   // 'R', 'W', 'I' (init write), 'F'
  int64_t value = 0;
};

inline cat::Candidate build(const std::vector<Ev>& evs) {
  cat::Candidate c;
  size_t n = evs.size();
  c.n = n;
  EventSet R(n), W(n), IW(n), F(n);
  Relation po(n), loc(n), in(n), ex(n);
  for (size_t i = 0; i < n; ++i) {
    const Ev& e = evs[i];
    if (e.kind == 'R') R.set(i);
    if (e.kind == 'W' || e.kind == 'I') W.set(i);
    if (e.kind == 'I') IW.set(i);
    if (e.kind == 'F') F.set(i);
    c.values.push_back(e.value);
    for (size_t j = 0; j < n; ++j) {
      const Ev& f = evs[j];
      bool same_thread = e.thread >= 0 && e.thread == f.thread;
      if (same_thread) in.set(i, j);
      else ex.set(i, j);
      if (same_thread && i < j) po.set(i, j);
      if (e.loc >= 0 && e.loc == f.loc) loc.set(i, j);
    }
  }
  c.sets["R"] = R;
  c.sets["W"] = W;
  c.sets["M"] = R | W;
  c.sets["IW"] = IW;
  c.sets["F"] = F;
  c.rels["po"] = po;
  c.rels["loc"] = loc;
  c.rels["int"] = in;
  c.rels["ext"] = ex;
  c.rels["rf"] = Relation(n);
  // Final writes: by default none chosen (the cat then orders all writes freely).
  c.sets["FW"] = EventSet(n);
  return c;
}

}  // namespace cat_test
