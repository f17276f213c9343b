// ftprep convert — CSV/TSV/XLSX/JSON/JSONL/TXT to training JSONL in a target schema, and between dialects.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli.h"
#include "convert/dialect.h"
#include "convert/mapping.h"
#include "diag.h"
#include "pipeline.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep convert [FILE...] [--to SCHEMA [mapping options]] [options]

Reads CSV, TSV, XLSX, JSON (array, object or JSON Lines saved as .json), JSONL or text (format from the
extension, else sniffed; .gz/.zst read transparently) and writes one JSON object per record as JSONL (or
CSV/TSV/JSON with --output-format). Values stay as they were: no type inference ("007" stays "007"), an
empty cell is "", key order is kept. Rows that cannot be read or mapped are reported with file:line:col,
written to --rejects, and the rest converts; the exit code is then 1.

target schemas (--to):
  (none)         one object per row, keys from the header (--columns a,b keeps and orders those)
  completion     --prompt COL|TEMPLATE --completion COL|TEMPLATE    -> {"prompt":..,"completion":..}
                 (without --completion: {"prompt":..} alone, requests for a teacher model to answer)
  chat           [--system TEXT] --user COL|TEMPLATE --assistant COL|TEMPLATE -> {"messages":[..]}
                 (without --assistant: the system and user turns alone, requests for a teacher model)
                 or multi-turn from a long table: --group-by COL [--role-col role] [--content-col content]
                 [--order-col COL] (one chat per group, in order of first appearance)
  preference     [--system TEXT] --input COL|TEMPLATE --preferred COL|TEMPLATE --non-preferred COL|TEMPLATE
                 -> OpenAI DPO {"input":{"messages":..},"preferred_output":..,"non_preferred_output":..}
  text_list      --fields a,b[,..] [--weights 0,1] -> {"data":{"text_list":[..],"loss_weights":[..]}}
  DIALECT        one of the dialects below: records are read in --from (default: auto, sniffed from the
                 first record, and the choice is named on stderr) and written in DIALECT; with --user/
                 --assistant (or --input/--preferred/--non-preferred) table rows are mapped first. Every
                 record written is checked to read back as DIALECT: one it cannot hold (a chat going to a
                 preference dialect, a preference pair to a chat dialect, an image for Alpaca) is rejected
                 with the reason. `ftprep convert --list-dialects` lists the dialects of this build.
                 sharegpt and alpaca are LLaMA-Factory's: a tool call is a function_call turn holding
                 OpenAI's argument text verbatim as a JSON value (it converts back byte for byte), tools is
                 JSON text; Alpaca joins instruction and input with one "\n".
  A TEMPLATE is text with {column} placeholders ("Improve the sentence: {sentence}"; {{ }} = literal
  braces); anything without braces is a column name. A mapped field that is missing or empty rejects the row.

)";

