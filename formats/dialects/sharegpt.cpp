// Dialect sharegpt: {"conversations":[{"from":"human"|"gpt"|"system"|"observation"|"function_call",
// "value":..}], "system"?: .., "tools"?: ..} as LLaMA-Factory's data/README.md defines it (also turns written
// with role/content, under "conversations" or "messages"). human <-> user, gpt <-> assistant, system <->
// system, observation <-> tool.
// - A function_call turn (JSON text {"name": .., "arguments": ..}, or a list of them for parallel calls) is an
//   assistant message with tool_calls, answered by the observation turns in call order. Arguments: see
//   llamafactory.h (OpenAI's argument text goes into the turn verbatim, as a JSON value, and back).
// - A call's id is written only where the reader would not give the same one (call_1, call_2, ... in order);
//   an answer's tool_call_id likewise.
// - `tools` is JSON text of a list of function definitions ("" or "[]" for none) <-> OpenAI's tools array.
// - Multimodal: <image> placeholders with an `images` column <-> OpenAI image_url parts in place; <video> and
//   <audio> (videos, audios columns) have no OpenAI chat form and are refused.
// - A KTO example's boolean `label` (LLaMA-Factory's kto_tag) is carried through like any other field, as
//   the trl-prompt-completion dialect carries TRL's unpaired label (convert refuses `"label": false` for a
//   target that would train on it: convert::KtoLabelConflict).
// - Reading only: LLaMA-Factory's v1 form ({"type","value"} content parts (one text part -> a string),
//   loss_weight, and preference pairs
//   as chosen_messages/rejected_messages -> OpenAI preference). LLaMA-Factory's ranking records
//   (conversations with chosen/rejected turns) are read by the trl-preference dialect.
// Other fields of a turn or a record stay in place, so chat -> ShareGPT -> chat gives the same bytes.
#include <deque>

#include "dialect.h"
#include "llamafactory.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string FromSpeaker(const std::string& s, std::string* role) {
  if (s == "human" || s == "user") {
    *role = "user";
  } else if (s == "gpt" || s == "assistant" || s == "chatgpt" || s == "bard" || s == "bing" || s == "model") {
    *role = "assistant";
  } else if (s == "system") {
    *role = "system";
  } else if (s == "observation" || s == "tool" || s == "function" || s == "ipython") {
    *role = "tool";
  } else if (s == "function_call") {
    *role = "function_call";
  } else {
    return "unknown speaker '" + s + "'";
  }
  return "";
}

// LLaMA-Factory's tools (JSON text, or already a list) -> an OpenAI tools array in *out; false when empty.
std::string DecodeTools(const Value& tools, Value* out, Alloc& a, bool* any) {
  Doc parsed;
  const Value* list = &tools;
  if (tools.IsString()) {
    if (tools.GetStringLength() == 0) return "";
    if (!lf::ParseText({tools.GetString(), tools.GetStringLength()}, &parsed)) {
      return "tools: not JSON text of a list of function definitions";
    }
    list = &parsed;
  }
  if (list->IsObject()) {  // one definition on its own
    Value wrapped(rapidjson::kArrayType);
    wrapped.PushBack(Value(*list, a), a);
    return DecodeTools(wrapped, out, a, any);
  }
  if (!list->IsArray()) return "tools: not a list of function definitions";
  out->SetArray();
  for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
    const Value& t = (*list)[i];
    if (!t.IsObject()) return Path("tools", i) + ": not an object";
    if (Get(t, "function") != nullptr) {  // already {"type":"function","function":..}
      out->PushBack(Copy(t, a), a);
      continue;
    }
    std::string name;
    if (!GetStr(t, "name", &name)) return Path("tools", i, "name") + ": missing or not a string";
    Value tool(rapidjson::kObjectType);
    tool.AddMember("type", "function", a);
    tool.AddMember("function", Copy(t, a), a);
    out->PushBack(tool, a);
  }
  *any = !out->Empty();
  return "";
}

