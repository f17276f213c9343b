#include "prepare_rules.h"

#include <algorithm>

#include "ftprep/record.h"

namespace ftprep::completions {

const ftprep_rule_info kPrepareRules[] = {
    {"completions.prepare.record", FTPREP_INFO, FTPREP_FIX_NECESSARY,
     "prepare: every record becomes {prompt, completion} (null reads as \"\", other values as their JSON)"},
    {"completions.prepare.task", FTPREP_INFO, FTPREP_FIX_NONE,
     "prepare: the task the data looks like (open-ended, classification, conditional generation)"},
    {"completions.prepare.num_examples", FTPREP_INFO, FTPREP_FIX_NONE, "prepare: number of examples"},
    {"completions.prepare.necessary_column", FTPREP_ERROR, FTPREP_FIX_NECESSARY,
     "prepare: `prompt`/`completion` missing, or in another case (renamed)"},
    {"completions.prepare.additional_column", FTPREP_INFO, FTPREP_FIX_NECESSARY,
     "prepare: columns/keys besides prompt and completion (dropped)"},
    {"completions.prepare.missing_value", FTPREP_WARNING, FTPREP_FIX_NONE, "prepare: null or missing text"},
    {"completions.prepare.non_string_value", FTPREP_WARNING, FTPREP_FIX_NONE,
     "prepare: a number, boolean or object as text"},
    {"completions.prepare.non_empty_completion", FTPREP_INFO, FTPREP_FIX_NECESSARY,
     "prepare: empty completions (removed)"},
    {"completions.prepare.classification", FTPREP_INFO, FTPREP_FIX_NONE,
     "prepare: the data looks like classification"},
    {"completions.prepare.duplicated_rows", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: duplicated prompt-completion pairs (the first is kept)"},
    {"completions.prepare.long_examples", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: examples over 10,000 characters"},
    {"completions.prepare.lower_case", FTPREP_INFO, FTPREP_FIX_NONE,
     "prepare: a column is mostly upper case"},
    {"completions.prepare.lower_case.prompt", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: lowercase the prompts"},
    {"completions.prepare.lower_case.completion", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: lowercase the completions"},
    {"completions.prepare.common_suffix", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: the prompts' common separator, or one to add"},
    {"completions.prepare.identical_prompts", FTPREP_ERROR, FTPREP_FIX_NONE,
     "prepare: every prompt is the same"},
    {"completions.prepare.common_prefix", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: a prefix every prompt starts with (removed)"},
    {"completions.prepare.completion_prefix", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: a prefix every completion starts with (removed)"},
    {"completions.prepare.completion_suffix", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: the completions' common ending, or one to add"},
    {"completions.prepare.identical_completions", FTPREP_ERROR, FTPREP_FIX_NONE,
     "prepare: every completion is the same"},
    {"completions.prepare.completion_space_start", FTPREP_INFO, FTPREP_FIX_OPTIONAL,
     "prepare: completions that do not start with a space"},
};
const size_t kPrepareRuleCount = sizeof(kPrepareRules) / sizeof(kPrepareRules[0]);

namespace {

int SeverityOf(prepare::Message::Kind k) {
  return k == prepare::Message::kError     ? FTPREP_ERROR
         : k == prepare::Message::kWarning ? FTPREP_WARNING
                                           : FTPREP_INFO;
}

// A record already in the written form: exactly {"prompt": string, "completion": string}.
bool Canonical(const rapidjson::Value& rec, prepare::Example* e) {
  if (!rec.IsObject() || rec.MemberCount() != 2) return false;
  auto it = rec.MemberBegin();
  const auto& p = it[0];
  const auto& c = it[1];
  if (std::string_view(p.name.GetString(), p.name.GetStringLength()) != "prompt" || !p.value.IsString() ||
      std::string_view(c.name.GetString(), c.name.GetStringLength()) != "completion" || !c.value.IsString()) {
    return false;
  }
  e->prompt.assign(p.value.GetString(), p.value.GetStringLength());
  e->completion.assign(c.value.GetString(), c.value.GetStringLength());
  return true;
}

}  // namespace

void PrepareRules::Consume(std::string_view json, uint64_t line) {
  rapidjson::Document d;
  ParseRecordJson(d, json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return;
  for (const auto& m : d.GetObject()) {
    std::string k(m.name.GetString(), m.name.GetStringLength());
    if (std::find(columns_.begin(), columns_.end(), k) == columns_.end()) columns_.push_back(std::move(k));
  }
  prepare::Example e;
  e.id = examples_.size();
  e.line = line;
  e.chat.assign(json);
  examples_.push_back(std::move(e));
}

void PrepareRules::Finish(plugin::Emitter& out) {
  if (examples_.empty()) return;
  in_ = prepare::MatchColumns(columns_, text_lines_);
  for (auto& e : examples_) {
    rapidjson::Document d;
    ParseRecordJson(d, e.chat.data(), e.chat.size());
    bool np = false, nc = false, ns = false;
    prepare::ReadTexts(d, in_, text_lines_, &e, &np, &nc, &ns);
    if (np) in_.null_prompt_rows.push_back(e.line);
    if (nc) in_.null_completion_rows.push_back(e.line);
    if (ns) in_.non_string_rows.push_back(e.line);
    std::string().swap(e.chat);
  }
  prepare::Analysis a = prepare::AnalyzeCompletions(in_, examples_, nullptr);
  out.Emit("completions.prepare.task", FTPREP_INFO, "", prepare::TaskName(a.task));
  for (const auto& m : a.messages) {
    out.Emit((std::string(kPrepareRule) + m.check).c_str(), SeverityOf(m.kind), "", m.text);
  }
  fixable_ = !a.failed;
  if (fixable_) fixes_ = std::move(a.fixes);
  std::vector<prepare::Example>().swap(examples_);
}

void PrepareRules::Fixes(std::vector<plugin::FixOffer>* out) const {
  if (!fixable_) return;
  out->push_back({std::string(kPrepareRule) + "record", "", true, {}});
  for (const auto& f : fixes_) {
    out->push_back({std::string(kPrepareRule) + f.id, f.description, f.necessary, f.rows});
  }
}

bool PrepareRules::Fix(rapidjson::Document& rec, std::string_view rule) {
  if (rule.substr(0, kPrepareRule.size()) != kPrepareRule || !rec.IsObject()) return false;
  std::string_view id = rule.substr(kPrepareRule.size());
  const prepare::Fix* fix = nullptr;
  for (const auto& f : fixes_) {
    if (f.id == id) fix = &f;
  }
  if (!fixable_ || (fix == nullptr && id != "record")) return false;
  prepare::Example e;
  bool canonical = Canonical(rec, &e);
  if (!canonical) {
    bool np, nc, ns;
    prepare::ReadTexts(rec, in_, text_lines_, &e, &np, &nc, &ns);
  }
  const std::string p = e.prompt, c = e.completion;
  if (fix != nullptr && fix->edit) fix->edit(e);
  if (e.removed) {
    rec.SetNull();
    return true;
  }
  if (canonical && e.prompt == p && e.completion == c) return false;
  auto& al = rec.GetAllocator();
  rec.SetObject();
  rec.AddMember("prompt",
                rapidjson::Value(e.prompt.data(), static_cast<rapidjson::SizeType>(e.prompt.size()), al), al);
  rec.AddMember(
      "completion",
      rapidjson::Value(e.completion.data(), static_cast<rapidjson::SizeType>(e.completion.size()), al), al);
  return true;
}

}  // namespace ftprep::completions
