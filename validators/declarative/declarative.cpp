// validators/declarative — user rules without compiling anything (`ftprep validate --rules my.json`).
//
// The rules file is a JSON object {"rules": [RULE, ...]}; each RULE has an "id" (shown as error[<id>]) and:
//   "path"        where to look: "a.b", "messages[0].content", "messages[*].content" ([*] = every element);
//                 absent or "" = the whole record
//   "required"    true: the path must exist (for [*] paths: in every element that exists)
//   "type"        "string" | "number" | "integer" | "boolean" | "array" | "object" | "null", or a list of them
//   "enum"        list of allowed values
//   "regex"       the string must contain a match (RE2 syntax: linear time whatever the input; no backreferences
//                 or lookaround); anchor with ^...$ to match the whole string
//   "min_length", "max_length"   bounds on strings (and arrays: element count)
//   "unit"        "chars" (default; Unicode code points) or "tokens" (with "encoding", default cl100k_base)
//   "schema"      a JSON Schema (draft 4, RapidJSON's validator; "pattern"s compile with RE2) the value must satisfy
//   "severity"    "error" (default) | "warning" | "info";  "message": replaces the generated message
// re2_regex.h first: it replaces RapidJSON's regex engine inside schema.h with RE2.
#include "re2_regex.h"
// clang-format off
#include <rapidjson/error/en.h>
#include <rapidjson/schema.h>
// clang-format on
#include <rapidjson/stringbuffer.h>

#include <memory>

#include "../common/rule_util.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"declarative.rule", FTPREP_ERROR, FTPREP_FIX_NONE, "a rule from the --rules file (findings use the rule's own id)"},
};

struct Step {
  std::string key;
  long index = -1;  // -2 = [*]
};

bool ParsePath(const std::string& p, std::vector<Step>* out, std::string* err) {
  size_t i = 0;
  if (p.rfind("$.", 0) == 0) i = 2;
  if (p == "$") return true;
  while (i < p.size()) {
    if (p[i] == '.') {
      ++i;
      continue;
    }
    if (p[i] == '[') {
      size_t e = p.find(']', i);
      if (e == std::string::npos) return *err = "unclosed [ in path " + p, false;
      std::string in = p.substr(i + 1, e - i - 1);
      if (in == "*") {
        out->push_back({"", -2});
      } else if (!in.empty() && in[0] == '"' && in.back() == '"' && in.size() >= 2) {
        out->push_back({in.substr(1, in.size() - 2), -1});
      } else {
        char* end = nullptr;
        long v = std::strtol(in.c_str(), &end, 10);
        if (in.empty() || *end || v < 0) return *err = "bad index [" + in + "] in path " + p, false;
        out->push_back({"", v});
      }
      i = e + 1;
      continue;
    }
    size_t e = i;
    while (e < p.size() && p[e] != '.' && p[e] != '[') ++e;
    out->push_back({p.substr(i, e - i), -1});
    i = e;
  }
  return true;
}

struct Rule {
  std::string id, path, message, unit = "chars", encoding = "cl100k_base";
  std::vector<Step> steps;
  int severity = FTPREP_ERROR;
  bool required = false;
  std::vector<std::string> types;
  std::unique_ptr<rapidjson::Document> enum_values;
  std::string regex_text;
  std::unique_ptr<RE2> regex;
  int64_t min_len = -1, max_len = -1;
  std::unique_ptr<rapidjson::Document> schema_doc;
  std::unique_ptr<rapidjson::SchemaDocument> schema;
};

std::string PointerToPath(const std::string& base, const char* ptr) {
  std::string out = base;
  const char* p = ptr;
  while (*p == '/') {
    ++p;
    std::string tok;
    while (*p && *p != '/') tok += *p++;
    bool num = !tok.empty() && tok.find_first_not_of("0123456789") == std::string::npos;
    out = num ? out + "[" + tok + "]" : ftprep::rules::Key(out, tok);
  }
  return out;
}

// The first regex of a JSON Schema ("pattern" values, "patternProperties" names) that RE2 cannot compile, with
// RE2's reason in *why; nullptr when all compile. RapidJSON's schema drops a pattern it cannot compile without a
// word, so they are checked here first. The rules loader caps nesting at 64 levels, so the recursion is bounded.
const rapidjson::Value* BadSchemaPattern(const rapidjson::Value& v, std::string* why) {
  if (v.IsArray()) {
    for (const auto& e : v.GetArray()) {
      if (const rapidjson::Value* bad = BadSchemaPattern(e, why)) return bad;
    }
  } else if (v.IsObject()) {
    for (const auto& m : v.GetObject()) {
      std::string key(m.name.GetString(), m.name.GetStringLength());
      if (key == "pattern" && m.value.IsString()) {
        if (!ftprep::declarative::CompilePattern(std::string(Str(m.value)), why)) return &m.value;
      }
      if (key == "patternProperties" && m.value.IsObject()) {
        for (const auto& pm : m.value.GetObject()) {
          if (!ftprep::declarative::CompilePattern(std::string(Str(pm.name)), why)) return &pm.name;
        }
      }
      if (const rapidjson::Value* bad = BadSchemaPattern(m.value, why)) return bad;
    }
  }
  return nullptr;
}

