// ftprep split — train/valid/test by ratio or count, nested subsets, stratified, grouped and hash-stable
// splits of any input, seeded and platform-independent, in bounded memory.
#include <rapidjson/document.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli.h"
#include "html.h"
#include "diag.h"
#include "ftprep/writer.h"
#include "report.h"
#include "split/plan.h"
#include "split/summary.h"
#include "split/run.h"
#include "split/tokens.h"
#include "pipeline.h"
#include "schema.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep split MODE [options] [FILE...]

Splits the records of FILE (any format; '-' or none = stdin) into train/valid/test files, or samples or
shuffles them. Records pass through byte for byte (JSONL out, one record per line). Every random choice comes
from --seed through a documented generator (splitmix64 + xoshiro256**, Fisher-Yates, rejection sampling), so
the same seed gives byte-identical output on every platform.

modes (exactly one):
  --ratio R,R[,R...]      split sizes by ratio, e.g. 0.8,0.1,0.1 (or percentages 80,10,10); sizes are
                          floor(r*n) plus largest remainders when the ratios sum to 1; a smaller sum drops the
                          rest
  --counts N,N[,...]      exact split sizes; one of them may be 'rest' (e.g. --counts 1000,200,rest)
  --holdout legacy        prepare_data's split: valid = min(1000, n - floor(0.8 n)), train = the rest
  --nested N,N,...        nested training sets (each smaller one inside the larger ones) plus one shared test
  --test N                  set of N records (with --nested) that overlaps none of them; e.g.
                            --nested 1000,10000,100000 --test 2000; written in one random order, so the
                            smaller files are prefixes of the larger ones
  --sample N              N records chosen uniformly (seeded reservoir sampling)
  --sample-fraction F     round(F*n) records chosen uniformly
  --shuffle               all records in a seeded random order (alone); with --by-hash: shuffle the output

keys (at most one; PATH like label, meta.conversation_id, messages[0].content):
  --stratify PATH         every split keeps the label proportions of the input: each label's count in each
                          split is within 1 record of its exact share (with --ratio/--counts/--holdout)
  --group PATH            all records with the same key go to the same split (sizes then match the ratios
                          to within half the largest group)
  --by-hash PATH          with --ratio: a record's split depends only on hash(key, seed), so it is stable when
                          data is appended and the same whether the input is split whole or in shards; records
                          stream through in input order
  A record without a value at PATH is rejected (error[split.key.missing]); exit code 1.

options:
  -o, --output PATTERN    where splits go; {split} is replaced by the split name (e.g. -o data_{split}.jsonl);
                          a single output may be a plain file or '-' (stdout, the default)
  --names A,B,...         split names (default train,valid,test; nested: train_<N>...,test; sample: sample)
  --seed N                random seed (default 42; printed in the summary)
  --keep-order            keep input order inside each split (default: seeded random order)
  --report FILE           JSON report (counts and bytes per split; mergeable with ftprep merge)
  --html FILE             the report as one self-contained HTML page (where the records went)
  -m, --model NAME        model whose encoding counts the tokens of each split (e.g. gpt-4.1-mini)
  --tokenizer NAME        encoding for token totals (default o200k_base; -e/--encoding is the old
                          spelling); chat framing as OpenAI's cookbook; records of an unknown shape are
                          counted as "untokenized"; a record with content that cannot be read (a text part
                          without a "text" string) is split as usual but reported (content.unreadable), not
                          counted as zero tokens, and the exit code is 1
  --no-tokens             skip token totals (saves parsing every record)
  --tmp-dir DIR           where the spool file goes (default $TMPDIR, else /tmp)
  --rejects FILE          write rejected records, with their errors, as JSONL
  --force                 overwrite existing output/--rejects/--report files (never an input)
  --format NAME           input format (default: from the extension, else sniffed)
  --format-opt KEY=VALUE  option for the format reader
  --max-record-bytes N    longest record accepted (default 64M)
  --progress MODE         never|always|auto
  --plugin-path DIR       load plugins from DIR as well
  --max-shown N           problems shown per rule on stderr (default 20; all are counted)
  -q, --quiet             only errors on stderr (no summary)
  -j, --jobs N            read keys and count tokens on N threads (default: the number of cores); the
                          splits, the summary and the report are the same for every N

