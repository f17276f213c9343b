// ftprep validate — checks every record against a profile; reports every bad line; CI exit codes.
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "cli.h"
#include "diag.h"
#include "ftprep/price.h"
#include "ftprep/reader.h"
#include "ftprep/writer.h"
#include "progress.h"
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
  --model NAME            take the token limit and encoding of model NAME from the price table
  --no-tokens             skip the token rules
  --strict                warnings count as errors (exit 1, record rejected)
  --max-per-rule N        print at most N findings per rule (default 20; all are counted and reported)
  --report FILE           write a JSON report: counts, findings per rule, every finding (schema below)
  --format sarif          write findings as SARIF 2.1.0 to stdout instead of the records (use -o for those);
                          any other --format value names the input format (csv, jsonl, ...)
  --quiet                 print only the summary
  -o, --output FILE       where valid records go (default: stdout; written atomically)
  --rejects FILE          write invalid records, with their errors, as JSONL
  --format-opt KEY=VALUE  option for the format reader (e.g. delimiter=;)
  --max-record-bytes N    longest record accepted (default 64M)
  --progress MODE         never|always|auto (default auto: on a terminal, after a second)
  --plugin-path DIR       load plugins from DIR as well
  --force                 overwrite an existing -o/--rejects/--report file

report (--report): {"tool":"validate","version":1,"profile":NAME,
  "counts":{"records","valid","invalid","errors","warnings","infos"},
  "histograms":{"errors_by_rule":{RULE:N},"warnings_by_rule":{RULE:N},"infos_by_rule":{RULE:N}},
  "findings":[{"file","line","column","rule","severity","path","message"}],
  "derived":{"passed":BOOL}}   line 0 = about the whole file. `ftprep merge` sums counts and histograms,
  concatenates findings and recomputes derived; dataset rules (minimum size, duplicates) see one shard each.

exit codes: 0 no errors (warnings allowed); 1 some record or the dataset failed (or any warning with
--strict); 2 usage, I/O or internal error.

example:
  ftprep validate --profile openai-chat --report report.json --rejects bad.jsonl train.jsonl > good.jsonl
)";

Severity ToSeverity(const Finding& f) { return f.severity; }



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
                 bool no_tokens) {
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
                       const std::map<std::string, Diagnostics::RuleCount>& by_rule, const std::vector<Stored>& all,
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
         ",\"column\":" + std::to_string(s.loc.column) + ",\"rule\":" + JsonString(s.f.rule) +
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
  for (const auto& s : all) used[s.f.rule] = nullptr;
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
    o += "{\"ruleId\":" + JsonString(s.f.rule) + ",\"level\":\"" + SarifLevel(s.f.severity) +
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
                 const std::map<std::string, Diagnostics::RuleCount>& by_rule) {
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

}  // namespace

