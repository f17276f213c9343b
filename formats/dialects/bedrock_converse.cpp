// Dialect bedrock-converse (Amazon Bedrock conversation fine-tuning): {"schemaVersion":
// "bedrock-conversation-2024","system":[{"text":..}],"messages":[{"role":"user"|"assistant",
// "content":[{"text":..}]}]}. Text blocks only.
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = Get(in, "messages");
  if (msgs == nullptr || !msgs->IsArray()) return "messages: missing or not an array";
  const Value* sys = Get(in, "system");
  return Rebuild(in, out, a, {"schemaVersion", "system", "messages"}, [&](Value* o) -> std::string {
    return DecodeBlockTurns({sys, "system", true}, *msgs, "messages", "assistant", "content", o, a);
  });
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value turns;
    std::vector<std::string> system;
    std::string err = EncodeBlockTurns(*msgs, "Bedrock Converse", "assistant", "content", &turns, &system, a);
    if (!err.empty()) return err;
    o->AddMember("schemaVersion", "bedrock-conversation-2024", a);
    if (!system.empty()) o->AddMember("system", TextBlocks(system, a), a);
    o->AddMember("messages", turns, a);
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

}  // namespace

FTPREP_DIALECT("bedrock-converse",
               "dialect: Amazon Bedrock Converse {\"system\":[{\"text\"}],\"messages\":[..]}", Decode, Encode,
               Score)