memory: the input is read once into a spool (in memory up to 32 MiB, then an unlinked temporary file; stdin
too) and written out by offsets, so files larger than memory work. Memory per record: 13 bytes (8 offset,
1 split, 4 order) for --ratio/--counts/--holdout/--sample-fraction/--shuffle and --nested; 9 with
--keep-order; token totals (the default) add 4; --stratify and --group add 4 while planning, --group ~24
per distinct group; --sample N: 8 per record + 4 per sampled one; --by-hash (without --shuffle): nothing
per record, no spool. Plus the 32 MiB spool buffer and a few MiB of I/O buffers (measured: 1.05M records /
1.29 GB -> 51-65 MB peak RSS).

exit codes: 0 ok; 1 some records were rejected (bad JSON, no key) or had content that cannot be read (the
splits are still written); 2 usage, I/O or internal error (nothing is written); 130 interrupted (nothing
written).

examples:
  ftprep split --ratio 0.8,0.1,0.1 --seed 7 -o data_{split}.jsonl data.jsonl
  ftprep split --nested 1000,10000,100000 --test 2000 -o exp_{split}.jsonl data.jsonl
  ftprep split --ratio 0.9,0.1 --by-hash meta.conversation_id -o part1_{split}.jsonl shard1.jsonl
)";

Result<std::vector<std::string>> SplitList(const std::string& s, const char* what) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t c = s.find(',', start);
    std::string item = s.substr(start, c == std::string::npos ? std::string::npos : c - start);
    if (item.empty()) return UsageError(std::string("empty item in ") + what + " '" + s + "'");
    out.push_back(item);
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

Result<uint64_t> ParseCount(const std::string& s, const char* what) {
  size_t pos = 0;
  unsigned long long v = 0;
  bool ok = !s.empty() && s[0] != '-' && s[0] != '+';
  if (ok) {
    try {
      v = std::stoull(s, &pos);
    } catch (...) {
      ok = false;
    }
  }
  if (!ok || pos != s.size()) return UsageError(std::string(what) + ": not a count: '" + s + "'");
  return static_cast<uint64_t>(v);
}

Result<double> ParseRatio(const std::string& s) {
  size_t pos = 0;
  double v = 0;
  try {
    v = std::stod(s, &pos);
  } catch (...) {
    pos = 0;
  }
  if (pos != s.size() || !(v >= 0)) return UsageError("--ratio: not a ratio: '" + s + "'");
  return v;
}

// Builds the option struct from the command line; `mode_count` must come out as 1.
Status ParseModes(const ToolCli& cli, const std::string& ratio, const std::string& counts, const std::string& holdout,
                  const std::string& nested, bool shuffle, split::SplitOptions* o) {
  int modes = 0;
  if (cli.Given("ratio")) {
    ++modes;
    o->mode = split::Mode::kRatio;
    auto items = SplitList(ratio, "--ratio");
    if (!items.ok()) return items.status();
    double sum = 0;
    for (const auto& it : *items) {
      auto r = ParseRatio(it);
      if (!r.ok()) return r.status();
      o->ratios.push_back(*r);
      sum += *r;
    }
    if (sum > 1.000001) {  // percentages
      if (sum > 100.000001) return UsageError("--ratio: the ratios sum to more than 1 (or 100%)");
      for (double& r : o->ratios) r /= 100;
    }
  }
  if (cli.Given("counts")) {
    ++modes;
    o->mode = split::Mode::kCounts;
    auto items = SplitList(counts, "--counts");
    if (!items.ok()) return items.status();
    for (const auto& it : *items) {
      if (it == "rest") {
        o->counts.push_back(split::kRest);
        continue;
      }
      auto c = ParseCount(it, "--counts");
      if (!c.ok()) return c.status();
      o->counts.push_back(static_cast<int64_t>(*c));
    }
  }
  if (cli.Given("holdout")) {
    ++modes;
    if (holdout != "legacy") return UsageError("--holdout: only 'legacy' is known (prepare_data's rule)");
    o->mode = split::Mode::kHoldout;
  }
  if (cli.Given("nested")) {
    ++modes;
    o->mode = split::Mode::kNested;
    auto items = SplitList(nested, "--nested");
    if (!items.ok()) return items.status();
    for (const auto& it : *items) {
      auto c = ParseCount(it, "--nested");
      if (!c.ok()) return c.status();
      o->nested.push_back(*c);
    }
    if (!cli.Given("test")) return UsageError("--nested needs --test N (the shared test set; 0 for none)");
  } else if (cli.Given("test")) {
    return UsageError("--test goes with --nested");
  }
  if (cli.Given("sample")) {
    ++modes;
    o->mode = split::Mode::kSample;
  }
  if (cli.Given("sample-fraction")) {
    ++modes;
    o->mode = split::Mode::kSampleFraction;
  }
  if (shuffle && modes == 0) {
    ++modes;
    o->mode = split::Mode::kShuffle;
  }
  if (modes == 0) {
    return UsageError(
        "choose a mode: --ratio, --counts, --holdout legacy, --nested, --sample, --sample-fraction or --shuffle "
        "(see 'ftprep split --help')");
  }
  if (modes > 1) return UsageError("choose one mode of --ratio, --counts, --holdout, --nested, --sample(-fraction)");
  if (shuffle && o->mode != split::Mode::kShuffle && o->by_hash.empty()) {
    return UsageError("--shuffle goes alone or with --by-hash (the other modes shuffle already; see --keep-order)");
  }
  if (shuffle && cli.Given("keep-order")) return UsageError("--shuffle and --keep-order contradict each other");
  return Status::Ok();
}

