// Dialect gemini (Vertex AI tuning): {"systemInstruction":{"role":"system","parts":[{"text":..}]},
// "contents":[{"role":"user"|"model","parts":[{"text":..}]}]}. model <-> assistant; several text parts
// <-> OpenAI text content parts. Only text converts (no images or function calls).
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* contents = Get(in, "contents");
  if (contents == nullptr || !contents->IsArray()) return "contents: missing or not an array (not a Gemini record)";
  const Value* sys = Get(in, "systemInstruction");
  if (sys == nullptr) sys = Get(in, "system_instruction");
  return Rebuild(in, out, a, {"systemInstruction", "system_instruction", "contents"}, [&](Value* o) -> std::string {
    const Value* parts = nullptr;
    if (sys && (parts = Get(*sys, "parts")) == nullptr) return "systemInstruction.parts: missing";
    const SystemPrompt system{parts, "systemInstruction.parts", false};
    return DecodeBlockTurns(system, *contents, "contents", "model", "parts", o, a);
  });
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value contents;
    std::vector<std::string> system;
    std::string err = EncodeBlockTurns(*msgs, "Gemini", "model", "parts", &contents, &system, a);
    if (!err.empty()) return err;
    if (!system.empty()) {
      Value si(rapidjson::kObjectType);
      si.AddMember("role", "system", a);
      si.AddMember("parts", TextBlocks(system, a), a);
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

}  // namespace

FTPREP_DIALECT("gemini", "dialect: Gemini/Vertex {\"systemInstruction\",\"contents\":[{\"role\",\"parts\"}]}",
               Decode, Encode, Score)
