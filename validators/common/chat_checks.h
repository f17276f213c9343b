// validators/common/chat_checks.h — the checks of an OpenAI-style `messages` array, shared by the chat (SFT),
// DPO and RFT rule plugins and reused with other limits by provider profiles (together, mistral, fireworks).
//
// ChatChecker is configured once from the profile's JSON (roles, whether tools/images/weights are allowed,
// which role must end the example, limits) and then checks messages arrays, `tools` and `functions` lists,
// emitting findings with JSON paths. Every id it can emit is in kChatRules (listed by `ftprep plugins
// --rules`). Header-only; one checker per rule-set state, so not shared across threads.
#ifndef FTPREP_VALIDATORS_COMMON_CHAT_CHECKS_H_
#define FTPREP_VALIDATORS_COMMON_CHAT_CHECKS_H_

#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
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
  {"chat.role.first", FTPREP_ERROR, FTPREP_FIX_NONE, "the example starts with a role the provider refuses first"}, \
  {"chat.role.system_count", FTPREP_ERROR, FTPREP_FIX_NONE, "more system messages than the provider allows"},  \
  {"chat.role.order", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool message not after a call, or a user message right after a tool answer"}, \
  {"chat.user.missing", FTPREP_WARNING, FTPREP_FIX_NONE, "the example has no user message"},                   \
  {"chat.messages.conflict", FTPREP_ERROR, FTPREP_FIX_NONE, "two keys that hold the messages in one record"},  \
  {"chat.content.conflict", FTPREP_ERROR, FTPREP_FIX_NONE, "a message has both `content` and its alias"},      \
  {"chat.content.mixed_form", FTPREP_ERROR, FTPREP_FIX_NONE, "string and parts content mixed in one example"}, \
  {"chat.assistant.content_or_calls", FTPREP_ERROR, FTPREP_FIX_NONE,                                          \
   "an assistant message needs non-empty content or tool calls, not both"},                                      \
  {"chat.content.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a message has no `content`"},                        \
  {"chat.content.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`content` is not a string or an array of parts"},       \
  {"chat.content.null", FTPREP_ERROR, FTPREP_FIX_NONE, "null `content` outside an assistant tool call"},        \
  {"chat.content.parts_unsupported", FTPREP_ERROR, FTPREP_FIX_NONE, "content parts where only text is accepted"}, \
  {"chat.content.part", FTPREP_ERROR, FTPREP_FIX_NONE, "a content part is malformed or of an unknown type"},    \
  {"chat.image.url", FTPREP_ERROR, FTPREP_FIX_NONE, "image URL is not http(s) or a data: URL"},                 \
  {"chat.image.role", FTPREP_ERROR, FTPREP_FIX_NONE, "image outside a user message"},                          \
  {"chat.image.count", FTPREP_ERROR, FTPREP_FIX_NONE, "too many images in one example"},                        \
  {"chat.image.size", FTPREP_ERROR, FTPREP_FIX_NONE, "inline image larger than the limit"},                     \
  {"chat.image.format", FTPREP_ERROR, FTPREP_FIX_NONE, "inline image in a format the provider refuses"},        \
  {"chat.image.weight", FTPREP_ERROR, FTPREP_FIX_NONE, "a message with images has a non-zero `weight`"},        \
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
  {"chat.tool.duplicate_answer", FTPREP_ERROR, FTPREP_FIX_NONE, "two tool messages answer the same tool call"}, \
  {"chat.tools.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`tools` is not an array of function definitions"},       \
  {"chat.tools.name", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool's function name is missing or invalid"},          \
  {"chat.tools.parameters", FTPREP_ERROR, FTPREP_FIX_NONE, "a tool's `parameters` is not a JSON Schema object"}, \
  {"chat.tools.duplicate", FTPREP_ERROR, FTPREP_FIX_NONE, "two tools have the same name"},                      \
  {"chat.tools.missing_key", FTPREP_ERROR, FTPREP_FIX_NONE, "a function definition lacks a key the provider requires"}, \
  {"chat.tools.conflict", FTPREP_ERROR, FTPREP_FIX_NONE, "two keys that hold the tool list in one record"},     \
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
  // Provider-specific switches (all off by default, set by the profiles that mirror a provider's validator).
  std::vector<std::string> first_roles;            // roles an example may start with; empty = any
  std::vector<std::string> content_keys = {"content"};  // Mistral also reads "text"; both at once is an error
  std::vector<std::string> function_keys;          // keys every function definition must have (Mistral)
  std::vector<std::string> image_formats;          // data:image/<fmt>;base64 formats allowed; empty = any
  int64_t max_system = 0;                          // system messages allowed per example; 0 = any number
  bool weight_any_role = false;                    // Together: weight on every message
  bool image_data_only = false;                    // Together: base64 data URLs only, no http(s)
  bool image_weight_zero = false;                  // Together: a message with images cannot be trained
  bool uniform_content = false;                    // Together: all string or all parts in one example
  bool content_xor_calls = false;                  // mistral-common: content or tool calls, never both/none
  bool warn_no_user = false;                       // OpenAI cookbook: count examples without a user message
  bool alternate_adjacent = false;                 // together-py: no two adjacent messages of one role (any role)
  bool tool_order = false;                         // mistral-common: tool only after assistant/tool, then assistant/tool

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
    first_roles = CfgList(c, "first_roles", first_roles);
    content_keys = CfgList(c, "content_keys", content_keys);
    function_keys = CfgList(c, "function_keys", function_keys);
    image_formats = CfgList(c, "image_formats", image_formats);
    max_system = CfgInt(c, "max_system", max_system);
    weight_any_role = CfgBool(c, "weight_any_role", weight_any_role);
    image_data_only = CfgBool(c, "image_data_only", image_data_only);
    image_weight_zero = CfgBool(c, "image_weight_zero", image_weight_zero);
    uniform_content = CfgBool(c, "uniform_content", uniform_content);
    content_xor_calls = CfgBool(c, "content_xor_calls", content_xor_calls);
    warn_no_user = CfgBool(c, "warn_no_user", warn_no_user);
    alternate_adjacent = CfgBool(c, "alternate_adjacent", alternate_adjacent);
    tool_order = CfgBool(c, "tool_order", tool_order);
    // An alias of `content` is a message key too.
    for (const auto& k : content_keys) {
      if (!Contains(message_keys, k)) message_keys.push_back(k);
    }
    Derive();
  }

  // The message keys and roles the checks look at, each as a number (the lists above, known by name, say
  // which of them the profile accepts; any other name is looked up in the lists).
  enum Slot { kRole, kContent, kName, kWeight, kToolCalls, kToolCallId, kFunctionCall, kSlots, kOtherKey = kSlots };
  enum RoleId { kNoRole, kSystem, kDeveloper, kUser, kAssistant, kTool, kFunction, kRoles, kOtherRole = kRoles };
  static constexpr std::string_view kRoleNames[kRoles] = {"", "system", "developer", "user", "assistant", "tool", "function"};

  static Slot SlotOf(std::string_view k) {
    auto is = [&]<size_t N>(const char (&lit)[N]) { return std::memcmp(k.data(), lit, N - 1) == 0; };
    switch (k.size()) {
      case 4: return is("role") ? kRole : is("name") ? kName : kOtherKey;
      case 6: return is("weight") ? kWeight : kOtherKey;
      case 7: return is("content") ? kContent : kOtherKey;
      case 10: return is("tool_calls") ? kToolCalls : kOtherKey;
      case 12: return is("tool_call_id") ? kToolCallId : kOtherKey;
      case 13: return is("function_call") ? kFunctionCall : kOtherKey;
      default: return kOtherKey;
    }
  }
  static RoleId RoleOf(std::string_view r) {
    auto is = [&]<size_t N>(const char (&lit)[N]) { return std::memcmp(r.data(), lit, N - 1) == 0; };
    switch (r.size()) {
      case 0: return kNoRole;
      case 4: return is("user") ? kUser : is("tool") ? kTool : kOtherRole;
      case 6: return is("system") ? kSystem : kOtherRole;
      case 8: return is("function") ? kFunction : kOtherRole;
      case 9: return is("developer") ? kDeveloper : is("assistant") ? kAssistant : kOtherRole;
      default: return kOtherRole;
    }
  }
  bool KnownKey(Slot s, std::string_view k) const { return s < kSlots ? slot_known[s] : Contains(message_keys, k); }
  bool KnownRole(RoleId id, std::string_view r) const {
    return id > kNoRole && id < kRoles ? role_known[id] : Contains(roles, r);
  }
  bool FirstRole(RoleId id, std::string_view r) const {
    return id > kNoRole && id < kRoles ? role_first[id] : Contains(first_roles, r);
  }

  // Fills the tables above from the lists (Configure calls it; so must whoever changes the lists by hand).
  void Derive() {
    for (int s = 0; s < kSlots; ++s) slot_known[s] = Contains(message_keys, SlotName(static_cast<Slot>(s)));
    for (int r = kNoRole + 1; r < kRoles; ++r) {
      role_known[r] = Contains(roles, kRoleNames[r]);
      role_first[r] = Contains(first_roles, kRoleNames[r]);
    }
    content_is_content = content_keys.size() == 1 && content_keys[0] == "content";
  }
  static std::string_view SlotName(Slot s) {
    static constexpr std::string_view names[kSlots] = {"role",         "content",      "name",         "weight",
                                                       "tool_calls",   "tool_call_id", "function_call"};
    return names[s];
  }

  bool slot_known[kSlots] = {};
  bool role_known[kRoles] = {}, role_first[kRoles] = {};
  bool content_is_content = true;  // content_keys is just "content": its member is found with the others

  ChatConfig() { Derive(); }
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

// Names seen in one record (tool names): a short list searched in place, as records declare a few tools; a
// hash set once the list grows, so a hostile record with a million tools stays linear. Holds views: clear it
// before the record it points into goes away.
class NameSet {
 public:
  void clear() {
    list_.clear();
    set_.clear();
  }
  // Adds `s`; false when it was there already.
  bool Insert(std::string_view s) {
    if (!set_.empty()) return set_.insert(s).second;
    if (Contains(s)) return false;
    list_.push_back(s);
    if (list_.size() > 32) set_.insert(list_.begin(), list_.end());
    return true;
  }
  bool Contains(std::string_view s) const {
    if (!set_.empty()) return set_.count(s) != 0;
    for (std::string_view x : list_) {
      if (x == s) return true;
    }
    return false;
  }

 private:
  std::vector<std::string_view> list_;
  std::unordered_set<std::string_view> set_;
};

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
  // `tools_key` names the list (Mistral also reads "available_tools").
  void CheckTools(const rapidjson::Value& rec, const std::string& base, plugin::Emitter& out,
                  const char* tools_key = "tools") {
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
        for (size_t i = 0; i < fns->Size(); ++i) {
          CheckFunctionDef((*fns)[i], [&] { return Index(p, i); }, out);
        }
      }
    }
    const rapidjson::Value* tools = Get(rec, tools_key);
    if (tools == nullptr) return;
    auto p = [&] { return Key(base, tools_key); };
    if (!cfg.tools) {
      Err(out, "chat.tools.type", p(), "`tools` is not accepted by this profile");
      return;
    }
    if (!tools->IsArray()) {
      Err(out, "chat.tools.type", p(), std::string("`tools` must be an array, not ") + TypeName(*tools));
      return;
    }
    have_tools_ = true;
    for (size_t i = 0; i < tools->Size(); ++i) {
      const rapidjson::Value& t = (*tools)[i];
      auto tp = [&] { return Index(p(), i); };  // paths are built only for a finding
      if (!t.IsObject()) {
        Err(out, "chat.tools.type", tp(), std::string("a tool must be an object, not ") + TypeName(t));
        continue;
      }
      const rapidjson::Value* tf[2];
      GetAll(t, {"type", "function"}, tf);
      const rapidjson::Value* type = tf[0];
      if (!type || !type->IsString() || Str(*type) != "function") {
        Err(out, "chat.tools.type", Key(tp(), "type"), "a tool needs \"type\": \"function\"");
      }
      const rapidjson::Value* fn = tf[1];
      if (!fn || !fn->IsObject()) {
        Err(out, "chat.tools.type", Key(tp(), "function"), "a tool needs a `function` object");
        continue;
      }
      CheckFunctionDef(*fn, [&] { return Key(tp(), "function"); }, out);
    }
  }

  // Checks a messages array. `base` is the path of the array ("messages", "input.messages").
  // Returns the number of messages checked (0 if the array itself is bad).
  // Uses the tool names of the CheckTools call just before it (same record), and forgets them after.
  size_t CheckMessages(const rapidjson::Value& msgs, const std::string& base, plugin::Emitter& out) {
    size_t n = WalkMessages(msgs, base, out);
    tool_names_.clear();  // views into this record
    have_tools_ = false;
    return n;
  }

 private:
  size_t WalkMessages(const rapidjson::Value& msgs, const std::string& base, plugin::Emitter& out) {
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
    st_ = Walk{};
    n_msgs_ = msgs.Size();
    for (size_t i = 0; i < msgs.Size(); ++i) {
      cur_msg_ = i;
      CheckMessage(msgs[i], base, i, out);
    }
    for (const auto& c : calls_) {
      // The final assistant turn may end in a call (the model learns to call); earlier calls need answers.
      if (!answered_.Contains(c.id) && c.msg + 1 < msgs.Size()) {
        Err(out, "chat.tool_call.unanswered", Index(Key(Index(base, c.msg), "tool_calls"), c.call),
            "tool call " + Quote(c.id) + " has no tool message");
      }
    }
    answered_.clear();  // views into this record
    if (st_.images > cfg.max_images) {
      Err(out, "chat.image.count", base,
          std::to_string(st_.images) + " images in one example; the limit is " + std::to_string(cfg.max_images));
    }
    if (cfg.require_assistant) {
      if (!st_.any_assistant) {
        Err(out, "chat.assistant.missing", base, "no assistant message to train on");
      } else if (!st_.any_trained) {
        Err(out, "chat.assistant.untrained", base, "every assistant message has weight 0; nothing is trained");
      }
    }
    if (cfg.warn_no_user && !st_.any_user) Warn(out, "chat.user.missing", base, "the example has no user message");
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

 public:
  // Checks the parts of a `content` array (also used for Together's instruction prompts). `role` is the role of
  // the message holding them ("" when unknown); images are counted into *images.
  void CheckParts(const rapidjson::Value& parts, const std::string& p, std::string_view role, int64_t* images,
                  plugin::Emitter& out) {
    CheckParts(parts, [&] { return p; }, role, images, out);
  }
  // The same with the path made by `pf` (only when there is a finding).
  template <typename Path, typename = decltype(std::declval<const Path&>()())>
  void CheckParts(const rapidjson::Value& parts, const Path& pf, std::string_view role, int64_t* images,
                  plugin::Emitter& out) {
    if (parts.Empty()) {
      Err(out, "chat.content.part", pf(), "`content` is an empty array");
      return;
    }
    for (size_t k = 0; k < parts.Size(); ++k) {
      const rapidjson::Value& part = parts[k];
      auto pp = [&] { return Index(pf(), k); };
      const rapidjson::Value* tti[3];
      GetAll(part, {"type", "text", "image_url"}, tti);
      const rapidjson::Value* type = tti[0];
      if (!part.IsObject() || !type || !type->IsString()) {
        Err(out, "chat.content.part", pp(), "a content part must be an object with a string `type`");
        continue;
      }
      std::string_view t = Str(*type);
      if (t == "text") {
        const rapidjson::Value* text = tti[1];
        if (!text || !text->IsString()) Err(out, "chat.content.part", Key(pp(), "text"), "a text part needs a string `text`");
      } else if (t == "image_url") {
        ++*images;
        if (!cfg.images) {
          Err(out, "chat.content.part", Key(pp(), "type"), "images are not accepted by this profile");
          continue;
        }
        if (role != "user" && !role.empty()) {
          Err(out, "chat.image.role", pp(), "images are only allowed in user messages, not in " + Quote(role));
        }
        const rapidjson::Value* iu = tti[2];
        const rapidjson::Value* url = iu ? Get(*iu, "url") : nullptr;
        if (!url || !url->IsString()) {
          Err(out, "chat.image.url", Key(pp(), "image_url"), "an image part needs `image_url.url`");
          continue;
        }
        CheckImageUrl(Str(*url), [&] { return Key(Key(pp(), "image_url"), "url"); }, out);
      } else {
        Err(out, "chat.content.part", Key(pp(), "type"), "unknown content part type " + Quote(t));
      }
    }
  }

  static std::string Join(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
    return s;
  }

 private:
  struct Call {
    std::string_view id;  // a view into the record being checked
    size_t msg = 0, call = 0;  // its message and its place in that message's tool_calls
  };

  // What CheckMessages learns while it walks one example.
  struct Walk {
    bool any_assistant = false, any_trained = false, any_user = false;
    int64_t images = 0, systems = 0;
    int form = 0;  // 0 none yet, 1 string content, 2 parts content (cfg.uniform_content)
    std::string prev_turn, prev_any, prev_nonsystem;
  };

  void CheckMessage(const rapidjson::Value& m, const std::string& base, size_t i, plugin::Emitter& out) {
    // Paths are built only when a finding needs one (most records have none).
    auto mp = [&] { return Index(base, i); };
    if (!m.IsObject()) {
      Err(out, "chat.message.type", mp(), std::string("a message must be an object, not ") + TypeName(m));
      return;
    }
    // One pass over the members: unknown keys, and the first member of each name the checks read.
    const rapidjson::Value* slot[ChatConfig::kSlots] = {};
    for (const auto& kv : m.GetObject()) {
      std::string_view k = Str(kv.name);
      ChatConfig::Slot sl = ChatConfig::SlotOf(k);
      if (sl < ChatConfig::kSlots && slot[sl] == nullptr) slot[sl] = &kv.value;
      if (!cfg.KnownKey(sl, k)) {
        Err(out, "chat.message.unknown_key", Key(mp(), k), "unknown message key " + Quote(k));
      }
    }
    std::string_view r = CheckRole(slot[ChatConfig::kRole], i, mp, out);  // a view into the record
    ChatConfig::RoleId rid = ChatConfig::RoleOf(r);
    bool is_assistant = rid == ChatConfig::kAssistant;
    if (is_assistant) st_.any_assistant = true;
    if (rid == ChatConfig::kUser) st_.any_user = true;
    if (is_assistant && cfg.forbid_assistant) {
      Err(out, "chat.assistant.present", Key(mp(), "role"), "assistant messages are not allowed here");
    }
    if (const rapidjson::Value* name = slot[ChatConfig::kName]) {
      if (!name->IsString() || !ValidIdentifier(Str(*name))) {
        Err(out, "chat.name.invalid", Key(mp(), "name"),
            "`name` must match [a-zA-Z0-9_-]{1,64}" + (name->IsString() ? ", got " + Quote(Str(*name)) : std::string()));
      }
    }
    const rapidjson::Value* w = slot[ChatConfig::kWeight];
    bool trained = CheckWeight(w, rid, mp, out);
    if (trained) st_.any_trained = true;
    bool has_calls = false;
    if (const rapidjson::Value* tc = slot[ChatConfig::kToolCalls]) {
      has_calls = true;
      CheckToolCalls(*tc, [&] { return Key(mp(), "tool_calls"); }, is_assistant || r.empty(), out);
    }
    if (const rapidjson::Value* fc = slot[ChatConfig::kFunctionCall]) {
      has_calls = true;
      Warn(out, "chat.functions.deprecated", Key(mp(), "function_call"), "legacy `function_call`; use `tool_calls`");
      const rapidjson::Value* na[2];
      GetAll(*fc, {"name", "arguments"}, na);
      const rapidjson::Value* n = na[0];
      const rapidjson::Value* a = na[1];
      if (!n || !n->IsString() || !a || !a->IsString()) {
        Err(out, "chat.function_call.invalid", Key(mp(), "function_call"),
            "`function_call` needs string `name` and `arguments`");
      } else if (!IsJsonText(Str(*a))) {
        Err(out, "chat.tool_call.arguments", Key(Key(mp(), "function_call"), "arguments"),
            "`arguments` is not valid JSON: " + Quote(Str(*a)));
      }
    }
    if (rid == ChatConfig::kTool) CheckToolAnswer(slot[ChatConfig::kToolCallId], mp, out);
    int64_t before = st_.images;
    const rapidjson::Value* content = CheckContent(m, slot[ChatConfig::kContent], r, is_assistant && has_calls, mp, out);
    if (cfg.image_weight_zero && st_.images > before && w && w->IsInt64() && w->GetInt64() != 0) {
      Err(out, "chat.image.weight", Key(mp(), "weight"), "a message with images cannot have a non-zero `weight`");
    }
    if (cfg.content_xor_calls && is_assistant) {
      bool has_text = content && ((content->IsString() && content->GetStringLength() > 0) ||
                                  (content->IsArray() && !content->Empty()));
      if (has_text == has_calls) {
        Err(out, "chat.assistant.content_or_calls", mp(),
            has_text ? std::string("an assistant message cannot have both content and tool calls")
                     : std::string("an assistant message needs non-empty content or tool calls"));
      }
    }
  }

  // Role checks; returns the role ("" when missing or not a string).
  template <typename Path>
  std::string_view CheckRole(const rapidjson::Value* role, size_t i, const Path& mp, plugin::Emitter& out) {
    if (!role) {
      Err(out, "chat.role.missing", mp(), "message has no `role`");
      return {};
    }
    if (!role->IsString()) {
      Err(out, "chat.role.unknown", Key(mp(), "role"), std::string("`role` must be a string, not ") + TypeName(*role));
      return {};
    }
    std::string_view r = Str(*role);
    ChatConfig::RoleId rid = ChatConfig::RoleOf(r);
    bool known = cfg.KnownRole(rid, r);
    if (!known) {
      Err(out, "chat.role.unknown", Key(mp(), "role"), "unknown role " + Quote(r) + " (expected " + Join(cfg.roles) + ")");
    } else if (rid == ChatConfig::kFunction) {
      Warn(out, "chat.role.deprecated", Key(mp(), "role"), "deprecated role \"function\"; use \"tool\"");
    }
    if (i == 0 && !cfg.first_roles.empty() && known && !cfg.FirstRole(rid, r)) {
      Err(out, "chat.role.first", Key(mp(), "role"),
          "the example must start with " + Join(cfg.first_roles, " or ") + ", not " + Quote(r));
    }
    bool system = rid == ChatConfig::kSystem || rid == ChatConfig::kDeveloper;
    if (cfg.system_first && system && i != 0) {
      Err(out, "chat.role.system_position", Key(mp(), "role"), "a " + std::string(r) + " message must come first");
    }
    if (system && ++st_.systems > cfg.max_system && cfg.max_system > 0) {
      Err(out, "chat.role.system_count", Key(mp(), "role"),
          "only " + std::to_string(cfg.max_system) + " system message" + (cfg.max_system == 1 ? " is" : "s are") +
              " allowed per example");
    }
    if (cfg.alternate && (r == "user" || r == "assistant")) {
      if (r == st_.prev_turn) Err(out, "chat.role.alternation", Key(mp(), "role"), "two " + std::string(r) + " messages in a row");
      st_.prev_turn = r;
    }
    if (cfg.tool_order && !system) {
      // System messages are taken out of the list before mistral-common checks the order.
      const std::string& prev = st_.prev_nonsystem;
      bool bad = !prev.empty() && ((r == "tool" && prev != "assistant" && prev != "tool") ||
                                   (prev == "tool" && r != "assistant" && r != "tool"));
      if (bad) {
        Err(out, "chat.role.order", Key(mp(), "role"),
            "a " + std::string(r) + " message cannot follow a " + prev + " message (a tool answer comes after the call and before the reply)");
      }
      st_.prev_nonsystem = r;
    }
    if (cfg.alternate_adjacent) {
      // An assistant call, its tool answer and the assistant's reply alternate; two of one role in a row do not.
      if (r == st_.prev_any && !cfg.alternate) {
        Err(out, "chat.role.alternation", Key(mp(), "role"), "two " + std::string(r) + " messages in a row");
      }
      st_.prev_any = r;
    }
    return r;
  }

  // weight: only 0 or 1, on assistant messages unless the profile allows it everywhere. Returns whether the
  // message is trained (an assistant message without weight 0).
  template <typename Path>
  bool CheckWeight(const rapidjson::Value* w, ChatConfig::RoleId rid, const Path& mp, plugin::Emitter& out) {
    bool trained = rid == ChatConfig::kAssistant;
    if (w == nullptr) return trained;
    if (!cfg.weight) {
      Err(out, "chat.weight.unsupported", Key(mp(), "weight"), "`weight` is not accepted by this profile");
    } else if (!trained && rid != ChatConfig::kNoRole && !cfg.weight_any_role) {
      Err(out, "chat.weight.role", Key(mp(), "weight"), "`weight` is only allowed on assistant messages");
    }
    bool ok01 = w->IsInt64() && (w->GetInt64() == 0 || w->GetInt64() == 1);
    if (!ok01) {
      std::string got = w->IsNumber() ? NumberText(*w) : w->IsString() ? Quote(Str(*w)) : TypeName(*w);
      // 1.0 prints as "1": say why it is refused (Together: "Weight must be an integer").
      if (w->IsDouble() && w->GetDouble() == static_cast<double>(static_cast<int64_t>(w->GetDouble()))) {
        got += ".0, a decimal (write the integer " + got + ")";
      }
      Err(out, "chat.weight.value", Key(mp(), "weight"), "`weight` must be 0 or 1, got " + got);
      return trained;
    }
    return trained && w->GetInt64() != 0;
  }

  template <typename Path>
  void CheckToolAnswer(const rapidjson::Value* id, const Path& mp, plugin::Emitter& out) {
    if (!id || !id->IsString()) {
      Err(out, "chat.tool.id_missing", mp(), "tool message has no string `tool_call_id`");
      return;
    }
    std::string_view sid = Str(*id);
    bool known = false;
    for (const auto& c : calls_) known = known || c.id == sid;
    if (!known) {
      Err(out, "chat.tool.unmatched", Key(mp(), "tool_call_id"),
          "tool message answers " + Quote(sid) + ", which no earlier tool call has");
    } else if (!answered_.Insert(sid)) {
      // mistral-common: "Not the same number of function calls and responses".
      Err(out, "chat.tool.duplicate_answer", Key(mp(), "tool_call_id"),
          "tool call " + Quote(sid) + " is answered twice; each call takes exactly one tool message");
    }
  }

  // `content` (or a configured alias such as Mistral's "text"); returns the value found, or nullptr.
  // `member` is the message's "content" member, all there is to look at when that is the only key.
  template <typename Path>
  const rapidjson::Value* CheckContent(const rapidjson::Value& m, const rapidjson::Value* member, std::string_view r,
                                       bool call, const Path& mp, plugin::Emitter& out) {
    const rapidjson::Value* content = nullptr;
    const std::string* key = nullptr;  // the key found (one of cfg.content_keys)
    if (cfg.content_is_content) {
      content = member;
      key = &cfg.content_keys[0];
    } else {
      for (const auto& k : cfg.content_keys) {
        const rapidjson::Value* v = Get(m, k);
        if (v == nullptr) continue;
        if (content != nullptr) {
          Err(out, "chat.content.conflict", Key(mp(), k), "a message has both " + Quote(*key) + " and " + Quote(k));
          continue;
        }
        content = v;
        key = &k;
      }
    }
    if (!content) {
      if (!call) Err(out, "chat.content.missing", mp(), "message has no `" + cfg.content_keys[0] + "`");
    } else if (content->IsNull()) {
      if (!call) {
        Err(out, "chat.content.null", Key(mp(), *key), "`" + *key + "` is null; only an assistant message with tool calls may omit it");
      }
    } else if (content->IsArray()) {
      if (!cfg.parts) {
        Err(out, "chat.content.parts_unsupported", Key(mp(), *key),
            "`" + *key + "` must be a string for this profile, not an array of parts");
      } else {
        CheckParts(*content, [&] { return Key(mp(), *key); }, r, &st_.images, out);
        Form(2, mp, out);
      }
    } else if (!content->IsString()) {
      Err(out, "chat.content.type", Key(mp(), *key),
          "`" + *key + "` must be a string or an array of parts, not " + std::string(TypeName(*content)));
    } else {
      Form(1, mp, out);
    }
    return content;
  }

  template <typename Path>
  void Form(int form, const Path& mp, plugin::Emitter& out) {
    if (!cfg.uniform_content) return;
    if (st_.form == 0) st_.form = form;
    if (st_.form != form) {
      Err(out, "chat.content.mixed_form", Key(mp(), "content"),
          "string content and content parts are mixed in one example; use one form for every message");
      st_.form = form;  // one finding per switch
    }
  }

  template <typename Path>
  void CheckImageUrl(std::string_view u, const Path& up, plugin::Emitter& out) {
    if (u.rfind("data:", 0) == 0) {
      size_t comma = u.find(',');
      if (comma == std::string_view::npos || u.substr(0, 11) != "data:image/") {
        Err(out, "chat.image.url", up(), "data URL is not an image: " + Quote(u, 30));
        return;
      }
      if (!cfg.image_formats.empty()) {
        std::string_view head = u.substr(11, comma - 11);  // "png;base64"
        size_t semi = head.find(';');
        std::string_view fmt = head.substr(0, semi);
        if (semi == std::string_view::npos || head.substr(semi) != ";base64" || !Contains(cfg.image_formats, fmt)) {
          Err(out, "chat.image.format", up(),
              "inline image must be data:image/<" + Join(cfg.image_formats, "|") + ">;base64, got " + Quote(u.substr(0, comma), 30));
          return;
        }
      }
      if (static_cast<int64_t>((u.size() - comma - 1) / 4 * 3) > cfg.max_image_bytes) {
        Err(out, "chat.image.size", up(),
            "inline image of about " + std::to_string((u.size() - comma - 1) / 4 * 3) + " bytes; the limit is " +
                std::to_string(cfg.max_image_bytes));
      }
    } else if (cfg.image_data_only) {
      Err(out, "chat.image.url", up(), "images must be base64 data URLs (data:image/...;base64,...), got " + Quote(u, 30));
    } else if (u.rfind("https://", 0) != 0 && u.rfind("http://", 0) != 0) {
      Err(out, "chat.image.url", up(), "image URL must be http(s) or a data: URL, got " + Quote(u, 30));
    }
  }

  static std::string NumberText(const rapidjson::Value& v) {
    if (v.IsInt64()) return std::to_string(v.GetInt64());
    if (v.IsUint64()) return std::to_string(v.GetUint64());
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v.GetDouble());
    return buf;
  }

  // `fp` makes the definition's path (only when there is a finding).
  template <typename Path>
  void CheckFunctionDef(const rapidjson::Value& fn, const Path& fp, plugin::Emitter& out) {
    if (!fn.IsObject()) {
      Err(out, "chat.tools.type", fp(), std::string("a function definition must be an object, not ") + TypeName(fn));
      return;
    }
    for (const auto& k : cfg.function_keys) {
      if (!Get(fn, k)) {
        Err(out, "chat.tools.missing_key", fp(), "function definition has no " + Quote(k) + " (required by this profile)");
      }
    }
    const rapidjson::Value* np[2];
    GetAll(fn, {"name", "parameters"}, np);
    const rapidjson::Value* name = np[0];
    if (!name || !name->IsString() || !ValidIdentifier(Str(*name))) {
      Err(out, "chat.tools.name", Key(fp(), "name"),
          name && name->IsString() ? "function name " + Quote(Str(*name)) + " must match [a-zA-Z0-9_-]{1,64}"
                                   : std::string("function has no string `name`"));
    } else {
      std::string_view n = Str(*name);
      if (!tool_names_.Insert(n)) {
        Err(out, "chat.tools.duplicate", Key(fp(), "name"), "function " + Quote(n) + " is defined twice");
      }
    }
    if (const rapidjson::Value* params = np[1]) {
      if (!params->IsObject()) {
        Err(out, "chat.tools.parameters", Key(fp(), "parameters"),
            std::string("`parameters` must be a JSON Schema object, not ") + TypeName(*params));
      } else {
        const rapidjson::Value* tpr[3];
        GetAll(*params, {"type", "properties", "required"}, tpr);
        const rapidjson::Value* type = tpr[0];
        if (type && !(type->IsString() && Str(*type) == "object")) {
          Err(out, "chat.tools.parameters", Key(Key(fp(), "parameters"), "type"),
              "`parameters.type` must be \"object\"");
        }
        const rapidjson::Value* props = tpr[1];
        if (props && !props->IsObject()) {
          Err(out, "chat.tools.parameters", Key(Key(fp(), "parameters"), "properties"),
              "`parameters.properties` must be an object");
        }
        const rapidjson::Value* req = tpr[2];
        if (req && !req->IsArray()) {
          Err(out, "chat.tools.parameters", Key(Key(fp(), "parameters"), "required"),
              "`parameters.required` must be an array");
        }
      }
    }
  }

  // `pf` makes the path of the list (only when there is a finding).
  template <typename Path>
  void CheckToolCalls(const rapidjson::Value& tc, const Path& pf, bool assistant, plugin::Emitter& out) {
    if (!cfg.tools) {
      Err(out, "chat.tool_calls.unsupported", pf(), "tool calls are not accepted by this profile");
      return;
    }
    if (!assistant) {
      Err(out, "chat.tool_calls.role", pf(), "only assistant messages may have `tool_calls`");
    }
    if (!tc.IsArray() || tc.Empty()) {
      Err(out, "chat.tool_calls.type", pf(),
          tc.IsArray() ? std::string("`tool_calls` is empty") : std::string("`tool_calls` must be an array, not ") + TypeName(tc));
      return;
    }
    for (size_t j = 0; j < tc.Size(); ++j) {
      const rapidjson::Value& c = tc[j];
      auto cp = [&] { return Index(pf(), j); };
      if (!c.IsObject()) {
        Err(out, "chat.tool_call.type", cp(), std::string("a tool call must be an object, not ") + TypeName(c));
        continue;
      }
      const rapidjson::Value* tif[3];
      GetAll(c, {"type", "id", "function"}, tif);
      const rapidjson::Value* type = tif[0];
      if (!type || !type->IsString() || Str(*type) != "function") {
        Err(out, "chat.tool_call.type", Key(cp(), "type"), "a tool call needs \"type\": \"function\"");
      }
      const rapidjson::Value* id = tif[1];
      if (!id || !id->IsString() || id->GetStringLength() == 0) {
        Err(out, "chat.tool_call.id", Key(cp(), "id"), "a tool call needs a non-empty string `id`");
      } else {
        std::string_view sid = Str(*id);  // a view into the record
        if (cfg.tool_call_id_pattern == "alnum9") {
          bool ok = sid.size() == 9;
          for (char ch : sid) ok = ok && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
          // mistral-common (finetuning mode) takes "null" for a call of the last message, which is not answered.
          if (sid == "null" && cur_msg_ + 1 == n_msgs_) {
            ok = true;
          } else if (sid == "null") {
            Err(out, "chat.tool_call.id", Key(cp(), "id"),
                "tool call id \"null\" is accepted only in the last message; an earlier call needs 9 letters or digits");
            ok = true;  // reported
          }
          if (!ok) {
            Err(out, "chat.tool_call.id", Key(cp(), "id"), "tool call id " + Quote(sid) + " must be 9 letters or digits");
          }
        }
        bool dup = false;
        for (const auto& k : calls_) dup = dup || k.id == sid;
        if (dup) {
          Err(out, "chat.tool_call.duplicate_id", Key(cp(), "id"), "tool call id " + Quote(sid) + " is used twice");
        } else {
          calls_.push_back({sid, cur_msg_, j});
        }
      }
      const rapidjson::Value* fn = tif[2];
      const rapidjson::Value* na[2];
      GetAll(fn ? *fn : c, {"name", "arguments"}, na);  // (c only to have something: fn == nullptr is reported)
      const rapidjson::Value* fname = na[0];
      if (!fn || !fn->IsObject() || !fname || !fname->IsString() || fname->GetStringLength() == 0) {
        Err(out, "chat.tool_call.function", Key(cp(), "function"), "a tool call needs `function.name`");
        continue;
      }
      if (!ValidIdentifier(Str(*fname))) {
        Err(out, "chat.tool_call.function", Key(Key(cp(), "function"), "name"),
            "function name " + Quote(Str(*fname)) + " must match [a-zA-Z0-9_-]{1,64}");
      } else if (have_tools_ && !tool_names_.Contains(Str(*fname))) {
        Warn(out, "chat.tool_call.undeclared", Key(Key(cp(), "function"), "name"),
             "function " + Quote(Str(*fname)) + " is not defined in `tools`");
      }
      const rapidjson::Value* args = na[1];
      auto ap = [&] { return Key(Key(cp(), "function"), "arguments"); };
      if (!args) {
        Err(out, "chat.tool_call.arguments", ap(), "a tool call needs `function.arguments`");
      } else if (!args->IsString()) {
        Err(out, "chat.tool_call.arguments", ap(),
            std::string("`arguments` must be a string holding JSON, not ") + TypeName(*args));
      } else if (!IsJsonText(Str(*args))) {
        Err(out, "chat.tool_call.arguments", ap(), "`arguments` is not valid JSON: " + Quote(Str(*args)));
      }
    }
  }

  std::vector<Call> calls_;
  NameSet answered_;    // tool call ids answered so far: views into the record being checked
  NameSet tool_names_;  // views into the record being checked
  bool have_tools_ = false;
  size_t cur_msg_ = 0, n_msgs_ = 0;
  Walk st_;
};

}  // namespace ftprep::rules

#endif  // FTPREP_VALIDATORS_COMMON_CHAT_CHECKS_H_
