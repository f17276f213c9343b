// validators/conversation — chat formats that are not OpenAI's, configured by the profile:
//   Vertex AI Gemini   {"systemInstruction": {"parts": [{"text"}]}, "contents": [{"role": "user"|"model",
//                       "parts": [{"text": ...}]}]}
//   Bedrock Nova       {"schemaVersion": "bedrock-conversation-2024", "system": [{"text"}],
//                       "messages": [{"role": "user"|"assistant", "content": [{"text": ...}]}]}
//   Bedrock Claude     {"system": "...", "messages": [{"role": "user"|"assistant", "content": "..."}]}
//   Cohere             {"messages": [{"role": "System"|"User"|"Chatbot", "content": "..."}]}
// Config: "messages_key", "content_key", "content" ("string" | "parts"), "roles", "first_role", "last_role",
// "alternate" (user/assistant turns alternate), "system_key" + "system" ("string" | "parts" | "object_parts"),
// "record_keys", "schema_version" (required value of "schemaVersion"), "min_turns", "max_turns".
#include "../common/rule_util.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Index;
using ftprep::rules::Key;
using ftprep::rules::Quote;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"conv.messages.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "record has no turns array"},
    {"conv.messages.type", FTPREP_ERROR, FTPREP_FIX_NONE, "the turns are not a non-empty array"},
    {"conv.messages.count", FTPREP_ERROR, FTPREP_FIX_NONE, "too few or too many turns"},
    {"conv.message.type", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn is not an object"},
    {"conv.role.unknown", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn has a missing or unknown role"},
    {"conv.role.alternation", FTPREP_ERROR, FTPREP_FIX_NONE, "turns do not alternate"},
    {"conv.role.first", FTPREP_ERROR, FTPREP_FIX_NONE, "the first turn has the wrong role"},
    {"conv.role.last", FTPREP_ERROR, FTPREP_FIX_NONE, "the last turn has the wrong role"},
    {"conv.content.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn has no content"},
    {"conv.content.type", FTPREP_ERROR, FTPREP_FIX_NONE, "content has the wrong type"},
    {"conv.part.type", FTPREP_ERROR, FTPREP_FIX_NONE, "a content part has no text"},
    {"conv.system.type", FTPREP_ERROR, FTPREP_FIX_NONE, "the system prompt has the wrong type"},
    {"conv.record.unknown_key", FTPREP_WARNING, FTPREP_FIX_NONE, "record has a key the provider does not know"},
    {"conv.schema_version", FTPREP_ERROR, FTPREP_FIX_NONE, "schemaVersion missing or wrong"},
};

class Conversation : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    using ftprep::rules::CfgStr;
    messages_key_ = CfgStr(c, "messages_key", "messages");
    content_key_ = CfgStr(c, "content_key", "content");
    content_ = CfgStr(c, "content", "string");
    roles_ = ftprep::rules::CfgList(c, "roles", {"user", "assistant"});
    first_ = CfgStr(c, "first_role", "");
    last_ = CfgStr(c, "last_role", "");
    alternate_ = ftprep::rules::CfgBool(c, "alternate", false);
    system_key_ = CfgStr(c, "system_key", "");
    system_ = CfgStr(c, "system", "string");
    record_keys_ = ftprep::rules::CfgList(c, "record_keys", {});
    schema_version_ = CfgStr(c, "schema_version", "");
    min_turns_ = ftprep::rules::CfgInt(c, "min_turns", 1);
    max_turns_ = ftprep::rules::CfgInt(c, "max_turns", 0);
    if (content_ != "string" && content_ != "parts") return error_ = "content must be \"string\" or \"parts\"", false;
    return true;
  }

  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    if (!record_keys_.empty()) {
      for (const auto& m : rec.GetObject()) {
        if (!ftprep::rules::Contains(record_keys_, Str(m.name))) {
          out.Emit("conv.record.unknown_key", FTPREP_WARNING, Key("", Str(m.name)), "unknown top-level key " + Quote(Str(m.name)));
        }
      }
    }
    if (!schema_version_.empty()) {
      const rapidjson::Value* v = Get(rec, "schemaVersion");
      if (!v || !v->IsString() || Str(*v) != schema_version_) {
        out.Emit("conv.schema_version", FTPREP_ERROR, "schemaVersion", "\"schemaVersion\" must be " + Quote(schema_version_));
      }
    }
    if (!system_key_.empty()) {
      if (const rapidjson::Value* s = Get(rec, system_key_.c_str())) CheckSystem(*s, out);
    }
    const rapidjson::Value* msgs = Get(rec, messages_key_.c_str());
    if (msgs == nullptr) {
      out.Emit("conv.messages.missing", FTPREP_ERROR, "", "record has no `" + messages_key_ + "` array");
      return;
    }
    if (!msgs->IsArray() || msgs->Empty()) {
      out.Emit("conv.messages.type", FTPREP_ERROR, messages_key_, "`" + messages_key_ + "` must be a non-empty array");
      return;
    }
    int64_t n = msgs->Size();
    if (n < min_turns_ || (max_turns_ > 0 && n > max_turns_)) {
      out.Emit("conv.messages.count", FTPREP_ERROR, messages_key_,
               std::to_string(n) + (n == 1 ? " turn" : " turns") + "; allowed: " + std::to_string(min_turns_) + " to " +
                   (max_turns_ > 0 ? std::to_string(max_turns_) : std::string("any number")));
    }
    std::string prev;
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      const rapidjson::Value& m = (*msgs)[i];
      std::string mp = Index(messages_key_, i);
      if (!m.IsObject()) {
        out.Emit("conv.message.type", FTPREP_ERROR, mp, "a turn must be an object");
        continue;
      }
      const rapidjson::Value* role = Get(m, "role");
      std::string r = role && role->IsString() ? std::string(Str(*role)) : std::string();
      if (!ftprep::rules::Contains(roles_, r)) {
        out.Emit("conv.role.unknown", FTPREP_ERROR, Key(mp, "role"),
                 (r.empty() ? std::string("missing role") : "unknown role " + Quote(r)) + " (expected " + Join(roles_) + ")");
      } else {
        if (i == 0 && !first_.empty() && r != first_) {
          out.Emit("conv.role.first", FTPREP_ERROR, Key(mp, "role"), "the first turn must be " + Quote(first_));
        }
        if (alternate_ && r == prev) {
          out.Emit("conv.role.alternation", FTPREP_ERROR, Key(mp, "role"), "two " + Quote(r) + " turns in a row");
        }
        prev = r;
      }
      const rapidjson::Value* c = Get(m, content_key_.c_str());
      if (c == nullptr) {
        out.Emit("conv.content.missing", FTPREP_ERROR, mp, "turn has no `" + content_key_ + "`");
      } else if (content_ == "string") {
        if (!c->IsString()) {
          out.Emit("conv.content.type", FTPREP_ERROR, Key(mp, content_key_),
                   "`" + content_key_ + "` must be a string, not " + ftprep::rules::TypeName(*c));
        }
      } else {
        CheckParts(*c, Key(mp, content_key_), out);
      }
    }
    if (!last_.empty()) {
      const rapidjson::Value* role = Get((*msgs)[msgs->Size() - 1], "role");
      if (!role || !role->IsString() || Str(*role) != last_) {
        out.Emit("conv.role.last", FTPREP_ERROR, Index(messages_key_, msgs->Size() - 1),
                 "the last turn must be " + Quote(last_));
      }
    }
  }

 private:
  static std::string Join(const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s;
  }

  void CheckParts(const rapidjson::Value& c, const std::string& p, ftprep::plugin::Emitter& out,
                  const char* rule = "conv.content.type") {
    if (!c.IsArray() || c.Empty()) {
      out.Emit(rule, FTPREP_ERROR, p, "`" + p.substr(p.rfind('.') == std::string::npos ? 0 : p.rfind('.') + 1) + "` must be a non-empty array of parts");
      return;
    }
    for (rapidjson::SizeType k = 0; k < c.Size(); ++k) {
      const rapidjson::Value* t = Get(c[k], "text");
      if (!t || !t->IsString()) {
        // Non-text parts (images, documents, tool use) are accepted by some providers; text is what we check.
        if (c[k].IsObject() && c[k].MemberCount() > 0 && !Get(c[k], "text")) continue;
        out.Emit("conv.part.type", FTPREP_ERROR, Index(p, k), "a part needs a string `text`");
      }
    }
  }

  void CheckSystem(const rapidjson::Value& s, ftprep::plugin::Emitter& out) {
    if (system_ == "string") {
      if (!s.IsString()) {
        out.Emit("conv.system.type", FTPREP_ERROR, system_key_, "`" + system_key_ + "` must be a string");
      }
    } else if (system_ == "parts") {
      CheckParts(s, system_key_, out, "conv.system.type");
    } else {  // object_parts: {"parts": [...]}, Gemini's systemInstruction
      const rapidjson::Value* parts = Get(s, "parts");
      if (!parts) {
        out.Emit("conv.system.type", FTPREP_ERROR, system_key_, "`" + system_key_ + "` must be an object with `parts`");
      } else {
        CheckParts(*parts, Key(system_key_, "parts"), out, "conv.system.type");
      }
    }
  }

  std::string messages_key_, content_key_, content_, first_, last_, system_key_, system_, schema_version_;
  std::vector<std::string> roles_, record_keys_;
  bool alternate_ = false;
  int64_t min_turns_ = 1, max_turns_ = 0;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules =
      ftprep::plugin::MakeRules<Conversation>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "conversation", "1.0", &rules, "non-OpenAI chat formats (Gemini, Bedrock Nova/Claude, Cohere) by configuration");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
