// Tests of core/html: the linear buckets the count histogram uses (terminal and page), and that every report
// kind renders a page that loads nothing from elsewhere. The rendering itself is checked in a real browser
// by tests/scripts/html_reports.sh.
#include "html.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>
#include <vector>

namespace ftprep {
namespace {

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

LinearBuckets Buckets(const std::string& histogram_json) { return ChooseLinearBuckets(Parse(histogram_json)); }

TEST(LinearBuckets, TwoHundredOneExamplesGetNineRoundBuckets) {
  std::string h = "{";
  for (int v = 1; v <= 201; ++v) h += (v > 1 ? ",\"" : "\"") + std::to_string(v) + "\":1";
  LinearBuckets b = Buckets(h + "}");
  EXPECT_EQ(b.lo, 0u);
  EXPECT_EQ(b.width, 25u);
  ASSERT_EQ(b.counts.size(), 9u);
  EXPECT_EQ(b.counts.front(), 24u);  // 1..24
  EXPECT_EQ(b.counts[1], 25u);       // 25..49
  EXPECT_EQ(b.counts.back(), 2u);    // 200, 201
}

TEST(LinearBuckets, SmallSpansUseWidthOneAndEmptyBucketsStay) {
  LinearBuckets one = Buckets(R"({"7":3})");
  EXPECT_EQ(one.lo, 7u);
  EXPECT_EQ(one.width, 1u);
  EXPECT_EQ(one.counts, std::vector<uint64_t>({3}));
  LinearBuckets gap = Buckets(R"({"0":1,"9":1})");
  EXPECT_EQ(gap.lo, 0u);
  EXPECT_EQ(gap.width, 2u);
  EXPECT_EQ(gap.counts, std::vector<uint64_t>({1, 0, 0, 0, 1}));
}

TEST(LinearBuckets, HugeSpansStayWithinTwentyBuckets) {
  LinearBuckets b = Buckets(R"({"1":1,"123456789":1,"18446744073709551615":1})");
  EXPECT_LE(b.counts.size(), 21u);
  uint64_t total = 0;
  for (uint64_t c : b.counts) total += c;
  EXPECT_EQ(total, 3u);
  EXPECT_TRUE(Buckets("{}").counts.empty());
}

TEST(HtmlReport, EveryKindIsSelfContained) {
  const char* reports[] = {
      R"({"tool":"count","encoding":"o200k_base","model":"","framing":"chat","max_tokens":10,"inputs":["a.jsonl"],
          "counts":{"examples":2,"tokens":25,"trained_tokens":5,"other_tokens":20,"over_limit":1},
          "histograms":{"tokens_per_example":{"5":1,"20":1}},"min":{"tokens_per_example":5},
          "max":{"tokens_per_example":20},"findings":[{"file":"a.jsonl","line":2,"tokens":20}],"derived":{"mean":12.5}})",
      R"({"tool":"validate","profile":"openai-chat","counts":{"records":1},"histograms":{"errors_by_rule":{"x.y":1}},
          "findings":[{"file":"<a>","line":1,"rule":"x.y","severity":"error","path":"m[0]","message":"<b>"}],
          "derived":{"passed":false}})",
      R"({"tool":"price","inputs":[],"models":[{"model":"m","training":{"cost_usd":1.5},"inference":{},"price":{}}]})",
      R"({"tool":"clean","counts":{"records":2,"clean.empty.dropped":1},"findings":[]})",
      R"({"tool":"split","names":["train"],"counts":{"splits":{"train":{"records":2}}}})",
  };
  for (const char* json : reports) {
    auto page = RenderHtmlReport(Parse(json));
    ASSERT_TRUE(page.ok()) << page.status().message();
    EXPECT_EQ(page->find("<script"), std::string::npos);
    EXPECT_EQ(page->find(" src="), std::string::npos);
    EXPECT_EQ(page->find(" href="), std::string::npos);
    EXPECT_EQ(page->find("url("), std::string::npos);
    EXPECT_NE(page->find("<svg"), std::string::npos) << json;
    EXPECT_EQ(page->find("<b>\"<"), std::string::npos);
  }
  auto validate = RenderHtmlReport(Parse(reports[1]));
  EXPECT_NE(validate->find("&lt;b&gt;"), std::string::npos);  // report text is escaped
  auto count = RenderHtmlReport(Parse(reports[0]));
  EXPECT_NE(count->find("class=\"limit\""), std::string::npos);
  EXPECT_NE(count->find("class=\"bar over\""), std::string::npos);
  EXPECT_FALSE(RenderHtmlReport(Parse(R"({"tool":"convert"})")).ok());
}

}  // namespace
}  // namespace ftprep
