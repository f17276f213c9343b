// validators/common/chat_checks.h — the checks of an OpenAI-style `messages` array, shared by the chat (SFT),
// DPO and RFT rule plugins and reused with other limits by provider profiles (together, mistral, fireworks).
//
// ChatChecker is configured once from the profile's JSON (roles, whether tools/images/weights are allowed,
// which role must end the example, limits) and then checks messages arrays, `tools` and `functions` lists,
// emitting findings with JSON paths. Every id it can emit is in kChatRules (listed by `ftprep plugins
// --rules`). Header-only; one checker per rule-set state, so not shared across threads.
#ifndef FTPREP_VALIDATORS_COMMON_CHAT_CHECKS_H_
#define FTPREP_VALIDATORS_COMMON_CHAT_CHECKS_H_

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "rule_util.h"

namespace ftprep::rules {

#define FTPREP_CHAT_RULES                                                                                       \
  {"chat.record.unknown_key", FTPREP_WARNING, FTPREP_FIX_NONE, "record has a top-level key the provider ignores"}, \
  {"chat.messages.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "record has no `messages`"},                         \
  {"chat.messages.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`messages` is not an array"},                          \
  {"chat.messages.empty", FTPREP_ERROR, FTPREP_FIX_NONE, "`messages` is empty"},                                \
  {"chat.message.type", FTPREP_ERROR, FTPREP_FIX_NONE, "a message is not an object"},                           \
  {"chat.message.unknown_key", FTPREP_ERROR, FTPREP_FIX_NONE, "a message has a key the provider rejects"},      \
  {"chat.role.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a message has no `role`"},                              \
  {"chat.role.unknown", FTPREP_ERROR, FTPREP_FIX_NONE, "`role` is not one the provider accepts"},               \
  {"chat.role.deprecated", FTPREP_WARNING, FTPREP_FIX_NONE, "deprecated `function` role"},                      \
  {"chat.role.system_position", FTPREP_ERROR, FTPREP_FIX_NONE, "system message not first"},                    \
  {"chat.role.alternation", FTPREP_ERROR, FTPREP_FIX_NONE, "user and assistant turns do not alternate"},       \
  {"chat.content.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a message has no `content`"},                        \
  {"chat.content.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`content` is not a string or an array of parts"},       \
  {"chat.content.null", FTPREP_ERROR, FTPREP_FIX_NONE, "null `content` outside an assistant tool call"},        \
  {"chat.content.parts_unsupported", FTPREP_ERROR, FTPREP_FIX_NONE, "content parts where only text is accepted"}, \
  {"chat.content.part", FTPREP_ERROR, FTPREP_FIX_NONE, "a content part is malformed or of an unknown type"},    \
  {"chat.image.url", FTPREP_ERROR, FTPREP_FIX_NONE, "image URL is not http(s) or a data: URL"},                 \
  {"chat.image.role", FTPREP_ERROR, FTPREP_FIX_NONE, "image outside a user message"},                          \
  {"chat.image.count", FTPREP_ERROR, FTPREP_FIX_NONE, "too many images in one example"},                        \
  {"chat.image.size", FTPREP_ERROR, FTPREP_FIX_NONE, "inline image larger than the limit"},                     \
  {"chat.weight.value", FTPREP_ERROR, FTPREP_FIX_NONE, "`weight` is not 0 or 1"},                               \
  {"chat.weight.role", FTPREP_ERROR, FTPREP_FIX_NONE, "`weight` on a message that is not an assistant's"},     \
  {"chat.weight.unsupported", FTPREP_ERROR, FTPREP_FIX_NONE, "`weight` where the provider does not accept it"}, \
  {"chat.assistant.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "no assistant message"},                            \
  {"chat.assistant.untrained", FTPREP_ERROR, FTPREP_FIX_NONE, "every assistant message has weight 0"},          \
  {"chat.assistant.present", FTPREP_ERROR, FTPREP_FIX_NONE, "assistant message where none is allowed"},        \
  {"chat.last_role", FTPREP_ERROR, FTPREP_FIX_NONE, "the example does not end with the required role"},        \
  {"chat.name.invalid", FTPREP_ERROR, FTPREP_FIX_NONE, "`name` is not a valid identifier"},                     \
  {"chat.tool_calls.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`tool_calls` is not a non-empty array"},             \
  {"chat.tool_calls.role", FTPREP_ERROR, FTPREP_FIX_NONE, "`tool_calls` on a message that is not an assistant's"}, \
  {"chat.tool_calls.unsupported", FTPREP_ERROR, FTPREP_FIX_NONE, "tool calls where the provider has none"},     \
  {"chat.tool_call.type", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool call is not an object of type function"},     \
  {"chat.tool_call.id", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool call has no valid `id`"},                        \
  {"chat.tool_call.duplicate_id", FTPREP_ERROR, FTPREP_FIX_NONE, "two tool calls share an `id`"},               \
  {"chat.tool_call.function", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool call has no `function.name`"},             \
  {"chat.tool_call.arguments", FTPREP_ERROR, FTPREP_FIX_NONE, "`function.arguments` is not a JSON string"},     \
  {"chat.tool_call.unanswered", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool call has no tool message answering it"}, \
  {"chat.tool_call.undeclared", FTPREP_WARNING, FTPREP_FIX_NONE, "a tool call names a function not in `tools`"}, \
  {"chat.tool.id_missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool message has no `tool_call_id`"},              \
  {"chat.tool.unmatched", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool message answers no earlier tool call"},        \
  {"chat.tools.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`tools` is not an array of function definitions"},       \
  {"chat.tools.name", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool's function name is missing or invalid"},          \
  {"chat.tools.parameters", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool's `parameters` is not a JSON Schema object"}, \
  {"chat.tools.duplicate", FTPREP_ERROR, FTPREP_FIX_NONE, "two tools have the same name"},                      \
  {"chat.functions.deprecated", FTPREP_WARNING, FTPREP_FIX_NONE, "legacy `functions`/`function_call`"},        \
  {"chat.function_call.invalid", FTPREP_ERROR, FTPREP_FIX_NONE, "legacy `function_call` without name/arguments"}, \
  {"chat.parallel_tool_calls.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`parallel_tool_calls` is not a boolean"}

struct ChatConfig {
  std::vector<std::string> roles = {"system", "developer", "user", "assistant", "tool", "function"};
  std::vector<std::string> message_keys = {"role",       "content",      "name",         "weight",
                                           "tool_calls", "tool_call_id", "function_call", "refusal"};
  std::vector<std::string> record_keys = {"messages", "tools", "functions", "parallel_tool_calls"};
  std::string last_role = "assistant";  // "" = any
  bool tools = true, images = true, parts = true, weight = true, system_first = false, alternate = false;
  bool require_assistant = true;  // at least one trained assistant message
  bool forbid_assistant = false;
  std::string tool_call_id_pattern;  // "alnum9" (Mistral) or ""
  int64_t max_images = 64;
  int64_t max_image_bytes = 10 << 20;

  void Configure(const rapidjson::Value& c) {
    roles = CfgList(c, "roles", roles);
    message_keys = CfgList(c, "message_keys", message_keys);
    record_keys = CfgList(c, "record_keys", record_keys);
    last_role = CfgStr(c, "last_role", last_role);
    tools = CfgBool(c, "tools", tools);
    images = CfgBool(c, "images", images);
    parts = CfgBool(c, "content_parts", parts);
    weight = CfgBool(c, "weight", weight);
    system_first = CfgBool(c, "system_first", system_first);
    alternate = CfgBool(c, "alternate", alternate);
    require_assistant = CfgBool(c, "require_assistant", require_assistant);
    forbid_assistant = CfgBool(c, "forbid_assistant", forbid_assistant);
    tool_call_id_pattern = CfgStr(c, "tool_call_id_pattern", tool_call_id_pattern);
    max_images = CfgInt(c, "max_images", max_images);
    max_image_bytes = CfgInt(c, "max_image_bytes", max_image_bytes);
  }
};

inline bool ValidIdentifier(std::string_view s, size_t max = 64) {
  if (s.empty() || s.size() > max) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      return false;
    }
  }
  return true;
}

