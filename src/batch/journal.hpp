// The batch journal (docs/batch.md): one JSON line per finished test, appended as each test completes,
// so that a rerun skips what is done and `--merge` can reprint the whole batch's report.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace paddock::batch {

// First line of a journal: what the batch was asked to do. A resumed run and a merge accept only journals
// whose header agrees on `options` and `tests`.
struct JournalHeader {
  std::vector<std::string> options;  // what shapes the output: the command line but for the batch options and tests
  std::vector<std::string> tests;    // the whole test list, in input order, before sharding
  int shard_index = 0, shard_count = 0;  // 1-based; 0/0 when the run was not sharded
};

struct JournalRecord {
  size_t index = 0;         // position in JournalHeader::tests
  std::string test;         // the path, as given
  std::string digest;       // of the test file's text when it ran ("" when unreadable)
  std::string out;          // exactly what the test prints on stdout (its report, with its Time line)
  std::string err;          // exactly what it prints on stderr (its error line; herd7 mode's warnings)
  bool failed = false;      // it could not be run (the exit status)
  uint64_t candidates = 0;  // candidate executions examined (progress only)
};

struct Journal {
  std::optional<JournalHeader> header;  // absent for a new or empty journal
  std::vector<JournalRecord> records;   // in file order; a later record of an index supersedes an earlier one
  uint64_t complete_bytes = 0;          // length of the whole lines; a torn last line lies beyond
};

// Reads a journal; a missing file is an empty journal. A last line without its newline (a kill mid-write)
// is ignored; any other unreadable line throws UserError naming FILE:LINE:COL.
Journal read_journal(const std::string& path);

std::string header_line(const JournalHeader& h);
std::string record_line(const JournalRecord& r);

// Appends whole lines with one write() each, so a kill leaves at most one torn last line.
class JournalWriter {
 public:
  // Opens for appending after cutting a torn tail off at `complete_bytes`; throws UserError.
  JournalWriter(const std::string& path, uint64_t complete_bytes);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;
  void append(const std::string& line);

 private:
  std::string path_;
  int fd_ = -1;
};

// FNV-1a, 64 bits, as 16 hex digits: tells a changed test file from the one the journal ran.
std::string digest(const std::string& text);

}  // namespace paddock::batch
