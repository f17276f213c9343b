// ftprep prepare — the guided flow of OpenAI's legacy `fine_tunes.prepare_data`, for prompt/completion and
// chat data, without its bugs (see ../shared/PREPARE-LEGACY.md and core/prepare/prepare.h).
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <string>
#include <sys/stat.h>

#include "cli.h"
#include "ftprep/price.h"
#include "ftprep/tokenizer.h"
#include "price/record_tokens.h"
#include "diag.h"
#include "io.h"
#include "ftprep/reader.h"
#include "ftprep/writer.h"
#include "prepare/prepare.h"
#include "report.h"
#include "schema.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep prepare [-q] [options] FILE

Analyses a fine-tuning file the way OpenAI's old `fine_tunes.prepare_data` did and writes a fixed copy.
FILE may be CSV, TSV, XLSX, JSON (an array or a single object), JSONL or TXT (one completion per line).

Prompt/completion data runs the 15 legacy checks in their order: number of examples, prompt/completion
columns (case-insensitive rename), extra columns (dropped), empty completions (removed), task type
(open-ended / classification / conditional generation), duplicates, examples over 10,000 characters,
mostly-uppercase columns, common prompt suffix or a separator to add, common prompt prefix, common
completion prefix, common completion ending or one to add, completions starting with a space. A CSV/TSV
header that names a column twice is read as the legacy flow read it (`prompt`, `prompt.1`): the first is
used and the other dropped with one warning. With a single example only the affix checks are skipped.
Chat data (`messages`) gets the same flow with chat checks: examples without messages or without a trained
assistant message are removed; role spellings, consecutive same-role turns, surrounding whitespace and
duplicates are optional fixes.

Necessary fixes are applied at once. Optional ones are asked after the analysis, `[Y/n]` (default yes);
-q accepts them all; when stdin is not a terminal and -q is not given, no optional fix is applied. Ctrl-C
or Ctrl-D at a question stops the run with nothing written (exit 130, as an interrupt in every tool).
The result goes to <stem>_prepared.jsonl beside FILE (never overwriting: "<stem>_prepared (1).jsonl", ...);
classification data may be split into <stem>_prepared_train.jsonl and <stem>_prepared_valid.jsonl
(train = max(n - 1000, 80 %), shuffled with a fixed seed; valid keeps the original order). If nothing needs
fixing in a JSONL file, nothing is written. Prepare holds the examples' texts in memory.
Records that cannot be read (invalid JSON, or content no tool can read such as a text part without a "text"
string, rule content.unreadable) are reported with their line and left out as a necessary fix: the other
examples are written, never priced as if that content were empty, and the run exits 1.

options:
  -q, --quiet             accept every optional fix (and the split) without asking
  --model M[,M...]        models whose training cost is shown after writing (default: gpt-4.1-mini for
                          chat data, davinci-002,babbage-002 for prompt/completion data; "none" skips it)
  -o, --output FILE       write here instead of <stem>_prepared.jsonl (no split files then)
  --force                 overwrite an existing -o/--report file (never an input)
  --report FILE           JSON report of every finding and every fix applied
  --format NAME           input format (default: from the extension, else sniffed)
  --format-opt KEY=VALUE  option for the format reader (e.g. sheet=2, delimiter=;)
  --plugin-path DIR       load plugins from DIR as well
  --max-shown N           problems shown per rule on stderr (default 20; all are counted)

exit codes: 0 written (or ready as it is); 1 a check failed (e.g. a missing column) or records could not
be read; 2 usage or I/O error; 130 interrupted (Ctrl-C, or Ctrl-D at a question), nothing written.

example:
  ftprep prepare -q samples/prepare/support_tickets.csv
)";

std::string Stem(const std::string& path) {
  std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  for (const char* z : {".gz", ".zst"}) {
    size_t n = std::string(z).size();
    if (base.size() > n && base.compare(base.size() - n, n, z) == 0) base.resize(base.size() - n);
  }
  size_t dot = base.rfind('.');
  if (dot != std::string::npos && dot > 0) base.resize(dot);
  return base;
}

std::string Dir(const std::string& path) {
  size_t s = path.rfind('/');
  return s == std::string::npos ? "" : path.substr(0, s + 1);
}

bool Exists(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0;
}

