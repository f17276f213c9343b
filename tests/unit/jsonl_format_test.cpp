// Tests of the jsonl format plugin: sniffing (a shard of a JSON Lines file, cut where any line ends, as GNU
// parallel --pipepart and Hadoop input splits do, is read as JSON Lines even when its first line is broken),
// and its two ways of reading (the in-tree one-parse reader and the C ABI) agreeing on every hostile line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core_test_util.h"
#include "ftprep/reader.h"
#include "plugin_host.h"

namespace ftprep {
namespace {

using testing::TempDir;

// The format the reader sniffs for `bytes` in a file without an extension.
std::string Sniffed(const std::string& bytes) {
  TempDir t;
  std::string p = t.Write("input", bytes);
  auto r = OpenReader({p}, ReadOptions{});
  if (!r.ok()) return "error: " + r.status().message();
  Record rec;
  (*r)->Next(&rec);  // the format is chosen when the first input opens
  return (*r)->format();
}

TEST(JsonlSniff, CleanStart) { EXPECT_EQ(Sniffed("{\"a\":1}\n{\"a\":2}\n"), "jsonl"); }

TEST(JsonlSniff, ShardStartingWithABrokenLine) {
  EXPECT_EQ(Sniffed("[1,2,3]\n{\"a\":1}\n{\"a\":2}\n"), "jsonl");          // not a JSON array
  EXPECT_EQ(Sniffed("not json at all\n{\"a\":1}\n{\"a\":2}\n"), "jsonl");  // not text
  EXPECT_EQ(Sniffed("\"x\"\n{\"a\":1}\n"), "jsonl");
}

TEST(JsonlSniff, OtherFormatsStayTheirs) {
  EXPECT_EQ(Sniffed("[{\"a\":1},\n{\"a\":2}]\n"), "json");
  EXPECT_EQ(Sniffed("[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n"), "json");
  EXPECT_EQ(Sniffed("hello world\nthis is text\n"), "txt");
  EXPECT_EQ(Sniffed("a,b\n1,2\n3,4\n"), "csv");
}

}  // namespace
}  // namespace ftprep

