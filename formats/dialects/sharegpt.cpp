// Dialect sharegpt: {"conversations":[{"from":"human"|"gpt"|"system"|"observation"|"function_call",
// "value":..}], "system"?: .., "tools"?: ..} (also turns written with role/content).
// human <-> user, gpt <-> assistant, system <-> system, observation <-> tool; a function_call turn (JSON
// {"name","arguments"}, or a JSON list of them for parallel calls) becomes an assistant message with
// tool_calls, answered by the observation turns in call order. `tools` as LLaMA-Factory stores it (JSON text
// of a list of function definitions, "" or "[]" for none) becomes an OpenAI tools array
// ({"type":"function","function":..}). Other turn fields are kept in place. Writing keeps OpenAI's
// tool_calls and tools as they are (not yet LLaMA-Factory's function_call turns and tools text).
#include <deque>

#include "dialect.h"

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

std::string JsonText(const Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

// LLaMA-Factory's tools (JSON text, or already a list) -> an OpenAI tools array in *out; false when empty.
std::string DecodeTools(const Value& tools, Value* out, Alloc& a, bool* any) {
  Doc parsed;
  const Value* list = &tools;
  if (tools.IsString()) {
    if (tools.GetStringLength() == 0) return "";
    ftprep::ParseRecordJson(parsed, tools.GetString(), tools.GetStringLength());
    if (parsed.HasParseError()) return "tools: not JSON text of a list of function definitions";
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

// One function_call turn's value -> tool calls appended to *calls; their ids queue up for the answers.
std::string DecodeCalls(const std::string& v, const std::string& path, Value* calls, int* n,
                        std::deque<std::string>* pending, Alloc& a) {
  Doc call;
  ftprep::ParseRecordJson(call, v.data(), v.size());
  const char* shape = ": a function_call must be JSON {\"name\":..,\"arguments\":..} or a list of them";
  if (call.HasParseError() || !(call.IsObject() || call.IsArray())) return path + shape;
  auto one = [&](const Value& c) -> std::string {
    std::string name, id;
    if (!GetStr(c, "name", &name)) return path + shape;
    if (!GetStr(c, "id", &id)) id = "call_" + std::to_string(++*n);
    const Value* args = Get(c, "arguments");
    std::string args_text = args == nullptr    ? "{}"
                            : args->IsString() ? std::string(args->GetString(), args->GetStringLength())
                                               : JsonText(*args);
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
    std::string e = one(c);
    if (!e.empty()) return e;
  }
  return "";
}

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* conv = Get(in, "conversations");
  if (conv == nullptr || !conv->IsArray()) return "conversations: missing or not an array (not a ShareGPT record)";
  std::string err = Rebuild(in, out, a, {"conversations", "system"}, [&](Value* o) -> std::string {
    Value msgs(rapidjson::kArrayType);
    std::string sys;
    if (GetStr(in, "system", &sys) && !sys.empty()) msgs.PushBack(Message("system", Str(sys, a), a), a);
    int calls = 0;
    std::string e;
    std::deque<std::string> pending;  // ids of calls not answered yet, in call order
    std::string last_id;
    for (rapidjson::SizeType i = 0; i < conv->Size(); ++i) {
      const Value& t = (*conv)[i];
      if (!t.IsObject()) return Path("conversations", i) + ": not an object";
      std::string speaker;
      if (!GetStr(t, "from", &speaker) && !GetStr(t, "role", &speaker)) {
        return Path("conversations", i, "from") + ": missing or not a string";
      }
      std::string role;
      e = FromSpeaker(speaker, &role);
      if (!e.empty()) return Path("conversations", i, "from") + ": " + e;
      if (role == "function_call") {
        std::string v;
        if (!GetStr(t, "value", &v)) return Path("conversations", i, "value") + ": missing or not a string";
        Value tcs(rapidjson::kArrayType);
        e = DecodeCalls(v, Path("conversations", i, "value"), &tcs, &calls, &pending, a);
        if (!e.empty()) return e;
        last_id = pending.back();
        Value m(rapidjson::kObjectType);
        m.AddMember("role", "assistant", a);
        m.AddMember("content", Value(), a);
        m.AddMember("tool_calls", tcs, a);
        msgs.PushBack(m, a);
        continue;
      }
      Value m(rapidjson::kObjectType);
      bool has_content = false;
      for (auto it = t.MemberBegin(); it != t.MemberEnd(); ++it) {
        if (it->name == "from" || it->name == "role") {
          m.AddMember("role", Str(role, a), a);
        } else if (it->name == "value" || it->name == "content") {
          if (!has_content) m.AddMember("content", Copy(it->value, a), a);
          has_content = true;
        } else {
          m.AddMember(Copy(it->name, a), Copy(it->value, a), a);
        }
      }
      if (role == "tool" && !last_id.empty() && !Get(m, "tool_call_id")) {
        std::string id = pending.empty() ? last_id : pending.front();  // answers in call order
        if (!pending.empty()) pending.pop_front();
        m.AddMember("tool_call_id", Str(id, a), a);
      }
      msgs.PushBack(m, a);
    }
    o->AddMember("messages", msgs, a);
    return "";
  });
  if (!err.empty()) return err;
  // tools stays where it was; an empty list goes.
  auto tools = out->FindMember("tools");
  if (tools == out->MemberEnd()) return "";
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

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    Value conv(rapidjson::kArrayType);
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      const Value& m = (*msgs)[i];
      std::string role;
      GetStr(m, "role", &role);
      const char* from = role == "user" ? "human" : role == "assistant" ? "gpt"
                       : (role == "system" || role == "developer") ? "system"
                       : (role == "tool" || role == "function") ? "observation" : nullptr;
      if (from == nullptr) return Path("messages", i, "role") + ": role '" + role + "' has no ShareGPT speaker";
      Value t(rapidjson::kObjectType);
      for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
        if (it->name == "role") {
          t.AddMember("from", rapidjson::StringRef(from), a);
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
}

int Score(const Value& in) {
  const Value* c = Get(in, "conversations");
  if (c == nullptr || !c->IsArray()) return 0;
  if (!c->Empty() && (*c)[0].IsObject() && !Get((*c)[0], "from") && !Get((*c)[0], "role")) return 0;
  return 90;
}

constexpr Spec kSpec{&Decode, &Encode, &Score};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1 f = Format<kSpec>();
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "sharegpt", "1.0", &f, "dialect: ShareGPT {\"conversations\":[{\"from\":..,\"value\":..}]}");
  return &p;
}
}  // namespace

FTPREP_PLUGIN(Describe)
