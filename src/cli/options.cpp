#include "cli/options.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <stdexcept>

#include "cli/hw_options.hpp"

namespace paddock::cli {

const char* usage() {
  return R"(usage: paddock [options] FILE.litmus ... | @LIST
       herd7 [options] FILE.litmus ...  (the same binary installed as `herd7`: answers as herd7 does)
       paddock perf ...                 (the perf-subsystem model; see `paddock perf --help`)

Checks C litmus tests against a memory model (by default the bundled Linux-kernel memory model)
and prints herd7's report for each: every final state, Positive/Negative execution counts,
flags, the Observation line and herd's Hash. herd7's spellings; --name is accepted for every -name.
`man paddock` has the details.

Choosing the model:
  -conf FILE         read macros/bell/model/variant from a herd .cfg (default: bundled linux-kernel.cfg)
  -model FILE        cat model to use (overrides the cfg; also -cat)
  -bell FILE         bell file to use (overrides the cfg)
  -macros FILE       .def macro table to use (overrides the cfg)
  -I DIR             search DIR for models and included cat files (repeatable)
  -variant V,...     enable model variants (added to the cfg's)

Exploring executions (as herd7):
  -unroll N          unroll each `while` N times (default 2); paths needing more are cut (`Loop`)
  -skipchecks N,...  do not apply the cat checks (or flags) named N,... (cumulative; also -skipcheck N)
  -strictskip B      B=true: apply the skipped checks too and keep only the executions that fail
                     exactly all of them (what the model allows "without" those axioms)
  -through T         T=invalid|all: let executions that fail the model's checks through; none (default)
  -throughflag F     count only the executions that raise flag F
  -candidates B      B=true: print `Candidates NAME N`, the executions that reached the model
  -hexa B            B=true: print the values of states and of the condition in hexadecimal
  -speedcheck M      M = true|fast|false: decide the condition with the Z3 engine (one SAT call; the
                     report lists only the witness state, see docs/smt.md); fast also skips
                     the per-flag calls and prints only the witness's flags
  -timeout S         give up on a test after S CPU seconds (reported naming the test)

Output:
  --json             one JSON object per test and line instead of herd's text (docs/json.md)
  -show events       print the event structures of each test instead of checking it
  -dumpes B          B=true: the same as -show events
  -q                 print nothing but errors

Running batches:
  -j N               check N tests in parallel; each report is printed whole
  @LIST              a file with one test path per line

Accepted for herd7 compatibility, said to be ignored on stderr (they only shape herd's graphs or its
candidate pruning): -nshow N, -showone B, -showevents T, -graph T, -doshow R,..., -unshow R,...,
-suffix S, -optace B.

Other:
  -version           print the version (as herd7: `7.58+1, Rev: ...`)
  --help             this text

Exit status: 0 when every test ran, 1 when some test could not be run (its error is on stderr,
the other tests still run), 2 on bad usage. Started as herd7, a test that cannot be run prints herd's
`Warning: File "F": MESSAGE (User error)` on stderr instead, and the exit status stays 0 (as herd7 7.58).
)";
}

namespace {

bool parse_bool(const std::string& opt, const std::string& v) {
  if (v == "true") return true;
  if (v == "false") return false;
  throw std::invalid_argument(opt + " takes true or false, found '" + v + "'");
}

int parse_int(const std::string& opt, const std::string& v, int min) {
  size_t used = 0;
  int n = 0;
  try {
    n = std::stoi(v, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != v.size()) throw std::invalid_argument(opt + " needs a number, found '" + v + "'");
  if (n < min) throw std::invalid_argument(opt + " needs a number of at least " + std::to_string(min));
  return n;
}

// herd's `-opt a,b,c` lists.
void split_commas(const std::string& v, std::vector<std::string>& out) {
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

void one_of(const std::string& opt, const std::string& v, std::initializer_list<const char*> tags) {
  std::string list;
  for (const char* t : tags) {
    if (v == t) return;
    list += list.empty() ? "" : ", ";
    list += t;
  }
  throw std::invalid_argument(opt + " takes one of " + list + ", found '" + v + "'");
}

}  // namespace

Options parse_options(int argc, char** argv) {
  Options o;
  auto need = [&](int& i, const std::string& opt) -> std::string {
    if (i + 1 >= argc) throw std::invalid_argument("option " + opt + " needs an argument");
    return argv[++i];
  };
  auto ignored = [&](const std::string& opt, const std::string& why) {
    o.notes.push_back(opt + " is ignored: " + why);
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
    else if (a == "-variant") split_commas(need(i, a), o.config.variants);
    else if (a == "-show") {
      std::string what = need(i, a);
      if (what == "events") o.config.show_events = true;
      else if (what == "prop" || what == "cond" || what == "wit" || what == "neg" || what == "all") o.graphs.show = what;
      else throw std::invalid_argument("-show takes events, prop, cond, wit, neg or all");
    } else if (a == "-j") {
      o.jobs = parse_int(a, need(i, a), 1);
    } else if (a.size() > 2 && a.rfind("-j", 0) == 0 && std::isdigit(static_cast<unsigned char>(a[2]))) {
      o.jobs = parse_int("-j", a.substr(2), 1);  // -j2, as make and GNU parallel spell it
    } else if (a == "-noprune") {  // hidden: the explicit engine without cut-offs (scale8's comparisons)
      o.config.no_prune = true;
    } else if (a == "-nosymmetry") {  // hidden: every execution run through the model (symmetry.hpp comparisons)
      o.config.no_symmetry = true;
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
    } else if (parse_graph_option(a, i, argc, argv, o.graphs)) {
    } else if (a == "-q") o.quiet = true;
    // ---- herd's exploration options (explicit engine)
    else if (a == "-unroll") o.config.unroll = parse_int(a, need(i, a), 0);
    else if (a == "-skipchecks") split_commas(need(i, a), o.config.skipchecks);
    else if (a == "-skipcheck") o.config.skipchecks.push_back(need(i, a));
    else if (a == "-strictskip") o.config.strictskip = parse_bool(a, need(i, a));
    else if (a == "-through") {
      std::string t = need(i, a);
      one_of(a, t, {"all", "invalid", "none"});
      o.config.through = t != "none";  // all = invalid for a cat model (herd: ModelUtils.check_through)
    } else if (a == "-throughflag") o.config.throughflag = need(i, a);
    else if (a == "-candidates") o.config.candidates = parse_bool(a, need(i, a));
    else if (a == "-hexa") o.config.hexa = parse_bool(a, need(i, a));
    else if (a == "-json") o.config.json = true;
    else if (a == "-dumpes") o.config.show_events = parse_bool(a, need(i, a)) || o.config.show_events;
    // ---- accepted, and said to be ignored
    else if (a == "-nshow") {
      o.graphs.nshow = size_t(parse_int(a, need(i, a), 0));  // used by -show/-explain (cli/graph_options.cpp)
      ignored(a, "it limits herd's shown execution graphs, which paddock does not draw with these options");
    } else if (a == "-showone") {
      parse_bool(a, need(i, a));
      ignored(a, "it limits herd's shown execution graphs, which paddock does not draw with these options");
    } else if (a == "-showevents") {
      need(i, a);
      ignored(a, "it selects the events of herd's graphs");
    } else if (a == "-graph") {
      std::string t = need(i, a);
      one_of(a, t, {"cluster", "free", "columns"});
      ignored(a, "it selects the layout of herd's graphs");
    } else if (a == "-doshow" || a == "-unshow") {
      need(i, a);
      ignored(a, "it selects the edges of herd's graphs");
    } else if (a == "-suffix") {
      need(i, a);
      ignored(a, "it names herd's graph files");
    } else if (a == "-optace") {
      std::string t = need(i, a);
      one_of(a, t, {"true", "false", "iico"});
      ignored(a, "paddock's explicit engine enumerates every rf; the model decides what herd's pruning would");
    } else if (a[0] == '@') {
      std::ifstream in(a.substr(1));
      if (!in) throw std::invalid_argument("cannot read the list " + a.substr(1));
      for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') o.files.push_back(line);
    } else if (parse_hw_option(a, i, argc, argv, o.config)) {
      // cli/hw_options.cpp
    } else if (parse_batch_option(a, i, argc, argv, o.batch)) {
      // cli/batch_options.cpp
    } else if (a[0] == '-' && a.size() > 1) throw std::invalid_argument("unknown option " + std::string(argv[i]));
    else o.files.push_back(a);
  }
  if (o.config.json && o.config.show_events)
    throw std::invalid_argument("--json reports checked tests: it does not combine with -show events or -dumpes true");
  bool explore = !o.config.skipchecks.empty() || o.config.strictskip || o.config.through || o.config.throughflag ||
                 o.config.candidates;
  if (explore && o.config.speedcheck != Config::Speedcheck::None)
    o.notes.push_back(
        "-skipchecks, -strictskip, -through, -throughflag and -candidates apply to the exhaustive engine: "
        "-speedcheck ignores them");
  check_graph_options(o.graphs);
  check_hw_options(o.config, o.files, o.config.json, o.graphs.active());
  if (o.graphs.active())  // -nshow is not ignored then
    o.notes.erase(std::remove_if(o.notes.begin(), o.notes.end(),
                                 [](const std::string& n) { return n.rfind("-nshow", 0) == 0; }),
                  o.notes.end());
  return o;
}

}  // namespace paddock::cli
