// validators/tokens — token rules: an example longer than the model's training context, an example with no
// trained tokens, and the file's total over a limit. Tokens come from the host's tokenizer
// (ftprep_host.count_tokens). When the host has no tokenizer the rules do not pass silently: one
// `tokens.unavailable` finding says they were not checked.
//
// Config: "encoding" (default cl100k_base), "model" (for messages), "max_example_tokens", "max_total_tokens"
// (0 = off), "per_message" and "per_example" framing tokens of chat (defaults 3 and 3, as OpenAI's cookbook).
#include "../common/rule_util.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"tokens.example_too_long", FTPREP_ERROR, FTPREP_FIX_NONE, "example longer than the training context"},
    {"tokens.no_trained", FTPREP_ERROR, FTPREP_FIX_NONE, "example has no trained (assistant/completion) tokens"},
    {"tokens.total_limit", FTPREP_ERROR, FTPREP_FIX_NONE, "the file has more tokens than the provider accepts"},
    {"tokens.unavailable", FTPREP_WARNING, FTPREP_FIX_NONE, "token rules could not run: no tokenizer"},
};

class Tokens : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    encoding_ = ftprep::rules::CfgStr(c, "encoding", "cl100k_base");
    model_ = ftprep::rules::CfgStr(c, "model", "");
    max_example_ = ftprep::rules::CfgInt(c, "max_example_tokens", 0);
    max_total_ = ftprep::rules::CfgInt(c, "max_total_tokens", 0);
    per_message_ = ftprep::rules::CfgInt(c, "per_message", 3);
    per_example_ = ftprep::rules::CfgInt(c, "per_example", 3);
    // Probe once: without a tokenizer every rule here is moot, and counting zeros would invent findings.
    unavailable_ = !host || !host->count_tokens || host->count_tokens(host->ctx, encoding_.c_str(), "a", 1) < 0;
    return true;
  }

  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    if (unavailable_) return;
    int64_t total = 0, trained = 0;
    bool has_target = false;
    if (const rapidjson::Value* msgs = Get(rec, "messages"); msgs && msgs->IsArray()) {
      total += per_example_;
      for (const auto& m : msgs->GetArray()) Message(m, &total, &trained, &has_target);
    } else if (const rapidjson::Value* in = Get(rec, "input"); in && Get(*in, "messages")) {
      const rapidjson::Value& msgs = (*in)["messages"];
      total += per_example_;
      if (msgs.IsArray()) {
        for (const auto& m : msgs.GetArray()) Message(m, &total, nullptr, nullptr);
      }
      for (const char* k : {"preferred_output", "non_preferred_output"}) {
        const rapidjson::Value* o = Get(rec, k);
        if (o && o->IsArray()) {
          for (const auto& m : o->GetArray()) Message(m, &total, nullptr, nullptr);
        }
      }
    } else if (Get(rec, "prompt") && Get(rec, "completion")) {
      total += Count(*Get(rec, "prompt"));
      int64_t c = Count(*Get(rec, "completion"));
      total += c;
      trained += c;
      has_target = true;
    } else {
      total += All(rec, 0);
    }
    if (unavailable_) return;
    sum_ += total;
    if (max_example_ > 0 && total > max_example_) {
      out.Emit("tokens.example_too_long", FTPREP_ERROR, "",
               "example has " + std::to_string(total) + " tokens (" + encoding_ + "); the training context" +
                   (model_.empty() ? "" : " of " + model_) + " is " + std::to_string(max_example_));
    }
    if (has_target && trained == 0) {
      out.Emit("tokens.no_trained", FTPREP_ERROR, "", "example has no trained tokens (assistant/completion text is empty)");
    }
  }

  void Finish(ftprep::plugin::Emitter& out) override {
    if (unavailable_) {
      out.Emit("tokens.unavailable", FTPREP_WARNING, "",
               "token rules (training context, trained tokens, total tokens) were not checked: this ftprep has no " +
                   encoding_ + " tokenizer; run without --no-tokens once it does, or use `ftprep count`");
      return;
    }
    if (max_total_ > 0 && sum_ > max_total_) {
      out.Emit("tokens.total_limit", FTPREP_ERROR, "",
               "the file has " + std::to_string(sum_) + " tokens; the limit is " + std::to_string(max_total_));
    }
  }

 private:
  int64_t Count(const rapidjson::Value& v) {
    if (unavailable_) return 0;
    if (v.IsString()) {
      if (v.GetStringLength() == 0) return 0;
      long long n = host && host->count_tokens ? host->count_tokens(host->ctx, encoding_.c_str(), v.GetString(), v.GetStringLength()) : -1;
      if (n < 0) {
        unavailable_ = true;
        return 0;
      }
      return n;
    }
    if (v.IsArray()) {  // content parts: text only; images are priced differently and not counted here
      int64_t n = 0;
      for (const auto& p : v.GetArray()) {
        if (const rapidjson::Value* t = Get(p, "text")) n += Count(*t);
      }
      return n;
    }
    return 0;
  }

  int64_t All(const rapidjson::Value& v, int depth) {
    if (depth > 512) return 0;
    if (v.IsString()) return Count(v);
    int64_t n = 0;
    if (v.IsObject()) {
      for (const auto& m : v.GetObject()) n += All(m.value, depth + 1);
    } else if (v.IsArray()) {
      for (const auto& e : v.GetArray()) n += All(e, depth + 1);
    }
    return n;
  }

  void Message(const rapidjson::Value& m, int64_t* total, int64_t* trained, bool* has_target) {
    if (!m.IsObject()) return;
    int64_t n = per_message_;
    if (const rapidjson::Value* c = Get(m, "content")) n += Count(*c);
    if (const rapidjson::Value* name = Get(m, "name")) n += Count(*name) + 1;
    if (const rapidjson::Value* tc = Get(m, "tool_calls"); tc && tc->IsArray()) {
      for (const auto& call : tc->GetArray()) {
        const rapidjson::Value* fn = Get(call, "function");
        if (!fn) continue;
        if (const rapidjson::Value* a = Get(*fn, "name")) n += Count(*a);
        if (const rapidjson::Value* a = Get(*fn, "arguments")) n += Count(*a);
      }
    }
    if (const rapidjson::Value* fc = Get(m, "function_call"); fc && fc->IsObject()) {  // legacy form
      if (const rapidjson::Value* a = Get(*fc, "name")) n += Count(*a);
      if (const rapidjson::Value* a = Get(*fc, "arguments")) n += Count(*a);
    }
    *total += n;
    const rapidjson::Value* role = Get(m, "role");
    if (trained && role && role->IsString() && Str(*role) == "assistant") {
      *has_target = true;
      const rapidjson::Value* w = Get(m, "weight");
      if (!(w && w->IsInt() && w->GetInt() == 0)) *trained += n - per_message_;
    }
  }

  std::string encoding_, model_;
  int64_t max_example_ = 0, max_total_ = 0, per_message_ = 3, per_example_ = 3, sum_ = 0;
  bool unavailable_ = false;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Tokens>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "tokens", "1.0", &rules, "token rules: training context per example, trained tokens, total tokens");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
