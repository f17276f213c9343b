// tests/fuzz/fuzz_reader.h — drives one format plugin through the host reader (OpenReader: byte source with
// gzip/zstd detection, plugin ABI, record assembly) over an in-memory file, the way the tools read.
//
// Invariants checked on every input (a violation aborts, so libFuzzer keeps the input as a crash):
//   - reading never crashes, hangs or leaks (ASan/UBSan/libFuzzer's timeouts and leak checker);
//   - a record the reader accepted parses as a JSON object (the lazy DOM agrees with the streaming check)
//     and serialises to JSON that parses back to an equal value;
//   - every bad record carries a non-empty message and rule id;
//   - a structural failure (status not ok) is never kOk-with-garbage: reading stops.
// Not thread-safe (one process-wide memfd).
#ifndef FTPREP_TESTS_FUZZ_FUZZ_READER_H_
#define FTPREP_TESTS_FUZZ_FUZZ_READER_H_

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "ftprep/json_flags.h"
#include "ftprep/reader.h"
#include "ftprep/record.h"
#include "plugin_host.h"

namespace ftprep_fuzz {

inline void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

// Writes `data` to an anonymous in-memory file and returns a path the reader can open.
inline std::string MemFile(const uint8_t* data, size_t size) {
  static int fd = -1;
  if (fd < 0) fd = memfd_create("ftprep-fuzz", 0);
  Check(fd >= 0, "memfd_create");
  Check(ftruncate(fd, 0) == 0, "ftruncate");
  size_t off = 0;
  while (off < size) {
    ssize_t n = pwrite(fd, data + off, size - off, static_cast<off_t>(off));
    Check(n > 0, "pwrite");
    off += static_cast<size_t>(n);
  }
  return "/proc/self/fd/" + std::to_string(fd);
}

// Reads all records of `data` as `format` ("auto" sniffs). Returns the number of records seen.
inline size_t ReadAll(const char* format, const uint8_t* data, size_t size,
                      std::vector<std::pair<std::string, std::string>> format_options = {},
                      uint64_t max_record_bytes = 1 << 20) {
  ftprep::ReadOptions opts;
  opts.format = format;
  opts.format_options = std::move(format_options);
  // Small limits keep iterations fast and exercise the limit paths.
  opts.max_record_bytes = max_record_bytes;
  opts.max_field_bytes = 256 << 10;
  opts.max_depth = 200;
  auto reader = ftprep::OpenReader({MemFile(data, size)}, opts);
  if (!reader.ok()) return 0;
  ftprep::Record rec;
  size_t n = 0;
  while ((*reader)->Next(&rec)) {
    ++n;
    if (rec.bad()) {
      Check(!rec.error().empty(), "bad record without a message");
      Check(!rec.rule_id().empty(), "bad record without a rule id");
      continue;
    }
    Check(rec.parse_ok(), "accepted record does not parse as a JSON object");
    std::string json = ftprep::ToJson(rec.doc());
    rapidjson::Document again;
    ftprep::ParseRecordJson(again, json.data(), json.size());
    Check(!again.HasParseError(), "serialised record does not parse");
    // Compared as text, not with operator==: RapidJSON looks object members up by name, so it calls a record
    // with a duplicate key ({"a":1,"a":2}, kept as written) unequal to itself (fuzz_json's first finding).
    Check(ftprep::ToJson(again) == json, "serialised record differs after a round trip");
  }
  return n;
}

}  // namespace ftprep_fuzz

#endif  // FTPREP_TESTS_FUZZ_FUZZ_READER_H_
