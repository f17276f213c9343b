// Tests of core/report: the merge convention, in particular the per-rule findings cap that makes merged
// shard reports list the same findings as the unsplit run.
#include "report.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace ftprep {
namespace {

rapidjson::Document Parse(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  return d;
}

std::vector<std::string> Lines(const rapidjson::Value& findings) {
  std::vector<std::string> out;
  for (const auto& f : findings.GetArray()) {
    out.push_back(std::string(f["rule"].GetString()) + ":" + std::to_string(f["line"].GetUint64()));
  }
  return out;
}

TEST(MergeReports, SumsAndKeepsTheFirstFindingsPerRule) {
  // Two shards of a run that lists at most 2 findings of rule a and 1 of any other rule.
  auto s1 = Parse(R"({"tool":"t","counts":{"n":3},"findings_per_rule":{"a":2,"*":1},
    "findings":[{"rule":"a","line":1},{"rule":"b","line":2},{"rule":"a","line":3}]})");
  auto s2 = Parse(R"({"tool":"t","counts":{"n":4},"findings_per_rule":{"a":2,"*":1},
    "findings":[{"rule":"c","line":1},{"rule":"a","line":2},{"rule":"b","line":3}]})");
  rapidjson::Document out;
  ASSERT_TRUE(MergeReports({&s1, &s2}, &out).ok());
  EXPECT_EQ(out["counts"]["n"].GetInt64(), 7);
  EXPECT_EQ(Lines(out["findings"]), (std::vector<std::string>{"a:1", "b:2", "a:3", "c:1"}));
}

TEST(MergeReports, NoCapKeepsEveryFinding) {
  auto s1 = Parse(R"({"tool":"t","findings":[{"rule":"a","line":1}]})");
  auto s2 = Parse(R"({"tool":"t","findings":[{"rule":"a","line":1},{"rule":"a","line":2}]})");
  rapidjson::Document out;
  ASSERT_TRUE(MergeReports({&s1, &s2}, &out).ok());
  EXPECT_EQ(out["findings"].Size(), 3u);
}

TEST(MergeReports, DifferentCapsAreDifferentOptions) {
  auto s1 = Parse(R"({"tool":"t","findings_per_rule":{"*":1},"findings":[]})");
  auto s2 = Parse(R"({"tool":"t","findings_per_rule":{"*":2},"findings":[]})");
  rapidjson::Document out;
  EXPECT_FALSE(MergeReports({&s1, &s2}, &out).ok());
}

}  // namespace
}  // namespace ftprep
