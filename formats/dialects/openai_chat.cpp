// Dialect openai-chat: the canonical chat form {"messages":[{"role":..,"content":..},...]} (identity; checks
// that messages is an array of objects with a string role).
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string Identity(const Value& in, Value* out, Alloc& a) {
  const Value* m = nullptr;
  std::string e = CheckChat(in, &m);
  if (!e.empty()) return e;
  out->CopyFrom(in, a);
  return "";
}

int Score(const Value& in) {
  const Value* m = Get(in, "messages");
  if (m == nullptr || !m->IsArray() || m->Empty()) return 0;
  for (const auto& msg : m->GetArray()) {
    std::string r;
    if (!GetStr(msg, "role", &r)) return 0;
    if (r != "system" && r != "developer" && r != "user" && r != "assistant" && r != "tool" && r != "function") return 0;
    const Value* c = Get(msg, "content");
    // Bedrock Converse also has "messages", with content blocks lacking a "type".
    if (c && c->IsArray() && !c->Empty() && (*c)[0].IsObject() && !Get((*c)[0], "type")) return 10;
  }
  return 60;
}

}  // namespace

FTPREP_DIALECT("openai-chat", "dialect: OpenAI chat {\"messages\":[...]} (canonical)", Identity, Identity,
               Score)
