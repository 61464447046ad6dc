// Snapshots, the dot writer and explanations on real tests through the bundled model.
#include <catch2/catch.hpp>

#include <algorithm>

#include "graph/dot.hpp"
#include "helpers.hpp"

using namespace graph_test;

namespace {

const char* kSB = R"(C SB
{}
P0(int *x, int *y) { int r0; WRITE_ONCE(*x, 1); r0 = READ_ONCE(*y); }
P1(int *x, int *y) { int r0; WRITE_ONCE(*y, 1); r0 = READ_ONCE(*x); }
exists (0:r0=0 /\ 1:r0=0)
)";

bool has_edge(const graph::Snapshot& s, const std::string& from, const std::string& to, const std::string& label) {
  auto find = [&](const std::string& action) {
    for (size_t k = 0; k < s.nodes.size(); ++k)
      if (s.nodes[k].action == action) return k;
    return s.nodes.size();
  };
  size_t a = find(from), b = find(to);
  return std::any_of(s.edges.begin(), s.edges.end(),
                     [&](const graph::Edge& e) { return e.from == a && e.to == b && e.label == label; });
}

}  // namespace

TEST_CASE("snapshots: SB's four executions, herd's labels, po/rf/co/fr edges") {
  Seen s = observe(kSB);
  REQUIRE(s.allowed.size() == 4);  // the LKMM allows SB's (0,0)
  const graph::Snapshot* zz = nullptr;
  for (const auto& x : s.allowed)
    if (x.state == "0:r0=0; 1:r0=0;") zz = &x;
  REQUIRE(zz);
  CHECK(zz->positive);
  // Events a, b on P0 and c, d on P1, labelled as herd does.
  std::vector<std::string> labels;
  for (const auto& n : zz->nodes)
    if (n.thread >= 0) labels.push_back(n.name + ": " + n.action);
  CHECK(labels == std::vector<std::string>{"a: W[ONCE]x=1", "b: R[ONCE]y=0", "c: W[ONCE]y=1", "d: R[ONCE]x=0"});
  CHECK(has_edge(*zz, "W[ONCE]x=1", "R[ONCE]y=0", "po"));
  CHECK(has_edge(*zz, "Wy=0", "R[ONCE]y=0", "rf"));
  CHECK(has_edge(*zz, "Wy=0", "W[ONCE]y=1", "co"));
  CHECK(has_edge(*zz, "R[ONCE]y=0", "W[ONCE]y=1", "fr"));
  CHECK(has_edge(*zz, "W[ONCE]y=1", "R[ONCE]x=0", "po"));
  CHECK_FALSE(has_edge(*zz, "W[ONCE]x=1", "W[ONCE]y=1", "po"));  // different threads
  CHECK_FALSE(has_edge(*zz, "W[ONCE]x=1", "R[ONCE]y=0", "rf"));
}

TEST_CASE("dot: herd's colours and one cluster per execution and thread") {
  Seen s = observe(kSB);
  graph::DotStyle style;
  std::string dot = graph::write_dot("SB", s.allowed, style);
  CHECK(dot.rfind("digraph G {", 0) == 0);
  CHECK(dot.find("label=\"rf\", color=\"red\"") != std::string::npos);
  CHECK(dot.find("label=\"co\", color=\"blue\"") != std::string::npos);
  CHECK(dot.find("label=\"fr\", color=\"#ffa040\"") != std::string::npos);
  CHECK(dot.find("subgraph cluster_exec3") != std::string::npos);
  CHECK(dot.find("subgraph cluster_exec4") == std::string::npos);
  CHECK(dot.find("subgraph cluster_x0_proc1 { label=\"Thread 1\"") != std::string::npos);
  CHECK(dot.find("a: W[ONCE]x=1") != std::string::npos);
  // Columns: fixed positions instead of clusters; init writes can be hidden.
  style.layout = graph::DotStyle::Layout::Columns;
  style.show_init_writes = false;
  std::string cols = graph::write_dot("SB", s.allowed, style);
  CHECK(cols.find("pos=\"") != std::string::npos);
  CHECK(cols.find("cluster_x0_proc") == std::string::npos);
  CHECK(cols.find("\"Wx=0\"") == std::string::npos);
  // No execution: a box saying so (herd draws one too).
  CHECK(graph::write_dot("SB", {}, graph::DotStyle{}).find("no execution to show") != std::string::npos);
}

