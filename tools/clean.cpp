// ftprep clean — normalises, filters, redacts and deduplicates training records; every change is counted.
#include <cstdio>
#include <string>

#include "clean/cleaner.h"
#include "cli.h"
#include "html.h"
#include "diag.h"
#include "ftprep/reader.h"
#include "ftprep/writer.h"
#include "jsonpath.h"
#include "pipeline.h"
#include "report.h"
#include "schema.h"
#include "tools.h"
#include "utf8.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep clean [options] [FILE...]

Cleans the text fields of every record of FILE (any format; '-' or none = stdin): message contents of chat
and preference records, prompt/completion, text_list items, ShareGPT/Alpaca/Gemini texts (or exactly the
--field paths). Cleaned records go to stdout (or -o); records not changed by any step are written byte for
byte as they came. Dropped records go to --rejects with the step that dropped them. Every step is counted
(records changed, records dropped, fields changed) in the stderr summary and in --report, with examples.
The steps are the rules of the built-in `clean_rules` plugin (see `ftprep plugins --rules`); this tool calls
the same library directly, record by record, for speed. Tool-call arguments are only scanned for secrets
and PII. Records are cleaned on --jobs threads; counts, report examples and dedup are decided in input
order, so the output depends only on the input and the options (dedup keeps the same first occurrences for
every number of jobs). For data larger than memory, shard by a hash of the dedup key (see the scale notes in
the README) and run one clean per shard.

