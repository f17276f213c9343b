// Tests of core/json_fast.h, the JSON Lines reader's one-pass parse: every line read with it and without it
// (the reader's fast_parse=0 sends every line down the full path) must give the same record: the same
// document exactly (types, number representations, double bits, string bytes, member order), or the same
// message, rule id and column. Lines: every file of JSONTestSuite (as it is and as a member's value), every
// JSON Lines file of ../shared/realdata, hostile lines and random numbers.
#include "json_fast.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "core_test_util.h"
#include "format_test_util.h"
#include "ftprep/reader.h"
#include "ftprep/record.h"

namespace ftprep {
namespace {

namespace fs = std::filesystem;

struct Read {
  std::vector<std::string> lines;  // one per record: where, and the message or the JSON
  std::vector<std::unique_ptr<rapidjson::Document>> docs;
};

Read ReadJsonl(const std::string& path, bool fast, int max_depth = 1000) {
  ReadOptions opts;
  opts.format = "jsonl";
  opts.max_depth = max_depth;
  opts.format_options = {{"fast_parse", fast ? "1" : "0"}};
  Read out;
  auto r = OpenReader({path}, opts);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return out;
  Record rec;
  while ((*r)->Next(&rec)) {
    std::string d = std::to_string(rec.loc.line) + ":" + std::to_string(rec.loc.column) + " ";
    if (rec.bad()) {
      d += "bad " + rec.rule_id() + " " + rec.error() + " | " + std::string(rec.raw());
    } else {
      d += std::string(rec.parse_ok() ? "ok " : "unparsed ") + std::string(rec.json()) + " | " +
           std::string(rec.raw());
    }
    out.lines.push_back(d);
    auto doc = std::make_unique<rapidjson::Document>();
    ftprep::CopyJson(rec.doc(), doc.get(), doc->GetAllocator());
    out.docs.push_back(std::move(doc));
  }
  EXPECT_TRUE((*r)->status().ok());
  return out;
}

// Reads `path` both ways; returns how many records were compared.
size_t ExpectSameBothWays(const std::string& path, int max_depth = 1000) {
  Read full = ReadJsonl(path, false, max_depth);
  Read fast = ReadJsonl(path, true, max_depth);
  EXPECT_EQ(full.lines.size(), fast.lines.size()) << path;
  size_t n = std::min(full.lines.size(), fast.lines.size());
  for (size_t i = 0; i < n; ++i) {
    EXPECT_EQ(full.lines[i], fast.lines[i]) << path;
    EXPECT_TRUE(SameJson(*full.docs[i], *fast.docs[i])) << path << " " << full.lines[i].substr(0, 300);
  }
  return n;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

TEST(SameJson, TellsNumberRepresentationsApart) {
  rapidjson::Document a, b;
  a.Parse("{\"a\":[1,2.0,-0.0,\"x\",{\"b\":null}]}");
  b.Parse("{\"a\":[1,2.0,-0.0,\"x\",{\"b\":null}]}");
  EXPECT_TRUE(SameJson(a, b));
  for (const char* other : {"{\"a\":[1.0,2.0,-0.0,\"x\",{\"b\":null}]}", "{\"a\":[1,2.0,0.0,\"x\",{\"b\":null}]}",
                            "{\"a\":[1,2.0,-0.0,\"x\",{\"c\":null}]}", "{\"a\":[1,2.0,-0.0,\"x\\u0000\",{\"b\":null}]}",
                            "{\"a\":[1,2.0,-0.0,\"x\",{\"b\":null},1]}"}) {
    b.Parse(other);
    EXPECT_FALSE(SameJson(a, b)) << other;
  }
}

// The one-pass parse takes the common record (else the comparisons below test nothing) and declines what it
// leaves to the full path.
TEST(FastJson, TakesPlainRecordsAndDeclinesTheRest) {
  FastJson f;
  rapidjson::Document d;
  auto parse = [&](const std::string& s, int depth = 1000) {
    d.SetNull();
    return f.Parse(d, s.c_str(), s.size(), depth);
  };
  const std::string chat = R"({"messages": [{"role": "user", "content": "Hi \"you\"\n\u00e9\ud83d\ude00 ok"}, )"
                           R"({"role": "assistant", "content": "caf\u00e9 \u2014 done", "weight": 1}], "n": -1.5e3})";
  ASSERT_TRUE(parse(chat));
  EXPECT_EQ(std::string(d["messages"][0]["content"].GetString()), "Hi \"you\"\n\xC3\xA9\xF0\x9F\x98\x80 ok");
  EXPECT_EQ(d["n"].GetDouble(), -1500.0);
  EXPECT_TRUE(parse("  {}  "));
  EXPECT_TRUE(parse("{\"a\":[[],{},[{}]],\"b\":[true,false,null,0,-0,12345678901234567]}"));
  EXPECT_TRUE(parse("{\"a\":[[1]]}", 3));
  for (const std::string& bad : std::vector<std::string>{"[1]", "\"s\"", "{\"a\":1,\"a\":2}", "{\"a\\u0062\":1}", "{\"a\":\"\\ud83d\"}", "{\"a\":\"\\udc00\"}",
        "{\"a\":1234567890123456789}", "{\"a\":1e301}", "{\"a\":1e0001}", "{\"a\":01}", "{\"a\":1.}",
        "{\"a\":\"\x01\"}", "{\"a\":\"\xC0\xAF\"}", "{\"a\":\"\xED\xA0\x80\"}", "{\"a\":1}x", "{\"a\":1,}",
        std::string("{\"a\":\"\0\"}", 8), "{\"a\":[1]} \x80", "{\"a\":tru}", "{\"a\":\"\\x\"}"}) {
    EXPECT_FALSE(parse(bad)) << bad;
  }
  EXPECT_FALSE(parse("{\"a\":[[1]]}", 2));
  std::string many = "{";
  for (int i = 0; i < 65; ++i) many += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":" + std::to_string(i);
  EXPECT_FALSE(parse(many + "}"));
}

TEST(FastJson, JsonTestSuiteGivesWhatTheFullPathGives) {
  SKIP_WITHOUT_SHARED();
  fs::path dir = testutil::Shared() / "suites" / "JSONTestSuite" / "test_parsing";
  ASSERT_TRUE(fs::exists(dir)) << dir;
  std::vector<std::string> lines;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string text = testutil::Slurp(e.path());
    lines.push_back(text);  // may hold newlines: then several lines
    lines.push_back("{\"v\":" + text + "}");
    lines.push_back("{\"v\":[" + text + "," + text + "], \"w\": " + text + " }");
  }
  ASSERT_GT(lines.size(), 900u);
  testing::TempDir t;
  EXPECT_GT(ExpectSameBothWays(t.Write("suite.jsonl", Join(lines))), 1000u);
}