const char kUsageOptions[] = R"(
input options:
  --format NAME           input format: csv, tsv, xlsx, json, jsonl, txt (default: extension, else sniffed)
  --from auto|DIALECT     dialect of the input records (default auto when --to is a dialect, chat or preference:
                          sniffed from the first record; the one chosen is named on stderr unless -q)
  --delimiter C           CSV delimiter: , ; tab | or any character (default: sniffed among , tab ; |)
  --no-header             the first row is data; columns are named col1, col2, ...
  --header-names a,b,c    name the columns (replaces the header row's names)
  --lazy-quotes           accept bare quotes inside fields (default: strict, such rows are rejected)
  --encoding NAME         input encoding: latin1, cp1252, utf-16, shift_jis, ... (default UTF-8; UTF-16 BOMs
                          are detected); invalid UTF-8 is an error otherwise
  --repair-utf8           replace invalid UTF-8 bytes with U+FFFD (counted) instead of rejecting the row
  --tsv-escapes           TSV with \t \n \r \\ escapes and no quoting (input and TSV output)
  --sheet NAME|N          XLSX sheet (default: the first, with a warning naming the others)
  --list-sheets           list the sheets of an XLSX file as records and stop
  --chunk-tokens N        TXT: cut the document into pieces of at most N tokens at paragraph, then
                          sentence, then word boundaries (default: one record per line)
  --overlap M             TXT: repeat about M tokens of the previous piece at the start of the next
  --token-encoding NAME   TXT: tokenizer for --chunk-tokens (default o200k_base; characters/4 when no
                          tokenizer is built in, or with chars4)
  --format-opt KEY=VALUE  any reader option, passed as is
  --max-record-bytes N    longest record accepted (default 64M); --max-field-bytes N longest field (16M)

output options:
  -o, --output FILE       output file (default: stdout; written atomically)
  --output-format FMT     jsonl (default), csv, tsv or json (array); CSV/TSV columns from --columns or the
                          first record's keys, nested values written as JSON text
  --columns a,b,...       keep these columns, in this order
  --rejects FILE          write rejected rows as JSONL with their errors and original text
  --max-shown N           print at most N problems per rule (default 20; all are counted)
  -q, --quiet             only errors on stderr (no summary line)
  -j, --jobs N            map or convert the records on N threads (default: the number of cores); the output
                          is the same for every N. Without --to or --columns one thread does it all (the
                          reader builds each record; more threads would only slow it down)
  --progress MODE         never|always|auto (default auto)
  --force                 overwrite an existing -o/--rejects file (never an input)
  --plugin-path DIR       load plugins (formats, dialects) from DIR as well

exit codes: 0 all rows converted; 1 some rows rejected (count in the summary), or the input's structure is
bad (a header with empty or duplicate column names, reported and never renamed; broken JSON); 2 usage, I/O or
internal error; 130 interrupted (nothing written).

examples:
  ftprep convert questions.csv --to chat --system "You are a helpful tutor." --user question --assistant answer
  ftprep convert sentences.tsv --to completion --prompt "Improve the sentence: {sentence}" --completion better
  ftprep convert turns.csv --to chat --group-by conv_id --role-col role --content-col text --order-col turn
  ftprep convert sharegpt.json --to openai-chat > chat.jsonl ; ftprep convert chat.jsonl --to gemini
  ftprep convert book.txt --chunk-tokens 512 --overlap 64 --to completion --prompt "" --completion text
    (an empty --prompt "" is allowed for open-ended completions; other fields must not be empty)
)";

// The usage text: kUsage, one entry per built-in dialect (name, what it holds, whose docs define it, and one
// record of it), then the options.
const char* Usage() {
  static const std::string text = [] {
    std::string u = kUsage;
    u += "dialects (--to/--from DIALECT; every record passes through the OpenAI chat or preference form):\n";
    for (const auto& d : convert::BuiltinDialects()) {
      std::string line = "  " + std::string(d.name) + " (" + d.holds + "):";
      // the owner text, wrapped at 110 columns
      for (std::string_view rest = d.owner; !rest.empty();) {
        size_t space = rest.find(' ');
        std::string_view word = rest.substr(0, space);
        if (line.size() + 1 + word.size() > 110) {
          u += line + "\n";
          line = "     ";
        }
        line += " " + std::string(word);
        rest = space == std::string_view::npos ? "" : rest.substr(space + 1);
      }
      u += line + "\n      " + d.example + "\n";
    }
    u += "  aliases: chat = openai-chat, preference = openai-preference. axolotl's chat_template data is\n"
         "  openai-chat (or sharegpt with field_messages: conversations and from/value), its alpaca type alpaca.\n";
    return u + kUsageOptions;
  }();
  return text.c_str();
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (;;) {
    size_t c = s.find(',', start);
    out.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
    if (c == std::string::npos) break;
    start = c + 1;
  }
  return out;
}

bool IsPreferenceDialect(const std::string& d) { return d.find("preference") != std::string::npos; }

std::string JoinNames(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& k : names) list += (list.empty() ? "" : ", ") + k;
  return list;
}

// `--input` (the DPO prompt) would collide with the positional FILE option of the shared CLI layer.
std::vector<std::string> RenameInputFlag(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (auto& a : args) {
    if (a == "--input") a = "--input-text";
    if (a.rfind("--input=", 0) == 0) a = "--input-text=" + a.substr(8);
  }
  return args;
}

struct Options {
  std::string to, from, delimiter, header_names, encoding, sheet, output_format = "jsonl", columns;
  std::string prompt, completion, system, user, assistant, input, preferred, non_preferred, fields, weights;
  std::string group_by, role_col = "role", content_col = "content", order_col, token_encoding;
  std::string chunk_tokens, overlap;
  bool no_header = false, lazy = false, repair = false, tsv_escapes = false, list_sheets = false;
  bool list_dialects = false;
};

