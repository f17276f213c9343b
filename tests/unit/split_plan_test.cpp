// The invariants of the split plans, with 1,000,000 generated records: sizes, disjointness,
// containment of nested sets, strata within +-1 record, groups never divided, seeds reproducible.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "split/plan.h"

namespace ftprep::split {
namespace {

constexpr uint64_t kN = 1000000;

std::vector<uint64_t> CountLevels(const std::vector<uint8_t>& level, size_t splits) {
  std::vector<uint64_t> c(splits + 1);
  for (uint8_t l : level) ++c[l == kDropped ? splits : l];
  return c;
}

TEST(SplitSizes, RatiosUseLargestRemainders) {
  EXPECT_EQ(*SizesFromRatios({0.8, 0.1, 0.1}, 1000000), (std::vector<uint64_t>{800000, 100000, 100000}));
  EXPECT_EQ(*SizesFromRatios({0.8, 0.1, 0.1}, 7), (std::vector<uint64_t>{5, 1, 1}));  // 5.6 .7 .7
  EXPECT_EQ(*SizesFromRatios({1.0 / 3, 1.0 / 3, 1.0 / 3}, 10), (std::vector<uint64_t>{4, 3, 3}));
  EXPECT_EQ(*SizesFromRatios({0.5, 0.25}, 10), (std::vector<uint64_t>{5, 2}));  // sum < 1: rest dropped
  EXPECT_EQ(*SizesFromRatios({0.5, 0.5}, 0), (std::vector<uint64_t>{0, 0}));
  EXPECT_FALSE(SizesFromRatios({0.8, 0.3}, 10).ok());
  EXPECT_FALSE(SizesFromRatios({-0.1, 1.1}, 10).ok());
}

TEST(SplitSizes, CountsAndRest) {
  EXPECT_EQ(*SizesFromCounts({1000, 200}, 5000), (std::vector<uint64_t>{1000, 200}));
  EXPECT_EQ(*SizesFromCounts({kRest, 200, 100}, 5000), (std::vector<uint64_t>{4700, 200, 100}));
  EXPECT_EQ(SizesFromCounts({1000, 200}, 1100).status().code(), Code::kUsage);
  EXPECT_FALSE(SizesFromCounts({kRest, kRest}, 10).ok());
}

TEST(SplitSizes, LegacyHoldoutIsPrepareDataRule) {
  EXPECT_EQ(LegacyHoldoutSizes(100), (std::vector<uint64_t>{80, 20}));
  EXPECT_EQ(LegacyHoldoutSizes(3), (std::vector<uint64_t>{2, 1}));  // 3 - floor(2.4) = 1
  EXPECT_EQ(LegacyHoldoutSizes(7), (std::vector<uint64_t>{5, 2}));  // 7 - floor(5.6) = 2
  EXPECT_EQ(LegacyHoldoutSizes(kN), (std::vector<uint64_t>{kN - 1000, 1000}));
  EXPECT_EQ(LegacyHoldoutSizes(0), (std::vector<uint64_t>{0, 0}));
}

TEST(SplitPlan, RandomAssignmentHasExactSizesAndIsSeeded) {
  std::vector<uint64_t> sizes = *SizesFromRatios({0.8, 0.1, 0.05}, kN);
  Rng r1(42), r2(42), r3(43);
  auto a = AssignRandom(kN, sizes, r1);
  EXPECT_EQ(CountLevels(a, 3), (std::vector<uint64_t>{800000, 100000, 50000, 50000}));
  EXPECT_EQ(a, AssignRandom(kN, sizes, r2));
  EXPECT_NE(a, AssignRandom(kN, sizes, r3));
  // Not clumped: the first tenth of the input holds about a tenth of the valid split.
  uint64_t early = 0;
  for (uint64_t i = 0; i < kN / 10; ++i) early += a[i] == 1;
  EXPECT_NEAR(static_cast<double>(early), 10000.0, 600.0);
}

TEST(SplitPlan, StratifiedProportionsWithinOneRecord) {
  // Skewed labels: some frequent, some with a handful of records, one with a single record.
  std::vector<uint32_t> labels(kN);
  Rng g(1);
  const uint32_t kLabels = 12;
  for (uint64_t i = 0; i < kN; ++i) {
    uint64_t u = g.Uniform(1000);
    labels[i] = u < 600 ? 0 : u < 850 ? 1 : u < 950 ? 2 : u < 990 ? 3 : static_cast<uint32_t>(4 + g.Uniform(7));
  }
  labels[kN / 2] = 11;
  const std::vector<uint64_t> sizes = *SizesFromRatios({0.7, 0.2, 0.1}, kN);
  Rng r(42);
  auto level = AssignStratified(labels, kLabels, sizes, r);
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(CountLevels(*level, 3), (std::vector<uint64_t>{700000, 200000, 100000, 0}));
  std::vector<std::vector<uint64_t>> c(kLabels, std::vector<uint64_t>(3));
  std::vector<uint64_t> n_l(kLabels);
  for (uint64_t i = 0; i < kN; ++i) {
    ++c[labels[i]][(*level)[i]];
    ++n_l[labels[i]];
  }
  for (uint32_t l = 0; l < kLabels; ++l) {
    for (size_t s = 0; s < 3; ++s) {
      double target = static_cast<double>(sizes[s]) * static_cast<double>(n_l[l]) / static_cast<double>(kN);
      EXPECT_LE(std::abs(static_cast<double>(c[l][s]) - target), 1.0) << "label " << l << " split " << s;
    }
  }
}

TEST(SplitPlan, StratumQuotasHoldOnManySmallCases) {
  Rng g(99);
  for (int trial = 0; trial < 3000; ++trial) {
    size_t S = 1 + g.Uniform(6), L = 1 + g.Uniform(20);
    std::vector<uint64_t> strata(L);
    for (auto& x : strata) x = g.Uniform(30);
    uint64_t n = std::accumulate(strata.begin(), strata.end(), uint64_t{0});
    std::vector<uint64_t> sizes(S);
    uint64_t left = n;
    for (size_t s = 0; s + 1 < S; ++s) left -= (sizes[s] = g.Uniform(left + 1));
    sizes[S - 1] = left;
    auto q = StratumQuotas(sizes, strata);
    ASSERT_TRUE(q.ok()) << q.status().message();
    std::vector<uint64_t> col(S);
    for (size_t l = 0; l < L; ++l) {
      uint64_t row = 0;
      for (size_t s = 0; s < S; ++s) {
        row += (*q)[l][s];
        col[s] += (*q)[l][s];
        double t = n ? static_cast<double>(sizes[s]) * static_cast<double>(strata[l]) / static_cast<double>(n) : 0;
        ASSERT_LE(std::abs(static_cast<double>((*q)[l][s]) - t), 1.0);
      }
      ASSERT_EQ(row, strata[l]);
    }
    ASSERT_EQ(col, sizes);
  }
}

TEST(SplitPlan, GroupsAreNeverDivided) {
  // 1M records in groups of 1..20 records, records of a group scattered through the input.
  std::vector<uint32_t> group_sizes;
  uint64_t total = 0;
  Rng g(3);
  while (total < kN) {
    uint32_t s = static_cast<uint32_t>(std::min<uint64_t>(1 + g.Uniform(20), kN - total));
    group_sizes.push_back(s);
    total += s;
  }
  std::vector<uint64_t> hashes(group_sizes.size());
  for (size_t i = 0; i < hashes.size(); ++i) hashes[i] = KeyHash("conv-" + std::to_string(i), 0);
  std::vector<uint32_t> group_of;
  for (uint32_t gi = 0; gi < group_sizes.size(); ++gi) group_of.insert(group_of.end(), group_sizes[gi], gi);
  Shuffle(std::span<uint32_t>(group_of), g);
  const auto sizes = *SizesFromRatios({0.8, 0.1, 0.1}, kN);
  auto gsplit = AssignGroups(group_sizes, hashes, sizes, 42);
  EXPECT_EQ(gsplit, AssignGroups(group_sizes, hashes, sizes, 42));
  std::vector<uint8_t> level(kN);
  for (uint64_t i = 0; i < kN; ++i) level[i] = gsplit[group_of[i]];
  // Per record: the split of its group. Check no group has records in two splits.
  std::vector<int> seen(group_sizes.size(), -1);
  for (uint64_t i = 0; i < kN; ++i) {
    ASSERT_NE(level[i], kDropped);
    int& s = seen[group_of[i]];
    if (s < 0) s = level[i];
    ASSERT_EQ(s, level[i]);
  }
  auto c = CountLevels(level, 3);
  for (size_t s = 0; s < 3; ++s) EXPECT_LE(std::abs(static_cast<double>(c[s]) - static_cast<double>(sizes[s])), 20.0);
}

TEST(SplitPlan, NestedSetsAreContainedAndDisjointFromTest) {
  const std::vector<uint64_t> nested = {1000, 10000, 100000};
  Rng r(42);
  auto plan = AssignNested(kN, 2000, nested, r);
  ASSERT_TRUE(plan.ok());
  std::vector<std::set<uint32_t>> sets(4);
  for (uint32_t i = 0; i < kN; ++i) {
    uint8_t lv = plan->level[i];
    if (lv == kDropped) continue;
    if (lv == 3) {
      sets[3].insert(i);
      continue;
    }
    for (size_t k = lv; k < 3; ++k) sets[k].insert(i);
  }
  EXPECT_EQ(sets[0].size(), 1000u);
  EXPECT_EQ(sets[1].size(), 10000u);
  EXPECT_EQ(sets[2].size(), 100000u);
  EXPECT_EQ(sets[3].size(), 2000u);
  EXPECT_TRUE(std::includes(sets[1].begin(), sets[1].end(), sets[0].begin(), sets[0].end()));
  EXPECT_TRUE(std::includes(sets[2].begin(), sets[2].end(), sets[1].begin(), sets[1].end()));
  for (uint32_t t : sets[3]) ASSERT_EQ(sets[2].count(t), 0u);
  // Writing in plan order makes every smaller set a prefix of the larger ones.
  for (size_t j = 0; j < 1000; ++j) ASSERT_EQ(plan->level[plan->order[2000 + j]], 0);
  Rng r2(42);
  EXPECT_EQ(AssignNested(kN, 2000, nested, r2)->level, plan->level);
  Rng r3(1);
  EXPECT_EQ(AssignNested(1000, 10, {100, 995}, r3).status().code(), Code::kUsage);
  EXPECT_FALSE(AssignNested(1000, 10, {100, 50}, r3).ok());
}

TEST(SplitPlan, HashSplitDependsOnlyOnKeyAndSeed) {
  HashSplitter h({0.8, 0.1, 0.1}, 42), again({0.8, 0.1, 0.1}, 42), other({0.8, 0.1, 0.1}, 7);
  std::vector<uint64_t> c(4);
  int moved = 0;
  for (uint64_t i = 0; i < kN; ++i) {
    std::string k = "id-" + std::to_string(i);
    uint8_t s = h.SplitOf(k);
    ASSERT_EQ(s, again.SplitOf(k));
    moved += s != other.SplitOf(k);
    ++c[s == kDropped ? 3 : s];
  }
  EXPECT_NEAR(static_cast<double>(c[0]), 800000.0, 2500.0);
  EXPECT_NEAR(static_cast<double>(c[1]), 100000.0, 1500.0);
  EXPECT_NEAR(static_cast<double>(c[2]), 100000.0, 1500.0);
  EXPECT_EQ(c[3], 0u);
  EXPECT_GT(moved, 250000);
  HashSplitter part({0.5}, 42);  // ratios below 1: the rest is dropped
  uint64_t dropped = 0;
  for (int i = 0; i < 10000; ++i) dropped += part.SplitOf(std::to_string(i)) == kDropped;
  EXPECT_NEAR(static_cast<double>(dropped), 5000.0, 300.0);
}

TEST(SplitPlan, ReservoirKeepsKDistinctItems) {
  Rng r(42);
  Reservoir res(1000, r);
  std::vector<uint32_t> slots;
  for (uint32_t i = 0; i < kN; ++i) {
    int64_t s = res.Offer();
    if (s < 0) continue;
    if (static_cast<size_t>(s) == slots.size()) {
      slots.push_back(i);
    } else {
      slots[static_cast<size_t>(s)] = i;
    }
  }
  ASSERT_EQ(slots.size(), 1000u);
  std::set<uint32_t> distinct(slots.begin(), slots.end());
  EXPECT_EQ(distinct.size(), 1000u);
  uint64_t late = 0;  // uniform: about half the sample from the second half of the input
  for (uint32_t v : slots) late += v >= kN / 2;
  EXPECT_NEAR(static_cast<double>(late), 500.0, 80.0);
}

}  // namespace
}  // namespace ftprep::split
