// Model loading: find files, parse, expand includes in place, decide top-level `if "variant"` blocks.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "util/files.hpp"
#include "cat/ast_io.hpp"
#include "cat/interpreter.hpp"
#include "cat/model.hpp"
#include "cat/parse.hpp"

namespace paddock::cat {

namespace fs = std::filesystem;

namespace {

using Source = SourceFile;

// The syntax tree of a file: read from its build-time serialisation when it has one, else parsed.
File syntax(const Source& src) {
  if (!src.ast.empty()) return read_ast(src.ast, src.name);
  return parse_cat(src.text, src.name);
}

class Loader {
 public:
  Loader(const LoadOptions& o, Model& m) : opts_(o), m_(m) {
    m_.variants.insert(o.variants.begin(), o.variants.end());
  }

  // Looks for `name` in `from_dir`, the include dirs, then the embedded files.
  std::optional<Source> find(const std::string& name, const std::string& from_dir) {
    std::vector<std::string> dirs;
    if (fs::path(name).is_absolute()) {
      if (auto t = read_file(name)) return Source{name, *t, {}};
    } else {
      if (!from_dir.empty()) dirs.push_back(from_dir);
      dirs.insert(dirs.end(), opts_.include_dirs.begin(), opts_.include_dirs.end());
      for (auto& d : dirs) {
        std::string p = (fs::path(d) / name).string();
        if (auto t = read_file(p)) return Source{p, *t, {}};
      }
    }
    if (opts_.embedded) {
      std::string base = fs::path(name).filename().string();
      if (auto t = opts_.embedded(base)) {
        Source s{base, *t, {}};
        if (opts_.embedded_ast) s.ast = opts_.embedded_ast(base);
        return s;
      }
    }
    return std::nullopt;
  }

  // A bell file states which annotations each kind of event may carry (`instructions R[...]`); one that
  // declares none is not a bell file (typically a cat file or the .def given in its place).
  void add_bell(const Source& src) {
    size_t from = m_.stmts.size();
    add_file(src, 0, false);
    for (size_t i = from; i < m_.stmts.size(); ++i)
      if (m_.stmts[i]->kind == Stmt::Instructions) return;
    Pos at{std::make_shared<const std::string>(src.name), 1, 1};
    if (from < m_.stmts.size()) at = m_.stmts[from]->pos;
    throw Error(at, "bell file declares no instructions (expected at least one `instructions R[...]`, "
                    "`instructions W[...]` or `instructions F[...]`; is this a cat file?)");
  }

  void add_file(const Source& src, int depth, bool is_main) {
    File f = syntax(src);
    if (is_main && !f.title.empty()) m_.title = f.title;
    std::string dir = fs::path(src.name).parent_path().string();
    flatten(std::move(f.stmts), dir, depth, m_.stmts);
  }

 private:
  void flatten(std::vector<StmtP> in, const std::string& dir, int depth, std::vector<StmtP>& out) {
    for (auto& s : in) {
      switch (s->kind) {
        case Stmt::Include: {
          if (depth > 40) throw Error(s->pos, "includes nested too deeply (cycle?) at \"" + s->name + "\"");
          auto src = find(s->name, dir);
          if (!src) throw Error(s->pos, "cannot find included file \"" + s->name + "\"");
          File f = syntax(*src);
          flatten(std::move(f.stmts), fs::path(src->name).parent_path().string(), depth + 1, out);
          break;
        }
        case Stmt::IfVariant: {
          if (s->cond->kind != Cond::Variant)
            throw Error(s->pos, "expected a variant string in a top-level if, found an expression");
          m_.tested_variants.insert(s->cond->variant);
          bool on = m_.variants.count(s->cond->variant) > 0;
          flatten(std::move(on ? s->body : s->else_body), dir, depth, out);
          break;
        }
        case Stmt::Show:
        case Stmt::Unshow:
          for (auto& n : s->names) {
            if (s->kind == Stmt::Show) {
              m_.shows.push_back(n);
            } else {
              std::erase(m_.shows, n);
            }
          }
          out.push_back(std::move(s));
          break;
        default:
          out.push_back(std::move(s));
      }
    }
  }

  const LoadOptions& opts_;
  Model& m_;
};

std::shared_ptr<const Model> finish(std::shared_ptr<Model> m, const LoadOptions& opts) {
  resolve_model(*m, opts.engine_names);
  analyse_inputs(*m);
  return m;
}

void load_stdlib(Loader& l, const LoadOptions& opts) {
  if (!opts.load_stdlib) return;
  auto src = l.find("stdlib.cat", "");
  if (!src) throw Error("stdlib.cat", 0, 0, "cannot find herd's standard library stdlib.cat (give an include dir)");
  l.add_file(*src, 0, false);
}

}  // namespace

std::shared_ptr<const Model> load_model(const std::string& cat_path, const std::string& bell_path,
                                        const LoadOptions& opts) {
  auto m = std::make_shared<Model>();
  Loader l(opts, *m);
  load_stdlib(l, opts);
  if (!bell_path.empty()) {
    auto src = l.find(bell_path, ".");
    if (!src) throw Error(bell_path, 0, 0, "cannot find bell file");
    l.add_bell(*src);
  }
  auto src = l.find(cat_path, ".");
  if (!src) throw Error(cat_path, 0, 0, "cannot find cat file");
  l.add_file(*src, 0, true);
  return finish(m, opts);
}

std::shared_ptr<const Model> load_model_files(const SourceFile& cat, const SourceFile* bell, const LoadOptions& opts) {
  auto m = std::make_shared<Model>();
  Loader l(opts, *m);
  load_stdlib(l, opts);
  if (bell) l.add_bell(*bell);
  l.add_file(cat, 0, true);
  return finish(m, opts);
}

std::shared_ptr<const Model> load_model_text(const std::string& cat_text, const std::string& cat_name,
                                             const std::string& bell_text, const std::string& bell_name,
                                             const LoadOptions& opts) {
  SourceFile bell{bell_name, bell_text, {}};
  bool no_bell = bell_name.empty() && bell_text.empty();
  return load_model_files(SourceFile{cat_name, cat_text, {}}, no_bell ? nullptr : &bell, opts);
}

const std::string& model_title(const Model& m) { return m.title; }
std::vector<std::string> model_shows(const Model& m) { return m.shows; }

}  // namespace paddock::cat