text steps, in this order (rule id; default):
  --fix-mojibake            repair UTF-8 read as cp1252 ("â€™" -> "’") when the repair round-trips
                            (clean.mojibake; off)
  --keep-invisible          keep zero-width and bidi controls, BOMs and C0/C1 controls (clean.invisible;
                            default strips them, except tab/newline and ZWJ/ZWNJ inside emoji and scripts)
  --unicode FORM            nfc, nfkc (ICU) or none (clean.unicode; nfc)
  --ascii-quotes            curly quotes and primes -> ' and " (clean.ascii_quotes; off)
  --line-endings MODE       lf: CRLF, CR, U+2028/9 -> LF; keep (clean.line_endings; lf)
  --whitespace MODE         trim: strip each text; collapse: trim, squeeze runs of spaces, drop trailing
                            spaces, at most one blank line, fenced ``` code blocks untouched; keep
                            (clean.whitespace). Default: trim the message texts of chat, preference,
                            ShareGPT, Gemini and Bedrock records; keep the leading/trailing whitespace of
                            prompt/completion, text, text_list and Alpaca texts and of --field paths
                            (there it is meaning: a prompt separator, a completion's leading space or stop
                            sequence). The other default steps touch every shape.
  --lowercase SEL           lower-case selected texts (clean.lowercase)          SEL = a role (prompt,
  --remove-prefix SEL=TEXT  remove TEXT at the start (clean.remove_prefix)       completion, user,
  --remove-common-prefix SEL  remove the prefix all selected texts share          assistant, system, ...)
                            (first pass over FILE; not for stdin)                 or a JSON path
  --add-prefix SEL=TEXT     prepend TEXT unless present, e.g. completion=' ' (clean.add_prefix)
  --add-suffix SEL=TEXT     append TEXT unless present, e.g. prompt='\n\n###\n\n', completion=' END'
                            (clean.add_suffix; '\n' and '\t' in TEXT are escapes)
  --secrets ACTION          off|redact|drop: OpenAI/AWS/GitHub/Slack/Google keys, private key blocks ->
                            [SECRET] (clean.secret; off)
  --pii ACTION              off|redact|drop: emails, phones, Luhn-valid card numbers, IPv4/IPv6 -> [EMAIL]
                            [PHONE] [CREDIT_CARD] [IP] (clean.pii; off)
  --pii-kinds LIST          email,phone,card,ip or all (default all)
  --no-defaults             turn off the default steps (invisible, nfc, line endings, trim, empty drop)

record filters, in this order:
  --refusals                drop records whose trained text holds a refusal/AI-boilerplate phrase
                            (clean.refusal; built-in list, case-insensitive)
  --refusal-file FILE       more phrases, one per line ('#' comments); implies --refusals
  --min-chars N, --max-chars N    length limits in Unicode code points (clean.length)
  --min-tokens N, --max-tokens N  length limits in tokens (each text counted alone, no chat framing)
  --tokenizer NAME          tokenizer: o200k_base (default), cl100k_base, ... or a model name
                            (--encoding is the old spelling)
  --length-per MODE         example (sum of the record's texts; default) or field
  --truncate                cut over-long texts instead of dropping: at a grapheme boundary (chars), or
                            after the last whole token that ends on a grapheme boundary (tokens; never
                            inside a UTF-8 sequence or an emoji); per example the last text is cut
  --keep-empty              keep records whose trained text (assistant turns, completion) is empty or
                            missing (clean.empty; dropped by default)
  --dedup                   drop exact duplicates, keeping the first (clean.dedup.exact). Key: the texts
                            with roles (or --dedup-key), NFKD-folded, case-folded, whitespace-collapsed,
                            hashed to 64 bits. Memory: ~16 bytes per distinct record (8-byte slots, table
                            35-70 % full): 10 M records ~ 160 MB
  --dedup-key PATH          key on these fields instead (repeatable)
  --near-dedup              drop near duplicates (clean.dedup.near): MinHash over word 5-grams, 112
                            permutations, LSH 14 bands x 8 rows, estimated Jaccard >= --near-threshold.
                            Memory: ~400-600 bytes per kept record. Every dropped record names its kept
                            twin in --rejects; --report lists the first 1000 pairs and counts clusters
  --near-threshold X        default 0.8
  --shingle N               words per shingle (default 5)

other options:
  --field PATH              clean exactly these string fields (repeatable) instead of the schema's texts
  --invalid-utf8 MODE       repair (invalid bytes -> U+FFFD, counted as clean.utf8; default) or reject
  --dry-run                 write no records and no rejects; print the summary and write --report
  --max-shown N             examples per step in --report (default 3), and problems shown per rule on
                            stderr (default 20)
  -o, --output FILE         cleaned records (default stdout; written atomically)
  --rejects FILE            dropped and unreadable records as JSONL with the rule and reason (records
                            dropped for secrets/PII are written redacted)
  --report FILE             JSON report: counts per step ("<rule>.changed/.dropped/.fields"), examples and
                            near-duplicate pairs under "findings"; mergeable with `ftprep merge`
  --html FILE               the report as one self-contained HTML page (what each step changed)
  -q, --quiet               only errors on stderr (no summary)
  -j, --jobs N              clean on N threads (default: the number of cores); the same output for every N
  --format NAME, --format-opt KEY=VALUE, --max-record-bytes N, --progress MODE, --plugin-path DIR, --force

A record with a text that cannot be read (a text content part without a "text" string, such as
{"type":"text","value":...}) is reported as unreadable (content.unreadable) when a filter must read its texts
(length, refusals, dedup on the texts, or the empty check would drop it): never measured as empty.

exit codes: 0 done (records dropped by steps are the point of cleaning); 1 some input records were
unreadable (bad JSON, invalid UTF-8 with --invalid-utf8 reject, or content.unreadable); 2 usage, I/O or
internal error; 130 interrupted (nothing written).

example:
  ftprep clean --whitespace collapse --dedup --near-dedup --pii redact --rejects dropped.jsonl \
      --report clean.json data.jsonl -o clean.jsonl
)";

Result<clean::Action> ParseAction(const std::string& flag, const std::string& v) {
  if (v == "off") return clean::Action::kOff;
  if (v == "redact") return clean::Action::kRedact;
  if (v == "drop") return clean::Action::kDrop;
  return UsageError("--" + flag + " takes off, redact or drop (got '" + v + "')");
}

std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[i + 1];
      if (n == 'n') { out.push_back('\n'); ++i; continue; }
      if (n == 't') { out.push_back('\t'); ++i; continue; }
      if (n == '\\') { out.push_back('\\'); ++i; continue; }
    }
    out.push_back(s[i]);
  }
  return out;
}

Status ParseSelTexts(const std::string& flag, const std::vector<std::string>& in,
                     std::vector<std::pair<std::string, std::string>>* out) {
  for (const auto& s : in) {
    size_t eq = s.find('=');
    if (eq == std::string::npos || eq == 0) return UsageError("--" + flag + " takes SEL=TEXT (got '" + s + "')");
    out->push_back({s.substr(0, eq), Unescape(s.substr(eq + 1))});
  }
  return Status::Ok();
}

// --remove-common-prefix: one pass over the inputs to find the prefix every selected text starts with.
Result<std::string> CommonPrefix(const CommonFlags& common, const std::string& sel) {
  for (const auto& in : common.inputs) {
    if (in == "-") return UsageError("--remove-common-prefix needs FILE inputs (it reads them twice), not stdin");
  }
  if (common.inputs.empty()) return UsageError("--remove-common-prefix needs FILE inputs (it reads them twice), not stdin");
  auto reader = OpenReader(common.inputs, common.read_options());
  if (!reader.ok()) return reader.status();
  Record rec;
  bool first = true;
  std::string prefix;
  while ((*reader)->Next(&rec)) {
    if (rec.bad() || !rec.parse_ok()) continue;
    ForEachText(rec.doc(), [&](TextRef& t) {
      if (t.kind != TextKind::kContent || !(t.role == sel || t.path == sel)) return;
      if (first) {
        prefix.assign(t.text);
        first = false;
        return;
      }
      size_t n = 0, m = std::min(prefix.size(), t.text.size());
      while (n < m && prefix[n] == t.text[n]) ++n;
      prefix.resize(n);
    });
  }
  FTPREP_RETURN_IF_ERROR((*reader)->status());
  while (!prefix.empty() && (static_cast<unsigned char>(prefix.back()) & 0xC0) == 0x80) prefix.pop_back();
  if (!prefix.empty() && static_cast<unsigned char>(prefix.back()) >= 0xC0) prefix.pop_back();
  return prefix;
}

// The bytes of a record for --rejects: as read, unless redaction is on (that file must not spread secrets or
// personal data either).
bool Redacting(const clean::CleanOptions& o) {
  return o.secrets == clean::Action::kRedact || o.pii == clean::Action::kRedact;
}
std::string_view RejectBytes(Record& rec, const clean::CleanOptions& o) { return Redacting(o) ? rec.json() : rec.raw(); }

// The command line as given, before it becomes CleanOptions.
struct Args {
  std::string unicode = "nfc", line_endings = "lf", whitespace = "trim", secrets = "off", pii = "off",
              pii_kinds = "all", length_per = "example", invalid_utf8 = "repair";
  std::vector<std::string> remove_prefix, add_prefix, add_suffix, refusal_files, dedup_keys, fields, remove_common;
  bool keep_invisible = false, no_defaults = false, keep_empty = false, dry_run = false;
};

void AddOptions(ToolCli& cli, Args& a, clean::CleanOptions& o) {
  cli.Add()("fix-mojibake", po::bool_switch(&o.fix_mojibake), "")(
      "keep-invisible", po::bool_switch(&a.keep_invisible), "")("unicode", po::value(&a.unicode), "")(
      "ascii-quotes", po::bool_switch(&o.ascii_quotes), "")("line-endings", po::value(&a.line_endings), "")(
      "whitespace", po::value(&a.whitespace), "")("lowercase", po::value(&o.lowercase)->composing(), "")(
      "remove-prefix", po::value(&a.remove_prefix)->composing(), "")(
      "remove-common-prefix", po::value(&a.remove_common)->composing(), "")(
      "add-prefix", po::value(&a.add_prefix)->composing(), "")("add-suffix", po::value(&a.add_suffix)->composing(), "")(
      "secrets", po::value(&a.secrets), "")("pii", po::value(&a.pii), "")("pii-kinds", po::value(&a.pii_kinds), "")(
      "no-defaults", po::bool_switch(&a.no_defaults), "")("refusals", po::bool_switch(&o.refusals), "")(
      "refusal-file", po::value(&a.refusal_files)->composing(), "")("min-chars", po::value(&o.min_chars), "")(
      "max-chars", po::value(&o.max_chars), "")("min-tokens", po::value(&o.min_tokens), "")(
      "max-tokens", po::value(&o.max_tokens), "")("tokenizer", po::value(&o.encoding), "")(
      "length-per", po::value(&a.length_per), "")("truncate", po::bool_switch(&o.truncate), "")(
      "keep-empty", po::bool_switch(&a.keep_empty), "")("dedup", po::bool_switch(&o.dedup), "")(
      "dedup-key", po::value(&a.dedup_keys)->composing(), "")("near-dedup", po::bool_switch(&o.near_dedup), "")(
      "near-threshold", po::value(&o.near.threshold), "")("shingle", po::value(&o.near.shingle_words), "")(
      "field", po::value(&a.fields)->composing(), "")("invalid-utf8", po::value(&a.invalid_utf8), "")(
      "dry-run", po::bool_switch(&a.dry_run), "");
  cli.Hidden()("encoding", po::value(&o.encoding), "");
}

// The text steps' modes (defaults first, so explicit flags win over --no-defaults).
Status TextModes(const ToolCli& cli, Args& a, clean::CleanOptions* o) {
  if (a.no_defaults) {
    if (!cli.Given("unicode")) a.unicode = "none";
    if (!cli.Given("line-endings")) a.line_endings = "keep";
    if (!cli.Given("whitespace")) a.whitespace = "keep";
    a.keep_invisible = true;
    a.keep_empty = true;
  }
  o->strip_invisible = !a.keep_invisible;
  o->drop_empty = !a.keep_empty;
  if (a.unicode == "nfc") o->unicode = clean::UnicodeForm::kNfc;
  else if (a.unicode == "nfkc") o->unicode = clean::UnicodeForm::kNfkc;
  else if (a.unicode == "none") o->unicode = clean::UnicodeForm::kNone;
  else return UsageError("--unicode takes nfc, nfkc or none (got '" + a.unicode + "')");
  if (a.line_endings != "lf" && a.line_endings != "keep") return UsageError("--line-endings takes lf or keep");
  o->line_endings = a.line_endings == "lf";
  o->whitespace_default = !cli.Given("whitespace");
  if (a.whitespace == "trim") o->whitespace = clean::WhitespaceMode::kTrim;
  else if (a.whitespace == "collapse") o->whitespace = clean::WhitespaceMode::kCollapse;
  else if (a.whitespace == "keep") o->whitespace = clean::WhitespaceMode::kKeep;
  else return UsageError("--whitespace takes trim, collapse or keep (got '" + a.whitespace + "')");
  auto sa = ParseAction("secrets", a.secrets);
  if (!sa.ok()) return sa.status();
  o->secrets = *sa;
  auto pa = ParseAction("pii", a.pii);
  if (!pa.ok()) return pa.status();
  o->pii = *pa;
  auto kinds = clean::ParsePiiKinds(a.pii_kinds);
  if (!kinds.ok()) return kinds.status();
  o->pii_kinds = *kinds;
  FTPREP_RETURN_IF_ERROR(ParseSelTexts("remove-prefix", a.remove_prefix, &o->remove_prefix));
  FTPREP_RETURN_IF_ERROR(ParseSelTexts("add-prefix", a.add_prefix, &o->add_prefix));
  return ParseSelTexts("add-suffix", a.add_suffix, &o->add_suffix);
}

// The record filters and the field selection.
Status FilterOptions(const ToolCli& cli, Args& a, clean::CleanOptions* o) {
  if (a.length_per != "example" && a.length_per != "field") return UsageError("--length-per takes example or field");
  o->length_per_field = a.length_per == "field";
  if ((o->min_tokens || o->max_tokens) && (o->min_chars || o->max_chars)) {
    return UsageError("use either --min/--max-chars or --min/--max-tokens, not both");
  }
  if (o->max_chars && o->min_chars > o->max_chars) return UsageError("--min-chars is larger than --max-chars");
  if (o->max_tokens && o->min_tokens > o->max_tokens) return UsageError("--min-tokens is larger than --max-tokens");
  if (o->near.threshold <= 0 || o->near.threshold > 1) return UsageError("--near-threshold must be in (0, 1]");
  if (o->near.shingle_words < 1 || o->near.shingle_words > 64) return UsageError("--shingle must be in 1..64");
  if (a.invalid_utf8 != "repair" && a.invalid_utf8 != "reject") {
    return UsageError("--invalid-utf8 takes repair or reject");
  }
  if (!a.refusal_files.empty()) o->refusals = true;
  if (o->refusals) {
    o->phrases = clean::PhraseList::Default();
    for (const auto& f : a.refusal_files) FTPREP_RETURN_IF_ERROR(o->phrases.AddFile(f));
  }
  for (const auto& k : a.dedup_keys) {
    auto p = ParsePath(k);
    if (!p.ok()) return UsageError("--dedup-key: " + p.status().message());
    o->dedup_key.push_back(*p);
  }
  for (const auto& f : a.fields) {
    auto p = ParsePath(f);
    if (!p.ok()) return UsageError("--field: " + p.status().message());
    o->fields.push_back(*p);
    o->field_names.push_back(FormatPath(*p));
  }
  for (const auto& sel : a.remove_common) {
    auto prefix = CommonPrefix(cli.common, sel);
    if (!prefix.ok()) return prefix.status();
    if (prefix->empty()) {
      if (!cli.common.quiet) Note("--remove-common-prefix " + sel + ": the texts share no prefix; nothing to remove");
    } else {
      if (!cli.common.quiet) Note("--remove-common-prefix " + sel + ": removing \"" + Excerpt(*prefix) + "\"");
      o->remove_prefix.push_back({sel, *prefix});
    }
  }
  return Status::Ok();
}

struct Totals {
  uint64_t total = 0, written = 0, changed = 0, dropped = 0, unreadable = 0, content_unreadable = 0;
};

// The cleaner's decision for one record, from Process (a worker) to Consume (in input order).
struct CleanExtra : OutcomeExtra {
  clean::Decision d;
  std::string raw;  // the bytes as read, when dedup may still send a changed record to --rejects
};

// Per record on the workers: the text steps, filters and dedup keys (Cleaner::Prepare). In input order: UTF-8
// repairs, counts, examples and dedup (Cleaner::Commit), --rejects (clean writes it: drops go there too, and
// redacted).
class CleanStage : public Stage {
 public:
  CleanStage(clean::Cleaner& cleaner, bool repair_utf8, RejectsWriter* rejects)
      : cleaner_(cleaner), repair_utf8_(repair_utf8), rejects_(rejects) {}
  Totals t;

  Status Start(size_t workers) override {
    for (size_t w = 0; w <= workers; ++w) scratch_.push_back(cleaner_.NewScratch());  // the last: Consume's
    return Status::Ok();
  }

  void Process(Record& rec, Outcome* out, size_t worker) override {
    out->excerpt = true;
    if (!rec.parse_ok()) return out->Reject("json.not_object", "record is not a JSON object");
    if (!out->extra) out->extra = std::make_unique<CleanExtra>();
    CleanExtra& x = static_cast<CleanExtra&>(*out->extra);
    clean::Decision& d = x.d;
    cleaner_.Prepare(rec, &d, scratch_[worker].get());
    x.raw.clear();
    // A changed record is serialised on the worker (verdict kChange), which replaces its bytes as read: keep
    // them when dedup, decided in order, may still send it to --rejects.
    if (d.drop || d.unreadable) {
      out->verdict = Verdict::kDrop;
    } else if (d.changed) {
      out->verdict = Verdict::kChange;
      if (rejects_ && (d.keyed || d.has_signature)) x.raw.assign(rec.raw());
    }
  }

  Status Consume(Record& rec, Outcome& out) override {
    ++t.total;
    bool repaired = rec.bad() && repair_utf8_ && rec.rule_id() == "utf8.invalid" && Repair(rec, out);
    if (out.verdict == Verdict::kReject) {
      ++t.unreadable;
      return WriteReject(rec, rec.raw(), out.findings.front().rule, out.findings.front().message, "");
    }
    CleanExtra& x = static_cast<CleanExtra&>(*out.extra);
    clean::Decision& d = x.d;
    cleaner_.Commit(rec, &d);
    if (d.unreadable) {
      ++t.unreadable;
      ++t.content_unreadable;
      out.verdict = Verdict::kReject;
      out.findings = {{d.rule, Severity::kError, d.path, d.message, 0}};
      return WriteReject(rec, RejectBytes(rec, cleaner_.options()), d.rule, d.message, d.path);
    }
    if (d.drop) {
      ++t.dropped;
      out.verdict = Verdict::kDrop;
      std::string_view raw = d.rule == "clean.secret" || d.rule == "clean.pii" ? rec.json()
                             : x.raw.empty() || Redacting(cleaner_.options()) ? RejectBytes(rec, cleaner_.options())
                                                                              : std::string_view(x.raw);
      return WriteReject(rec, raw, d.rule, d.message, d.path);
    }
    if (d.changed || repaired) ++t.changed;
    ++t.written;
    return Status::Ok();
  }

 private:
  // Invalid UTF-8 bytes -> U+FFFD, then the record is cleaned as any other (here: this is rare).
  bool Repair(Record& rec, Outcome& out) {
    std::string before(rec.raw());
    std::string fixed = ValidUtf8OrReplace(before);
    Location loc = rec.loc;
    rec.Assign(fixed);
    rec.loc = loc;
    if (!rec.parse_ok()) {
      rec.AssignError(before, "record is not valid JSON after repairing its UTF-8", "json.invalid", 0);
      out.findings = {{"json.invalid", Severity::kError, "", rec.error(), 0}};
      return false;
    }
    cleaner_.CountUtf8Repair(loc, before, fixed);
    out.Clear();
    Process(rec, &out, scratch_.size() - 1);
    if (out.verdict == Verdict::kChange) rec.json();
    return true;
  }

  Status WriteReject(Record& rec, std::string_view bytes, const std::string& rule, const std::string& message,
                     const std::string& path) {
    return rejects_ ? rejects_->Write(rec.loc, bytes, {{rule, message, path}}) : Status::Ok();
  }

  clean::Cleaner& cleaner_;
  bool repair_utf8_;
  RejectsWriter* rejects_;
  std::vector<std::unique_ptr<clean::Cleaner::Scratch>> scratch_;
};

Status WriteCleanReports(const CommonFlags& c, clean::Cleaner& cleaner, const Totals& t) {
  if (c.report.empty() && c.html.empty()) return Status::Ok();
  rapidjson::Document r(rapidjson::kObjectType);
  auto& a = r.GetAllocator();
  r.AddMember("tool", "clean", a);
  r.AddMember("version", 1, a);
  rapidjson::Value counts(rapidjson::kObjectType);
  auto put = [&](const std::string& k, uint64_t v) {
    counts.AddMember(rapidjson::Value(k.c_str(), a), rapidjson::Value(v), a);
  };
  put("records", t.total);
  put("written", t.written);
  put("changed", t.changed);
  put("dropped", t.dropped);
  put("unreadable", t.unreadable);
  if (t.content_unreadable) put(kUnreadableRule, t.content_unreadable);
  for (const auto& [rule, n] : cleaner.counts()) {
    put(rule + ".changed", n.changed);
    put(rule + ".dropped", n.dropped);
    put(rule + ".fields", n.fields);
  }
  put("clean.dedup.near.clusters", cleaner.near_clusters());
  r.AddMember("counts", counts, a);
  rapidjson::Value mx(rapidjson::kObjectType);
  mx.AddMember("dedup_memory_bytes", static_cast<uint64_t>(cleaner.dedup_memory_bytes()), a);
  r.AddMember("max", mx, a);
  rapidjson::Value findings;
  findings.CopyFrom(cleaner.findings(), a);
  r.AddMember("findings", findings, a);
  // Findings are the first examples of each step and the first near-duplicate pairs: say how many, so
  // `ftprep merge` of shards keeps the same ones.
  rapidjson::Value caps(rapidjson::kObjectType);
  caps.AddMember("*", static_cast<uint64_t>(cleaner.options().examples), a);
  caps.AddMember("clean.dedup.near", static_cast<uint64_t>(cleaner.options().max_pair_findings), a);
  r.AddMember("findings_per_rule", caps, a);
  clean::DeriveReport(r);
  if (!c.report.empty()) FTPREP_RETURN_IF_ERROR(WriteReport(r, c.report, c.output_options()));
  if (!c.html.empty()) FTPREP_RETURN_IF_ERROR(WriteHtmlReport(r, c.html, c.output_options()));
  return Status::Ok();
}

void PrintCleanSummary(const clean::Cleaner& cleaner, const Totals& t, bool dry_run, const RejectsWriter* rejects,
                       const std::string& rejects_path) {
  std::string s = std::to_string(t.total) + " record" + (t.total == 1 ? "" : "s") + ": " + std::to_string(t.written) +
                  " kept (" + std::to_string(t.changed) + " changed), " + std::to_string(t.dropped) + " dropped";
  if (t.unreadable) s += ", " + std::to_string(t.unreadable) + " unreadable";
  if (dry_run) s += " (dry run: nothing written)";
  Note(s);
  for (const auto& id : clean::StepIds()) {
    auto it = cleaner.counts().find(id);
    if (it == cleaner.counts().end()) continue;
    const auto& c = it->second;
    std::string line = "  " + id + ":";
    if (c.changed) {
      line += " " + std::to_string(c.changed) + " changed (" + std::to_string(c.fields) + " field" +
              (c.fields == 1 ? "" : "s") + ")";
    }
    if (c.dropped) line += std::string(c.changed ? "," : "") + " " + std::to_string(c.dropped) + " dropped";
    if (id == "clean.dedup.near" && cleaner.near_clusters()) {
      line += " in " + std::to_string(cleaner.near_clusters()) + " cluster" + (cleaner.near_clusters() == 1 ? "" : "s");
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  if (rejects) Note(std::to_string(rejects->count()) + " written to " + rejects_path);
}

}  // namespace

Status CleanMain(int argc, char** argv) {
  ToolCli cli("clean", kUsage, kFlagsStream | kFlagShown | kFlagQuiet | kFlagHtml | kFlagJobs);
  clean::CleanOptions o;
  Args a;
  AddOptions(cli, a, o);
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok() || !*parsed) return parsed.status();
  o.examples = cli.ShownOr(3);
  cli.common.read_files.insert(cli.common.read_files.end(), a.refusal_files.begin(), a.refusal_files.end());
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  FTPREP_RETURN_IF_ERROR(TextModes(cli, a, &o));
  FTPREP_RETURN_IF_ERROR(FilterOptions(cli, a, &o));
  clean::Cleaner cleaner(o);
  FTPREP_RETURN_IF_ERROR(cleaner.Init());
  CommonFlags flags = cli.common;
  flags.rejects.clear();  // the stage writes --rejects: dropped records go there too
  Pipeline p(flags, flags.jobs);
  p.diag().set_max_per_rule(cli.ShownOr(20));
  p.diag().set_quiet(cli.common.quiet);
  std::unique_ptr<RejectsWriter> rejects;
  if (!a.dry_run) {
    FTPREP_RETURN_IF_ERROR(p.OpenOutput("jsonl"));
    if (!cli.common.rejects.empty()) {
      auto r = RejectsWriter::Open(cli.common.rejects, cli.common.output_options());
      if (!r.ok()) return r.status();
      rejects = std::move(*r);
    }
  }
  CleanStage stage(cleaner, a.invalid_utf8 == "repair", rejects.get());
  FTPREP_RETURN_IF_ERROR(p.Run(&stage));
  FTPREP_RETURN_IF_ERROR(p.Commit());
  if (rejects) FTPREP_RETURN_IF_ERROR(rejects->Close());
  p.diag().PrintSuppressed();
  const Totals& t = stage.t;
  FTPREP_RETURN_IF_ERROR(WriteCleanReports(cli.common, cleaner, t));
  if (!cli.common.quiet) PrintCleanSummary(cleaner, t, a.dry_run, rejects.get(), cli.common.rejects);
  if (t.unreadable > 0) return DataError(std::to_string(t.unreadable) + " unreadable record" + (t.unreadable == 1 ? "" : "s"));
  return Status::Ok();
}

}  // namespace ftprep