TEST(FastJson, RealFilesGiveWhatTheFullPathGives) {
  SKIP_WITHOUT_SHARED();
  size_t files = 0, records = 0;
  for (const auto& e : fs::recursive_directory_iterator(testutil::Shared() / "realdata")) {
    if (e.path().extension() != ".jsonl") continue;
    ++files;
    records += ExpectSameBothWays(e.path().string());
  }
  std::printf("compared %zu records of %zu files\n", records, files);
  EXPECT_GE(files, 10u);
  EXPECT_GT(records, 1000u);
}

std::vector<std::string> HostileLines() {
  std::vector<std::string> lines = {
      "\xEF\xBB\xBF{\"a\":1}", "\xEF\xBB\xBF{\"a\":\"\\ud800\"}", "{\"a\":1,\"a\":2}", "{\"x\":{\"b\":1,\"c\":2,\"b\":3}}",
      "{\"a\":{\"b\":1},\"b\":{\"a\":1}}", "{\"\":1,\"\":2}", "{\"a\\u0000\":1,\"a\":2}", "{\"a\\n\":1,\"a\\n\":2}",
      "{\"a\": 0e5, \"b\": -0.0e-24}", "{\"a\": \"\\ud83d x\"}", "{\"a\": \"x\\udc00\"}", "{\"a\": \"\\ud83d\\ud83d\"}",
      "{\"a\": \"\\uD83D\\uDE00\\uDBFF\\uDFFF\\u0000\\u001f\\u007F\\u0080\\u07ff\\u0800\\uFFFF\"}",
      "{\"a\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"a\": \"\\u12\"}", "{\"a\": \"\\u12G4\"}", "{\"a\": \"\\",
      "{\"a\": \"x", "{\"a\": \"x\"", "{\"a\"", "{\"a\":", "{", "{\"a\":1", "{\"a\":[1,2", "{\"a\":[1,2,]}",
      "{\"a\":1e400}", "{\"a\":1e-400}", "{\"a\":\"\x01\"}", "{\"a\":\"\x7f\"}", "[1,2]", "\"s\"", "null", "12",
      "{\"a\":1} x", "{\"a\":1}   ", "   {\"a\":1}", "\t{\"a\" : 1 , \"b\" :[ 1 , 2 ] }\t", "{\"a\":1}\r",
      "{\"a\":1}\r\r", "{\"a\":\r1}", "{\"a\":\"\xff\"}", std::string("{\"a\":\"x\0\"}", 10),
      std::string("{\"a\":1}\0", 8), "{\"a\":\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\"}",
      "{\"a\":\"\xC1\xBF\"}", "{\"a\":\"\xE0\x9F\xBF\"}", "{\"a\":\"\xED\xA0\x80\"}", "{\"a\":\"\xF0\x8F\xBF\xBF\"}",
      "{\"a\":\"\xF4\x90\x80\x80\"}", "{\"a\":\"\xF5\x80\x80\x80\"}", "{\"a\":\"\xE2\x82\"}", "{\"a\":\"\xE2\x82",
      "{\"\xC3\xA9\":\"\xC3\xA9\",\"\xC3\xA9\":1}", "{\xC3\xA9:1}", "{\"a\":tru}", "{\"a\":true}", "{\"a\":nul}",
      "{\"a\":falsey}", "{\"a\":[true,false,null]}", "{\"a\":{}}", "{\"a\":[]}", "{}", "{ }", "{\"a\":[{}, [], [[]]]}",
      "{\"a\":'x'}", "{a:1}", "{\"a\":1,,\"b\":2}", "{\"a\":1 \"b\":2}", "{\"a\"::1}", "{\"a\":1}}", "{\"a\":]}"};
  for (const char* n : {"0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295",
                        "4294967296", "9007199254740993", "999999999999999999", "-999999999999999999",
                        "1000000000000000000", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
                        "-9223372036854775809", "18446744073709551615", "18446744073709551616",
                        "123456789012345678901234567890", "0.0", "-0.0", "0e5", "0E-5", "-0.0e-24", "0.000e400",
                        "1.5", "-1.5", "0.1", "0.30000000000000004", "2.2250738585072011e-308", "4.9e-324", "5e-324",
                        "2e-324", "1.7976931348623157e308", "1.7976931348623159e308", "1e308", "1e309", "1e300",
                        "1e-300", "123.456e-7", "1E+2", "1e+2", "1e-2", "1.0e0", "01", "-01", "1.", ".5", "-.5", "+1",
                        "1e", "1e+", "--1", "-", "1.5e", "0x10", "1_000", "Infinity", "NaN", "-Infinity",
                        "9007199254740993.0000000001", "0.1000000000000000055511151231257827021181583404541015625",
                        "1.00000000000000011102230246251565404236316680908203125", "8.98846567431158e307",
                        "100e307", "0.01e309", "123e-320", "1e-320"}) {
    lines.push_back(std::string("{\"n\":") + n + "}");
    lines.push_back(std::string("{\"n\":[") + n + "," + n + "]}");
  }
  // Specials at every offset around the 16-byte blocks the string scan reads.
  for (int i = 0; i < 40; ++i) {
    std::string pad(static_cast<size_t>(i), 'x');
    for (const char* s : {"\\n", "\\\"", "\xC3\xA9", "\\u00e9", "\\ud83d\\ude00", "\x01", "\xFF", "\\", "\\ud83d"}) {
      lines.push_back("{\"a\":\"" + pad + s + pad + "\"}");
      lines.push_back("{\"a\":\"" + pad + s + "\"}");
      lines.push_back("{\"a\":\"" + pad + s);
    }
  }
  std::string big;
  for (int i = 0; i < 70; ++i) big += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\":" + std::to_string(i);
  lines.push_back("{" + big + "}");
  lines.push_back("{" + big + ",\"k7\":1}");
  lines.push_back("{\"a\":" + std::string(999, '[') + std::string(999, ']') + "}");
  lines.push_back("{\"a\":" + std::string(1000, '[') + std::string(1000, ']') + "}");
  lines.push_back("{\"a\":" + std::string(5, '[') + std::string(5, ']') + "}");
  lines.push_back("{\"a\":{\"a\":{\"a\":{\"a\":{}}}}}");
  lines.push_back("{\"a\":{\"a\":{\"a\":{\"a\":{\"a\":1}}}}}");
  return lines;
}

