// core/clean/cleaner.h — applies the configured cleaning steps to records, counting every change.
//
// A Cleaner owns the per-run state (dedup sets, per-step counts, report examples). For each record it visits
// the text fields (core/schema.h ForEachText: message contents, prompt/completion, preference outputs,
// text_list items, ...; or exactly the --field paths), runs the text steps in a fixed order, then the
// record-level filters, and says whether to keep or drop the record and why. It modifies the record's
// document only when a step changes something, and then calls Touch(); untouched records keep their
// original bytes. Step order:
//
//   clean.mojibake, clean.invisible, clean.unicode, clean.ascii_quotes, clean.line_endings, clean.whitespace,
//   clean.lowercase, clean.remove_prefix, clean.add_prefix, clean.add_suffix, clean.secret, clean.pii   (text)
//   clean.refusal, clean.length, clean.empty, clean.dedup.exact, clean.dedup.near                      (record)
//
// Prepare (the per-record half) runs on several threads at once; Commit (counts, examples, dedup) in input
// order on one thread; Process does both for one record.
#ifndef FTPREP_CORE_CLEAN_CLEANER_H_
#define FTPREP_CORE_CLEAN_CLEANER_H_

#include <rapidjson/document.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clean/dedup.h"
#include "clean/filters.h"
#include "clean/text.h"
#include "ftprep/record.h"
#include "ftprep/status.h"
#include "jsonpath.h"

namespace ftprep {
class Tokenizer;
}

namespace ftprep::clean {

enum class Action { kOff, kRedact, kDrop };

struct CleanOptions {
  // Text steps.
  bool fix_mojibake = false;
  bool strip_invisible = true;
  UnicodeForm unicode = UnicodeForm::kNfc;
  bool ascii_quotes = false;
  bool line_endings = true;
  WhitespaceMode whitespace = WhitespaceMode::kTrim;
  // --whitespace not given: the mode above applies only to conversation turns (chat, preference, ShareGPT,
  // Gemini, Bedrock message texts). Prompt/completion, text, text_list, Alpaca texts and --field paths keep
  // their leading/trailing whitespace, which is meaning there (a prompt separator, a completion's leading
  // space or stop sequence).
  bool whitespace_default = true;
  // Legacy prepare_data fixes. A selector is a role ("prompt", "completion", "user", "assistant", "system",
  // ...) or an exact JSON path ("messages[0].content").
  std::vector<std::string> lowercase;
  std::vector<std::pair<std::string, std::string>> remove_prefix, add_prefix, add_suffix;  // selector, text
  // Content filters.
  Action secrets = Action::kOff;
  Action pii = Action::kOff;
  unsigned pii_kinds = kPiiAll;
  bool refusals = false;  // drop records whose trained text contains a listed phrase
  PhraseList phrases;
  // Length filters (0 = no limit). Chars are Unicode code points; tokens are those of `encoding` (each
  // text counted on its own, without chat framing).
  uint64_t min_chars = 0, max_chars = 0, min_tokens = 0, max_tokens = 0;
  bool length_per_field = false;  // else per example (sum over the record's texts)
  bool truncate = false;          // over-long: truncate (at a grapheme/token boundary) instead of dropping
  std::string encoding = "o200k_base";
  // Empty / untrained.
  bool drop_empty = true;
  // Dedup.
  bool dedup = false;
  bool near_dedup = false;
  std::vector<std::vector<PathStep>> dedup_key;  // empty = the record's texts (with roles)
  NearDedupOptions near;
  // Which texts: empty = the schema's content texts; else exactly these paths.
  std::vector<std::vector<PathStep>> fields;
  std::vector<std::string> field_names;
  size_t examples = 3;             // report examples per step
  size_t max_pair_findings = 1000;  // near-duplicate pairs listed in the report
};

struct StepCount {
  uint64_t changed = 0;  // records changed by the step
  uint64_t dropped = 0;  // records dropped by the step
  uint64_t fields = 0;   // text fields changed (or spans redacted)
};

// A report example a step gave for one record, captured where the record is cleaned and kept (the first
// CleanOptions::examples per step, in input order) by Cleaner::Commit.
struct StepExample {
  const char* rule = "";    // a StepIds() id
  const char* action = "";  // "changed" or "dropped"
  std::string path, message;
  bool texts = false;         // before (and, when changed, after) are set
  std::string before, after;  // ShowText windows around the first difference
};

struct Decision {
  bool drop = false;
  bool changed = false;
  // A filter had to read a text that cannot be read (kUnreadableRule, core/schema.h): the record is not
  // measured as if that text were empty; the caller reports it as unreadable (rule, message, path).
  bool unreadable = false;
  std::string rule, message, path;                         // why it was dropped
  std::vector<std::pair<std::string, std::string>> changes;  // (rule, path) of every field change
  // From Cleaner::Prepare to Cleaner::Commit:
  std::vector<const char*> touched;  // steps that changed the record, once each, in order
  std::vector<StepExample> examples;
  bool keyed = false;  // key_hash is the exact-dedup key
  uint64_t key_hash = 0;
  bool has_signature = false;  // signature is the near-dedup MinHash of the record's texts
  NearDedup::Signature signature;
  void Reset();
};

// `base` with every step switched off except `rule` (a StepIds() id); false if the rule has no in-place fix.
bool OnlyStep(const CleanOptions& base, std::string_view rule, CleanOptions* out);

// The step ids in order (for listings and the rule plugin).
const std::vector<std::string>& StepIds();

class Cleaner {
 public:
  explicit Cleaner(CleanOptions opts);
  ~Cleaner();
  // Loads the tokenizer when token limits are set (--encoding: an encoding or a model name).
  Status Init();
  // Working memory for Prepare: one per thread.
  class Scratch;
  std::unique_ptr<Scratch> NewScratch() const;
  // The per-record half, safe on several threads at once (each with its own Scratch): text steps, record
  // filters (refusal, length, empty) and the dedup key of one parsed record (rec.parse_ok() must hold).
  void Prepare(Record& rec, Decision* d, Scratch* scratch) const;
  // The whole-file half, in input order on one thread: counts, report examples, exact and near dedup (which
  // may turn the decision into a drop).
  void Commit(const Record& rec, Decision* d);
  // Both halves for one record (one thread).
  Decision Process(Record& rec);
  // A record whose bytes were invalid UTF-8 was repaired before parsing: count it (in input order).
  void CountUtf8Repair(const Location& loc, std::string_view before, std::string_view after);