class Declarative : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    const rapidjson::Value* rules = Get(c, "rules");
    if (!rules || !rules->IsArray()) return Fail("the rules file must be an object with a \"rules\" array");
    for (rapidjson::SizeType i = 0; i < rules->Size(); ++i) {
      const rapidjson::Value& r = (*rules)[i];
      std::string where = "rules[" + std::to_string(i) + "]";
      if (!r.IsObject()) return Fail(where + " is not an object");
      auto rule = std::make_unique<Rule>();
      rule->id = ftprep::rules::CfgStr(r, "id", "");
      if (rule->id.empty()) return Fail(where + " has no \"id\"");
      where += " (" + rule->id + ")";
      rule->path = ftprep::rules::CfgStr(r, "path", "");
      std::string err;
      if (!ParsePath(rule->path, &rule->steps, &err)) return Fail(where + ": " + err);
      rule->message = ftprep::rules::CfgStr(r, "message", "");
      std::string sev = ftprep::rules::CfgStr(r, "severity", "error");
      rule->severity = sev == "warning" ? FTPREP_WARNING : sev == "info" ? FTPREP_INFO : FTPREP_ERROR;
      if (sev != "error" && sev != "warning" && sev != "info") return Fail(where + ": unknown severity " + sev);
      rule->required = ftprep::rules::CfgBool(r, "required", false);
      if (const rapidjson::Value* t = Get(r, "type")) {
        rule->types = t->IsString() ? std::vector<std::string>{std::string(Str(*t))} : ftprep::rules::CfgList(r, "type", {});
        for (const auto& ty : rule->types) {
          if (ty != "string" && ty != "number" && ty != "integer" && ty != "boolean" && ty != "array" &&
              ty != "object" && ty != "null") {
            return Fail(where + ": unknown type \"" + ty + "\"");
          }
        }
      }
      if (const rapidjson::Value* e = Get(r, "enum")) {
        if (!e->IsArray()) return Fail(where + ": \"enum\" must be an array");
        rule->enum_values = std::make_unique<rapidjson::Document>();
        rule->enum_values->CopyFrom(*e, rule->enum_values->GetAllocator());
      }
      rule->regex_text = ftprep::rules::CfgStr(r, "regex", "");
      if (!rule->regex_text.empty()) {
        std::string why;
        rule->regex = ftprep::declarative::CompilePattern(rule->regex_text, &why);
        if (!rule->regex) return Fail(where + ": invalid regex " + ftprep::rules::Quote(rule->regex_text) + ": " + why);
      }
      rule->min_len = ftprep::rules::CfgInt(r, "min_length", -1);
      rule->max_len = ftprep::rules::CfgInt(r, "max_length", -1);
      rule->unit = ftprep::rules::CfgStr(r, "unit", "chars");
      if (rule->unit != "chars" && rule->unit != "tokens") return Fail(where + ": unit must be chars or tokens");
      rule->encoding = ftprep::rules::CfgStr(r, "encoding", "cl100k_base");
      if (const rapidjson::Value* s = Get(r, "schema")) {
        if (!s->IsObject()) return Fail(where + ": \"schema\" must be a JSON Schema object");
        std::string why;
        if (const rapidjson::Value* bad = BadSchemaPattern(*s, &why)) {
          return Fail(where + ": invalid schema pattern " + ftprep::rules::Quote(std::string(Str(*bad))) + ": " + why);
        }
        rule->schema_doc = std::make_unique<rapidjson::Document>();
        rule->schema_doc->CopyFrom(*s, rule->schema_doc->GetAllocator());
        rule->schema = std::make_unique<rapidjson::SchemaDocument>(*rule->schema_doc);
      }
      rules_.push_back(std::move(rule));
    }
    return true;
  }

  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    for (const auto& r : rules_) Walk(*r, rec, 0, "", out);
  }

 private:
  bool Fail(const std::string& m) {
    error_ = "--rules: " + m;
    return false;
  }

  void Walk(const Rule& r, const rapidjson::Value& v, size_t step, const std::string& path, ftprep::plugin::Emitter& out) {
    if (step == r.steps.size()) {
      Apply(r, v, path, out);
      return;
    }
    const Step& s = r.steps[step];
    const rapidjson::Value* next = nullptr;
    std::string np;
    if (s.index == -2) {
      if (!v.IsArray()) {
        Missing(r, path, out);
        return;
      }
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i) Walk(r, v[i], step + 1, ftprep::rules::Index(path, i), out);
      return;
    }
    if (s.index >= 0) {
      if (v.IsArray() && static_cast<size_t>(s.index) < v.Size()) next = &v[static_cast<rapidjson::SizeType>(s.index)];
      np = ftprep::rules::Index(path, static_cast<size_t>(s.index));
    } else {
      next = Get(v, s.key.c_str());
      np = ftprep::rules::Key(path, s.key);
    }
    if (next == nullptr) {
      Missing(r, np, out);
      return;
    }
    Walk(r, *next, step + 1, np, out);
  }

  void Missing(const Rule& r, const std::string& path, ftprep::plugin::Emitter& out) {
    if (r.required) Emit(r, path, "required field is missing", out);
  }

  void Emit(const Rule& r, const std::string& path, const std::string& what, ftprep::plugin::Emitter& out) {
    out.Emit(r.id.c_str(), r.severity, path, r.message.empty() ? what : r.message);
  }

  static bool TypeIs(const rapidjson::Value& v, const std::string& t) {
    if (t == "string") return v.IsString();
    if (t == "number") return v.IsNumber();
    if (t == "integer") return v.IsInt64() || v.IsUint64() || (v.IsDouble() && v.GetDouble() == static_cast<double>(static_cast<int64_t>(v.GetDouble())));
    if (t == "boolean") return v.IsBool();
    if (t == "array") return v.IsArray();
    if (t == "object") return v.IsObject();
    return v.IsNull();
  }

  void Apply(const Rule& r, const rapidjson::Value& v, const std::string& path, ftprep::plugin::Emitter& out) {
    if (!r.types.empty()) {
      bool ok = false;
      for (const auto& t : r.types) ok = ok || TypeIs(v, t);
      if (!ok) {
        std::string want;
        for (size_t i = 0; i < r.types.size(); ++i) want += (i ? " or " : "") + r.types[i];
        Emit(r, path, "expected " + want + ", got " + ftprep::rules::TypeName(v), out);
        return;
      }
    }
    if (r.enum_values) {
      bool ok = false;
      for (const auto& e : r.enum_values->GetArray()) ok = ok || e == v;
      if (!ok) Emit(r, path, "value is not one of the allowed values", out);
    }
    if (r.regex && v.IsString()) {
      if (!RE2::PartialMatch(re2::StringPiece(v.GetString(), v.GetStringLength()), *r.regex)) {
        Emit(r, path, ftprep::rules::Quote(Str(v)) + " does not match " + ftprep::rules::Quote(r.regex_text, 60), out);
      }
    }
    if (r.min_len >= 0 || r.max_len >= 0) {
      int64_t len = -1;
      if (v.IsString()) {
        if (r.unit == "tokens") {
          long long n = host && host->count_tokens
                            ? host->count_tokens(host->ctx, r.encoding.c_str(), v.GetString(), v.GetStringLength())
                            : -1;
          if (n < 0) {
            Emit(r, path, "length in tokens not checked: no " + r.encoding + " tokenizer in this ftprep", out);
          }
          len = n;
        } else {
          len = static_cast<int64_t>(ftprep::rules::CountChars(Str(v)));
        }
      } else if (v.IsArray()) {
        len = v.Size();
      }
      if (len >= 0) {
        const char* unit = v.IsArray() ? "elements" : r.unit == "tokens" ? "tokens" : "characters";
        if (r.min_len >= 0 && len < r.min_len) {
          Emit(r, path, std::to_string(len) + " " + unit + "; at least " + std::to_string(r.min_len) + " required", out);
        } else if (r.max_len >= 0 && len > r.max_len) {
          Emit(r, path, std::to_string(len) + " " + unit + "; at most " + std::to_string(r.max_len) + " allowed", out);
        }
      }
    }
    if (r.schema) {
      rapidjson::SchemaValidator validator(*r.schema);
      if (!v.Accept(validator)) {
        rapidjson::StringBuffer where;
        validator.GetInvalidDocumentPointer().Stringify(where);
        std::string ptr = where.GetString();
        
        Emit(r, PointerToPath(path, ptr.c_str()),
             std::string("does not satisfy the schema (keyword \"") + validator.GetInvalidSchemaKeyword() + "\")", out);
      }
    }
  }

  std::vector<std::unique_ptr<Rule>> rules_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules =
      ftprep::plugin::MakeRules<Declarative>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "declarative", "1.0", &rules, "--rules FILE: required fields, types, enums, regexes, lengths, JSON Schema");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