TEST(FastJson, HostileLinesGiveWhatTheFullPathGives) {
  const std::vector<std::string> lines = HostileLines();
  testing::TempDir t;
  std::string path = t.Write("hostile.jsonl", Join(lines));
  EXPECT_EQ(ExpectSameBothWays(path), lines.size());
  EXPECT_EQ(ExpectSameBothWays(path, 5), lines.size());
}

// Random numbers of every shape: RapidJSON's full-precision conversion and the one-pass parse's must agree
// on each value and type (or the one-pass parse must decline).
TEST(FastJson, RandomNumbersGiveWhatTheFullPathGives) {
  std::mt19937_64 rng(20261207);
  auto digits = [&](int n, bool lead_nonzero) {
    std::string s;
    for (int i = 0; i < n; ++i) s += static_cast<char>('0' + (i == 0 && lead_nonzero ? 1 + rng() % 9 : rng() % 10));
    return s;
  };
  std::vector<std::string> lines;
  for (int i = 0; i < 20000; ++i) {
    std::string n = rng() % 4 == 0 ? "-" : "";
    int ni = 1 + static_cast<int>(rng() % 22);
    n += rng() % 5 == 0 ? "0" : digits(ni, true);
    if (rng() % 2) n += "." + digits(1 + static_cast<int>(rng() % 20), false);
    if (rng() % 3 == 0) {
      n += rng() % 2 ? "e" : "E";
      int r = static_cast<int>(rng() % 3);
      if (r == 1) n += "-";
      if (r == 2) n += "+";
      n += std::to_string(rng() % 330);
    }
    lines.push_back("{\"n\":" + n + "}");
  }
  testing::TempDir t;
  EXPECT_EQ(ExpectSameBothWays(t.Write("numbers.jsonl", Join(lines))), lines.size());
}

