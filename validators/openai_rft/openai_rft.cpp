// validators/openai_rft — OpenAI reinforcement fine-tuning records: a `messages` prompt that ends with a user
// (or tool) turn and has no assistant answer to imitate, optional tools, and any other top-level fields kept
// for the grader (e.g. "reference_answer"); the profile can require some of them.
#include "../common/chat_checks.h"

namespace {

const ftprep_rule_info kRules[] = {
    FTPREP_CHAT_RULES,
    {"rft.field.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a field the grader reads is missing"},
};

class OpenAiRft : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& config) override {
    // RFT prompts end with the user's turn; the grader, not an assistant message, says what is right.
    chat_.cfg.last_role = "user";
    chat_.cfg.require_assistant = false;
    chat_.cfg.weight = false;
    chat_.cfg.Configure(config);
    required_ = ftprep::rules::CfgList(config, "required_fields", {});
    return true;
  }
  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    const rapidjson::Value* msgs = ftprep::rules::Get(rec, "messages");
    if (msgs == nullptr) {
      out.Emit("chat.messages.missing", FTPREP_ERROR, "", "record has no `messages` array");
    } else {
      chat_.CheckTools(rec, "", out);
      chat_.CheckMessages(*msgs, "messages", out);
    }
    for (const auto& f : required_) {
      if (!rec.HasMember(f.c_str())) {
        out.Emit("rft.field.missing", FTPREP_ERROR, ftprep::rules::Key("", f),
                 "field " + ftprep::rules::Quote(f) + " that the grader reads is missing");
      }
    }
  }

 private:
  ftprep::rules::ChatChecker chat_;
  std::vector<std::string> required_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<OpenAiRft>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "openai_rft", "1.0", &rules, "reinforcement fine-tuning records: prompt ends with a user turn, grader fields");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
