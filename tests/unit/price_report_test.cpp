// Tests of core/price/report.cpp: the numbers the report carries, staleness, notes, JSON and --list.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>

#include "ftprep/price.h"

namespace ftprep::price {
namespace {

Date D(const char* s) { return *ParseDate(s); }

struct Fixture {
  PriceTable table = std::move(PriceTable::BuiltIn()).value();
  DatasetTokens data;
  Fixture() {
    // 1,000 examples of 500 tokens: 200 prompt + 300 completion.
    data.AddMany(1000, 500);
    data.prompt_tokens = 200'000;
    data.completion_tokens = 300'000;
  }
  ModelInput In(const char* model) {
    ModelInput m;
    m.entry = *table.Find(model, D("2026-11-30"));
    m.train = data;
    return m;
  }
};

ReportOptions Options() {
  ReportOptions o;
  o.as_of = D("2026-11-30");
  o.today = D("2026-11-30");
  return o;
}

TEST(PriceReport, StudentsAgainstATeacher) {
  Fixture f;
  std::vector<ModelInput> students = {f.In("gpt-4.1-mini"), f.In("gpt-4o-mini")};
  ModelInput teacher = f.In("gpt-4.1");
  ReportOptions o = Options();
  o.quality_ppm = 920'000;
  Result<Report> r = BuildReport(students, &teacher, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->models.size(), 2u);
  const ModelReport& mini = r->models[0];
  EXPECT_EQ(mini.training.epochs, 3);
  EXPECT_EQ(mini.training.billed_tokens, 1'500'000);
  EXPECT_EQ(*mini.training.cost, *ParseDollars("7.50"));
  EXPECT_EQ(mini.batch_size, 2);  // 0.2% of 1,000
  EXPECT_EQ(mini.steps_per_epoch, 500);
  EXPECT_EQ(mini.total_steps, 1500);
  EXPECT_EQ(*mini.per_1000, *ParseDollars("1.12"));
  EXPECT_EQ(*r->teacher->per_1000, *ParseDollars("2.80"));
  EXPECT_EQ(*mini.break_even, 4465);
  // Synthesis of this data with gpt-4.1: $2.80, so 7.50 + 2.80 = 10.30 / 1.68 per 1,000 -> 6,131.
  EXPECT_EQ(*r->teacher->synthesis, *ParseDollars("2.80"));
  EXPECT_EQ(*mini.break_even_with_synthesis, 6131);
  ASSERT_EQ(r->teacher->synthesis_at.size(), 3u);
  EXPECT_EQ(*r->teacher->synthesis_at[2].second, *ParseDollars("280"));
  const ModelReport& fourmini = r->models[1];
  EXPECT_EQ(*fourmini.training.cost, *ParseDollars("4.50"));
  EXPECT_EQ(*fourmini.per_1000, *ParseDollars("0.42"));  // 1000 x (200 x 0.30 + 300 x 1.20) / 1e6
  // The OpenAI end of self-serve fine-tuning is shown once, with the days left.
  int eoa = 0;
  for (const auto& n : r->notes) {
    if (n.find("2027-01-06 (in 37 days)") == std::string::npos) continue;
    ++eoa;
    EXPECT_EQ(n.rfind("gpt-4.1, gpt-4.1-mini, gpt-4o-mini: OpenAI stops", 0), 0u) << n;
  }
  EXPECT_EQ(eoa, 1);
  EXPECT_TRUE(r->warnings.empty());

  std::string text = RenderReportText(*r);
  EXPECT_NE(text.find("gpt-4.1 (teacher)"), std::string::npos) << text;
  EXPECT_NE(text.find("$7.50"), std::string::npos) << text;
  EXPECT_NE(text.find("4,465"), std::string::npos) << text;
  EXPECT_NE(text.find("https://openai.com/api/pricing/"), std::string::npos) << text;

  rapidjson::Document doc;
  std::string json = RenderReportJson(*r);
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_EQ(doc["models"][0]["training"]["cost_usd"].GetDouble(), 7.5);
  EXPECT_EQ(doc["models"][0]["inference"]["break_even_requests"].GetInt64(), 4465);
  EXPECT_EQ(doc["teacher"]["synthesis_usd"].GetDouble(), 2.8);
  EXPECT_STREQ(doc["models"][0]["price"]["checked"].GetString(), "2026-11-30");
}

TEST(PriceReport, StalePricesWarn) {
  Fixture f;
  std::vector<ModelInput> students = {f.In("gpt-4.1-mini")};
  ReportOptions o = Options();
  o.today = D("2027-05-29");  // 180 days after the check: not yet stale
  Result<Report> r = BuildReport(students, nullptr, o);
  for (const auto& w : r->warnings) EXPECT_EQ(w.find("was checked on"), std::string::npos) << w;
  o.today = D("2027-05-30");  // 181 days
  r = BuildReport(students, nullptr, o);
  bool stale = false;
  for (const auto& w : r->warnings) stale = stale || w.find("181 days ago") != std::string::npos;
  EXPECT_TRUE(stale);
  // After the end date the note becomes a warning.
  bool ended = false;
  for (const auto& w : r->warnings) ended = ended || w.find("on 2027-01-06 (144 days ago)") != std::string::npos;
  EXPECT_TRUE(ended);
}

TEST(PriceReport, EpochOverrideAndRangeCheck) {
  Fixture f;
  std::vector<ModelInput> students = {f.In("gpt-4.1-mini")};
  ReportOptions o = Options();
  o.epochs = 2;
  o.batch_size = 1;
  o.max_tokens = 2048;
  Result<Report> r = BuildReport(students, nullptr, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->models[0].training.billed_tokens, 1'000'000);
  EXPECT_EQ(r->models[0].steps_per_epoch, 245);  // ceil(500,000 / 2,048)
  o.epochs = 99;
  EXPECT_EQ(BuildReport(students, nullptr, o).status().code(), Code::kUsage);
}

TEST(PriceReport, MinimumAndStorageAreShownBesideTheTrainingCost) {
  PriceEntry e;
  e.model = "m-small";
  e.provider = "mistral";
  e.encoding = "cl100k_base";
  e.training_unit = TrainingUnit::kPerMillionTokens;
  e.training_price = *ParseDollars("3");
  e.training_minimum = *ParseDollars("4");
  e.storage_per_month = *ParseDollars("2");
  e.source = "https://example.com/p";
  e.checked = D("2026-11-30");
  e.origin = "mine.json";
  ModelInput in;
  in.entry = &e;
  in.train.AddMany(10, 100);
  ReportOptions o;
  o.as_of = o.today = D("2026-11-30");
  o.epochs = 1;
  Result<Report> r = BuildReport({in}, nullptr, o);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->models[0].training.minimum_applied);
  std::string text = RenderReportText(*r);
  EXPECT_NE(text.find("minimum per job"), std::string::npos) << text;
  EXPECT_NE(text.find("$4.00 (minimum)"), std::string::npos) << text;
  EXPECT_NE(text.find("storage / month"), std::string::npos) << text;
  EXPECT_NE(text.find("$2.00 a month to store"), std::string::npos) << text;
  std::string json = RenderReportJson(*r);
  EXPECT_NE(json.find("\"usage_cost_usd\":0.003,\"minimum_per_job_usd\":4,\"minimum_applied\":true,"
                      "\"storage_per_month_usd\":2"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"cost_usd\":4,"), std::string::npos) << json;
}

TEST(PriceReport, ListRoundTripsAsALayerFile) {
  PriceTable t = std::move(PriceTable::BuiltIn()).value();
  std::string json = RenderPriceListJson(t, D("2026-11-30"), D("2026-11-30"), 180);
  PriceTable again;
  Status s = again.Layer(json, "list.json");
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_EQ(again.entries().size(), t.entries().size());
  for (size_t k = 0; k < t.entries().size(); ++k) {
    const PriceEntry &a = t.entries()[k], &b = again.entries()[k];
    EXPECT_EQ(a.model, b.model);
    EXPECT_EQ(a.training_price, b.training_price);
    EXPECT_EQ(a.ft_cached_input, b.ft_cached_input);
    EXPECT_EQ(a.base_output, b.base_output);
    EXPECT_EQ(a.end_of_availability, b.end_of_availability);
    EXPECT_EQ(a.default_epochs_auto, b.default_epochs_auto);
    EXPECT_EQ(a.training_minimum, b.training_minimum);
    EXPECT_EQ(a.storage_per_month, b.storage_per_month);
  }
  ASSERT_EQ(again.not_listed().size(), t.not_listed().size());
  for (size_t k = 0; k < t.not_listed().size(); ++k) {
    EXPECT_EQ(again.not_listed()[k].provider, t.not_listed()[k].provider);
    EXPECT_EQ(again.not_listed()[k].patterns, t.not_listed()[k].patterns);
  }
  std::string text = RenderPriceListText(t, D("2026-11-30"), D("2026-11-30"), 180);
  EXPECT_NE(text.find("gpt-4.1-mini"), std::string::npos);
  EXPECT_NE(text.find("2027-01-06"), std::string::npos);
  EXPECT_NE(text.find("https://fireworks.ai/pricing"), std::string::npos);
  EXPECT_NE(text.find("Providers without built-in training prices"), std::string::npos);
  EXPECT_NE(text.find("https://mistral.ai/pricing"), std::string::npos);
}

}  // namespace
}  // namespace ftprep::price
