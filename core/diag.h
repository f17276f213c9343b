// core/diag.h — user-facing messages in the one format of DESIGN.md section 5:
//
//   ftprep <tool>: <file>:<line>[:<col>]: <severity>[<rule-id>]: <what> at <json.path>
//
// Diagnostics counts every finding per rule and prints only the first `max_per_rule` of each (the rest are
// counted and summarised). Messages go to stderr. Not thread-safe.
#ifndef FTPREP_CORE_DIAG_H_
#define FTPREP_CORE_DIAG_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "ftprep/record.h"

namespace ftprep {

enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };
const char* SeverityName(Severity s);

class Diagnostics {
 public:
  struct RuleCount {
    Severity severity = Severity::kError;
    uint64_t count = 0;
    uint64_t first_line = 0;
  };

  explicit Diagnostics(size_t max_per_rule = 20) : max_per_rule_(max_per_rule) {}
  void set_max_per_rule(size_t n) { max_per_rule_ = n; }
  void set_quiet(bool q) { quiet_ = q; }

  // A finding about a record.
  void Report(Severity sev, const Location& loc, std::string_view rule, std::string_view message,
              std::string_view path = {}, std::string_view excerpt = {});
  uint64_t errors() const { return errors_; }
  uint64_t warnings() const { return warnings_; }
  const std::map<std::string, RuleCount>& by_rule() const { return by_rule_; }
  // "... and N more" lines for rules over the limit.
  void PrintSuppressed() const;

 private:
  size_t max_per_rule_;
  bool quiet_ = false;
  uint64_t errors_ = 0, warnings_ = 0;
  std::map<std::string, RuleCount> by_rule_;
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
