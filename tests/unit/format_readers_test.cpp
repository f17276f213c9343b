// The in-tree C++ readers of the table formats (csv, tsv, txt, xlsx) (core/format_reader.h) against the C ABI path of the same
// plugin: for hostile inputs and every suite file, the same records (document, text, raw bytes), lines,
// columns, messages and end codes. The C path is what external .so formats and the module build use.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "format_reader.h"
#include "format_test_util.h"
#include "ftprep/record.h"

namespace ftprep {
namespace {

using testutil::MemStream;
namespace fs = std::filesystem;

std::string Describe(Record& rec) {
  std::string d = std::to_string(rec.loc.line) + ":" + std::to_string(rec.loc.column) + " [" + rec.loc.sheet + "] ";
  if (rec.bad()) return d + "bad " + rec.rule_id() + " " + rec.error() + " raw=" + std::string(rec.raw());
  d += "text=" + std::string(rec.json()) + " raw=" + std::string(rec.raw());
  return d + (rec.parse_ok() ? " doc=" + ToJson(rec.doc()) : " not-an-object");
}

struct Run {
  int open_rc = 0, end_rc = 0;
  std::string error;
  std::vector<std::string> records;
};

std::vector<const char*> Options(const std::vector<std::string>& kv) {
  std::vector<const char*> opts;
  for (auto& s : kv) opts.push_back(s.c_str());
  opts.push_back(nullptr);
  opts.push_back(nullptr);
  return opts;
}

Run ReadC(const ftprep_format_v1* f, const std::string& data, const std::vector<std::string>& kv) {
  Run run;
  MemStream ms{data, 0, 7};
  ftprep_stream st{&ms, &MemStream::Read, "test", nullptr, -1};
  auto opts = Options(kv);
  void* r = nullptr;
  TakePluginError();
  run.open_rc = f->open_reader(Host(), &st, opts.data(), &r);
  if (run.open_rc != FTPREP_OK) {
    run.error = TakePluginError();
    return run;
  }
  Record rec;
  for (;;) {
    ftprep_record_out out{};
    int rc = f->next(r, &out);
    if (rc != FTPREP_OK) {
      run.end_rc = rc;
      if (rc != FTPREP_END) run.error = f->error(r);
      break;
    }
    FillRecord(out, &rec);
    run.records.push_back(Describe(rec));
  }
  f->close_reader(r);
  return run;
}

// The C++ reader. Rows it leaves deferred (Record::Defer) are resolved at once (as a serial run does) or,
// with `later`, all on another thread after the reader is gone (as --jobs workers may).
Run ReadCxx(const ftprep_format_v1* f, const std::string& data, const std::vector<std::string>& kv,
            bool later = false) {
  Run run;
  OpenRecordFormatFn open = FindRecordFormat(f);
  EXPECT_NE(open, nullptr);
  if (open == nullptr) return run;
  MemStream ms{data, 0, 7};
  ftprep_stream st{&ms, &MemStream::Read, "test", nullptr, -1};
  auto opts = Options(kv);
  std::unique_ptr<RecordFormatReader> r;
  TakePluginError();
  run.open_rc = open(Host(), &st, opts.data(), &r);
  if (run.open_rc != FTPREP_OK) {
    run.error = TakePluginError();
    return run;
  }
  std::vector<std::unique_ptr<Record>> recs;
  Record rec;
  for (;;) {
    Record* into = later ? recs.emplace_back(std::make_unique<Record>()).get() : &rec;
    int rc = r->Next(into);
    if (rc != FTPREP_OK) {
      run.end_rc = rc;
      if (rc != FTPREP_END) run.error = r->error();
      if (later) recs.pop_back();
      break;
    }
    if (!later) {
      rec.Resolve();
      run.records.push_back(Describe(rec));
    }
  }
  if (later) {
    r.reset();
    std::thread([&] {
      for (auto& one : recs) one->Resolve();
    }).join();
    for (auto& one : recs) run.records.push_back(Describe(*one));
  }
  return run;
}

// Both paths of `format` on `data` agree; returns how many records they read.
size_t ExpectSame(const std::string& format, const std::string& data, const std::vector<std::string>& kv,
                  const std::string& what) {
  const PluginInfo* p = PluginRegistry::Get().Find(format, FTPREP_KIND_FORMAT);
  EXPECT_NE(p, nullptr) << format;
  if (p == nullptr) return 0;
  Run c = ReadC(p->desc->format, data, kv);
  for (bool later : {false, true}) {
    Run cxx = ReadCxx(p->desc->format, data, kv, later);
    std::string how = what + (later ? " (resolved later, on another thread)" : "");
    EXPECT_EQ(c.open_rc, cxx.open_rc) << how;
    EXPECT_EQ(c.end_rc, cxx.end_rc) << how;
    EXPECT_EQ(c.error, cxx.error) << how;
    EXPECT_EQ(c.records.size(), cxx.records.size()) << how;
    for (size_t i = 0; i < std::min(c.records.size(), cxx.records.size()); ++i) {
      EXPECT_EQ(c.records[i], cxx.records[i]) << how << " record " << i;
    }
  }
  return c.records.size();
}

// Cells every escape and error path of the delimited engine has an opinion on.
const char* const kHostileCsv[] = {
    "a,b\n1,2\n",
    "a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\r\n\"multi\nline\",\\back\\slash\r\n",
    "a,b\n\x01\x02\x1f,\"tab\there\"\n\"\xC3\xA9t\xC3\xA9\",\xF0\x9F\x98\x80\n",
    "\xEF\xBB\xBFname,\"quo\"\"ted\",\"nl\nkey\",\"\x07\"\nv1,v2,v3,v4\n",
    "a,b\n1,2,3\n4\n5,6\n",  // ragged rows
    "a,b\n\"unterminated,2\n3,4\n",
    "a,b\n\"x\"y,2\n3,4\n",  // bare text after a closing quote
    "a,b\n\xFF\xFE,2\n3,4\n",  // invalid UTF-8
    "a,a,b\n1,2,3\n",          // duplicate header
    ",b\n1,2\n",               // empty header name
    "a;b;c\n1;2;3\n\n\n4;\"\";6\n",
    "a|b\n1|2\n",
    "",
    "a,b\n",
    "only\n\"\"\n\n\"x\"\n",
    "a,b\n1,\"\\u0041\"\n",  // JSON-looking text stays text
    "a,b\n\"\x00\",2\n",
    // Invalid UTF-8 outranks a ragged row or a too-large field; a bad byte after a line break inside a
    // quoted field; a byte-order mark before a bad byte on line 1 (no_header: a data row there).
    "a,b\n\xFF,2,3\n4,5\n",
    "a,b\n\"x\ny\xFE\",2\nok,\"multi\nline\"\n",
    "\xEF\xBB\xBF\xFF" "a,b\n1,\xC3\n",
    "a,b\n\xC3\xA9\xC3,\"q\"\"\xFF\"\n\"long field\",\xE2\x82\n",
};

TEST(TableReaders, CsvSameThroughBothPaths) {
  for (const char* s : kHostileCsv) {
    std::string data(s);
    ExpectSame("csv", data, {}, "csv: " + data);
    ExpectSame("csv", data, {"lazy_quotes", "1"}, "csv lazy: " + data);
    ExpectSame("csv", data, {"no_header", "1"}, "csv no_header: " + data);
    ExpectSame("csv", data, {"duplicate_headers", "rename"}, "csv rename: " + data);
    ExpectSame("csv", data, {"header_names", "x,y"}, "csv names: " + data);
    ExpectSame("csv", data, {"repair_utf8", "1"}, "csv repair: " + data);
    ExpectSame("csv", data, {"encoding", "latin1"}, "csv latin1: " + data);
    ExpectSame("csv", data, {"max_field_bytes", "3"}, "csv field limit: " + data);
    ExpectSame("csv", data, {"max_record_bytes", "8"}, "csv record limit: " + data);
  }
  std::string nul("a,b\n\"x\0y\",2\n", 13);
  ExpectSame("csv", nul, {}, "csv with a NUL");
}

TEST(TableReaders, TsvSameThroughBothPaths) {
  const char* const cases[] = {
      "a\tb\n1\t2\n", "a\tb\nx\\ty\tline\\nbreak\\\\\n\"q\"\t\"\"\n", "a\tb\n1\t2\t3\n", "a\tb\n\\u00e9\t\\\n"};
  for (const char* s : cases) {
    ExpectSame("tsv", s, {}, std::string("tsv: ") + s);
    ExpectSame("tsv", s, {"tsv_escapes", "1"}, std::string("tsv escapes: ") + s);
  }
}

// Every CSV/TSV file of the suites and the real data.
TEST(TableReaders, SuiteFilesSameThroughBothPaths) {
  SKIP_WITHOUT_SHARED();
  size_t files = 0, records = 0;
  for (const char* dir : {"suites/csv-spectrum", "suites/csv-peers", "realdata/csv", "realdata/tsv"}) {
    fs::path root = testutil::Shared() / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file()) continue;
      std::string ext = e.path().extension().string();
      std::string name = e.path().filename().string();
      std::string format = ext == ".tsv" || ext == ".tab" ? "tsv" : "csv";
      if (ext != ".csv" && ext != ".tsv" && ext != ".tab" && name.find("-input") == std::string::npos) continue;
      std::string data = testutil::Slurp(e.path());
      records += ExpectSame(format, data, {}, e.path().string());
      ExpectSame(format, data, {"lazy_quotes", "1"}, e.path().string() + " (lazy quotes)");
      ++files;
    }
  }
  EXPECT_GT(files, 50u);
  EXPECT_GT(records, 1000u);
}

