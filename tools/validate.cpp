// ftprep validate — checks every record against a profile; reports every bad line; CI exit codes.
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "cli.h"
#include "html.h"
#include "diag.h"
#include "ftprep/price.h"
#include "ftprep/reader.h"
#include "ftprep/writer.h"
#include "pipeline.h"
#include "rules/rules.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep validate [--profile NAME|auto|FILE.json] [options] [FILE...]

Checks every record of FILE (any format; '-' or none = stdin) against a provider profile and reports every
problem as `file:line: error[rule-id]: what at json.path`. Valid records pass through to stdout (or -o), so
validate sits in a pipe; invalid ones are counted, reported on stderr and, with --rejects, written to a file
with their errors attached. The run never stops at the first bad line. At the end, findings are grouped by
rule with counts and first lines, then one summary line.

profiles (--list-profiles shows sources and dates):
  auto                 pick one from the shape of the first record and say which (default)
  openai-chat openai-dpo openai-rft openai-completions together mistral vertex-gemini bedrock-nova
  bedrock-claude fireworks cohere
  prepare              the 15 checks of `ftprep prepare` on prompt/completion data (with --fix: prepare
                       without questions; the whole file is held in memory)
  jsonl                only: every line a JSON object in valid UTF-8 (nesting <= 1000 levels), plus the
                       rules given with --rules, --rule-set, --valid or --model (for any record shape)
  FILE.json            your own profile (same schema as validators/profiles/*.json)

options:
  --profile NAME          profile to check against (default: auto)
  --list-profiles         list the profiles and exit
  --rules FILE            also apply declarative rules from FILE (required fields, types, regexes, lengths in
                          chars or tokens, JSON Schema; see validators/README.md)
  --rule-set NAME         also run the rule plugin NAME (e.g. refusals from --plugin-path)
  --disable RULE          do not apply rule id RULE (repeatable)
  --valid FILE            validation file (JSONL): records also in FILE are errors (dataset.valid_overlap)
  -m, --model NAME        take the token limit and encoding of model NAME from the price table
  --no-tokens             skip the token rules
  --strict                warnings count as errors (exit 1, record rejected)
  --fix                   write every record to stdout/-o with the necessary fixes of the rules that reported
                          applied (renames, dropped keys; with --profile prepare also the records prepare
                          leaves out); reads FILE twice, so not stdin. Findings and the exit code still
                          describe FILE as read: validate the written file to see what is left
  --fix-optional          --fix, plus the optional fixes (prepare's separators, endings, prefixes, lower
                          case, duplicates; clean.* repairs), as `prepare -q` accepts them all
  --max-shown N           print at most N findings per rule (default 20; all are counted and reported)
  --report FILE           write a JSON report: counts, findings per rule, every finding (schema below)
  --html FILE             write the report as one self-contained HTML page (findings per rule, examples)
  --format sarif          write findings as SARIF 2.1.0 to stdout instead of the records (use -o for those);
                          any other --format value names the input format (csv, jsonl, ...)
  -q, --quiet             only errors on stderr: no findings, only the summary line when the data failed
  -j, --jobs N            read on N threads (default: the number of cores); the results are the same
  -o, --output FILE       where valid records go (default: stdout; written atomically)
  --rejects FILE          write invalid records, with their errors, as JSONL
  --format-opt KEY=VALUE  option for the format reader (e.g. delimiter=;)
  --max-record-bytes N    longest record accepted (default 64M)
  --progress MODE         never|always|auto (default auto: on a terminal, after a second)
  --plugin-path DIR       load plugins from DIR as well
  --force                 overwrite an existing -o/--rejects/--report file (never an input)

report (--report): {"tool":"validate","version":1,"profile":NAME,
  "counts":{"records","valid","invalid","errors","warnings","infos"},
  "histograms":{"errors_by_rule":{RULE:N},"warnings_by_rule":{RULE:N},"infos_by_rule":{RULE:N}},
  "findings":[{"file","line","column","rule","severity","path","message"}],
  "derived":{"passed":BOOL}}   line 0 = about the whole file. `ftprep merge` sums counts and histograms,
  concatenates findings and recomputes derived; dataset rules (minimum size, duplicates) see one shard each.

exit codes: 0 no errors (warnings allowed); 1 some record or the dataset failed (or any warning with
--strict); 2 usage, I/O or internal error; 130 interrupted.

example:
  ftprep validate --profile openai-chat --report report.json --rejects bad.jsonl train.jsonl > good.jsonl
)";




const char* SarifLevel(Severity s) {
  return s == Severity::kError ? "error" : s == Severity::kWarning ? "warning" : "note";
}

struct Stored {
  Location loc;
  Finding f;
};

// Sets key=value (value: JSON text) in a rule set's JSON config.
std::string WithConfig(const std::string& config, const char* key, const std::string& json_value) {
  rapidjson::Document d;
  d.Parse(config.c_str());
  if (!d.IsObject()) d.SetObject();
  rapidjson::Document v(&d.GetAllocator());
  v.Parse(json_value.c_str());
  d.RemoveMember(key);
  d.AddMember(rapidjson::Value(key, d.GetAllocator()), rapidjson::Value(v, d.GetAllocator()), d.GetAllocator());
  return ToJson(d);
}

std::string JsonString(std::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

Status ListProfiles() {
  std::string out;
  for (const auto& name : BuiltinProfileNames()) {
    auto p = LoadProfile(name);
    if (!p.ok()) return p.status();
    std::string shapes;
    for (size_t i = 0; i < p->shapes.size(); ++i) shapes += (i ? "," : "") + p->shapes[i];
    char line[512];
    std::snprintf(line, sizeof(line), "%-19s %-42s checked %s\n", name.c_str(), shapes.c_str(), p->checked.c_str());
    out += line;
    out += "    " + p->description + "\n";
    for (const auto& s : p->sources) out += "    source: " + s + "\n";
  }
  out += "jsonl               (syntax only)\n    every line a JSON object in valid UTF-8\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::Ok();
}

// Applies the command line to the profile: extra rule sets, disabled rules, --valid, --model, --no-tokens.
Status Customise(Profile* p, const std::string& rules_file, const std::vector<std::string>& rule_sets,
                 const std::vector<std::string>& disabled, const std::string& valid, const std::string& model,
                 bool no_tokens, const std::vector<std::string>& inputs) {
  if (no_tokens) {
    std::erase_if(p->rule_sets, [](const RuleSetSpec& s) { return s.plugin == "tokens"; });
  }
  if (!model.empty()) {
    auto table = price::PriceTable::BuiltIn();
    if (!table.ok()) return table.status();
    auto today = price::Today();
    if (!today.ok()) return today.status();
    auto entry = table->Find(model, *today);
    if (!entry.ok()) return entry.status();
    bool found = false;
    for (auto& s : p->rule_sets) {
      if (s.plugin != "tokens") continue;
      found = true;
      s.config = WithConfig(s.config, "encoding", JsonString((*entry)->encoding));
      s.config = WithConfig(s.config, "model", JsonString((*entry)->model));
      if ((*entry)->training_context > 0) {
        s.config = WithConfig(s.config, "max_example_tokens", std::to_string((*entry)->training_context));
      }
    }
    if (!found && !no_tokens) {
      std::string cfg = WithConfig("{}", "encoding", JsonString((*entry)->encoding));
      cfg = WithConfig(cfg, "model", JsonString((*entry)->model));
      if ((*entry)->training_context > 0) {
        cfg = WithConfig(cfg, "max_example_tokens", std::to_string((*entry)->training_context));
      }
      p->rule_sets.push_back({"tokens", cfg, {}});
    }
  }
  if (!valid.empty()) {
    bool found = false;
    for (auto& s : p->rule_sets) {
      if (s.plugin != "dataset") continue;
      found = true;
      s.config = WithConfig(s.config, "valid_file", JsonString(valid));
    }
    if (!found) p->rule_sets.push_back({"dataset", WithConfig("{}", "valid_file", JsonString(valid)), {}});
  }
  // The dataset rules check the size of the files as given (a provider's upload limit).
  std::string files = "[";
  for (size_t i = 0; i < inputs.size(); ++i) files += (i ? "," : "") + JsonString(inputs[i]);
  files += "]";
  for (auto& s : p->rule_sets) {
    if (s.plugin == "dataset") s.config = WithConfig(s.config, "input_files", files);
  }
  if (!rules_file.empty()) {
    auto spec = LoadRulesFile(rules_file);
    if (!spec.ok()) return spec.status();
    p->rule_sets.push_back(std::move(*spec));
  }
  for (const auto& r : rule_sets) p->rule_sets.push_back({r, "{}", {}});
  for (const auto& d : disabled) p->disabled.insert(d);
  return Status::Ok();
}

std::string ReportJson(const std::string& profile, uint64_t total, uint64_t valid, uint64_t invalid,
                       const std::map<std::string, Diagnostics::RuleCount, std::less<>>& by_rule,
                       const std::vector<Stored>& all,
                       uint64_t errors, uint64_t warnings, uint64_t infos) {
  std::string o = "{\"tool\":\"validate\",\"version\":1,\"profile\":" + JsonString(profile);
  o += ",\"counts\":{\"records\":" + std::to_string(total) + ",\"valid\":" + std::to_string(valid) +
       ",\"invalid\":" + std::to_string(invalid) + ",\"errors\":" + std::to_string(errors) +
       ",\"warnings\":" + std::to_string(warnings) + ",\"infos\":" + std::to_string(infos) + "}";
  o += ",\"histograms\":{";
  const char* names[] = {"infos_by_rule", "warnings_by_rule", "errors_by_rule"};
  for (int sev = 2; sev >= 0; --sev) {
    o += std::string(sev == 2 ? "" : ",") + "\"" + names[sev] + "\":{";
    bool first = true;
    for (const auto& [rule, rc] : by_rule) {
      if (static_cast<int>(rc.severity) != sev) continue;
      o += (first ? "" : ",") + JsonString(rule) + ":" + std::to_string(rc.count);
      first = false;
    }
    o += "}";
  }
  o += "},\"findings\":[";
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& s = all[i];
    o += i ? ",\n" : "\n";
    o += "{\"file\":" + JsonString(s.loc.file) + ",\"line\":" + std::to_string(s.loc.line) +
         ",\"column\":" + std::to_string(s.loc.column) + ",\"rule\":" + JsonString(s.f.rule_id()) +
         ",\"severity\":\"" + SeverityName(s.f.severity) + "\",\"path\":" + JsonString(s.f.path) +
         ",\"message\":" + JsonString(s.f.message) + "}";
  }
  o += "],\"derived\":{\"passed\":" + std::string(errors == 0 ? "true" : "false") + "}}\n";
  return o;
}

std::string SarifJson(const std::vector<Stored>& all, const std::vector<const ftprep_rule_info*>& rules) {
  std::string o =
      "{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{"
      "\"driver\":{\"name\":\"ftprep\",\"informationUri\":\"https://github.com/ftprep/ftprep\",\"rules\":[";
  std::map<std::string, const ftprep_rule_info*> used;
  for (const auto& s : all) used[std::string(s.f.rule_id())] = nullptr;
  for (const auto* r : rules) {
    if (used.count(r->id)) used[r->id] = r;
  }
  bool first = true;
  for (const auto& [id, r] : used) {
    o += (first ? "" : ",") + std::string("{\"id\":") + JsonString(id);
    if (r && r->summary) o += ",\"shortDescription\":{\"text\":" + JsonString(r->summary) + "}";
    o += "}";
    first = false;
  }
  o += "]}},\"results\":[";
  for (size_t i = 0; i < all.size(); ++i) {
    const auto& s = all[i];
    o += i ? ",\n" : "\n";
    std::string text = s.f.message + (s.f.path.empty() ? "" : " at " + s.f.path);
    o += "{\"ruleId\":" + JsonString(s.f.rule_id()) + ",\"level\":\"" + SarifLevel(s.f.severity) +
         "\",\"message\":{\"text\":" + JsonString(text) + "},\"locations\":[{\"physicalLocation\":{" +
         "\"artifactLocation\":{\"uri\":" + JsonString(s.loc.file) + "}";
    if (s.loc.line) {
      o += ",\"region\":{\"startLine\":" + std::to_string(s.loc.line);
      if (s.loc.column) o += ",\"startColumn\":" + std::to_string(s.loc.column);
      o += "}";
    }
    o += "}";
    if (!s.f.path.empty()) o += ",\"logicalLocations\":[{\"fullyQualifiedName\":" + JsonString(s.f.path) + "}]";
    o += "}]}";
  }
  o += "]}]}\n";
  return o;
}

// The per-rule table printed at the end: count, severity, first lines.
void PrintGroups(const std::map<std::string, std::vector<uint64_t>>& lines,
                 const std::map<std::string, Diagnostics::RuleCount, std::less<>>& by_rule) {
  if (by_rule.empty()) return;
  std::string out = ToolName() + ": findings by rule:\n";
  for (const auto& [rule, rc] : by_rule) {
    char head[256];
    std::snprintf(head, sizeof(head), "  %-8s %-36s %8llu", SeverityName(rc.severity), rule.c_str(),
                  static_cast<unsigned long long>(rc.count));
    out += head;
    auto it = lines.find(rule);
    if (it != lines.end() && !it->second.empty()) {
      out += "  line";
      out += it->second.size() > 1 ? "s " : " ";
      for (size_t i = 0; i < it->second.size(); ++i) out += (i ? "," : "") + std::to_string(it->second[i]);
      if (rc.count > it->second.size()) out += ",…";
    }
    out += "\n";
  }
  std::fwrite(out.data(), 1, out.size(), stderr);
}

struct Options {
  std::string profile = "auto", rules_file, valid_file, model;
  std::vector<std::string> rule_sets, disabled;
  bool strict = false, list = false, no_tokens = false, sarif = false;
  bool fix = false, fix_optional = false;  // --fix, --fix-optional
};

// The per-record half of the rule engine's work for one record, carried from Process to Consume.
struct ChecksExtra : OutcomeExtra {
  RecordChecks checks;
};

// Checks records against the profile. Each worker runs the per-record rule sets (and the digest half of
// dataset rule sets) on its own engine in Process; Consume feeds the digests, in input order, to one more
// engine that owns the whole-file state (duplicates, minimum size, token totals) and the rule sets behind the
// C ABI. So findings are the same for any --jobs.
class ValidateStage : public Stage {
 public:
  ValidateStage(Options& o, const CommonFlags& c)
      : o_(o),
        inputs_(c.inputs),
        quiet_(c.quiet),
        keep_all_(!c.report.empty() || !c.html.empty() || o.sarif),
        light_(!keep_all_ && c.rejects.empty()) {}

  // The profile: a name, a file, "jsonl" (syntax only, plus the rules asked for on the command line), or chosen
  // from the first record ("auto").
  Status Init() {
    syntax_only_ = o_.profile == "jsonl";
    automatic_ = o_.profile == "auto";
    if (!syntax_only_ && !automatic_) {
      auto p = LoadProfile(o_.profile);
      if (!p.ok()) {
        Status s = p.status();
        bool unknown = s.code() == Code::kNotFound && s.message().rfind("unknown profile", 0) == 0;
        return unknown ? UsageError(s.message()) : s;
      }
      return UseProfile(std::move(*p));
    }
    if (syntax_only_ && (!o_.rules_file.empty() || !o_.rule_sets.empty() || !o_.valid_file.empty() || !o_.model.empty())) {
      Profile p;
      p.name = "jsonl";
      p.origin = "built-in";
      return UseProfile(std::move(p));
    }
    return Status::Ok();
  }

  Status First(Record& rec) override {
    if (!automatic_ || engine_) return Status::Ok();
    std::string why;
    std::string chosen = ProfileForShape(rec.json(), &why);
    std::string at = " at " + rec.loc.file + ":" + std::to_string(rec.loc.line);
    note_index_ = rec.index;
    if (chosen.empty()) {
      no_profile_ = true;
      note_ = "profile auto: " + why + at + " matches no provider profile";
      return Status::Ok();
    }
    auto p = LoadProfile(chosen);
    if (!p.ok()) return p.status();
    o_.profile = chosen;
    note_ = "profile auto: using " + chosen + " (" + why + at + ")";
    return UseProfile(std::move(*p));
  }

  Status Start(size_t workers) override {
    workers_ = workers;
    if (profile_) FTPREP_RETURN_IF_ERROR(MakeWorkerEngines());
    Lighten();
    return Status::Ok();
  }

  void Process(Record& rec, Outcome* out, size_t worker) override {
    if (o_.strict) out->reject_at = Severity::kWarning;
    if (!engine_ || !rec.parse_ok()) return;
    if (!out->extra) out->extra = std::make_unique<ChecksExtra>();
    auto* x = static_cast<ChecksExtra*>(out->extra.get());
    out->error = workers_engines_[worker]->CheckRecord(rec.doc(), rec.json(), rec.loc.line, &x->checks);
  }

  Status Consume(Record& rec, Outcome& out) override {
    ++total;
    if (rec.index == note_index_ && !note_.empty() && !quiet_) Note(note_);
    if (!rec.bad()) {
      if (engine_) {
        if (!rec.parse_ok()) {
          return DataError(rec.loc.file + ":" + std::to_string(rec.loc.line) + ": record is not valid JSON");
        }
        auto* x = static_cast<ChecksExtra*>(out.extra.get());
        FTPREP_RETURN_IF_ERROR(engine_->Consume(&x->checks, rec.loc.line, &out.findings));
      } else if (no_profile_) {
        out.findings.push_back({"profile.shape", Severity::kError, "",
                                "record shape " + RecordShape(rec.json()) +
                                    " is not a provider's training format; convert it (ftprep convert --to chat) "
                                    "or pass --profile",
                                rec.loc.line});
      }
    }
    bool bad = rec.bad();
    for (const auto& f : out.findings) {
      Track(rec.loc, f);
      bad |= f.severity >= out.reject_at;
    }
    out.verdict = bad ? Verdict::kReject : Verdict::kKeep;
    ++(bad ? invalid : valid);
    return Status::Ok();
  }

  // Dataset rules (minimum size, class balance, unavailable token rules) speak after the last record.
  Status FinishDataset(const std::string& file, bool* failed) {
    std::vector<Finding> findings;
    if (automatic_ && !engine_ && !no_profile_ && total == 0) {
      findings = {{"dataset.empty", Severity::kError, "", "no records; nothing to validate", 0}};
    } else if (engine_) {
      FTPREP_RETURN_IF_ERROR(engine_->Finish(&findings));
    }
    Location whole;
    whole.file = file;
    for (const auto& f : findings) {
      diag->Report(f.severity, whole, f.rule_id(), f.message, f.path);
      Track(whole, f);
      if (f.severity == Severity::kError || (o_.strict && f.severity == Severity::kWarning)) *failed = true;
    }
    return Status::Ok();
  }

  std::vector<const ftprep_rule_info*> Rules() const {
    return engine_ ? engine_->Rules() : std::vector<const ftprep_rule_info*>{};
  }
  // The engine that saw every record and ran the dataset rules (the one whose fixes apply), and the rule ids
  // that reported something.
  RuleEngine* engine() { return engine_.get(); }
  const std::set<std::string>& fired() const { return fired_; }

  Diagnostics* diag = nullptr;
  uint64_t total = 0, valid = 0, invalid = 0, infos = 0;
  std::vector<Stored> all;
  std::map<std::string, std::vector<uint64_t>> first_lines;

 private:
  // The ordered engine now; the workers' engines once the number of workers is known (Start, or First with
  // the automatic profile, which runs after Start and before any Process).
  Status UseProfile(Profile p) {
    FTPREP_RETURN_IF_ERROR(Customise(&p, o_.rules_file, o_.rule_sets, o_.disabled, o_.valid_file, o_.model, o_.no_tokens, inputs_));
    auto e = RuleEngine::Create(p);
    if (!e.ok()) return e.status();
    engine_ = std::move(*e);
    profile_ = std::make_unique<Profile>(std::move(p));
    if (workers_ > 0) FTPREP_RETURN_IF_ERROR(MakeWorkerEngines());
    Lighten();
    return Status::Ok();
  }
  // Findings keep their text only when it may be printed: nothing else reads it without a report, SARIF or
  // rejects (most findings of a big file are beyond --max-shown and only counted).
  void Lighten() {
    if (!light_ || diag == nullptr) return;
    if (engine_) engine_->CountOnly(diag);
    for (auto& e : workers_engines_) e->CountOnly(diag);
  }
  Status MakeWorkerEngines() {
    workers_engines_.clear();
    for (size_t i = 0; i < workers_; ++i) {
      auto e = RuleEngine::Create(*profile_);
      if (!e.ok()) return e.status();
      workers_engines_.push_back(std::move(*e));
    }
    return Status::Ok();
  }
  // first_lines' entry of the finding's rule, by its interned id when it has one (no lookup by name).
  std::vector<uint64_t>& FirstLines(const Finding& f) {
    if (f.id == nullptr) {
      if (o_.fix) fired_.insert(f.rule);
      return first_lines[f.rule];
    }
    if (f.id->index >= lines_by_id_.size()) lines_by_id_.resize(f.id->index + 1, nullptr);
    std::vector<uint64_t>*& fl = lines_by_id_[f.id->index];
    if (fl == nullptr) {  // the rule's first finding
      fl = &first_lines[f.id->name];
      if (o_.fix) fired_.insert(f.id->name);
    }
    return *fl;
  }
  void Track(const Location& loc, const Finding& f) {
    if (f.severity == Severity::kInfo) ++infos;
    auto& fl = FirstLines(f);
    if (loc.line && fl.size() < 5 && (fl.empty() || fl.back() != loc.line)) fl.push_back(loc.line);
    if (keep_all_) all.push_back({loc, f});
  }

  Options& o_;
  std::vector<std::string> inputs_;
  bool quiet_, keep_all_, light_, syntax_only_ = false, automatic_ = false, no_profile_ = false;
  std::unique_ptr<RuleEngine> engine_;               // Consume and Finish: input order, whole-file state
  std::vector<std::unique_ptr<RuleEngine>> workers_engines_;  // CheckRecord, one per worker
  std::unique_ptr<Profile> profile_;
  size_t workers_ = 0;
  std::string note_;
  uint64_t note_index_ = UINT64_MAX;
  std::set<std::string> fired_;
  std::vector<std::vector<uint64_t>*> lines_by_id_;  // interned rule index -> first_lines entry
};

// --fix: the second pass. Each record gets the fixes of the plan in order (RuleEngine::Fix on the engine that
// saw the whole file, so dataset-wide fixes such as "add this separator" know their separator); a record a fix
// turns into null is left out. Serial: dataset fixes keep state across records (the first of duplicates stays).
class FixStage : public Stage {
 public:
  FixStage(RuleEngine& engine, std::vector<plugin::FixOffer> plan) : engine_(engine), plan_(std::move(plan)) {}
  void Process(Record&, Outcome*, size_t) override {}
  Status Consume(Record& rec, Outcome& out) override {
    if (rec.bad() || out.verdict == Verdict::kReject) return Status::Ok();
    json_.assign(rec.json());
    bool changed = false;
    for (const auto& f : plan_) {
      auto r = engine_.Fix(&json_, f.rule);
      if (!r.ok()) return r.status();
      changed = changed || *r;
      if (json_ == "null") {
        ++dropped;
        out.verdict = Verdict::kDrop;
        return Status::Ok();
      }
    }
    if (changed) {
      ++this->changed;
      rec.Assign(json_);
    }
    return Status::Ok();
  }
  uint64_t changed = 0, dropped = 0;

 private:
  RuleEngine& engine_;
  std::vector<plugin::FixOffer> plan_;
  std::string json_;
};

// Reads the input again and writes every record with the fixes applied to -o. Says which fixes ran.
Status WriteFixed(const Options& o, const CommonFlags& c, ValidateStage& st) {
  if (st.engine() == nullptr) return Status::Ok();
  std::vector<plugin::FixOffer> plan;
  for (auto& f : st.engine()->FixPlan(st.fired())) {
    if (f.necessary || o.fix_optional) plan.push_back(std::move(f));
  }
  CommonFlags again = c;  // the records once more, without a second --rejects or report
  again.rejects.clear();
  again.report.clear();
  again.html.clear();
  again.progress = "never";
  Pipeline p(again, 1);
  p.diag().set_quiet(true);
  FTPREP_RETURN_IF_ERROR(p.OpenOutput("jsonl"));
  FixStage stage(*st.engine(), plan);
  FTPREP_RETURN_IF_ERROR(p.Run(&stage));
  FTPREP_RETURN_IF_ERROR(p.Commit());
  if (c.quiet) return Status::Ok();
  for (const auto& f : plan) {
    if (!f.description.empty()) Note("fix " + f.rule + ": " + f.description);
  }
  Note("fixed: " + std::to_string(p.written()) + " records written to " + (c.output == "-" ? "stdout" : c.output) +
       " (" + std::to_string(stage.changed) + " changed, " + std::to_string(stage.dropped) +
       " left out by a fix, " + std::to_string(p.rejected()) + " unreadable left out)");
  return Status::Ok();
}

// The report, the SARIF log, the per-rule table and the summary line (returned as the error when it failed).
Status Results(const Options& o, const CommonFlags& c, Pipeline& p, ValidateStage& st, Output* report, bool failed) {
  Diagnostics& diag = p.diag();
  if (report || !c.html.empty()) {
    std::string json = ReportJson(o.profile, st.total, st.valid, st.invalid, diag.by_rule(), st.all, diag.errors(),
                                  diag.warnings(), st.infos);
    if (report) FTPREP_RETURN_IF_ERROR(report->Write(json));
    if (report) FTPREP_RETURN_IF_ERROR(report->Commit());
    if (!c.html.empty()) FTPREP_RETURN_IF_ERROR(WriteHtmlReport(json, c.html, c.output_options()));
  }
  if (o.sarif) {
    std::string s = SarifJson(st.all, st.Rules());
    std::fwrite(s.data(), 1, s.size(), stdout);
  }
  diag.PrintSuppressed();
  if (!c.quiet) PrintGroups(st.first_lines, diag.by_rule());
  auto plural = [](uint64_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); };
  std::string summary = plural(st.total, "record") + ": " + std::to_string(st.valid) + " valid, " +
                        std::to_string(st.invalid) + " invalid; " + plural(diag.errors(), "error") + ", " +
                        plural(diag.warnings(), "warning") + " (profile " + o.profile + ")";
  if (!c.rejects.empty()) summary += "; " + std::to_string(p.rejects_written()) + " written to " + c.rejects;
  if (st.invalid > 0 || failed || (o.strict && diag.warnings() > 0)) return DataError(summary);
  if (!c.quiet) Note(summary);
  return Status::Ok();
}

}  // namespace

Status ValidateMain(int argc, char** argv) {
  ToolCli cli("validate", kUsage, kFlagsStream | kFlagJobs | kFlagQuiet | kFlagShown | kFlagHtml);
  Options o;
  cli.Add()("profile", po::value<std::string>(&o.profile), "profile")("strict", po::bool_switch(&o.strict), "strict")(
      "list-profiles", po::bool_switch(&o.list), "list")("rules", po::value<std::string>(&o.rules_file), "rules")(
      "rule-set", po::value<std::vector<std::string>>(&o.rule_sets)->composing(), "rule set")(
      "disable", po::value<std::vector<std::string>>(&o.disabled)->composing(), "disable")(
      "valid", po::value<std::string>(&o.valid_file), "valid")("model,m", po::value<std::string>(&o.model), "model")(
      "no-tokens", po::bool_switch(&o.no_tokens), "no tokens")("fix", po::bool_switch(&o.fix), "fix")(
      "fix-optional", po::bool_switch(&o.fix_optional), "fix optional");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok() || !*parsed) return parsed.status();
  for (const auto* f : {&o.rules_file, &o.valid_file, &o.profile}) {
    if (!f->empty()) cli.common.read_files.push_back(*f);  // a profile name that is no file matches nothing
  }
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  if (o.list) return ListProfiles();
  CommonFlags& c = cli.common;
  o.fix = o.fix || o.fix_optional;
  if (o.fix) {
    for (const auto& in : c.inputs) {
      if (in == "-") return UsageError("--fix reads FILE twice (to check, then to fix): give a file, not stdin");
    }
    if (c.inputs.empty()) return UsageError("--fix reads FILE twice (to check, then to fix): give a file, not stdin");
    if (c.format == "sarif") return UsageError("--fix writes records to stdout or -o; it does not go with --format sarif");
  }
  if (c.format == "sarif" || c.format == "text") {
    o.sarif = c.format == "sarif";
    c.format = "auto";
  }
  ValidateStage stage(o, c);
  FTPREP_RETURN_IF_ERROR(stage.Init());
  Pipeline p(c, c.jobs);
  p.diag().set_max_per_rule(c.max_shown);
  p.diag().set_quiet(c.quiet);
  stage.diag = &p.diag();
  // With SARIF, stdout carries the log: records go only to an explicit -o.
  // With --fix the records are written in a second pass, fixed (WriteFixed).
  if (!(o.sarif && c.output == "-") && c.output != "/dev/null" && !o.fix) FTPREP_RETURN_IF_ERROR(p.OpenOutput("jsonl"));
  std::unique_ptr<Output> report;
  if (!c.report.empty()) {
    auto r = Output::Open(c.report, c.output_options());
    if (!r.ok()) return r.status();
    report = std::move(*r);
  }
  FTPREP_RETURN_IF_ERROR(p.Run(&stage));
  bool failed = false;
  FTPREP_RETURN_IF_ERROR(stage.FinishDataset(p.reader()->name(), &failed));
  FTPREP_RETURN_IF_ERROR(p.Commit());
  if (o.fix) FTPREP_RETURN_IF_ERROR(WriteFixed(o, c, stage));
  return Results(o, c, p, stage, report.get(), failed);
}

}  // namespace ftprep
