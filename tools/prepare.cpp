// ftprep prepare — the guided flow of OpenAI's legacy `fine_tunes.prepare_data`, for prompt/completion and
// chat data, without its bugs (see ../shared/PREPARE-LEGACY.md and core/prepare/prepare.h).
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <map>
#include <set>
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
#include "rules/rules.h"
#include "pipeline.h"
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
// One line typed at the terminal (without its newline); false on end of input or an interrupt. Reads fd 0
// itself, one byte at a time, only after poll() says a byte is there, and checks the interrupt flag between
// polls: a Ctrl-C that lands just before the read would otherwise leave a blocking read waiting forever
// (the handler has already run, so no EINTR comes). Nothing else reads stdin when it is a terminal.
bool ReadAnswer(std::string* line) {
  line->clear();
  while (!Interrupted()) {
    struct pollfd p = {0, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (r <= 0) continue;  // timeout or EINTR: check the flag again
    char c;
    ssize_t n = read(0, &c, 1);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // end of input (Ctrl-D) or an error
    if (c == '\n') return true;
    line->push_back(c);
  }
  return false;
}

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
  if (!ReadAnswer(&answer) || Interrupted()) {
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

// Reads the examples through the pipeline. A record that does not parse, is not an object, or holds content
// no tool can read (see TextKind::kUnreadable) is rejected there, as count and price reject it, under the
// same rule and message: it is left out, never written and priced as if that content were empty.
class LoadStage : public Stage {
 public:
  std::vector<prepare::Example> examples;
  std::vector<std::string> columns;  // keys in first-seen order
  bool chat = false;

  void Process(Record& rec, Outcome* out, size_t) override {
    out->excerpt = true;
    if (!rec.parse_ok()) return out->Reject("json.not_object", "record is not a JSON object");
    ForEachText(rec.doc(), [&](TextRef& t) {
      if (out->verdict != Verdict::kReject && t.kind == TextKind::kUnreadable) {
        out->Reject(kUnreadableRule, UnreadableMessage(t.text), t.path);
      }
    });
  }

  Status Consume(Record& rec, Outcome& out) override {
    if (out.verdict == Verdict::kReject) return Status::Ok();
    const auto& d = rec.doc();
    if (examples.empty()) chat = d.HasMember("messages");
    for (auto& m : d.GetObject()) {
      std::string k(m.name.GetString(), m.name.GetStringLength());
      if (seen_.insert(k).second) columns.push_back(k);
    }
    prepare::Example e;
    e.id = examples.size();
    e.line = rec.loc.line;
    e.chat = std::string(rec.json());
    examples.push_back(std::move(e));
    return Status::Ok();
  }

 private:
  std::set<std::string> seen_;
};

struct Loaded {
  LoadStage stage;
  std::unique_ptr<RuleEngine> engine;    // prompt/completion data: runs the checks and applies their fixes
  Status fix_status;                     // the first error of a fix applied in the fix loop
  std::string format;
  uint64_t bad = 0;                      // records left out: unreadable
  std::map<std::string, uint64_t> bad_by_rule;  // ... counted per rule id (json.syntax, content.unreadable, ...)
};

Status Load(CommonFlags& flags, Loaded* in) {
  // A CSV/TSV header with a name twice is read as the legacy flow read it ("prompt", "prompt.1"): the first
  // column is used and the extra-columns check warns about the other.
  if (std::none_of(flags.format_opts.begin(), flags.format_opts.end(),
                   [](const std::string& kv) { return kv.rfind("duplicate_headers=", 0) == 0; })) {
    flags.format_opts.push_back("duplicate_headers=rename");
  }
  Pipeline p(flags, 1);
  p.diag().set_max_per_rule(flags.max_shown);
  FTPREP_RETURN_IF_ERROR(p.Run(&in->stage));
  in->format = p.reader()->format();
  in->bad = p.rejected();
  for (const auto& [rule, c] : p.diag().by_rule()) in->bad_by_rule[rule] = c.count;
  p.diag().PrintSuppressed();
  return Status::Ok();
}

// The rule ids of prepare's checks in the completions rule set (validators/completions/prepare_rules.h).
constexpr std::string_view kPrepareRule = "completions.prepare.";

// Applies the fix `rule` of the completions rule set to every example still in; a record the fix turns into
// null is left out.
Status ApplyFix(RuleEngine& engine, const std::string& rule, std::vector<prepare::Example>& ex) {
  for (auto& e : ex) {
    if (e.removed) continue;
    auto changed = engine.Fix(&e.chat, rule);
    if (!changed.ok()) return changed.status();
    if (*changed && e.chat == "null") e.removed = true;
  }
  return Status::Ok();
}

// The analysis from the rule engine's findings: the check is the rule id's last part, the task comes as the
// rule completions.prepare.task.
void ReadFindings(const std::vector<Finding>& findings, prepare::Analysis* an) {
  for (const auto& f : findings) {
    std::string check = f.rule.substr(std::min(f.rule.size(), kPrepareRule.size()));
    if (check == "task") {
      for (auto t : {prepare::Task::kOpenEnded, prepare::Task::kClassification,
                     prepare::Task::kConditionalGeneration}) {
        if (f.message == prepare::TaskName(t)) an->task = t;
      }
      continue;
    }
    auto kind = f.severity == Severity::kError     ? prepare::Message::kError
                : f.severity == Severity::kWarning ? prepare::Message::kWarning
                                                   : prepare::Message::kInfo;
    an->failed = an->failed || kind == prepare::Message::kError;
    an->messages.push_back({kind, check, f.message});
  }
}

// Prompt/completion data: the completions rule set in its legacy mode (prepare's 15 checks, see
// validators/completions/prepare_rules.h), run by the rule engine. Its findings are the messages; its fix
// offers are the fixes, the necessary ones applied here at once, the optional ones left for the fix loop.
Status AnalyzePromptCompletion(Loaded& in, prepare::Analysis* an) {
  Profile p;
  p.name = "prepare";
  p.origin = "built-in";
  RuleSetSpec spec;
  spec.plugin = "completions";
  spec.config = in.format == "txt" ? R"({"legacy":true,"text_lines":true})" : R"({"legacy":true})";
  p.rule_sets.push_back(spec);
  auto engine = RuleEngine::Create(p);
  if (!engine.ok()) return engine.status();
  in.engine = std::move(*engine);
  std::vector<prepare::Example>& ex = in.stage.examples;
  std::vector<Finding> findings;
  for (const auto& e : ex) FTPREP_RETURN_IF_ERROR(in.engine->Check(e.chat, e.line, &findings));
  FTPREP_RETURN_IF_ERROR(in.engine->Finish(&findings));
  an->examples = ex.size();
  ReadFindings(findings, an);
  for (const auto& offer : in.engine->FixPlan({})) {
    if (offer.necessary) FTPREP_RETURN_IF_ERROR(ApplyFix(*in.engine, offer.rule, ex));
    if (offer.description.empty()) continue;  // the normalisation every record gets
    prepare::Fix f;
    f.id = offer.rule.substr(kPrepareRule.size());
    f.check = f.id.substr(0, f.id.find('.'));
    f.description = offer.description;
    f.necessary = f.applied = offer.necessary;
    f.rows = offer.lines;
    if (!offer.necessary) {
      f.apply = [&in, rule = offer.rule](std::vector<prepare::Example>& v) {
        Status st = ApplyFix(*in.engine, rule, v);
        if (in.fix_status.ok()) in.fix_status = st;
      };
    }
    an->fixes.push_back(std::move(f));
  }
  return Status::Ok();
}

// After the fix loop: each prompt/completion example's texts from its fixed record ({"prompt","completion"}).
Status ReadFixedTexts(Loaded& in) {
  FTPREP_RETURN_IF_ERROR(in.fix_status);
  for (auto& e : in.stage.examples) {
    if (e.removed) continue;
    rapidjson::Document d;
    ftprep::ParseRecordJson(d, e.chat.data(), e.chat.size());
    if (d.HasParseError() || !d.IsObject() || !d.HasMember("prompt") || !d["prompt"].IsString() ||
        !d.HasMember("completion") || !d["completion"].IsString()) {
      return InternalError("prepare: a fixed record is not {prompt, completion}: " + e.chat);
    }
    e.prompt.assign(d["prompt"].GetString(), d["prompt"].GetStringLength());
    e.completion.assign(d["completion"].GetString(), d["completion"].GetStringLength());
    std::string().swap(e.chat);
  }
  return Status::Ok();
}

void PrintMessages(const prepare::Analysis& an) {
  for (const auto& m : an.messages) {
    if (m.kind == prepare::Message::kError) {
      std::printf("\nERROR in %s check: %s\n", m.check.c_str(), m.text.c_str());
    } else if (m.kind == prepare::Message::kWarning) {
      std::printf("- WARNING (%s): %s\n", m.check.c_str(), m.text.c_str());
    } else {
      std::printf("- %s\n", m.text.c_str());
    }
  }
}

// The legacy fix loop: necessary fixes listed as done, then each optional one asked in check order and
// applied when accepted. Returns whether anything changed the data (converting from another format counts).
Result<bool> RunFixes(prepare::Analysis& an, Loaded& in, bool interactive, bool quiet) {
  const bool converted = in.format != "jsonl";
  std::printf("\nBased on the analysis we will perform the following actions:\n");
  if (converted) {
    std::printf("- [Necessary] Your format `%s` will be converted to `JSONL`\n",
                FormatLabel(in.format).c_str());
  }
  for (const auto& f : an.fixes) {
    if (f.necessary) std::printf("- [Necessary] %s\n", f.description.c_str());
  }
  bool any_applied = converted || in.bad > 0;
  if (in.bad > 0) {
    std::printf("- [Necessary] Leave out %llu unreadable record%s (listed above)\n",
                static_cast<unsigned long long>(in.bad), in.bad == 1 ? "" : "s");
  }
  for (auto& f : an.fixes) {
    if (f.necessary) {
      any_applied = true;
      continue;
    }
    auto yes = Ask(f.description, interactive, quiet);
    if (!yes.ok()) return yes.status();
    if (*yes) {
      f.apply(in.stage.examples);
      f.applied = true;
      any_applied = true;
    }
  }
  return any_applied;
}

struct Written {
  std::vector<std::string> paths;
  std::vector<prepare::Example*> kept;  // the examples left after the fixes
};

// Writes <stem>_prepared.jsonl (or -o), the train/valid pair for a split, or nothing when nothing changed.
Status WriteOutputs(const CommonFlags& flags, Loaded& in, bool any_applied, bool split, Written* w) {
  std::vector<prepare::Example>& ex = in.stage.examples;
  std::vector<size_t> kept_idx;
  for (size_t i = 0; i < ex.size(); ++i) {
    if (!ex[i].removed) {
      w->kept.push_back(&ex[i]);
      kept_idx.push_back(i);
    }
  }
  const std::string& input = flags.inputs[0];
  std::string stem = input == "-" ? "stdin" : Dir(input) + Stem(input);
  const bool chat = in.stage.chat;
  if (!any_applied && !split) {
    std::printf("\nNo changes needed: your file is ready to upload as it is.\n");
  } else if (split) {
    std::vector<size_t> tr, va;
    prepare::LegacySplit(kept_idx, &tr, &va);
    std::vector<prepare::Example*> t, v;
    for (size_t i : tr) t.push_back(&ex[i]);
    for (size_t i : va) v.push_back(&ex[i]);
    std::string tp = FreeName(stem + "_prepared_train"), vp = FreeName(stem + "_prepared_valid");
    FTPREP_RETURN_IF_ERROR(WriteExamples(tp, t, chat, flags.output_options()));
    FTPREP_RETURN_IF_ERROR(WriteExamples(vp, v, chat, flags.output_options()));
    w->paths = {tp, vp};
    std::printf("\nWrote %zu training examples to `%s` and %zu validation examples to `%s`\n", t.size(),
                tp.c_str(), v.size(), vp.c_str());
  } else {
    std::string path = flags.output != "-" ? flags.output : FreeName(stem + "_prepared");
    FTPREP_RETURN_IF_ERROR(WriteExamples(path, w->kept, chat, flags.output_options()));
    w->paths = {path};
    std::printf("\nWrote %zu example%s to `%s`\n", w->kept.size(), w->kept.size() == 1 ? "" : "s",
                path.c_str());
  }
  return Status::Ok();
}

void PrintNext(const prepare::Analysis& an, bool chat, const Written& w) {
  std::printf(
      "\nNext: check the file against your provider's rules and estimate the cost, e.g.\n"
      "  ftprep validate --profile %s \"%s\"\n  ftprep price --model %s \"%s\"\n",
      chat ? "openai-chat" : "openai-completions", w.paths[0].c_str(), chat ? "gpt-4.1-mini" : "davinci-002",
      w.paths[0].c_str());
  if (chat || an.task == prepare::Task::kOpenEnded) return;
  for (const auto& f : an.fixes) {
    if (f.check == "completion_suffix" && f.applied && !f.necessary) {
      std::string end = f.description.substr(f.description.find('`') + 1);
      end = end.substr(0, end.find('`'));
      std::printf("Use `%s` as the stop sequence when you call the fine-tuned model.\n", end.c_str());
    }
  }
}

Status WritePrepareReport(const CommonFlags& flags, const Loaded& in, const prepare::Analysis& an,
                          const Written& w) {
  rapidjson::Document r;
  r.SetObject();
  auto& al = r.GetAllocator();
  auto str = [&](const std::string& s) {
    return rapidjson::Value(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), al);
  };
  r.AddMember("tool", "prepare", al);
  r.AddMember("version", 1, al);
  r.AddMember("input", str(flags.inputs[0]), al);
  r.AddMember("format", str(in.format), al);
  r.AddMember("kind", str(in.stage.chat ? "chat" : "prompt_completion"), al);
  r.AddMember("task", str(prepare::TaskName(an.task)), al);
  r.AddMember("examples_read", static_cast<uint64_t>(in.stage.examples.size()), al);
  r.AddMember("records_unreadable", in.bad, al);
  rapidjson::Value by_rule(rapidjson::kObjectType);
  for (const auto& [rule, count] : in.bad_by_rule) {
    rapidjson::Value n;
    n.SetUint64(count);
    by_rule.AddMember(str(rule), n, al);
  }
  r.AddMember("unreadable_by_rule", by_rule, al);
  r.AddMember("examples_written", static_cast<uint64_t>(w.paths.empty() ? 0 : w.kept.size()), al);
  rapidjson::Value msgs(rapidjson::kArrayType);
  for (const auto& m : an.messages) {
    rapidjson::Value o(rapidjson::kObjectType);
    o.AddMember("check", str(m.check), al);
    const char* kind = m.kind == prepare::Message::kInfo      ? "info"
                       : m.kind == prepare::Message::kWarning ? "warning"
                                                              : "error";
    o.AddMember("kind", str(kind), al);
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
  for (const auto& p : w.paths) outs.PushBack(str(p), al);
  r.AddMember("outputs", outs, al);
  return WriteReport(r, flags.report, flags.output_options());
}

// Reads and analyses FILE; prints the analysis. Fails (nothing to write) on an empty file or an error check.
Status Analyze(CommonFlags& flags, Loaded* in, prepare::Analysis* an) {
  FTPREP_RETURN_IF_ERROR(Load(flags, in));
  std::printf("Analyzing...\n\n");
  std::printf("- Based on your file %s, your file is formatted as a %s file\n",
              flags.format == "auto" ? "extension or content" : "--format", FormatLabel(in->format).c_str());
  if (in->stage.examples.empty()) {
    std::printf("\nERROR in num_examples check: the file holds no examples%s\n",
                in->bad ? " that could be read" : "");
    return DataError("nothing to prepare");
  }
  if (in->stage.chat) {
    *an = prepare::AnalyzeChat(in->stage.examples);
  } else {
    FTPREP_RETURN_IF_ERROR(AnalyzePromptCompletion(*in, an));
  }
  PrintMessages(*an);
  if (an->failed) {
    std::printf("\nAborting: fix the error above and run again; nothing was written.\n");
    return DataError("");
  }
  return Status::Ok();
}

}  // namespace

Status PrepareMain(int argc, char** argv) {
  ToolCli cli("prepare", kUsage,
              kFlagInput | kFlagOutput | kFlagFormat | kFlagReport | kFlagPlugins | kFlagLimits | kFlagForce |
                  kFlagShown);
  bool quiet = false;
  std::string models;
  cli.Add()("quiet,q", po::bool_switch(&quiet), "accept all")("model", po::value<std::string>(&models),
                                                              "models");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  if (cli.common.inputs.size() != 1) return UsageError("give exactly one FILE (see 'ftprep prepare --help')");
  const bool interactive = isatty(0) && cli.common.inputs[0] != "-";

  Loaded in;
  prepare::Analysis an;
  FTPREP_RETURN_IF_ERROR(Analyze(cli.common, &in, &an));
  auto any_applied = RunFixes(an, in, interactive, quiet);
  if (!any_applied.ok()) return any_applied.status();
  if (!in.stage.chat) FTPREP_RETURN_IF_ERROR(ReadFixedTexts(in));
  bool split = false;
  if (an.task == prepare::Task::kClassification && !in.stage.chat && cli.common.output == "-") {
    auto yes = Ask("Would you like to split into training and validation set?", interactive, quiet);
    if (!yes.ok()) return yes.status();
    split = *yes;
  }
  Written w;
  FTPREP_RETURN_IF_ERROR(WriteOutputs(cli.common, in, *any_applied, split, &w));
  if (!w.paths.empty()) PrintNext(an, in.stage.chat, w);
  if (!w.paths.empty() && models != "none") {
    if (models.empty()) models = in.stage.chat ? "gpt-4.1-mini" : "davinci-002,babbage-002";
    PrintCost(w.kept, in.stage.chat, models);
  }
  if (!cli.common.report.empty()) FTPREP_RETURN_IF_ERROR(WritePrepareReport(cli.common, in, an, w));
  if (in.bad > 0) return DataError(std::to_string(in.bad) + " record(s) could not be read and were left out");
  return Status::Ok();
}

}  // namespace ftprep
