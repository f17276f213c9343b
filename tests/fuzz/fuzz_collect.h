// tests/fuzz/fuzz_collect.h — differential helpers on top of fuzz_reader.h: read a file into a list of
// comparable record summaries, so a target can check that an option which must not change the result (the
// read block size, say) indeed does not. Not thread-safe (fuzz_reader.h's memfd).
#ifndef FTPREP_TESTS_FUZZ_FUZZ_COLLECT_H_
#define FTPREP_TESTS_FUZZ_FUZZ_COLLECT_H_

#include <string>
#include <utility>
#include <vector>

#include "fuzz_reader.h"
#include "plugin_host.h"

namespace ftprep_fuzz {

using Options = std::vector<std::pair<std::string, std::string>>;

// Drops plugin warnings ("empty input", "skipped blank lines"): stderr noise at every execution.
inline void Quiet() {
  ftprep::SetPluginWarningSink([](const char*) {});
}

struct Outcome {
  std::vector<std::string> records;  // "line:column good|bad rule message raw" or "line json"
  std::string status;                // the reader's final status ("" when it could not open)
  bool hit_limit = false;            // a record or field limit fired (results then depend on buffering)
};

inline std::string StatusText(const ftprep::Status& s) {
  return std::to_string(static_cast<int>(s.code())) + " " + s.message();
}

inline Outcome Collect(const char* format, const uint8_t* data, size_t size, const Options& format_options,
                       uint64_t max_record_bytes) {
  Outcome o;
  ftprep::ReadOptions opts;
  opts.format = format;
  opts.format_options = format_options;
  opts.max_record_bytes = max_record_bytes;
  opts.max_field_bytes = 256 << 10;
  opts.max_depth = 200;
  auto reader = ftprep::OpenReader({MemFile(data, size)}, opts);
  if (!reader.ok()) {
    o.status = "open: " + StatusText(reader.status());
    return o;
  }
  ftprep::Record rec;
  while ((*reader)->Next(&rec)) {
    std::string s = std::to_string(rec.loc.line) + ":" + std::to_string(rec.loc.column);
    if (rec.bad()) {
      if (rec.rule_id() == "record.too_large" || rec.rule_id() == "record.field_too_large") o.hit_limit = true;
      s += " bad " + rec.rule_id() + " " + rec.error() + " raw=" + std::string(rec.raw());
    } else {
      s += " " + std::string(rec.json());
    }
    o.records.push_back(std::move(s));
  }
  o.status = StatusText((*reader)->status());
  if (o.status.find("too_large") != std::string::npos) o.hit_limit = true;
  return o;
}

// Aborts (a finding) when two outcomes that must agree differ; prints the first difference.
inline void CheckSame(const Outcome& a, const Outcome& b, const char* what) {
  if (a.hit_limit || b.hit_limit) return;
  size_t n = std::min(a.records.size(), b.records.size());
  for (size_t i = 0; i < n; ++i) {
    if (a.records[i] != b.records[i]) {
      std::fprintf(stderr, "record %zu differs:\n  %s\n  %s\n", i, a.records[i].c_str(), b.records[i].c_str());
      Check(false, what);
    }
  }
  if (a.records.size() != b.records.size()) {
    std::fprintf(stderr, "%zu records vs %zu\n", a.records.size(), b.records.size());
    Check(false, what);
  }
  if (a.status != b.status) {
    std::fprintf(stderr, "status differs:\n  %s\n  %s\n", a.status.c_str(), b.status.c_str());
    Check(false, what);
  }
}

}  // namespace ftprep_fuzz

#endif  // FTPREP_TESTS_FUZZ_FUZZ_COLLECT_H_
