// validators/dataset — rules over the whole file: too few examples, exact duplicates (after whitespace
// normalisation), the same prompt with different answers, class balance of classification-like data, and
// records that also appear in the validation file (--valid). Only 64-bit hashes (and short class labels) are
// kept, never records, so memory grows by ~24 bytes per distinct record.
//
// Config: "min_examples" (0 = off), "duplicates", "identical_prompts", "class_balance" (booleans),
// "max_class_ratio" (default 10), "valid_file" (a JSONL path; its records are hashed in Configure).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "../common/rule_util.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"dataset.min_examples", FTPREP_ERROR, FTPREP_FIX_NONE, "fewer examples than the provider's minimum"},
    {"dataset.duplicate", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "record repeats an earlier one (whitespace-normalised)"},
    {"dataset.prompt.identical", FTPREP_WARNING, FTPREP_FIX_NONE, "same prompt as an earlier record, other answer"},
    {"dataset.class_balance", FTPREP_WARNING, FTPREP_FIX_NONE, "classification-like data with very unequal classes"},
    {"dataset.valid_overlap", FTPREP_ERROR, FTPREP_FIX_NONE, "record also appears in the validation file"},
    {"dataset.valid_file", FTPREP_ERROR, FTPREP_FIX_NONE, "the validation file cannot be read"},
};

// Hashes a value with strings whitespace-normalised (runs collapsed, ends trimmed) and keys included.
uint64_t HashValue(const rapidjson::Value& v, uint64_t h, int depth = 0) {
  if (depth > 512) return h;
  switch (v.GetType()) {
    case rapidjson::kStringType: {
      std::string_view s = Str(v);
      h = ftprep::rules::Hash64("\x01", h);
      bool space = false, started = false;
      for (unsigned char c : s) {
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
          space = started;
          continue;
        }
        if (space) {
          h = (h ^ ' ') * 1099511628211ull;
          space = false;
        }
        started = true;
        h = (h ^ c) * 1099511628211ull;
      }
      return h;
    }
    case rapidjson::kObjectType:
      h = ftprep::rules::Hash64("\x02", h);
      for (const auto& m : v.GetObject()) {
        h = ftprep::rules::Hash64(Str(m.name), h);
        h = HashValue(m.value, ftprep::rules::Hash64(":", h), depth + 1);
      }
      return ftprep::rules::Hash64("}", h);
    case rapidjson::kArrayType:
      h = ftprep::rules::Hash64("\x03", h);
      for (const auto& e : v.GetArray()) h = HashValue(e, ftprep::rules::Hash64(",", h), depth + 1);
      return ftprep::rules::Hash64("]", h);
    case rapidjson::kNumberType: {
      char buf[40];
      if (v.IsInt64()) {
        std::snprintf(buf, sizeof(buf), "%lld", static_cast<long long>(v.GetInt64()));
      } else {
        std::snprintf(buf, sizeof(buf), "%.17g", v.GetDouble());
      }
      return ftprep::rules::Hash64(buf, h);
    }
    case rapidjson::kTrueType: return ftprep::rules::Hash64("t", h);
    case rapidjson::kFalseType: return ftprep::rules::Hash64("f", h);
    default: return ftprep::rules::Hash64("n", h);
  }
}

uint64_t Hash(const rapidjson::Value& v) { return ftprep::rules::Mix64(HashValue(v, 1469598103934665603ull)); }

// Splits a record into prompt and answer where the shape allows (chat, prompt/completion, preference).
bool PromptAnswer(const rapidjson::Value& rec, uint64_t* prompt, uint64_t* answer, std::string* label) {
  const rapidjson::Value* a = nullptr;
  uint64_t ph = 1469598103934665603ull;
  if (const rapidjson::Value* msgs = Get(rec, "messages"); msgs && msgs->IsArray() && !msgs->Empty()) {
    size_t last = msgs->Size() - 1;
    const rapidjson::Value* role = Get((*msgs)[last], "role");
    if (!role || !role->IsString() || Str(*role) != "assistant") return false;
    for (size_t i = 0; i < last; ++i) ph = HashValue((*msgs)[i], ph);
    a = Get((*msgs)[last], "content");
  } else if (const rapidjson::Value* p = Get(rec, "prompt"); p && Get(rec, "completion")) {
    ph = HashValue(*p, ph);
    a = Get(rec, "completion");
  } else {
    return false;
  }
  if (a == nullptr) return false;
  *prompt = ftprep::rules::Mix64(ph);
  *answer = Hash(*a);
  label->clear();
  if (a->IsString() && a->GetStringLength() <= 64) label->assign(Str(*a));
  return true;
}

