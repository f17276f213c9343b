// refusals — an example out-of-tree rule plugin for ftprep: flags refusal boilerplate ("As an AI language
// model, I cannot ...") in the text a model would be trained to say (assistant messages, completions, DPO
// preferred outputs). Training on such text teaches the model to refuse.
//
// Build: ftprep_plugin(refusals SOURCES refusals.cpp ALWAYS_MODULE) -> refusals.so, exporting
// refusals_ftprep_plugin_v1. Use: ftprep validate --plugin-path DIR --rule-set refusals data.jsonl
// Config (optional JSON object): {"phrases": ["...", ...]} replaces the built-in phrase list.
// Only include/ftprep/plugin.hpp (header-only) and RapidJSON are needed.
#include <cctype>
#include <string>
#include <vector>

#include "ftprep/plugin.hpp"

namespace {

const ftprep_rule_info kRules[] = {
    {"refusal.boilerplate", FTPREP_WARNING, FTPREP_FIX_NONE, "assistant text contains refusal boilerplate"},
};

const char* const kPhrases[] = {
    "as an ai language model", "as an ai assistant", "as a large language model", "i'm sorry, but i cannot",
    "i am sorry, but i cannot", "i'm sorry, but i can't", "i cannot fulfill that request", "i can't assist with that",
    "i am unable to provide", "i'm not able to provide", "my knowledge cutoff",
};

std::string Lower(const char* s, size_t n) {
  std::string out(s, n);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // Typographic apostrophes count as plain ones ("I’m sorry").
  for (size_t i = 0; (i = out.find("\xE2\x80\x99", i)) != std::string::npos;) out.replace(i, 3, "'");
  return out;
}

class Refusals : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& config) override {
    auto it = config.FindMember("phrases");
    if (it == config.MemberEnd()) {
      for (const char* p : kPhrases) phrases_.emplace_back(p);
      return true;
    }
    if (!it->value.IsArray()) {
      error_ = "refusals: \"phrases\" must be an array of strings";
      return false;
    }
    for (const auto& p : it->value.GetArray()) {
      if (p.IsString()) phrases_.push_back(Lower(p.GetString(), p.GetStringLength()));
    }
    return true;
  }

  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    if (!rec.IsObject()) return;
    if (auto m = rec.FindMember("messages"); m != rec.MemberEnd() && m->value.IsArray()) {
      Messages(m->value, "messages", out);
    }
    if (auto c = rec.FindMember("completion"); c != rec.MemberEnd()) Text(c->value, "completion", out);
    if (auto p = rec.FindMember("preferred_output"); p != rec.MemberEnd() && p->value.IsArray()) {
      Messages(p->value, "preferred_output", out);
    }
  }

 private:
  void Messages(const rapidjson::Value& msgs, const std::string& base, ftprep::plugin::Emitter& out) {
    for (rapidjson::SizeType i = 0; i < msgs.Size(); ++i) {
      const rapidjson::Value& m = msgs[i];
      if (!m.IsObject()) continue;
      auto role = m.FindMember("role");
      auto content = m.FindMember("content");
      if (role == m.MemberEnd() || !role->value.IsString() || std::string(role->value.GetString()) != "assistant") continue;
      if (content == m.MemberEnd()) continue;
      Text(content->value, base + "[" + std::to_string(i) + "].content", out);
    }
  }

  void Text(const rapidjson::Value& v, const std::string& path, ftprep::plugin::Emitter& out) {
    if (v.IsArray()) {
      for (rapidjson::SizeType k = 0; k < v.Size(); ++k) {
        auto t = v[k].IsObject() ? v[k].FindMember("text") : v[k].MemberEnd();
        if (v[k].IsObject() && t != v[k].MemberEnd()) Text(t->value, path + "[" + std::to_string(k) + "].text", out);
      }
      return;
    }
    if (!v.IsString()) return;
    std::string low = Lower(v.GetString(), v.GetStringLength());
    for (const auto& p : phrases_) {
      if (low.find(p) != std::string::npos) {
        out.Emit("refusal.boilerplate", FTPREP_WARNING, path, "refusal boilerplate \"" + p + "\" in trained text");
        return;
      }
    }
  }

  std::vector<std::string> phrases_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Refusals>(kRules, 1);
  static const ftprep_plugin_v1 p =
      ftprep::plugin::DescribeRules("refusals", "1.0", &rules, "example plugin: refusal boilerplate in assistant text");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