class ChatChecker {
 public:
  ChatConfig cfg;

  static void Err(plugin::Emitter& out, const char* id, const std::string& path, const std::string& msg) {
    out.Emit(id, FTPREP_ERROR, path, msg);
  }
  static void Warn(plugin::Emitter& out, const char* id, const std::string& path, const std::string& msg) {
    out.Emit(id, FTPREP_WARNING, path, msg);
  }

  // Top-level keys of a chat record the provider does not know.
  void CheckRecordKeys(const rapidjson::Value& rec, plugin::Emitter& out) const {
    for (const auto& m : rec.GetObject()) {
      std::string_view k = Str(m.name);
      if (!Contains(cfg.record_keys, k)) {
        Warn(out, "chat.record.unknown_key", Key("", k), "unknown top-level key " + Quote(k) + " (ignored by the provider)");
      }
    }
  }

  // Collects declared tool names (for chat.tool_call.undeclared) and checks the definitions.
  void CheckTools(const rapidjson::Value& rec, const std::string& base, plugin::Emitter& out) {
    tool_names_.clear();
    have_tools_ = false;
    if (const rapidjson::Value* ptc = Get(rec, "parallel_tool_calls")) {
      if (!ptc->IsBool()) {
        Err(out, "chat.parallel_tool_calls.type", Key(base, "parallel_tool_calls"),
            std::string("`parallel_tool_calls` must be true or false, not ") + TypeName(*ptc));
      }
    }
    if (const rapidjson::Value* fns = Get(rec, "functions")) {
      std::string p = Key(base, "functions");
      Warn(out, "chat.functions.deprecated", p, "legacy `functions` list; use `tools`");
      if (!fns->IsArray()) {
        Err(out, "chat.tools.type", p, std::string("`functions` must be an array, not ") + TypeName(*fns));
      } else {
        have_tools_ = true;
        for (size_t i = 0; i < fns->Size(); ++i) CheckFunctionDef((*fns)[i], Index(p, i), out);
      }
    }
    const rapidjson::Value* tools = Get(rec, "tools");
    if (tools == nullptr) return;
    std::string p = Key(base, "tools");
    if (!cfg.tools) {
      Err(out, "chat.tools.type", p, "`tools` is not accepted by this profile");
      return;
    }
    if (!tools->IsArray()) {
      Err(out, "chat.tools.type", p, std::string("`tools` must be an array, not ") + TypeName(*tools));
      return;
    }
    have_tools_ = true;
    for (size_t i = 0; i < tools->Size(); ++i) {
      const rapidjson::Value& t = (*tools)[i];
      std::string tp = Index(p, i);
      if (!t.IsObject()) {
        Err(out, "chat.tools.type", tp, std::string("a tool must be an object, not ") + TypeName(t));
        continue;
      }
      const rapidjson::Value* type = Get(t, "type");
      if (!type || !type->IsString() || Str(*type) != "function") {
        Err(out, "chat.tools.type", Key(tp, "type"), "a tool needs \"type\": \"function\"");
      }
      const rapidjson::Value* fn = Get(t, "function");
      if (!fn || !fn->IsObject()) {
        Err(out, "chat.tools.type", Key(tp, "function"), "a tool needs a `function` object");
        continue;
      }
      CheckFunctionDef(*fn, Key(tp, "function"), out);
    }
  }

