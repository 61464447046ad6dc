#include "cli/batch_options.hpp"

#include <cctype>
#include <set>
#include <stdexcept>

#include "cli/options.hpp"

namespace paddock::cli {

namespace {

double positive_number(const std::string& opt, const std::string& v, const char* what) {
  size_t used = 0;
  double d = 0;
  try {
    d = std::stod(v, &used);
  } catch (...) {
    used = 0;
  }
  if (used != v.size() || !(d > 0)) throw std::invalid_argument(opt + " needs a positive number of " + what + ", found '" + v + "'");
  return d;
}

}  // namespace

bool parse_batch_option(const std::string& a, int& i, int argc, char** argv, BatchArgs& out) {
  auto need = [&]() -> std::string {
    if (i + 1 >= argc) throw std::invalid_argument("option " + a + " needs an argument");
    return argv[++i];
  };
  if (a == "-maxmem") {
    out.batch.limits.memory_mb = positive_number(a, need(), "MB");
  } else if (a == "-journal") {
    out.batch.journal = need();
    if (out.batch.journal.empty()) throw std::invalid_argument("-journal needs a file name");
  } else if (a == "-shard") {
    std::string v = need();
    int index = 0, count = 0;
    char rest = 0;
    if (std::sscanf(v.c_str(), "%d/%d%c", &index, &count, &rest) != 2 || count < 1 || index < 1 || index > count)
      throw std::invalid_argument("-shard needs I/N with 1 <= I <= N, found '" + v + "'");
    out.batch.shard_index = index;
    out.batch.shard_count = count;
  } else if (a == "-merge") {
    out.merge = true;
  } else if (a == "-debug-fault") {
    std::string v = need();
    size_t colon = v.find(':');
    std::string kind = v.substr(0, colon);
    if (colon == std::string::npos || (kind != "crash" && kind != "hog" && kind != "spin"))
      throw std::invalid_argument("-debug-fault needs crash|hog|spin:SUBSTRING");
    out.batch.faults.push_back({kind, v.substr(colon + 1)});
  } else {
    return false;
  }
  return true;
}

std::vector<std::string> output_shaping_args(int argc, char** argv, const Options& opts, bool herd7) {
  std::vector<std::string> out = {"paddock 0.1"};
  if (herd7) out.push_back("(as herd7)");
  std::set<std::string> tests(opts.files.begin(), opts.files.end());
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    std::string d = a.size() > 2 && a[0] == '-' && a[1] == '-' ? a.substr(1) : a;
    if (d == "-j" || d == "-journal" || d == "-shard") {
      ++i;  // and its argument
      continue;
    }
    bool glued_jobs = d.size() > 2 && d.rfind("-j", 0) == 0 && std::isdigit(static_cast<unsigned char>(d[2]));
    if (d == "-q" || glued_jobs || d[0] == '@' || tests.count(a)) continue;
    out.push_back(d);
  }
  return out;
}

const char* batch_usage() {
  return R"(Batches (docs/batch.md): with several tests, @LIST, a limit or a journal, every test runs in a worker
process; reports are printed whole in input order whatever -j is, and a test that crashes or passes a
limit is reported naming it while the others run on.
  -maxmem MB       give up on a test whose worker's resident memory passes MB megabytes
  --journal FILE   append each finished test's result to FILE; a rerun with FILE skips what is done
  --shard I/N      run only the I-th of N slices of the test list (every N-th test from the I-th)
  --merge J...     print the report of the whole list from the journals J... of its shards
)";
}

}  // namespace paddock::cli