std::vector<std::string> DefaultNames(const split::SplitOptions& o) {
  std::vector<std::string> names;
  switch (o.mode) {
    case split::Mode::kNested:
      for (uint64_t n : o.nested) names.push_back("train_" + std::to_string(n));
      names.push_back("test");
      return names;
    case split::Mode::kSample:
    case split::Mode::kSampleFraction:
      return {"sample"};
    case split::Mode::kShuffle:
      return {"shuffled"};
    default:
      break;
  }
  const char* base[] = {"train", "valid", "test"};
  for (size_t i = 0; i < split::OutputCount(o); ++i) {
    names.push_back(i < 3 ? base[i] : "split" + std::to_string(i + 1));
  }
  return names;
}

// The output paths: -o with {split} replaced by each split's name (default or --names).
Status OutputPaths(const ToolCli& cli, const split::SplitOptions& o, const std::string& names,
                   std::vector<std::string>* split_names, std::vector<std::string>* paths) {
  const size_t outs = split::OutputCount(o);
  *split_names = DefaultNames(o);
  if (cli.Given("names")) {
    auto n = SplitList(names, "--names");
    if (!n.ok()) return n.status();
    if (n->size() != outs) {
      return UsageError("--names gives " + std::to_string(n->size()) + " names for " + std::to_string(outs) +
                        " outputs");
    }
    *split_names = *n;
  }
  for (size_t i = 0; i < outs; ++i) {
    for (size_t j = 0; j < i; ++j) {
      if ((*split_names)[i] == (*split_names)[j]) {
        return UsageError("split name '" + (*split_names)[i] + "' given twice");
      }
    }
  }
  const std::string& pattern = cli.common.output;
  if (outs > 1 && pattern.find("{split}") == std::string::npos) {
    return UsageError(std::to_string(outs) + " splits need -o with {split} in it, e.g. -o data_{split}.jsonl");
  }
  for (const auto& name : *split_names) {
    std::string p = pattern;
    for (size_t at; (at = p.find("{split}")) != std::string::npos;) p.replace(at, 7, name);
    paths->push_back(p);
  }
  return Status::Ok();
}

// Per record on a worker: the key and the token count; in input order: the split (spool or stream).
class SplitStage : public Stage {
 public:
  SplitStage(split::Splitter& splitter, const split::RecordCounter* counter)
      : splitter_(splitter), counter_(counter) {}