  // Checks a messages array. `base` is the path of the array ("messages", "input.messages").
  // Returns the number of messages checked (0 if the array itself is bad).
  size_t CheckMessages(const rapidjson::Value& msgs, const std::string& base, plugin::Emitter& out) {
    if (!msgs.IsArray()) {
      Err(out, "chat.messages.type", base, std::string("`") + base + "` must be an array, not " + TypeName(msgs));
      return 0;
    }
    if (msgs.Empty()) {
      Err(out, "chat.messages.empty", base, std::string("`") + base + "` is empty");
      return 0;
    }
    calls_.clear();
    answered_.clear();
    bool any_assistant = false, any_trained = false;
    int64_t images = 0;
    std::string prev_turn;
    for (size_t i = 0; i < msgs.Size(); ++i) {
      const rapidjson::Value& m = msgs[i];
      // Paths are built only when a finding needs one (most records have none).
      auto mp = [&] { return Index(base, i); };
      cur_msg_ = i;
      if (!m.IsObject()) {
        Err(out, "chat.message.type", mp(), std::string("a message must be an object, not ") + TypeName(m));
        continue;
      }
      for (const auto& kv : m.GetObject()) {
        std::string_view k = Str(kv.name);
        if (!Contains(cfg.message_keys, k)) {
          Err(out, "chat.message.unknown_key", Key(mp(), k), "unknown message key " + Quote(k));
        }
      }
      const rapidjson::Value* role = Get(m, "role");
      std::string r;
      if (!role) {
        Err(out, "chat.role.missing", mp(), "message has no `role`");
      } else if (!role->IsString()) {
        Err(out, "chat.role.unknown", Key(mp(), "role"), std::string("`role` must be a string, not ") + TypeName(*role));
      } else {
        r = std::string(Str(*role));
        if (!Contains(cfg.roles, r)) {
          Err(out, "chat.role.unknown", Key(mp(), "role"), "unknown role " + Quote(r) + " (expected " + Join(cfg.roles) + ")");
        } else if (r == "function") {
          Warn(out, "chat.role.deprecated", Key(mp(), "role"), "deprecated role \"function\"; use \"tool\"");
        }
        if (cfg.system_first && (r == "system" || r == "developer") && i != 0) {
          Err(out, "chat.role.system_position", Key(mp(), "role"), "a " + r + " message must come first");
        }
        if (cfg.alternate && (r == "user" || r == "assistant")) {
          if (r == prev_turn) {
            Err(out, "chat.role.alternation", Key(mp(), "role"), "two " + r + " messages in a row");
          }
          prev_turn = r;
        }
      }
      bool is_assistant = r == "assistant";
      if (is_assistant) any_assistant = true;
      if (is_assistant && cfg.forbid_assistant) {
        Err(out, "chat.assistant.present", Key(mp(), "role"), "assistant messages are not allowed here");
      }
      if (const rapidjson::Value* name = Get(m, "name")) {
        if (!name->IsString() || !ValidIdentifier(Str(*name))) {
          Err(out, "chat.name.invalid", Key(mp(), "name"),
              "`name` must match [a-zA-Z0-9_-]{1,64}" + (name->IsString() ? ", got " + Quote(Str(*name)) : std::string()));
        }
      }
      // weight: only 0 or 1, only on assistant messages (the cookbook checker crashed on numbers here).
      bool trained = is_assistant;
      if (const rapidjson::Value* w = Get(m, "weight")) {
        if (!cfg.weight) {
          Err(out, "chat.weight.unsupported", Key(mp(), "weight"), "`weight` is not accepted by this profile");
        } else if (!is_assistant && !r.empty()) {
          Err(out, "chat.weight.role", Key(mp(), "weight"), "`weight` is only allowed on assistant messages");
        }
        bool ok01 = w->IsInt64() && (w->GetInt64() == 0 || w->GetInt64() == 1);
        if (!ok01) {
          std::string got = w->IsNumber() ? NumberText(*w) : w->IsString() ? Quote(Str(*w)) : TypeName(*w);
          Err(out, "chat.weight.value", Key(mp(), "weight"), "`weight` must be 0 or 1, got " + got);
        } else if (w->GetInt64() == 0) {
          trained = false;
        }
      }
      if (trained) any_trained = true;
      bool has_calls = false;
      if (const rapidjson::Value* tc = Get(m, "tool_calls")) {
        has_calls = true;
        CheckToolCalls(*tc, Key(mp(), "tool_calls"), is_assistant || r.empty(), out);
      }
      if (const rapidjson::Value* fc = Get(m, "function_call")) {
        has_calls = true;
        Warn(out, "chat.functions.deprecated", Key(mp(), "function_call"), "legacy `function_call`; use `tool_calls`");
        const rapidjson::Value* n = Get(*fc, "name");
        const rapidjson::Value* a = Get(*fc, "arguments");
        if (!n || !n->IsString() || !a || !a->IsString()) {
          Err(out, "chat.function_call.invalid", Key(mp(), "function_call"),
              "`function_call` needs string `name` and `arguments`");
        } else if (!IsJsonText(Str(*a))) {
          Err(out, "chat.tool_call.arguments", Key(Key(mp(), "function_call"), "arguments"),
              "`arguments` is not valid JSON: " + Quote(Str(*a)));
        }
      }
      if (r == "tool") {
        const rapidjson::Value* id = Get(m, "tool_call_id");
        if (!id || !id->IsString()) {
          Err(out, "chat.tool.id_missing", mp(), "tool message has no string `tool_call_id`");
        } else {
          std::string sid(Str(*id));
          bool known = false;
          for (const auto& c : calls_) {
            if (c.id == sid) known = true;
          }
          if (!known) {
            Err(out, "chat.tool.unmatched", Key(mp(), "tool_call_id"),
                "tool message answers " + Quote(sid) + ", which no earlier tool call has");
          } else {
            answered_.insert(sid);
          }
        }
      }
      const rapidjson::Value* content = Get(m, "content");
      if (!content) {
        if (!(is_assistant && has_calls)) Err(out, "chat.content.missing", mp(), "message has no `content`");
      } else if (content->IsNull()) {
        if (!(is_assistant && has_calls)) {
          Err(out, "chat.content.null", Key(mp(), "content"),
              "`content` is null; only an assistant message with tool calls may omit it");
        }
      } else if (content->IsArray()) {
        if (!cfg.parts) {
          Err(out, "chat.content.parts_unsupported", Key(mp(), "content"),
              "`content` must be a string for this profile, not an array of parts");
        } else {
          CheckParts(*content, Key(mp(), "content"), r, &images, out);
        }
      } else if (!content->IsString()) {
        Err(out, "chat.content.type", Key(mp(), "content"),
            std::string("`content` must be a string or an array of parts, not ") + TypeName(*content));
      }
    }
    for (const auto& c : calls_) {
      // The final assistant turn may end in a call (the model learns to call); earlier calls need answers.
      if (!answered_.count(c.id) && c.msg + 1 < msgs.Size()) {
        Err(out, "chat.tool_call.unanswered", c.path, "tool call " + Quote(c.id) + " has no tool message");
      }
    }
    if (images > cfg.max_images) {
      Err(out, "chat.image.count", base,
          std::to_string(images) + " images in one example; the limit is " + std::to_string(cfg.max_images));
    }
    if (cfg.require_assistant) {
      if (!any_assistant) {
        Err(out, "chat.assistant.missing", base, "no assistant message to train on");
      } else if (!any_trained) {
        Err(out, "chat.assistant.untrained", base, "every assistant message has weight 0; nothing is trained");
      }
    }
    if (!cfg.last_role.empty()) {
      const rapidjson::Value& last = msgs[msgs.Size() - 1];
      const rapidjson::Value* lr = Get(last, "role");
      std::string got = lr && lr->IsString() ? std::string(Str(*lr)) : std::string();
      if (got != cfg.last_role && !(cfg.last_role == "user" && got == "tool")) {
        Err(out, "chat.last_role", Index(base, msgs.Size() - 1),
            "the example must end with a" + std::string(cfg.last_role == "assistant" ? "n " : " ") + cfg.last_role +
                " message, not " + (got.empty() ? "this one" : Quote(got)));
      }
    }
    return msgs.Size();
  }