// Real records with a few random bytes changed, inserted or deleted: the edits land in strings, escapes,
// numbers and structure, so the lines hit every way the one-pass parse declines, near the plain records.
TEST(FastJson, MutatedRealLinesGiveWhatTheFullPathGives) {
  SKIP_WITHOUT_SHARED();
  std::vector<std::string> src;
  for (const auto& e : fs::recursive_directory_iterator(testutil::Shared() / "realdata")) {
    if (e.path().extension() != ".jsonl") continue;
    std::string text = testutil::Slurp(e.path());
    for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
      if (nl - at < 4000) src.push_back(text.substr(at, nl - at));
    }
  }
  ASSERT_GT(src.size(), 1000u);
  static const char kBytes[] = "\"\\{}[],:0123456789eE.-+ utrfnl\xff\xc3\xa9\xed\xa0\x01/bx";
  std::mt19937_64 rng(7);
  std::vector<std::string> lines;
  for (int i = 0; i < 20000; ++i) {
    std::string s = src[rng() % src.size()];
    for (int k = static_cast<int>(rng() % 4); k > 0 && !s.empty(); --k) {
      size_t at = rng() % s.size();
      char c = kBytes[rng() % (sizeof(kBytes) - 1)];
      switch (rng() % 3) {
        case 0: s[at] = c; break;
        case 1: s.insert(at, 1, c); break;
        default: s.erase(at, 1);
      }
    }
    lines.push_back(s);
  }
  testing::TempDir t;
  EXPECT_GT(ExpectSameBothWays(t.Write("mutated.jsonl", Join(lines))), 19000u);  // blank lines are skipped
}

