// validators/completions/prepare_rules.h — the completions rule set in `"legacy": true` mode: the 15 checks
// of OpenAI's legacy prepare_data (core/prepare, in their order and wording) as rules of this rule set, each
// with its necessary or optional fix. `ftprep prepare` runs them through the rule engine and asks about the
// fixes; `ftprep validate --profile prepare --fix` applies them without asking.
//
// Rule ids are "completions.prepare.<check>" (the legacy check's name: common_suffix, duplicated_rows, ...);
// "completions.prepare.task" says which task the data looks like; "completions.prepare.record" is the
// normalisation every record gets ({"prompt": text, "completion": text}, other keys dropped). The checks need
// the whole file, so this mode keeps every record's JSON until Finish.
#ifndef FTPREP_VALIDATORS_COMPLETIONS_PREPARE_RULES_H_
#define FTPREP_VALIDATORS_COMPLETIONS_PREPARE_RULES_H_

#include <string>
#include <string_view>
#include <vector>

#include "ftprep/plugin.hpp"
#include "prepare/prepare.h"

namespace ftprep::completions {

inline constexpr std::string_view kPrepareRule = "completions.prepare.";

// The rules of this mode, for the rule set's table.
extern const ftprep_rule_info kPrepareRules[];
extern const size_t kPrepareRuleCount;

class PrepareRules {
 public:
  explicit PrepareRules(bool text_lines) : text_lines_(text_lines) {}
  // Ordered side: keeps the record.
  void Consume(std::string_view json, uint64_t line);
  // Runs the checks over every record kept; emits their findings in check order.
  void Finish(plugin::Emitter& out);
  void Fixes(std::vector<plugin::FixOffer>* out) const;
  // Applies fix `rule` to one record (null when the fix leaves the record out).
  bool Fix(rapidjson::Document& rec, std::string_view rule);

 private:
  bool text_lines_;
  std::vector<std::string> columns_;  // keys in first-seen order
  std::vector<prepare::Example> examples_;
  prepare::Input in_;
  std::vector<prepare::Fix> fixes_;  // empty when a check failed: such data needs a person, not a fix
  bool fixable_ = false;             // the checks ran and none failed
};

}  // namespace ftprep::completions

#endif  // FTPREP_VALIDATORS_COMPLETIONS_PREPARE_RULES_H_
