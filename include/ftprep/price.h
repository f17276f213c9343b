// ftprep/price.h — the dated price table and the cost arithmetic behind `ftprep price`.
//
// What: a PriceTable holds one PriceEntry per (model, valid_from). The built-in table is compiled from
// core/data/prices.json; users layer their own JSON files on top (same schema) and may refresh inference
// prices from LiteLLM's model_prices_and_context_window.json. Every computation below is a pure function of
// its arguments (no clock, no I/O), so the CLI and the tests get the same numbers.
//
// Money: all amounts are integers of nano-dollars (1e-9 USD) held in `Money`. Prices are parsed from their
// decimal text (never through double), products use 128-bit intermediates, and each function rounds once,
// half away from zero, to the nano-dollar. So "1.5M tokens at $5.00 per 1M" is exactly $7.500000000. Doubles
// appear only where the user gives a ratio (--quality-ratio) and that ratio is itself parsed as decimal text.
//
// Ownership: PriceTable owns its entries; Find() returns a pointer valid until the table is next modified.
// Threads: a const PriceTable may be read from many threads; the functions are thread-safe.
#ifndef FTPREP_PRICE_H_
#define FTPREP_PRICE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"

namespace ftprep::price {

// ---- Money ---------------------------------------------------------------------------------------------

struct Money {
  int64_t nanos = 0;  // 1e-9 USD

  static constexpr int64_t kPerDollar = 1'000'000'000;
  static Money Dollars(int64_t d) { return Money{d * kPerDollar}; }
  friend Money operator+(Money a, Money b) { return Money{a.nanos + b.nanos}; }
  friend Money operator-(Money a, Money b) { return Money{a.nanos - b.nanos}; }
  friend bool operator==(Money a, Money b) = default;
  friend auto operator<=>(Money a, Money b) = default;
};

// Parses a decimal amount of dollars: "7.5", "0.000035", "4e-07", "-1". At most 9 fractional digits survive
// (more digits are rounded half away from zero); values beyond ±9.2e9 USD are an error.
Result<Money> ParseDollars(std::string_view text);

// "$7.50". `decimals` in [0, 9]; rounds half away from zero. A negative amount prints as "-$1.25".
std::string FormatDollars(Money m, int decimals);

// Cents for amounts of at least $1, four decimals below (so $0.0045 per request stays visible); a non-zero
// amount under $0.00005 prints as "<$0.0001".
std::string FormatDollarsAuto(Money m);

// A unit price: at least 2 decimals, more only when needed ("$0.80", "$0.075", "$1.875").
std::string FormatRate(Money m);

// tokens x rate_per_million / 1,000,000, rounded once.
Money CostOfTokens(int64_t tokens, Money rate_per_million);

// ---- Dates ---------------------------------------------------------------------------------------------

struct Date {
  int year = 0, month = 0, day = 0;
  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Strict "YYYY-MM-DD" with a real calendar day.
Result<Date> ParseDate(std::string_view text);
std::string FormatDate(const Date& d);
// The date that picks price-table entries: $FTPREP_TODAY (YYYY-MM-DD, for reproducible runs and tests) when
// set, else today's UTC date. A malformed $FTPREP_TODAY is a usage error naming the variable.
Result<Date> Today();
// Days from `from` to `to` (negative when `to` is earlier).
int64_t DaysBetween(const Date& from, const Date& to);

// ---- Price entries -------------------------------------------------------------------------------------

enum class TrainingUnit { kNone, kPerMillionTokens, kPerHour };

struct PriceEntry {
  std::string model;                 // canonical name, e.g. "gpt-4.1-mini"
  std::vector<std::string> aliases;  // other names that select this entry (dated snapshots)
  std::string provider;              // "openai", "fireworks", ...
  std::string encoding;              // tokenizer used to count tokens for this model
  bool encoding_approximate = false;  // true when `encoding` is not the model's own tokenizer