// One function_call turn's text -> tool calls appended to *calls; their ids queue up for the answers. A call's
// arguments become OpenAI's argument text: a string as it is, any other value as its verbatim text.
std::string DecodeCalls(const Value& text, const std::string& path, Value* calls, int* n,
                        std::deque<std::string>* pending, Alloc& a) {
  Doc call;
  std::string_view v(text.GetString(), text.GetStringLength());
  const char* shape = ": a function_call must be JSON {\"name\":..,\"arguments\":..} or a list of them";
  if (!lf::ParseText(v, &call) || !(call.IsObject() || call.IsArray())) return path + shape;
  std::vector<std::string_view> spans = lf::ArgumentSpans(v);
  size_t k = 0;
  auto one = [&](const Value& c) -> std::string {
    std::string name, id;
    if (!GetStr(c, "name", &name)) return path + shape;
    if (!GetStr(c, "id", &id)) id = "call_" + std::to_string(++*n);
    const Value* args = Get(c, "arguments");
    std::string args_text = "{}";
    if (args != nullptr && args->IsString()) {
      args_text.assign(args->GetString(), args->GetStringLength());
    } else if (args != nullptr && k < spans.size() && spans[k].data() != nullptr) {
      args_text.assign(spans[k]);
    } else if (args != nullptr) {
      args_text.clear();
      lf::AppendJson(*args, &args_text);
    }
    ++k;
    Value fn(rapidjson::kObjectType);
    fn.AddMember("name", Str(name, a), a);
    fn.AddMember("arguments", Str(args_text, a), a);
    Value tc(rapidjson::kObjectType);
    tc.AddMember("id", Str(id, a), a);
    tc.AddMember("type", "function", a);
    tc.AddMember("function", fn, a);
    calls->PushBack(tc, a);
    pending->push_back(id);
    return "";
  };
  if (call.IsObject()) return one(call);
  if (call.Empty()) return path + shape;
  for (const Value& c : call.GetArray()) {
    if (!c.IsObject()) return path + shape;
    std::string e = one(c);
    if (!e.empty()) return e;
  }
  return "";
}

// What the reader knows while it walks one conversation: the list's name (for paths) and the calls made.
struct TurnReader {
  const char* list = "conversations";
  int calls = 0;                    // calls numbered call_1, call_2, ... when they have no id
  std::deque<std::string> pending;  // ids of calls not answered yet, in call order
  std::string last_id;
};

// A function_call turn -> an assistant message with tool_calls in place of the turn's value; the turn's
// other fields (a null or empty "content" among them) stay in place.
std::string DecodeCallTurn(const Value& t, rapidjson::SizeType i, TurnReader* r, Value* m, Alloc& a) {
  const char* text_key = Get(t, "value") ? "value" : "content";
  const Value* text = Get(t, text_key);
  if (text == nullptr || !text->IsString()) return Path(r->list, i, "value") + ": missing or not a string";
  m->SetObject();
  for (auto it = t.MemberBegin(); it != t.MemberEnd(); ++it) {
    if (it->name == "from" || it->name == "role") {
      if (!Get(*m, "role")) m->AddMember("role", "assistant", a);
    } else if (it->name == text_key) {
      Value tcs(rapidjson::kArrayType);
      std::string e = DecodeCalls(*text, Path(r->list, i, text_key), &tcs, &r->calls, &r->pending, a);
      if (!e.empty()) return e;
      m->AddMember("tool_calls", tcs, a);
    } else {
      m->AddMember(Copy(it->name, a), Copy(it->value, a), a);
    }
  }
  r->last_id = r->pending.back();
  return "";
}

