#include "cli/options.hpp"

#include <fstream>
#include <stdexcept>

namespace paddock::cli {

const char* usage() {
  return R"(usage: paddock [options] FILE.litmus ... | @LIST
       paddock perf ...            (the perf-subsystem model; see `paddock perf --help`)

Checks C litmus tests against a memory model (by default the bundled Linux-kernel memory model)
and prints herd7's report for each: every final state, Positive/Negative execution counts,
flags, the Observation line and herd's Hash.

Options (herd7's spellings; --name is accepted for every -name):
  -conf FILE       read macros/bell/model/variant from a herd .cfg (default: bundled linux-kernel.cfg)
  -model FILE      cat model to use (overrides the cfg)
  -bell FILE       bell file to use (overrides the cfg)
  -macros FILE     .def macro table to use (overrides the cfg)
  -I DIR           search DIR for models and included cat files (repeatable)
  -variant V,...   enable model variants (added to the cfg's)
  -show events     print the event structures of each test instead of checking it
  -j N             check N tests in parallel; each report is printed whole
  -timeout S       give up on a test after S CPU seconds (reported naming the test)
  -speedcheck M    M = true|fast|false: decide the condition with the Z3 engine (one SAT call; the
                   report lists only the witness state, see docs/smt.md); fast also skips
                   the per-flag calls and prints only the witness's flags
  -q               print nothing but errors
  -version         print the version
  --help           this text
  @LIST            a file with one test path per line

Exit status: 0 when every test ran, 1 when some test could not be run (its error is on stderr,
the other tests still run), 2 on bad usage.
)";
}

Options parse_options(int argc, char** argv) {
  Options o;
  auto need = [&](int& i, const std::string& opt) -> std::string {
    if (i + 1 >= argc) throw std::invalid_argument("option " + opt + " needs an argument");
    return argv[++i];
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a.size() > 2 && a[0] == '-' && a[1] == '-') a = a.substr(1);  // --conf == -conf
    if (a == "-help" || a == "-h") o.help = true;
    else if (a == "-version") o.version = true;
    else if (a == "-conf") o.config.conf = need(i, a);
    else if (a == "-model" || a == "-cat") o.config.model = need(i, a);
    else if (a == "-bell") o.config.bell = need(i, a);
    else if (a == "-macros") o.config.macros = need(i, a);
    else if (a == "-I") o.config.include_dirs.push_back(need(i, a));
    else if (a.rfind("-I", 0) == 0 && a.size() > 2) o.config.include_dirs.push_back(a.substr(2));
    else if (a == "-variant") {
      std::string v = need(i, a), item;
      size_t start = 0;
      while (start <= v.size()) {
        size_t comma = v.find(',', start);
        item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) o.config.variants.push_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    } else if (a == "-show") {
      std::string what = need(i, a);
      if (what != "events") throw std::invalid_argument("-show takes 'events'");
      o.config.show_events = true;
    } else if (a == "-j") {
      std::string n = need(i, a);
      try {
        o.jobs = std::stoi(n);
      } catch (...) {
        throw std::invalid_argument("-j needs a number, found '" + n + "'");
      }
      if (o.jobs < 1) throw std::invalid_argument("-j needs a positive number");
    } else if (a == "-timeout") {
      std::string s = need(i, a);
      try {
        o.config.timeout_seconds = std::stod(s);
      } catch (...) {
        throw std::invalid_argument("-timeout needs a number of seconds, found '" + s + "'");
      }
    } else if (a == "-speedcheck") {
      std::string m = need(i, a);
      if (m == "true") o.config.speedcheck = Config::Speedcheck::True;
      else if (m == "fast") o.config.speedcheck = Config::Speedcheck::Fast;
      else if (m == "false") o.config.speedcheck = Config::Speedcheck::None;
      else throw std::invalid_argument("-speedcheck takes true, fast or false");
    } else if (a == "-q") o.quiet = true;
    else if (a[0] == '@') {
      std::ifstream in(a.substr(1));
      if (!in) throw std::invalid_argument("cannot read the list " + a.substr(1));
      for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') o.files.push_back(line);
    } else if (a[0] == '-' && a.size() > 1) throw std::invalid_argument("unknown option " + std::string(argv[i]));
    else o.files.push_back(a);
  }
  return o;
}

}  // namespace paddock::cli