  TrainingUnit training_unit = TrainingUnit::kNone;
  Money training_price;  // per 1M training tokens, or per training hour (RFT)
  // Charges some providers add beside the usage price (JSON "training.minimum_per_job" and
  // "storage_per_month"): a job never costs less than the minimum, and each fine-tuned model kept costs the
  // storage fee every month. Storage is shown beside the training cost, never added into it.
  std::optional<Money> training_minimum;
  std::optional<Money> storage_per_month;

  std::optional<Money> ft_input, ft_cached_input, ft_output;      // fine-tuned model, per 1M tokens
  std::optional<Money> base_input, base_cached_input, base_output;  // base model, per 1M tokens

  int64_t training_context = 0;  // max tokens of one training example; 0 = unknown (no cap applied)
  bool default_epochs_auto = true;  // "auto": the cookbook rule (AutoEpochs)
  int default_epochs = 0;           // used when !default_epochs_auto
  int min_epochs = 0, max_epochs = 0;  // allowed range; 0 = not known
  std::string batch_rule;              // "openai" (DefaultBatchSize) or "none"
  bool bills_validation = false;       // validation-file tokens are billed like training tokens

  std::optional<Date> valid_from, valid_until;  // when this price applies; absent = open-ended
  std::string source;                            // URL the numbers come from
  Date checked;                                  // when `source` was checked
  std::optional<Date> end_of_availability;
  std::string end_of_availability_what;
  std::vector<std::string> notes;

  std::string origin;            // which layer defined the entry: "built-in" or a file path
  std::string inference_origin;  // set when an importer refreshed the inference prices
};

// A provider the table has no training prices for (the "not_listed" array of the price file): which model
// names belong to it, what is known of how it bills, and where the user gets the rates. Find() uses it to say
// how to price such a model instead of a bare "no price entry".
struct NotListed {
  std::string provider;               // "mistral"
  std::string name;                   // "Mistral AI"
  std::vector<std::string> patterns;  // model names; a trailing '*' matches any suffix (case-insensitive)
  std::string pricing_page;           // where the current rates are published
  std::string why;                    // why no rate is in the table
  std::string billing;                // what is known of how the provider bills training
  std::vector<std::string> billing_sources;
  Date checked;
  std::string entry_template;  // JSON text of a price entry to fill in; "<model>" is replaced
};

// "ft:gpt-4o-mini-2024-07-18:org:name:id" -> "gpt-4o-mini-2024-07-18"; other names unchanged.
std::string StripFineTunePrefix(std::string_view model);

class PriceTable {
 public:
  // The table compiled in from core/data/prices.json.
  static Result<PriceTable> BuiltIn();

  // Adds the entries of a price file (JSON text, schema of core/data/prices.json). An entry with the same
  // model and valid_from as an existing one replaces it; others are added. `origin` names the layer in
  // reports. Errors name the entry index and field.
  Status Layer(std::string_view json_text, const std::string& origin);
  Status LayerFile(const std::string& path);

  // Refreshes inference prices (base, and fine-tuned where LiteLLM lists an "ft:<model>" key) of entries
  // whose model or alias is a key of LiteLLM's model_prices_and_context_window.json. LiteLLM has no training
  // prices; those are left alone. `*updated` receives the number of entries changed.
  Status ImportLiteLlm(std::string_view json_text, const std::string& origin, int* updated);

  // The entry for `model` (canonical name or alias, "ft:" prefix stripped) valid on `as_of`: among the
  // entries whose [valid_from, valid_until] contains as_of, the one with the latest valid_from. NotFound
  // lists close names.
  Result<const PriceEntry*> Find(std::string_view model, const Date& as_of) const;

  const std::vector<PriceEntry>& entries() const { return entries_; }
  const std::vector<NotListed>& not_listed() const { return not_listed_; }
  // The not-listed provider a model name belongs to, if any.
  const NotListed* NotListedFor(std::string_view model) const;

