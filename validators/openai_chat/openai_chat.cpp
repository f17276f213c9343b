// validators/openai_chat — rules of OpenAI-style chat SFT records ({"messages": [...], "tools": [...]}).
// The same rules, with other limits from the profile, serve Together, Mistral and Fireworks chat data.
#include "../common/chat_checks.h"

namespace {

const ftprep_rule_info kRules[] = {FTPREP_CHAT_RULES};

class OpenAiChat : public ftprep::plugin::RuleSet {
 public:
  // Config beyond ChatConfig: "messages_keys" and "tools_keys", the keys that may hold the messages and the
  // tool list (mistral-finetune reads "interactions" and "available_tools" too; one of each per record).
  bool Configure(const rapidjson::Value& config) override {
    chat_.cfg.Configure(config);
    messages_keys_ = ftprep::rules::CfgList(config, "messages_keys", {"messages"});
    tools_keys_ = ftprep::rules::CfgList(config, "tools_keys", {"tools"});
    if (messages_keys_.empty() || tools_keys_.empty()) {
      error_ = "messages_keys and tools_keys must not be empty";
      return false;
    }
    return true;
  }
  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    const char* mkey = Pick(rec, messages_keys_, "chat.messages.conflict", out);
    if (mkey == nullptr) {
      out.Emit("chat.messages.missing", FTPREP_ERROR, "",
               "record has no `" + ftprep::rules::ChatChecker::Join(messages_keys_, "` or `") + "` array");
      return;
    }
    chat_.CheckRecordKeys(rec, out);
    const char* tkey = Pick(rec, tools_keys_, "chat.tools.conflict", out);
    chat_.CheckTools(rec, "", out, tkey ? tkey : "tools");
    chat_.CheckMessages(*ftprep::rules::Get(rec, mkey), mkey, out);
  }

 private:
  // The first of `keys` present in `rec` (nullptr if none); a second one present is a `conflict` error.
  static const char* Pick(const rapidjson::Value& rec, const std::vector<std::string>& keys, const char* conflict,
                          ftprep::plugin::Emitter& out) {
    const char* found = nullptr;
    for (const auto& k : keys) {
      if (!ftprep::rules::Get(rec, k.c_str())) continue;
      if (found == nullptr) {
        found = k.c_str();
      } else {
        out.Emit(conflict, FTPREP_ERROR, k,
                 "record has both " + ftprep::rules::Quote(found) + " and " + ftprep::rules::Quote(k) + "; keep one");
      }
    }
    return found;
  }

  ftprep::rules::ChatChecker chat_;
  std::vector<std::string> messages_keys_, tools_keys_;
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
