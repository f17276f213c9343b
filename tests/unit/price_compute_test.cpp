// Tests of core/price/compute.cpp: known cases worked out by hand.
#include <gtest/gtest.h>

#include <vector>

#include "ftprep/price.h"

namespace ftprep::price {
namespace {

Money M(const char* s) { return *ParseDollars(s); }

PriceEntry Gpt41Mini() {
  PriceEntry e;
  e.model = "gpt-4.1-mini";
  e.training_unit = TrainingUnit::kPerMillionTokens;
  e.training_price = M("5.00");
  e.ft_input = M("0.80");
  e.ft_output = M("3.20");
  e.base_input = M("0.40");
  e.base_output = M("1.60");
  e.training_context = 65536;
  e.min_epochs = 1;
  e.max_epochs = 50;
  return e;
}

TEST(PriceCompute, AutoEpochsAtTheEdges) {
  EXPECT_EQ(AutoEpochs(1), 25);
  EXPECT_EQ(AutoEpochs(3), 25);   // 100/3 = 33, capped at 25
  EXPECT_EQ(AutoEpochs(4), 25);
  EXPECT_EQ(AutoEpochs(5), 20);
  EXPECT_EQ(AutoEpochs(10), 10);
  EXPECT_EQ(AutoEpochs(33), 3);   // 99 < 100 -> 100/33 = 3
  EXPECT_EQ(AutoEpochs(34), 3);   // 102 >= 100 -> 3
  EXPECT_EQ(AutoEpochs(8'333), 3);  // 24,999 <= 25,000
  EXPECT_EQ(AutoEpochs(8'334), 2);  // 25,002 > 25,000 -> 25,000/8,334 = 2
  EXPECT_EQ(AutoEpochs(12'500), 2);
  EXPECT_EQ(AutoEpochs(12'501), 1);
  EXPECT_EQ(AutoEpochs(100'000), 1);  // 25,000/100,000 = 0 -> at least 1
  EXPECT_EQ(AutoEpochs(0), 3);
}

TEST(PriceCompute, IssueCaseThousandByFiveHundred) {
  DatasetTokens data;
  data.AddMany(1000, 500);
  TrainingOptions opt;
  opt.epochs = 3;
  Result<TrainingEstimate> est = EstimateTraining(Gpt41Mini(), data, opt);
  ASSERT_TRUE(est.ok()) << est.status().message();
  EXPECT_EQ(est->billed_tokens_per_epoch, 500'000);
  EXPECT_EQ(est->billed_tokens, 1'500'000);
  ASSERT_TRUE(est->cost.has_value());
  EXPECT_EQ(*est->cost, M("7.50"));
  EXPECT_EQ(FormatDollars(*est->cost, 2), "$7.50");
  // 1,000 examples: the auto rule also gives 3.
  Result<TrainingEstimate> autoest = EstimateTraining(Gpt41Mini(), data, TrainingOptions{});
  ASSERT_TRUE(autoest.ok());
  EXPECT_TRUE(autoest->epochs_auto);
  EXPECT_EQ(autoest->epochs, 3);
  EXPECT_EQ(*autoest->cost, M("7.50"));
}

TEST(PriceCompute, CapsEachExampleAtTheTrainingContext) {
  std::vector<int64_t> t = {100, 70'000, 65'536, 65'537};
  EXPECT_EQ(BilledTokensPerEpoch(t, 65'536), 100 + 65'536 * 3);
  EXPECT_EQ(BilledTokensPerEpoch(t, 0), 100 + 70'000 + 65'536 + 65'537);
  DatasetTokens data;
  for (int64_t x : t) data.Add(x, x, 0);
  EXPECT_EQ(data.BilledPerEpoch(65'536), 100 + 65'536 * 3);
  EXPECT_EQ(data.LongerThan(65'536), 2);
  TrainingOptions opt;
  opt.epochs = 1;
  Result<TrainingEstimate> est = EstimateTraining(Gpt41Mini(), data, opt);
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(est->capped_examples, 2);
  opt.context_cap_override = 1000;  // --max-tokens
  est = EstimateTraining(Gpt41Mini(), data, opt);
  EXPECT_EQ(est->billed_tokens_per_epoch, 100 + 1000 * 3);
  EXPECT_EQ(est->capped_examples, 3);
}

TEST(PriceCompute, EpochsOutsideTheAllowedRangeAreRejected) {
  DatasetTokens data;
  data.Add(10, 10, 0);
  TrainingOptions opt;
  opt.epochs = 51;
  EXPECT_EQ(EstimateTraining(Gpt41Mini(), data, opt).status().code(), Code::kUsage);
  opt.epochs = 0;
  EXPECT_EQ(EstimateTraining(Gpt41Mini(), data, opt).status().code(), Code::kUsage);
}

TEST(PriceCompute, ValidationTokensOnlyWhereBilled) {
  DatasetTokens train, valid;
  train.AddMany(100, 1000);
  valid.AddMany(10, 1000);
  TrainingOptions opt;
  opt.epochs = 2;
  opt.validation = &valid;
  opt.n_evals = 3;
  PriceEntry e = Gpt41Mini();
  EXPECT_EQ(EstimateTraining(e, train, opt)->billed_tokens, 200'000);
  e.bills_validation = true;  // Together-style: epochs x train + n_evals x valid
  Result<TrainingEstimate> est = EstimateTraining(e, train, opt);
  EXPECT_EQ(est->validation_tokens, 30'000);
  EXPECT_EQ(est->billed_tokens, 230'000);
}

TEST(PriceCompute, HourlyTrainingNeedsHours) {
  PriceEntry e = Gpt41Mini();
  e.training_unit = TrainingUnit::kPerHour;
  e.training_price = M("100");
  DatasetTokens data;
  data.Add(10, 10, 0);
  data.Add(20, 20, 0);
  Result<TrainingEstimate> est = EstimateTraining(e, data, TrainingOptions{});
  ASSERT_TRUE(est.ok());
  EXPECT_FALSE(est->cost.has_value());
  TrainingOptions opt;
  opt.training_hours = 2.5;
  EXPECT_EQ(*EstimateTraining(e, data, opt)->cost, M("250"));
}

TEST(PriceCompute, MinimumPerJobIsAFloorNotAnAddition) {
  PriceEntry e = Gpt41Mini();
  e.training_price = M("3.00");
  e.training_minimum = M("4.00");
  DatasetTokens small;
  small.AddMany(10, 1'000);  // 10,000 tokens x 3 epochs x $3/1M = $0.09 < $4
  TrainingOptions three;
  three.epochs = 3;
  Result<TrainingEstimate> est = EstimateTraining(e, small, three);
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(*est->usage_cost, M("0.09"));
  EXPECT_EQ(*est->cost, M("4.00"));
  EXPECT_TRUE(est->minimum_applied);

  DatasetTokens big;
  big.AddMany(1'000, 1'000);  // 3M tokens x $3/1M = $9 > $4
  est = EstimateTraining(e, big, three);
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(*est->cost, M("9.00"));
  EXPECT_EQ(*est->usage_cost, M("9.00"));
  EXPECT_FALSE(est->minimum_applied);

  // Just under the minimum (by 4 micro-dollars): the minimum applies.
  DatasetTokens edge;
  edge.AddMany(1, 444'444);
  e.training_price = M("3.00");
  e.training_minimum = M("4.000000");
  est = EstimateTraining(e, edge, three);  // 1,333,332 tokens -> $3.999996
  ASSERT_TRUE(est.ok());
  EXPECT_TRUE(est->minimum_applied);
  EXPECT_EQ(*est->cost, M("4"));

  // Per-hour price without hours: no cost, and the minimum alone does not invent one.
  e.training_unit = TrainingUnit::kPerHour;
  est = EstimateTraining(e, small, three);
  ASSERT_TRUE(est.ok());
  EXPECT_FALSE(est->cost.has_value());
  EXPECT_FALSE(est->minimum_applied);
  TrainingOptions hours = three;
  hours.training_hours = 0.01;  // 0.01 h x $3 = $0.03 -> the $4 minimum
  est = EstimateTraining(e, small, hours);
  ASSERT_TRUE(est.ok());
  EXPECT_EQ(*est->cost, M("4"));
  EXPECT_TRUE(est->minimum_applied);
}

TEST(PriceCompute, StepsLikeTheOldOpenAiFtDocs) {
  // 16,384 tokens at 2,048 tokens per batch of 1 = 8 steps per epoch.
  EXPECT_EQ(StepsPerEpoch(/*n_examples=*/100, 16'384, /*batch=*/1, /*max_tokens=*/2'048), 8);
  EXPECT_EQ(StepsPerEpoch(100, 16'385, 1, 2'048), 9);
  EXPECT_EQ(StepsPerEpoch(100, 16'384, 2, 2'048), 4);
  // Without packing: one example per row.
  EXPECT_EQ(StepsPerEpoch(1000, 0, 8, 0), 125);
  EXPECT_EQ(StepsPerEpoch(1001, 0, 8, 0), 126);
  EXPECT_EQ(StepsPerEpoch(0, 0, 8, 0), 0);
}

TEST(PriceCompute, DefaultBatchSize) {
  EXPECT_EQ(DefaultBatchSize(10), 1);
  EXPECT_EQ(DefaultBatchSize(1000), 2);
  EXPECT_EQ(DefaultBatchSize(1001), 3);
  EXPECT_EQ(DefaultBatchSize(1'000'000), 256);
}

TEST(PriceCompute, SynthesisAndInference) {
  // Teacher gpt-4.1 base ($2 in / $8 out): 1,000 prompts x 200 tokens, 1,000 answers x 300 tokens.
  EXPECT_EQ(*GenerationCost(200'000, 300'000, M("2"), M("8")), M("2.80"));
  EXPECT_FALSE(GenerationCost(10, 10, std::nullopt, M("8")).has_value());
  // Per 1,000 requests of 200 in / 300 out: student gpt-4.1-mini fine-tuned ($0.80/$3.20) and teacher.
  std::optional<Money> student = CostPer1000Requests(200'000, 300'000, 1000, M("0.80"), M("3.20"));
  std::optional<Money> teacher = CostPer1000Requests(200'000, 300'000, 1000, M("2"), M("8"));
  EXPECT_EQ(*student, M("1.12"));  // 1000 x (200 x 0.8 + 300 x 3.2) / 1e6
  EXPECT_EQ(*teacher, M("2.80"));
  // Averages that are not whole tokens stay exact: 3 requests, 1 token in total at $1/1M.
  EXPECT_EQ(CostPer1000Requests(1, 0, 3, M("1"), M("1"))->nanos, 333'333);
  // Break-even: $7.50 of training, saving $1.68 per 1,000 requests -> 4,465 requests (4,464.28...).
  EXPECT_EQ(*BreakEvenRequests(M("7.50"), *student, *teacher), 4465);
  EXPECT_EQ(*BreakEvenRequests(M("1.68"), *student, *teacher), 1000);
  EXPECT_FALSE(BreakEvenRequests(M("7.50"), *teacher, *student).has_value());
  EXPECT_EQ(*BreakEvenRequests(Money{0}, *student, *teacher), 0);
}

TEST(PriceCompute, QualityPoints) {
  EXPECT_EQ(*ParseQualityRatio("0.92"), 920'000);
  EXPECT_EQ(*ParseQualityRatio("92%"), 920'000);
  EXPECT_EQ(*ParseQualityRatio("1"), 1'000'000);
  EXPECT_FALSE(ParseQualityRatio("0").ok());
  EXPECT_FALSE(ParseQualityRatio("-0.5").ok());
  EXPECT_FALSE(ParseQualityRatio("x").ok());
  // $1.12 per 1,000 requests at 92 points = $0.012173913... per point.
  EXPECT_EQ(CostPerQualityPoint(M("1.12"), 920'000).nanos, 12'173'913);
  EXPECT_EQ(CostPerQualityPoint(M("2.80"), 1'000'000), M("0.028"));
}

}  // namespace
}  // namespace ftprep::price
