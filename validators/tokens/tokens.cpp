// validators/tokens — token rules: an example longer than the model's training context, an example with no
// trained tokens, and the file's total over a limit. Tokens come from the host's tokenizer
// (ftprep_host.count_tokens). When the host has no tokenizer the rules do not pass silently: one
// `tokens.unavailable` finding says they were not checked.
//
// Config: "encoding" (default cl100k_base), "model" (for messages), "max_example_tokens", "max_total_tokens"
// (0 = off), "per_message" and "per_example" framing tokens of chat (defaults 3 and 3, as OpenAI's cookbook).
#include <cstring>

#include "../common/rule_util.h"
#include "utf8.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"tokens.example_too_long", FTPREP_ERROR, FTPREP_FIX_NONE, "example longer than the training context"},
    {"tokens.no_trained", FTPREP_ERROR, FTPREP_FIX_NONE, "example has no trained (assistant/completion) tokens"},
    {"tokens.total_limit", FTPREP_ERROR, FTPREP_FIX_NONE, "the file has more tokens than the provider accepts"},
    {"tokens.unavailable", FTPREP_WARNING, FTPREP_FIX_NONE, "token rules could not run: no tokenizer"},
};

class Tokens : public ftprep::plugin::DatasetRuleSet {
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

  // Worker side. The digest is the example's token count (for tokens.total_limit), or empty when not needed.
  void Digest(const rapidjson::Value& rec, uint64_t, std::string* digest, ftprep::plugin::Emitter& out) override {
    if (unavailable_) return;
    // Every token of these byte-level encodings covers at least one byte of valid UTF-8 (an invalid byte
    // becomes the 3 bytes of U+FFFD first), so the UTF-8 length bounds the count: an example whose bound is
    // within the training context cannot exceed it, and only the total limit needs exact counts. "Has no
    // trained tokens" only asks whether the trained texts are all empty, which the bound run answers too.
    Tally bound = Walk(rec, Mode::kBytes);
    bool exact;
    if (max_total_ > 0) {
      exact = true;
    } else if (max_example_ <= 0 || bound.total * 3 <= max_example_) {
      exact = false;  // within the context even if every byte were invalid (3 bytes of U+FFFD each)
    } else if (bound.total <= max_example_) {
      exact = Walk(rec, Mode::kUtf8Check).invalid;
    } else {
      exact = true;
    }
    Tally t = exact ? Walk(rec, Mode::kTokens) : bound;
    if (unavailable_) return;
    if (max_total_ > 0) digest->assign(reinterpret_cast<const char*>(&t.total), sizeof(t.total));
    if (max_example_ > 0 && t.total > max_example_) {
      out.Emit("tokens.example_too_long", FTPREP_ERROR, "",
               "example has " + std::to_string(t.total) + " tokens (" + encoding_ + "); the training context" +
                   (model_.empty() ? "" : " of " + model_) + " is " + std::to_string(max_example_));
    }
    if (t.has_target && t.trained == 0) {
      out.Emit("tokens.no_trained", FTPREP_ERROR, "", "example has no trained tokens (assistant/completion text is empty)");
    }
  }

  // Ordered side: the file's total.
  void Consume(std::string_view digest, uint64_t, ftprep::plugin::Emitter&) override {
    int64_t n = 0;
    if (digest.size() == sizeof(n)) std::memcpy(&n, digest.data(), sizeof(n));
    sum_ += n;
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
  enum class Mode { kTokens, kBytes, kUtf8Check };
  struct Tally {
    int64_t total = 0, trained = 0;
    bool has_target = false, invalid = false;
  };

  // The example's tokens (kTokens), or its UTF-8 byte length as an upper bound (kBytes; kUtf8Check also
  // notes invalid UTF-8, where the bound does not hold).
  Tally Walk(const rapidjson::Value& rec, Mode mode) {
    mode_ = mode;
    invalid_ = false;
    Tally t;
    if (const rapidjson::Value* msgs = Get(rec, "messages"); msgs && msgs->IsArray()) {
      t.total += per_example_;
      for (const auto& m : msgs->GetArray()) Message(m, &t.total, &t.trained, &t.has_target);
    } else if (const rapidjson::Value* in = Get(rec, "input"); in && Get(*in, "messages")) {
      const rapidjson::Value& msgs = (*in)["messages"];
      t.total += per_example_;
      if (msgs.IsArray()) {
        for (const auto& m : msgs.GetArray()) Message(m, &t.total, nullptr, nullptr);
      }
      for (const char* k : {"preferred_output", "non_preferred_output"}) {
        const rapidjson::Value* o = Get(rec, k);
        if (o && o->IsArray()) {
          for (const auto& m : o->GetArray()) Message(m, &t.total, nullptr, nullptr);
        }
      }
    } else if (Get(rec, "prompt") && Get(rec, "completion")) {
      t.total += Count(*Get(rec, "prompt"));
      int64_t c = Count(*Get(rec, "completion"));
      t.total += c;
      t.trained += c;
      t.has_target = true;
    } else {
      t.total += All(rec, 0);
    }
    t.invalid = invalid_;
    return t;
  }

  int64_t Count(const rapidjson::Value& v) {
    if (unavailable_) return 0;
    if (v.IsString()) {
      if (v.GetStringLength() == 0) return 0;
      if (mode_ != Mode::kTokens) {
        if (mode_ == Mode::kUtf8Check && !invalid_) invalid_ = !ftprep::IsValidUtf8(Str(v));
        return v.GetStringLength();
      }
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
    // The members read here, found in one pass (the first of each name, as Get finds it).
    const rapidjson::Value* f[6];
    ftprep::rules::GetAll(m, {"content", "name", "tool_calls", "function_call", "role", "weight"}, f);
    int64_t n = per_message_;
    if (const rapidjson::Value* c = f[0]) n += Count(*c);
    if (const rapidjson::Value* name = f[1]) n += Count(*name) + 1;
    if (const rapidjson::Value* tc = f[2]; tc && tc->IsArray()) {
      for (const auto& call : tc->GetArray()) {
        const rapidjson::Value* fn = Get(call, "function");
        if (!fn) continue;
        if (const rapidjson::Value* a = Get(*fn, "name")) n += Count(*a);
        if (const rapidjson::Value* a = Get(*fn, "arguments")) n += Count(*a);
      }
    }
    if (const rapidjson::Value* fc = f[3]; fc && fc->IsObject()) {  // legacy form
      if (const rapidjson::Value* a = Get(*fc, "name")) n += Count(*a);
      if (const rapidjson::Value* a = Get(*fc, "arguments")) n += Count(*a);
    }
    *total += n;
    const rapidjson::Value* role = f[4];
    if (trained && role && role->IsString() && Str(*role) == "assistant") {
      *has_target = true;
      const rapidjson::Value* w = f[5];
      if (!(w && w->IsInt() && w->GetInt() == 0)) *trained += n - per_message_;
    }
  }

  std::string encoding_, model_;
  int64_t max_example_ = 0, max_total_ = 0, per_message_ = 3, per_example_ = 3, sum_ = 0;
  bool unavailable_ = false, invalid_ = false;
  Mode mode_ = Mode::kTokens;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Tokens>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "tokens", "1.0", &rules, "token rules: training context per example, trained tokens, total tokens");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
