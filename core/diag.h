// core/diag.h — user-facing messages in the one format of DESIGN.md section 5:
//
//   ftprep <tool>: <file>:<line>[:<col>]: <severity>[<rule-id>]: <what> at <json.path>
//
// Diagnostics counts every finding per rule and prints only the first `max_per_rule` of each (the rest are
// counted and summarised). Messages go to stderr. Not thread-safe.
#ifndef FTPREP_CORE_DIAG_H_
#define FTPREP_CORE_DIAG_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/record.h"

namespace ftprep {

enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };
const char* SeverityName(Severity s);

// A rule id interned for the life of the process: one RuleId per distinct name, never freed, so findings can
// carry a pointer instead of a copy of the name, and per-rule tables can be indexed by `index` (dense, from 0).
struct RuleId {
  std::string name;
  uint32_t index = 0;
};
// The RuleId of `name` (created on first use). Thread-safe.
const RuleId* InternRule(std::string_view name);

class Diagnostics {
 public:
  struct RuleCount {
    Severity severity = Severity::kError;
    uint64_t count = 0;
    uint64_t first_line = 0;
  };

  explicit Diagnostics(size_t max_per_rule = 20);
  void set_max_per_rule(size_t n) { max_per_rule_ = n; }
  void set_quiet(bool q) { quiet_ = q; }

  // A finding about a record.
  void Report(Severity sev, const Location& loc, std::string_view rule, std::string_view message,
              std::string_view path = {}, std::string_view excerpt = {});
  // The same for an interned rule id (no lookup by name).
  void Report(Severity sev, const Location& loc, const RuleId* rule, std::string_view message,
              std::string_view path = {}, std::string_view excerpt = {});
  // Whether every later finding of `rule` will only be counted, not printed (quiet, or the rule has reached
  // --max-shown). Safe to call from any thread while another reports: once true it stays true, so a worker
  // may leave out the message of a finding about a record that has not been reported yet.
  bool OnlyCounted(const RuleId* rule) const {
    if (quiet_ || max_per_rule_ == 0) return true;
    return rule->index < kTracked && full_[rule->index].load(std::memory_order_relaxed);
  }
  uint64_t errors() const { return errors_; }
  uint64_t warnings() const { return warnings_; }
  const std::map<std::string, RuleCount, std::less<>>& by_rule() const { return by_rule_; }
  // "... and N more" lines for rules over the limit.
  void PrintSuppressed() const;

 private:
  static constexpr uint32_t kTracked = 1024;  // rule ids beyond this many are never left out early
  RuleCount& Count(Severity sev, const Location& loc, RuleCount& rc, uint32_t index);
  void Print(Severity sev, const Location& loc, std::string_view rule, std::string_view message,
             std::string_view path, std::string_view excerpt) const;

  size_t max_per_rule_;
  bool quiet_ = false;
  uint64_t errors_ = 0, warnings_ = 0;
  std::map<std::string, RuleCount, std::less<>> by_rule_;
  std::vector<RuleCount*> by_index_;                // interned index -> by_rule_ entry (nullptr: not yet)
  std::unique_ptr<std::atomic<bool>[]> full_;       // per interned index: reached max_per_rule_
};

// "ftprep <tool>: <message>" on stderr.
void Note(std::string_view message);
void Warning(std::string_view message);
// While `into` is set (not null), Note and Warning called on this thread append their lines to *into instead
// of printing them: the pipeline's reading thread uses it so that a reader's messages come out in input order
// with the records' findings, whatever the number of workers.
void DeferMessages(std::string* into);
// A short, single-line excerpt of possibly long/binary text for messages (control chars escaped).
std::string Excerpt(std::string_view text, size_t max_chars = 60);

}  // namespace ftprep

#endif  // FTPREP_CORE_DIAG_H_
