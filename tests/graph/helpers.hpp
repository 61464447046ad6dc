// Runs a test through the bundled model and keeps the snapshots (and explanations) of its executions.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "driver/driver.hpp"
#include "graph/explain.hpp"
#include "graph/snapshot.hpp"
#include "util/files.hpp"

namespace graph_test {

namespace graph = paddock::graph;

inline const paddock::Session& session() {
  static paddock::Session s{paddock::Config{}};
  return s;
}

inline std::string source(const std::string& rel) {
  auto t = paddock::read_file(std::string(PADDOCK_SOURCE_DIR) + "/" + rel);
  REQUIRE(t);
  return *t;
}

struct Seen {
  std::vector<graph::Snapshot> allowed, forbidden_positive;
  std::vector<std::optional<graph::Explanation>> why;
  std::string report;
};

inline Seen observe(const std::string& text, const std::string& file = "t.litmus") {
  Seen s;
  graph::ShowNames names;
  auto extra = graph::shown_names(session().model(), names);
  auto r = session().run_text(text, file, [&](const paddock::litmus::Test& t, const paddock::events::Program& p,
                                              const paddock::exec::Execution& x) {
    graph::Snapshot snap = graph::snapshot(t, p, x, extra, names);
    if (x.outcome.allowed) {
      s.allowed.push_back(std::move(snap));
    } else if (x.positive) {
      auto e = graph::explain(x, session().model());
      if (e) graph::highlight(snap, *e);
      s.why.push_back(e);
      s.forbidden_positive.push_back(std::move(snap));
    }
  });
  REQUIRE(r.error == "");
  s.report = r.report;
  return s;
}

}  // namespace graph_test