 private:
  std::vector<PriceEntry> entries_;
  std::vector<NotListed> not_listed_;
};

// ---- Computations (pure) -------------------------------------------------------------------------------

// OpenAI cookbook default: 3 epochs; if n*3 < 100 then min(25, 100/n); if n*3 > 25,000 then
// max(1, 25,000/n) (integer division). n = 0 gives 3.
int AutoEpochs(int64_t n_examples);

// Sum over examples of min(tokens, context_cap); context_cap <= 0 means no cap.
int64_t BilledTokensPerEpoch(std::span<const int64_t> example_tokens, int64_t context_cap);

// OpenAI's documented default batch size: about 0.2% of the examples, at least 1, at most 256.
int64_t DefaultBatchSize(int64_t n_examples);

// Steps per epoch. With max_tokens > 0, examples are packed into sequences of max_tokens, as the old openai-ft
// docs explained: ceil(tokens / (max_tokens * batch)) (16,384 tokens, 2,048 per batch of 1 -> 8). Without,
// one example per row: ceil(n_examples / batch). batch_size must be >= 1.
int64_t StepsPerEpoch(int64_t n_examples, int64_t tokens_per_epoch, int64_t batch_size, int64_t max_tokens);

// What a dataset looks like to the cost model: how many examples have each length (so memory is bounded by
// the number of distinct lengths, not the number of examples), and the split into prompt (input) and
// completion (output, the assistant turns) for synthesis and inference estimates.
struct DatasetTokens {
  std::map<int64_t, int64_t> lengths;  // tokens of one example -> number of examples that long
  int64_t prompt_tokens = 0;           // sum over examples of input tokens
  int64_t completion_tokens = 0;       // sum over examples of output (assistant) tokens

  void Add(int64_t total, int64_t prompt, int64_t completion) {
    ++lengths[total];
    ++n_;
    prompt_tokens += prompt;
    completion_tokens += completion;
  }
  // `count` examples of `tokens` tokens each, split evenly enough for tests and what-if estimates.
  void AddMany(int64_t count, int64_t tokens) {
    lengths[tokens] += count;
    n_ += count;
  }
  int64_t examples() const { return n_; }
  // Sum over examples of min(tokens, cap); cap <= 0 means no cap.
  int64_t BilledPerEpoch(int64_t cap) const;
  // Examples longer than cap.
  int64_t LongerThan(int64_t cap) const;

