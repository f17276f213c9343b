// ftprep count — exact tiktoken-compatible token counts per record, billing and length statistics.
#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "cli.h"
#include "diag.h"
#include "ftprep/price.h"
#include "ftprep/reader.h"
#include "ftprep/tokenizer.h"
#include "ftprep/writer.h"
#include "jsonpath.h"
#include "price/record_tokens.h"
#include "pipeline.h"
#include "html.h"
#include "report.h"
#include "schema.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep count [-m MODEL | --tokenizer ENCODING] [options] [FILE...]

Counts tokens exactly as OpenAI's tiktoken does, per record of FILE (any format ftprep reads; '-' or none =
stdin), and prints a summary: records, total tokens, tokens billed per epoch (each example capped at the
model's training context), min/mean/percentiles/max per example, examples over the limit with their lines,
trained (assistant) tokens versus the rest, and a histogram of example lengths.

What is counted, by record shape: chat `messages` (string content and text parts, `name`, assistant
`tool_calls` names and arguments, `tools` definitions as JSON; image parts are listed as not counted),
prompt/completion, preference (input + both outputs), {"data":{"text_list":[...]}}, {"text":...},
ShareGPT, Alpaca, Gemini, Bedrock; or exactly one field with --field. Chat and preference records get
OpenAI's cookbook framing (3 tokens per message plus its role, +1 per name, +3 reply priming): an estimate
of what the provider adds, off with --framing none.

options:
  -m, --model NAME        model whose tokenizer (and training context, from the price table) to use
  --tokenizer NAME        o200k_base (default), o200k_harmony, cl100k_base, p50k_base, p50k_edit, r50k_base
                          (-e/--encoding is the old spelling)
  --field PATH            count only this field (a JSON path such as text or messages[0].content); a string,
                          or an array of strings (summed)
  --framing MODE          chat (default: cookbook framing for chat/preference records) or none
  --special MODE          text that spells a special token such as <|endoftext|>: ordinary (default: plain
                          text), all (one special token), strict (the record fails, as tiktoken's encode())
  --max-tokens N          training context cap per example (default: the model's, else none)
  --each                  print only one integer per record (tokens), in order; ERR for a record that cannot
                          be counted
  --annotate              pass the records through (to -o or stdout) with an added "n_tokens" field
  --json                  print the report as JSON (mergeable with `ftprep merge`) instead of the summary
  --report FILE           also write the JSON report to FILE
  --html FILE             also write the report as one self-contained HTML page (histogram, limit, trained)
  --max-shown N           over-limit examples listed by line, and problems shown per rule (default 20; all
                          are counted)
  -q, --quiet             only errors on stderr, and no summary
  -j, --jobs N            count on N threads (default: the number of cores); the results are the same
  --rejects FILE          write the records that could not be counted, with their errors, as JSONL
  -o FILE                 where the summary, the --json report, --each or --annotate go (default: stdout)
  --format NAME, --format-opt KEY=VALUE, --max-record-bytes N, --progress MODE, --plugin-path DIR,
  --force                 as in every tool

exit codes: 0 every record counted; 1 some record could not be counted (bad JSON, missing --field, special
token in strict mode); 2 usage, I/O or internal error; 130 interrupted.

example:
  ftprep count -m gpt-4.1-mini train.jsonl
  ftprep count --tokenizer cl100k_base --field text --each texts.jsonl
)";

enum class Framing { kChat, kNone };

struct Options {
  std::string model, encoding, field, framing = "chat", special = "ordinary";
  int64_t max_tokens = 0;
  bool each = false, annotate = false, json = false, quiet = false;
  size_t max_listed = 20;
};

struct OverLimit {
  std::string file;
  uint64_t line;
  uint64_t tokens;
};

struct Totals {
  uint64_t records = 0, counted = 0, bad = 0, bytes = 0;
  uint64_t tokens = 0, billed = 0, trained = 0, framing = 0, images = 0, over = 0;
  std::map<uint64_t, uint64_t> hist;  // tokens per example -> examples (complete after Fold())
  std::vector<OverLimit> over_listed;
  // Most examples are short: their counts go to a flat table (a map insert per record cost more than the
  // rest of the bookkeeping) and are folded into `hist` once, at the end.
  static constexpr uint64_t kFlat = 4096;
  std::vector<uint64_t> flat = std::vector<uint64_t>(kFlat);
  void Add(uint64_t tokens) {
    if (tokens < kFlat) {
      ++flat[tokens];
    } else {
      ++hist[tokens];
    }
  }
  void Fold() {
    for (uint64_t k = 0; k < kFlat; ++k) {
      if (flat[k] != 0) hist[k] += flat[k];
      flat[k] = 0;
    }
  }
};

struct RecordCount {
  uint64_t tokens = 0, trained = 0, framing = 0, images = 0;
};

class Counter {
 public:
  Counter(const Tokenizer& tok, SpecialMode mode, Framing framing, std::vector<PathStep> field)
      : tok_(tok),
        mode_(mode),
        framing_(framing),
        field_(std::move(field)),
        field_path_(FormatPath(field_)),
        count_([this](std::string_view text) { return tok_.Count(text, mode_); }) {}
  Counter(const Counter&) = delete;  // count_ points back at this object
  Counter& operator=(const Counter&) = delete;

  // Counts one parsed record. A per-record problem comes back as a kData status with a rule id in *rule.
  // roles: this thread's role token counts (or nullptr).
  Status Count(const rapidjson::Value& doc, RecordCount* out, std::string* rule, std::string* path,
               price::RoleTokenCache* roles) const {
    *out = RecordCount{};
    if (!field_.empty()) return CountField(doc, out, rule, path);
    if (DetectShape(doc) == Shape::kUnknown) {
      *rule = "count.shape.unknown";
      return DataError(
          "no texts to count: not a chat, prompt/completion, preference, text_list or text "
          "record (name one with --field)");
    }
    price::RecordTokens rt;
    Status st =
        price::CountRecordTokens(doc, count_, &rt, {.chat_framing = framing_ == Framing::kChat, .roles = roles});
    if (!st.ok()) {
      *rule = rt.error_rule.empty() ? "count.special_token" : rt.error_rule;
      *path = rt.error_path;
      return st;
    }
    out->tokens = static_cast<uint64_t>(rt.total);
    out->trained = static_cast<uint64_t>(rt.trained);
    out->framing = static_cast<uint64_t>(rt.framing);
    out->images = static_cast<uint64_t>(rt.images);
    return Status::Ok();
  }

 private:
  Status CountField(const rapidjson::Value& doc, RecordCount* out, std::string* rule, std::string* path) const {
    // The usual --field is one key: looked up directly.
    const rapidjson::Value* v =
        field_.size() == 1 && field_[0].index < 0 ? MemberOf(doc, field_[0].key) : GetPath(doc, field_);
    auto add = [&](const rapidjson::Value& s) -> Status {
      auto n = tok_.Count({s.GetString(), s.GetStringLength()}, mode_);
      if (!n.ok()) {
        *rule = "count.special_token";
        *path = field_path_;
        return n.status();
      }
      out->tokens += *n;
      return Status::Ok();
    };
    if (v && v->IsString()) return add(*v);
    if (v && v->IsArray()) {
      bool all_strings = true;
      for (const auto& e : v->GetArray()) all_strings &= e.IsString();
      if (all_strings) {
        for (const auto& e : v->GetArray()) FTPREP_RETURN_IF_ERROR(add(e));
        return Status::Ok();
      }
    }
    *rule = "count.field.missing";
    *path = field_path_;
    return DataError(v ? "field is not a string or an array of strings" : "field is missing");
  }

  const Tokenizer& tok_;
  SpecialMode mode_;
  Framing framing_;
  std::vector<PathStep> field_;
  std::string field_path_;  // field_ as text, for messages (formatted once, not per record)
  price::CountFn count_;
};

// ---- Report -------------------------------------------------------------------------------------------

using Alloc = rapidjson::Document::AllocatorType;

rapidjson::Value Str(std::string_view s, Alloc& a) {
  return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

uint64_t GetU(const rapidjson::Value& obj, const char* key) {
  const rapidjson::Value* v = MemberOf(obj, key);
  return v && v->IsUint64() ? v->GetUint64() : 0;
}

// Recomputes "derived" from counts and the exact histogram (also after `ftprep merge`).
void DeriveCount(rapidjson::Document& r) {
  auto& a = r.GetAllocator();
  if (r.HasMember("derived")) r.RemoveMember("derived");
  rapidjson::Value d(rapidjson::kObjectType);
  const rapidjson::Value* counts = MemberOf(r, "counts");
  const rapidjson::Value* hists = MemberOf(r, "histograms");
  const rapidjson::Value* h = hists ? MemberOf(*hists, "tokens_per_example") : nullptr;
  uint64_t counted = counts ? GetU(*counts, "examples") : 0;
  uint64_t tokens = counts ? GetU(*counts, "tokens") : 0;
  double mean = counted ? double(tokens) / double(counted) : 0.0;
  d.AddMember("mean", std::round(mean * 10) / 10, a);
  const std::pair<const char*, int> pcts[] = {{"p5", 5},   {"p10", 10}, {"p50", 50},
                                              {"p90", 90}, {"p95", 95}, {"p99", 99}};
  for (const auto& [k, p] : pcts) {
    d.AddMember(rapidjson::StringRef(k),
                rapidjson::Value(h ? static_cast<uint64_t>(HistogramPercentile(*h, p)) : uint64_t{0}), a);
  }
  r.AddMember("derived", d, a);
}

const bool kDeriverRegistered = (RegisterReportDeriver("count", &DeriveCount), true);

void BuildReport(const Options& o, const Tokenizer& tok, int64_t cap, const std::vector<std::string>& inputs,
                 const Totals& t, rapidjson::Document* r) {
  r->SetObject();
  auto& a = r->GetAllocator();
  r->AddMember("tool", "count", a);
  r->AddMember("version", 1, a);
  r->AddMember("encoding", Str(tok.name(), a), a);
  r->AddMember("model", Str(o.model, a), a);
  r->AddMember("framing", Str(o.field.empty() ? o.framing : "none", a), a);
  r->AddMember("special", Str(o.special, a), a);
  r->AddMember("field", Str(o.field, a), a);
  r->AddMember("max_tokens", cap, a);
  rapidjson::Value in(rapidjson::kArrayType);
  for (const auto& f : inputs) in.PushBack(Str(f, a), a);
  r->AddMember("inputs", in, a);
  rapidjson::Value c(rapidjson::kObjectType);
  c.AddMember("records", t.records, a);
  c.AddMember("examples", t.counted, a);
  c.AddMember("bad_records", t.bad, a);
  c.AddMember("tokens", t.tokens, a);
  c.AddMember("billed_tokens_per_epoch", t.billed, a);
  c.AddMember("trained_tokens", t.trained, a);
  c.AddMember("other_tokens", t.tokens - t.trained, a);
  c.AddMember("framing_tokens", t.framing, a);
  c.AddMember("over_limit", t.over, a);
  c.AddMember("image_parts_not_counted", t.images, a);
  r->AddMember("counts", c, a);
  rapidjson::Value h(rapidjson::kObjectType);
  for (const auto& [k, n] : t.hist) h.AddMember(Str(std::to_string(k), a), rapidjson::Value(n), a);
  rapidjson::Value hs(rapidjson::kObjectType);
  hs.AddMember("tokens_per_example", h, a);
  r->AddMember("histograms", hs, a);
  rapidjson::Value mn(rapidjson::kObjectType), mx(rapidjson::kObjectType);
  if (!t.hist.empty()) {
    mn.AddMember("tokens_per_example", t.hist.begin()->first, a);
    mx.AddMember("tokens_per_example", t.hist.rbegin()->first, a);
  }
  r->AddMember("min", mn, a);
  r->AddMember("max", mx, a);
  rapidjson::Value f(rapidjson::kArrayType);
  for (const auto& e : t.over_listed) {
    rapidjson::Value x(rapidjson::kObjectType);
    x.AddMember("rule", "count.over_limit", a);
    x.AddMember("file", Str(e.file, a), a);
    x.AddMember("line", e.line, a);
    x.AddMember("tokens", e.tokens, a);
    f.PushBack(x, a);
  }
  r->AddMember("findings", f, a);
  // Only the first --max-listed are listed; `ftprep merge` keeps as many.
  rapidjson::Value caps(rapidjson::kObjectType);
  caps.AddMember("count.over_limit", static_cast<uint64_t>(o.max_listed), a);
  r->AddMember("findings_per_rule", caps, a);
  DeriveCount(*r);
}

// The human summary, from the report (so a merged report would print the same way).
std::string Summary(const rapidjson::Document& r) {
  const rapidjson::Value& c = r["counts"];
  const rapidjson::Value& d = r["derived"];
  auto u = [&](const rapidjson::Value& o, const char* k) { return std::to_string(GetU(o, k)); };
  std::string s;
  std::string what = std::string(r["encoding"].GetString());
  if (r["model"].GetStringLength()) what = "model " + std::string(r["model"].GetString()) + ", " + what;
  std::string framing = r["framing"].GetString();
  s += "records        " + u(c, "records") + " (" + u(c, "examples") + " counted, " + u(c, "bad_records") +
       " could not be counted)\n";
  const bool framed = framing == "chat" && GetU(c, "framing_tokens") > 0;
  s += "encoding       " + what + (framed ? "; chat framing per OpenAI's cookbook (an estimate)" : "") + "\n";
  s += "tokens         " + u(c, "tokens");
  if (framed) s += " (" + u(c, "framing_tokens") + " of them framing)";
  s += "\n";
  int64_t cap = r["max_tokens"].GetInt64();
  s += "billed/epoch   " + u(c, "billed_tokens_per_epoch") +
       (cap > 0 ? " (each example capped at " + std::to_string(cap) + ")"
                : " (no cap: unknown training context)") +
       "\n";
  if (GetU(c, "examples")) {
    char mean[64];
    std::snprintf(mean, sizeof mean, "%.1f", d["mean"].GetDouble());
    s += "per example    min " + u(r["min"], "tokens_per_example") + "  mean " + mean + "  p5 " + u(d, "p5") +
         "  p10 " + u(d, "p10") + "  p50 " + u(d, "p50") + "  p90 " + u(d, "p90") + "  p95 " + u(d, "p95") +
         "  p99 " + u(d, "p99") + "  max " + u(r["max"], "tokens_per_example") + "\n";
  }
  s += "trained        " + u(c, "trained_tokens") + " (assistant turns, completions, chosen outputs)  rest " +
       u(c, "other_tokens") + "\n";
  if (cap > 0) {
    s += "over limit     " + u(c, "over_limit");
    const auto& f = r["findings"];
    if (f.Size()) {
      s += ":";
      for (const auto& e : f.GetArray()) {
        s += " " + std::string(e["file"].GetString()) + ":" + std::to_string(e["line"].GetUint64()) + " (" +
             std::to_string(e["tokens"].GetUint64()) + ")";
      }
      if (GetU(c, "over_limit") > f.Size()) s += " ...";
    }
    s += "\n";
  }
  if (GetU(c, "image_parts_not_counted"))
    s += "not counted    " + u(c, "image_parts_not_counted") +
         " image parts (their tokens depend on size/detail)\n";

  // Histogram: linear buckets chosen for the data (the same ones as the --html page).
  LinearBuckets h = ChooseLinearBuckets(r["histograms"]["tokens_per_example"]);
  uint64_t most = 0;
  for (uint64_t n : h.counts) most = std::max(most, n);
  if (!h.counts.empty()) s += "histogram      tokens per example\n";
  for (size_t i = 0; i < h.counts.size(); ++i) {
    unsigned long long lo = h.lo + i * h.width, hi = lo + h.width - 1;
    char line[128];
    std::snprintf(line, sizeof line, "  %8llu-%-8llu ", lo, hi);
    size_t bar = most ? static_cast<size_t>((h.counts[i] * 40 + most - 1) / most) : 0;
    s += line + std::string(bar, '#') + (bar ? " " : "") + std::to_string(h.counts[i]) + "\n";
  }
  return s;
}

// Counts each record on a worker; totals, histogram, over-limit list and --each lines in input order.
class CountStage : public Stage {
 public:
  CountStage(const Counter& counter, const Options& o, int64_t cap, Output* each)
      : counter_(counter), o_(o), cap_(cap), each_(each) {}
  Totals t;

  Status Start(size_t workers) override {
    roles_ = std::vector<price::RoleTokenCache>(workers);
    return Status::Ok();
  }

  void Process(Record& rec, Outcome* out, size_t worker) override {
    out->excerpt = true;
    if (!rec.parse_ok()) return out->Reject("count.json", "not a JSON object");
    RecordCount rc;
    std::string rule, path;
    Status st = counter_.Count(rec.doc(), &rc, &rule, &path, worker < roles_.size() ? &roles_[worker] : nullptr);
    if (!st.ok()) {
      if (st.code() != Code::kData) out->error = st;
      return out->Reject(rule.empty() ? "count.error" : rule, st.message(), path);
    }
    out->value[0] = int64_t(rc.tokens), out->value[1] = int64_t(rc.trained);
    out->value[2] = int64_t(rc.framing), out->value[3] = int64_t(rc.images);
    if (o_.annotate) {
      rapidjson::Document& doc = rec.doc();
      auto it = doc.FindMember("n_tokens");
      if (it != doc.MemberEnd()) {
        it->value.SetUint64(rc.tokens);
      } else {
        doc.AddMember("n_tokens", rapidjson::Value(rc.tokens), doc.GetAllocator());
      }
      rec.Touch();
      out->verdict = Verdict::kChange;
    }
  }

  Status Consume(Record& rec, Outcome& out) override {
    ++t.records;
    if (out.verdict == Verdict::kReject) {
      ++t.bad;
      return each_ ? EachLine("ERR\n") : Status::Ok();
    }
    uint64_t tokens = uint64_t(out.value[0]);
    t.bytes += rec.raw().size();
    ++t.counted;
    t.tokens += tokens;
    t.trained += uint64_t(out.value[1]);
    t.framing += uint64_t(out.value[2]);
    t.images += uint64_t(out.value[3]);
    t.Add(tokens);
    if (cap_ > 0 && tokens > uint64_t(cap_)) {
      ++t.over;
      t.billed += uint64_t(cap_);
      if (t.over_listed.size() < o_.max_listed) t.over_listed.push_back({rec.loc.file, rec.loc.line, tokens});
    } else {
      t.billed += tokens;
    }
    if (!each_) return Status::Ok();
    // The number goes straight into the buffer (room for 20 digits and the newline is kept free).
    char* end = std::to_chars(each_buf_ + each_len_, each_buf_ + each_len_ + 20, tokens).ptr;
    *end++ = '\n';
    each_len_ = size_t(end - each_buf_);
    return each_len_ + 24 > sizeof each_buf_ ? FlushEach() : Status::Ok();
  }

  // What is left of the --each lines; call once after the run, before committing the output.
  Status FlushEach() {
    if (!each_ || each_len_ == 0) return Status::Ok();
    Status s = each_->Write(std::string_view(each_buf_, each_len_));
    each_len_ = 0;
    return s;
  }

 private:
  // --each lines are gathered here and written 64 KiB at a time (a Write per record cost more than the
  // line itself). Always at least 24 bytes free after a line.
  Status EachLine(std::string_view line) {
    std::memcpy(each_buf_ + each_len_, line.data(), line.size());
    each_len_ += line.size();
    return each_len_ + 24 > sizeof each_buf_ ? FlushEach() : Status::Ok();
  }

  const Counter& counter_;
  const Options& o_;
  int64_t cap_;
  Output* each_;
  std::vector<price::RoleTokenCache> roles_;  // per worker: role token counts (one CountFn for the run)
  char each_buf_[size_t{64} << 10];
  size_t each_len_ = 0;
};

// Checks the options; picks the tokenizer (-e, else the model's, else o200k_base) and the cap.
Status Setup(const Options& o, SpecialMode* mode, const Tokenizer** tok, int64_t* cap, std::vector<PathStep>* steps) {
  if (int(o.each) + int(o.annotate) + int(o.json) > 1)
    return UsageError("--each, --annotate and --json all write to stdout; choose one (--report FILE also works)");
  if (o.framing != "chat" && o.framing != "none")
    return UsageError("--framing must be chat or none, not '" + o.framing + "'");
  const std::map<std::string, SpecialMode> modes = {
      {"ordinary", SpecialMode::kOrdinary}, {"all", SpecialMode::kAll}, {"strict", SpecialMode::kStrict}};
  if (!modes.count(o.special)) return UsageError("--special must be ordinary, all or strict, not '" + o.special + "'");
  *mode = modes.at(o.special);
  if (o.max_tokens < 0) return UsageError("--max-tokens must be positive");
  std::string enc = o.encoding;
  if (enc.empty() && !o.model.empty()) {
    auto e = Tokenizer::EncodingForModel(o.model);
    if (!e.ok()) return Status(Code::kUsage, e.status().message());
    enc = *e;
  }
  auto t = Tokenizer::Get(enc.empty() ? "o200k_base" : enc);
  if (!t.ok()) return Status(Code::kUsage, t.status().message());
  *tok = *t;
  *cap = o.max_tokens;
  if (*cap == 0 && !o.model.empty()) {
    auto table = price::PriceTable::BuiltIn();
    auto today = price::Today();
    if (!today.ok()) return today.status();
    if (table.ok()) {
      auto entry = table->Find(o.model, *today);
      if (entry.ok()) *cap = (*entry)->training_context;
    }
  }
  if (o.field.empty()) return Status::Ok();
  auto p = ParsePath(o.field);
  if (!p.ok()) return Status(Code::kUsage, "--field: " + p.status().message());
  *steps = *p;
  if (steps->empty()) return UsageError("--field needs a path, e.g. text or messages[0].content");
  return Status::Ok();
}

// The JSON report to --report, and the summary (or the report with --json) to -o (default stdout).
Status WriteResults(const Options& o, const CommonFlags& c, const Tokenizer& tok, int64_t cap, const Totals& t) {
  rapidjson::Document report;
  BuildReport(o, tok, cap, c.inputs.empty() ? std::vector<std::string>{"-"} : c.inputs, t, &report);
  if (!c.report.empty()) FTPREP_RETURN_IF_ERROR(WriteReport(report, c.report, c.output_options()));
  if (!c.html.empty()) FTPREP_RETURN_IF_ERROR(WriteHtmlReport(report, c.html, c.output_options()));
  if (o.json) return WriteReport(report, c.output, c.output_options());
  if (o.each || o.annotate || c.quiet) return Status::Ok();
  auto so = Output::Open(c.output, c.output_options());
  if (!so.ok()) return so.status();
  FTPREP_RETURN_IF_ERROR((*so)->Write(Summary(report)));
  return (*so)->Commit();
}

}  // namespace

Status CountMain(int argc, char** argv) {
  ToolCli cli("count", kUsage, kFlagsStream | kFlagJobs | kFlagQuiet | kFlagShown | kFlagHtml);
  Options o;
  cli.Add()("model,m", po::value<std::string>(&o.model), "model")(
      "tokenizer", po::value<std::string>(&o.encoding), "encoding")(
      "field", po::value<std::string>(&o.field), "field")("framing", po::value<std::string>(&o.framing), "framing")(
      "special", po::value<std::string>(&o.special), "special")("max-tokens", po::value<int64_t>(&o.max_tokens), "cap")(
      "each", po::bool_switch(&o.each), "each")("annotate", po::bool_switch(&o.annotate), "annotate")(
      "json", po::bool_switch(&o.json), "json");
  cli.Hidden()("encoding,e", po::value<std::string>(&o.encoding), "encoding");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok() || !*parsed) return parsed.status();
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  o.max_listed = cli.common.max_shown;
  SpecialMode mode = SpecialMode::kOrdinary;
  const Tokenizer* tok = nullptr;
  int64_t cap = 0;
  std::vector<PathStep> steps;
  FTPREP_RETURN_IF_ERROR(Setup(o, &mode, &tok, &cap, &steps));
  Counter counter(*tok, mode, o.field.empty() && o.framing == "chat" ? Framing::kChat : Framing::kNone, steps);
  Pipeline p(cli.common, cli.common.jobs);
  std::unique_ptr<Output> each;
  if (o.annotate) FTPREP_RETURN_IF_ERROR(p.OpenOutput("jsonl"));
  if (o.each) {
    auto w = Output::Open(cli.common.output, cli.common.output_options());
    if (!w.ok()) return w.status();
    each = std::move(*w);
  }
  CountStage stage(counter, o, cap, each.get());
  Status run = p.Run(&stage);
  // The --each lines of the records counted so far go to the output also after an error: stdout cannot be
  // rolled back, and what was accepted goes out whole (Output's destructor flushes it).
  Status flushed = stage.FlushEach();
  FTPREP_RETURN_IF_ERROR(run);
  FTPREP_RETURN_IF_ERROR(flushed);
  FTPREP_RETURN_IF_ERROR(p.Commit());
  if (each) FTPREP_RETURN_IF_ERROR(each->Commit());
  p.diag().PrintSuppressed();
  stage.t.Fold();
  FTPREP_RETURN_IF_ERROR(WriteResults(o, cli.common, *tok, cap, stage.t));
  if (stage.t.bad > 0) {
    return DataError(std::to_string(stage.t.bad) + " of " + std::to_string(stage.t.records) +
                     " records could not be counted");
  }
  return Status::Ok();
}

}  // namespace ftprep
