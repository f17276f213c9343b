// Dialect dolly (Databricks Dolly 15k and the many sets built on it): {"instruction":..,"context":..,
// "response":..,"category":..}. One exchange, no system text. Decoding puts the instruction, then a
// non-empty context after a blank line, in the user message and the response in the assistant message;
// other fields (category, ids) stay where they were. Encoding needs exactly one user and one assistant
// message with string content and writes context "" (which part of a user message was context is unknown).
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string Decode(const Value& in, Value* out, Alloc& a) {
  std::string instruction, context, response;
  if (!GetStr(in, "instruction", &instruction)) return "instruction: missing or not a string (not a Dolly record)";
  if (Get(in, "context") && !Get(in, "context")->IsNull() && !GetStr(in, "context", &context)) {
    return "context: not a string";
  }
  if (!GetStr(in, "response", &response)) return "response: missing or not a string";
  return Rebuild(in, out, a, {"instruction", "context", "response"}, [&](Value* o) -> std::string {
    std::string user = instruction;
    if (!context.empty()) user += (user.empty() ? "" : "\n\n") + context;
    Value msgs(rapidjson::kArrayType);
    msgs.PushBack(Message("user", Str(user, a), a), a);
    msgs.PushBack(Message("assistant", Str(response, a), a), a);
    o->AddMember("messages", msgs, a);
    return "";
  });
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  if (msgs->Size() != 2) return "messages: Dolly holds one user message and one assistant message, no system text";
  const char* want[] = {"user", "assistant"};
  std::string text[2];
  for (rapidjson::SizeType i = 0; i < 2; ++i) {
    std::string role;
    GetStr((*msgs)[i], "role", &role);
    if (role != want[i]) return Path("messages", i, "role") + ": Dolly needs a user then an assistant message";
    if (!GetStr((*msgs)[i], "content", &text[i])) return Path("messages", i, "content") + ": Dolly needs string content";
  }
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    o->AddMember("instruction", Str(text[0], a), a);
    o->AddMember("context", "", a);
    o->AddMember("response", Str(text[1], a), a);
    return "";
  });
}

int Score(const Value& in) { return (Get(in, "instruction") && Get(in, "response")) ? 90 : 0; }

}  // namespace

FTPREP_DIALECT("dolly", "dialect: Databricks Dolly {\"instruction\",\"context\",\"response\"[,\"category\"]}",
               Decode, Encode, Score)
