// ftprep convert — CSV/TSV/XLSX/JSON/JSONL/TXT to training JSONL in a target schema, and between dialects.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli.h"
#include "convert/dialect.h"
#include "convert/mapping.h"
#include "diag.h"
#include "ftprep/reader.h"
#include "ftprep/writer.h"
#include "progress.h"
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
  DIALECT        openai-chat, sharegpt, alpaca, dolly, gemini, bedrock-converse, cohere-chat,
                 openai-preference, trl-preference: records are read in --from (default: auto, sniffed
                 from the first record) and written in DIALECT; with --user/--assistant (or --input/
                 --preferred/--non-preferred) table rows are mapped first. `ftprep convert
                 --list-dialects` lists them.
  A TEMPLATE is text with {column} placeholders ("Improve the sentence: {sentence}"; {{ }} = literal
  braces); anything without braces is a column name. A mapped field that is missing or empty rejects the row.

input options:
  --format NAME           input format: csv, tsv, xlsx, json, jsonl, txt (default: extension, else sniffed)
  --from auto|DIALECT     dialect of the input records (default auto when --to is a dialect, chat or preference)
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

}  // namespace

Status ConvertMain(int argc, char** argv) {
  // `--input` (the DPO prompt) would collide with the positional FILE option of the shared CLI layer.
  std::vector<std::string> args(argv, argv + argc);
  for (auto& a : args) {
    if (a == "--input") a = "--input-text";
    if (a.rfind("--input=", 0) == 0) a = "--input-text=" + a.substr(8);
  }
  std::vector<char*> av;
  for (auto& a : args) av.push_back(a.data());
  av.push_back(nullptr);

  ToolCli cli("convert", kUsage, (kFlagsStream & ~kFlagReport) | kFlagShown | kFlagQuiet);
  std::string to, from, delimiter, header_names, encoding, sheet, output_format = "jsonl", columns;
  std::string prompt, completion, system, user, assistant, input, preferred, non_preferred, fields, weights;
  std::string group_by, role_col = "role", content_col = "content", order_col, token_encoding;
  std::string chunk_tokens, overlap;
  bool no_header = false, lazy = false, repair = false, tsv_escapes = false, list_sheets = false, quiet = false;
  bool list_dialects = false;
  size_t max_per_rule = 20;
  cli.Add()("to", po::value<std::string>(&to), "schema")("from", po::value<std::string>(&from), "dialect")(
      "delimiter", po::value<std::string>(&delimiter), "c")("no-header", po::bool_switch(&no_header), "")(
      "header-names", po::value<std::string>(&header_names), "names")("lazy-quotes", po::bool_switch(&lazy), "")(
      "encoding", po::value<std::string>(&encoding), "enc")("repair-utf8", po::bool_switch(&repair), "")(
      "tsv-escapes", po::bool_switch(&tsv_escapes), "")("sheet", po::value<std::string>(&sheet), "sheet")(
      "list-sheets", po::bool_switch(&list_sheets), "")("chunk-tokens", po::value<std::string>(&chunk_tokens), "n")(
      "overlap", po::value<std::string>(&overlap), "m")("token-encoding", po::value<std::string>(&token_encoding), "")(
      "output-format", po::value<std::string>(&output_format), "fmt")("columns", po::value<std::string>(&columns), "")(
      "prompt", po::value<std::string>(&prompt), "")("completion", po::value<std::string>(&completion), "")(
      "system", po::value<std::string>(&system), "")("user", po::value<std::string>(&user), "")(
      "assistant", po::value<std::string>(&assistant), "")("input-text", po::value<std::string>(&input), "")(
      "preferred", po::value<std::string>(&preferred), "")("non-preferred", po::value<std::string>(&non_preferred), "")(
      "fields", po::value<std::string>(&fields), "")("weights", po::value<std::string>(&weights), "")(
      "group-by", po::value<std::string>(&group_by), "")("role-col", po::value<std::string>(&role_col), "")(
      "content-col", po::value<std::string>(&content_col), "")("order-col", po::value<std::string>(&order_col), "")(
      "list-dialects", po::bool_switch(&list_dialects), "");
  auto parsed = cli.Parse(static_cast<int>(args.size()), av.data());
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  max_per_rule = cli.common.max_shown;
  quiet = cli.common.quiet;
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read

  if (list_dialects) {
    for (const auto& d : convert::DialectNames()) std::printf("%s\n", d.c_str());
    return Status::Ok();
  }

  // Reader options: friendly flags become format options.
  ReadOptions ro = cli.common.read_options();
  auto opt = [&ro](const char* k, const std::string& v) { ro.format_options.push_back({k, v}); };
  if (!delimiter.empty()) opt("delimiter", delimiter);
  if (no_header) opt("header", "0");
  if (!header_names.empty()) opt("header_names", header_names);
  if (lazy) opt("lazy_quotes", "1");
  if (!encoding.empty()) opt("encoding", encoding);
  if (repair) opt("repair_utf8", "1");
  if (tsv_escapes) opt("tsv_escapes", "1");
  if (!sheet.empty()) opt("sheet", sheet);
  if (list_sheets) opt("list_sheets", "1");
  if (!chunk_tokens.empty()) opt("chunk_tokens", chunk_tokens);
  if (!overlap.empty()) opt("overlap", overlap);
  if (!token_encoding.empty()) opt("token_encoding", token_encoding);

  // What to produce.
  bool chat_flags = cli.Given("user") || cli.Given("assistant");
  bool pref_flags = cli.Given("input-text") || cli.Given("preferred") || cli.Given("non-preferred");
  bool comp_flags = cli.Given("prompt") || cli.Given("completion");
  bool list_flags = cli.Given("fields") || cli.Given("weights");
  bool grouping = !group_by.empty();
  bool mapping_flags = chat_flags || pref_flags || comp_flags || list_flags || grouping;
  std::string schema, encode;
  if (to.empty()) {
    if (mapping_flags) {
      return UsageError("mapping options (--user, --prompt, --group-by, ...) need --to (completion, chat, "
                        "preference, text_list or a dialect)");
    }
  } else if (to == "completion" || to == "text_list") {
    schema = to;
  } else {
    std::string d = convert::CanonicalDialectName(to);
    if (d.empty()) {
      std::vector<std::string> known = {"completion", "chat", "preference", "text_list"};
      for (const auto& n : convert::DialectNames()) known.push_back(n);
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      std::string msg = "unknown --to '" + to + "' (known: " + list + ")";
      auto close = ClosestNames(to, known);
      if (!close.empty()) msg += "; did you mean " + close[0] + "?";
      return UsageError(msg);
    }
    if (d != "openai-chat" && d != "openai-preference") encode = d;
    if (mapping_flags) {
      schema = IsPreferenceDialect(d) ? "preference" : "chat";
      if (grouping && schema != "chat") return UsageError("--group-by builds chats; it cannot go --to " + to);
    } else if (from.empty()) {
      from = "auto";
    }
  }
  if (!from.empty() && mapping_flags) {
    return UsageError("--from reads records in a dialect; it cannot be combined with column mapping options");
  }
  if (!from.empty() && from != "auto" && convert::CanonicalDialectName(from).empty()) {
    std::string list;
    for (const auto& k : convert::DialectNames()) list += (list.empty() ? "" : ", ") + k;
    return UsageError("unknown --from '" + from + "' (known: auto, " + list + ")");
  }
  if (!from.empty() && from != "auto") from = convert::CanonicalDialectName(from);

  std::unique_ptr<convert::RowMapper> mapper;
  std::unique_ptr<convert::Grouper> grouper;
  if (grouping) {
    if (chat_flags || pref_flags || comp_flags || list_flags) {
      return UsageError("--group-by takes its turns from --role-col/--content-col; drop --user/--assistant");
    }
    convert::GroupOptions g{group_by, role_col, content_col, order_col, system};
    grouper = std::make_unique<convert::Grouper>(g);
  } else {
    convert::MappingOptions mo;
    mo.to = schema;
    mo.prompt = prompt;
    mo.empty_prompt = cli.Given("prompt") && prompt.empty();
    mo.completion = completion;
    mo.system = system;
    mo.user = user;
    mo.assistant = assistant;
    mo.input = input;
    mo.preferred = preferred;
    mo.non_preferred = non_preferred;
    mo.fields = SplitComma(fields);
    mo.weights = SplitComma(weights);
    if (schema.empty()) mo.columns = SplitComma(columns);
    auto m = convert::RowMapper::Create(mo);
    if (!m.ok()) return m.status();
    mapper = std::move(*m);
  }
  if (!system.empty() && schema != "chat" && schema != "preference" && !grouping) {
    return UsageError("--system is used with --to chat or --to preference (with --user/--input)");
  }

  std::unique_ptr<convert::DialectCodec> decoder, encoder;
  if (!encode.empty()) {
    auto e = convert::DialectCodec::Open(encode, false);
    if (!e.ok()) return e.status();
    encoder = std::move(*e);
  }
  if (!from.empty() && from != "auto") {
    auto d = convert::DialectCodec::Open(from, true);
    if (!d.ok()) return d.status();
    decoder = std::move(*d);
  }

  auto reader = OpenReader(cli.common.inputs, ro);
  if (!reader.ok()) return reader.status();
  auto out = Output::Open(cli.common.output, cli.common.output_options());
  if (!out.ok()) return out.status();
  std::vector<std::pair<std::string, std::string>> wopts;
  if (!columns.empty()) wopts.push_back({"columns", columns});
  if (tsv_escapes && output_format == "tsv") wopts.push_back({"tsv_escapes", "1"});
  auto writer = OpenWriter(std::move(*out), output_format, wopts);
  if (!writer.ok()) return writer.status();
  std::unique_ptr<RejectsWriter> rejects;
  if (!cli.common.rejects.empty()) {
    auto r = RejectsWriter::Open(cli.common.rejects, cli.common.output_options());
    if (!r.ok()) return r.status();
    rejects = std::move(*r);
  }

  Diagnostics diag(max_per_rule);
  diag.set_quiet(quiet);
  Progress progress(cli.common.progress, reader->get());
  Record rec, out_rec;
  uint64_t total = 0, written = 0, rejected = 0;
  bool first_good = true;
  std::string json, tmp, rule, message;

  auto reject = [&](const Location& loc, std::string_view raw, const std::string& r, const std::string& m) -> Status {
    ++rejected;
    diag.Report(Severity::kError, loc, r, m, {}, raw);
    if (rejects) return rejects->Write(loc, raw, {{r, m, ""}});
    return Status::Ok();
  };
  auto emit = [&](std::string_view j, const Location& loc, std::string_view raw) -> Status {
    std::string_view final_json = j;
    if (encoder) {
      std::string err;
      if (!encoder->Convert(j, &tmp, &err)) return reject(loc, raw, "convert.dialect", err);
      final_json = tmp;
    }
    out_rec.Assign(final_json);
    out_rec.loc = loc;
    ++written;
    return (*writer)->Write(out_rec);
  };

  while ((*reader)->Next(&rec)) {
    ++total;
    progress.Tick(total);
    if (rec.bad()) {
      FTPREP_RETURN_IF_ERROR(reject(rec.loc, rec.raw(), rec.rule_id(), rec.error()));
      continue;
    }
    bool passthrough = !grouping && mapper->passthrough() && from.empty() && !encoder;
    if (passthrough) {
      ++written;
      FTPREP_RETURN_IF_ERROR((*writer)->Write(rec));
      continue;
    }
    if (first_good) {
      first_good = false;
      if (from == "auto") {
        std::string d = convert::SniffDialect(rec.json());
        if (d.empty()) {
          std::string list;
          for (const auto& k : convert::DialectNames()) list += (list.empty() ? "" : ", ") + k;
          return UsageError(rec.loc.file + ":" + std::to_string(rec.loc.line) +
                            ": cannot tell the dialect of the first record; name it with --from (" + list +
                            "), or map table columns with --user/--assistant (--to chat) or --input/--preferred/"
                            "--non-preferred (--to preference)");
        }
        from = d;
        auto dec = convert::DialectCodec::Open(d, true);
        if (!dec.ok()) return dec.status();
        decoder = std::move(*dec);
      }
      // A column named by a mapping flag but absent from the first row is a usage error, not N rejects.
      if (from.empty() && rec.parse_ok()) {
        if (grouper) {
          FTPREP_RETURN_IF_ERROR(grouper->CheckColumns(rec.doc()));
        } else if (!mapper->passthrough()) {
          FTPREP_RETURN_IF_ERROR(mapper->CheckColumns(rec.doc()));
        }
      }
    }
    if (decoder) {
      std::string err;
      if (!decoder->Convert(rec.json(), &json, &err)) {
        FTPREP_RETURN_IF_ERROR(reject(rec.loc, rec.raw(), "convert.dialect", err));
        continue;
      }
      FTPREP_RETURN_IF_ERROR(emit(json, rec.loc, rec.raw()));
      continue;
    }
    if (!rec.parse_ok()) {
      FTPREP_RETURN_IF_ERROR(reject(rec.loc, rec.raw(), "json.not_object", "record is not a JSON object"));
      continue;
    }
    if (grouper) {
      if (!grouper->Add(rec.doc(), rec.loc, &rule, &message)) {
        FTPREP_RETURN_IF_ERROR(reject(rec.loc, rec.raw(), rule, message));
      }
      continue;
    }
    if (!mapper->Map(rec.doc(), &json, &rule, &message)) {
      FTPREP_RETURN_IF_ERROR(reject(rec.loc, rec.raw(), rule, message));
      continue;
    }
    FTPREP_RETURN_IF_ERROR(emit(json, rec.loc, rec.raw()));
  }
  progress.Finish();
  FTPREP_RETURN_IF_ERROR(ReaderEndStatus(**reader, total));
  if (grouper) {
    for (auto& g : grouper->Finish()) FTPREP_RETURN_IF_ERROR(emit(g.json, g.loc, g.json));
  }
  FTPREP_RETURN_IF_ERROR((*writer)->Close());
  if (rejects) FTPREP_RETURN_IF_ERROR(rejects->Close());
  diag.PrintSuppressed();
  std::string fmt = (*reader)->format();
  std::string summary = std::to_string(total) + " row" + (total == 1 ? "" : "s") + " read" +
                        (fmt.empty() ? "" : " (" + fmt + ")") + ", " + std::to_string(written) + " record" +
                        (written == 1 ? "" : "s") + " written, " + std::to_string(rejected) + " rejected";
  if (rejects) summary += " (in " + cli.common.rejects + ")";
  if (rejected > 0) return DataError(summary);
  if (!quiet) Note(summary);
  return Status::Ok();
}

}  // namespace ftprep