void AddOptions(ToolCli& cli, Options& o) {
  cli.Add()("to", po::value<std::string>(&o.to), "schema")("from", po::value<std::string>(&o.from), "dialect")(
      "delimiter", po::value<std::string>(&o.delimiter), "c")("no-header", po::bool_switch(&o.no_header), "")(
      "header-names", po::value<std::string>(&o.header_names), "names")("lazy-quotes", po::bool_switch(&o.lazy), "")(
      "encoding", po::value<std::string>(&o.encoding), "enc")("repair-utf8", po::bool_switch(&o.repair), "")(
      "tsv-escapes", po::bool_switch(&o.tsv_escapes), "")("sheet", po::value<std::string>(&o.sheet), "sheet")(
      "list-sheets", po::bool_switch(&o.list_sheets), "")(
      "chunk-tokens", po::value<std::string>(&o.chunk_tokens), "n")("overlap", po::value<std::string>(&o.overlap), "m")(
      "token-encoding", po::value<std::string>(&o.token_encoding), "")(
      "output-format", po::value<std::string>(&o.output_format), "fmt")(
      "columns", po::value<std::string>(&o.columns), "")("prompt", po::value<std::string>(&o.prompt), "")(
      "completion", po::value<std::string>(&o.completion), "")("system", po::value<std::string>(&o.system), "")(
      "user", po::value<std::string>(&o.user), "")("assistant", po::value<std::string>(&o.assistant), "")(
      "input-text", po::value<std::string>(&o.input), "")("preferred", po::value<std::string>(&o.preferred), "")(
      "non-preferred", po::value<std::string>(&o.non_preferred), "")("fields", po::value<std::string>(&o.fields), "")(
      "weights", po::value<std::string>(&o.weights), "")("group-by", po::value<std::string>(&o.group_by), "")(
      "role-col", po::value<std::string>(&o.role_col), "")("content-col", po::value<std::string>(&o.content_col), "")(
      "order-col", po::value<std::string>(&o.order_col), "")("list-dialects", po::bool_switch(&o.list_dialects), "");
}

// The friendly reader flags become format options (--format-opt KEY=VALUE), which the pipeline passes on.
void AddReaderOptions(const Options& o, CommonFlags* c) {
  auto opt = [c](const char* k, const std::string& v) { c->format_opts.push_back(std::string(k) + "=" + v); };
  if (!o.delimiter.empty()) opt("delimiter", o.delimiter);
  if (o.no_header) opt("header", "0");
  if (!o.header_names.empty()) opt("header_names", o.header_names);
  if (o.lazy) opt("lazy_quotes", "1");
  if (!o.encoding.empty()) opt("encoding", o.encoding);
  if (o.repair) opt("repair_utf8", "1");
  if (o.tsv_escapes) opt("tsv_escapes", "1");
  if (!o.sheet.empty()) opt("sheet", o.sheet);
  if (o.list_sheets) opt("list_sheets", "1");
  if (!o.chunk_tokens.empty()) opt("chunk_tokens", o.chunk_tokens);
  if (!o.overlap.empty()) opt("overlap", o.overlap);
  if (!o.token_encoding.empty()) opt("token_encoding", o.token_encoding);
}

// What to produce: the row mapper (or grouper) and the dialects to decode from and encode to.
struct Plan {
  std::string schema;  // completion, chat, preference, text_list or "" (rows as they are)
  std::string encode;  // dialect to write, "" = canonical/as is
  std::string from;    // dialect to read, "auto" (sniffed from the first record) or ""
  std::string target;  // dialect every output record must be in (checked), "" when --to is not a dialect
  std::unique_ptr<convert::RowMapper> mapper;
  std::unique_ptr<convert::Grouper> grouper;
};