 private:
  int64_t n_ = 0;
};

struct TrainingOptions {
  std::optional<int> epochs;  // absent = the entry's default (auto rule or fixed)
  const DatasetTokens* validation = nullptr;
  int64_t n_evals = 1;                 // how often validation is billed, when the entry bills it
  int64_t context_cap_override = 0;    // > 0 replaces the entry's training_context (--max-tokens)
  std::optional<double> training_hours;  // for per-hour training prices
};

struct TrainingEstimate {
  int epochs = 0;
  bool epochs_auto = false;
  int64_t billed_tokens_per_epoch = 0;
  int64_t capped_examples = 0;  // examples longer than the cap (billed at the cap)
  int64_t validation_tokens = 0;  // billed validation tokens (0 when the entry does not bill them)
  int64_t billed_tokens = 0;      // per epoch x epochs + validation
  std::optional<Money> usage_cost;  // billed tokens (or hours) x the price, before any minimum
  bool minimum_applied = false;     // the entry's minimum per job is more than the usage cost
  std::optional<Money> cost;        // what the job costs: max(usage, minimum); absent when the price is per
                                    // hour and no hours were given
};

// Fails (kUsage) when `epochs` is outside the entry's allowed range.
Result<TrainingEstimate> EstimateTraining(const PriceEntry& entry, const DatasetTokens& data,
                                          const TrainingOptions& options);

// Cost of generating `prompt_tokens` in / `output_tokens` out with a model's base prices.
std::optional<Money> GenerationCost(int64_t prompt_tokens, int64_t output_tokens,
                                    const std::optional<Money>& input_rate,
                                    const std::optional<Money>& output_rate);

// Cost of 1,000 requests shaped like the average of `n_requests` requests that together used `total_in` input
// and `total_out` output tokens: 1000 * (total_in * in_rate + total_out * out_rate) / (1e6 * n_requests).
std::optional<Money> CostPer1000Requests(int64_t total_in, int64_t total_out, int64_t n_requests,
                                         const std::optional<Money>& in_rate,
                                         const std::optional<Money>& out_rate);

// Requests after which `upfront` is paid back by the saving per request, i.e. the smallest N with
// N * (teacher - student) / 1000 >= upfront. Absent when the student is not cheaper.
std::optional<int64_t> BreakEvenRequests(Money upfront, Money student_per_1000, Money teacher_per_1000);

// Parses a quality ratio: "0.92", "92%", "1". Returns parts per million (920000). Must be in (0, 10].
Result<int64_t> ParseQualityRatio(std::string_view text);

// Cost of 1,000 requests per quality point, where `quality_ppm` / 10,000 is the number of points
// (the reference model scores 100 points at ratio 1).
Money CostPerQualityPoint(Money per_1000, int64_t quality_ppm);

// ---- Reports (what `ftprep price` prints; built here so the tool stays thin and tests see the numbers) ----

struct ReportOptions {
  Date as_of;  // which price entries apply
  Date today;  // for staleness and end-of-availability notes
  std::optional<int> epochs;  // --epochs N; absent = each entry's default
  int64_t batch_size = 0;     // --batch-size; 0 = the provider's rule (or 1)
  int64_t max_tokens = 0;     // --max-tokens: per-example cap override and packing length for steps
  std::optional<int64_t> expected_output_tokens;  // per request / generated example
  std::optional<int64_t> quality_ppm;             // --quality-ratio, see ParseQualityRatio
  std::optional<double> training_hours;           // for per-hour (RFT) training prices
  int64_t n_evals = 1;
  std::vector<int64_t> synthesis_sizes = {1'000, 10'000, 100'000};
  int stale_after_days = 180;
  std::vector<std::string> inputs;  // file names, for the header
};

// One model's view of the data, counted with that model's encoding.
struct ModelInput {
  const PriceEntry* entry = nullptr;
  DatasetTokens train;
  std::optional<DatasetTokens> valid;
};

struct ModelReport {
  const PriceEntry* entry = nullptr;
  TrainingEstimate training;
  int64_t batch_size = 0;
  bool batch_size_from_rule = false;
  int64_t steps_per_epoch = 0, total_steps = 0;
  int64_t request_in_tokens = 0, request_out_tokens = 0, requests = 0;  // totals over `requests`
  std::optional<Money> per_1000;               // fine-tuned model, 1,000 requests
  std::optional<Money> per_1000_per_point;     // with --quality-ratio
  std::optional<int64_t> break_even;           // requests, vs the teacher, training only
  std::optional<int64_t> break_even_with_synthesis;
  bool break_even_never = false;               // student not cheaper than the teacher
};

struct TeacherReport {
  const PriceEntry* entry = nullptr;
  int64_t prompt_tokens = 0, output_tokens = 0, examples = 0;
  bool output_from_data = false;  // completions present in the data (else --expected-output-tokens)
  std::optional<Money> synthesis;  // generating this data
  std::vector<std::pair<int64_t, std::optional<Money>>> synthesis_at;  // (examples, cost) at other sizes
  std::optional<Money> per_1000;   // base model, 1,000 requests
  std::optional<Money> per_1000_per_point;
};

struct Report {
  ReportOptions options;
  int64_t examples = 0;
  std::vector<ModelReport> models;
  std::optional<TeacherReport> teacher;
  std::vector<std::string> warnings;  // stale prices, missing prices, capped examples
  std::vector<std::string> notes;     // end of availability, tokenizer approximations, entry notes
};

// Fails (kUsage) on an epoch count outside a model's allowed range.
Result<Report> BuildReport(const std::vector<ModelInput>& students, const ModelInput* teacher,
                           const ReportOptions& options);
std::string RenderReportText(const Report& report);
std::string RenderReportJson(const Report& report);

// `ftprep price --list`: every entry with its dates, age and source.
std::string RenderPriceListText(const PriceTable& table, const Date& as_of, const Date& today,
                                int stale_after_days);
std::string RenderPriceListJson(const PriceTable& table, const Date& as_of, const Date& today,
                                int stale_after_days);

}  // namespace ftprep::price

#endif  // FTPREP_PRICE_H_
