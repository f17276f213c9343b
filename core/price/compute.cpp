// The cost arithmetic of `ftprep price`: epochs, billed tokens, steps, training, generation, inference,
// break-even and cost per quality point. Pure functions; money in nano-dollars (see price.h).
#include <algorithm>
#include <climits>
#include <string>

#include "ftprep/price.h"

namespace ftprep::price {
namespace {

using i128 = __int128;

i128 DivRound(i128 n, i128 d) {
  i128 q = n / d, r = n % d;
  if (r < 0) r = -r;
  if (2 * r >= d) q += (n < 0) ? -1 : 1;
  return q;
}

i128 DivCeil(i128 n, i128 d) { return n <= 0 ? 0 : (n + d - 1) / d; }

int64_t Clamp(i128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < -INT64_MAX) return -INT64_MAX;
  return static_cast<int64_t>(v);
}

}  // namespace

int AutoEpochs(int64_t n) {
  constexpr int64_t kTarget = 3, kMinExamples = 100, kMaxExamples = 25'000, kMinEpochs = 1, kMaxEpochs = 25;
  if (n <= 0) return kTarget;
  if (n * kTarget < kMinExamples) return static_cast<int>(std::min(kMaxEpochs, kMinExamples / n));
  if (n * kTarget > kMaxExamples) return static_cast<int>(std::max(kMinEpochs, kMaxExamples / n));
  return kTarget;
}

int64_t BilledTokensPerEpoch(std::span<const int64_t> example_tokens, int64_t context_cap) {
  int64_t sum = 0;
  for (int64_t t : example_tokens) sum += (context_cap > 0 && t > context_cap) ? context_cap : t;
  return sum;
}

int64_t DatasetTokens::BilledPerEpoch(int64_t cap) const {
  i128 sum = 0;
  for (const auto& [tokens, count] : lengths) {
    sum += static_cast<i128>(cap > 0 && tokens > cap ? cap : tokens) * count;
  }
  return Clamp(sum);
}

int64_t DatasetTokens::LongerThan(int64_t cap) const {
  if (cap <= 0) return 0;
  int64_t n = 0;
  for (auto it = lengths.upper_bound(cap); it != lengths.end(); ++it) n += it->second;
  return n;
}

int64_t DefaultBatchSize(int64_t n) {
  // 0.2% of the examples, rounded up, within [1, 256].
  int64_t b = (n * 2 + 999) / 1000;
  return std::clamp<int64_t>(b, 1, 256);
}

int64_t StepsPerEpoch(int64_t n_examples, int64_t tokens_per_epoch, int64_t batch_size, int64_t max_tokens) {
  if (batch_size < 1) batch_size = 1;
  if (max_tokens > 0) return Clamp(DivCeil(tokens_per_epoch, static_cast<i128>(max_tokens) * batch_size));
  return Clamp(DivCeil(n_examples, batch_size));
}

Result<TrainingEstimate> EstimateTraining(const PriceEntry& entry, const DatasetTokens& data,
                                          const TrainingOptions& options) {
  TrainingEstimate est;
  if (options.epochs) {
    est.epochs = *options.epochs;
    if (est.epochs < 1) return UsageError("epochs must be at least 1");
    if ((entry.min_epochs > 0 && est.epochs < entry.min_epochs) ||
        (entry.max_epochs > 0 && est.epochs > entry.max_epochs)) {
      return UsageError(std::to_string(est.epochs) + " epochs is outside the range " +
                        std::to_string(entry.min_epochs) + ".." + std::to_string(entry.max_epochs) +
                        " allowed for " + entry.model);
    }
  } else if (entry.default_epochs_auto) {
    est.epochs = AutoEpochs(data.examples());
    est.epochs_auto = true;
  } else {
    est.epochs = entry.default_epochs;
  }
  const int64_t cap = options.context_cap_override > 0 ? options.context_cap_override : entry.training_context;
  est.billed_tokens_per_epoch = data.BilledPerEpoch(cap);
  est.capped_examples = data.LongerThan(cap);
  if (options.validation && entry.bills_validation) {
    est.validation_tokens =
        Clamp(static_cast<i128>(options.validation->BilledPerEpoch(cap)) * std::max<int64_t>(1, options.n_evals));
  }
  est.billed_tokens = Clamp(static_cast<i128>(est.billed_tokens_per_epoch) * est.epochs + est.validation_tokens);
  switch (entry.training_unit) {
    case TrainingUnit::kPerMillionTokens:
      est.usage_cost = CostOfTokens(est.billed_tokens, entry.training_price);
      break;
    case TrainingUnit::kPerHour:
      if (options.training_hours) {
        // Hours come from the user as a decimal; millihours keep the product in integers.
        int64_t millihours = static_cast<int64_t>(*options.training_hours * 1000.0 + 0.5);
        est.usage_cost =
            Money{Clamp(DivRound(static_cast<i128>(millihours) * entry.training_price.nanos, 1000))};
      }
      break;
    case TrainingUnit::kNone:
      break;
  }
  est.cost = est.usage_cost;
  // A minimum per job is what a small job really costs; it only applies once there is a usage price to
  // compare it with.
  if (est.usage_cost && entry.training_minimum && *est.usage_cost < *entry.training_minimum) {
    est.cost = *entry.training_minimum;
    est.minimum_applied = true;
  }
  return est;
}