  const std::map<std::string, StepCount>& counts() const { return counts_; }
  // Report examples and near-duplicate findings as JSON objects (each with file, line, rule, ...).
  rapidjson::Document& findings() { return findings_; }
  size_t dedup_memory_bytes() const { return exact_.memory_bytes() + near_.memory_bytes() + near_locs_.capacity() * 16; }
  uint64_t near_clusters() const { return near_cluster_count_; }
  const CleanOptions& options() const { return opts_; }

 private:
  struct Field {
    rapidjson::Value* value;
    std::string path;
    std::string role;
    bool trained;
    bool content;  // cleaned by text steps (else only scanned for secrets/PII)
    bool turn;     // a conversation turn's text (see CleanOptions::whitespace_default)
  };

 public:
  // Per-thread working memory, reused from record to record: no allocation per field once it has grown.
  class Scratch {
   public:
    std::vector<Field> fields;
    std::string cur, out, key, near_text, kept_prefix, kept_suffix;
    unsigned counted = 0;  // bit per step already counted for the current field
  };

 private:
  // The first content part of a record that cannot be read (TextKind::kUnreadable), if any.
  struct Unreadable {
    bool any = false;
    std::string path, what;
  };
  struct Pending;  // a secret/PII drop decided during the text steps
  WhitespaceMode WhitespaceFor(const Field& f) const {
    return opts_.whitespace_default && !f.turn ? WhitespaceMode::kKeep : opts_.whitespace;
  }
  void Collect(Record& rec, std::vector<Field>* fields, Unreadable* unreadable) const;
  // Does a record filter read the texts (so an unreadable one must be reported, not taken as empty)?
  bool FiltersReadTexts() const;
  bool Selected(const std::vector<std::string>& sels, const Field& f) const;
  bool Selected(const std::string& sel, const Field& f) const;
  bool CleanField(Field& f, Decision* d, Scratch* s, Pending* pending) const;
  void NormaliseText(const Field& f, Decision* d, Scratch* s, bool* changed) const;
  void PrefixSteps(const Field& f, Decision* d, Scratch* s, bool* changed) const;
  bool Redact(const Field& f, Decision* d, Scratch* s, Pending* pending, bool* changed) const;
  bool Filters(Record& rec, std::vector<Field>& fields, const Unreadable& unreadable, Decision* d) const;
  bool LengthFilter(Record& rec, std::vector<Field>& fields, Decision* d) const;
  void DedupKey(Record& rec, const std::vector<Field>& fields, Decision* d, Scratch* s) const;
  void NearDuplicate(const Record& rec, Decision* d);
  void Changed(const char* rule, const Field& f, std::string_view before, std::string_view after, Decision* d) const;
  bool Drop(const char* rule, std::string message, const std::string& path, std::string_view text, Decision* d) const;
  void Capture(const char* rule, const std::string& path, const char* action, std::string_view before,
               std::string_view after, const std::string& message, Decision* d) const;
  void AddExample(const Location& loc, const StepExample& e);
  long long Tokens(std::string_view text) const;
  size_t TruncateTokens(std::string_view text, uint64_t max) const;
  uint64_t Length(std::string_view text) const;

  CleanOptions opts_;
  std::map<std::string, StepCount> counts_;
  // Report examples given so far per StepIds() index; read by Prepare on other threads (only to skip
  // capturing examples that can no longer be used: the count never goes down).
  std::unique_ptr<std::atomic<size_t>[]> example_counts_;
  rapidjson::Document findings_;
  HashSet exact_;
  NearDedup near_;
  struct Loc {
    uint32_t file;
    uint64_t line;
  };
  std::vector<Loc> near_locs_;
  std::vector<std::string> files_;
  std::map<uint64_t, size_t> near_cluster_size_;  // kept id -> members (incl. itself)
  uint64_t near_cluster_count_ = 0;
  size_t near_findings_ = 0;
  std::unique_ptr<Scratch> scratch_;  // for Process
  const Tokenizer* tokenizer_ = nullptr;
};

// Recomputes report["derived"] (dropped/changed fractions) from report["counts"]; registered as the
// report deriver of tool "clean", so merged shard reports get it too.
void DeriveReport(rapidjson::Document& report);

// A readable window of `text` around byte `at` for reports: invisible and control characters are shown as
// \u{XXXX}, long texts are cut with "…".
std::string ShowText(std::string_view text, size_t at, size_t max_chars = 80);

}  // namespace ftprep::clean

#endif  // FTPREP_CORE_CLEAN_CLEANER_H_
