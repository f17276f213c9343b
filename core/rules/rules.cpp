#include "rules/rules.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cli.h"
#include "plugin_host.h"
#include "report.h"
#include "ftprep/record.h"
#include "schema.h"

namespace ftprep {
namespace {

struct BuiltinProfile {
  const char* name;
  const char* json;
};
const BuiltinProfile kBuiltinProfiles[] = {
#include "ftprep_profiles_data.inc"
    {nullptr, nullptr},
};

// Profiles and rules files: iterative (no recursion on deep input) and UTF-8 checked (rule ids and messages
// end up in JSON reports).
constexpr unsigned kConfigParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// " (offset N: what)" for a parse error, " (offset N)" for a document that parsed but is not an object.
std::string ParseErrorText(const rapidjson::Document& d) {
  std::string out = " (offset " + std::to_string(d.GetErrorOffset());
  if (d.HasParseError()) {
    std::string what = rapidjson::GetParseError_En(d.GetParseError());
    if (!what.empty() && what.back() == '.') what.pop_back();
    out += ": " + what;
  }
  return out + ")";
}

// Deepest nesting of [ and { in JSON text that parsed (so strings are well formed); stops at limit + 1.
int Nesting(std::string_view json, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size() && deepest <= limit; ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// Profiles and rules files are re-serialised and compiled (JSON Schema, regexes) by recursive code, so a
// hostile file nested a million deep would overflow the stack: refuse it up front (and NUL bytes, see below).
// RapidJSON stops at a NUL byte as at the end of the text, so "{...}\0anything" would parse: refuse it.
Status CheckConfigText(std::string_view json, const std::string& what) {
  if (size_t nul = json.find('\0'); nul != std::string_view::npos) {
    return UsageError(what + ": not a JSON object (offset " + std::to_string(nul) + ": a NUL byte)");
  }
  if (Nesting(json, kMaxConfigDepth) > kMaxConfigDepth) {
    return UsageError(what + ": nested deeper than " + std::to_string(kMaxConfigDepth) + " levels");
  }
  return Status::Ok();
}

std::string Compact(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

std::vector<std::string> StringList(const rapidjson::Value* v) {
  std::vector<std::string> out;
  if (v == nullptr) return out;
  if (v->IsString()) {
    out.emplace_back(v->GetString(), v->GetStringLength());
  } else if (v->IsArray()) {
    for (const auto& e : v->GetArray()) {
      if (e.IsString()) out.emplace_back(e.GetString(), e.GetStringLength());
    }
  }
  return out;
}

const rapidjson::Value* Member(const rapidjson::Value& o, const char* k) {
  if (!o.IsObject()) return nullptr;
  auto it = o.FindMember(k);
  return it == o.MemberEnd() ? nullptr : &it->value;
}

std::string ShapeOfDoc(const rapidjson::Value& d) { return ShapeName(DetectShape(d)); }

// `ftprep merge` recomputes "derived" of merged validate reports (schema in tools/validate.cpp) from the
// summed counts. Registered here, in the core, so that every binary that links the core knows it.
void DeriveValidateReport(rapidjson::Document& r) {
  bool passed = true;
  if (auto c = r.FindMember("counts"); c != r.MemberEnd() && c->value.IsObject()) {
    auto e = c->value.FindMember("errors");
    passed = e == c->value.MemberEnd() || (e->value.IsUint64() && e->value.GetUint64() == 0);
  }
  r.RemoveMember("derived");
  rapidjson::Value d(rapidjson::kObjectType);
  d.AddMember("passed", passed, r.GetAllocator());
  r.AddMember("derived", d, r.GetAllocator());
}
const bool kDeriverRegistered = (RegisterReportDeriver("validate", &DeriveValidateReport), true);

}  // namespace

Result<Severity> ParseSeverity(std::string_view s) {
  if (s == "error") return Severity::kError;
  if (s == "warning") return Severity::kWarning;
  if (s == "info") return Severity::kInfo;
  return UsageError("unknown severity '" + std::string(s) + "' (expected error, warning or info)");
}

Result<Profile> ParseProfile(std::string_view json, const std::string& origin) {
  rapidjson::Document d;
  d.Parse<kConfigParseFlags>(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) {
    return UsageError("profile " + origin + ": not a JSON object" + ParseErrorText(d));
  }
  FTPREP_RETURN_IF_ERROR(CheckConfigText(json, "profile " + origin));
  Profile p;
  p.origin = origin;
  auto str = [&](const char* k) {
    const rapidjson::Value* v = Member(d, k);
    return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
  };
  p.name = str("name");
  p.description = str("description");
  p.checked = str("checked");
  p.sources = StringList(Member(d, "source"));
  p.shapes = StringList(Member(d, "shapes"));
  if (p.name.empty()) return UsageError("profile " + origin + ": missing \"name\"");
  const rapidjson::Value* sets = Member(d, "rule_sets");
  if (sets == nullptr || !sets->IsArray()) return UsageError("profile " + origin + ": \"rule_sets\" must be an array");
  for (rapidjson::SizeType i = 0; i < sets->Size(); ++i) {
    const rapidjson::Value& s = (*sets)[i];
    const rapidjson::Value* plugin = Member(s, "plugin");
    if (plugin == nullptr || !plugin->IsString()) {
      return UsageError("profile " + origin + ": rule_sets[" + std::to_string(i) + "] needs a \"plugin\" name");
    }
    RuleSetSpec spec;
    spec.plugin = plugin->GetString();
    if (const rapidjson::Value* c = Member(s, "config")) {
      if (!c->IsObject()) {
        return UsageError("profile " + origin + ": rule_sets[" + std::to_string(i) + "].config must be an object");
      }
      spec.config = Compact(*c);
    }
    spec.shapes = StringList(Member(s, "shapes"));
    p.rule_sets.push_back(std::move(spec));
  }
  if (const rapidjson::Value* sev = Member(d, "severity"); sev && sev->IsObject()) {
    for (const auto& m : sev->GetObject()) {
      auto s = ParseSeverity(m.value.IsString() ? m.value.GetString() : "");
      if (!s.ok()) return UsageError("profile " + origin + ": severity of " + m.name.GetString() + ": " + s.status().message());
      p.severity[m.name.GetString()] = *s;
    }
  }
  for (const auto& id : StringList(Member(d, "disable"))) p.disabled.insert(id);
  return p;
}

Result<RuleSetSpec> ParseRulesFile(std::string_view json, const std::string& path) {
  rapidjson::Document d;
  d.Parse<kConfigParseFlags>(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) {
    return UsageError("--rules " + path + ": not a JSON object" + ParseErrorText(d));
  }
  FTPREP_RETURN_IF_ERROR(CheckConfigText(json, "--rules " + path));
  return RuleSetSpec{"declarative", Compact(d), {}};
}

Result<RuleSetSpec> LoadRulesFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("--rules: cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseRulesFile(ss.str(), path);
}

std::vector<std::string> BuiltinProfileNames() {
  std::vector<std::string> out;
  for (const BuiltinProfile* b = kBuiltinProfiles; b->name; ++b) out.push_back(b->name);
  std::sort(out.begin(), out.end());
  return out;
}

Result<Profile> LoadProfile(const std::string& name_or_path) {
  if (name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".json") == 0) {
    std::ifstream in(name_or_path, std::ios::binary);
    if (!in) return NotFoundError("cannot read profile file " + name_or_path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ParseProfile(ss.str(), name_or_path);
  }
  for (const BuiltinProfile* b = kBuiltinProfiles; b->name; ++b) {
    if (name_or_path == b->name) return ParseProfile(b->json, "built-in profile " + name_or_path);
  }
  std::string msg = "unknown profile '" + name_or_path + "'";
  auto close = ClosestNames(name_or_path, BuiltinProfileNames());
  if (!close.empty()) msg += "; did you mean " + close[0] + "?";
  msg += " (ftprep validate --list-profiles shows them all)";
  return NotFoundError(msg);
}

std::string RecordShape(std::string_view json) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (d.HasParseError()) return "unknown";
  return ShapeOfDoc(d);
}

std::string ProfileForShape(std::string_view json, std::string* why) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  std::string shape = d.HasParseError() ? "unknown" : ShapeOfDoc(d);
  *why = "record shape " + shape;
  if (shape == "preference") return "openai-dpo";
  if (shape == "prompt_completion") return "openai-completions";
  if (shape == "gemini") return "vertex-gemini";
  if (shape == "bedrock_converse") return "bedrock-nova";
  if (shape != "chat") return "";
  const rapidjson::Value& msgs = d["messages"];
  if (const rapidjson::Value* sys = Member(d, "system"); sys && sys->IsString()) {
    *why += " with a top-level system prompt";
    return "bedrock-claude";
  }
  bool any_assistant = false;
  if (msgs.IsArray()) {
    for (const auto& m : msgs.GetArray()) {
      const rapidjson::Value* r = Member(m, "role");
      if (r && r->IsString()) {
        std::string_view role(r->GetString(), r->GetStringLength());
        if (role == "Chatbot" || role == "User" || role == "System") {
          *why += " with Cohere roles";
          return "cohere";
        }
        if (role == "assistant") any_assistant = true;
      }
    }
    if (!msgs.Empty() && !any_assistant) {
      *why += " without assistant turns";
      return "openai-rft";
    }
  }
  return "openai-chat";
}

Result<std::unique_ptr<RuleEngine>> RuleEngine::Create(const Profile& profile) {
  std::unique_ptr<RuleEngine> e(new RuleEngine(profile));
  auto& reg = PluginRegistry::Get();
  for (const auto& spec : profile.rule_sets) {
    const PluginInfo* info = reg.Find(spec.plugin, FTPREP_KIND_RULE);
    if (info == nullptr) {
      std::string msg = "profile " + profile.name + " needs rule plugin '" + spec.plugin + "', which is not loaded";
      auto close = ClosestNames(spec.plugin, reg.Names(FTPREP_KIND_RULE));
      if (!close.empty()) msg += "; did you mean " + close[0] + "?";
      return NotFoundError(msg + " (see ftprep plugins)");
    }
    Set s;
    s.vt = info->desc->rules;
    s.plugin = spec.plugin;
    s.shapes = spec.shapes;
    TakePluginError();
    int rc = s.vt->create(Host(), spec.config.c_str(), &s.state);
    if (rc != FTPREP_OK) {
      std::string why = TakePluginError();
      return PluginStatus(rc == FTPREP_ERR_INTERNAL ? rc : FTPREP_ERR_USAGE,
                          "rule set " + spec.plugin + " of profile " + profile.name + ": " +
                              (why.empty() ? "cannot be created" : why));
    }
    // Built-ins made with plugin.hpp's MakeRules() are RuleSet objects in this binary: drive them directly.
    if (info->origin == "built-in" && plugin::IsRuleSetAdapter(s.vt)) {
      s.native = static_cast<plugin::RuleSet*>(s.state);
      s.dataset = s.native->IsDataset();
    } else {
      e->any_c_abi_ = true;
    }
    if (!s.shapes.empty()) e->any_shaped_ = true;
    e->sets_.push_back(std::move(s));
  }
  return e;
}

RuleEngine::~RuleEngine() {
  for (auto& s : sets_) {
    if (s.state) s.vt->destroy(s.state);
  }
}

const RuleId* RuleEngine::Intern(const char* rule_id) {
  // Plugins emit the same few literals over and over: look the address up first, then check the text.
  uintptr_t a = reinterpret_cast<uintptr_t>(rule_id);
  InternSlot& slot = intern_[((a >> 3) * 0x9E3779B97F4A7C15ull) >> 58];
  if (slot.ptr == rule_id && std::strcmp(rule_id, slot.id->name.c_str()) == 0) return slot.id;
  slot.ptr = rule_id;
  slot.id = InternRule(rule_id);
  return slot.id;
}

int8_t RuleEngine::Override(const RuleId* id) {
  if (id->index >= override_.size()) override_.resize(id->index + 1, -2);
  int8_t& o = override_[id->index];
  if (o == -2) {
    o = -1;
    auto it = profile_.severity.find(id->name);
    if (profile_.disabled.count(id->name)) {
      o = 3;
    } else if (it != profile_.severity.end()) {
      o = static_cast<int8_t>(it->second);
    }
  }
  return o;
}

void RuleEngine::EmitThunk(void* ctx, const ftprep_finding* f) {
  auto* e = static_cast<RuleEngine*>(ctx);
  if (f == nullptr || f->rule_id == nullptr || e->sink_ == nullptr) return;
  const Profile& p = e->profile_;
  Severity severity = f->severity >= FTPREP_ERROR     ? Severity::kError
                      : f->severity == FTPREP_WARNING ? Severity::kWarning
                                                      : Severity::kInfo;
  const RuleId* id = e->Intern(f->rule_id);
  if (!p.disabled.empty() || !p.severity.empty()) {  // most runs override nothing: no lookups then
    int8_t o = e->Override(id);
    if (o == 3) return;
    if (o >= 0) severity = static_cast<Severity>(o);
  }
  Finding& out = e->sink_->emplace_back();
  out.id = id;
  out.severity = severity;
  out.line = e->line_;
  if (e->count_only_ == nullptr) {
    out.rule = f->rule_id;
  } else if (e->count_only_->OnlyCounted(id)) {
    return;  // counted by rule id alone: no text copied
  }
  if (f->path) out.path = f->path;
  if (f->message) out.message = f->message;
}

int RuleEngine::WantsThunk(void* ctx, const char* rule_id) {
  auto* e = static_cast<RuleEngine*>(ctx);
  if (rule_id == nullptr) return 1;
  const RuleId* id = e->Intern(rule_id);
  if (!e->profile_.disabled.empty() && e->Override(id) == 3) return 0;
  return e->count_only_ == nullptr || !e->count_only_->OnlyCounted(id);
}

Status RuleEngine::CallError(const Set& s, int rc, const char* what) {
  const char* err = s.vt->error(s.state);
  std::string m = "rule set " + s.plugin + " failed to " + what + ": " + (err && *err ? err : "no reason given");
  return rc == FTPREP_ERR_DATA ? Status(Code::kData, m) : InternalError(m);
}

Status RuleEngine::NativeError(const Set& s, const char* what, const char* why) {
  return InternalError("rule set " + s.plugin + " failed to " + what + ": " + (why && *why ? why : "no reason given"));
}

Status RuleEngine::Check(const rapidjson::Value& record, std::string_view json, uint64_t line,
                         std::vector<Finding>* out) {
  FTPREP_RETURN_IF_ERROR(CheckRecord(record, json, line, &scratch_));
  return Consume(&scratch_, line, out);
}

Status RuleEngine::Check(std::string_view json, uint64_t line, std::vector<Finding>* out) {
  rapidjson::Document d;
  ParseRecordJson(d, json.data(), json.size());
  if (d.HasParseError()) return Status(Code::kData, "record is not valid JSON");
  return Check(d, json, line, out);
}

Status RuleEngine::CheckRecord(const rapidjson::Value& record, std::string_view json, uint64_t line,
                               RecordChecks* r) {
  r->findings.clear();
  r->set_end.assign(sets_.size(), 0);
  r->digests.resize(sets_.size());
  r->skipped.assign(sets_.size(), 0);
  r->shaped_ran = false;
  r->shape.clear();
  r->json.clear();
  if (any_c_abi_) {
    if (json.empty()) {
      r->json = ToJson(record);
    } else {
      r->json.assign(json);
    }
  }
  if (any_shaped_) r->shape = ShapeOfDoc(record);
  sink_ = &r->findings;
  line_ = line;
  plugin::Emitter emit(&EmitThunk, this, &WantsThunk);
  for (size_t i = 0; i < sets_.size(); ++i) {
    const Set& s = sets_[i];
    r->digests[i].clear();
    if (!s.shapes.empty()) {
      if (std::find(s.shapes.begin(), s.shapes.end(), r->shape) == s.shapes.end()) {
        r->skipped[i] = 1;
        r->set_end[i] = static_cast<uint32_t>(r->findings.size());
        continue;
      }
      r->shaped_ran = true;
    }
    if (s.native != nullptr) {
      try {
        if (s.dataset) {
          static_cast<plugin::DatasetRuleSet*>(s.native)->Digest(record, line, &r->digests[i], emit);
        } else {
          s.native->Check(record, line, emit);
        }
      } catch (const std::exception& e) {
        sink_ = nullptr;
        return NativeError(s, "check a record", e.what());
      } catch (...) {
        sink_ = nullptr;
        return NativeError(s, "check a record", "unknown exception");
      }
    }
    r->set_end[i] = static_cast<uint32_t>(r->findings.size());
  }
  sink_ = nullptr;
  return Status::Ok();
}

// The ordered half of rule set i: a dataset set's Consume(), or a C-ABI set's whole check.
Status RuleEngine::RunOrdered(const Set& s, RecordChecks* r, size_t i, uint64_t line) {
  if (s.native != nullptr) {
    if (!s.dataset) return Status::Ok();
    plugin::Emitter emit(&EmitThunk, this, &WantsThunk);
    try {
      static_cast<plugin::DatasetRuleSet*>(s.native)->Consume(r->digests[i], line, emit);
    } catch (const std::exception& e) {
      return NativeError(s, "check a record", e.what());
    } catch (...) {
      return NativeError(s, "check a record", "unknown exception");
    }
    return Status::Ok();
  }
  int rc = s.vt->check(s.state, r->json.data(), r->json.size(), line, &EmitThunk, this);
  return rc == FTPREP_OK ? Status::Ok() : CallError(s, rc, "check a record");
}

Status RuleEngine::Consume(RecordChecks* r, uint64_t line, std::vector<Finding>* out) {
  sink_ = out;
  line_ = line;
  // Into an empty *out the worker's findings go whole (a swap, not a move per finding); a finding an ordered
  // half emits is then rotated back to its rule set's place (rare: most ordered sets come last or say nothing).
  bool whole = out->empty();
  if (whole) out->swap(r->findings);
  size_t begin = 0, shift = 0;  // shift: findings the ordered halves have added so far
  for (size_t i = 0; i < sets_.size() && i < r->set_end.size(); ++i) {
    size_t end = r->set_end[i];
    if (!whole) {
      for (size_t k = begin; k < end; ++k) out->push_back(std::move(r->findings[k]));
    }
    begin = end;
    if (r->skipped[i]) continue;
    size_t before = out->size();
    Status st = RunOrdered(sets_[i], r, i, line);
    if (!st.ok()) {
      sink_ = nullptr;
      return st;
    }
    if (whole && out->size() > before) {
      size_t at = end + shift;  // just after set i's own findings
      std::rotate(out->begin() + at, out->begin() + before, out->end());
      shift += out->size() - before;
    }
  }
  sink_ = nullptr;
  // A profile whose record rules all depend on the shape says so when none applied, rather than passing.
  if (any_shaped_ && !r->shaped_ran && !profile_.disabled.count("profile.shape")) {
    Finding f;
    f.rule = "profile.shape";
    f.line = line;
    f.message = "record shape " + r->shape + " is not accepted by profile " + profile_.name + " (it accepts ";
    for (size_t i = 0; i < profile_.shapes.size(); ++i) f.message += (i ? ", " : "") + profile_.shapes[i];
    f.message += ")";
    out->push_back(std::move(f));
  }
  r->findings.clear();
  return Status::Ok();
}

Status RuleEngine::Finish(std::vector<Finding>* out) {
  sink_ = out;
  line_ = 0;
  for (const auto& s : sets_) {
    if (s.vt->finish == nullptr) continue;
    int rc = s.vt->finish(s.state, &EmitThunk, this);
    if (rc != FTPREP_OK) {
      sink_ = nullptr;
      return CallError(s, rc, "finish");
    }
  }
  sink_ = nullptr;
  return Status::Ok();
}

Result<bool> RuleEngine::Fix(std::string* json, std::string_view rule) {
  for (const auto& s : sets_) {
    if (s.vt->fix == nullptr) continue;
    bool declares = false;
    for (size_t i = 0; i < s.vt->n_rules; ++i) declares = declares || rule == s.vt->rules[i].id;
    if (!declares) continue;
    const char* fixed = nullptr;
    size_t len = 0;
    std::string r(rule);
    int rc = s.vt->fix(s.state, json->data(), json->size(), r.c_str(), &fixed, &len);
    if (rc == FTPREP_END) return false;
    if (rc != FTPREP_OK) return CallError(s, rc, "fix a record");
    json->assign(fixed, len);
    return true;
  }
  return false;
}

std::vector<plugin::FixOffer> RuleEngine::FixPlan(const std::set<std::string>& fired) const {
  std::vector<plugin::FixOffer> plan;
  for (const auto& s : sets_) {
    if (s.native != nullptr && s.native->Fixes(&plan)) continue;
    for (size_t i = 0; i < s.vt->n_rules; ++i) {
      const ftprep_rule_info& r = s.vt->rules[i];
      if (r.fix == FTPREP_FIX_NONE || !fired.count(r.id) || profile_.disabled.count(r.id)) continue;
      plan.push_back({r.id, r.summary ? r.summary : "", r.fix == FTPREP_FIX_NECESSARY, {}});
    }
  }
  return plan;
}

std::vector<const ftprep_rule_info*> RuleEngine::Rules() const {
  std::vector<const ftprep_rule_info*> out;
  for (const auto& s : sets_) {
    for (size_t i = 0; i < s.vt->n_rules; ++i) out.push_back(&s.vt->rules[i]);
  }
  return out;
}

}  // namespace ftprep
