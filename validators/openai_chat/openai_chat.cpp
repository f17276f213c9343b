// validators/openai_chat — rules of OpenAI-style chat SFT records ({"messages": [...], "tools": [...]}).
// The same rules, with other limits from the profile, serve Together, Mistral and Fireworks chat data.
#include "../common/chat_checks.h"

namespace {

const ftprep_rule_info kRules[] = {FTPREP_CHAT_RULES};

class OpenAiChat : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& config) override {
    chat_.cfg.Configure(config);
    return true;
  }
  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    const rapidjson::Value* msgs = ftprep::rules::Get(rec, "messages");
    if (msgs == nullptr) {
      out.Emit("chat.messages.missing", FTPREP_ERROR, "", "record has no `messages` array");
      return;
    }
    chat_.CheckRecordKeys(rec, out);
    chat_.CheckTools(rec, "", out);
    chat_.CheckMessages(*msgs, "messages", out);
  }

 private:
  ftprep::rules::ChatChecker chat_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules =
      ftprep::plugin::MakeRules<OpenAiChat>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "openai_chat", "1.0", &rules, "chat SFT records: roles, content, weights, tool calls, tools, images");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
