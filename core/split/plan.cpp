#include "split/plan.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ftprep::split {
namespace {
using u128 = unsigned __int128;

// Picks a split for the next of `left` records against per-split quotas, decrementing the chosen quota.
template <typename Q>
size_t PickByQuota(Q* quota, size_t splits, uint64_t left, Rng& rng) {
  uint64_t u = rng.Uniform(left);
  for (size_t s = 0; s < splits; ++s) {
    if (u < quota[s]) {
      --quota[s];
      return s;
    }
    u -= quota[s];
  }
  return splits;  // unreachable when sum(quota) == left
}
}  // namespace

Result<std::vector<uint64_t>> SizesFromRatios(const std::vector<double>& ratios, uint64_t n) {
  if (ratios.empty()) return UsageError("no ratios given");
  double sum = 0;
  for (double r : ratios) {
    if (!(r >= 0) || !std::isfinite(r)) return UsageError("ratios must be numbers >= 0");
    sum += r;
  }
  if (sum > 1 + 1e-9) return UsageError("ratios sum to more than 1");
  std::vector<uint64_t> sizes(ratios.size());
  std::vector<double> frac(ratios.size());
  uint64_t total = 0;
  for (size_t i = 0; i < ratios.size(); ++i) {
    double exact = ratios[i] * static_cast<double>(n);
    double fl = std::floor(exact);
    sizes[i] = static_cast<uint64_t>(fl);
    frac[i] = exact - fl;
    total += sizes[i];
  }
  if (total > n) return InternalError("ratio sizes exceed the record count");
  if (std::fabs(sum - 1) <= 1e-9) {
    std::vector<size_t> idx(ratios.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return frac[a] > frac[b]; });
    for (size_t k = 0; total < n; k = (k + 1) % idx.size()) {
      ++sizes[idx[k]];
      ++total;
    }
  }
  return sizes;
}

Result<std::vector<uint64_t>> SizesFromCounts(const std::vector<int64_t>& counts, uint64_t n) {
  if (counts.empty()) return UsageError("no counts given");
  uint64_t fixed = 0;
  int rest = -1;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] == kRest) {
      if (rest >= 0) return UsageError("only one count may be 'rest'");
      rest = static_cast<int>(i);
    } else if (counts[i] < 0) {
      return UsageError("counts must be >= 0");
    } else {
      fixed += static_cast<uint64_t>(counts[i]);
    }
  }
  if (fixed > n) {
    return UsageError("the counts ask for " + std::to_string(fixed) + " records but the input has only " +
                     std::to_string(n));
  }
  std::vector<uint64_t> sizes(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) {
    sizes[i] = counts[i] == kRest ? n - fixed : static_cast<uint64_t>(counts[i]);
  }
  return sizes;
}

std::vector<uint64_t> LegacyHoldoutSizes(uint64_t n) {
  uint64_t valid = std::min<uint64_t>(1000, n - (n * 8) / 10);
  return {n - valid, valid};
}

std::vector<uint8_t> AssignRandom(uint64_t n, const std::vector<uint64_t>& sizes, Rng& rng) {
  std::vector<uint64_t> quota = sizes;
  uint64_t assigned = std::accumulate(sizes.begin(), sizes.end(), uint64_t{0});
  quota.push_back(n - assigned);  // the dropped rest
  std::vector<uint8_t> level(n);
  for (uint64_t i = 0; i < n; ++i) {
    size_t s = PickByQuota(quota.data(), quota.size(), n - i, rng);
    level[i] = s >= sizes.size() ? kDropped : static_cast<uint8_t>(s);
  }
  return level;
}

Result<std::vector<std::vector<uint32_t>>> StratumQuotas(const std::vector<uint64_t>& sizes,
                                                          const std::vector<uint64_t>& stratum_sizes) {
  const uint64_t n = std::accumulate(stratum_sizes.begin(), stratum_sizes.end(), uint64_t{0});
  if (std::accumulate(sizes.begin(), sizes.end(), uint64_t{0}) != n) {
    return InternalError("split sizes do not add up to the stratum sizes");
  }
  const size_t S = sizes.size();
  std::vector<std::vector<uint32_t>> quota(stratum_sizes.size(), std::vector<uint32_t>(S));
  if (n == 0) return quota;
  // Leftover demand of each split once every stratum got its floors.
  std::vector<uint64_t> left = sizes;
  for (size_t l = 0; l < stratum_sizes.size(); ++l) {
    for (size_t s = 0; s < S; ++s) {
      uint64_t f = static_cast<uint64_t>(static_cast<u128>(sizes[s]) * stratum_sizes[l] / n);
      quota[l][s] = static_cast<uint32_t>(f);
      left[s] -= f;
    }
  }
  std::vector<size_t> idx(S);
  std::vector<uint64_t> rem(S);
  for (size_t l = 0; l < stratum_sizes.size(); ++l) {
    uint64_t floors = 0;
    for (size_t s = 0; s < S; ++s) {
      floors += quota[l][s];
      rem[s] = static_cast<uint64_t>(static_cast<u128>(sizes[s]) * stratum_sizes[l] % n);
    }
    uint64_t extra = stratum_sizes[l] - floors;
    if (extra == 0) continue;
    std::iota(idx.begin(), idx.end(), 0);
    // Largest unmet leftover first (what keeps the rest feasible); then the largest fractional part, so a
    // stratum's extra record goes where the exact target is least integral; then the earlier split.
    std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
      if (left[a] != left[b]) return left[a] > left[b];
      return rem[a] > rem[b];
    });
    for (uint64_t k = 0; k < extra; ++k) {
      size_t s = idx[k];
      if (left[s] == 0) return InternalError("stratified quotas are infeasible");
      --left[s];
      ++quota[l][s];
    }
  }
  return quota;
}