class Dataset : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    min_examples_ = ftprep::rules::CfgInt(c, "min_examples", 0);
    duplicates_ = ftprep::rules::CfgBool(c, "duplicates", true);
    prompts_ = ftprep::rules::CfgBool(c, "identical_prompts", true);
    balance_ = ftprep::rules::CfgBool(c, "class_balance", true);
    max_ratio_ = ftprep::rules::CfgNum(c, "max_class_ratio", 10.0);
    valid_file_ = ftprep::rules::CfgStr(c, "valid_file", "");
    if (!valid_file_.empty()) LoadValid();
    return true;
  }

  void Check(const rapidjson::Value& rec, uint64_t line, ftprep::plugin::Emitter& out) override {
    ++n_;
    if (!valid_error_.empty()) {
      out.Emit("dataset.valid_file", FTPREP_ERROR, "", valid_error_);
      valid_error_.clear();
    }
    uint64_t h = Hash(rec);
    if (!valid_.empty()) {
      auto it = valid_.find(h);
      if (it != valid_.end()) {
        out.Emit("dataset.valid_overlap", FTPREP_ERROR, "",
                 "record also appears in the validation file " + valid_file_ + " at line " + std::to_string(it->second));
      }
    }
    if (duplicates_) {
      auto [it, fresh] = seen_.emplace(h, line);
      if (!fresh) {
        out.Emit("dataset.duplicate", FTPREP_WARNING, "", "duplicate of line " + std::to_string(it->second));
        return;  // a duplicate adds nothing to prompts or classes
      }
    }
    uint64_t ph, ah;
    std::string label;
    if (!PromptAnswer(rec, &ph, &ah, &label)) return;
    ++with_answer_;
    if (prompts_) {
      auto [it, fresh] = prompts_seen_.emplace(ph, std::make_pair(line, ah));
      if (!fresh && it->second.second != ah) {
        out.Emit("dataset.prompt.identical", FTPREP_WARNING, "",
                 "same prompt as line " + std::to_string(it->second.first) + " with another answer");
      }
    }
    if (balance_) {
      auto& cls = classes_[ah];
      if (cls.count++ == 0) cls.label = label;
    }
  }

  void Finish(ftprep::plugin::Emitter& out) override {
    if (min_examples_ > 0 && n_ < static_cast<uint64_t>(min_examples_)) {
      out.Emit("dataset.min_examples", FTPREP_ERROR, "",
               std::to_string(n_) + " example" + (n_ == 1 ? "" : "s") + "; at least " + std::to_string(min_examples_) +
                   " are required");
    }
    // prepare_data's test: classification when distinct answers are fewer than a third of the examples.
    if (balance_ && with_answer_ >= 10 && classes_.size() >= 2 && classes_.size() * 3 < with_answer_) {
      const Cls* lo = nullptr;
      const Cls* hi = nullptr;
      for (const auto& [h, c] : classes_) {
        if (!lo || c.count < lo->count) lo = &c;
        if (!hi || c.count > hi->count) hi = &c;
      }
      if (static_cast<double>(hi->count) > max_ratio_ * static_cast<double>(lo->count)) {
        out.Emit("dataset.class_balance", FTPREP_WARNING, "",
                 "classification-like data (" + std::to_string(classes_.size()) + " classes): " +
                     ftprep::rules::Quote(hi->label) + " has " + std::to_string(hi->count) + " examples, " +
                     ftprep::rules::Quote(lo->label) + " only " + std::to_string(lo->count));
      }
    }
  }

 private:
  struct Cls {
    uint64_t count = 0;
    std::string label;
  };

  void LoadValid() {
    std::ifstream in(valid_file_, std::ios::binary);
    if (!in) {
      valid_error_ = "cannot read the validation file " + valid_file_;
      return;
    }
    std::string line;
    uint64_t no = 0;
    rapidjson::Document d;
    while (std::getline(in, line)) {
      ++no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      d.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
      if (d.HasParseError()) continue;  // the validation file gets its own validate run
      valid_.emplace(Hash(d), no);
    }
  }

  int64_t min_examples_ = 0;
  bool duplicates_ = true, prompts_ = true, balance_ = true;
  double max_ratio_ = 10;
  std::string valid_file_, valid_error_;
  uint64_t n_ = 0, with_answer_ = 0;
  std::unordered_map<uint64_t, uint64_t> seen_, valid_;
  std::unordered_map<uint64_t, std::pair<uint64_t, uint64_t>> prompts_seen_;
  std::unordered_map<uint64_t, Cls> classes_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Dataset>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "dataset", "1.0", &rules, "whole-file rules: minimum size, duplicates, identical prompts, class balance, --valid overlap");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
