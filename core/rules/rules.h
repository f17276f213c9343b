// core/rules/rules.h — the host side of rule plugins: provider profiles and the engine that runs rule sets
// over records. validate, clean and prepare all use it.
//
//   auto profile = ftprep::LoadProfile("openai-chat");          // built-in name or a .json file
//   auto engine = ftprep::RuleEngine::Create(*profile);           // one state per rule set of the profile
//   std::vector<ftprep::Finding> f;
//   for (each record) { f.clear(); engine->Check(rec.doc(), rec.json(), rec.loc.line, &f); ... }
//   engine->Finish(&f);                                          // dataset rules (min examples, balance, ...)
//
// A profile (validators/profiles/<name>.json, compiled in; or a user file with the same schema) names the
// rule-set plugins to run, each with a JSON config (limits, allowed roles, ...), optional record shapes that
// a rule set applies to, severity overrides and disabled rule ids, and says where its rules come from:
//
//   {"name": "openai-chat", "description": "...", "source": ["https://..."], "checked": "2026-11-30",
//    "shapes": ["chat"],                                   // record shapes the provider accepts
//    "rule_sets": [{"plugin": "openai_chat", "config": {...}},
//                  {"plugin": "completions", "shapes": ["prompt_completion"]},   // only for those records
//                  {"plugin": "dataset", "config": {"min_examples": 10}}],
//    "severity": {"generic.pii.email": "info"}, "disable": ["chat.record.unknown_key"]}
//
// Findings carry the rule id, severity, JSON path, message and line (0 for whole-dataset findings).
// Ownership: the engine owns the plugin states and destroys them.
//
// Rule sets compiled into ftprep (validators/*) are ftprep::plugin::RuleSet objects (ftprep/plugin.hpp) and get
// the parsed record directly; rule sets from .so files go through the C ABI with the record's JSON text (one
// adapter: the `check` of ftprep_rules_v1). Nothing is parsed twice on the built-in path.
//
// Threads (`--jobs N`): an engine is used by one thread at a time. Per-record work and ordered work split:
//   worker k:      engines[k]->CheckRecord(doc, json, line, &checks)     // any order, one engine per worker
//   one thread:    engines[0]->Consume(&checks, line, &findings)         // every record, in input order
//                  engines[0]->Finish(&findings)                         // after the last record
// CheckRecord runs the per-record rule sets and the Digest() half of dataset rule sets; Consume runs the
// dataset halves (duplicates, identical prompts, class balance, token totals) and the rule sets behind the C
// ABI (their state is opaque), and returns the record's findings in profile order — exactly what Check()
// returns, which is CheckRecord + Consume on one engine. So findings are identical for any number of workers.
// Only the engine that Consumes may Finish; the workers' engines are only for CheckRecord.
#ifndef FTPREP_CORE_RULES_RULES_H_
#define FTPREP_CORE_RULES_RULES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "diag.h"
#include "ftprep/plugin.hpp"
#include "ftprep/plugin_api.h"
#include "ftprep/status.h"

namespace ftprep {

struct Finding {
  std::string rule;
  Severity severity = Severity::kError;
  std::string path;  // JSON path of the problem; "" = the whole record
  std::string message;
  uint64_t line = 0;  // 0 = about the whole dataset
  // The interned rule id, set on every finding a RuleEngine emits. With RuleEngine::CountOnly, `rule` is left
  // empty and so are `path` and `message` of a finding that will only be counted: read the id with rule_id().
  const RuleId* id = nullptr;
  std::string_view rule_id() const { return id != nullptr && rule.empty() ? std::string_view(id->name) : rule; }
};

struct RuleSetSpec {
  std::string plugin;               // rule plugin name ("openai_chat", "generic", "refusals", ...)
  std::string config = "{}";        // JSON object passed to the plugin's create()
  std::vector<std::string> shapes;  // empty = every record; else only records of these shapes
};

struct Profile {
  std::string name, description, checked;  // checked: the date the sources were read (YYYY-MM-DD)
  std::vector<std::string> sources;        // URLs of the provider's documentation
  std::vector<std::string> shapes;         // shapes the provider accepts ("chat", "preference", ...)
  std::vector<RuleSetSpec> rule_sets;
  std::map<std::string, Severity> severity;  // per-rule overrides
  std::set<std::string> disabled;
  std::string origin;  // "built-in" or the file path
};

// The deepest nesting a profile or rules file may use (deeper files are refused with kUsage: their configs go
// through recursive code, and a million-deep file must not overflow the stack).
inline constexpr int kMaxConfigDepth = 64;

// Parses a profile from JSON text (origin is used in messages).
Result<Profile> ParseProfile(std::string_view json, const std::string& origin);
// A built-in profile by name, or a profile file if `name_or_path` ends in ".json". NotFound suggests names.
Result<Profile> LoadProfile(const std::string& name_or_path);
// Reads the declarative rules file of `validate --rules FILE` (a JSON object, see validators/declarative) into
// the rule set that runs it. kNotFound when the file cannot be read, kUsage when it is not a JSON object.
Result<RuleSetSpec> LoadRulesFile(const std::string& path);
// The same from the file's text (`path` is used in messages).
Result<RuleSetSpec> ParseRulesFile(std::string_view json, const std::string& path);
// Names of the built-in profiles, sorted.
std::vector<std::string> BuiltinProfileNames();

// The record shape (chat, prompt_completion, preference, ...) rule sets are selected by; "unknown" if none.
std::string RecordShape(std::string_view json);
// Picks a built-in profile for a record shape ("chat" -> "openai-chat", ...); "" when none fits. `why` gets a
// short explanation for the user.
std::string ProfileForShape(std::string_view json, std::string* why);

// What CheckRecord leaves for Consume: the worker-side findings of one record, grouped by rule set in profile
// order, and the dataset digests. Reusable across records (Consume clears it).
struct RecordChecks {
  std::vector<Finding> findings;
  std::vector<uint32_t> set_end;      // findings.size() after each rule set
  std::vector<std::string> digests;   // per rule set; empty for per-record sets
  std::vector<char> skipped;          // per rule set: not applied to this record's shape
  std::string shape;                  // the record's shape when the profile has shape-restricted sets
  bool shaped_ran = false;
  std::string json;                   // the record text, kept only when C-ABI rule sets need it
};

class RuleEngine {
 public:
  // Creates a state of every rule set of `profile` (plugins from the registry; load external ones first).
  static Result<std::unique_ptr<RuleEngine>> Create(const Profile& profile);
  ~RuleEngine();
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;