// One turn -> one OpenAI message.
std::string DecodeTurn(const Value& t, rapidjson::SizeType i, TurnReader* r, Value* m, Alloc& a) {
  if (!t.IsObject()) return Path(r->list, i) + ": not an object";
  std::string speaker;
  if (!GetStr(t, "from", &speaker) && !GetStr(t, "role", &speaker)) {
    return Path(r->list, i, "from") + ": missing or not a string";
  }
  std::string role;
  std::string e = FromSpeaker(speaker, &role);
  if (!e.empty()) return Path(r->list, i, "from") + ": " + e;
  if (role == "function_call") return DecodeCallTurn(t, i, r, m, a);
  m->SetObject();
  bool has_content = false;
  for (auto it = t.MemberBegin(); it != t.MemberEnd(); ++it) {
    if (it->name == "from" || it->name == "role") {
      m->AddMember("role", Str(role, a), a);
    } else if (it->name == "value" || it->name == "content") {
      if (!has_content) m->AddMember("content", Copy(it->value, a), a);
      has_content = true;
    } else {
      m->AddMember(Copy(it->name, a), Copy(it->value, a), a);
    }
  }
  if (role == "tool" && r->last_id.empty() && !Get(*m, "tool_call_id")) {
    return Path(r->list, i, "from") + ": an observation that answers no function_call (OpenAI's tool message " +
           "needs the id of the call it answers)";
  }
  if (role == "tool" && !Get(*m, "tool_call_id")) {
    std::string id = r->pending.empty() ? r->last_id : r->pending.front();  // answers in call order
    if (!r->pending.empty()) r->pending.pop_front();
    m->AddMember("tool_call_id", Str(id, a), a);
  }
  return "";
}

// ---- LLaMA-Factory's v1 form ----
// Messages whose content is a list of {"type":..,"value":..} parts, with a loss_weight on each message;
// preference pairs as chosen_messages / rejected_messages that share their prompt.

bool IsV1Content(const Value* c) {
  return c != nullptr && c->IsArray() && !c->Empty() && (*c)[0].IsObject() && Get((*c)[0], "value") != nullptr &&
         Get((*c)[0], "type") != nullptr && Get((*c)[0], "text") == nullptr;
}

bool IsV1List(const Value* msgs) {
  if (msgs == nullptr || !msgs->IsArray()) return false;
  for (const Value& m : msgs->GetArray()) {
    if (IsV1Content(Get(m, "content"))) return true;
  }
  return false;
}

bool IsV1Record(const Value& in) {
  return IsV1List(Get(in, "messages")) || (Get(in, "chosen_messages") && Get(in, "rejected_messages"));
}

// One v1 message -> an OpenAI message: text parts -> {"type":"text","text"}, image_url parts -> image parts;
// loss_weight 0 on a prompt message and 1 on an assistant message are OpenAI's defaults and go, 0 on an
// assistant message becomes weight 0.
std::string DecodeV1Message(const Value& m, const std::string& path, Value* out, Alloc& a) {
  if (!m.IsObject()) return path + ": not an object";
  std::string role;
  if (!GetStr(m, "role", &role)) return path + ".role: missing or not a string";
  out->SetObject();
  for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
    if (it->name == "content" && it->value.IsArray()) {
      Value parts(rapidjson::kArrayType);
      for (rapidjson::SizeType j = 0; j < it->value.Size(); ++j) {
        const Value& p = it->value[j];
        std::string pp = path + ".content[" + std::to_string(j) + "]", type;
        const Value* v = Get(p, "value");
        if (!GetStr(p, "type", &type) || v == nullptr || !v->IsString()) {
          return pp + ": a v1 part needs a string type and a string value";
        }
        Value q(rapidjson::kObjectType);
        if (type == "text") {
          q.AddMember("type", "text", a);
          q.AddMember("text", Copy(*v, a), a);
        } else if (type == "image_url") {
          if (role != "user") return pp + ": OpenAI chat takes images only in user messages";
          std::string e = lf::CheckImageUrl(*v, pp + ".value");
          if (!e.empty()) return e;
          Value url(rapidjson::kObjectType);
          url.AddMember("url", Copy(*v, a), a);
          q.AddMember("type", "image_url", a);
          q.AddMember("image_url", url, a);
        } else {
          return pp + ": OpenAI chat cannot hold a '" + type + "' part";
        }
        parts.PushBack(q, a);
      }
      if (parts.Size() == 1 && parts[0]["type"] == "text") {
        out->AddMember("content", Copy(parts[0]["text"], a), a);  // one text part is the plain string
      } else {
        out->AddMember("content", parts, a);
      }
    } else if (it->name == "loss_weight") {
      if (!it->value.IsNumber()) return path + ".loss_weight: not a number";
      double w = it->value.GetDouble();
      if (role == "assistant" && w == 0) {
        out->AddMember("weight", 0, a);
      } else if (!(role == "assistant" ? w == 1 : w == 0)) {
        return path + ".loss_weight: OpenAI trains every assistant message (weight 0 or 1) and no other, " +
               "so it has no form for this loss_weight";
      }
    } else {
      out->AddMember(Copy(it->name, a), Copy(it->value, a), a);
    }
  }
  return "";
}