TEST(TableReaders, TxtSameThroughBothPaths) {
  const std::string cases[] = {
      "plain line\n\nsecond \"quoted\" \\ back\tslash\r\n\x01\x1f ctrl\n\xC3\xA9\xF0\x9F\x98\x80\n",
      "bad \xFF utf8\nnext\n", "", "\n\n\n", "no newline at the end",
      "para one line one\npara one line two\n\npara two. Second sentence! Third?\n" + std::string(300, 'w') + "\n"};
  for (const auto& c : cases) {
    ExpectSame("txt", c, {}, "txt: " + c);
    ExpectSame("txt", c, {"chunk_tokens", "8", "token_encoding", "chars4"}, "txt chunks: " + c);
    ExpectSame("txt", c, {"chunk_tokens", "8", "overlap", "2", "token_encoding", "chars4"}, "txt overlap: " + c);
    ExpectSame("txt", c, {"repair_utf8", "1"}, "txt repair: " + c);
    ExpectSame("txt", c, {"max_record_bytes", "5"}, "txt limit: " + c);
  }
}

// Every workbook of the suites and the real data, with and without a header row, and the sheet list.
TEST(TableReaders, XlsxSameThroughBothPaths) {
  SKIP_WITHOUT_SHARED();
  size_t files = 0, records = 0;
  for (const char* dir : {"suites/calamine-xlsx", "realdata/xlsx"}) {
    fs::path root = testutil::Shared() / dir;
    if (!fs::exists(root)) continue;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (!e.is_regular_file() || e.path().extension() != ".xlsx") continue;
      std::string data = testutil::Slurp(e.path());
      records += ExpectSame("xlsx", data, {}, e.path().string());
      ExpectSame("xlsx", data, {"header", "0"}, e.path().string() + " (no header)");
      ExpectSame("xlsx", data, {"list_sheets", "1"}, e.path().string() + " (sheets)");
      ++files;
    }
  }
  EXPECT_GT(files, 20u);
  EXPECT_GT(records, 100u);
}

