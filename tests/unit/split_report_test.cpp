// split's report follows the merge convention: reports of shards merge into the report of the whole run.
#include <gtest/gtest.h>

#include "ftprep/record.h"
#include "report.h"
#include "split/summary.h"

namespace ftprep::split {
namespace {

SplitStats Stats(uint64_t in, uint64_t rejected, std::vector<uint64_t> records, std::vector<uint64_t> bytes) {
  SplitStats s;
  s.records_in = in;
  s.rejected = rejected;
  s.records = std::move(records);
  s.bytes = std::move(bytes);
  return s;
}

TEST(SplitReport, ShardReportsMergeIntoTheWholeRunsReport) {
  SplitOptions o;
  o.ratios = {0.9, 0.1};
  o.by_hash = "id";
  o.keep_order = true;
  const std::vector<std::string> names = {"train", "valid"};
  rapidjson::Document a = BuildReport(o, names, Stats(60, 1, {53, 6}, {5300, 600}), "");
  rapidjson::Document b = BuildReport(o, names, Stats(40, 0, {36, 4}, {3600, 400}), "");
  rapidjson::Document whole = BuildReport(o, names, Stats(100, 1, {89, 10}, {8900, 1000}), "");
  ASSERT_NE(FindReportDeriver("split"), nullptr);
  rapidjson::Document merged;
  ASSERT_TRUE(MergeReports({&a, &b}, &merged).ok());
  EXPECT_EQ(ToJson(merged["counts"]), ToJson(whole["counts"]));
  EXPECT_EQ(ToJson(merged["derived"]), ToJson(whole["derived"]));
  EXPECT_NEAR(whole["derived"]["fraction_of_kept"]["valid"].GetDouble(), 10.0 / 99, 1e-12);
}

TEST(SplitReport, DifferentSeedsDoNotMerge) {
  SplitOptions o1, o2;
  o1.ratios = o2.ratios = {0.5, 0.5};
  o2.seed = 7;
  rapidjson::Document a = BuildReport(o1, {"train", "valid"}, Stats(2, 0, {1, 1}, {3, 3}), "");
  rapidjson::Document b = BuildReport(o2, {"train", "valid"}, Stats(2, 0, {1, 1}, {3, 3}), "");
  rapidjson::Document merged;
  EXPECT_FALSE(MergeReports({&a, &b}, &merged).ok());
}

}  // namespace
}  // namespace ftprep::split