std::string DecodeV1List(const Value& list, const char* name, Value* msgs, Alloc& a) {
  if (!list.IsArray()) return std::string(name) + ": not an array";
  msgs->SetArray();
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    Value m;
    std::string e = DecodeV1Message(list[i], Path(name, i), &m, a);
    if (!e.empty()) return e;
    msgs->PushBack(m, a);
  }
  return "";
}

// A v1 preference pair: the shared messages are the prompt, the last assistant message of each the answers.
std::string DecodeV1Pair(const Value& in, Value* out, Alloc& a) {
  Value chosen, rejected;
  std::string e = DecodeV1List(in["chosen_messages"], "chosen_messages", &chosen, a);
  if (e.empty()) e = DecodeV1List(in["rejected_messages"], "rejected_messages", &rejected, a);
  if (!e.empty()) return e;
  auto last_is_assistant = [](const Value& l) {
    std::string r;
    return !l.Empty() && GetStr(l[l.Size() - 1], "role", &r) && r == "assistant";
  };
  if (!last_is_assistant(chosen) || !last_is_assistant(rejected)) {
    return "chosen_messages: each list must end with the assistant answer";
  }
  if (chosen.Size() != rejected.Size()) return "rejected_messages: the prompt differs from chosen_messages'";
  for (rapidjson::SizeType i = 0; i + 1 < chosen.Size(); ++i) {
    if (chosen[i] != rejected[i]) return Path("rejected_messages", i) + ": the prompt differs from chosen_messages'";
  }
  return Rebuild(in, out, a, {"chosen_messages", "rejected_messages"}, [&](Value* o) -> std::string {
    Value prompt(rapidjson::kArrayType), pref(rapidjson::kArrayType), nonpref(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i + 1 < chosen.Size(); ++i) prompt.PushBack(Copy(chosen[i], a), a);
    pref.PushBack(Copy(chosen[chosen.Size() - 1], a), a);
    nonpref.PushBack(Copy(rejected[rejected.Size() - 1], a), a);
    AddPreference(o, prompt, pref, nonpref, a);
    return "";
  });
}

std::string DecodeV1(const Value& in, Value* out, Alloc& a) {
  if (Get(in, "chosen_messages")) return DecodeV1Pair(in, out, a);
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value msgs;
    std::string err = DecodeV1List(in["messages"], "messages", &msgs, a);
    if (!err.empty()) return err;
    o->AddMember("messages", msgs, a);
    return "";
  });
}

std::string Decode(const Value& in, Value* out, Alloc& a) {
  TurnReader r;
  if (IsV1Record(in)) return DecodeV1(in, out, a);
  const Value* conv = Get(in, "conversations");
  if (conv == nullptr && Get(in, "messages") != nullptr && lf::HasLlamaFactoryColumn(in)) {  // role/content tags
    r.list = "messages";
    conv = Get(in, "messages");
  }
  if (conv == nullptr || !conv->IsArray()) return "conversations: missing or not an array (not a ShareGPT record)";
  std::string err = Rebuild(in, out, a, {r.list, "system", "images", "videos", "audios"}, [&](Value* o) -> std::string {
    Value msgs(rapidjson::kArrayType);
    std::string sys;
    if (GetStr(in, "system", &sys) && !sys.empty()) msgs.PushBack(Message("system", Str(sys, a), a), a);
    for (rapidjson::SizeType i = 0; i < conv->Size(); ++i) {
      Value m;
      std::string e = DecodeTurn((*conv)[i], i, &r, &m, a);
      if (!e.empty()) return e;
      msgs.PushBack(m, a);
    }
    std::string e = lf::DecodeMedia(in, &msgs, a);
    if (!e.empty()) return e;
    o->AddMember("messages", msgs, a);
    return "";
  });
  if (!err.empty()) return err;
  // tools stays where it was; an empty list goes.
  auto tools = out->FindMember("tools");
  if (tools == out->MemberEnd()) return "";
  if (tools->value.IsArray() && tools->value.Empty()) return "";  // OpenAI's own empty list stays
  Value list;
  bool any = false;
  err = DecodeTools(tools->value, &list, a, &any);
  if (!err.empty()) return err;
  if (any) {
    tools->value = list;
  } else {
    out->RemoveMember(tools);
  }
  return "";
}

