// Dialect cohere-chat (Cohere's legacy chat fine-tuning format): {"messages":[{"role":"System"|"User"|
// "Chatbot","content":..}]}. System <-> system, User <-> user, Chatbot <-> assistant.
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string Map(const Value& in, Value* out, Alloc& a, bool decode) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value arr(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      const Value& m = (*msgs)[i];
      std::string role, to;
      GetStr(m, "role", &role);
      if (decode) {
        to = role == "System" ? "system" : role == "User" ? "user" : role == "Chatbot" ? "assistant" : "";
        if (to.empty()) return Path("messages", i, "role") + ": '" + role + "' is not System, User or Chatbot";
      } else {
        to = (role == "system" || role == "developer") ? "System" : role == "user" ? "User"
           : role == "assistant" ? "Chatbot" : "";
        if (to.empty()) return Path("messages", i, "role") + ": role '" + role + "' has no Cohere equivalent";
        const Value* c = Get(m, "content");
        if (c == nullptr || !c->IsString()) return Path("messages", i, "content") + ": Cohere needs string content";
      }
      Value nm(rapidjson::kObjectType);
      for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
        if (it->name == "role") {
          nm.AddMember("role", Str(to, a), a);
        } else {
          nm.AddMember(Copy(it->name, a), Copy(it->value, a), a);
        }
      }
      arr.PushBack(nm, a);
    }
    o->AddMember("messages", arr, a);
    return "";
  });
}

std::string Decode(const Value& in, Value* out, Alloc& a) { return Map(in, out, a, true); }
std::string Encode(const Value& in, Value* out, Alloc& a) { return Map(in, out, a, false); }

int Score(const Value& in) {
  const Value* m = Get(in, "messages");
  if (m == nullptr || !m->IsArray() || m->Empty()) return 0;
  for (const auto& msg : m->GetArray()) {
    std::string r;
    if (!GetStr(msg, "role", &r) || (r != "System" && r != "User" && r != "Chatbot")) return 0;
  }
  return 90;
}

}  // namespace

FTPREP_DIALECT("cohere-chat", "dialect: Cohere legacy chat (roles System, User, Chatbot)", Decode, Encode,
               Score)
