// ftprep price — what fine-tuning, synthesis and inference will cost, and when it pays off.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli.h"
#include "html.h"
#include "diag.h"
#include "ftprep/price.h"
#include "ftprep/reader.h"
#include "ftprep/writer.h"
#include "price/record_tokens.h"
#include "progress.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep price --model M[,M...] [--compare TEACHER] [options] [FILE...]
       ftprep price --list [--json] [--prices FILE] [--as-of DATE]

Estimates, before any money is spent, what fine-tuning each model on FILE (any format ftprep reads; '-' or
none = stdin) will cost: billed training tokens (each example capped at the model's training context) x
epochs x the training price, steps, and the fine-tuned model's inference cost per 1,000 requests shaped like
the data. With --compare TEACHER it adds the cost of generating the data with the teacher (synthesis), the
teacher's cost per 1,000 requests and the number of requests after which training pays for itself.
Tokens are counted per record with each model's encoding (chat framing as OpenAI's cookbook: an estimate).
Prices come from a dated table compiled in from core/data/prices.json; the report names the entry that
priced each model, warns when it was checked more than 180 days ago and shows end-of-availability notes.

options:
  -m, --model M[,M...]         models to fine-tune, side by side (repeatable)
  --compare MODEL              teacher / reference model for synthesis, inference and break-even
  --epochs auto|N              epochs (default auto: the provider's default; OpenAI's rule: 3, or
                               min(25, 100/n) when n x 3 < 100, or max(1, 25000/n) when n x 3 > 25000)
  --valid FILE                 validation file; its tokens are added where the provider bills them
  --n-evals N                  validation passes billed (default 1; providers that bill validation)
  --batch-size B               batch size for steps (default: the provider's rule, OpenAI ~0.2% of n)
  --max-tokens N               cap each example at N tokens instead of the model's training context,
                               and pack N tokens per row when counting steps
  --expected-output-tokens N   output tokens per request / generated example (default: the completions
                               already in the data)
  --quality-ratio Y            your measured quality of the student relative to the teacher (0.92 or
                               92%); prints the cost per 1,000 requests per quality point
  --training-hours H           hours of training, for models billed per hour (reinforcement fine-tuning)
  --prices FILE                layer a price file over the built-in table (repeatable; also the
                               colon-separated list in $FTPREP_PRICES, applied first)
  --litellm FILE               refresh inference prices from LiteLLM's model_prices_and_context_window.json
  --as-of DATE                 use the prices valid on DATE (YYYY-MM-DD; default today)
  --list                       show the price table with sources and dates instead of pricing data
  --json                       machine-readable output
  -o, --output FILE            write the report to FILE (atomically) instead of stdout
  --html FILE                  also write the report as one self-contained HTML page (cost table, break-even)
  --force                      overwrite an existing -o file (never an input)
  --format NAME                input format (default: from the extension, else sniffed)
  --format-opt KEY=VALUE       option for the format reader
  --progress MODE              never|always|auto (default auto)
  --plugin-path DIR            load plugins from DIR as well
  --max-shown N                problems shown per rule on stderr (default 20; all are counted)

Money is computed in integer nano-dollars from the decimal prices (no floating point) and printed with 2
decimals, or 4 below one dollar. $FTPREP_TODAY=YYYY-MM-DD overrides today's date (for reproducible runs).

exit codes: 0 priced; 1 some records could not be counted (the estimate leaves them out);
            2 usage, unknown model, missing price, I/O or internal error; 130 interrupted.

example:
  ftprep price --model gpt-4.1-mini,gpt-4o-mini --compare gpt-4.1 --quality-ratio 0.92 train.jsonl
)";

