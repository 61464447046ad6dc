// Renders graphs with Graphviz and looks at the pictures: size from the PNG header, and which colours appear.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "graph/dot.hpp"
#include "graph/render.hpp"
#include "helpers.hpp"
#include "png.hpp"

using namespace graph_test;
namespace fs = std::filesystem;

namespace {

png::Image render_png(const std::string& dot_text, const std::string& name, bool columns = false) {
  fs::path dir = fs::temp_directory_path() / ("paddock-graph-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string dot = (dir / (name + ".dot")).string(), out = (dir / (name + ".png")).string();
  std::ofstream(dot) << dot_text;
  std::string err = graph::render(dot, out, "png", columns);
  REQUIRE(err == "");
  auto bytes = paddock::read_file(out);
  REQUIRE(bytes);
  png::Image img = png::decode(*bytes);
  fs::remove_all(dir);
  return img;
}

}  // namespace

TEST_CASE("png: C-peterz's explanation is drawn with its cycle highlighted") {
  Seen s = observe(source("litmus/C-peterz.litmus"), "C-peterz.litmus");
  REQUIRE(s.forbidden_positive.size() == 1);
  graph::DotStyle style;
  png::Image img = render_png(graph::write_dot("C-peterz", s.forbidden_positive, style), "explained");
  // Eight events in three threads: a picture of some size, not an empty canvas.
  CHECK(img.width > 300);
  CHECK(img.height > 300);
  CHECK(img.rgb.size() == size_t(img.width) * img.height);
  CHECK(png::count(img, {0, 224, 255}) > 200);  // the highlighted cycle (pen width 3)
  CHECK(png::count(img, {255, 0, 0}) > 50);     // rf
  CHECK(png::count(img, {0, 0, 255}) > 50);     // co and the event boxes
  CHECK(png::count(img, {255, 160, 64}) > 20);  // fr
  CHECK(png::count(img, {255, 255, 255}) > img.rgb.size() / 2);  // mostly background
}

TEST_CASE("png: an allowed execution has no highlighted colour; columns layout renders too") {
  Seen s = observe(source("litmus/C-peterz.litmus"), "C-peterz.litmus");
  std::vector<graph::Snapshot> one{s.allowed.at(0)};
  graph::DotStyle style;
  png::Image img = render_png(graph::write_dot("C-peterz", one, style), "allowed");
  CHECK(png::count(img, {0, 224, 255}) == 0);
  CHECK(png::count(img, {255, 0, 0}) > 50);
  style.layout = graph::DotStyle::Layout::Columns;
  png::Image cols = render_png(graph::write_dot("C-peterz", s.allowed, style), "columns", true);
  CHECK(cols.width > img.width);  // seven executions side by side
  CHECK(png::count(cols, {255, 0, 0}) > 50);
}

TEST_CASE("render: a broken .dot is an error message, not a crash") {
  fs::path dir = fs::temp_directory_path() / ("paddock-graph-bad-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string dot = (dir / "bad.dot").string();
  std::ofstream(dot) << "digraph G { a -> ; }";
  std::string err = graph::render(dot, (dir / "bad.png").string(), "png", false);
  CHECK(err.find("failed") != std::string::npos);
  fs::remove_all(dir);
}
