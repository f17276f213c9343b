// Dialect gemini (Vertex AI tuning): {"systemInstruction":{"role":"system","parts":[{"text":..}]},
// "contents":[{"role":"user"|"model","parts":[{"text":..}]}]}. model <-> assistant; several text parts
// <-> OpenAI text content parts. Only text converts (no images or function calls).
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string PartsToContent(const Value& parts, const std::string& path, Value* content, Alloc& a) {
  if (!parts.IsArray()) return path + ": parts must be an array";
  std::vector<std::string> texts;
  for (rapidjson::SizeType i = 0; i < parts.Size(); ++i) {
    std::string t;
    if (!GetStr(parts[i], "text", &t)) return path + "[" + std::to_string(i) + "]: only text parts can be converted";
    texts.push_back(t);
  }
  if (texts.empty()) texts.push_back("");
  *content = ContentFromParts(texts, a);
  return "";
}

Value Parts(const std::vector<std::string>& texts, Alloc& a) {
  Value arr(rapidjson::kArrayType);
  for (const auto& t : texts) {
    Value p(rapidjson::kObjectType);
    p.AddMember("text", Str(t, a), a);
    arr.PushBack(p, a);
  }
  return arr;
}

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* contents = Get(in, "contents");
  if (contents == nullptr || !contents->IsArray()) return "contents: missing or not an array (not a Gemini record)";
  const Value* sys = Get(in, "systemInstruction");
  if (sys == nullptr) sys = Get(in, "system_instruction");
  return Rebuild(in, out, a, {"systemInstruction", "system_instruction", "contents"}, [&](Value* o) -> std::string {
    Value msgs(rapidjson::kArrayType);
    if (sys) {
      const Value* parts = Get(*sys, "parts");
      if (parts == nullptr) return "systemInstruction.parts: missing";
      Value content;
      std::string e = PartsToContent(*parts, "systemInstruction.parts", &content, a);
      if (!e.empty()) return e;
      msgs.PushBack(Message("system", content, a), a);
    }
    for (rapidjson::SizeType i = 0; i < contents->Size(); ++i) {
      const Value& c = (*contents)[i];
      std::string role;
      if (!GetStr(c, "role", &role)) return Path("contents", i, "role") + ": missing or not a string";
      if (role != "user" && role != "model") return Path("contents", i, "role") + ": must be user or model";
      Value m(rapidjson::kObjectType);
      for (auto it = c.MemberBegin(); it != c.MemberEnd(); ++it) {
        if (it->name == "role") {
          m.AddMember("role", rapidjson::StringRef(role == "model" ? "assistant" : "user"), a);
        } else if (it->name == "parts") {
          Value content;
          std::string e = PartsToContent(it->value, Path("contents", i, "parts"), &content, a);
          if (!e.empty()) return e;
          m.AddMember("content", content, a);
        } else {
          m.AddMember(Copy(it->name, a), Copy(it->value, a), a);
        }
      }
      if (!Get(m, "content")) return Path("contents", i, "parts") + ": missing";
      msgs.PushBack(m, a);
    }
    o->AddMember("messages", msgs, a);
    return "";
  });
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value contents(rapidjson::kArrayType);
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
        if (seen_other) return Path("messages", i, "role") + ": Gemini takes a system message only at the start";
        system.insert(system.end(), texts.begin(), texts.end());
        continue;
      }
      if (role != "user" && role != "assistant") {
        return Path("messages", i, "role") + ": role '" + role + "' cannot be converted to Gemini";
      }
      seen_other = true;
      Value c(rapidjson::kObjectType);
      for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
        if (it->name == "role") {
          c.AddMember("role", rapidjson::StringRef(role == "assistant" ? "model" : "user"), a);
        } else if (it->name == "content") {
          c.AddMember("parts", Parts(texts, a), a);
        } else {
          c.AddMember(Copy(it->name, a), Copy(it->value, a), a);
        }
      }
      contents.PushBack(c, a);
    }
    if (!system.empty()) {
      Value si(rapidjson::kObjectType);
      si.AddMember("role", "system", a);
      si.AddMember("parts", Parts(system, a), a);
      o->AddMember("systemInstruction", si, a);
    }
    o->AddMember("contents", contents, a);
    return "";
  });
}

int Score(const Value& in) {
  const Value* c = Get(in, "contents");
  return (c && c->IsArray()) ? 90 : 0;
}

constexpr Spec kSpec{&Decode, &Encode, &Score};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1 f = Format<kSpec>();
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "gemini", "1.0", &f, "dialect: Gemini/Vertex {\"systemInstruction\",\"contents\":[{\"role\",\"parts\"}]}");
  return &p;
}
}  // namespace

FTPREP_PLUGIN(Describe)
