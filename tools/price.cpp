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
#include "ftprep/writer.h"
#include "pipeline.h"
#include "price/record_tokens.h"
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
  -q, --quiet                  only errors on stderr (no notes or warnings about the price table)
  -j, --jobs N                 count tokens on N threads (default: the number of cores); the results
                               are the same

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

// The tokens of the records of one input list, per encoding.
struct Counted {
  std::map<std::string, price::DatasetTokens> by_encoding;
  uint64_t bad = 0;
};

using Counters = std::vector<std::pair<std::string, price::CountFn>>;

// One record's counts in every encoding, from Process to Consume.
struct PerEncoding : OutcomeExtra {
  std::vector<price::RecordTokens> tokens;
};

// Counts each record with every encoding on a worker; adds the counts up in input order.
class PriceStage : public Stage {
 public:
  PriceStage(const Counters& counters, Counted* counted) : counters_(counters), counted_(counted) {
    for (const auto& [enc, fn] : counters) counted->by_encoding[enc];
  }

  void Process(Record& rec, Outcome* out, size_t) override {
    if (!rec.parse_ok()) return out->Reject("price.record", "not valid JSON");
    if (!out->extra) out->extra = std::make_unique<PerEncoding>();
    auto& per = static_cast<PerEncoding&>(*out->extra).tokens;
    per.assign(counters_.size(), {});
    for (size_t k = 0; k < counters_.size(); ++k) {
      Status s = price::CountRecordTokens(rec.doc(), counters_[k].second, &per[k]);
      if (s.ok()) continue;
      if (s.code() != Code::kData) {
        out->error = s;
        return;
      }
      return out->Reject(per[k].error_rule.empty() ? "price.record" : per[k].error_rule, s.message(),
                         per[k].error_path);
    }
  }

  Status Consume(Record&, Outcome& out) override {
    out.excerpt = false;  // the record's text is not shown: a price run is about totals
    if (out.verdict == Verdict::kReject) {
      ++counted_->bad;
      return Status::Ok();
    }
    const auto& per = static_cast<PerEncoding&>(*out.extra).tokens;
    for (size_t k = 0; k < counters_.size(); ++k) {
      counted_->by_encoding[counters_[k].first].Add(per[k].total, per[k].prompt, per[k].completion);
    }
    return Status::Ok();
  }

 private:
  const Counters& counters_;
  Counted* counted_;
};

// Reads every record of `inputs` once (on the pipeline's workers) and counts it with each encoding.
Status CountInputs(const CommonFlags& common, const std::vector<std::string>& inputs, const Counters& counters,
                   Counted* out) {
  CommonFlags flags = common;
  flags.inputs = inputs;
  Pipeline p(flags, flags.jobs);
  p.diag().set_max_per_rule(flags.max_shown);
  PriceStage stage(counters, out);
  FTPREP_RETURN_IF_ERROR(p.Run(&stage));
  p.diag().PrintSuppressed();
  return Status::Ok();
}

// Writes the report to stdout or -o FILE (atomically).
Status Emit(const CommonFlags& common, const std::string& text) {
  auto out = Output::Open(common.output, common.output_options());
  if (!out.ok()) return out.status();
  FTPREP_RETURN_IF_ERROR((*out)->Write(text));
  return (*out)->Commit();
}

struct Args {
  std::vector<std::string> models, price_files;
  std::string compare, epochs = "auto", valid_file, batch, max_tokens, expected, quality, hours, as_of, litellm,
                       n_evals;
  bool list = false, json = false;
};

void AddOptions(ToolCli& cli, Args& a) {
  cli.Add()("model,m", po::value<std::vector<std::string>>(&a.models)->composing(), "models")(
      "compare", po::value<std::string>(&a.compare), "teacher")("epochs", po::value<std::string>(&a.epochs), "epochs")(
      "valid", po::value<std::string>(&a.valid_file), "validation file")(
      "n-evals", po::value<std::string>(&a.n_evals), "n")("batch-size", po::value<std::string>(&a.batch), "batch")(
      "max-tokens", po::value<std::string>(&a.max_tokens), "cap")(
      "expected-output-tokens", po::value<std::string>(&a.expected), "n")(
      "quality-ratio", po::value<std::string>(&a.quality), "ratio")(
      "training-hours", po::value<std::string>(&a.hours), "hours")(
      "prices", po::value<std::vector<std::string>>(&a.price_files)->composing(), "file")(
      "litellm", po::value<std::string>(&a.litellm), "file")("as-of", po::value<std::string>(&a.as_of), "date")(
      "list", po::bool_switch(&a.list), "list")("json", po::bool_switch(&a.json), "json");
}

