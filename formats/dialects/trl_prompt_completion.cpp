// Dialect trl-prompt-completion (Hugging Face TRL's prompt-completion and unpaired preference formats):
// {"prompt":..,"completion":..} with each a string ("standard") or a list of messages ("conversational"),
// and for unpaired preference (KTO) a "label" true/false beside them, which is carried through like any
// other field. Decoding appends the completion to the prompt: a string prompt is one user message, a
// string completion one assistant message. Encoding puts the trailing assistant messages in completion
// and the rest in prompt, as strings when each is exactly one plain message with string content, else as
// message lists. TRL trains the completion only: an assistant message in the prompt reads as "weight": 0
// (untrained, in OpenAI's terms), and a chat whose earlier assistant messages are trained cannot be written.
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

// Appends `v` (a string or a list of messages) to *msgs; a string becomes one `role` message. In the prompt
// (`untrained`), an assistant message without a weight gets "weight": 0: TRL computes no loss on it.
std::string Append(const Value& v, const char* role, const char* path, bool untrained, Value* msgs,
                   Alloc& a) {
  if (v.IsString()) {
    msgs->PushBack(Message(role, v, a), a);
    return "";
  }
  if (!v.IsArray()) return std::string(path) + ": must be a string or a list of messages";
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const Value* r = Get(v[i], "role");
    if (r == nullptr || !r->IsString()) return Path(path, i, "role") + ": missing or not a string";
    Value m = Copy(v[i], a);
    if (untrained && *r == "assistant" && !m.HasMember("weight")) m.AddMember("weight", 0, a);
    msgs->PushBack(m, a);
  }
  return "";
}

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* prompt = Get(in, "prompt");
  const Value* completion = Get(in, "completion");
  if (prompt == nullptr || completion == nullptr) {
    return "prompt and completion are needed (not a TRL prompt-completion record)";
  }
  return Rebuild(in, out, a, {"prompt", "completion"}, [&](Value* o) -> std::string {
    Value msgs(rapidjson::kArrayType);
    std::string e = Append(*prompt, "user", "prompt", true, &msgs, a);
    if (e.empty()) e = Append(*completion, "assistant", "completion", false, &msgs, a);
    if (!e.empty()) return e;
    o->AddMember("messages", msgs, a);
    return "";
  });
}

// The message's string content if it is a plain {"role":role,"content":"..."} message.
const Value* Plain(const Value& m, const char* role) {
  std::string r;
  const Value* c = Get(m, "content");
  if (!GetStr(m, "role", &r) || r != role || c == nullptr || !c->IsString() || m.MemberCount() != 2 ||
      m.MemberBegin()->name != "role") {
    return nullptr;  // (role first: decoding writes role, then content)
  }
  return c;
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  rapidjson::SizeType split = msgs->Size();
  while (split > 0) {
    std::string role;
    GetStr((*msgs)[split - 1], "role", &role);
    if (role != "assistant") break;
    --split;
  }
  if (split == msgs->Size())
    return "messages: the last message must be the assistant's (it is the completion)";
  if (split == 0) return "messages: a prompt needs at least one message before the assistant's";
  for (rapidjson::SizeType i = 0; i < split; ++i) {
    std::string role;
    const Value* w = Get((*msgs)[i], "weight");
    if (GetStr((*msgs)[i], "role", &role) && role == "assistant" &&
        !(w && w->IsNumber() && w->GetDouble() == 0)) {
      return Path("messages", i) +
             ": a trained assistant message before the last user message: TRL's "
             "prompt-completion trains the completion only (weight 0 marks it untrained)";
    }
  }
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    const Value* p = split == 1 ? Plain((*msgs)[0], "user") : nullptr;
    const Value* c = p && split + 1 == msgs->Size() ? Plain((*msgs)[split], "assistant") : nullptr;
    if (p && c) {
      o->AddMember("prompt", Copy(*p, a), a);
      o->AddMember("completion", Copy(*c, a), a);
      return "";
    }
    Value prompt(rapidjson::kArrayType), completion(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      Value m = Copy((*msgs)[i], a);
      std::string role;
      if (i < split && GetStr(m, "role", &role) && role == "assistant") m.RemoveMember("weight");  // implied
      (i < split ? prompt : completion).PushBack(m, a);
    }
    o->AddMember("prompt", prompt, a);
    o->AddMember("completion", completion, a);
    return "";
  });
}

int Score(const Value& in) {
  if (!Get(in, "prompt") || !Get(in, "completion") || Get(in, "chosen")) return 0;
  return 80;
}

}  // namespace

FTPREP_DIALECT(
    "trl-prompt-completion",
    "dialect: TRL prompt-completion and unpaired preference {\"prompt\",\"completion\"[,\"label\"]}", Decode,
    Encode, Score)
