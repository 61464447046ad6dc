#include "batch/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/diag.hpp"
#include "util/files.hpp"

namespace paddock::batch {

using nlohmann::json;

namespace {

constexpr int kVersion = 1;

[[noreturn]] void bad_line(const std::string& path, int line, const std::string& why) {
  throw UserError(path, Pos{line, 1}, "unreadable journal line: " + why);
}

}  // namespace

std::string digest(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return fmt::format("{:016x}", h);
}

std::string header_line(const JournalHeader& h) {
  json j = {{"paddock_journal", kVersion}, {"options", h.options}, {"tests", h.tests}};
  if (h.shard_count) j["shard"] = fmt::format("{}/{}", h.shard_index, h.shard_count);
  return j.dump() + "\n";
}

std::string record_line(const JournalRecord& r) {
  json j = {{"i", r.index},   {"test", r.test},     {"digest", r.digest},         {"stdout", r.out},
            {"stderr", r.err}, {"failed", r.failed}, {"candidates", r.candidates}};
  // Invalid UTF-8 (a test file's bytes in an error) is replaced rather than refused.
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

Journal read_journal(const std::string& path) {
  Journal jn;
  auto text = read_file(path);
  if (!text) {
    if (access(path.c_str(), F_OK) == 0) throw UserError(path, {}, "cannot read the journal");
    return jn;
  }
  size_t start = 0;
  int line = 0;
  while (start < text->size()) {
    size_t nl = text->find('\n', start);
    if (nl == std::string::npos) break;  // torn last line: the run was killed while writing it
    ++line;
    json j;
    try {
      j = json::parse(text->begin() + long(start), text->begin() + long(nl));
    } catch (const json::exception& e) {
      bad_line(path, line, e.what());
    }
    try {
      if (line == 1) {
        if (!j.contains("paddock_journal")) bad_line(path, line, "not a paddock journal");
        if (j.at("paddock_journal").get<int>() != kVersion)
          bad_line(path, line, fmt::format("journal version {}, expected {}", j.at("paddock_journal").dump(), kVersion));
        JournalHeader h;
        h.options = j.at("options").get<std::vector<std::string>>();
        h.tests = j.at("tests").get<std::vector<std::string>>();
        if (j.contains("shard")) {
          std::string s = j.at("shard").get<std::string>();
          if (std::sscanf(s.c_str(), "%d/%d", &h.shard_index, &h.shard_count) != 2) bad_line(path, line, "bad shard");
        }
        jn.header = std::move(h);
      } else {
        JournalRecord r;
        r.index = j.at("i").get<size_t>();
        r.test = j.at("test").get<std::string>();
        r.digest = j.at("digest").get<std::string>();
        r.out = j.at("stdout").get<std::string>();
        r.err = j.at("stderr").get<std::string>();
        r.failed = j.at("failed").get<bool>();
        r.candidates = j.value("candidates", uint64_t(0));
        if (r.index >= jn.header->tests.size() || jn.header->tests[r.index] != r.test)
          bad_line(path, line, fmt::format("test {} is not at position {} of the list", r.test, r.index));
        jn.records.push_back(std::move(r));
      }
    } catch (const json::exception& e) {
      bad_line(path, line, e.what());
    }
    start = nl + 1;
    jn.complete_bytes = start;
  }
  return jn;
}

JournalWriter::JournalWriter(const std::string& path, uint64_t complete_bytes) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw UserError(path, {}, fmt::format("cannot open the journal: {}", std::strerror(errno)));
  if (ftruncate(fd_, off_t(complete_bytes)) != 0 || lseek(fd_, 0, SEEK_END) < 0) {
    ::close(fd_);
    throw UserError(path, {}, fmt::format("cannot write the journal: {}", std::strerror(errno)));
  }
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::append(const std::string& line) {
  // One write() per line: the kernel appends it whole unless the process dies inside the call.
  size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) throw UserError(path_, {}, fmt::format("cannot write the journal: {}", std::strerror(errno)));
    done += size_t(n);
  }
}

}  // namespace paddock::batch