Result<std::vector<uint8_t>> AssignStratified(std::span<const uint32_t> labels, uint32_t num_labels,
                                              const std::vector<uint64_t>& sizes, Rng& rng) {
  return AssignStratified(
      labels.size(), [&](uint64_t i) { return labels[i]; }, num_labels, sizes, rng);
}

Result<std::vector<uint8_t>> AssignStratified(uint64_t n, const std::function<uint32_t(uint64_t)>& label_of,
                                              uint32_t num_labels, const std::vector<uint64_t>& sizes, Rng& rng) {
  std::vector<uint64_t> ext = sizes;
  uint64_t assigned = std::accumulate(sizes.begin(), sizes.end(), uint64_t{0});
  if (assigned > n) return InternalError("split sizes exceed the record count");
  ext.push_back(n - assigned);
  std::vector<uint64_t> stratum(num_labels);
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t l = label_of(i);
    if (l >= num_labels) return InternalError("label id out of range");
    ++stratum[l];
  }
  auto quota = StratumQuotas(ext, stratum);
  if (!quota.ok()) return quota.status();
  std::vector<uint8_t> level(n);
  for (uint64_t i = 0; i < n; ++i) {
    uint32_t l = label_of(i);
    size_t s = PickByQuota((*quota)[l].data(), ext.size(), stratum[l]--, rng);
    level[i] = s >= sizes.size() ? kDropped : static_cast<uint8_t>(s);
  }
  return level;
}

std::vector<uint8_t> AssignGroups(std::span<const uint32_t> group_sizes, std::span<const uint64_t> group_hash,
                                  const std::vector<uint64_t>& sizes, uint64_t seed) {
  const size_t G = group_sizes.size();
  std::vector<uint32_t> order(G);
  std::iota(order.begin(), order.end(), 0);
  const uint64_t salt = Mix64(seed);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return Mix64(group_hash[a] ^ salt) < Mix64(group_hash[b] ^ salt);
  });
  std::vector<uint64_t> cum(sizes.size());
  std::partial_sum(sizes.begin(), sizes.end(), cum.begin());
  std::vector<uint8_t> split(G, kDropped);
  uint64_t start = 0;
  for (uint32_t g : order) {
    uint64_t mid2 = 2 * start + group_sizes[g];
    for (size_t s = 0; s < cum.size(); ++s) {
      if (mid2 < 2 * cum[s]) {
        split[g] = static_cast<uint8_t>(s);
        break;
      }
    }
    start += group_sizes[g];
  }
  return split;
}

std::vector<uint32_t> RandomPermutation(uint64_t n, Rng& rng) {
  std::vector<uint32_t> p(n);
  std::iota(p.begin(), p.end(), 0);
  Shuffle(std::span<uint32_t>(p), rng);
  return p;
}

Result<NestedPlan> AssignNested(uint64_t n, uint64_t test, const std::vector<uint64_t>& sizes, Rng& rng) {
  if (sizes.empty()) return UsageError("no nested sizes given");
  for (size_t k = 1; k < sizes.size(); ++k) {
    if (sizes[k] <= sizes[k - 1]) return UsageError("nested sizes must ascend (e.g. 1000,10000,100000)");
  }
  if (test + sizes.back() > n) {
    return UsageError("--nested " + std::to_string(sizes.back()) + " plus --test " + std::to_string(test) +
                     " needs " + std::to_string(test + sizes.back()) + " records but the input has only " +
                     std::to_string(n));
  }
  NestedPlan plan;
  plan.order = RandomPermutation(n, rng);
  plan.level.assign(n, kDropped);
  for (uint64_t j = 0; j < test; ++j) plan.level[plan.order[j]] = static_cast<uint8_t>(sizes.size());
  size_t k = 0;
  for (uint64_t r = 0; r < sizes.back(); ++r) {
    while (r >= sizes[k]) ++k;
    plan.level[plan.order[test + r]] = static_cast<uint8_t>(k);
  }
  return plan;
}

HashSplitter::HashSplitter(const std::vector<double>& ratios, uint64_t seed) : seed_(seed) {
  double cum = 0;
  for (size_t i = 0; i < ratios.size(); ++i) {
    cum += ratios[i];
    bool last_full = i + 1 == ratios.size() && std::fabs(cum - 1) <= 1e-9;
    uint64_t b = last_full || cum >= 1 ? (1ull << 53) : static_cast<uint64_t>(std::ldexp(cum, 53));
    bounds_.push_back(b);
  }
}

uint8_t HashSplitter::SplitOf(std::string_view key) const {
  uint64_t u = KeyHash(key, seed_) >> 11;
  for (size_t s = 0; s < bounds_.size(); ++s) {
    if (u < bounds_[s]) return static_cast<uint8_t>(s);
  }
  return kDropped;
}

}  // namespace ftprep::split
