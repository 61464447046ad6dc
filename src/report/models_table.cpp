#include "report/models_table.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "report/herd_text.hpp"

namespace paddock::report {

namespace {

constexpr size_t kColumn = 22;  // "Sometimes 123456 12345" fits; wider counts push the row, never cut it

std::string cell_text(const ModelCell& c) {
  switch (c.kind) {
    case ModelCell::Kind::Ok: return fmt::format("{} {} {}", observation(c.positive, c.negative), c.positive, c.negative);
    case ModelCell::Kind::Skipped: return "skipped";
    case ModelCell::Kind::Error: return "error";
  }
  return "";
}

std::string pad(const std::string& s, size_t width) { return s.size() + 1 >= width ? s + " " : s + std::string(width - s.size(), ' '); }

}  // namespace

std::string models_header(const std::vector<std::string>& models, size_t name_width) {
  std::string line = pad("Test", std::max<size_t>(name_width + 2, 6));
  for (size_t i = 0; i < models.size(); ++i) line += i + 1 < models.size() ? pad(models[i], kColumn) : models[i];
  return line + "\n";
}

ModelsRow models_row(const std::string& name, const std::vector<std::string>& models,
                     const std::vector<ModelCell>& cells, size_t name_width) {
  ModelsRow row;
  std::string line = pad(name, std::max<size_t>(name_width + 2, 6));
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string t = cell_text(cells[i]);
    line += i + 1 < cells.size() ? pad(t, kColumn) : t;
  }
  const ModelCell& ref = cells[0];
  if (models[0] == "lkmm" && ref.kind == ModelCell::Kind::Ok)
    for (size_t i = 1; i < cells.size(); ++i) {
      const ModelCell& hw = cells[i];
      if (hw.kind != ModelCell::Kind::Ok) continue;
      bool more_pos = ref.positive == 0 && hw.positive > 0, more_neg = ref.negative == 0 && hw.negative > 0;
      if (!more_pos && !more_neg) continue;
      row.warnings.push_back(fmt::format("{}: LKMM says {} but {} says {}: the {} mapping or model allows what LKMM forbids",
                                         name, observation(ref.positive, ref.negative), models[i],
                                         observation(hw.positive, hw.negative), models[i]));
    }
  if (!row.warnings.empty()) line += "   !!! WARNING";
  row.line = line + "\n";
  return row;
}

}  // namespace paddock::report