std::vector<std::string> SplitList(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const std::string& v : values) {
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string item = v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (!item.empty()) out.push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

Result<int64_t> PositiveInt(const std::string& option, const std::string& text) {
  int64_t v = 0;
  if (text.empty() || text.size() > 15) return UsageError("--" + option + " wants a positive integer: '" + text + "'");
  for (char c : text) {
    if (c < '0' || c > '9') return UsageError("--" + option + " wants a positive integer: '" + text + "'");
    v = v * 10 + (c - '0');
  }
  if (v < 1) return UsageError("--" + option + " wants a positive integer: '" + text + "'");
  return v;
}

// Reads every record of `inputs` once and counts it with each of `encodings`.
struct Counted {
  std::map<std::string, price::DatasetTokens> by_encoding;
  uint64_t bad = 0;
};

Status CountInputs(const std::vector<std::string>& inputs, const ReadOptions& read_options,
                   const std::string& progress_mode, const std::set<std::string>& encodings, Diagnostics* diag,
                   Counted* out) {
  std::vector<std::pair<std::string, price::CountFn>> counters;
  for (const std::string& enc : encodings) {
    auto fn = price::CounterForEncoding(enc);
    if (!fn.ok()) return fn.status();
    counters.emplace_back(enc, *fn);
    out->by_encoding[enc];
  }
  auto reader = OpenReader(inputs, read_options);
  if (!reader.ok()) return reader.status();
  Progress progress(progress_mode, reader->get());
  Record rec;
  uint64_t records = 0;
  while ((*reader)->Next(&rec)) {
    progress.Tick(++records);
    if (rec.bad()) {
      diag->Report(Severity::kError, rec.loc, rec.rule_id(), rec.error());
      ++out->bad;
      continue;
    }
    if (!rec.parse_ok()) {
      diag->Report(Severity::kError, rec.loc, "price.record", "not valid JSON");
      ++out->bad;
      continue;
    }
    bool ok = true;
    std::vector<price::RecordTokens> per(counters.size());
    for (size_t k = 0; k < counters.size() && ok; ++k) {
      Status s = price::CountRecordTokens(rec.doc(), counters[k].second, &per[k]);
      if (!s.ok()) {
        if (s.code() != Code::kData) return s;
        diag->Report(Severity::kError, rec.loc, per[k].error_rule.empty() ? "price.record" : per[k].error_rule,
                     s.message(), per[k].error_path);
        ++out->bad;
        ok = false;
      }
    }
    if (!ok) continue;
    for (size_t k = 0; k < counters.size(); ++k) {
      price::DatasetTokens& d = out->by_encoding[counters[k].first];
      d.Add(per[k].total, per[k].prompt, per[k].completion);
    }
  }
  progress.Finish();
  return (*reader)->status();
}

// Writes the report to stdout or -o FILE (atomically).
Status Emit(const CommonFlags& common, const std::string& text) {
  auto out = Output::Open(common.output, common.output_options());
  if (!out.ok()) return out.status();
  FTPREP_RETURN_IF_ERROR((*out)->Write(text));
  return (*out)->Commit();
}

}  // namespace