// --to and --from: the schema, the dialects, and whether they fit the mapping flags.
Status ResolveTarget(const ToolCli& cli, const Options& o, Plan* plan) {
  const bool mapping_flags = cli.Given("user") || cli.Given("assistant") || cli.Given("input-text") ||
                             cli.Given("preferred") || cli.Given("non-preferred") || cli.Given("prompt") ||
                             cli.Given("completion") || cli.Given("fields") || cli.Given("weights") ||
                             !o.group_by.empty();
  plan->from = o.from;
  if (o.to.empty()) {
    if (mapping_flags) {
      return UsageError("mapping options (--user, --prompt, --group-by, ...) need --to (completion, chat, "
                        "preference, text_list or a dialect)");
    }
  } else if (o.to == "completion" || o.to == "text_list") {
    plan->schema = o.to;
  } else {
    std::string d = convert::CanonicalDialectName(o.to);
    if (d.empty()) {
      std::vector<std::string> known = {"completion", "chat", "preference", "text_list"};
      for (const auto& n : convert::DialectNames()) known.push_back(n);
      std::string msg = "unknown --to '" + o.to + "' (known: " + JoinNames(known) + ")";
      auto close = ClosestNames(o.to, known);
      if (!close.empty()) msg += "; did you mean " + close[0] + "?";
      return UsageError(msg);
    }
    if (d != "openai-chat" && d != "openai-preference") plan->encode = d;
    plan->target = d;
    if (mapping_flags) {
      plan->schema = IsPreferenceDialect(d) ? "preference" : "chat";
      if (!o.group_by.empty() && plan->schema != "chat") {
        return UsageError("--group-by builds chats; it cannot go --to " + o.to);
      }
    } else if (plan->from.empty()) {
      plan->from = "auto";
    }
  }
  if (!plan->from.empty() && mapping_flags) {
    return UsageError("--from reads records in a dialect; it cannot be combined with column mapping options");
  }
  if (!plan->from.empty() && plan->from != "auto") {
    std::string d = convert::CanonicalDialectName(plan->from);
    if (d.empty()) {
      return UsageError("unknown --from '" + plan->from + "' (known: auto, " + JoinNames(convert::DialectNames()) +
                        ")");
    }
    plan->from = d;
  }
  return Status::Ok();
}

Status MakePlan(const ToolCli& cli, const Options& o, Plan* plan) {
  FTPREP_RETURN_IF_ERROR(ResolveTarget(cli, o, plan));
  if (!o.group_by.empty()) {
    if (cli.Given("user") || cli.Given("assistant") || cli.Given("input-text") || cli.Given("preferred") ||
        cli.Given("non-preferred") || cli.Given("prompt") || cli.Given("completion") || cli.Given("fields") ||
        cli.Given("weights")) {
      return UsageError("--group-by takes its turns from --role-col/--content-col; drop --user/--assistant");
    }
    convert::GroupOptions g{o.group_by, o.role_col, o.content_col, o.order_col, o.system};
    plan->grouper = std::make_unique<convert::Grouper>(g);
  } else {
    convert::MappingOptions mo;
    mo.to = plan->schema;
    mo.prompt = o.prompt;
    mo.empty_prompt = cli.Given("prompt") && o.prompt.empty();
    mo.completion = o.completion;
    mo.system = o.system;
    mo.user = o.user;
    mo.assistant = o.assistant;
    mo.input = o.input;
    mo.preferred = o.preferred;
    mo.non_preferred = o.non_preferred;
    mo.fields = SplitComma(o.fields);
    mo.weights = SplitComma(o.weights);
    if (plan->schema.empty()) mo.columns = SplitComma(o.columns);
    auto m = convert::RowMapper::Create(mo);
    if (!m.ok()) return m.status();
    plan->mapper = std::move(*m);
  }
  if (!o.system.empty() && plan->schema != "chat" && plan->schema != "preference" && !plan->grouper) {
    return UsageError("--system is used with --to chat or --to preference (with --user/--input)");
  }
  return Status::Ok();
}

// Opens one codec per worker (codecs are not thread-safe).
Status OpenCodecs(const std::string& dialect, convert::DialectCodec::Direction direction, size_t n,
                  std::vector<std::unique_ptr<convert::DialectCodec>>* codecs) {
  codecs->clear();
  for (size_t i = 0; i < n; ++i) {
    auto c = convert::DialectCodec::Open(dialect, direction);
    if (!c.ok()) return c.status();
    codecs->push_back(std::move(*c));
  }
  return Status::Ok();
}

// Builds each output record on a worker (decode, map, encode), in place of the record read; rows of a long
// table are grouped in input order in Consume and written after the run (Flush).
class ConvertStage : public Stage {
 public:
  ConvertStage(Plan& plan, bool quiet)
      : plan_(plan),
        quiet_(quiet),
        passthrough_(!plan.grouper && plan.mapper->passthrough() && plan.from.empty() && plan.encode.empty()) {}

  // Rows written as read: the reader builds each record, so workers would have nothing to do and threads
  // would only move every record between cores (measured 0.8-0.9x the speed of one thread, 1.5x the CPU).
  bool passthrough() const { return passthrough_; }