// The flat-strings builder gives the document a parse gives, escapes included, and falls back to the
// parse for what it does not decode itself.
TEST(TableReaders, FlatStringsBuildWhatAParseBuilds) {
  std::string text = "{\"k\\\"1\":\"a\\\\b\\/c\\n\\u00e9\\u20ac\\u0000\",\"k2\":\"\\ud83d\\ude00\",\"\":\"\"}";
  std::vector<uint32_t> hint = {2, 4, 9, 27, 39, 2, 44, 12, 59, 0, 62, 0};
  ASSERT_EQ(text.substr(2, 4), "k\\\"1");
  ASSERT_EQ(text.substr(39, 2), "k2");
  ASSERT_EQ(text.substr(44, 12), "\\ud83d\\ude00");
  Record built, parsed;
  built.Assign(text);
  built.build_hint() = hint;
  built.BuildLater(&BuildFlatStrings);
  parsed.Assign(text);
  ASSERT_TRUE(parsed.parse_ok());
  ASSERT_TRUE(built.parse_ok());
  EXPECT_EQ(ToJson(built.doc()), ToJson(parsed.doc()));
  EXPECT_EQ(built.doc().MemberCount(), 3u);
  // Without the surrogate pair the builder decodes everything itself.
  std::string plain = "{\"a\":\"x\\ty\\u001f\"}";
  Record b2, p2;
  b2.Assign(plain);
  b2.build_hint() = {2, 1, 6, 10};
  b2.BuildLater(&BuildFlatStrings);
  p2.Assign(plain);
  EXPECT_EQ(ToJson(b2.doc()), ToJson(p2.doc()));
  EXPECT_EQ(std::string(b2.doc()["a"].GetString(), b2.doc()["a"].GetStringLength()), "x\ty\x1f");
}

}  // namespace
}  // namespace ftprep