// ---- writing ----

// What the reader will make of the calls and answers written so far: it numbers calls without an id
// call_1, call_2, ... and gives an observation without a tool_call_id the oldest unanswered call's id.
struct CallIds {
  int auto_ids = 0;
  std::deque<std::string> pending;
  std::string last_id;
};

// One OpenAI tool call -> {"name": .., "arguments": .., "id": ..} appended to *text (the id only where the
// reader would not give the same one).
std::string EncodeCall(const Value& tc, const std::string& path, CallIds* ids, std::string* text) {
  if (!tc.IsObject()) return path + ": not an object";
  for (auto it = tc.MemberBegin(); it != tc.MemberEnd(); ++it) {
    if (it->name != "id" && it->name != "type" && it->name != "function") {
      return path + ": a ShareGPT function_call holds a call's name, arguments and id, not '" +
             std::string(it->name.GetString(), it->name.GetStringLength()) + "'";
    }
  }
  std::string type = "function", id, name;
  if (Get(tc, "type") && (!GetStr(tc, "type", &type) || type != "function")) {
    return path + ".type: only function calls can be written as ShareGPT function_call turns";
  }
  if (Get(tc, "id") && !GetStr(tc, "id", &id)) return path + ".id: not a string";
  const Value* fn = Get(tc, "function");
  if (fn == nullptr || !fn->IsObject()) return path + ".function: missing or not an object";
  if (!GetStr(*fn, "name", &name)) return path + ".function.name: missing or not a string";
  for (auto it = fn->MemberBegin(); it != fn->MemberEnd(); ++it) {
    if (it->name != "name" && it->name != "arguments") {
      return path + ".function: a ShareGPT function_call holds name and arguments, not '" +
             std::string(it->name.GetString(), it->name.GetStringLength()) + "'";
    }
  }
  text->append("{\"name\": ");
  lf::AppendJsonString(name, text);
  text->append(", \"arguments\": ");
  const Value* args = Get(*fn, "arguments");
  if (args == nullptr) {
    text->append("{}");
  } else if (args->IsString()) {
    std::string_view t(args->GetString(), args->GetStringLength());
    if (lf::IsSpliceableValue(t)) {
      text->append(t);
    } else {
      lf::AppendJsonString(t, text);  // not one JSON value (or a JSON string): kept as text
    }
  } else {
    lf::PyDump(*args, text);  // arguments already a value (TRL's form)
  }
  std::string predicted = "call_" + std::to_string(ids->auto_ids + 1);
  if (id.empty() && !Get(tc, "id")) id = predicted;
  if (id == predicted) {
    ++ids->auto_ids;
  } else {
    text->append(", \"id\": ");
    lf::AppendJsonString(id, text);
  }
  text->push_back('}');
  ids->pending.push_back(id);
  return "";
}

