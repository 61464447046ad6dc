#include "driver/driver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <fstream>
#include <sstream>

#include "asm/sections.hpp"
#include "cat/model.hpp"
#include "driver/arch.hpp"
#include "events/equations.hpp"
#include "events/map_hw.hpp"
#include "events/show.hpp"
#include "exec/engine.hpp"
#include "litmus/parse.hpp"
#include "report/herd_text.hpp"
#include "report/json.hpp"
#include "report/models_table.hpp"
#include "smt/engine.hpp"
#include "smt/sym_eval.hpp"
#include "util/embedded.hpp"
#include "util/large_stack.hpp"
#include "util/files.hpp"

namespace paddock {

namespace fs = std::filesystem;

namespace {

// A herd .cfg: `key value` lines; we use macros, bell, model and variant.
struct CfgFile {
  std::string path, dir, macros, bell, model;
  std::optional<bool> hexa;  // `hexa true|false`
  bool on_disk = false;  // read from the user's file (not a bundled copy)
  std::vector<std::string> variants;
  std::map<std::string, Pos> where;  // position of each file value (macros, bell, model), for errors
};

CfgFile parse_cfg(const std::string& text, const std::string& path) {
  CfgFile c;
  c.path = path;
  c.dir = fs::path(path).parent_path().string();
  std::istringstream in(text);
  std::string line;
  for (int lineno = 1; std::getline(in, line); ++lineno) {
    std::istringstream ls(line);
    std::string key, value;
    if (!(ls >> key)) continue;
    std::getline(ls, value);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r") + 1);
    if (key == "macros" || key == "bell" || key == "model") {
      size_t k = line.find(key), v = value.empty() ? std::string::npos : line.find(value, k + key.size());
      c.where[key] = Pos{lineno, int(v == std::string::npos ? k : v) + 1};
    }
    if (key == "macros") c.macros = value;
    else if (key == "bell") c.bell = value;
    else if (key == "model") c.model = value;
    else if (key == "hexa") c.hexa = value == "true";
    else if (key == "variant") {
      // `variant a,b` lists several.
      std::string v;
      for (std::istringstream vs(value); std::getline(vs, v, ',');) {
        v.erase(0, v.find_first_not_of(" \t"));
        v.erase(v.find_last_not_of(" \t") + 1);
        if (!v.empty()) c.variants.push_back(v);
      }
    }
  }
  return c;
}

// A file the configuration names but that cannot be found: the error points at the cfg line that names it
// (`key` is "" when the name came from the command line instead).
// The variants herd's engine itself reads (herd's -variant list), and paddock's own `oota`: a model file
// need not test them.
bool engine_variant(const std::string& v) {
  static const char* const kEngine[] = {
      "success", "instr", "specialx0", "amox0", "x0", "normw", "acqrelasfence", "backcompat", "back",
      "fullscdepend", "scdepend", "splittedrmw", "switchdepscwrite", "switchdepscresult", "lrscdiffok", "mixed",
      "unaligned", "dontcheckmixed", "notweakpredicated", "notweakpred", "tagmem", "memtag", "mte", "toofar",
      "morello", "neon", "deps", "instances", "instance", "kvm", "vmsa", "ets", "ets2", "exs", "eis", "eos",
      "noptebranch", "nobranch", "pte2", "pte-squared", "phantomonload", "optrfrmw", "constrainedunpredictable",
      "cu", "exp", "ifetch", "self", "dic", "idc", "cos-opt", "test", "asl", "strict", "warn", "s128", "telechat",
      "nv2", "sync", "async", "asymmetric", "precise", "imprecise", "fatal", "oota"};
  std::string low = v;
  for (char& ch : low) ch = char(std::tolower(static_cast<unsigned char>(ch)));
  for (const char* e : kEngine)
    if (low == e) return true;
  return low.size() == 3 && low[0] == 't' && std::isdigit(static_cast<unsigned char>(low[1])) &&
         std::isdigit(static_cast<unsigned char>(low[2]));
}

// The architecture a bundled model is written for (by its file name), or nullptr for other files.
const char* bundled_model_arch(const std::string& model_file) {
  std::string base = fs::path(model_file).filename().string();
  if (base == "linux-kernel.cat") return "C";
  if (base == "x86tso.cat") return "X86";
  if (base == "x86tso-mixed.cat") return "X86_64";
  if (base == "aarch64.cat") return "AArch64";
  return nullptr;
}

[[noreturn]] void missing(const CfgFile& c, const std::string& key, const std::string& name, const std::string& what) {
  auto it = c.where.find(key);
  if (!key.empty() && it != c.where.end() && c.on_disk)
    throw UserError(c.path, it->second, fmt::format("cannot find the {} '{}'", what, name));
  throw UserError(name, {}, fmt::format("cannot find the {}", what));
}

}  // namespace

// Finds a model file: as given, then in the cfg's folder, then in -I folders; "" when only the
// bundled copy exists (the caller then uses the embedded text).
static std::string locate(const std::string& name, const std::string& cfg_dir, const std::vector<std::string>& dirs) {
  if (name.empty()) return "";
  if (fs::exists(name)) return name;
  if (!cfg_dir.empty() && fs::exists(fs::path(cfg_dir) / name)) return (fs::path(cfg_dir) / name).string();
  for (const auto& d : dirs)
    if (fs::exists(fs::path(d) / name)) return (fs::path(d) / name).string();
  return "";
}

Session::Session(const Config& cfg) : cfg_(cfg) {
  CfgFile c;
  if (cfg.conf.empty()) {
    c = parse_cfg(*embedded_file("linux-kernel.cfg"), "linux-kernel.cfg");
    c.dir.clear();
  } else if (auto text = read_file(cfg.conf)) {
    c = parse_cfg(*text, cfg.conf);
    c.on_disk = true;
  } else if (auto bundled = embedded_file(fs::path(cfg.conf).filename().string())) {
    // herd finds `-conf linux-kernel.cfg` in its library when it is not in the current folder.
    c = parse_cfg(*bundled, cfg.conf);
    c.dir.clear();
  } else {
    throw UserError(cfg.conf, {}, "cannot read the configuration file");
  }
  if (!cfg.model.empty()) c.model = cfg.model;
  if (!cfg.bell.empty()) c.bell = cfg.bell;
  cfg_model_given_ = !cfg.model.empty() || (!cfg.conf.empty() && !c.model.empty());
  if (c.model.empty()) {
    // A cfg naming no model (herd's mixed.cfg: `variant mixed`, `hexa true`): assembly tests run under their
    // architecture's model, C tests under the bundled kernel model with its bell and macros.
    CfgFile k = parse_cfg(*embedded_file("linux-kernel.cfg"), "linux-kernel.cfg");
    c.model = k.model;
    if (c.bell.empty()) c.bell = k.bell;
    if (c.macros.empty() && cfg.macros.empty()) c.macros = k.macros;
  }
  if (!cfg.macros.empty()) c.macros = cfg.macros;
  std::vector<std::string> variants = c.variants;
  variants.insert(variants.end(), cfg.variants.begin(), cfg.variants.end());

  oota_ = std::find(variants.begin(), variants.end(), "oota") != variants.end();
  variants_ = variants;
  hexa_ = cfg.hexa ? *cfg.hexa : c.hexa.value_or(false);

  std::vector<std::string> dirs = cfg.include_dirs;
  if (!c.dir.empty()) dirs.insert(dirs.begin(), c.dir);

  if (c.macros.empty()) {
    macros_ = program::MacroTable::bundled();
  } else {
    std::string path = locate(c.macros, c.dir, cfg.include_dirs);
    if (!path.empty()) macros_ = program::MacroTable::from_text(*read_file(path), path);
    else if (auto e = embedded_file(fs::path(c.macros).filename().string()))
      macros_ = program::MacroTable::from_text(*e, "<bundled>/" + fs::path(c.macros).filename().string());
    else missing(c, cfg.macros.empty() ? "macros" : "", c.macros, "macro table");
  }

  cat::LoadOptions lo;
  lo.include_dirs = dirs;
  lo.variants = variants;
  lo.embedded = [](const std::string& n) { return embedded_file(n); };
  lo.embedded_ast = [](const std::string& n) {
    const EmbeddedFile* f = embedded_entry(n);
    return f ? f->ast : std::string_view();
  };
  if (c.model.empty()) c.model = "linux-kernel.cat";
  model_name_ = fs::path(c.model).filename().string();
  std::string model_path = locate(c.model, c.dir, cfg.include_dirs);
  std::string bell_path = locate(c.bell, c.dir, cfg.include_dirs);
  if (!model_path.empty() && (c.bell.empty() || !bell_path.empty())) {
    model_ = cat::load_model(model_path, bell_path, lo);
  } else {
    // A file found only among the bundled ones comes with its syntax tree, parsed at build time.
    auto source = [](const std::string& path, const std::string& name,
                     const std::string& bundled_name) -> std::optional<cat::SourceFile> {
      if (!path.empty()) {
        auto text = read_file(path);
        if (!text) return std::nullopt;
        return cat::SourceFile{name, *text, {}};
      }
      const EmbeddedFile* e = embedded_entry(fs::path(bundled_name).filename().string());
      if (!e) return std::nullopt;
      return cat::SourceFile{name, std::string(e->text), e->ast};
    };
    auto cat_src = source(model_path, model_path.empty() ? "<bundled>/" + c.model : model_path, c.model);
    if (!cat_src) missing(c, cfg.model.empty() ? "model" : "", c.model, "cat model");
    std::optional<cat::SourceFile> bell_src;
    if (!c.bell.empty()) {
      bell_src = source(bell_path, c.bell, c.bell);
      if (!bell_src) missing(c, cfg.bell.empty() ? "bell" : "", c.bell, "bell file");
    }
    model_ = cat::load_model_files(*cat_src, bell_src ? &*bell_src : nullptr, lo);
  }
  // herd takes any string as a variant; one that nothing tests is most likely misspelt.
  for (const auto& v : variants) {
    if (engine_variant(v) || model_->tested_variants.count(v)) continue;
    std::string w = fmt::format("variant '{}' is tested by no loaded model file ({}) and is not an engine variant: "
                                "it has no effect", v, model_name_);
    if (std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end()) warnings_.push_back(w);
  }
}

namespace {

TestOutcome failure(const Config& cfg, const std::string& file, Pos pos, const std::string& message,
                    const std::string& rendered) {
  TestOutcome o;
  o.error = rendered;
  o.error_file = file;
  o.error_pos = pos;
  o.error_message = message;
  if (cfg.json) o.json = report::json_error(file, pos, message);
  return o;
}

TestOutcome failure(const Config& cfg, const std::string& file, const std::string& message) {
  return failure(cfg, file, {}, message, fmt::format("{}: error: {}", file, message));
}

}  // namespace

TestOutcome Session::run_file(const std::string& path, std::atomic<uint64_t>* candidates) const {
  auto text = read_file(path);
  if (!text) return failure(cfg_, path, "cannot read the file");
  return run_text(*text, path, candidates);
}

std::string time_limit_message(double seconds) { return fmt::format("time limit of {:g} s exceeded", seconds); }

TestOutcome file_failure(const Config& cfg, const std::string& file, const std::string& message) {
  return failure(cfg, file, message);
}

// The model for a test of architecture `a`: the configured one for C, and for the other architectures
// too when -conf/-model was given; otherwise herd's default for the architecture (loaded once).
const cat::Model& Session::model_for(const Arch& a, const std::string& text, const std::string& file) const {
  if (!*a.default_model || cfg_model_given_) {
    // A bundled model of another architecture reads sets and relations this test's events do not have; herd
    // fails somewhere inside the model, paddock says so before running.
    const char* m = bundled_model_arch(model_name_);
    bool x86_family = m && std::string_view(a.name).substr(0, 3) == "X86" && std::string_view(m).substr(0, 3) == "X86";
    if (m && m != std::string_view(a.name) && !x86_family) {
      Pos pos;
      (void)hw::first_word(text, &pos);
      throw UserError(file, pos, fmt::format("this {} test cannot run on {}, a model for {} tests (give -model "
                                             "with a model written for {})", a.name, model_name_, m, a.name));
    }
    return *model_;
  }
  return bundled_model(a.default_model);
}

// A bundled cat file, loaded on first use (run_text may run in threads).
const cat::Model& Session::bundled_model(const std::string& name) const {
  std::lock_guard<std::mutex> lock(arch_models_mutex_);
  auto& slot = arch_models_[name];
  if (!slot) {
    const EmbeddedFile* e = embedded_entry(name);
    if (!e) throw UserError(name, {}, "cannot find the cat model");
    cat::LoadOptions lo;
    lo.include_dirs = cfg_.include_dirs;
    lo.variants = variants_;
    lo.embedded = [](const std::string& n) { return embedded_file(n); };
    lo.embedded_ast = [](const std::string& n) {
      const EmbeddedFile* f = embedded_entry(n);
      return f ? f->ast : std::string_view();
    };
    slot = cat::load_model_files(cat::SourceFile{"<bundled>/" + name, std::string(e->text), e->ast}, nullptr, lo);
  }
  return *slot;
}

TestOutcome Session::run_text(const std::string& text, const std::string& file,
                              std::atomic<uint64_t>* candidates) const {
  return run_text(text, file, Observer(), candidates);
}

TestOutcome Session::run_text(const std::string& text, const std::string& file, const Observer& observe,
                              std::atomic<uint64_t>* candidates) const {
  // Deeply nested tests recurse deeply in every stage (util/large_stack.hpp).
  TestOutcome out;
  util::with_large_stack([&] { out = run_text_here(text, file, observe, candidates); });
  return out;
}

struct Session::Checked {
  PreparedTest pt;
  const cat::Model* model = nullptr;
};

namespace {

// The identifier at `pos` in the test's text (the primitive a macro call names), "" if none.
std::string word_at(const std::string& text, Pos pos) {
  size_t at = 0;
  for (int line = 1; line < pos.line && at != std::string::npos; ++line) {
    at = text.find('\n', at);
    if (at != std::string::npos) ++at;
  }
  if (at == std::string::npos || pos.col < 1) return "";
  at += size_t(pos.col - 1);
  size_t end = at;
  while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_')) ++end;
  return text.substr(at, end - at);
}

}  // namespace

// Front end, lowering and the model; with `hw`, a C test's events mapped to that machine (events/map_hw.hpp).
Session::Checked Session::check(const std::string& text, const std::string& file, const std::string& hw,
                                const Observer&, std::atomic<uint64_t>*) const {
  const Arch& arch = arch_of(text, file);
  events::BuildOptions bo;
  bo.unroll = cfg_.unroll;
  bo.mixed = std::find(variants_.begin(), variants_.end(), "mixed") != variants_.end();
  bo.fatal = std::find(variants_.begin(), variants_.end(), "fatal") != variants_.end();
  bo.nv2 = std::find(variants_.begin(), variants_.end(), "nv2") != variants_.end();
  if (!hw.empty() && std::string(arch.name) != "C")
    throw UserError(file, {1, 1}, fmt::format("-arch {} maps C tests to hardware; this test is {}", hw, arch.name));
  Checked c;
  c.pt = arch.prepare(text, file, macros_, bo);
  if (hw.empty()) {
    c.model = &model_for(arch, text, file);
    return c;
  }
  events::HwTarget target = events::hw_target(hw);
  const char* cat = target == events::HwTarget::X86 ? "x86tso.cat" : "aarch64.cat";
  if (!embedded_entry(cat)) throw UserError(file, {}, fmt::format("-arch {} needs models/{}", hw, cat));
  c.pt.program = events::map_to_hw(c.pt.program, target, file);
  c.model = &bundled_model(cat);
  return c;
}

namespace {

// An assembly program with an address computed at run time, which may be non-symbolic (an integer): the explicit
// engine refuses such an access where herd does, the Z3 encoding would answer without it.
bool runtime_addresses(const events::Program& prog) {
  if (!prog.asm_addresses) return false;
  for (const auto& paths : prog.threads)
    for (const auto& path : paths)
      for (const auto& e : path.events)
        if (e.addr && !(e.addr->kind == events::Sym::Kind::Const && e.addr->value.kind == events::Value::Kind::Addr))
          return true;
  return false;
}

exec::Result run_engine(const Config& cfg, const litmus::Test& test, const events::Program& prog,
                        const cat::Model& model, bool oota, const std::function<void(const exec::Execution&)>& observer,
                        std::atomic<uint64_t>* candidates) {
  // The Z3 encoding lacks herd's drop of candidates with unsolved value equations: a program where that rule
  // can apply (a value cycle, events/equations.hpp) goes to the explicit engine, which applies it.
  if (cfg.speedcheck != Config::Speedcheck::None && prog.mixed)
    throw UserError(test.file, {}, "-speedcheck does not support mixed-size mode (-variant mixed)");
  // Code values and faults (AArch64) have no Z3 encoding either: the explicit engine answers such a test.
  if (cfg.speedcheck != Config::Speedcheck::None && !observer && !prog.code_or_faults && !runtime_addresses(prog) &&
      (oota || !events::may_leave_equations(prog))) {
    smt::Options so;
    so.mode = cfg.speedcheck == Config::Speedcheck::Fast ? smt::Speedcheck::Fast : smt::Speedcheck::True;
    so.timeout_seconds = cfg.timeout_seconds;
    return smt::speedcheck(test, prog, model, so);
  }
  exec::Options opts;
  opts.timeout_seconds = cfg.timeout_seconds;
  opts.checks.skip = cfg.skipchecks;
  std::sort(opts.checks.skip.begin(), opts.checks.skip.end());
  opts.checks.skip.erase(std::unique(opts.checks.skip.begin(), opts.checks.skip.end()), opts.checks.skip.end());
  opts.checks.strict = cfg.strictskip;
  opts.checks.through = cfg.through;
  opts.throughflag = cfg.throughflag;
  opts.count_cut = cfg.candidates;
  opts.oota = oota;
  opts.no_prune = cfg.no_prune;
  opts.symmetry = !cfg.no_symmetry;
  opts.candidates = candidates;
  opts.observer = observer;
  opts.threads = cfg.threads;
  return exec::run(test, prog, model, opts);
}

// Runs `body`, turning every way a test can fail into its outcome; an unmappable primitive is a skip.
template <class Body>
TestOutcome guarded(const Config& cfg, const std::string& text, const std::string& file, const std::string& hw,
                    Body body) {
  try {
    return body();
  } catch (const events::Unmappable& e) {
    std::string name = word_at(text, e.pos);
    bool rcu = name.find("rcu") != std::string::npos || name.rfind("synchronize_", 0) == 0;
    TestOutcome o;
    o.skipped = fmt::format("{}:{}:{}: skipped: {} has no instruction-level mapping on {} (RCU and SRCU are not "
                            "instructions: the kernel's hardware runs skip such tests)",
                            file, e.pos.line, e.pos.col, rcu ? name : e.primitive, hw);
    return o;
  } catch (const UserError& e) {
    return failure(cfg, e.file().empty() ? file : e.file(), e.pos(), e.message(), e.what());
  } catch (const cat::Error& e) {
    std::string w = e.what();
    size_t at = w.find(": error: ");
    return failure(cfg, e.file, Pos{e.line, e.col}, at == std::string::npos ? w : w.substr(at + 9), w);
  } catch (const smt::Unsupported& e) {
    return failure(cfg, file, e.what());
  } catch (const smt::Timeout& e) {
    // z3 also answers unknown for reasons of its own; only a set limit makes it a time limit.
    return failure(cfg, file, cfg.timeout_seconds > 0 ? time_limit_message(cfg.timeout_seconds) : e.what());
  } catch (const z3::exception& e) {
    return failure(cfg, file, fmt::format("z3: {}", e.msg()));
  } catch (const exec::Timeout&) {
    // The same words as a batch's watchdog (src/batch/), however the test was stopped.
    return failure(cfg, file, time_limit_message(cfg.timeout_seconds));
  } catch (const std::bad_alloc&) {
    return failure(cfg, file, "out of memory");
  }
}

}  // namespace

TestOutcome Session::run_text_here(const std::string& text, const std::string& file, const Observer& observe,
                                   std::atomic<uint64_t>* candidates) const {
  if (!cfg_.side_models.empty() && !observe) return side_by_side(text, file);
  return guarded(cfg_, text, file, cfg_.hw_arch, [&] {
    Checked c = check(text, file, cfg_.hw_arch, observe, candidates);
    const litmus::Test& test = c.pt.test;
    const events::Program& prog = c.pt.program;
    if (cfg_.show_events) {
      TestOutcome shown;
      shown.report = events::show(prog);
      return shown;
    }
    std::function<void(const exec::Execution&)> observer;
    if (observe) observer = [&](const exec::Execution& x) { observe(test, prog, x); };
    exec::Result r = run_engine(cfg_, test, prog, *c.model, oota_, observer, candidates);
    std::vector<std::string> names;
    for (const auto& l : prog.locations) names.push_back(l.name);
    TestOutcome out;
    out.loop = r.loop;
    if (!r.loop_at.empty()) out.loop_at = r.loop_at;
    if (cfg_.json) {
      report::JsonContext jc;
      jc.file = file;
      jc.model = cat::model_title(*c.model).empty() ? model_name_ : cat::model_title(*c.model);
      jc.candidates = cfg_.candidates;
      jc.hash = c.pt.report.hash;
      out.json = report::json_report(test, r, names, jc);
    } else {
      report::ReportOptions ro = c.pt.report;
      ro.candidates = cfg_.candidates;
      ro.hexa = hexa_;
      out.report = report::herd_report(test, r, names, ro);
    }
    return out;
  });
}

// One row of the -models table: the test under each model; the reasons for skipped and failed cells, and
// the warnings, go to `error`/`skipped` lines the CLI prints on stderr.
TestOutcome Session::side_by_side(const std::string& text, const std::string& file) const {
  std::vector<report::ModelCell> cells;
  std::string name = std::filesystem::path(file).stem().string(), notes, errors;
  bool loop = false;
  for (const auto& m : cfg_.side_models) {
    report::ModelCell cell;
    TestOutcome o = guarded(cfg_, text, file, m, [&] {
      Checked c = check(text, file, m == "lkmm" ? "" : m, Observer(), nullptr);
      name = report::report_name(c.pt.test);
      exec::Result r = run_engine(cfg_, c.pt.test, c.pt.program, *c.model, oota_, {}, nullptr);
      cell.positive = r.positive;
      cell.negative = r.negative;
      loop = loop || r.loop;
      return TestOutcome();
    });
    if (!o.skipped.empty()) {
      cell.kind = report::ModelCell::Kind::Skipped;
      notes += o.skipped + "\n";
    } else if (!o.error.empty()) {
      cell.kind = report::ModelCell::Kind::Error;
      errors += fmt::format("{}{} [{}]", errors.empty() ? "" : "\n", o.error, m);
    }
    cells.push_back(cell);
  }
  report::ModelsRow row = report::models_row(name, cfg_.side_models, cells, cfg_.side_name_width);
  TestOutcome out;
  out.report = row.line;
  out.loop = loop;
  for (const auto& w : row.warnings) notes += fmt::format("{}: !!! WARNING: {}\n", file, w);
  out.hw_warning = !row.warnings.empty();
  if (!notes.empty()) notes.pop_back();
  out.skipped = notes;  // printed on stderr, not an error of the batch
  out.error = errors;   // a test some model could not run: the batch's exit status says so
  if (!errors.empty()) {
    out.error_file = file;
    out.error_message = errors;
  }
  return out;
}

}  // namespace paddock
