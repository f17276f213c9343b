// Dialect sharegpt: {"conversations":[{"from":"human"|"gpt"|"system"|"observation"|"function_call",
// "value":..}], "system"?: .., "tools"?: ..} (also turns written with role/content).
// human <-> user, gpt <-> assistant, system <-> system, observation <-> tool; a function_call turn (JSON
// {"name","arguments"}) becomes an assistant message with tool_calls. Other turn fields are kept in place.
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

std::string Decode(const Value& in, Value* out, Alloc& a) {
  const Value* conv = Get(in, "conversations");
  if (conv == nullptr || !conv->IsArray()) return "conversations: missing or not an array (not a ShareGPT record)";
  return Rebuild(in, out, a, {"conversations", "system"}, [&](Value* o) -> std::string {
    Value msgs(rapidjson::kArrayType);
    std::string sys;
    if (GetStr(in, "system", &sys) && !sys.empty()) msgs.PushBack(Message("system", Str(sys, a), a), a);
    int calls = 0;
    for (rapidjson::SizeType i = 0; i < conv->Size(); ++i) {
      const Value& t = (*conv)[i];
      if (!t.IsObject()) return Path("conversations", i) + ": not an object";
      std::string speaker;
      if (!GetStr(t, "from", &speaker) && !GetStr(t, "role", &speaker)) {
        return Path("conversations", i, "from") + ": missing or not a string";
      }
      std::string role;
      std::string e = FromSpeaker(speaker, &role);
      if (!e.empty()) return Path("conversations", i, "from") + ": " + e;
      if (role == "function_call") {
        std::string v;
        if (!GetStr(t, "value", &v)) return Path("conversations", i, "value") + ": missing or not a string";
        Doc call;
        ftprep::ParseRecordJson(call, v.data(), v.size());
        std::string name;
        if (call.HasParseError() || !GetStr(call, "name", &name)) {
          return Path("conversations", i, "value") + ": a function_call must be JSON {\"name\":..,\"arguments\":..}";
        }
        const Value* args = Get(call, "arguments");
        std::string args_text = "{}";
        if (args && args->IsString()) {
          args_text.assign(args->GetString(), args->GetStringLength());
        } else if (args) {
          rapidjson::StringBuffer sb;
          rapidjson::Writer<rapidjson::StringBuffer> w(sb);
          args->Accept(w);
          args_text.assign(sb.GetString(), sb.GetSize());
        }
        Value fn(rapidjson::kObjectType);
        fn.AddMember("name", Str(name, a), a);
        fn.AddMember("arguments", Str(args_text, a), a);
        Value tc(rapidjson::kObjectType);
        tc.AddMember("id", Str("call_" + std::to_string(++calls), a), a);
        tc.AddMember("type", "function", a);
        tc.AddMember("function", fn, a);
        Value tcs(rapidjson::kArrayType);
        tcs.PushBack(tc, a);
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
      if (role == "tool" && calls > 0 && !Get(m, "tool_call_id")) {
        m.AddMember("tool_call_id", Str("call_" + std::to_string(calls), a), a);
      }
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