  void Process(Record& rec, Outcome* out, size_t) override {
    out->excerpt = true;
    const split::KeyPath* key = splitter_.key();
    if (key != nullptr && !key->Extract(rec, &out->text)) {
      return out->Reject("split.key.missing", "no key value", key->text());
    }
    if (counter_ == nullptr) return;
    if (!rec.parse_ok()) {
      out->value[0] = split::kUntokenized;
      return;
    }
    std::string message, path;
    auto n = counter_->Count(rec.doc(), &message, &path);
    if (!n.ok()) {
      out->error = n.status();
      return;
    }
    out->value[0] = *n;
    // The record still goes to its split (its bytes pass through); only its tokens are unknown.
    if (*n == split::kUnreadable) out->findings.push_back({kUnreadableRule, Severity::kError, path, message, 0});
  }

  Status Consume(Record& rec, Outcome& out) override {
    if (out.verdict == Verdict::kReject) {
      splitter_.Reject();
      return Status::Ok();
    }
    return splitter_.Add(rec.json(), out.text, static_cast<uint32_t>(out.value[0]));
  }

 private:
  split::Splitter& splitter_;
  const split::RecordCounter* counter_;
};

// The summary: on stdout unless a split went there.
void PrintSummary(const split::SplitOptions& o, const std::vector<std::string>& names,
                  const std::vector<std::string>& paths, const split::SplitStats& stats,
                  const split::RecordCounter* counter, bool to_stdout) {
  std::string s = "ftprep split: " + std::to_string(stats.records_in) + " records read, " +
                  std::to_string(stats.rejected) + " rejected, " + std::to_string(stats.dropped) +
                  " in no split; mode " + split::ModeName(o.mode) + ", seed " + std::to_string(o.seed) + ", " +
                  (o.keep_order ? "input order" : "shuffled") + (stats.streamed ? ", streamed" : "") + "\n";
  for (size_t i = 0; i < names.size(); ++i) {
    char line[512];
    std::snprintf(line, sizeof line, "  %-12s %10llu records %14llu bytes", names[i].c_str(),
                  static_cast<unsigned long long>(stats.records[i]), static_cast<unsigned long long>(stats.bytes[i]));
    s += line;
    if (counter) {
      std::snprintf(line, sizeof line, " %14llu tokens", static_cast<unsigned long long>(stats.tokens[i]));
      s += line;
    }
    s += std::string("  -> ") + (paths[i] == "-" ? "<stdout>" : paths[i]) + "\n";
  }
  if (stats.keys > 0) {
    s += "  " + std::to_string(stats.keys) + " distinct " + (o.group.empty() ? "labels" : "groups") + "\n";
  }
  if (counter) {
    uint64_t untok = 0;
    for (uint64_t u : stats.untokenized) untok += u;
    untok -= stats.unreadable_written;
    s += "  tokens: " + counter->encoding() + ", chat framing as OpenAI's cookbook";
    if (untok > 0) s += "; " + std::to_string(untok) + " records of an unknown shape not counted";
    if (stats.unreadable_written > 0) {
      s += "; " + std::to_string(stats.unreadable_written) + " records with content that cannot be read not counted";
    }
    s += "\n";
  }
  std::fputs(s.c_str(), to_stdout ? stdout : stderr);
}

// Exit 1 when records were rejected (not in any split) or some content could not be read (its tokens are
// missing from the totals); the splits are written either way.
Status ExitStatus(const split::SplitStats& stats, const std::string& rejects) {
  std::string msg;
  if (stats.rejected > 0) {
    msg = std::to_string(stats.rejected) + " record" + (stats.rejected == 1 ? "" : "s") + " rejected (not in any split)";
    if (!rejects.empty()) msg += "; written to " + rejects;
  }
  if (stats.unreadable > 0) {
    msg += std::string(msg.empty() ? "" : "; ") + std::to_string(stats.unreadable) + " record" +
           (stats.unreadable == 1 ? "" : "s") + " with content that cannot be read (" + kUnreadableRule +
           "): split, but their tokens are not counted";
  }
  return msg.empty() ? Status::Ok() : DataError(msg);
}

}  // namespace