  Status Start(size_t workers) override {
    workers_ = workers;
    scratch_.resize(workers);
    using Dir = convert::DialectCodec::Direction;
    if (!plan_.encode.empty()) FTPREP_RETURN_IF_ERROR(OpenCodecs(plan_.encode, Dir::kEncode, workers, &encoders_));
    if (!plan_.target.empty()) FTPREP_RETURN_IF_ERROR(OpenCodecs(plan_.target, Dir::kCheck, workers, &checkers_));
    if (!plan_.from.empty() && plan_.from != "auto") {
      FTPREP_RETURN_IF_ERROR(OpenCodecs(plan_.from, Dir::kDecode, workers, &decoders_));
    }
    return Status::Ok();
  }

  Status First(Record& rec) override {
    if (passthrough_) return Status::Ok();
    if (plan_.from == "auto") {
      std::string d = convert::SniffDialect(rec.json());
      if (d.empty()) {
        return UsageError(rec.loc.file + ":" + std::to_string(rec.loc.line) +
                          ": cannot tell the dialect of the first record; name it with --from (" +
                          JoinNames(convert::DialectNames()) +
                          "), or map table columns with --user/--assistant (--to chat) or --input/--preferred/"
                          "--non-preferred (--to preference)");
      }
      plan_.from = d;
      if (!quiet_) {
        Note(rec.loc.file + ": records read as " + d + " (sniffed from the first record; --from names the dialect)");
      }
      return OpenCodecs(d, convert::DialectCodec::Direction::kDecode, workers_, &decoders_);
    }
    // A column named by a mapping flag but absent from the first row is a usage error, not N rejects.
    if (plan_.from.empty() && rec.parse_ok()) {
      if (plan_.grouper) return plan_.grouper->CheckColumns(rec.doc());
      if (!plan_.mapper->passthrough()) return plan_.mapper->CheckColumns(rec.doc());
    }
    return Status::Ok();
  }

  void Process(Record& rec, Outcome* out, size_t worker) override {
    out->excerpt = true;
    if (passthrough_) return;
    std::string& json = out->text;
    std::string rule, message;
    if (!decoders_.empty()) {
      if (!decoders_[worker]->Convert(rec.json(), &json, &message)) return out->Reject("convert.dialect", message);
      std::string kto = convert::KtoLabelConflict(json, plan_.target.empty() ? "openai-chat" : plan_.target);
      if (!kto.empty()) return out->Reject("convert.target", kto);
    } else if (!rec.parse_ok()) {
      return out->Reject("json.not_object", "record is not a JSON object");
    } else if (plan_.grouper) {
      return;  // grouped in Consume, in input order
    } else if (!plan_.mapper->Map(rec.doc(), &json, &rule, &message)) {
      return out->Reject(rule, message);
    }
    if (!Encode(worker, &json, out, /*mapped=*/decoders_.empty())) return;
    Location loc = rec.loc;
    rec.Assign(json);
    rec.loc = loc;
    out->verdict = Verdict::kChange;
  }

  Status Consume(Record& rec, Outcome& out) override {
    if (!plan_.grouper || out.verdict == Verdict::kReject) return Status::Ok();
    std::string rule, message;
    if (!plan_.grouper->Add(rec.doc(), rec.loc, &rule, &message)) {
      out.Reject(rule, message);
    } else {
      out.verdict = Verdict::kDrop;
    }
    return Status::Ok();
  }

  // The grouped chats, after the run.
  Status Flush(Pipeline* p) {
    if (!plan_.grouper) return Status::Ok();
    Record rec;
    Outcome out;
    for (auto& g : plan_.grouper->Finish()) {
      out.Clear();
      out.excerpt = true;
      rec.Assign(g.json);
      rec.loc = g.loc;
      if (Encode(0, &g.json, &out) && (!encoders_.empty() || !checkers_.empty())) {
        rec.Assign(g.json);
        rec.loc = g.loc;
      }
      FTPREP_RETURN_IF_ERROR(p->Emit(rec, out));
    }
    return Status::Ok();
  }

