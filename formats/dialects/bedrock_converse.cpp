// Dialect bedrock-converse (Amazon Bedrock conversation fine-tuning): {"schemaVersion":
// "bedrock-conversation-2024","system":[{"text":..}],"messages":[{"role":"user"|"assistant",
// "content":[{"text":..}]}]}. Text blocks only.
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string BlocksToContent(const Value& blocks, const std::string& path, Value* content, Alloc& a) {
  if (!blocks.IsArray()) return path + ": must be an array of {\"text\":..} blocks";
  std::vector<std::string> texts;
  for (rapidjson::SizeType i = 0; i < blocks.Size(); ++i) {
    std::string t;
    if (!GetStr(blocks[i], "text", &t)) return path + "[" + std::to_string(i) + "]: only text blocks can be converted";
    texts.push_back(t);
  }
  if (texts.empty()) texts.push_back("");
  *content = ContentFromParts(texts, a);
  return "";
}

Value Blocks(const std::vector<std::string>& texts, Alloc& a) {
  Value arr(rapidjson::kArrayType);
  for (const auto& t : texts) {
    Value b(rapidjson::kObjectType);
    b.AddMember("text", Str(t, a), a);
    arr.PushBack(b, a);
  }
  return arr;
}

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = Get(in, "messages");
  if (msgs == nullptr || !msgs->IsArray()) return "messages: missing or not an array";
  const Value* sys = Get(in, "system");
  return Rebuild(in, out, a, {"schemaVersion", "system", "messages"}, [&](Value* o) -> std::string {
    Value out_msgs(rapidjson::kArrayType);
    if (sys) {
      Value content;
      std::string e = sys->IsString() ? (content = Str(std::string(sys->GetString(), sys->GetStringLength()), a), "")
                                      : BlocksToContent(*sys, "system", &content, a);
      if (!e.empty()) return e;
      out_msgs.PushBack(Message("system", content, a), a);
    }
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      const Value& m = (*msgs)[i];
      std::string role;
      if (!GetStr(m, "role", &role) || (role != "user" && role != "assistant")) {
        return Path("messages", i, "role") + ": must be user or assistant";
      }
      Value nm(rapidjson::kObjectType);
      for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
        if (it->name == "content") {
          Value content;
          std::string e = BlocksToContent(it->value, Path("messages", i, "content"), &content, a);
          if (!e.empty()) return e;
          nm.AddMember("content", content, a);
        } else {
          nm.AddMember(Copy(it->name, a), Copy(it->value, a), a);
        }
      }
      out_msgs.PushBack(nm, a);
    }
    o->AddMember("messages", out_msgs, a);
    return "";
  });
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value out_msgs(rapidjson::kArrayType);
    std::vector<std::string> system;
    bool seen_other = false;
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      const Value& m = (*msgs)[i];
      std::string role;
      GetStr(m, "role", &role);
      const Value* content = Get(m, "content");
      if (content == nullptr) return Path("messages", i, "content") + ": missing";
      std::vector<std::string> texts;
      e = TextParts(*content, &texts, Path("messages", i, "content"));
      if (!e.empty()) return e;
      if (role == "system" || role == "developer") {
        if (seen_other) return Path("messages", i, "role") + ": Bedrock takes system text only at the start";
        system.insert(system.end(), texts.begin(), texts.end());
        continue;
      }
      if (role != "user" && role != "assistant") {
        return Path("messages", i, "role") + ": role '" + role + "' cannot be converted to Bedrock Converse";
      }
      seen_other = true;
      Value nm(rapidjson::kObjectType);
      for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
        if (it->name == "content") {
          nm.AddMember("content", Blocks(texts, a), a);
        } else {
          nm.AddMember(Copy(it->name, a), Copy(it->value, a), a);
        }
      }
      out_msgs.PushBack(nm, a);
    }
    o->AddMember("schemaVersion", "bedrock-conversation-2024", a);
    if (!system.empty()) o->AddMember("system", Blocks(system, a), a);
    o->AddMember("messages", out_msgs, a);
    return "";
  });
}

int Score(const Value& in) {
  if (Get(in, "schemaVersion")) return 95;
  const Value* s = Get(in, "system");
  if (s && s->IsArray()) return 85;
  const Value* m = Get(in, "messages");
  if (m == nullptr || !m->IsArray() || m->Empty()) return 0;
  const Value* c = Get((*m)[0], "content");
  if (c && c->IsArray() && !c->Empty() && (*c)[0].IsObject() && Get((*c)[0], "text") && !Get((*c)[0], "type")) return 85;
  return 0;
}

constexpr Spec kSpec{&Decode, &Encode, &Score};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1 f = Format<kSpec>();
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "bedrock-converse", "1.0", &f, "dialect: Amazon Bedrock Converse {\"system\":[{\"text\"}],\"messages\":[..]}");
  return &p;
}
}  // namespace

FTPREP_PLUGIN(Describe)
