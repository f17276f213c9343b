// validators/openai_dpo — OpenAI preference (DPO) records:
//   {"input": {"messages": [...], "tools": [...]}, "preferred_output": [{"role": "assistant", ...}],
//    "non_preferred_output": [{"role": "assistant", ...}]}
// Each output is exactly one assistant message. The older `preferred_completion`/`non_preferred_completion`
// spellings are accepted with a warning. Together's preference format is the same shape.
#include "../common/chat_checks.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Key;
using ftprep::rules::Quote;

const ftprep_rule_info kRules[] = {
    FTPREP_CHAT_RULES,
    {"dpo.input.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "record has no `input` object"},
    {"dpo.input.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`input` is not an object with `messages`"},
    {"dpo.output.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a preferred or non-preferred output is missing"},
    {"dpo.output.type", FTPREP_ERROR, FTPREP_FIX_NONE, "an output is not an array of one message"},
    {"dpo.output.count", FTPREP_ERROR, FTPREP_FIX_NONE, "an output does not hold exactly one message"},
    {"dpo.output.role", FTPREP_ERROR, FTPREP_FIX_NONE, "an output message is not an assistant's"},
    {"dpo.output.content", FTPREP_ERROR, FTPREP_FIX_NONE, "an output message has no text content"},
    {"dpo.output.identical", FTPREP_WARNING, FTPREP_FIX_NONE, "preferred and non-preferred outputs are identical"},
    {"dpo.spelling.deprecated", FTPREP_WARNING, FTPREP_FIX_NONE, "older `*_completion` spelling of an output"},
    {"dpo.record.unknown_key", FTPREP_WARNING, FTPREP_FIX_NONE, "record has a top-level key the provider ignores"},
};

class OpenAiDpo : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& config) override {
    // The input is a prompt: it must not end with the assistant's answer and needs no assistant message.
    chat_.cfg.last_role = "";
    chat_.cfg.require_assistant = false;
    chat_.cfg.weight = false;
    chat_.cfg.Configure(config);
    return true;
  }

  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    for (const auto& m : rec.GetObject()) {
      std::string_view k = ftprep::rules::Str(m.name);
      if (k != "input" && k != "preferred_output" && k != "non_preferred_output" && k != "preferred_completion" &&
          k != "non_preferred_completion" && k != "metadata") {
        out.Emit("dpo.record.unknown_key", FTPREP_WARNING, Key("", k), "unknown top-level key " + Quote(k));
      }
    }
    const rapidjson::Value* input = Get(rec, "input");
    if (input == nullptr) {
      out.Emit("dpo.input.missing", FTPREP_ERROR, "", "record has no `input` object");
    } else if (!input->IsObject() || !Get(*input, "messages")) {
      out.Emit("dpo.input.type", FTPREP_ERROR, "input", "`input` must be an object with `messages`");
    } else {
      chat_.CheckTools(*input, "input", out);
      const rapidjson::Value& msgs = (*input)["messages"];
      if (chat_.CheckMessages(msgs, "input.messages", out) > 0) {
        const rapidjson::Value* role = Get(msgs[msgs.Size() - 1], "role");
        if (role && role->IsString() && ftprep::rules::Str(*role) == "assistant") {
          out.Emit("chat.last_role", FTPREP_ERROR, ftprep::rules::Index("input.messages", msgs.Size() - 1),
                   "the input must end with a user turn; the outputs hold the assistant's answer");
        }
      }
    }
    const rapidjson::Value* good = Output(rec, "preferred_output", "preferred_completion", out);
    const rapidjson::Value* bad = Output(rec, "non_preferred_output", "non_preferred_completion", out);
    if (good && bad && *good == *bad) {
      out.Emit("dpo.output.identical", FTPREP_WARNING, "non_preferred_output",
               "preferred and non-preferred outputs are identical; the pair teaches nothing");
    }
  }

 private:
  // Checks one output and returns its message (nullptr if unusable).
  const rapidjson::Value* Output(const rapidjson::Value& rec, const char* key, const char* old_key,
                                 ftprep::plugin::Emitter& out) {
    const rapidjson::Value* o = Get(rec, key);
    std::string p = key;
    if (o == nullptr) {
      o = Get(rec, old_key);
      if (o == nullptr) {
        out.Emit("dpo.output.missing", FTPREP_ERROR, "", std::string("record has no `") + key + "`");
        return nullptr;
      }
      p = old_key;
      out.Emit("dpo.spelling.deprecated", FTPREP_WARNING, p,
               std::string("`") + old_key + "` is the older spelling of `" + key + "`");
    }
    if (!o->IsArray()) {
      out.Emit("dpo.output.type", FTPREP_ERROR, p,
               "`" + p + "` must be an array holding one assistant message, not " + ftprep::rules::TypeName(*o));
      return nullptr;
    }
    if (o->Size() != 1) {
      out.Emit("dpo.output.count", FTPREP_ERROR, p,
               "`" + p + "` must hold exactly one message, not " + std::to_string(o->Size()));
      if (o->Empty()) return nullptr;
    }
    const rapidjson::Value& m = (*o)[0];
    std::string mp = ftprep::rules::Index(p, 0);
    if (!m.IsObject()) {
      out.Emit("dpo.output.type", FTPREP_ERROR, mp, "an output message must be an object");
      return nullptr;
    }
    const rapidjson::Value* role = Get(m, "role");
    if (!role || !role->IsString() || ftprep::rules::Str(*role) != "assistant") {
      out.Emit("dpo.output.role", FTPREP_ERROR, Key(mp, "role"), "an output message must have role \"assistant\"");
    }
    const rapidjson::Value* content = Get(m, "content");
    bool has_calls = Get(m, "tool_calls") != nullptr;
    if (!has_calls && (!content || !(content->IsString() || content->IsArray()))) {
      out.Emit("dpo.output.content", FTPREP_ERROR, Key(mp, "content"),
               "an output message needs string `content` (or tool calls)");
    }
    return &m;
  }

  ftprep::rules::ChatChecker chat_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<OpenAiDpo>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "openai_dpo", "1.0", &rules, "preference (DPO) records: input messages, one preferred and one non-preferred output");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