 private:
  // Canonical record -> the --to dialect; false (the record rejected) if it cannot be written in it. The
  // result must read back as the --to dialect: a record of another kind (a chat going --to a preference
  // dialect, or the other way) is rejected, never written as it is.
  // A record the row mapper built for the canonical target (--to chat or preference, nothing to encode) is
  // of the target's kind by construction: reading it back would only parse it a second time.
  bool Encode(size_t worker, std::string* json, Outcome* out, bool mapped = false) {
    if (mapped && encoders_.empty()) return true;
    std::string message, unused;
    if (!encoders_.empty()) {
      if (!encoders_[worker]->Convert(*json, &scratch_[worker], &message)) {
        std::string why = WhyNot(*json, message);
        out->Reject(why.empty() ? "convert.dialect" : "convert.target", why.empty() ? message : why);
        return false;
      }
    } else {
      scratch_[worker] = *json;
    }
    if (!checkers_.empty() && !checkers_[worker]->Convert(scratch_[worker], &unused, &message)) {
      std::string why = WhyNot(*json, message);
      out->Reject("convert.target", why.empty() ? plan_.target + ": the converted record does not read back as " +
                                                      plan_.target + ": " + message
                                                : why);
      return false;
    }
    json->swap(scratch_[worker]);
    return true;
  }

  // "" when the canonical record is of the kind the target holds (or either kind is unknown), else what the
  // target cannot hold.
  std::string WhyNot(const std::string& canonical, const std::string& message) const {
    const convert::DialectInfo* info = convert::FindDialectInfo(plan_.target);
    std::string kind = convert::CanonicalKind(canonical);
    if (info == nullptr || kind.empty() || kind == info->holds) return "";
    std::string read_as = plan_.from.empty() || plan_.from == "auto" ? "" : " (read as " + plan_.from + ")";
    return plan_.target + " cannot hold this record: it is a " + kind + read_as + " and " + plan_.target +
           " holds " + info->holds + " records only [" + message + "]";
  }

  Plan& plan_;
  const bool quiet_;
  const bool passthrough_;
  size_t workers_ = 1;
  std::vector<std::unique_ptr<convert::DialectCodec>> decoders_, encoders_, checkers_;
  std::vector<std::string> scratch_;  // per worker
};

}  // namespace

Status ConvertMain(int argc, char** argv) {
  std::vector<std::string> args = RenameInputFlag(argc, argv);
  std::vector<char*> av;
  for (auto& a : args) av.push_back(a.data());
  av.push_back(nullptr);
  ToolCli cli("convert", Usage(), (kFlagsStream & ~kFlagReport) | kFlagShown | kFlagQuiet | kFlagJobs);
  Options o;
  AddOptions(cli, o);
  auto parsed = cli.Parse(static_cast<int>(args.size()), av.data());
  if (!parsed.ok() || !*parsed) return parsed.status();
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  if (o.list_dialects) {
    for (const auto& d : convert::DialectNames()) std::printf("%s\n", d.c_str());
    return Status::Ok();
  }
  AddReaderOptions(o, &cli.common);
  Plan plan;
  FTPREP_RETURN_IF_ERROR(MakePlan(cli, o, &plan));
  std::vector<std::pair<std::string, std::string>> wopts;
  if (!o.columns.empty()) wopts.push_back({"columns", o.columns});
  if (o.tsv_escapes && o.output_format == "tsv") wopts.push_back({"tsv_escapes", "1"});
  ConvertStage stage(plan, cli.common.quiet);
  Pipeline p(cli.common, cli.common.jobs);
  p.diag().set_max_per_rule(cli.common.max_shown);
  p.diag().set_quiet(cli.common.quiet);
  FTPREP_RETURN_IF_ERROR(p.OpenOutput(o.output_format, wopts));
  FTPREP_RETURN_IF_ERROR(p.Run(&stage));
  FTPREP_RETURN_IF_ERROR(stage.Flush(&p));
  FTPREP_RETURN_IF_ERROR(p.Commit());
  p.diag().PrintSuppressed();
  const std::string& fmt = p.reader()->format();
  auto plural = [](uint64_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
  std::string summary = plural(p.records(), "row") + " read" + (fmt.empty() ? "" : " (" + fmt + ")") + ", " +
                        plural(p.written(), "record") + " written, " + std::to_string(p.rejected()) + " rejected";
  if (!cli.common.rejects.empty()) summary += " (in " + cli.common.rejects + ")";
  if (p.rejected() > 0) return DataError(summary);
  if (!cli.common.quiet) Note(summary);
  return Status::Ok();
}

}  // namespace ftprep
