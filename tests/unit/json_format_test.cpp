// Tests of the json format plugin: JSONTestSuite, the real JSON files of ../shared/realdata, the three input
// shapes, canonical re-serialisation and the array writer.
#include <filesystem>
#include <map>

#include "format_test_util.h"

namespace ftprep {
namespace {

using namespace ftprep::testutil;  // NOLINT: test helpers
namespace fs = std::filesystem;

// Accepted = the input is read to its end with no syntax problem (records that are valid JSON but not objects
// are per-record json.not_object problems, which is not a rejection of the JSON text).
bool Accepted(const ReadResult& r) {
  if (r.open_rc != FTPREP_OK || r.end_rc != FTPREP_END) return false;
  for (const auto& row : r.rows) {
    if (!row.error.empty() && row.rule != "json.not_object") return false;
  }
  return true;
}

TEST(JsonTestSuite, YesAcceptedNoRejected) {
  SKIP_WITHOUT_SHARED();
  fs::path dir = Shared() / "suites" / "JSONTestSuite" / "test_parsing";
  int y = 0, n = 0;
  std::map<std::string, bool> implementation_defined;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    ReadResult r = ReadAll("json", Slurp(e.path()), {}, 1 << 16);
    bool ok = Accepted(r);
    if (name[0] == 'y') {
      EXPECT_TRUE(ok) << name << ": " << r.open_error << (r.rows.empty() ? "" : " / " + r.rows[0].error);
      ++y;
    } else if (name[0] == 'n') {
      EXPECT_FALSE(ok) << name;
      ++n;
    } else {
      implementation_defined[name] = ok;
    }
  }
  EXPECT_GT(y, 90);
  EXPECT_GT(n, 180);
  // The documented i_ outcomes (see formats/json/json.cpp): invalid UTF-8 and lone high surrogates are
  // rejected; a lone low surrogate becomes U+FFFD.
  if (implementation_defined.count("i_string_UTF-8_invalid_sequence.json")) {
    EXPECT_FALSE(implementation_defined["i_string_UTF-8_invalid_sequence.json"]);
  }
  ReadResult lone = ReadAll("json", R"(["\uDd1e", {"k\uDFAA":"\uD834\uDD1E"}])");
  ASSERT_EQ(lone.rows.size(), 2u);
  EXPECT_EQ(lone.rows[1].json, "{\"k\xEF\xBF\xBD\":\"\xF0\x9D\x84\x9E\"}");
  for (const auto& [name, ok] : implementation_defined) std::printf("  %-50s %s\n", name.c_str(), ok ? "accepted" : "rejected");
}

TEST(JsonRealData, JsonFilesGiveTheirRecords) {
  SKIP_WITHOUT_SHARED();
  int checked = 0;
  for (const auto& cols : ManifestRows()) {
    if (cols[0].size() < 5 || cols[0].substr(cols[0].size() - 5) != ".json") continue;
    ReadResult r = ReadAll("json", Slurp(Shared() / "realdata" / cols[0]), {}, 1 << 12);
    ASSERT_EQ(r.open_rc, FTPREP_OK) << cols[0] << ": " << r.open_error;
    EXPECT_EQ(r.end_rc, FTPREP_END) << cols[0] << ": " << r.open_error;
    for (const auto& row : r.rows) EXPECT_TRUE(row.error.empty()) << cols[0] << ": " << row.error;
    EXPECT_EQ(r.rows.size(), std::stoul(cols[6])) << cols[0];
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(Json, ArrayObjectAndJsonLines) {
  ReadResult arr = ReadAll("json", "[\n  {\"a\": 1},\n  {\"b\": [true, null]}\n]\n");
  ASSERT_EQ(arr.rows.size(), 2u);
  EXPECT_EQ(arr.rows[0].json, R"({"a":1})");
  EXPECT_EQ(arr.rows[0].line, 2u);
  EXPECT_EQ(arr.rows[1].json, R"({"b":[true,null]})");
  EXPECT_EQ(arr.rows[1].line, 3u);
  ReadResult one = ReadAll("json", "{\n \"x\": \"y\"\n}\n");
  ASSERT_EQ(one.rows.size(), 1u);
  EXPECT_EQ(one.rows[0].json, R"({"x":"y"})");
  ReadResult lines = ReadAll("json", "{\"a\":1}\n{\"a\":2}\nnot json\n{\"a\":3}\n");
  ASSERT_EQ(lines.rows.size(), 4u);
  EXPECT_EQ(lines.rows[1].json, R"({"a":2})");
  EXPECT_EQ(lines.rows[2].rule, "json.syntax");
  EXPECT_EQ(lines.rows[2].line, 3u);
  EXPECT_EQ(lines.rows[3].json, R"({"a":3})");
  EXPECT_EQ(lines.rows[3].line, 4u);
}

TEST(Json, CanonicalStringsAndNumbersKeptAsText) {
  ReadResult r = ReadAll("json", R"([{"s":"\u00e9\/\t\u0001","n":1.0e5,"i":007.5e1,"big":123456789012345678901234567890}])");
  // 007.5 is not JSON: the array is rejected at that element.
  EXPECT_NE(r.end_rc, FTPREP_END);
  ReadResult ok = ReadAll("json", R"([{"s":"\u00e9\/\t\u0001","n":1.0e5,"big":123456789012345678901234567890}])");
  ASSERT_EQ(ok.rows.size(), 1u);
  EXPECT_EQ(ok.rows[0].json, "{\"s\":\"\xC3\xA9/\\t\\u0001\",\"n\":1.0e5,\"big\":123456789012345678901234567890}");
}

TEST(Json, NonObjectsArePerRecordProblems) {
  ReadResult r = ReadAll("json", R"([{"a":1}, 2, "x", {"b":2}])");
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[1].rule, "json.not_object");
  EXPECT_EQ(r.rows[2].rule, "json.not_object");
  EXPECT_EQ(r.rows[3].json, R"({"b":2})");
}

TEST(Json, StructuralErrorsStopWithLineAndColumn) {
  ReadResult r = ReadAll("json", "[{\"a\":1},\n {\"a\":tru}]");
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.end_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("2:"), std::string::npos) << r.open_error;
  EXPECT_EQ(ReadAll("json", "").open_rc, FTPREP_ERR_DATA);
  EXPECT_EQ(ReadAll("json", "[1,]").end_rc, FTPREP_ERR_DATA);
  EXPECT_EQ(ReadAll("json", "{} {}").end_rc, FTPREP_ERR_DATA);
  ReadResult deep = ReadAll("json", std::string(5000, '[') + std::string(5000, ']'));
  EXPECT_NE(deep.end_rc, FTPREP_END);
}

TEST(JsonWriter, Array) {
  EXPECT_EQ(WriteAll("json", {R"({"a":1})", R"({"b":2})"}), "[\n{\"a\":1},\n{\"b\":2}\n]\n");
  EXPECT_EQ(WriteAll("json", {}), "[]\n");
  // And it reads back.
  ReadResult r = ReadAll("json", WriteAll("json", {R"({"a":"x\ny"})"}));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0].json, R"({"a":"x\ny"})");
}

}  // namespace
}  // namespace ftprep
