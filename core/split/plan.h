// core/split/plan.h — the pure assignment algorithms of `ftprep split`: given record counts, labels, group ids
// or keys, decide which split each record goes to. No I/O; all randomness from split/rng.h, so a seed fixes
// the result on every platform. Records are numbered 0..n-1 in input order; n < 2^32.
//
// A "level" is a small integer per record: the split index, or kDropped for records that go nowhere (ratios
// summing to less than 1, counts below n, records not sampled). For nested subsets the level is the smallest
// nested set holding the record (it belongs to that set and every larger one) or the test set.
// Functions return fresh vectors; they keep no state and are thread-compatible.
#ifndef FTPREP_CORE_SPLIT_PLAN_H_
#define FTPREP_CORE_SPLIT_PLAN_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "ftprep/status.h"
#include "split/rng.h"

namespace ftprep::split {

inline constexpr uint8_t kDropped = 255;
inline constexpr size_t kMaxSplits = 64;
inline constexpr uint64_t kMaxRecords = 0xFFFFFFFFull;  // record indices are stored as uint32

// Split sizes from ratios by largest remainder: size_i = floor(r_i * n); when the ratios sum to 1 (within
// 1e-9) the leftover records go one each to the splits with the largest fractional parts (ties: earlier
// split), so the sizes sum to n. When they sum to less, the rest is dropped. Ratios must be >= 0.
Result<std::vector<uint64_t>> SizesFromRatios(const std::vector<double>& ratios, uint64_t n);
// Split sizes from counts; kRest (at most one) takes what the others leave. Fails if the counts exceed n.
inline constexpr int64_t kRest = -1;
Result<std::vector<uint64_t>> SizesFromCounts(const std::vector<int64_t>& counts, uint64_t n);
// prepare_data's holdout: valid = min(1000, n - floor(0.8 n)), train = the rest. Returns {train, valid}.
std::vector<uint64_t> LegacyHoldoutSizes(uint64_t n);

// Uniformly random assignment with exact sizes (sum(sizes) <= n; the rest is kDropped), by sequential
// selection: record i goes to split s with probability (quota left of s) / (records left).
std::vector<uint8_t> AssignRandom(uint64_t n, const std::vector<uint64_t>& sizes, Rng& rng);

// Stratified quotas: quota[l][s] = records of stratum l for split s, with |quota[l][s] - size_s*n_l/n| <= 1,
// rows summing to n_l and columns to size_s. `sizes` must sum to n (add the dropped rest as a last split).
// Floors of the exact targets, then the leftover units of each stratum go to the splits with the largest
// unmet leftover (bipartite Havel–Hakimi; always feasible because the fractional parts form a valid
// fractional solution).
Result<std::vector<std::vector<uint32_t>>> StratumQuotas(const std::vector<uint64_t>& sizes,
                                                          const std::vector<uint64_t>& stratum_sizes);
// Stratified assignment: labels[i] in [0, num_labels). Within each stratum records are chosen uniformly at
// random for each split by sequential selection against the quotas.
Result<std::vector<uint8_t>> AssignStratified(std::span<const uint32_t> labels, uint32_t num_labels,
                                              const std::vector<uint64_t>& sizes, Rng& rng);
// The same over n records whose labels come from label_of(i) (called twice per record, in ascending i), so
// the caller need not hold the labels in one contiguous array.
Result<std::vector<uint8_t>> AssignStratified(uint64_t n, const std::function<uint32_t(uint64_t)>& label_of,
                                              uint32_t num_labels, const std::vector<uint64_t>& sizes, Rng& rng);

// Grouped assignment: groups are ordered by Mix64(group_hash ^ Mix64(seed)) (ties: first seen), laid end to
// end, and each group goes to the split whose cumulative target range holds the group's midpoint. A group is
// never divided; each split ends within about half the largest group of its target. Returns a split per group.
std::vector<uint8_t> AssignGroups(std::span<const uint32_t> group_sizes, std::span<const uint64_t> group_hash,
                                  const std::vector<uint64_t>& sizes, uint64_t seed);

// A random permutation of 0..n-1 (Fisher–Yates over the identity).
std::vector<uint32_t> RandomPermutation(uint64_t n, Rng& rng);

// Nested subsets: one random permutation P; the test set is P[0, test); nested set k is P[test, test+size_k).
// Sizes must ascend and test + largest <= n. level[i] = k of the smallest set holding i, nested.size() for the
// test set, kDropped otherwise. `order` is P (writing in that order makes each smaller set a prefix).
struct NestedPlan {
  std::vector<uint8_t> level;
  std::vector<uint32_t> order;
};
Result<NestedPlan> AssignNested(uint64_t n, uint64_t test, const std::vector<uint64_t>& sizes, Rng& rng);

// Hash split: split of a key = first s with u < cum_ratio_s, where u = (KeyHash(key, seed) >> 11) / 2^53.
// Depends on nothing but the key, the seed and the ratios: stable under appends and sharding.
class HashSplitter {
 public:
  HashSplitter(const std::vector<double>& ratios, uint64_t seed);
  uint8_t SplitOf(std::string_view key) const;

 private:
  std::vector<uint64_t> bounds_;  // cumulative thresholds on the 53-bit value
  uint64_t seed_;
};

// Reservoir sampling (Algorithm R): item i (0-based) takes slot i while i < k, then replaces slot j = Uniform(i+1)
// when j < k. Offer returns the slot to fill or -1.
class Reservoir {
 public:
  Reservoir(uint64_t k, Rng& rng) : k_(k), rng_(rng) {}
  int64_t Offer() {
    uint64_t i = seen_++;
    if (i < k_) return static_cast<int64_t>(i);
    uint64_t j = rng_.Uniform(i + 1);
    return j < k_ ? static_cast<int64_t>(j) : -1;
  }
  uint64_t seen() const { return seen_; }

 private:
  uint64_t k_, seen_ = 0;
  Rng& rng_;
};

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_PLAN_H_