// Record::doc() (records of the other formats, parsed when a tool asks) takes the one-pass parse first: the
// document and whether it is a record must be what ParseRecordJson alone gives.
TEST(FastJson, RecordDocGivesWhatParseRecordJsonGives) {
  std::vector<std::string> lines = HostileLines();
  if (fs::exists(testutil::Shared() / "suites")) {
    for (const auto& e : fs::directory_iterator(testutil::Shared() / "suites" / "JSONTestSuite" / "test_parsing")) {
      std::string text = testutil::Slurp(e.path());
      lines.push_back(text);
      lines.push_back("{\"v\":" + text + "}");
    }
    std::string chat = testutil::Slurp(testutil::Shared() / "realdata" / "chat" /
                                       "eunseo-com__openai-cookbook__toy_chat_fine_tuning.jsonl");
    for (size_t at = 0, nl; (nl = chat.find('\n', at)) != std::string::npos; at = nl + 1) {
      lines.push_back(chat.substr(at, nl - at));
    }
  } else {
    std::printf("notice: %s is absent; only hostile lines\n", testutil::Shared().string().c_str());
  }
  size_t fast = 0;
  Record rec;
  for (const std::string& line : lines) {
    rapidjson::Document want;
    ParseRecordJson(want, line.data(), line.size());
    const bool want_ok = !want.HasParseError() && want.IsObject();
    rec.Assign(line);
    ASSERT_EQ(rec.parse_ok(), want_ok) << line;
    if (want_ok) {
      EXPECT_TRUE(SameJson(rec.doc(), want)) << line;
    }
    rapidjson::Document d;
    fast += ParseRecordFast(d, line.c_str(), line.size());
  }
  EXPECT_GT(fast, lines.size() / 4);  // the one-pass parse took a good share (else this tests nothing)
}


// Counts the strings of v (names included) that pass `ok`.
template <typename Ok>
size_t CountStrings(const rapidjson::Value& v, Ok ok) {
  if (v.IsString()) return ok(v) ? 1 : 0;
  size_t n = 0;
  if (v.IsObject()) {
    for (const auto& m : v.GetObject()) n += CountStrings(m.name, ok) + CountStrings(m.value, ok);
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray()) n += CountStrings(e, ok);
  }
  return n;
}

// The one-pass parse writes a document's strings into one block of the document's memory, each at its offset
// in the text and ended by a NUL (code reads GetString() as a C string), and refers to them as const strings.
// Each allocation here is a chunk of its own (chunk capacity 1), so under ASan a write past the block fails;
// overwriting the text afterwards shows that no string points into it.
TEST(FastJson, StringsLiveInTheDocumentsMemoryNulTerminated) {
  std::vector<std::string> lines = HostileLines();
  if (fs::exists(testutil::Shared() / "realdata")) {
    for (const auto& e : fs::recursive_directory_iterator(testutil::Shared() / "realdata")) {
      if (e.path().extension() != ".jsonl") continue;
      std::string text = testutil::Slurp(e.path());
      for (size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
        lines.push_back(text.substr(at, nl - at));
      }
    }
  } else {
    std::printf("notice: %s is absent; only hostile lines\n", testutil::Shared().string().c_str());
  }
  lines.push_back(R"({"a":"\u00e9\ud83d\ude00\n\"x\"","b":["","\\",{"c":"\/"}],"d":"0123456789abcdef0123"})");
  size_t parsed = 0, strings = 0;
  for (const std::string& line : lines) {
    std::string text = line;
    rapidjson::MemoryPoolAllocator<> pool(1);
    rapidjson::Document d(&pool);
    if (!ParseRecordFast(d, text.c_str(), text.size())) continue;
    ++parsed;
    rapidjson::Document want;
    ParseRecordJson(want, line.data(), line.size());
    std::fill(text.begin(), text.end(), 'x');
    EXPECT_TRUE(SameJson(d, want)) << line;
    strings += CountStrings(d, [](const rapidjson::Value&) { return true; });
    EXPECT_EQ(CountStrings(d, [](const rapidjson::Value& v) { return v.GetString()[v.GetStringLength()] != '\0'; }),
              0u)
        << line;
  }
  EXPECT_GT(parsed, lines.size() / 4);
  EXPECT_GT(strings, parsed);
}

// A record's strings may be const strings in its memory, which CopyFrom would share: CopyJson copies them, so
// what it copied survives the record's next Assign and parse.
TEST(FastJson, CopyJsonKeepsValuesBeyondTheRecord) {
  Record rec;
  rec.Assign(R"({"role":"user","content":"a string long enough to need the heap","n":[1,-2,3.5]})");
  ASSERT_TRUE(rec.parse_ok());
  rapidjson::Document kept;
  CopyJson(rec.doc(), &kept, kept.GetAllocator());
  rec.Assign(R"({"other":"bytes that reuse the same memory for a second record","x":"y"})");
  ASSERT_TRUE(rec.parse_ok());
  rapidjson::Document want;
  want.Parse(R"({"role":"user","content":"a string long enough to need the heap","n":[1,-2,3.5]})");
  EXPECT_TRUE(SameJson(kept, want));
}

}  // namespace
}  // namespace ftprep