std::optional<Money> GenerationCost(int64_t prompt_tokens, int64_t output_tokens,
                                    const std::optional<Money>& input_rate,
                                    const std::optional<Money>& output_rate) {
  if ((prompt_tokens > 0 && !input_rate) || (output_tokens > 0 && !output_rate)) return std::nullopt;
  i128 n = static_cast<i128>(prompt_tokens) * (input_rate ? input_rate->nanos : 0) +
           static_cast<i128>(output_tokens) * (output_rate ? output_rate->nanos : 0);
  return Money{Clamp(DivRound(n, 1'000'000))};
}

std::optional<Money> CostPer1000Requests(int64_t total_in, int64_t total_out, int64_t n_requests,
                                         const std::optional<Money>& in_rate,
                                         const std::optional<Money>& out_rate) {
  if (n_requests <= 0) return std::nullopt;
  if ((total_in > 0 && !in_rate) || (total_out > 0 && !out_rate)) return std::nullopt;
  i128 n = static_cast<i128>(total_in) * (in_rate ? in_rate->nanos : 0) +
           static_cast<i128>(total_out) * (out_rate ? out_rate->nanos : 0);
  // x1000 requests / (1e6 tokens per price unit x n requests) = / (1000 x n)
  return Money{Clamp(DivRound(n, static_cast<i128>(1000) * n_requests))};
}

std::optional<int64_t> BreakEvenRequests(Money upfront, Money student_per_1000, Money teacher_per_1000) {
  i128 saving_per_1000 = static_cast<i128>(teacher_per_1000.nanos) - student_per_1000.nanos;
  if (saving_per_1000 <= 0) return std::nullopt;
  if (upfront.nanos <= 0) return 0;
  return Clamp(DivCeil(static_cast<i128>(upfront.nanos) * 1000, saving_per_1000));
}

Result<int64_t> ParseQualityRatio(std::string_view text) {
  std::string_view t = text;
  bool percent = !t.empty() && t.back() == '%';
  if (percent) t.remove_suffix(1);
  // Reuse the exact decimal parser: "0.92" dollars = 920,000,000 nanos -> ppm by / 1000.
  Result<Money> m = ParseDollars(t);
  if (!m.ok()) return UsageError("--quality-ratio: not a number: \"" + std::string(text) + "\"");
  int64_t ppm = m->nanos / 1000;
  if (percent) ppm /= 100;
  if (ppm <= 0 || ppm > 10'000'000) {
    return UsageError("--quality-ratio must be in (0, 10] (or a percentage): \"" + std::string(text) + "\"");
  }
  return ppm;
}

Money CostPerQualityPoint(Money per_1000, int64_t quality_ppm) {
  if (quality_ppm <= 0) return Money{0};
  // points = ppm / 10,000
  return Money{Clamp(DivRound(static_cast<i128>(per_1000.nanos) * 10'000, quality_ppm))};
}

}  // namespace ftprep::price