// Files read besides the inputs, which no output may overwrite.
void AddReadFiles(const Args& a, CommonFlags* c) {
  for (const auto* f : {&a.valid_file, &a.litellm}) {
    if (!f->empty()) c->read_files.push_back(*f);
  }
  c->read_files.insert(c->read_files.end(), a.price_files.begin(), a.price_files.end());
}

Status ImportLiteLlm(const std::string& path, bool quiet, price::PriceTable* table) {
  std::FILE* fp = std::fopen(path.c_str(), "rb");
  if (!fp) return IoError("cannot open " + path);
  std::string text;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, fp)) > 0) text.append(buf, n);
  bool read_error = std::ferror(fp);
  std::fclose(fp);
  if (read_error) return IoError("cannot read " + path);
  int updated = 0;
  FTPREP_RETURN_IF_ERROR(table->ImportLiteLlm(text, path, &updated));
  if (!quiet) Note("refreshed inference prices of " + std::to_string(updated) + " model(s) from " + path);
  return Status::Ok();
}

// The table: built-in, then $FTPREP_PRICES, then --prices, then the LiteLLM refresh.
Result<price::PriceTable> LoadTable(const Args& a, bool quiet) {
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
  for (const std::string& f : a.price_files) FTPREP_RETURN_IF_ERROR(table->LayerFile(f));
  if (!a.litellm.empty()) FTPREP_RETURN_IF_ERROR(ImportLiteLlm(a.litellm, quiet, &*table));
  return table;
}

// Today, and the date whose prices apply (--as-of, default today).
Status Dates(const Args& a, price::Date* today, price::Date* as_of) {
  auto t = price::Today();
  if (!t.ok()) return t.status();
  *today = *as_of = *t;
  if (a.as_of.empty()) return Status::Ok();
  auto d = price::ParseDate(a.as_of);
  if (!d.ok()) return d.status().message().empty() ? d.status() : UsageError("--as-of: " + d.status().message());
  *as_of = *d;
  return Status::Ok();
}

// The numeric options of the estimate.
Status ParseNumbers(const Args& a, price::ReportOptions* opt) {
  if (a.epochs != "auto") {
    auto n = PositiveInt("epochs", a.epochs);
    if (!n.ok()) return UsageError("--epochs wants auto or a positive integer: '" + a.epochs + "'");
    if (*n > 1000) return UsageError("--epochs " + a.epochs + " is not a sensible number of epochs");
    opt->epochs = static_cast<int>(*n);
  }
  const std::pair<const char*, const std::string*> ints[] = {
      {"batch-size", &a.batch}, {"max-tokens", &a.max_tokens}, {"n-evals", &a.n_evals}};
  int64_t* targets[] = {&opt->batch_size, &opt->max_tokens, &opt->n_evals};
  for (size_t i = 0; i < 3; ++i) {
    if (ints[i].second->empty()) continue;
    auto n = PositiveInt(ints[i].first, *ints[i].second);
    if (!n.ok()) return n.status();
    *targets[i] = *n;
  }
  if (!a.expected.empty()) {
    if (a.expected == "0") {
      opt->expected_output_tokens = 0;
    } else {
      auto n = PositiveInt("expected-output-tokens", a.expected);
      if (!n.ok()) return n.status();
      opt->expected_output_tokens = *n;
    }
  }
  if (!a.quality.empty()) {
    auto q = price::ParseQualityRatio(a.quality);
    if (!q.ok()) return q.status();
    opt->quality_ppm = *q;
  }
  if (!a.hours.empty()) {
    auto h = price::ParseDollars(a.hours);  // a plain decimal; the money parser reads it exactly
    if (!h.ok() || h->nanos <= 0) return UsageError("--training-hours wants a positive number: '" + a.hours + "'");
    opt->training_hours = static_cast<double>(h->nanos) / 1e9;
  }
  return Status::Ok();
}

// The models to price and the teacher, resolved before anything is read (a typo should cost nothing), and
// one token counter per encoding they use.
struct Models {
  std::vector<const price::PriceEntry*> students;
  const price::PriceEntry* teacher = nullptr;
  Counters counters;
};

