// Dialect trl-preference (Hugging Face TRL DPO): {"prompt":..,"chosen":..,"rejected":..}, each a string or a
// list of messages; also LLaMA-Factory's {"conversations":[ShareGPT turns],"chosen":{"from","value"},
// "rejected":{..}} on decoding, and TRL's implicit prompt (no prompt: chosen and rejected are whole
// conversations whose shared leading messages are the prompt, or texts whose shared start is, less a space
// just before where they part, as TRL's extract_prompt cuts it). Encoding writes strings when the prompt is one
// user message and each answer one assistant message with string content, else message lists.
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string ToMessages(const Value& v, const char* default_role, const std::string& path, Value* out, Alloc& a) {
  out->SetArray();
  if (v.IsString()) {
    out->PushBack(Message(default_role, v, a), a);
    return "";
  }
  if (v.IsObject()) {  // LLaMA-Factory: {"from":"gpt","value":..}
    const Value* val = Get(v, "value");
    if (val == nullptr) val = Get(v, "content");
    if (val == nullptr) return path + ": an answer object needs value or content";
    out->PushBack(Message(default_role, *val, a), a);
    return "";
  }
  if (!v.IsArray()) return path + ": must be a string or a list of messages";
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    const Value& m = v[i];
    if (!m.IsObject()) return path + "[" + std::to_string(i) + "]: not an object";
    std::string role;
    if (GetStr(m, "role", &role)) {
      out->PushBack(Copy(m, a), a);
      continue;
    }
    std::string from;
    if (!GetStr(m, "from", &from)) return path + "[" + std::to_string(i) + "]: needs role (or from)";
    const char* r = from == "human" ? "user" : from == "gpt" ? "assistant" : from == "system" ? "system" : nullptr;
    if (r == nullptr) return path + "[" + std::to_string(i) + "].from: unknown speaker '" + from + "'";
    const Value* val = Get(m, "value");
    if (val == nullptr) return path + "[" + std::to_string(i) + "].value: missing";
    out->PushBack(Message(r, *val, a), a);
  }
  return "";
}

// Moves the messages that chosen and rejected share at their start into *prompt.
std::string SplitImplicit(Value* chosen, Value* rejected, Value* prompt, Alloc& a) {
  rapidjson::SizeType k = 0;
  while (k < chosen->Size() && k < rejected->Size() && (*chosen)[k] == (*rejected)[k]) ++k;
  if (k == 0) return "chosen, rejected: no prompt given and they share no leading messages (the implicit prompt)";
  if (k == chosen->Size() || k == rejected->Size()) {
    return "chosen, rejected: no prompt given and one is the start of the other (nothing left to prefer)";
  }
  prompt->SetArray();
  Value c(rapidjson::kArrayType), r(rapidjson::kArrayType);
  for (rapidjson::SizeType i = 0; i < chosen->Size(); ++i) (i < k ? *prompt : c).PushBack(Copy((*chosen)[i], a), a);
  for (rapidjson::SizeType i = k; i < rejected->Size(); ++i) r.PushBack(Copy((*rejected)[i], a), a);
  *chosen = c;
  *rejected = r;
  return "";
}