Status SplitMain(int argc, char** argv) {
  ToolCli cli("split", kUsage, kFlagsStream | kFlagShown | kFlagHtml | kFlagJobs | kFlagQuiet);
  split::SplitOptions o;
  std::string ratio, counts, holdout, nested, names, model, encoding = "o200k_base";
  bool shuffle = false, no_tokens = false;
  cli.Add()("ratio", po::value<std::string>(&ratio), "ratios")("counts", po::value<std::string>(&counts), "counts")(
      "holdout", po::value<std::string>(&holdout), "legacy")("nested", po::value<std::string>(&nested), "sizes")(
      "test", po::value<uint64_t>(&o.test), "test size")("sample", po::value<uint64_t>(&o.sample), "n")(
      "sample-fraction", po::value<double>(&o.fraction), "f")("shuffle", po::bool_switch(&shuffle), "shuffle")(
      "stratify", po::value<std::string>(&o.stratify), "path")("group", po::value<std::string>(&o.group), "path")(
      "by-hash", po::value<std::string>(&o.by_hash), "path")("names", po::value<std::string>(&names), "names")(
      "seed", po::value<uint64_t>(&o.seed), "seed")("keep-order", po::bool_switch(&o.keep_order), "keep order")(
      "model,m", po::value<std::string>(&model), "model")("tokenizer", po::value<std::string>(&encoding), "encoding")(
      "no-tokens", po::bool_switch(&no_tokens), "no tokens")("tmp-dir", po::value<std::string>(&o.tmp_dir), "dir");
  cli.Hidden()("encoding,e", po::value<std::string>(&encoding), "encoding");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok() || !*parsed) return parsed.status();
  FTPREP_RETURN_IF_ERROR(ParseModes(cli, ratio, counts, holdout, nested, shuffle, &o));
  // --by-hash streams in input order unless asked to shuffle: that is what makes shards concatenate.
  if (!o.by_hash.empty()) o.keep_order = !shuffle;
  FTPREP_RETURN_IF_ERROR(split::CheckOptions(o));
  std::vector<std::string> split_names, paths;
  FTPREP_RETURN_IF_ERROR(OutputPaths(cli, o, names, &split_names, &paths));
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs(paths));  // before anything is read
  std::optional<split::RecordCounter> counter;
  if (!no_tokens) {
    if (cli.Given("model") && (cli.Given("tokenizer") || cli.Given("encoding"))) {
      return UsageError("give --model or --tokenizer, not both");
    }
    auto c = split::RecordCounter::Create(model, encoding);
    if (!c.ok()) return c.status();
    counter = std::move(*c);
  }
  std::vector<std::unique_ptr<Output>> outputs;
  for (const auto& p : paths) {
    auto out = Output::Open(p, cli.common.output_options());
    if (!out.ok()) return out.status();
    outputs.push_back(std::move(*out));
  }
  std::vector<Output*> outs;
  for (auto& out : outputs) outs.push_back(out.get());
  split::Splitter splitter(o, outs, counter.has_value());
  FTPREP_RETURN_IF_ERROR(splitter.Start());
  Pipeline p(cli.common, cli.common.jobs);
  p.diag().set_max_per_rule(cli.common.max_shown);
  SplitStage stage(splitter, counter ? &*counter : nullptr);
  FTPREP_RETURN_IF_ERROR(p.Run(&stage));
  FTPREP_RETURN_IF_ERROR(splitter.Finish());
  for (auto& out : outputs) FTPREP_RETURN_IF_ERROR(out->Commit());
  FTPREP_RETURN_IF_ERROR(p.Commit());
  p.diag().PrintSuppressed();
  const split::SplitStats& stats = splitter.stats();
  bool to_stdout = true;
  for (const auto& out : outputs) to_stdout = to_stdout && !out->is_stdout();
  if (!cli.common.quiet) PrintSummary(o, split_names, paths, stats, counter ? &*counter : nullptr, to_stdout);
  if (!cli.common.report.empty() || !cli.common.html.empty()) {
    rapidjson::Document r = split::BuildReport(o, split_names, stats, counter ? counter->encoding() : "");
    const auto oo = cli.common.output_options();
    if (!cli.common.report.empty()) FTPREP_RETURN_IF_ERROR(WriteReport(r, cli.common.report, oo));
    if (!cli.common.html.empty()) FTPREP_RETURN_IF_ERROR(WriteHtmlReport(r, cli.common.html, oo));
  }
  return ExitStatus(stats, cli.common.rejects);
}

}  // namespace ftprep