  // Checks one parsed record and appends its findings (overrides and disabled ids applied). `json` is the
  // record's text, used only by rule sets behind the C ABI ("" = serialise `record` when one needs it).
  Status Check(const rapidjson::Value& record, std::string_view json, uint64_t line, std::vector<Finding>* out);
  // The same from JSON text (parsed once here); kData when it is not JSON.
  Status Check(std::string_view json, uint64_t line, std::vector<Finding>* out);
  // Worker half of Check (see the threading note above). Thread-compatible: one engine per worker.
  Status CheckRecord(const rapidjson::Value& record, std::string_view json, uint64_t line, RecordChecks* r);
  // Ordered half: appends the record's findings in profile order. Call on one engine, in input order.
  Status Consume(RecordChecks* r, uint64_t line, std::vector<Finding>* out);
  // Runs the dataset rules after the last record; appends their findings.
  Status Finish(std::vector<Finding>* out);
  // Applies the fix of `rule` to *json (replaced when changed). Returns false when the rule has no fix or
  // nothing changed.
  Result<bool> Fix(std::string* json, std::string_view rule);
  // The fixes to apply after Finish, in order: each rule set's own offers (plugin::RuleSet::Fixes), else the
  // fix of each of its rules that declares one and is in `fired` (rule ids that reported), in table order.
  // Apply one by calling Fix(&json, offer.rule) on every record in input order, offer after offer.
  std::vector<plugin::FixOffer> FixPlan(const std::set<std::string>& fired) const;
  // Lighter findings for a host that only needs the text of the findings it prints: every finding carries its
  // rule as Finding::id only (Finding::rule stays empty), and one that `diag` will only count (OnlyCounted)
  // gets no path and no message either. For a host that keeps no finding beyond its Diagnostics and writes no
  // rejects. nullptr (the default) restores full findings.
  void CountOnly(const Diagnostics* diag) { count_only_ = diag; }
  // The rule table of every loaded rule set (for listings and --disable checks).
  std::vector<const ftprep_rule_info*> Rules() const;
  const Profile& profile() const { return profile_; }

 private:
  struct Set {
    const ftprep_rules_v1* vt = nullptr;
    void* state = nullptr;
    plugin::RuleSet* native = nullptr;  // == state for built-ins driven directly; nullptr behind the C ABI
    bool dataset = false;               // native DatasetRuleSet
    std::string plugin;
    std::vector<std::string> shapes;
  };
  explicit RuleEngine(Profile p) : profile_(std::move(p)) {}
  static void EmitThunk(void* ctx, const ftprep_finding* f);
  static int WantsThunk(void* ctx, const char* rule_id);
  const RuleId* Intern(const char* rule_id);
  // What the profile says about a rule: -1 as emitted, 0..2 that Severity, 3 disabled.
  int8_t Override(const RuleId* id);
  Status CallError(const Set& s, int rc, const char* what);
  Status NativeError(const Set& s, const char* what, const char* why);
  Status RunOrdered(const Set& s, RecordChecks* r, size_t i, uint64_t line);

  Profile profile_;
  std::vector<Set> sets_;
  bool any_shaped_ = false, any_c_abi_ = false;
  RecordChecks scratch_;  // for Check()
  // Emission context of the current call.
  std::vector<Finding>* sink_ = nullptr;
  uint64_t line_ = 0;
  const Diagnostics* count_only_ = nullptr;
  // Rule ids by the address of the name a rule set emitted (checked by content: a plugin may reuse a buffer).
  struct InternSlot {
    const char* ptr = nullptr;
    const RuleId* id = nullptr;
  };
  InternSlot intern_[64];
  std::vector<int8_t> override_;  // per interned index; -2 = not looked up yet
};

// Parses "error"/"warning"/"info".
Result<Severity> ParseSeverity(std::string_view s);

}  // namespace ftprep

#endif  // FTPREP_CORE_RULES_RULES_H_