// The implicit prompt of two texts: their common start, cut at a character boundary, a space just before the
// cut left to the answers (as TRL does). Fills *prompt, *chosen, *rejected with one message each.
std::string SplitImplicitText(const Value& c, const Value& r, Value* prompt, Value* chosen, Value* rejected,
                              Alloc& a) {
  std::string_view x(c.GetString(), c.GetStringLength()), y(r.GetString(), r.GetStringLength());
  size_t k = 0;
  while (k < x.size() && k < y.size() && x[k] == y[k]) ++k;
  if (k == x.size() || k == y.size()) {
    return "chosen, rejected: no prompt given and one text is the start of the other (nothing left to prefer)";
  }
  while (k > 0 && (static_cast<unsigned char>(x[k]) & 0xC0) == 0x80) --k;  // not inside a UTF-8 character
  if (k > 0 && x[k - 1] == ' ') --k;
  if (k == 0) return "chosen, rejected: no prompt given and the texts share no start (the implicit prompt)";
  prompt->SetArray();
  chosen->SetArray();
  rejected->SetArray();
  prompt->PushBack(Message("user", Str(x.substr(0, k), a), a), a);
  chosen->PushBack(Message("assistant", Str(x.substr(k), a), a), a);
  rejected->PushBack(Message("assistant", Str(y.substr(k), a), a), a);
  return "";
}

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* prompt = Get(in, "prompt");
  if (prompt == nullptr) prompt = Get(in, "conversations");
  const Value* chosen = Get(in, "chosen");
  const Value* rejected = Get(in, "rejected");
  // TRL's implicit prompt: chosen and rejected are whole conversations sharing the prompt as their start.
  const bool implicit = prompt == nullptr && chosen && chosen->IsArray() && rejected && rejected->IsArray();
  const bool implicit_text = prompt == nullptr && chosen && chosen->IsString() && rejected && rejected->IsString();
  if (implicit_text) {
    return Rebuild(in, out, a, {"chosen", "rejected"}, [&](Value* o) -> std::string {
      Value msgs, pref, nonpref;
      std::string e = SplitImplicitText(*chosen, *rejected, &msgs, &pref, &nonpref, a);
      if (!e.empty()) return e;
      AddPreference(o, msgs, pref, nonpref, a);
      return "";
    });
  }
  if ((prompt == nullptr && !implicit) || chosen == nullptr || rejected == nullptr) {
    return "prompt, chosen and rejected are needed (not a TRL preference record)";
  }
  return Rebuild(in, out, a, {"prompt", "conversations", "system", "chosen", "rejected"}, [&](Value* o) -> std::string {
    Value msgs, pref, nonpref;
    std::string e = ToMessages(*chosen, "assistant", "chosen", &pref, a);
    if (e.empty()) e = ToMessages(*rejected, "assistant", "rejected", &nonpref, a);
    if (e.empty() && implicit) e = SplitImplicit(&pref, &nonpref, &msgs, a);
    if (e.empty() && !implicit) {
      e = ToMessages(*prompt, "user", Get(in, "prompt") ? "prompt" : "conversations", &msgs, a);
    }
    if (!e.empty()) return e;
    std::string sys;
    if (GetStr(in, "system", &sys) && !sys.empty()) {
      Value with(rapidjson::kArrayType);
      with.PushBack(Message("system", Str(sys, a), a), a);
      for (auto& m : msgs.GetArray()) with.PushBack(Copy(m, a), a);
      msgs = with;
    }
    AddPreference(o, msgs, pref, nonpref, a);
    return "";
  });
}

// The single message's string content if `arr` is exactly one message of `role` with string content.
const Value* Single(const Value& arr, const char* role) {
  if (!arr.IsArray() || arr.Size() != 1) return nullptr;
  std::string r;
  const Value* c = Get(arr[0], "content");
  if (!GetStr(arr[0], "role", &r) || r != role || c == nullptr || !c->IsString() || arr[0].MemberCount() != 2 ||
      arr[0].MemberBegin()->name != "role") {  // (role first: decoding writes role, then content)
    return nullptr;
  }
  return c;
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* input = Get(in, "input");
  const Value* msgs = input ? Get(*input, "messages") : nullptr;
  const Value* pref = Get(in, "preferred_output");
  const Value* nonpref = Get(in, "non_preferred_output");
  if (msgs == nullptr || !msgs->IsArray() || pref == nullptr || !pref->IsArray() || nonpref == nullptr ||
      !nonpref->IsArray()) {
    return "input.messages, preferred_output and non_preferred_output are needed (not an OpenAI preference record)";
  }
  return Rebuild(in, out, a, {"input", "preferred_output", "non_preferred_output"}, [&](Value* o) -> std::string {
    const Value* p = Single(*msgs, "user");
    const Value* c = p ? Single(*pref, "assistant") : nullptr;
    const Value* r = p ? Single(*nonpref, "assistant") : nullptr;
    if (p && c && r) {
      o->AddMember("prompt", Copy(*p, a), a);
      o->AddMember("chosen", Copy(*c, a), a);
      o->AddMember("rejected", Copy(*r, a), a);
    } else {
      o->AddMember("prompt", Copy(*msgs, a), a);
      o->AddMember("chosen", Copy(*pref, a), a);
      o->AddMember("rejected", Copy(*nonpref, a), a);
    }
    return "";
  });
}

int Score(const Value& in) {
  const Value* c = Get(in, "chosen");
  const Value* r = Get(in, "rejected");
  if (c == nullptr || r == nullptr) return 0;
  if (Get(in, "prompt") || Get(in, "conversations")) return 95;
  return (c->IsArray() && r->IsArray()) || (c->IsString() && r->IsString()) ? 90 : 0;  // implicit prompt
}

}  // namespace

FTPREP_DIALECT("trl-preference", "dialect: TRL preference {\"prompt\",\"chosen\",\"rejected\"}", Decode,
               Encode, Score)