namespace ftprep {
namespace {

// Lines every check of the JSON Lines reader has an opinion on: BOM, duplicate keys (small and large
// objects, nested, after a line that stopped inside a large object), nesting depth, numbers read exactly,
// lone surrogates, syntax, roots that are not objects, blank lines, CRLF.
std::string HostileLines() {
  std::string big, big_dup;
  for (int i = 0; i < 40; ++i) big += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":" + std::to_string(i);
  big_dup = "{" + big + ",\"k7\":1}";
  big = "{" + big + "}";
  std::vector<std::string> lines = {
      "\xEF\xBB\xBF{\"a\":1}", "{\"a\":1,\"a\":2}", "{\"x\":{\"b\":1,\"c\":2,\"b\":3}}", big_dup, big,
      std::string(1001, '[') + std::string(1001, ']'), "{\"a\":" + std::string(1000, '[') + std::string(1000, ']') + "}",
      "{\"a\":" + std::string(999, '[') + std::string(999, ']') + "}", "{\"a\": 0e5, \"b\": -0.0e-24}",
      "{\"a\": 0e5, \"a\": 1}", "{\"a\": \"\\ud83d x\"}", "{\"a\": 1e400}", "{\"a\": \"\x01\"}", "[1,2]", "\"s\"",
      "null", "12", "{\"a\":1} x", "{\"a\":1}   ", "   {\"a\":1}", "{\"a\":1}\r", "", "{\"a\":[{\"b\":1},{\"b\":2,\"b\":3}]}",
      "{\"n\":[1.5,-2,18446744073709551615,1e-300]}", "{\"a\":\"\xff\"}", std::string("{\"a\":\"x\0\"}", 10),
      "{\"a\": \"\\udc00\" x"};
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

// What a reader made of a record: line, column, bad or not, message and the bad bytes or the record's JSON.
std::string Line(Record& rec) {
  std::string d = std::to_string(rec.loc.line) + ":" + std::to_string(rec.loc.column) + " ";
  d += rec.bad() ? "bad " + rec.rule_id() + " " + rec.error() + " | " + std::string(rec.raw())
                 : "ok " + ToJson(rec.doc());
  return d;
}

std::vector<std::string> Describe(Reader& r) {
  std::vector<std::string> out;
  Record rec;
  while (r.Next(&rec)) out.push_back(Line(rec));
  return out;
}

// The in-tree reader parses each record once, into the record; the C ABI path validates and leaves the
// parse to Record::doc(). Both must give the same records, columns and messages.
TEST(JsonlReader, ParsedOnceGivesWhatTheCPathGives) {
  TempDir t;
  std::string p = t.Write("hostile.jsonl", HostileLines());
  auto r = OpenReader({p}, ReadOptions{});
  ASSERT_TRUE(r.ok());
  std::vector<std::string> cxx = Describe(**r);

  // The C path, through the plugin's vtable as an external reader would be driven.
  const PluginInfo* info = PluginRegistry::Get().Find("jsonl", FTPREP_KIND_FORMAT);
  ASSERT_NE(info, nullptr);
  const ftprep_format_v1* f = info->desc->format;
  std::string bytes = HostileLines();
  struct Src {
    std::string* s;
    size_t pos = 0;
  } src{&bytes};
  ftprep_stream in{&src,
                   [](void* ctx, char* buf, size_t len) -> long long {
                     auto* s = static_cast<Src*>(ctx);
                     size_t n = std::min(len, s->s->size() - s->pos);
                     std::memcpy(buf, s->s->data() + s->pos, n);
                     s->pos += n;
                     return static_cast<long long>(n);
                   },
                   "hostile.jsonl", nullptr, static_cast<long long>(bytes.size())};
  const char* opts[] = {"max_depth", "1000", nullptr, nullptr};
  void* reader = nullptr;
  ASSERT_EQ(f->open_reader(Host(), &in, opts, &reader), FTPREP_OK);
  std::vector<std::string> c_path;
  ftprep_record_out o{};
  while (f->next(reader, &o) == FTPREP_OK) {
    Record rec;
    std::string d = std::to_string(o.line) + ":" + std::to_string(o.column) + " ";
    if (o.error) {
      d += std::string("bad ") + o.rule_id + " " + o.error + " | " + std::string(o.raw, o.raw_len);
    } else {
      rec.Assign(std::string_view(o.json, o.json_len));
      d += "ok " + ToJson(rec.doc());
    }
    c_path.push_back(d);
  }
  f->close_reader(reader);
  EXPECT_EQ(cxx, c_path);
  ASSERT_EQ(cxx.size(), 26u);
  EXPECT_EQ(cxx[3].substr(0, cxx[3].find(" | ")),
            "4:345 bad json.duplicate_key duplicate key \"k7\" in one object at column 345 (readers disagree on which "
            "value wins)");
  EXPECT_EQ(cxx[23], "25:7 bad utf8.invalid invalid UTF-8 (byte 0xFF) at column 7 | {\"a\":\"\xff\"}");
  EXPECT_EQ(cxx[24], "26:8 bad json.nul_byte NUL byte at column 8 | " + std::string("{\"a\":\"x\0\"}", 10));
  // A bad line keeps its own bytes, not the reader's rewrite of its lone surrogate.
  EXPECT_EQ(cxx[25], "27:16 bad json.syntax invalid JSON: Missing a comma or '}' after an object member at column 16 | "
                     "{\"a\": \"\\udc00\" x");
  // The large object after the line that stopped at its duplicate has none.
  EXPECT_EQ(cxx[4].substr(0, 7), "5:0 ok ");
  EXPECT_EQ(cxx[8], "9:0 ok {\"a\":0.0,\"b\":-0.0}");
  EXPECT_EQ(cxx[22], "24:0 ok {\"n\":[1.5,-2,18446744073709551615,1e-300]}");
}

// With defer_parse (the pipeline's --jobs), the reader only frames lines; whichever thread resolves a record
// gets what the reader alone would have given, message, column and bytes included.
TEST(JsonlReader, DeferredRecordsResolvedOnAnotherThreadGiveTheSame) {
  TempDir t;
  std::string p = t.Write("hostile.jsonl", HostileLines());
  auto serial = OpenReader({p}, ReadOptions{});
  ASSERT_TRUE(serial.ok());
  std::vector<std::string> want = Describe(**serial);
  ReadOptions opts;
  opts.defer_parse = true;
  auto r = OpenReader({p}, opts);
  ASSERT_TRUE(r.ok());
  std::vector<std::unique_ptr<Record>> recs;
  for (auto rec = std::make_unique<Record>(); (*r)->Next(rec.get()); rec = std::make_unique<Record>()) {
    EXPECT_TRUE(rec->deferred()) << rec->loc.line;
    recs.push_back(std::move(rec));
  }
  std::vector<std::string> got;
  std::thread worker([&] {
    for (auto& rec : recs) {
      rec->Resolve();
      got.push_back(Line(*rec));
    }
  });
  worker.join();
  EXPECT_EQ(got, want);
  ASSERT_EQ(got.size(), 26u);
}

}  // namespace
}  // namespace ftprep