// "<dir><stem>_prepared<suffix>.jsonl", with " (1)", " (2)", ... before ".jsonl" if taken.
std::string FreeName(const std::string& base_without_ext) {
  std::string p = base_without_ext + ".jsonl";
  for (int i = 1; Exists(p); ++i) p = base_without_ext + " (" + std::to_string(i) + ").jsonl";
  return p;
}

std::string FormatLabel(const std::string& f) {
  std::string u = f;
  for (auto& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

// Value of a prompt/completion field as text; records null/missing and non-strings.
std::string FieldText(const rapidjson::Value& rec, const std::string& key, bool* null_or_missing, bool* non_string) {
  if (key.empty()) return "";
  auto it = rec.FindMember(key.c_str());
  if (it == rec.MemberEnd() || it->value.IsNull()) {
    *null_or_missing = true;
    return "";
  }
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  *non_string = true;
  return ToJson(it->value);
}

// A record with content no tool can read (see TextKind::kUnreadable) is reported as count and price report it,
// under the same rule and message, and left out like a record that does not parse: it must never be written
// and priced as if that content were empty.
bool ReportUnreadable(Record& rec, Diagnostics* diag) {
  bool found = false;
  ForEachText(rec.doc(), [&](TextRef& t) {
    if (found || t.kind != TextKind::kUnreadable) return;
    found = true;
    diag->Report(Severity::kError, rec.loc, kUnreadableRule, UnreadableMessage(t.text), t.path, rec.raw());
  });
  return found;
}

Status WriteExamples(const std::string& path, const std::vector<prepare::Example*>& ex, bool chat,
                     const OutputOptions& opts) {
  auto out = Output::Open(path, opts);
  if (!out.ok()) return out.status();
  std::string line;
  for (const auto* e : ex) {
    line.clear();
    if (chat) {
      line = e->chat;
    } else {
      line = "{\"prompt\":";
      AppendJsonString(e->prompt, &line);
      line += ",\"completion\":";
      AppendJsonString(e->completion, &line);
      line += "}";
    }
    line += "\n";
    FTPREP_RETURN_IF_ERROR((*out)->Write(line));
  }
  return (*out)->Commit();
}

// Yes or no; at a terminal, Ctrl-C (SIGINT) or Ctrl-D / end of input aborts the whole run before anything is
// written, as an interrupt does in every tool.
Result<bool> Ask(const std::string& question, bool interactive, bool accept_all) {
  std::printf("- [Recommended] %s [Y/n]: ", question.c_str());
  if (accept_all) {
    std::printf("Y\n");
    return true;
  }
  if (!interactive) {
    std::printf("n (not asked: stdin is not a terminal; -q accepts)\n");
    return false;
  }
  std::fflush(stdout);
  std::string answer;
  if (!std::getline(std::cin, answer) || Interrupted()) {
    std::printf("\n");
    return Status(Code::kInterrupted, "interrupted, nothing written");
  }
  return !(answer == "n" || answer == "N" || answer == "no" || answer == "No");
}

// The training cost of the written examples for each model: tokens counted with the model's encoding,
// epochs by the provider's default rule, prices from the dated table (see `ftprep price` for more).
void PrintCost(const std::vector<prepare::Example*>& ex, bool chat, const std::string& models) {
  auto table = price::PriceTable::BuiltIn();
  if (!table.ok()) return;
  auto today_or = price::Today();
  if (!today_or.ok()) {
    std::printf("\nTraining cost: %s\n", today_or.status().message().c_str());
    return;
  }
  const price::Date today = *today_or;
  std::printf("\nTraining cost of the written examples (estimate; details with `ftprep price`):\n");
  size_t start = 0;
  while (start <= models.size()) {
    size_t comma = models.find(',', start);
    std::string model = models.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? models.size() + 1 : comma + 1;
    if (model.empty()) continue;
    auto entry = table->Find(model, today);
    auto enc = Tokenizer::EncodingForModel(model);
    if (!entry.ok() || !enc.ok()) {
      std::printf("  %s: %s\n", model.c_str(), (!entry.ok() ? entry.status() : enc.status()).message().c_str());
      continue;
    }
    auto tok = Tokenizer::Get(*enc);
    if (!tok.ok()) continue;
    price::CountFn count = [t = *tok](std::string_view s) { return t->Count(s); };
    price::DatasetTokens data;
    for (const auto* e : ex) {
      rapidjson::Document d;
      if (chat) {
        d.Parse(e->chat.data(), e->chat.size());
      } else {
        d.SetObject();
        d.AddMember("prompt", rapidjson::StringRef(e->prompt.data(), e->prompt.size()), d.GetAllocator());
        d.AddMember("completion", rapidjson::StringRef(e->completion.data(), e->completion.size()), d.GetAllocator());
      }
      price::RecordTokens rt;
      if (!price::CountRecordTokens(d, count, &rt).ok()) continue;
      data.Add(rt.total, rt.prompt, rt.completion);
    }
    auto est = price::EstimateTraining(**entry, data, {});
    if (!est.ok()) {
      std::printf("  %s: %s\n", model.c_str(), est.status().message().c_str());
      continue;
    }
    std::string cost = est->cost ? price::FormatDollarsAuto(*est->cost) : "priced per hour";
    std::printf("  %s: %lld tokens per epoch x %d epoch%s%s = %lld billed tokens -> %s (%s, checked %s)\n",
                model.c_str(), static_cast<long long>(est->billed_tokens_per_epoch), est->epochs,
                est->epochs == 1 ? "" : "s", est->epochs_auto ? " (auto)" : "",
                static_cast<long long>(est->billed_tokens), cost.c_str(), (*entry)->provider.c_str(),
                price::FormatDate((*entry)->checked).c_str());
    if ((*entry)->end_of_availability) {
      std::printf("    note: %s %s\n", (*entry)->end_of_availability_what.c_str(),
                  price::FormatDate(*(*entry)->end_of_availability).c_str());
    }
  }
}

}  // namespace

Status PrepareMain(int argc, char** argv) {
  ToolCli cli("prepare", kUsage, kFlagInput | kFlagOutput | kFlagFormat | kFlagReport | kFlagPlugins |
                                     kFlagLimits | kFlagForce | kFlagShown);
  bool quiet = false;
  std::string models;
  cli.Add()("quiet,q", po::bool_switch(&quiet), "accept all")("model", po::value<std::string>(&models), "models");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  if (cli.common.inputs.size() != 1) return UsageError("give exactly one FILE (see 'ftprep prepare --help')");
  const std::string input = cli.common.inputs[0];
  const bool interactive = isatty(0) && input != "-";

  // A CSV/TSV header with a name twice is read as the legacy flow read it ("prompt", "prompt.1"): the first
  // column is used and the extra-columns check warns about the other.
  ReadOptions read_options = cli.common.read_options();
  if (std::none_of(read_options.format_options.begin(), read_options.format_options.end(),
                   [](const auto& kv) { return kv.first == "duplicate_headers"; })) {
    read_options.format_options.emplace_back("duplicate_headers", "rename");
  }
  auto reader = OpenReader(cli.common.inputs, read_options);
  if (!reader.ok()) return reader.status();

  // Load: remember keys in first-seen order, and the texts each mode needs.
  std::vector<prepare::Example> ex;
  std::vector<std::string> columns;
  std::map<std::string, bool> seen_col;
  std::vector<std::string> raw_json;  // records as read, for prompt/completion field extraction
  std::vector<uint64_t> lines;
  Diagnostics diag(cli.common.max_shown);
  uint64_t bad = 0;
  bool chat = false, decided = false;
  Record rec;
  while ((*reader)->Next(&rec)) {
    if (rec.bad()) {
      ++bad;
      diag.Report(Severity::kError, rec.loc, rec.rule_id(), rec.error(), {}, rec.raw());
      continue;
    }
    if (!rec.parse_ok()) {
      ++bad;
      diag.Report(Severity::kError, rec.loc, "json.not_object", "record is not a JSON object", {}, rec.raw());
      continue;
    }
    if (ReportUnreadable(rec, &diag)) {
      ++bad;
      continue;
    }
    const auto& d = rec.doc();
    if (!decided) {
      chat = d.HasMember("messages");
      decided = true;
    }
    for (auto& m : d.GetObject()) {
      std::string k(m.name.GetString(), m.name.GetStringLength());
      if (!seen_col[k]) {
        seen_col[k] = true;
        columns.push_back(k);
      }
    }
    prepare::Example e;
    e.id = ex.size();
    e.line = rec.loc.line;
    e.chat = std::string(rec.json());
    ex.push_back(std::move(e));
  }
  Status rs = (*reader)->status();
  if (!rs.ok()) return rs;
  const std::string format = (*reader)->format();
  diag.PrintSuppressed();

  std::printf("Analyzing...\n\n");
  std::printf("- Based on your file %s, your file is formatted as a %s file\n",
              cli.common.format == "auto" ? "extension or content" : "--format", FormatLabel(format).c_str());
  if (ex.empty()) {
    std::printf("\nERROR in num_examples check: the file holds no examples%s\n",
                bad ? " that could be read" : "");
    return DataError("nothing to prepare");
  }

  prepare::Analysis an;
  if (chat) {
    an = prepare::AnalyzeChat(ex);
  } else {
    prepare::Input in;
    in.columns = columns;
    auto match = [&](const char* want) -> std::string {
      for (const auto& c : columns) {
        if (c == want) return c;
      }
      for (const auto& c : columns) {
        std::string l = c;
        for (auto& ch : l) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (l == want) return c;
      }
      return "";
    };
    bool text_lines = format == "txt";
    if (text_lines && !columns.empty()) {
      // Legacy TXT: each line is a completion with an empty prompt.
      in.prompt_key = "prompt";
      in.completion_key = columns[0];
      in.columns = {"prompt", columns[0]};
    } else {
      in.prompt_key = match("prompt");
      in.completion_key = match("completion");
    }
    for (auto& e : ex) {
      rapidjson::Document d;
      ftprep::ParseRecordJson(d, e.chat.data(), e.chat.size());
      bool np = false, nc = false, ns = false;
      if (!text_lines) e.prompt = FieldText(d, in.prompt_key, &np, &ns);
      e.completion = FieldText(d, in.completion_key, &nc, &ns);
      if (np && !in.prompt_key.empty()) in.null_prompt_rows.push_back(e.line);
      if (nc && !in.completion_key.empty()) in.null_completion_rows.push_back(e.line);
      if (ns) in.non_string_rows.push_back(e.line);
      e.chat.clear();
    }
    an = prepare::AnalyzeCompletions(in, ex, nullptr);
  }

  for (const auto& m : an.messages) {
    if (m.kind == prepare::Message::kError) {
      std::printf("\nERROR in %s check: %s\n", m.check.c_str(), m.text.c_str());
    } else if (m.kind == prepare::Message::kWarning) {
      std::printf("- WARNING (%s): %s\n", m.check.c_str(), m.text.c_str());
    } else {
      std::printf("- %s\n", m.text.c_str());
    }
  }
  if (an.failed) {
    std::printf("\nAborting: fix the error above and run again; nothing was written.\n");
    return DataError("");
  }

  // Converting from anything but JSONL is itself a necessary fix.
  bool converted = format != "jsonl";
  std::printf("\nBased on the analysis we will perform the following actions:\n");
  if (converted) std::printf("- [Necessary] Your format `%s` will be converted to `JSONL`\n", FormatLabel(format).c_str());
  for (const auto& f : an.fixes) {
    if (f.necessary) std::printf("- [Necessary] %s\n", f.description.c_str());
  }
  bool any_applied = converted || bad > 0;
  if (bad > 0) {
    std::printf("- [Necessary] Leave out %llu unreadable record%s (listed above)\n", static_cast<unsigned long long>(bad),
                bad == 1 ? "" : "s");
  }
  for (auto& f : an.fixes) {
    if (f.necessary) {
      any_applied = true;
      continue;
    }
    auto yes = Ask(f.description, interactive, quiet);
    if (!yes.ok()) return yes.status();
    if (*yes) {
      f.apply(ex);
      f.applied = true;
      any_applied = true;
    }
  }
  std::vector<prepare::Example*> kept;
  std::vector<size_t> kept_idx;
  for (size_t i = 0; i < ex.size(); ++i) {
    if (!ex[i].removed) {
      kept.push_back(&ex[i]);
      kept_idx.push_back(i);
    }
  }
  bool split = false;
  if (an.task == prepare::Task::kClassification && !chat && cli.common.output == "-") {
    auto yes = Ask("Would you like to split into training and validation set?", interactive, quiet);
    if (!yes.ok()) return yes.status();
    split = *yes;
  }

  std::vector<std::string> written;
  std::string stem = input == "-" ? "stdin" : Dir(input) + Stem(input);
  if (!any_applied && !split) {
    std::printf("\nNo changes needed: your file is ready to upload as it is.\n");
  } else if (split) {
    std::vector<size_t> tr, va;
    prepare::LegacySplit(kept_idx, &tr, &va);
    std::vector<prepare::Example*> t, v;
    for (size_t i : tr) t.push_back(&ex[i]);
    for (size_t i : va) v.push_back(&ex[i]);
    std::string tp = FreeName(stem + "_prepared_train"), vp = FreeName(stem + "_prepared_valid");
    FTPREP_RETURN_IF_ERROR(WriteExamples(tp, t, chat, cli.common.output_options()));
    FTPREP_RETURN_IF_ERROR(WriteExamples(vp, v, chat, cli.common.output_options()));
    written = {tp, vp};
    std::printf("\nWrote %zu training examples to `%s` and %zu validation examples to `%s`\n", t.size(), tp.c_str(),
                v.size(), vp.c_str());
  } else {
    std::string path = cli.common.output != "-" ? cli.common.output : FreeName(stem + "_prepared");
    FTPREP_RETURN_IF_ERROR(WriteExamples(path, kept, chat, cli.common.output_options()));
    written = {path};
    std::printf("\nWrote %zu example%s to `%s`\n", kept.size(), kept.size() == 1 ? "" : "s", path.c_str());
  }
  if (!written.empty()) {
    std::printf("\nNext: check the file against your provider's rules and estimate the cost, e.g.\n"
                "  ftprep validate --profile %s \"%s\"\n  ftprep price --model %s \"%s\"\n",
                chat ? "openai-chat" : "openai-completions", written[0].c_str(), chat ? "gpt-4.1-mini" : "davinci-002",
                written[0].c_str());
    if (!chat && an.task != prepare::Task::kOpenEnded) {
      for (const auto& f : an.fixes) {
        if (f.check == "completion_suffix" && f.applied && !f.necessary) {
          std::string end = f.description.substr(f.description.find('`') + 1);
          end = end.substr(0, end.find('`'));
          std::printf("Use `%s` as the stop sequence when you call the fine-tuned model.\n", end.c_str());
        }
      }
    }
  }

  if (!written.empty() && models != "none") {
    if (models.empty()) models = chat ? "gpt-4.1-mini" : "davinci-002,babbage-002";
    PrintCost(kept, chat, models);
  }

  if (!cli.common.report.empty()) {
    rapidjson::Document r;
    r.SetObject();
    auto& al = r.GetAllocator();
    auto str = [&](const std::string& s) { return rapidjson::Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), al); };
    r.AddMember("tool", "prepare", al);
    r.AddMember("version", 1, al);
    r.AddMember("input", str(input), al);
    r.AddMember("format", str(format), al);
    r.AddMember("kind", str(chat ? "chat" : "prompt_completion"), al);
    r.AddMember("task", str(prepare::TaskName(an.task)), al);
    r.AddMember("examples_read", static_cast<uint64_t>(ex.size()), al);
    r.AddMember("records_unreadable", bad, al);
    r.AddMember("examples_written", static_cast<uint64_t>(written.empty() ? 0 : kept.size()), al);
    rapidjson::Value msgs(rapidjson::kArrayType);
    for (const auto& m : an.messages) {
      rapidjson::Value o(rapidjson::kObjectType);
      o.AddMember("check", str(m.check), al);
      o.AddMember("kind", str(m.kind == prepare::Message::kInfo ? "info" : m.kind == prepare::Message::kWarning ? "warning" : "error"), al);
      o.AddMember("message", str(m.text), al);
      msgs.PushBack(o, al);
    }
    r.AddMember("findings", msgs, al);
    rapidjson::Value fixes(rapidjson::kArrayType);
    for (const auto& f : an.fixes) {
      rapidjson::Value o(rapidjson::kObjectType);
      o.AddMember("check", str(f.check), al);
      o.AddMember("fix", str(f.description), al);
      o.AddMember("necessary", f.necessary, al);
      o.AddMember("applied", f.applied, al);
      rapidjson::Value rows(rapidjson::kArrayType);
      for (auto l : f.rows) rows.PushBack(l, al);
      o.AddMember("rows", rows, al);
      fixes.PushBack(o, al);
    }
    r.AddMember("fixes", fixes, al);
    rapidjson::Value outs(rapidjson::kArrayType);
    for (const auto& w : written) outs.PushBack(str(w), al);
    r.AddMember("outputs", outs, al);
    FTPREP_RETURN_IF_ERROR(WriteReport(r, cli.common.report, cli.common.output_options()));
  }
  if (bad > 0) return DataError(std::to_string(bad) + " record(s) could not be read and were left out");
  return Status::Ok();
}

}  // namespace ftprep