  static std::string Join(const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s;
  }

 private:
  struct Call {
    std::string id, path;
    size_t msg = 0;
  };

  static std::string NumberText(const rapidjson::Value& v) {
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v.GetDouble());
    return buf;
  }

  void CheckFunctionDef(const rapidjson::Value& fn, const std::string& p, plugin::Emitter& out) {
    if (!fn.IsObject()) {
      Err(out, "chat.tools.type", p, std::string("a function definition must be an object, not ") + TypeName(fn));
      return;
    }
    const rapidjson::Value* name = Get(fn, "name");
    if (!name || !name->IsString() || !ValidIdentifier(Str(*name))) {
      Err(out, "chat.tools.name", Key(p, "name"),
          name && name->IsString() ? "function name " + Quote(Str(*name)) + " must match [a-zA-Z0-9_-]{1,64}"
                                   : std::string("function has no string `name`"));
    } else {
      std::string n(Str(*name));
      if (!tool_names_.insert(n).second) {
        Err(out, "chat.tools.duplicate", Key(p, "name"), "function " + Quote(n) + " is defined twice");
      }
    }
    if (const rapidjson::Value* params = Get(fn, "parameters")) {
      if (!params->IsObject()) {
        Err(out, "chat.tools.parameters", Key(p, "parameters"),
            std::string("`parameters` must be a JSON Schema object, not ") + TypeName(*params));
      } else {
        const rapidjson::Value* type = Get(*params, "type");
        if (type && !(type->IsString() && Str(*type) == "object")) {
          Err(out, "chat.tools.parameters", Key(Key(p, "parameters"), "type"),
              "`parameters.type` must be \"object\"");
        }
        const rapidjson::Value* props = Get(*params, "properties");
        if (props && !props->IsObject()) {
          Err(out, "chat.tools.parameters", Key(Key(p, "parameters"), "properties"),
              "`parameters.properties` must be an object");
        }
        const rapidjson::Value* req = Get(*params, "required");
        if (req && !req->IsArray()) {
          Err(out, "chat.tools.parameters", Key(Key(p, "parameters"), "required"),
              "`parameters.required` must be an array");
        }
      }
    }
  }

  void CheckToolCalls(const rapidjson::Value& tc, const std::string& p, bool assistant, plugin::Emitter& out) {
    if (!cfg.tools) {
      Err(out, "chat.tool_calls.unsupported", p, "tool calls are not accepted by this profile");
      return;
    }
    if (!assistant) {
      Err(out, "chat.tool_calls.role", p, "only assistant messages may have `tool_calls`");
    }
    if (!tc.IsArray() || tc.Empty()) {
      Err(out, "chat.tool_calls.type", p,
          tc.IsArray() ? std::string("`tool_calls` is empty") : std::string("`tool_calls` must be an array, not ") + TypeName(tc));
      return;
    }
    for (size_t j = 0; j < tc.Size(); ++j) {
      const rapidjson::Value& c = tc[j];
      std::string cp = Index(p, j);
      if (!c.IsObject()) {
        Err(out, "chat.tool_call.type", cp, std::string("a tool call must be an object, not ") + TypeName(c));
        continue;
      }
      const rapidjson::Value* type = Get(c, "type");
      if (!type || !type->IsString() || Str(*type) != "function") {
        Err(out, "chat.tool_call.type", Key(cp, "type"), "a tool call needs \"type\": \"function\"");
      }
      const rapidjson::Value* id = Get(c, "id");
      if (!id || !id->IsString() || id->GetStringLength() == 0) {
        Err(out, "chat.tool_call.id", Key(cp, "id"), "a tool call needs a non-empty string `id`");
      } else {
        std::string sid(Str(*id));
        if (cfg.tool_call_id_pattern == "alnum9") {
          bool ok = sid.size() == 9;
          for (char ch : sid) ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
          if (!ok) {
            Err(out, "chat.tool_call.id", Key(cp, "id"), "tool call id " + Quote(sid) + " must be 9 letters or digits");
          }
        }
        bool dup = false;
        for (const auto& k : calls_) dup = dup || k.id == sid;
        if (dup) {
          Err(out, "chat.tool_call.duplicate_id", Key(cp, "id"), "tool call id " + Quote(sid) + " is used twice");
        } else {
          calls_.push_back({sid, cp, cur_msg_});
        }
      }
      const rapidjson::Value* fn = Get(c, "function");
      const rapidjson::Value* fname = fn ? Get(*fn, "name") : nullptr;
      if (!fn || !fn->IsObject() || !fname || !fname->IsString() || fname->GetStringLength() == 0) {
        Err(out, "chat.tool_call.function", Key(cp, "function"), "a tool call needs `function.name`");
        continue;
      }
      if (have_tools_ && !tool_names_.count(std::string(Str(*fname)))) {
        Warn(out, "chat.tool_call.undeclared", Key(Key(cp, "function"), "name"),
             "function " + Quote(Str(*fname)) + " is not defined in `tools`");
      }
      const rapidjson::Value* args = Get(*fn, "arguments");
      std::string ap = Key(Key(cp, "function"), "arguments");
      if (!args) {
        Err(out, "chat.tool_call.arguments", ap, "a tool call needs `function.arguments`");
      } else if (!args->IsString()) {
        Err(out, "chat.tool_call.arguments", ap,
            std::string("`arguments` must be a string holding JSON, not ") + TypeName(*args));
      } else if (!IsJsonText(Str(*args))) {
        Err(out, "chat.tool_call.arguments", ap, "`arguments` is not valid JSON: " + Quote(Str(*args)));
      }
    }
  }

  void CheckParts(const rapidjson::Value& parts, const std::string& p, const std::string& role, int64_t* images,
                  plugin::Emitter& out) {
    if (parts.Empty()) {
      Err(out, "chat.content.part", p, "`content` is an empty array");
      return;
    }
    for (size_t k = 0; k < parts.Size(); ++k) {
      const rapidjson::Value& part = parts[k];
      std::string pp = Index(p, k);
      const rapidjson::Value* type = Get(part, "type");
      if (!part.IsObject() || !type || !type->IsString()) {
        Err(out, "chat.content.part", pp, "a content part must be an object with a string `type`");
        continue;
      }
      std::string_view t = Str(*type);
      if (t == "text") {
        const rapidjson::Value* text = Get(part, "text");
        if (!text || !text->IsString()) Err(out, "chat.content.part", Key(pp, "text"), "a text part needs a string `text`");
      } else if (t == "image_url") {
        ++*images;
        if (!cfg.images) {
          Err(out, "chat.content.part", Key(pp, "type"), "images are not accepted by this profile");
          continue;
        }
        if (role != "user" && !role.empty()) {
          Err(out, "chat.image.role", pp, "images are only allowed in user messages, not in " + Quote(role));
        }
        const rapidjson::Value* iu = Get(part, "image_url");
        const rapidjson::Value* url = iu ? Get(*iu, "url") : nullptr;
        if (!url || !url->IsString()) {
          Err(out, "chat.image.url", Key(pp, "image_url"), "an image part needs `image_url.url`");
          continue;
        }
        std::string_view u = Str(*url);
        std::string up = Key(Key(pp, "image_url"), "url");
        if (u.rfind("data:", 0) == 0) {
          size_t comma = u.find(',');
          if (comma == std::string_view::npos || u.substr(0, 11) != "data:image/") {
            Err(out, "chat.image.url", up, "data URL is not an image: " + Quote(u, 30));
          } else if (static_cast<int64_t>((u.size() - comma - 1) / 4 * 3) > cfg.max_image_bytes) {
            Err(out, "chat.image.size", up,
                "inline image of about " + std::to_string((u.size() - comma - 1) / 4 * 3) + " bytes; the limit is " +
                    std::to_string(cfg.max_image_bytes));
          }
        } else if (u.rfind("https://", 0) != 0 && u.rfind("http://", 0) != 0) {
          Err(out, "chat.image.url", up, "image URL must be http(s) or a data: URL, got " + Quote(u, 30));
        }
      } else {
        Err(out, "chat.content.part", Key(pp, "type"), "unknown content part type " + Quote(t));
      }
    }
  }

  std::vector<Call> calls_;
  std::unordered_set<std::string> answered_, tool_names_;
  bool have_tools_ = false;
  size_t cur_msg_ = 0;
};

}  // namespace ftprep::rules

#endif  // FTPREP_VALIDATORS_COMMON_CHAT_CHECKS_H_
