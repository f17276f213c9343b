// Tests for include/ftprep/json_flags.h: ParseRecordJson gives every number its exact value.
#include "ftprep/json_flags.h"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <string>

namespace {

double ParseOne(const std::string& number) {
  std::string json = "{\"x\":" + number + "}";
  rapidjson::Document d;
  ftprep::ParseRecordJson(d, json);
  EXPECT_FALSE(d.HasParseError()) << json;
  EXPECT_TRUE(d["x"].IsNumber()) << json;
  return d["x"].GetDouble();
}

std::string Reserialise(const std::string& json) {
  rapidjson::Document d;
  ftprep::ParseRecordJson(d, json);
  EXPECT_FALSE(d.HasParseError()) << json;
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  d.Accept(w);
  return sb.GetString();
}

// RapidJSON 1.1's full-precision path turned these into tiny nonzero numbers (and called clz on 0).
TEST(ParseRecordJson, ZeroSignificandWithExponentIsZero) {
  for (const char* z : {"0.0e-24", "0.0e-52", "0e-100", "0.000000000000000000000000e1", "0.0E+30", "0e300"}) {
    double v = ParseOne(z);
    EXPECT_EQ(v, 0.0) << z;
    EXPECT_FALSE(std::signbit(v)) << z;
  }
  for (const char* z : {"-0.0e-52", "-0e-40", "-0.00E-99"}) {
    double v = ParseOne(z);
    EXPECT_EQ(v, 0.0) << z;
    EXPECT_TRUE(std::signbit(v)) << z;
  }
}

// A record routed to the exact path keeps every other number as the full-precision parse gives it.
TEST(ParseRecordJson, OtherNumbersInTheSameRecordStayExact) {
  const std::string with_zero = R"({"z":0.0e-24,"a":0.1,"b":2.2250738585072011e-308,"c":123456789012345678901234567890,)"
                                R"("d":-9223372036854775808,"e":18446744073709551615,"f":-7,"g":1e-400,"h":-0,)"
                                R"("i":9007199254740993.0000000001,"j":[1.5e300,-2.5e-3]})";
  std::string without_zero = with_zero;
  without_zero.replace(without_zero.find("0.0e-24"), 7, "1");
  rapidjson::Document a, b;
  ftprep::ParseRecordJson(a, with_zero);
  b.Parse<ftprep::kRecordParseFlags>(without_zero.data(), without_zero.size());  // the fast path, no zero
  ASSERT_FALSE(a.HasParseError());
  ASSERT_FALSE(b.HasParseError());
  for (const char* k : {"a", "b", "c", "d", "e", "f", "g", "h", "i"}) {
    ASSERT_EQ(a[k].GetType(), b[k].GetType()) << k;
    EXPECT_EQ(a[k].IsInt64(), b[k].IsInt64()) << k;
    EXPECT_EQ(a[k].IsUint64(), b[k].IsUint64()) << k;
    EXPECT_EQ(a[k].IsDouble(), b[k].IsDouble()) << k;
    EXPECT_EQ(a[k].GetDouble(), b[k].GetDouble()) << k;
  }
  EXPECT_EQ(a["d"].GetInt64(), INT64_MIN);
  EXPECT_EQ(a["e"].GetUint64(), UINT64_MAX);
  EXPECT_EQ(a["j"][0].GetDouble(), 1.5e300);
  EXPECT_EQ(a["j"][1].GetDouble(), -2.5e-3);
  EXPECT_EQ(Reserialise(R"({"z":-0.0e-52,"n":[0,1,-2,3.25]})"), R"({"z":-0.0,"n":[0,1,-2,3.25]})");
}

// Text that only looks like such a number (inside a string) changes nothing.
TEST(ParseRecordJson, LookalikeInsideAStringIsKept) {
  EXPECT_EQ(Reserialise(R"({"t":"x 0e5 y","k":[0.0e-30]})"), R"({"t":"x 0e5 y","k":[0.0]})");
  EXPECT_EQ(Reserialise(R"({"t":"10.0e5","k":100.0e-2})"), R"({"t":"10.0e5","k":1.0})");
}

// Errors read as Parse<kRecordParseFlags> reports them, on either path, even on a reused document.
TEST(ParseRecordJson, ErrorsAsRapidJsonReportsThem) {
  rapidjson::Document d;
  ftprep::ParseRecordJson(d, std::string(R"({"z":0e-30,)"));
  ASSERT_TRUE(d.HasParseError());
  EXPECT_EQ(d.GetParseError(), rapidjson::kParseErrorObjectMissName);
  ftprep::ParseRecordJson(d, std::string(R"({"z":0e-30,"big":1e400})"));
  ASSERT_TRUE(d.HasParseError());
  EXPECT_EQ(d.GetParseError(), rapidjson::kParseErrorNumberTooBig);
  ftprep::ParseRecordJson(d, std::string(R"({"z":0e-30} x)"));
  ASSERT_TRUE(d.HasParseError());
  EXPECT_EQ(d.GetParseError(), rapidjson::kParseErrorDocumentRootNotSingular);
  ftprep::ParseRecordJson(d, std::string(R"({"z":0e-30})"));
  EXPECT_FALSE(d.HasParseError());
  EXPECT_EQ(d["z"].GetDouble(), 0.0);
}

}  // namespace
