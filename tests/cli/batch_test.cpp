// The batch's pieces without processes: journal lines (round trip, torn tail, corrupt lines), shard slices,
// the progress line. (The options a journal records come from the command line: tests/cli/journal_resume_test.py.)
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <set>

#include "batch/journal.hpp"
#include "batch/progress.hpp"
#include "batch/runner.hpp"
#include "util/diag.hpp"
#include "util/files.hpp"

using namespace paddock;
using namespace paddock::batch;

namespace {

std::string temp_path(const char* name) {
  return std::string("/tmp/paddock-batch-test-") + std::to_string(getpid()) + "-" + name;
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

JournalHeader header() { return {{"paddock 0.1", "variant=lkmmv2"}, {"a.litmus", "dir/b \"q\".litmus", "c.litmus"}, 2, 3}; }

}  // namespace

TEST_CASE("journal lines round trip, reports byte for byte") {
  std::string path = temp_path("roundtrip");
  JournalRecord r{1, "dir/b \"q\".litmus", digest("text"), "Test B Allowed\nStates 1\n\ttab\xc3\xa9\n", "warn\n", false, 42};
  JournalRecord e{0, "a.litmus", "", "", "a.litmus:3:4: error: unexpected 'x'\n", true, 0};
  write(path, header_line(header()) + record_line(r) + record_line(e));
  Journal j = read_journal(path);
  REQUIRE(j.header);
  CHECK(j.header->options == header().options);
  CHECK(j.header->tests == header().tests);
  CHECK(j.header->shard_index == 2);
  CHECK(j.header->shard_count == 3);
  REQUIRE(j.records.size() == 2);
  CHECK(j.records[0].out == r.out);
  CHECK(j.records[0].err == r.err);
  CHECK_FALSE(j.records[0].failed);
  CHECK(j.records[1].failed);
  CHECK(j.records[0].candidates == 42);
  CHECK(j.records[0].digest == r.digest);
  CHECK(j.records[1].err == e.err);
  CHECK(j.complete_bytes == read_file(path)->size());
  std::remove(path.c_str());
}

TEST_CASE("a torn last line is ignored and cut off by the next writer") {
  std::string path = temp_path("torn");
  JournalRecord r{0, "a.litmus", "", "report\n", "", false, 1};
  std::string good = header_line(header()) + record_line(r);
  std::string torn = record_line(JournalRecord{2, "c.litmus", "", "rep", "", false, 0});
  write(path, good + torn.substr(0, torn.size() / 2));
  Journal j = read_journal(path);
  CHECK(j.records.size() == 1);
  CHECK(j.complete_bytes == good.size());
  {
    JournalWriter w(path, j.complete_bytes);
    w.append(record_line(JournalRecord{2, "c.litmus", "", "report 2\n", "", false, 0}));
  }
  Journal k = read_journal(path);
  REQUIRE(k.records.size() == 2);
  CHECK(k.records[1].out == "report 2\n");
  std::remove(path.c_str());
}

TEST_CASE("a missing journal is empty, a torn header starts a new journal") {
  std::string path = temp_path("missing");
  CHECK_FALSE(read_journal(path).header);
  write(path, header_line(header()).substr(0, 10));
  Journal j = read_journal(path);
  CHECK_FALSE(j.header);
  CHECK(j.complete_bytes == 0);
  std::remove(path.c_str());
}

TEST_CASE("corrupt whole lines are errors naming FILE:LINE:1") {
  std::string path = temp_path("corrupt");
  auto message = [&](const std::string& text) {
    write(path, text);
    try {
      read_journal(path);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("{\"x\": 1}\n").rfind(path + ":1:1: error: unreadable journal line: not a paddock journal", 0) == 0);
  CHECK(message(header_line(header()) + "{not json\n").rfind(path + ":2:1: error: unreadable journal line", 0) == 0);
  // A record whose test is not the one at its position in the header's list.
  std::string wrong = record_line(JournalRecord{0, "c.litmus", "", "r", "", false, 0});
  CHECK(message(header_line(header()) + wrong).find(":2:1: error: unreadable journal line: test c.litmus is not at position 0") !=
        std::string::npos);
  std::string out_of_range = record_line(JournalRecord{9, "c.litmus", "", "r", "", false, 0});
  CHECK(message(header_line(header()) + out_of_range).find(":2:1: error:") != std::string::npos);
  CHECK(message("{\"paddock_journal\": 7, \"options\": [], \"tests\": []}\n").find("journal version 7, expected 1") !=
        std::string::npos);
  std::remove(path.c_str());
}

TEST_CASE("shards are disjoint, cover the list and are deterministic") {
  for (size_t n : {0u, 1u, 7u, 134u})
    for (int count : {1, 2, 3, 4, 9}) {
      std::multiset<size_t> all;
      for (int i = 1; i <= count; ++i) {
        auto s = shard_slice(n, i, count);
        CHECK(s == shard_slice(n, i, count));
        CHECK(std::is_sorted(s.begin(), s.end()));
        for (size_t k : s) CHECK(k % size_t(count) == size_t(i - 1));
        all.insert(s.begin(), s.end());
      }
      CHECK(all.size() == n);
      CHECK(std::set<size_t>(all.begin(), all.end()).size() == n);
    }
  CHECK(shard_slice(5, 0, 0) == std::vector<size_t>{0, 1, 2, 3, 4});
}

TEST_CASE("the progress line: done/total, running, candidates, elapsed, ETA") {
  CHECK(Progress::line(0, 10, 2, 0, 3.2) == "paddock: 0/10 tests, 2 running, 0 candidate executions, 0:03 elapsed, ETA ?");
  CHECK(Progress::line(5, 20, 1, 1234, 65) ==
        "paddock: 5/20 tests, 1 running, 1234 candidate executions, 1:05 elapsed, ETA 3:15");
  CHECK(Progress::line(1, 3, 0, 9, 3700) == "paddock: 1/3 tests, 0 running, 9 candidate executions, 1:01:40 elapsed, ETA 2:03:20");
}
