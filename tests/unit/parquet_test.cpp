// Parquet reader: the compact-protocol decoder, the encodings, value printing, the Apache suite against
// hyparquet's goldens (tests/parquet/expected), refusals, options and hostile bytes.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../../formats/parquet/encodings.h"
#include "../../formats/parquet/metadata.h"
#include "../../formats/parquet/schema.h"
#include "../../formats/parquet/thrift_compact.h"
#include "../../formats/parquet/values.h"
#include "format_test_util.h"
#include "ftprep/reader.h"

namespace ftprep::parquet {
namespace {

namespace fs = std::filesystem;
using testutil::ReadAll;
using testutil::Shared;
using testutil::Slurp;

const uint8_t* U(const std::string& s) { return reinterpret_cast<const uint8_t*>(s.data()); }

TEST(ParquetThrift, ReadsFieldsAndSkipsUnknownOnes) {
  // struct { 1: i32 = -3; 2: binary "ab"; 15: list<i64>[1, 2] (skipped); 16: struct {} (long id); STOP }
  static const char kBytes[] = "\x15\x05\x18\x02" "ab" "\xd9\x26\x02\x04" "\x0c\x20\x00" "\x00";
  std::string b(kBytes, sizeof kBytes - 1);
  ThriftReader r(U(b), b.size());
  r.BeginStruct();
  int16_t id;
  uint8_t t;
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(id, 1);
  EXPECT_EQ(r.ReadInt(t), -3);
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(id, 2);
  EXPECT_EQ(r.ReadBinary(), "ab");
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(id, 15);
  r.Skip(t);
  ASSERT_TRUE(r.NextField(&id, &t));
  EXPECT_EQ(id, 16);
  r.Skip(t);
  EXPECT_FALSE(r.NextField(&id, &t));
  EXPECT_TRUE(r.ok()) << r.error();
}

TEST(ParquetThrift, RefusesLiesAndDepth) {
  std::string list = "\x19\xf6\xff\xff\xff\x0f";  // list<i32> claiming 2^32-1 elements
  ThriftReader r(U(list), list.size());
  r.BeginStruct();
  int16_t id;
  uint8_t t;
  ASSERT_TRUE(r.NextField(&id, &t));
  r.Skip(t);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error().find("more than the bytes left"), std::string::npos);
  std::string deep(5000, '\x1c');  // struct in struct in struct ...
  ThriftReader d(U(deep), deep.size());
  d.Skip(kStruct);
  EXPECT_FALSE(d.ok());
  std::string trunc = "\x18\x10" "ab";  // a 16-byte string with 2 bytes (split: "\x10ab" is one escape)
  ThriftReader tr(U(trunc), trunc.size());
  tr.BeginStruct();
  ASSERT_TRUE(tr.NextField(&id, &t));
  tr.ReadBinary();
  EXPECT_FALSE(tr.ok());
}

TEST(ParquetEncodings, RleHybrid) {
  // RLE run of 3 x 5 (width 3), then a bit-packed group of 8 values 0..7 (width 3).
  std::string b = std::string("\x06\x05", 2) + "\x03" "\x88\xc6\xfa";
  RleDecoder d(U(b), b.size(), 3);
  uint32_t out[11];
  ASSERT_TRUE(d.Get(out, 11));
  std::vector<uint32_t> got(out, out + 11);
  EXPECT_EQ(got, (std::vector<uint32_t>{5, 5, 5, 0, 1, 2, 3, 4, 5, 6, 7}));
  uint32_t more;
  EXPECT_FALSE(d.Get(&more, 1));  // ran out
  std::string zero = "\x03";      // width 0: a bit-packed group of 8 zeros with no bytes
  RleDecoder z(U(zero), zero.size(), 0);
  uint32_t zs[8];
  ASSERT_TRUE(z.Get(zs, 8));
  EXPECT_EQ(zs[7], 0u);
  std::string bad = "\x06\x09";  // RLE value 9 does not fit 3 bits
  RleDecoder e(U(bad), bad.size(), 3);
  EXPECT_FALSE(e.Get(out, 1));
}

TEST(ParquetEncodings, DeltaBinaryPacked) {
  // block 128, 4 miniblocks, 5 values, first 1, min delta 1, widths 0: 1 2 3 4 5.
  std::string b("\x80\x01\x04\x05\x02\x02\x00\x00\x00\x00", 10);
  std::vector<int64_t> v;
  size_t used = 0;
  std::string err;
  ASSERT_TRUE(DecodeDeltaBinaryPacked(U(b), b.size(), 100, false, &v, &used, &err)) << err;
  EXPECT_EQ(v, (std::vector<int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(used, b.size());
  std::string bad("\x80\x01\x04\x05\x02\x02\x41\x00\x00\x00", 10);  // width 65
  EXPECT_FALSE(DecodeDeltaBinaryPacked(U(bad), bad.size(), 100, false, &v, &used, &err));
  EXPECT_FALSE(DecodeDeltaBinaryPacked(U(b), 3, 100, false, &v, &used, &err));  // truncated header
}

std::string Printed(void (*f)(std::string*)) {
  std::string s;
  f(&s);
  return s;
}

TEST(ParquetValues, Numbers) {
  EXPECT_EQ(Printed([](std::string* s) { AppendFloat(1.1f, s); }), "1.1");
  EXPECT_EQ(Printed([](std::string* s) { AppendFloat(1.8905403e12f, s); }), "1.8905403e+12");
  EXPECT_EQ(Printed([](std::string* s) { AppendDouble(-INFINITY, s); }), "\"-Infinity\"");
  EXPECT_EQ(Printed([](std::string* s) { AppendDouble(NAN, s); }), "\"NaN\"");
  EXPECT_EQ(Printed([](std::string* s) { AppendHalf(0x4927, s); }), "10.305");  // 10.3046875
  EXPECT_EQ(Printed([](std::string* s) { AppendHalf(0x3c00, s); }), "1");
  EXPECT_EQ(Printed([](std::string* s) { AppendHalf(0x7bff, s); }), "6.55e+04");  // 65500 reads back as 65504
  EXPECT_EQ(Printed([](std::string* s) { AppendHalf(0x0001, s); }), "6e-08");
  EXPECT_EQ(Printed([](std::string* s) { AppendHalf(0x7e00, s); }), "\"NaN\"");
}

TEST(ParquetValues, DecimalsDatesTimes) {
  EXPECT_EQ(Printed([](std::string* s) { AppendDecimalInt(100, 2, s); }), "\"1.00\"");
  EXPECT_EQ(Printed([](std::string* s) { AppendDecimalInt(-5, 2, s); }), "\"-0.05\"");
  EXPECT_EQ(Printed([](std::string* s) { AppendDecimalInt(INT64_MIN, 0, s); }), "\"-9223372036854775808\"");
  EXPECT_EQ(Printed([](std::string* s) { AppendDecimalBytes("\xff\x9c", 2, 1, s); }), "\"-10.0\"");
  // 2^128 - 1 as a 17-byte positive big-endian number: past any native integer.
  std::string big = std::string(1, '\0') + std::string(16, '\xff');
  std::string out;
  AppendDecimalBytes(big.data(), big.size(), 3, &out);
  EXPECT_EQ(out, "\"340282366920938463463374607431768211.455\"");
  EXPECT_EQ(Printed([](std::string* s) { AppendDate(0, s); }), "1970-01-01");
  EXPECT_EQ(Printed([](std::string* s) { AppendDate(-719529, s); }), "-000001-12-31");
  EXPECT_EQ(Printed([](std::string* s) { AppendDate(2932897, s); }), "+010000-01-01");
  EXPECT_EQ(Printed([](std::string* s) { AppendTimeOfDay(86399999, 1000, 3, s); }), "23:59:59.999");
  // INT96 of 2024-01-01T20:34:56.123456 (Julian day 2460311).
  char i96[12];
  int64_t nanos = (20 * 3600 + 34 * 60 + 56) * int64_t{1000000000} + 123456000;
  int32_t jd = 2460311;
  std::memcpy(i96, &nanos, 8);
  std::memcpy(i96 + 8, &jd, 4);
  out.clear();
  AppendInt96(i96, &out);
  EXPECT_EQ(out, "\"2024-01-01T20:34:56.123456000\"");
}

TEST(ParquetValues, TextHelpers) {
  std::string out;
  AppendBase64("\x00\x01\x02\xff", 4, &out);
  EXPECT_EQ(out, "AAEC/w==");
  EXPECT_TRUE(IsUtf8("caf\xc3\xa9", 5));
  EXPECT_FALSE(IsUtf8("\xc0\xaf", 2));          // overlong
  EXPECT_FALSE(IsUtf8("\xed\xa0\x80", 3));      // surrogate
  EXPECT_FALSE(IsUtf8("abcdefgh\xff", 9));      // after the ASCII fast path
  out.clear();
  AppendJsonEscaped("a\"\\\n\x01", 5, &out);
  EXPECT_EQ(out, "a\\\"\\\\\\n\\u0001");
}

fs::path Suite() { return Shared() / "suites" / "parquet-testing"; }

// Reads a file through the host reader (file path, extension, sniffing: the way the tools read).
struct HostRead {
  std::vector<std::string> rows;  // JSON of good rows
  std::vector<uint64_t> lines;
  std::string error;
  bool ok = true;
};

HostRead ReadFile(const fs::path& p, std::vector<std::pair<std::string, std::string>> opts = {}) {
  ReadOptions o;
  o.format_options = std::move(opts);
  HostRead h;
  auto r = OpenReader({p.string()}, o);
  if (!r.ok()) {
    h.ok = false;
    h.error = r.status().message();
    return h;
  }
  Record rec;
  while ((*r)->Next(&rec)) {
    EXPECT_FALSE(rec.bad()) << rec.error();
    h.rows.emplace_back(rec.raw());
    h.lines.push_back(rec.loc.line);
  }
  if (!(*r)->status().ok()) {
    h.ok = false;
    h.error = (*r)->status().message();
  }
  return h;
}

TEST(ParquetSuite, EveryReadableFileEqualsHyparquet) {
  SKIP_WITHOUT_SHARED();
  fs::path expected = fs::path(FTPREP_SOURCE_DIR) / "tests" / "parquet" / "expected";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(expected)) {
    std::string name = entry.path().filename().string();
    name.resize(name.size() - 6);  // .jsonl
    fs::path src = Suite() / "data" / name;
    if (!fs::exists(src)) src = Suite() / "bad_data" / name;
    ASSERT_TRUE(fs::exists(src)) << name;
    HostRead got = ReadFile(src);
    ASSERT_TRUE(got.ok) << name << ": " << got.error;
    std::ifstream in(entry.path());
    std::string line;
    std::getline(in, line);
    rapidjson::Document head;
    head.Parse<rapidjson::kParseFullPrecisionFlag>(line.c_str());
    ASSERT_EQ(got.rows.size(), head["rows"].GetUint64()) << name;
    while (std::getline(in, line)) {
      rapidjson::Document want, have;
      want.Parse<rapidjson::kParseFullPrecisionFlag>(line.c_str());
      uint64_t row = want["row"].GetUint64();
      ASSERT_EQ(got.lines[row - 1], row);
      have.Parse<rapidjson::kParseFullPrecisionFlag>(got.rows[row - 1].c_str());
      ASSERT_FALSE(have.HasParseError()) << name;
      EXPECT_TRUE(have == want["value"]) << name << " row " << row << "\n  ftprep:    " << got.rows[row - 1]
                                         << "\n  hyparquet: " << line;
    }
    ++files;
  }
  EXPECT_EQ(files, 62);
}

TEST(ParquetSuite, RefusedFilesNameTheReason) {
  SKIP_WITHOUT_SHARED();
  std::ifstream in(fs::path(FTPREP_SOURCE_DIR) / "tests" / "parquet" / "refused.tsv");
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::stringstream ss(line);
    std::string file, code, reason;
    std::getline(ss, file, '\t');
    std::getline(ss, code, '\t');
    std::getline(ss, reason, '\t');
    HostRead got = ReadFile(Suite() / file, {{"max_page_bytes", "268435456"}});
    EXPECT_FALSE(got.ok) << file;
    EXPECT_NE(got.error.find(reason), std::string::npos) << file << ": " << got.error;
    EXPECT_NE(got.error.find(fs::path(file).filename().string()), std::string::npos) << got.error;
    ++n;
  }
  EXPECT_EQ(n, 14);
}

fs::path Fixture(const char* c) { return fs::path(FTPREP_SOURCE_DIR) / "tests" / "cli" / c / "data.parquet"; }

TEST(ParquetOptions, ColumnsAndRows) {
  HostRead h = ReadFile(Fixture("convert/parquet_columns_rows"), {{"columns", "answer"}, {"rows", "5-"}});
  ASSERT_TRUE(h.ok) << h.error;
  ASSERT_EQ(h.rows.size(), 2u);
  EXPECT_EQ(h.rows[0], R"({"answer":"Jupiter"})");
  EXPECT_EQ(h.lines[1], 6u);
  h = ReadFile(Fixture("convert/parquet_columns_rows"), {{"rows", "7-9"}});
  EXPECT_TRUE(h.ok);
  EXPECT_TRUE(h.rows.empty());
  h = ReadFile(Fixture("convert/parquet_columns_rows"), {{"rows", "x"}});
  EXPECT_FALSE(h.ok);
  EXPECT_NE(h.error.find("option rows"), std::string::npos);
}

TEST(ParquetOptions, StdinIsSpooled) {
  std::string bytes = Slurp(Fixture("convert/parquet_chat"));
  auto res = ReadAll("parquet", bytes, {}, 1000);
  ASSERT_EQ(res.open_rc, FTPREP_OK) << res.open_error;
  ASSERT_EQ(res.rows.size(), 6u);
  EXPECT_EQ(res.rows[0].json, R"({"id":1,"question":"What is 2+2?","answer":"4"})");
  EXPECT_EQ(res.end_rc, FTPREP_END);
}

// Every single-byte corruption and every truncation of a fixture either reads or fails with a message:
// never a crash (run under ASan in CI), never an accepted record that is not JSON.
TEST(ParquetHostile, FlippedBytesAndTruncations) {
  SetPluginWarningSink([](const char*) {});
  const std::string good = Slurp(Fixture("convert/parquet_types"));
  ASSERT_GT(good.size(), 1000u);
  int failed = 0, read = 0;
  auto run = [&](const std::string& bytes) {
    auto res = ReadAll("parquet", bytes, {"max_page_bytes", "1048576"}, 1 << 16);
    bool ok = res.open_rc == FTPREP_OK && res.end_rc == FTPREP_END;
    if (!ok) {
      EXPECT_FALSE(res.open_error.empty());
      ++failed;
    } else {
      ++read;
    }
    for (const auto& row : res.rows) {
      if (!row.error.empty()) continue;
      rapidjson::Document d;
      d.Parse(row.json.c_str());
      EXPECT_FALSE(d.HasParseError()) << row.json;
    }
  };
  for (size_t i = 0; i < good.size(); i += 3) {
    std::string b = good;
    b[i] = static_cast<char>(b[i] ^ 0x5a);
    run(b);
  }
  for (size_t n = 0; n < good.size(); n += 97) run(good.substr(0, n));
  SetPluginWarningSink(nullptr);
  EXPECT_GT(failed, 0);
  EXPECT_GT(read, 0);
}

}  // namespace
}  // namespace ftprep::parquet
