// core/prepare/prepare.h — the analysis behind `ftprep prepare`: the checks of OpenAI's legacy
// prepare_data, in its order and with its thresholds, for prompt/completion data, and a guided flow for chat
// data. See ../shared/PREPARE-LEGACY.md for the behaviour mirrored and the legacy bugs not copied.
//
// Usage: load the examples, call AnalyzeCompletions (or AnalyzeChat); it applies necessary fixes at once,
// returns the messages to print and the optional fixes, each a closure applied later in check order. Fixes
// act on example identities (Example::id), never on positions. Not thread-safe.
#ifndef FTPREP_CORE_PREPARE_PREPARE_H_
#define FTPREP_CORE_PREPARE_PREPARE_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

namespace ftprep::prepare {

enum class Task { kOpenEnded, kClassification, kConditionalGeneration };
const char* TaskName(Task t);

struct Example {
  uint64_t id = 0;    // stable identity: 0-based ordinal in the input
  uint64_t line = 0;  // source line/row for messages
  std::string prompt, completion;
  std::string chat;   // chat data: the record's compact JSON (messages and other keys)
  bool removed = false;
};

struct Message {
  enum Kind { kInfo, kWarning, kError } kind = kInfo;
  std::string check;  // the check's own name, e.g. "completion_prefix"
  std::string text;   // shown as "- <text>"
};

struct Fix {
  std::string check;
  std::string id;           // unique among the fixes of one analysis: the check, or "lower_case.prompt"
  std::string description;  // "Remove 3 duplicate rows"
  bool necessary = false;
  std::function<void(std::vector<Example>&)> apply;  // optional fixes: applies it to every example still in
  // Prompt/completion fixes: the same on one example, looking at nothing else, so that it can also run record
  // by record in input order (the completions rule set's Fix). Empty for renames (see ReadTexts) and chat.
  std::function<void(Example&)> edit;
  bool applied = false;
  std::vector<uint64_t> rows;  // rows (lines) the fix touches, for the report
};

struct Analysis {
  std::vector<Message> messages;
  std::vector<Fix> fixes;  // necessary (already applied) and optional (to ask), in check order
  Task task = Task::kConditionalGeneration;
  bool failed = false;     // an error check failed: nothing is written
  size_t examples = 0;
};

// Input facts the analysis needs besides the examples.
struct Input {
  std::vector<std::string> columns;  // keys seen, in first-seen order (for the column checks)
  // Keys actually used for prompt/completion after case-insensitive matching ("" if missing).
  std::string prompt_key, completion_key;
  std::vector<uint64_t> null_prompt_rows, null_completion_rows;  // JSON null or key missing
  std::vector<uint64_t> non_string_rows;                         // numbers/booleans/objects made text
};

// Picks the prompt and completion keys from the keys seen, in first-seen order: exact, else ignoring case.
// `text_lines` (legacy TXT): each record's only key holds a completion; the prompt is empty.
Input MatchColumns(const std::vector<std::string>& columns, bool text_lines);
// The texts of one record under those keys: JSON null or a missing key reads as "", other non-strings as
// their JSON text. Sets the flags it met (for Input's row lists).
void ReadTexts(const rapidjson::Value& record, const Input& in, bool text_lines, Example* e, bool* null_prompt,
               bool* null_completion, bool* non_string);

// Runs checks 1-15 for prompt/completion data. `examples` is updated by necessary fixes.
// `token_count` (may be empty) gives the tokens of a text, for the long-example message.
Analysis AnalyzeCompletions(const Input& input, std::vector<Example>& examples,
                            const std::function<int64_t(const std::string&)>& token_count);

// Chat data: the same flow with chat checks (empty/untrained examples dropped as necessary fixes; roles
// normalised, consecutive same-role turns merged, whitespace trimmed, duplicates removed as optional ones).
Analysis AnalyzeChat(std::vector<Example>& examples);

// Helpers exposed for tests.
std::string CommonPrefix(const std::vector<const std::string*>& texts);
std::string CommonSuffix(const std::vector<const std::string*>& texts);
// train = max(n - 1000, floor(0.8 n)); shuffled with a fixed seed; valid = the rest in original order.
void LegacySplit(const std::vector<size_t>& kept, std::vector<size_t>* train, std::vector<size_t>* valid);

}  // namespace ftprep::prepare

#endif  // FTPREP_CORE_PREPARE_PREPARE_H_