Status ResolveModels(const Args& a, const price::PriceTable& table, price::Date as_of, Models* m) {
  std::vector<std::string> names = SplitList(a.models);
  std::set<std::string> encodings;
  for (const std::string& name : names) {
    auto e = table.Find(name, as_of);
    if (!e.ok()) return e.status();
    m->students.push_back(*e);
    encodings.insert((*e)->encoding);
  }
  if (!a.compare.empty()) {
    auto e = table.Find(a.compare, as_of);
    if (!e.ok()) return e.status();
    m->teacher = *e;
    encodings.insert((*e)->encoding);
  }
  for (const std::string& enc : encodings) {
    auto fn = price::CounterForEncoding(enc);
    if (!fn.ok()) return fn.status();
    m->counters.emplace_back(enc, *fn);
  }
  return Status::Ok();
}

// Prices the counted data and writes the report (text or JSON, and --html).
Status Report(const Args& a, const CommonFlags& common, const Models& m, const price::ReportOptions& opt,
              Counted& train, Counted& valid) {
  std::vector<price::ModelInput> students;
  for (const auto* e : m.students) {
    price::ModelInput in;
    in.entry = e;
    in.train = train.by_encoding[e->encoding];
    if (!a.valid_file.empty()) in.valid = valid.by_encoding[e->encoding];
    students.push_back(std::move(in));
  }
  price::ModelInput teacher;
  if (m.teacher) {
    teacher.entry = m.teacher;
    teacher.train = train.by_encoding[m.teacher->encoding];
  }
  auto report = price::BuildReport(students, m.teacher ? &teacher : nullptr, opt);
  if (!report.ok()) return report.status();
  if (!common.quiet) {
    for (const std::string& w : report->warnings) Warning(w);
  }
  if (!common.html.empty()) {
    FTPREP_RETURN_IF_ERROR(WriteHtmlReport(price::RenderReportJson(*report), common.html, common.output_options()));
  }
  return Emit(common, a.json ? price::RenderReportJson(*report) : price::RenderReportText(*report));
}

}  // namespace

Status PriceMain(int argc, char** argv) {
  ToolCli cli("price", kUsage,
              kFlagInput | kFlagOutput | kFlagForce | kFlagFormat | kFlagProgress | kFlagPlugins | kFlagLimits |
                  kFlagHtml | kFlagShown | kFlagQuiet | kFlagJobs);
  Args a;
  AddOptions(cli, a);
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok() || !*parsed) return parsed.status();
  AddReadFiles(a, &cli.common);
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  constexpr int kStaleDays = 180;
  auto table = LoadTable(a, cli.common.quiet);
  if (!table.ok()) return table.status();
  price::ReportOptions opt;
  opt.stale_after_days = kStaleDays;
  opt.inputs = cli.common.inputs;
  FTPREP_RETURN_IF_ERROR(Dates(a, &opt.today, &opt.as_of));
  if (a.list) {
    return Emit(cli.common, a.json ? price::RenderPriceListJson(*table, opt.as_of, opt.today, kStaleDays)
                                   : price::RenderPriceListText(*table, opt.as_of, opt.today, kStaleDays));
  }
  if (SplitList(a.models).empty()) return UsageError("give --model M[,M...] (or --list to see the price table)");
  FTPREP_RETURN_IF_ERROR(ParseNumbers(a, &opt));
  Models m;
  FTPREP_RETURN_IF_ERROR(ResolveModels(a, *table, opt.as_of, &m));
  Counted train, valid;
  FTPREP_RETURN_IF_ERROR(CountInputs(cli.common, cli.common.inputs, m.counters, &train));
  if (!a.valid_file.empty()) FTPREP_RETURN_IF_ERROR(CountInputs(cli.common, {a.valid_file}, m.counters, &valid));
  if (train.by_encoding.begin()->second.examples() == 0) {
    return DataError("no countable records in the input; nothing to price");
  }
  FTPREP_RETURN_IF_ERROR(Report(a, cli.common, m, opt, train, valid));
  uint64_t bad = train.bad + valid.bad;
  if (bad > 0) {
    return DataError(std::to_string(bad) + " record(s) could not be counted and are left out of the estimate");
  }
  return Status::Ok();
}

}  // namespace ftprep
