// The JSONL reader through the host (core/reader.cpp + formats/jsonl): every edge of a line-based stream.
#include "ftprep/reader.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "core_test_util.h"

namespace ftprep {
namespace {

using testing::TempDir;

struct Got {
  std::vector<std::string> json;   // good records
  std::vector<std::string> rules;  // rule ids of bad ones, in order
  std::vector<uint64_t> lines, cols;
  Status status;
};

Got ReadAll(const std::string& path, ReadOptions opts = {}) {
  Got g;
  auto r = OpenReader({path}, opts);
  if (!r.ok()) {
    g.status = r.status();
    return g;
  }
  Record rec;
  while ((*r)->Next(&rec)) {
    g.lines.push_back(rec.loc.line);
    g.cols.push_back(rec.loc.column);
    if (rec.bad()) {
      g.rules.push_back(rec.rule_id());
    } else {
      g.json.push_back(std::string(rec.json()));
    }
  }
  g.status = (*r)->status();
  return g;
}

TEST(JsonlReader, GoodBadGoodKeepsGoing) {
  TempDir t;
  Got g = ReadAll(t.Write("a.jsonl", "{\"a\":1}\nnot json\n{\"b\":2}\n"));
  ASSERT_TRUE(g.status.ok()) << g.status.message();
  EXPECT_EQ(g.json, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(g.rules, std::vector<std::string>{"json.syntax"});
  EXPECT_EQ(g.lines, (std::vector<uint64_t>{1, 2, 3}));
}

TEST(JsonlReader, BomCrlfBlankAndNoFinalNewline) {
  TempDir t;
  Got g = ReadAll(t.Write("a.jsonl", "\xEF\xBB\xBF{\"a\":1}\r\n\r\n   \n{\"b\":\"x\"}"));
  ASSERT_TRUE(g.status.ok());
  EXPECT_EQ(g.json, (std::vector<std::string>{"{\"a\":1}", "{\"b\":\"x\"}"}));
  EXPECT_EQ(g.lines, (std::vector<uint64_t>{1, 4}));
}

TEST(JsonlReader, InvalidUtf8NamesColumn) {
  TempDir t;
  Got g = ReadAll(t.Write("a.jsonl", "{\"a\":\"ok\"}\n{\"a\":\"caf\xE9\"}\n"));
  ASSERT_EQ(g.rules, std::vector<std::string>{"utf8.invalid"});
  EXPECT_EQ(g.cols[1], 10u);
}

TEST(JsonlReader, NotAnObjectAndNul) {
  TempDir t;
  Got g = ReadAll(t.Write("a.jsonl", std::string("[1,2]\n\"s\"\n{\"a\":\"x\0y\"}\n", 22)));
  EXPECT_EQ(g.rules, (std::vector<std::string>{"json.not_object", "json.not_object", "json.nul_byte"}));
}

TEST(JsonlReader, DeepNestingIsAnErrorNotACrash) {
  TempDir t;
  std::string deep(1000000, '[');
  Got g = ReadAll(t.Write("a.jsonl", "{\"a\":" + deep + "\n{\"ok\":true}\n"));
  EXPECT_EQ(g.rules, std::vector<std::string>{"json.too_deep"});
  EXPECT_EQ(g.json, std::vector<std::string>{"{\"ok\":true}"});
}

TEST(JsonlReader, LoneSurrogatesBecomeReplacementButRawIsKept) {
  TempDir t;
  std::string line = "{\"t\":\"a\\ud83d b \\udc00 \\ud83d\\ude00\"}";
  auto r = OpenReader({t.Write("a.jsonl", line + "\n")}, {});
  ASSERT_TRUE(r.ok());
  Record rec;
  ASSERT_TRUE((*r)->Next(&rec));
  ASSERT_FALSE(rec.bad()) << rec.error();
  EXPECT_EQ(rec.json(), line);  // pass-through keeps the original bytes
  ASSERT_TRUE(rec.parse_ok());
  EXPECT_STREQ(rec.doc()["t"].GetString(), "a\xEF\xBF\xBD b \xEF\xBF\xBD \xF0\x9F\x98\x80");
}

TEST(JsonlReader, RecordSizeLimit) {
  TempDir t;
  std::string big = "{\"t\":\"" + std::string(3000, 'x') + "\"}";
  ReadOptions o;
  o.max_record_bytes = 1000;
  Got g = ReadAll(t.Write("a.jsonl", big + "\n{\"a\":1}\n" + big), o);
  EXPECT_EQ(g.rules, (std::vector<std::string>{"record.too_large", "record.too_large"}));
  EXPECT_EQ(g.json, std::vector<std::string>{"{\"a\":1}"});
}

TEST(JsonlReader, TwentyMegabyteLine) {
  TempDir t;
  std::string big = "{\"t\":\"" + std::string(20 << 20, 'y') + "\"}";
  Got g = ReadAll(t.Write("a.jsonl", big + "\n"));
  ASSERT_EQ(g.json.size(), 1u);
  EXPECT_EQ(g.json[0].size(), big.size());
}

TEST(JsonlReader, GzipIsTransparent) {
  TempDir t;
  std::string p = t.path("a.jsonl.gz");
  gzFile f = gzopen(p.c_str(), "wb");
  std::string body = "{\"a\":1}\n{\"b\":2}\n";
  gzwrite(f, body.data(), body.size());
  gzclose(f);
  Got g = ReadAll(p);
  ASSERT_TRUE(g.status.ok()) << g.status.message();
  EXPECT_EQ(g.json.size(), 2u);
}

TEST(JsonlReader, EmptyFileAndMissingFile) {
  TempDir t;
  Got g = ReadAll(t.Write("e.jsonl", ""));
  EXPECT_TRUE(g.status.ok());
  EXPECT_TRUE(g.json.empty());
  Got m = ReadAll(t.path("missing.jsonl"));
  EXPECT_EQ(m.status.code(), Code::kIo);
}

TEST(JsonlReader, SeveralInputsInOrder) {
  TempDir t;
  auto r = OpenReader({t.Write("a.jsonl", "{\"a\":1}\n"), t.Write("b.jsonl", "{\"b\":1}\n")}, {});
  ASSERT_TRUE(r.ok());
  Record rec;
  std::vector<std::string> files;
  while ((*r)->Next(&rec)) files.push_back(rec.loc.file.substr(rec.loc.file.rfind('/') + 1));
  EXPECT_EQ(files, (std::vector<std::string>{"a.jsonl", "b.jsonl"}));
}

// A record reused for records of very different sizes (its document memory grows, and larger records use
// extra chunks) gives each one's values, whether it parses lazily or is filled by a reader.
TEST(Record, ReusedAcrossSizesKeepsEachRecordsValues) {
  Record rec;
  for (size_t n : {10, 3000, 100, 70000, 5, 200000, 40000, 1, 65000}) {
    std::string json = "{\"a\":[";
    for (size_t i = 0; i < n / 10 + 1; ++i) json += (i ? ",\"" : "\"") + std::to_string(i * n) + "\"";
    json += "],\"n\":" + std::to_string(n) + "}";
    rec.Assign(json);
    EXPECT_EQ(ToJson(rec.doc()), json) << n;
    rec.Assign(json);
    EXPECT_TRUE(rec.ParseNow([](rapidjson::Document& d, const char* text, size_t len) {
      ParseRecordJson(d, text, len);
      return !d.HasParseError() && d.IsObject();
    }));
    EXPECT_EQ(rec.doc()["n"].GetUint64(), n);
    EXPECT_EQ(ToJson(rec.doc()), json) << n;
  }
}

TEST(Record, TouchSerialisesCompactUnescapedInOrder) {
  Record rec;
  rec.Assign("{ \"z\" : 1, \"a\" : \"é\" }");
  EXPECT_EQ(rec.json(), "{ \"z\" : 1, \"a\" : \"é\" }");
  rec.doc()["z"].SetInt(2);
  rec.Touch();
  EXPECT_EQ(rec.json(), "{\"z\":2,\"a\":\"é\"}");
}

// A record that is parsed and written again keeps its numbers' values (RapidJSON's default fast path is off by
// an ulp for many long decimals; the JSONL fuzzer found this as a failed round trip).
TEST(Record, NumbersKeepTheirValueThroughParseAndWrite) {
  const char* numbers[] = {"64555499867.267941188e-13", "1177961930.1261637400e-3", "27695899131.2154269522e10",
                           "99999999999999999999999999999999999999999999999999999999999999999999999991",
                           "0.1000000000000000055511151231257827", "2.2250738585072011e-308", "-0.0", "1e308"};
  for (const char* n : numbers) {
    Record rec;
    rec.Assign(std::string("{\"a\":") + n + "}");
    ASSERT_TRUE(rec.parse_ok()) << n;
    const double first = rec.doc()["a"].GetDouble();
    rec.Touch();
    Record again;
    again.Assign(std::string(rec.json()));
    ASSERT_TRUE(again.parse_ok()) << rec.json();
    EXPECT_EQ(again.doc()["a"].GetDouble(), first) << n << " -> " << rec.json();
    EXPECT_EQ(first, std::strtod(n, nullptr)) << n << " must parse to the correctly rounded double";
  }
}

}  // namespace
}  // namespace ftprep