// An assistant message with tool calls -> a function_call turn (one call, or a list of parallel calls).
std::string EncodeCallTurn(const Value& m, rapidjson::SizeType i, CallIds* ids, Value* t, Alloc& a) {
  const Value& tcs = m["tool_calls"];
  std::string text = tcs.Size() > 1 ? "[" : "";
  for (rapidjson::SizeType j = 0; j < tcs.Size(); ++j) {
    if (j > 0) text.append(", ");
    std::string e = EncodeCall(tcs[j], Path("messages", i, "tool_calls") + "[" + std::to_string(j) + "]", ids, &text);
    if (!e.empty()) return e;
  }
  if (tcs.Size() > 1) text.push_back(']');
  ids->last_id = ids->pending.back();
  t->SetObject();
  for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
    if (it->name == "role") {
      t->AddMember("from", "function_call", a);
    } else if (it->name == "tool_calls") {
      t->AddMember("value", Str(text, a), a);
    } else if (it->name == "content") {
      if (!it->value.IsNull() && !(it->value.IsString() && it->value.GetStringLength() == 0)) {
        return Path("messages", i, "content") +
               ": ShareGPT (LLaMA-Factory) has no place for assistant text beside tool calls";
      }
      t->AddMember("content", Copy(it->value, a), a);
    } else {
      t->AddMember(Copy(it->name, a), Copy(it->value, a), a);
    }
  }
  return "";
}

// A tool answer -> an observation turn; its tool_call_id is left out where the reader gives the same one.
void EncodeAnswer(const Value& m, CallIds* ids, Value* t, Alloc& a) {
  std::string id;
  bool implied = false;
  if (!ids->last_id.empty() && m.MemberCount() > 0 && (m.MemberEnd() - 1)->name == "tool_call_id" &&
      GetStr(m, "tool_call_id", &id)) {
    implied = id == (ids->pending.empty() ? ids->last_id : ids->pending.front());
  }
  if (implied && !ids->pending.empty()) ids->pending.pop_front();
  t->SetObject();
  for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
    if (it->name == "role") {
      t->AddMember("from", "observation", a);
    } else if (it->name == "content") {
      t->AddMember("value", Copy(it->value, a), a);
    } else if (!(implied && it->name == "tool_call_id")) {
      t->AddMember(Copy(it->name, a), Copy(it->value, a), a);
    }
  }
}

// OpenAI's tools array -> LLaMA-Factory's tools text (a list of function definitions); an empty list stays.
std::string EncodeTools(Value* tools, Alloc& a) {
  if (!tools->IsArray()) return "tools: not an array";
  if (tools->Empty()) return "";
  std::string text = "[";
  for (rapidjson::SizeType i = 0; i < tools->Size(); ++i) {
    const Value& t = (*tools)[i];
    const Value* fn = Get(t, "function");
    if (fn == nullptr) return Path("tools", i) + ": not a function tool {\"type\":\"function\",\"function\":..}";
    if (i > 0) text.append(", ");
    std::string type;
    bool plain = t.MemberCount() == 2 && GetStr(t, "type", &type) && type == "function" && fn->IsObject() &&
                 Get(*fn, "function") == nullptr;
    lf::PyDump(plain ? *fn : t, &text);  // anything else is kept whole, as the reader keeps it
  }
  text.push_back(']');
  *tools = Str(text, a);
  return "";
}

bool HasImagePart(const Value& content) {
  if (!content.IsArray()) return false;
  for (const Value& p : content.GetArray()) {
    std::string type;
    if (GetStr(p, "type", &type) && type == "image_url") return true;
  }
  return false;
}

