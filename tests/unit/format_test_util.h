// Test helpers for format plugins: drive a plugin through the C ABI as the host does, from memory.
#ifndef FTPREP_TESTS_UNIT_FORMAT_TEST_UTIL_H_
#define FTPREP_TESTS_UNIT_FORMAT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ftprep/plugin_api.h"
#include "plugin_host.h"

namespace ftprep::testutil {

namespace fs = std::filesystem;

struct MemStream {
  std::string data;
  size_t pos = 0;
  size_t chunk = 7;  // small reads exercise records spanning refills
  static long long Read(void* ctx, char* buf, size_t len) {
    auto* m = static_cast<MemStream*>(ctx);
    size_t n = std::min({len, m->data.size() - m->pos, m->chunk});
    std::memcpy(buf, m->data.data() + m->pos, n);
    m->pos += n;
    return static_cast<long long>(n);
  }
};

struct Row {
  std::string json, error, rule, raw;
  uint64_t line = 0, column = 0;
};

struct ReadResult {
  int open_rc = 0, end_rc = 0;
  std::string open_error;
  std::vector<Row> rows;
};

inline ReadResult ReadAll(const std::string& format, const std::string& data,
                   std::vector<std::string> kv = {}, size_t chunk = 7) {
  const PluginInfo* p = PluginRegistry::Get().Find(format, FTPREP_KIND_FORMAT);
  EXPECT_NE(p, nullptr);
  ReadResult res;
  if (p == nullptr) return res;
  const ftprep_format_v1* f = p->desc->format;
  MemStream ms{data, 0, chunk};
  ftprep_stream st{&ms, &MemStream::Read, "test", nullptr, -1};
  std::vector<const char*> opts;
  for (auto& s : kv) opts.push_back(s.c_str());
  opts.push_back(nullptr);
  opts.push_back(nullptr);
  void* r = nullptr;
  TakePluginError();
  res.open_rc = f->open_reader(Host(), &st, opts.data(), &r);
  if (res.open_rc != FTPREP_OK) {
    res.open_error = TakePluginError();
    if (r) f->close_reader(r);
    return res;
  }
  for (;;) {
    ftprep_record_out out{};
    int rc = f->next(r, &out);
    if (rc != FTPREP_OK) {
      res.end_rc = rc;
      if (rc != FTPREP_END) res.open_error = f->error(r);
      break;
    }
    Row row;
    if (out.json) row.json.assign(out.json, out.json_len);
    if (out.error) row.error = out.error;
    if (out.rule_id) row.rule = out.rule_id;
    if (out.raw) row.raw.assign(out.raw, out.raw_len);
    row.line = out.line;
    row.column = out.column;
    res.rows.push_back(row);
  }
  f->close_reader(r);
  return res;
}

inline std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ../shared beside the repository; FTPREP_SHARED overrides it (e.g. when testing from a worktree).
inline fs::path Shared() {
  const char* env = std::getenv("FTPREP_SHARED");
  if (env && *env && fs::exists(fs::path(env) / "suites")) return fs::path(env);
  return fs::path(FTPREP_SOURCE_DIR) / ".." / "shared";
}

// Rows of ../shared/realdata/MANIFEST.tsv (local_path, repo, path_in_repo, commit, licence, kind, n_records).
inline std::vector<std::vector<std::string>> ManifestRows() {
  std::vector<std::vector<std::string>> rows;
  std::ifstream man(Shared() / "realdata" / "MANIFEST.tsv");
  std::string line;
  while (std::getline(man, line)) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string c;
    while (std::getline(ss, c, '\t')) cols.push_back(c);
    if (cols.size() >= 7 && cols[0] != "local_path") rows.push_back(cols);
  }
  return rows;
}

#define SKIP_WITHOUT_SHARED()                                                          \
  if (!std::filesystem::exists(::ftprep::testutil::Shared() / "suites")) {             \
    std::printf("notice: %s is absent; skipping\n",                                     \
                ::ftprep::testutil::Shared().string().c_str());                          \
    GTEST_SKIP() << "../shared is absent";                                             \
  }


// Runs records through a format plugin's writer; returns the bytes.
inline std::string WriteAll(const std::string& format, const std::vector<std::string>& records,
                     std::vector<std::string> kv = {}) {
  const PluginInfo* p = PluginRegistry::Get().Find(format, FTPREP_KIND_FORMAT);
  EXPECT_NE(p, nullptr);
  const ftprep_format_v1* f = p->desc->format;
  std::string out;
  std::vector<const char*> opts;
  for (auto& s : kv) opts.push_back(s.c_str());
  opts.push_back(nullptr);
  opts.push_back(nullptr);
  void* w = nullptr;
  auto sink = [](void* s, const char* d, size_t n) {
    static_cast<std::string*>(s)->append(d, n);
    return static_cast<int>(FTPREP_OK);
  };
  EXPECT_EQ(f->open_writer(Host(), opts.data(), sink, &out, &w), FTPREP_OK);
  for (const auto& r : records) EXPECT_EQ(f->write(w, r.data(), r.size()), FTPREP_OK);
  EXPECT_EQ(f->close_writer(w), FTPREP_OK);
  return out;
}


}  // namespace ftprep::testutil

#endif  // FTPREP_TESTS_UNIT_FORMAT_TEST_UTIL_H_