Status PriceMain(int argc, char** argv) {
  ToolCli cli("price", kUsage,
              kFlagInput | kFlagOutput | kFlagForce | kFlagFormat | kFlagProgress | kFlagPlugins | kFlagLimits |
                  kFlagHtml | kFlagShown);
  std::vector<std::string> model_args, price_files;
  std::string compare, epochs_arg = "auto", valid_file, batch_arg, max_tokens_arg, expected_arg, quality_arg,
                       hours_arg, as_of_arg, litellm_file, n_evals_arg;
  bool list = false, json = false;
  cli.Add()("model,m", po::value<std::vector<std::string>>(&model_args)->composing(), "models")(
      "compare", po::value<std::string>(&compare), "teacher")("epochs", po::value<std::string>(&epochs_arg),
                                                                "epochs")(
      "valid", po::value<std::string>(&valid_file), "validation file")("n-evals", po::value<std::string>(&n_evals_arg),
                                                                       "n")(
      "batch-size", po::value<std::string>(&batch_arg), "batch")("max-tokens", po::value<std::string>(&max_tokens_arg),
                                                                 "cap")(
      "expected-output-tokens", po::value<std::string>(&expected_arg), "n")(
      "quality-ratio", po::value<std::string>(&quality_arg), "ratio")(
      "training-hours", po::value<std::string>(&hours_arg), "hours")(
      "prices", po::value<std::vector<std::string>>(&price_files)->composing(), "file")(
      "litellm", po::value<std::string>(&litellm_file), "file")("as-of", po::value<std::string>(&as_of_arg), "date")(
      "list", po::bool_switch(&list), "list")("json", po::bool_switch(&json), "json");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  for (const auto* f : {&valid_file, &litellm_file}) {
    if (!f->empty()) cli.common.read_files.push_back(*f);
  }
  cli.common.read_files.insert(cli.common.read_files.end(), price_files.begin(), price_files.end());
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read

  // The table: built-in, then $FTPREP_PRICES, then --prices, then the LiteLLM refresh.
  auto table = price::PriceTable::BuiltIn();
  if (!table.ok()) return table.status();
  if (const char* env = std::getenv("FTPREP_PRICES"); env && *env) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      size_t colon = list.find(':', start);
      std::string path = list.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
      if (!path.empty()) FTPREP_RETURN_IF_ERROR(table->LayerFile(path).Prepend("FTPREP_PRICES: "));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
  }
  for (const std::string& f : price_files) FTPREP_RETURN_IF_ERROR(table->LayerFile(f));
  if (!litellm_file.empty()) {
    std::FILE* fp = std::fopen(litellm_file.c_str(), "rb");
    if (!fp) return IoError("cannot open " + litellm_file);
    std::string text;
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, fp)) > 0) text.append(buf, n);
    bool read_error = std::ferror(fp);
    std::fclose(fp);
    if (read_error) return IoError("cannot read " + litellm_file);
    int updated = 0;
    FTPREP_RETURN_IF_ERROR(table->ImportLiteLlm(text, litellm_file, &updated));
    Note("refreshed inference prices of " + std::to_string(updated) + " model(s) from " + litellm_file);
  }

  auto today = price::Today();
  if (!today.ok()) return today.status();
  price::Date as_of = *today;
  if (!as_of_arg.empty()) {
    auto d = price::ParseDate(as_of_arg);
    if (!d.ok()) return d.status().message().empty() ? d.status() : UsageError("--as-of: " + d.status().message());
    as_of = *d;
  }
  constexpr int kStaleDays = 180;

  if (list) {
    return Emit(cli.common, json ? price::RenderPriceListJson(*table, as_of, *today, kStaleDays)
                                 : price::RenderPriceListText(*table, as_of, *today, kStaleDays));
  }

  std::vector<std::string> models = SplitList(model_args);
  if (models.empty()) return UsageError("give --model M[,M...] (or --list to see the price table)");

  price::ReportOptions opt;
  opt.as_of = as_of;
  opt.today = *today;
  opt.stale_after_days = kStaleDays;
  opt.inputs = cli.common.inputs;
  if (epochs_arg != "auto") {
    auto n = PositiveInt("epochs", epochs_arg);
    if (!n.ok()) return UsageError("--epochs wants auto or a positive integer: '" + epochs_arg + "'");
    if (*n > 1000) return UsageError("--epochs " + epochs_arg + " is not a sensible number of epochs");
    opt.epochs = static_cast<int>(*n);
  }
  if (!batch_arg.empty()) {
    auto n = PositiveInt("batch-size", batch_arg);
    if (!n.ok()) return n.status();
    opt.batch_size = *n;
  }
  if (!max_tokens_arg.empty()) {
    auto n = PositiveInt("max-tokens", max_tokens_arg);
    if (!n.ok()) return n.status();
    opt.max_tokens = *n;
  }
  if (!n_evals_arg.empty()) {
    auto n = PositiveInt("n-evals", n_evals_arg);
    if (!n.ok()) return n.status();
    opt.n_evals = *n;
  }
  if (!expected_arg.empty()) {
    if (expected_arg == "0") {
      opt.expected_output_tokens = 0;
    } else {
      auto n = PositiveInt("expected-output-tokens", expected_arg);
      if (!n.ok()) return n.status();
      opt.expected_output_tokens = *n;
    }
  }
  if (!quality_arg.empty()) {
    auto q = price::ParseQualityRatio(quality_arg);
    if (!q.ok()) return q.status();
    opt.quality_ppm = *q;
  }
  if (!hours_arg.empty()) {
    auto h = price::ParseDollars(hours_arg);  // a plain decimal; the money parser reads it exactly
    if (!h.ok() || h->nanos <= 0) return UsageError("--training-hours wants a positive number: '" + hours_arg + "'");
    opt.training_hours = static_cast<double>(h->nanos) / 1e9;
  }

  // Resolve every model before reading anything: a typo should cost nothing.
  std::vector<const price::PriceEntry*> entries;
  for (const std::string& m : models) {
    auto e = table->Find(m, as_of);
    if (!e.ok()) return e.status();
    entries.push_back(*e);
  }
  const price::PriceEntry* teacher_entry = nullptr;
  if (!compare.empty()) {
    auto e = table->Find(compare, as_of);
    if (!e.ok()) return e.status();
    teacher_entry = *e;
  }
  std::set<std::string> encodings;
  for (const auto* e : entries) encodings.insert(e->encoding);
  if (teacher_entry) encodings.insert(teacher_entry->encoding);

  Diagnostics diag(cli.common.max_shown);
  Counted train;
  FTPREP_RETURN_IF_ERROR(
      CountInputs(cli.common.inputs, cli.common.read_options(), cli.common.progress, encodings, &diag, &train));
  Counted valid;
  if (!valid_file.empty()) {
    FTPREP_RETURN_IF_ERROR(
        CountInputs({valid_file}, cli.common.read_options(), cli.common.progress, encodings, &diag, &valid));
  }
  diag.PrintSuppressed();
  if (train.by_encoding.begin()->second.examples() == 0) {
    return DataError("no countable records in the input; nothing to price");
  }

  std::vector<price::ModelInput> students;
  for (const auto* e : entries) {
    price::ModelInput in;
    in.entry = e;
    in.train = train.by_encoding[e->encoding];
    if (!valid_file.empty()) in.valid = valid.by_encoding[e->encoding];
    students.push_back(std::move(in));
  }
  price::ModelInput teacher;
  if (teacher_entry) {
    teacher.entry = teacher_entry;
    teacher.train = train.by_encoding[teacher_entry->encoding];
  }
  auto report = price::BuildReport(students, teacher_entry ? &teacher : nullptr, opt);
  if (!report.ok()) return report.status();
  for (const std::string& w : report->warnings) Warning(w);
  if (!cli.common.html.empty()) {
    FTPREP_RETURN_IF_ERROR(WriteHtmlReport(price::RenderReportJson(*report), cli.common.html, cli.common.output_options()));
  }
  FTPREP_RETURN_IF_ERROR(
      Emit(cli.common, json ? price::RenderReportJson(*report) : price::RenderReportText(*report)));
  uint64_t bad = train.bad + valid.bad;
  if (bad > 0) {
    return DataError(std::to_string(bad) + " record(s) could not be counted and are left out of the estimate");
  }
  return Status::Ok();
}

}  // namespace ftprep