// OpenAI content parts with images -> LLaMA-Factory's text with an <image> placeholder for each image, whose
// URL goes to *images. Refused where reading it back would not give the same parts.
std::string EncodeImageParts(const Value& parts, const std::string& path, std::string* text, Value* images,
                             Alloc& a) {
  bool prev_text = false;
  for (rapidjson::SizeType j = 0; j < parts.Size(); ++j) {
    const Value& p = parts[j];
    std::string pp = path + "[" + std::to_string(j) + "]", type, s;
    GetStr(p, "type", &type);
    if (type == "text" && p.MemberCount() == 2 && GetStr(p, "text", &s)) {
      if (s.empty() || prev_text) return pp + ": LLaMA-Factory's text around <image> placeholders is one string " +
                                         "(no empty text part, no two text parts in a row)";
      if (s.find("<image>") != std::string::npos) {
        return pp + ": text holding \"<image>\" would be read as an image placeholder";
      }
      text->append(s);
      prev_text = true;
      continue;
    }
    const Value* url = Get(p, "image_url");
    if (type != "image_url" || p.MemberCount() != 2 || url == nullptr || url->MemberCount() != 1 ||
        !GetStr(*url, "url", &s)) {
      return pp + ": LLaMA-Factory's images column holds an image's URL alone (a text part or " +
             "{\"type\":\"image_url\",\"image_url\":{\"url\":..}})";
    }
    text->append("<image>");
    images->PushBack(Str(s, a), a);
    prev_text = false;
  }
  return "";
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  Value images(rapidjson::kArrayType);
  e = Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value conv(rapidjson::kArrayType);
    CallIds ids;
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      const Value& m = (*msgs)[i];
      std::string role;
      GetStr(m, "role", &role);
      const Value* tcs = Get(m, "tool_calls");
      Value t(rapidjson::kObjectType);
      if (role == "assistant" && tcs != nullptr && tcs->IsArray() && !tcs->Empty()) {
        std::string err = EncodeCallTurn(m, i, &ids, &t, a);
        if (!err.empty()) return err;
        conv.PushBack(t, a);
        continue;
      }
      if (role == "tool" || role == "function") {
        EncodeAnswer(m, &ids, &t, a);
        conv.PushBack(t, a);
        continue;
      }
      const char* from = role == "user" ? "human" : role == "assistant" ? "gpt"
                       : (role == "system" || role == "developer") ? "system" : nullptr;
      if (from == nullptr) return Path("messages", i, "role") + ": role '" + role + "' has no ShareGPT speaker";
      for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
        if (it->name == "role") {
          t.AddMember("from", rapidjson::StringRef(from), a);
        } else if (it->name == "content" && HasImagePart(it->value)) {
          if (role != "user") return Path("messages", i, "content") + ": OpenAI chat takes images only in user messages";
          std::string text;
          std::string err = EncodeImageParts(it->value, Path("messages", i, "content"), &text, &images, a);
          if (!err.empty()) return err;
          t.AddMember("value", Str(text, a), a);
        } else if (it->name == "content") {
          t.AddMember("value", Copy(it->value, a), a);
        } else {
          t.AddMember(Copy(it->name, a), Copy(it->value, a), a);
        }
      }
      conv.PushBack(t, a);
    }
    o->AddMember("conversations", conv, a);
    return "";
  });
  if (!e.empty()) return e;
  if (!images.Empty()) {
    if (Get(in, "images") != nullptr) return "images: the record has an images field of its own";
    Value turns_as_msgs(rapidjson::kArrayType);  // every "<image>" in the text must be one of the images
    for (const Value& t : (*out)["conversations"].GetArray()) {
      if (const Value* v = Get(t, "value")) {
        Value m(rapidjson::kObjectType);
        m.AddMember("content", Copy(*v, a), a);
        turns_as_msgs.PushBack(m, a);
      }
    }
    if (lf::CountPlaceholders(turns_as_msgs, lf::kImages.placeholder) != images.Size()) {
      return "messages: text holding \"<image>\" would be read as one of the images";
    }
    out->AddMember("images", images, a);
  }
  auto tools = out->FindMember("tools");
  return tools == out->MemberEnd() ? "" : EncodeTools(&tools->value, a);
}

int Score(const Value& in) {
  const Value* c = Get(in, "conversations");
  if (c == nullptr) {
    const Value* m = Get(in, "messages");
    return ((m != nullptr && m->IsArray() && lf::HasLlamaFactoryColumn(in)) || IsV1Record(in)) ? 70 : 0;
  }
  if (!c->IsArray()) return 0;
  if (!c->Empty() && (*c)[0].IsObject() && !Get((*c)[0], "from") && !Get((*c)[0], "role")) return 0;
  return 90;
}

}  // namespace

FTPREP_DIALECT("sharegpt",
               "dialect: ShareGPT as LLaMA-Factory defines it "
               "{\"conversations\":[{\"from\":..,\"value\":..}],\"tools\":..}",
               Decode, Encode, Score)