Status ValidateMain(int argc, char** argv) {
  ToolCli cli("validate", kUsage, kFlagsStream);
  std::string profile_name = "auto", rules_file, valid_file, model;
  std::vector<std::string> rule_sets, disabled;
  size_t max_per_rule = 20;
  bool quiet = false, strict = false, list = false, no_tokens = false;
  cli.Add()("profile", po::value<std::string>(&profile_name), "profile")(
      "max-per-rule", po::value<size_t>(&max_per_rule), "n")("quiet,q", po::bool_switch(&quiet), "quiet")(
      "strict", po::bool_switch(&strict), "strict")("list-profiles", po::bool_switch(&list), "list")(
      "rules", po::value<std::string>(&rules_file), "rules")(
      "rule-set", po::value<std::vector<std::string>>(&rule_sets)->composing(), "rule set")(
      "disable", po::value<std::vector<std::string>>(&disabled)->composing(), "disable")(
      "valid", po::value<std::string>(&valid_file), "valid")("model", po::value<std::string>(&model), "model")(
      "no-tokens", po::bool_switch(&no_tokens), "no tokens");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  if (list) return ListProfiles();
  bool sarif = false;
  if (cli.common.format == "sarif" || cli.common.format == "text") {
    sarif = cli.common.format == "sarif";
    cli.common.format = "auto";
  }

  // The profile: a name, a file, "jsonl" (syntax only), or chosen from the first record ("auto").
  Profile profile;
  bool syntax_only = profile_name == "jsonl", automatic = profile_name == "auto";
  if (!syntax_only && !automatic) {
    auto p = LoadProfile(profile_name);
    if (!p.ok()) {
      Status s = p.status();
      return s.code() == Code::kNotFound && s.message().rfind("unknown profile", 0) == 0 ? UsageError(s.message()) : s;
    }
    profile = std::move(*p);
    FTPREP_RETURN_IF_ERROR(Customise(&profile, rules_file, rule_sets, disabled, valid_file, model, no_tokens));
  }
  // jsonl checks syntax only, plus exactly the rules asked for on the command line (a rules file for data in
  // no provider's shape, such as text lists).
  bool syntax_plus = syntax_only && (!rules_file.empty() || !rule_sets.empty() || !valid_file.empty() || !model.empty());
  if (syntax_plus) {
    profile.name = "jsonl";
    profile.origin = "built-in";
    FTPREP_RETURN_IF_ERROR(Customise(&profile, rules_file, rule_sets, disabled, valid_file, model, no_tokens));
  }
  std::unique_ptr<RuleEngine> engine;
  auto make_engine = [&]() -> Status {
    auto e = RuleEngine::Create(profile);
    if (!e.ok()) return e.status();
    engine = std::move(*e);
    return Status::Ok();
  };
  if ((!syntax_only && !automatic) || syntax_plus) FTPREP_RETURN_IF_ERROR(make_engine());

  auto reader = OpenReader(cli.common.inputs, cli.common.read_options());
  if (!reader.ok()) return reader.status();
  std::string out_path = cli.common.output;
  if (sarif && out_path == "-") out_path = "/dev/null";  // stdout carries the SARIF log
  std::unique_ptr<RecordWriter> writer;
  if (out_path != "/dev/null") {
    auto out = Output::Open(out_path, cli.common.output_options());
    if (!out.ok()) return out.status();
    auto w = OpenWriter(std::move(*out), "jsonl");
    if (!w.ok()) return w.status();
    writer = std::move(*w);
  }
  std::unique_ptr<RejectsWriter> rejects;
  if (!cli.common.rejects.empty()) {
    auto r = RejectsWriter::Open(cli.common.rejects, cli.common.output_options());
    if (!r.ok()) return r.status();
    rejects = std::move(*r);
  }
  std::unique_ptr<Output> report_out;
  if (!cli.common.report.empty()) {
    auto r = Output::Open(cli.common.report, cli.common.output_options());
    if (!r.ok()) return r.status();
    report_out = std::move(*r);
  }
  bool keep_all = report_out || sarif;

  Diagnostics diag(max_per_rule);
  diag.set_quiet(quiet);
  Progress progress(cli.common.progress, reader->get());
  Record rec;
  uint64_t total = 0, valid = 0, invalid = 0, infos = 0;
  std::vector<Finding> findings;
  std::vector<Stored> all;
  std::map<std::string, std::vector<uint64_t>> first_lines;
  auto note = [&](const Location& loc, const Finding& f) {
    if (f.severity == Severity::kInfo) ++infos;
    diag.Report(ToSeverity(f), loc, f.rule, f.message, f.path);
    auto& fl = first_lines[f.rule];
    if (loc.line && fl.size() < 5 && (fl.empty() || fl.back() != loc.line)) fl.push_back(loc.line);
    if (keep_all) all.push_back({loc, f});
  };
  std::string no_profile_shape;
  while ((*reader)->Next(&rec)) {
    ++total;
    progress.Tick(total);
    if (rec.bad()) {
      ++invalid;
      Finding f{rec.rule_id(), Severity::kError, "", rec.error(), rec.loc.line};
      if (f.severity == Severity::kError) {
        diag.Report(Severity::kError, rec.loc, rec.rule_id(), rec.error(), {}, rec.raw());
        auto& fl = first_lines[f.rule];
        if (fl.size() < 5) fl.push_back(rec.loc.line);
        if (keep_all) all.push_back({rec.loc, f});
      }
      if (rejects) {
        FTPREP_RETURN_IF_ERROR(rejects->Write(rec.loc, rec.raw(), {{rec.rule_id(), rec.error(), ""}}));
      }
      continue;
    }
    if (automatic && !engine && no_profile_shape.empty()) {
      std::string why;
      std::string chosen = ProfileForShape(rec.json(), &why);
      if (chosen.empty()) {
        no_profile_shape = RecordShape(rec.json());
        if (!quiet) Note("profile auto: " + why + " at " + rec.loc.file + ":" + std::to_string(rec.loc.line) +
                         " matches no provider profile");
      } else {
        auto p = LoadProfile(chosen);
        if (!p.ok()) return p.status();
        profile = std::move(*p);
        FTPREP_RETURN_IF_ERROR(Customise(&profile, rules_file, rule_sets, disabled, valid_file, model, no_tokens));
        FTPREP_RETURN_IF_ERROR(make_engine());
        profile_name = chosen;
        if (!quiet) Note("profile auto: using " + chosen + " (" + why + " at " + rec.loc.file + ":" +
                         std::to_string(rec.loc.line) + ")");
      }
    }
    findings.clear();
    if (engine) {
      // The record is parsed once, here; built-in rule sets read this document directly.
      if (!rec.parse_ok()) return DataError(rec.loc.file + ":" + std::to_string(rec.loc.line) + ": record is not valid JSON");
      FTPREP_RETURN_IF_ERROR(engine->Check(rec.doc(), rec.json(), rec.loc.line, &findings));
    } else if (!no_profile_shape.empty()) {
      findings.push_back({"profile.shape", Severity::kError, "",
                          "record shape " + RecordShape(rec.json()) +
                              " is not a provider's training format; convert it (ftprep convert --to chat) or pass "
                              "--profile",
                          rec.loc.line});
    }
    bool bad = false;
    for (const auto& f : findings) {
      note(rec.loc, f);
      if (f.severity == Severity::kError || (strict && f.severity == Severity::kWarning)) bad = true;
    }
    if (bad) {
      ++invalid;
      if (rejects) {
        std::vector<RejectsWriter::Error> errs;
        for (const auto& f : findings) {
          if (f.severity == Severity::kError || (strict && f.severity == Severity::kWarning)) {
            errs.push_back({f.rule, f.message, f.path});
          }
        }
        FTPREP_RETURN_IF_ERROR(rejects->Write(rec.loc, rec.raw(), errs));
      }
      continue;
    }
    ++valid;
    if (writer) {
      Status s = writer->Write(rec);
      if (!s.ok()) return s;
    }
  }
  progress.Finish();
  FTPREP_RETURN_IF_ERROR(ReaderEndStatus(**reader, total));
  // Dataset rules (minimum size, class balance, unavailable token rules) speak after the last record.
  bool dataset_failed = false;
  if (automatic && !engine && no_profile_shape.empty() && total == 0) {
    findings = {{"dataset.empty", Severity::kError, "", "no records; nothing to validate", 0}};
    profile_name = "auto";
  } else {
    findings.clear();
    if (engine) FTPREP_RETURN_IF_ERROR(engine->Finish(&findings));
  }
  Location whole;
  whole.file = (*reader)->name();
  for (const auto& f : findings) {
    note(whole, f);
    if (f.severity == Severity::kError || (strict && f.severity == Severity::kWarning)) dataset_failed = true;
  }
  if (writer) FTPREP_RETURN_IF_ERROR(writer->Close());
  if (rejects) FTPREP_RETURN_IF_ERROR(rejects->Close());
  if (report_out) {
    FTPREP_RETURN_IF_ERROR(report_out->Write(ReportJson(profile_name, total, valid, invalid, diag.by_rule(), all,
                                                        diag.errors(), diag.warnings(), infos)));
    FTPREP_RETURN_IF_ERROR(report_out->Commit());
  }
  if (sarif) {
    std::string s = SarifJson(all, engine ? engine->Rules() : std::vector<const ftprep_rule_info*>{});
    std::fwrite(s.data(), 1, s.size(), stdout);
  }
  diag.PrintSuppressed();
  if (!quiet) PrintGroups(first_lines, diag.by_rule());
  std::string summary = std::to_string(total) + " record" + (total == 1 ? "" : "s") + ": " +
                        std::to_string(valid) + " valid, " + std::to_string(invalid) + " invalid; " +
                        std::to_string(diag.errors()) + " error" + (diag.errors() == 1 ? "" : "s") + ", " +
                        std::to_string(diag.warnings()) + " warning" + (diag.warnings() == 1 ? "" : "s") +
                        " (profile " + profile_name + ")";
  if (rejects) summary += "; " + std::to_string(rejects->count()) + " written to " + cli.common.rejects;
  bool failed = invalid > 0 || dataset_failed || (strict && diag.warnings() > 0);
  if (failed) return DataError(summary);
  if (!quiet) Note(summary);
  return Status::Ok();
}

}  // namespace ftprep