TEST_CASE("dot: a cfg's display keys") {
  graph::DotStyle st;
  CHECK(graph::apply_cfg(st, "graph columns\nshowevents noregs\nshowinitwrites false\nfontsize 8\n"
                             "edgeattr co,color,green\nmodel x.cat\n") == "");
  CHECK(st.layout == graph::DotStyle::Layout::Columns);
  CHECK_FALSE(st.show_init_writes);
  CHECK(st.fontsize == 8);
  CHECK(graph::edge_color(st, "co") == "green");
  CHECK(graph::edge_color(st, "rf") == "red");
  CHECK(graph::apply_cfg(st, "graph sideways\n").find("graph takes") != std::string::npos);
  CHECK(graph::apply_cfg(st, "fontsize big\n").find("number") != std::string::npos);
}

TEST_CASE("explain: C-peterz's exists state is forbidden by propagation, with its cycle") {
  Seen s = observe(source("litmus/C-peterz.litmus"), "C-peterz.litmus");
  CHECK(s.report.find("Observation C-peterz Never 0 7") != std::string::npos);
  REQUIRE(s.forbidden_positive.size() == 1);
  REQUIRE(s.why[0]);
  const graph::Explanation& e = *s.why[0];
  CHECK(e.check == "propagation");
  CHECK(e.test == "acyclic");
  CHECK(e.cycle);
  // A cycle: consecutive edges meet, and the last returns to the first.
  REQUIRE(e.edges.size() >= 2);
  for (size_t k = 0; k < e.edges.size(); ++k) CHECK(e.edges[k].second == e.edges[(k + 1) % e.edges.size()].first);
  for (const auto& names : e.names) CHECK(std::find(names.begin(), names.end(), "pb") != names.end());
  const graph::Snapshot& snap = s.forbidden_positive[0];
  size_t highlighted = 0;
  for (const auto& ed : snap.edges) highlighted += ed.highlight && ed.label == "propagation";
  CHECK(highlighted == e.edges.size());
  std::string text = graph::explain_text(snap, e);
  CHECK(text.find("forbidden by propagation (acyclic at") != std::string::npos);
  // Read in basic relations: P0's read of y is fr-before P1's write of y, whose release is read by P2's acquire.
  CHECK(text.find("c -fr-> d -po-> e -rf-> f") != std::string::npos);
  CHECK(text.find("h -fr-> a -po-> b -po-> c") != std::string::npos);
}

TEST_CASE("explain: a coherence violation is explained by the check that fails first") {
  const char* corr = R"(C CoRR
{}
P0(int *x) { WRITE_ONCE(*x, 1); }
P1(int *x) { int r0; int r1; r0 = READ_ONCE(*x); r1 = READ_ONCE(*x); }
exists (1:r0=1 /\ 1:r1=0)
)";
  Seen s = observe(corr);
  REQUIRE(s.forbidden_positive.size() == 1);
  REQUIRE(s.why[0]);
  // The bundled cos-opt.cat builds co from cobase, which this execution makes cyclic.
  CHECK(s.why[0]->check == "ConsCo");
  CHECK(s.why[0]->pos.find("cos-opt.cat:22:1") != std::string::npos);
  REQUIRE(s.why[0]->edges.size() >= 2);
  for (size_t k = 0; k < s.why[0]->edges.size(); ++k)
    CHECK(s.why[0]->edges[k].second == s.why[0]->edges[(k + 1) % s.why[0]->edges.size()].first);
}
