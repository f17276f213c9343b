// core/split/run.h — `ftprep split` end to end, without the command line: reads records, decides the split of
// each one (split/plan.h) and writes every record's bytes unchanged to its output(s).
//
// Two passes in bounded memory: pass 1 reads the input once through the core reader (any format, stdin
// included) and appends each record's JSON line to an unlinked temporary spool file (split/spool.h), keeping
// 8 bytes per record (its offset) plus what the mode needs; the plan is then computed; pass 2 reads the
// records back by offset, in input order (--keep-order) or in a seeded random order, into the outputs.
// Memory per record, besides ~ a few MiB of buffers and the largest record:
//   ratio / counts / holdout / fraction / shuffle   8 (offset) + 1 (split) + 4 (order; 0 with keep-order)
//   --stratify                                      + 4 while planning (label id), freed before pass 2
//   --group                                         + 4 while planning (group id), + ~24 per distinct group
//   --nested                                        8 + 1 + 4 (the one permutation that makes sets nested)
//   --sample N                                      8 per record + 4 per sampled record
//   --by-hash (input order)                         nothing: records stream straight to their outputs
// Keys (labels, groups) are compared by a 64-bit hash of their text; for 2^32 distinct keys the chance of
// any collision is below 1e-9.
// Not thread-safe: records come in input order from one thread.
#ifndef FTPREP_CORE_SPLIT_RUN_H_
#define FTPREP_CORE_SPLIT_RUN_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/reader.h"
#include "ftprep/record.h"
#include "ftprep/status.h"
#include "ftprep/writer.h"
#include "split/key.h"

namespace ftprep::split {

enum class Mode { kRatio, kCounts, kHoldout, kNested, kSample, kSampleFraction, kShuffle };

struct SplitOptions {
  Mode mode = Mode::kRatio;
  std::vector<double> ratios;     // kRatio (and --by-hash)
  std::vector<int64_t> counts;    // kCounts; kRest = the remainder
  std::vector<uint64_t> nested;   // kNested: ascending sizes
  uint64_t test = 0;              // kNested: size of the shared test set
  uint64_t sample = 0;            // kSample
  double fraction = 0;            // kSampleFraction
  std::string stratify, group, by_hash;  // key paths (at most one)
  uint64_t seed = 42;
  bool keep_order = false;        // records keep their input order inside each output
  std::string tmp_dir;            // spool directory ("" = $TMPDIR or /tmp)
};

// How many outputs a mode writes (nested: one per size plus the test set, last).
size_t OutputCount(const SplitOptions& opts);
// Checks option combinations before any input is read.
Status CheckOptions(const SplitOptions& opts);

// A record's token count as the split's report sees it (split/tokens.h).
inline constexpr uint32_t kUntokenized = 0xFFFFFFFFu;  // a shape the counter does not know, a tokenizer limit
inline constexpr uint32_t kUnreadable = 0xFFFFFFFEu;   // content that cannot be read (reported by the caller)
inline constexpr uint32_t kMaxRecordTokens = 0xFFFFFFFDu;

struct SplitStats {
  uint64_t records_in = 0;  // records read (good and bad)
  uint64_t rejected = 0;    // bad records and records without a key
  uint64_t dropped = 0;     // good records in no output
  uint64_t keys = 0;        // distinct strata / groups
  uint64_t unreadable = 0;  // records whose tokens could not be counted: content that cannot be read
  bool streamed = false;    // --by-hash in input order: no spool
  std::vector<uint64_t> records, bytes;         // per output
  std::vector<uint64_t> tokens, untokenized;    // per output (when token totals are on)
  uint64_t unreadable_written = 0;  // of the untokenized records written, those with unreadable content
};

// The split itself, fed the good records in input order (the caller reads them, rejects the bad ones and
// those without a key, and counts tokens: see tools/split.cpp). Streams straight to the outputs for --by-hash
// in input order; otherwise spools the records (pass 1) and writes them out in Finish (plan, then pass 2).
class Splitter {
 public:
  // `outputs`: OutputCount(opts) of them, not owned. `count_tokens`: Add gets each record's tokens.
  Splitter(const SplitOptions& opts, std::vector<Output*> outputs, bool count_tokens);
  ~Splitter();
  // Checks the options, parses the key path and opens the spool.
  Status Start();
  // The key path (--stratify, --group or --by-hash), or null.
  const KeyPath* key() const { return key_.get(); }
  // One good record: its JSON, its key text (when key()), its tokens (or kUntokenized / kUnreadable).
  Status Add(std::string_view json, std::string_view key, uint32_t tokens);
  // Called for a record that was read but not added (bad, or without a key).
  void Reject() {
    ++stats_.records_in;
    ++stats_.rejected;
  }
  // Plans the split and writes every spooled record (nothing to do when streamed).
  Status Finish();
  const SplitStats& stats() const { return stats_; }

 private:
  struct State;
  Status WriteTo(size_t o, std::string_view bytes, uint32_t tokens);
  Status Plan(uint64_t n, std::vector<uint8_t>* level, std::vector<uint32_t>* order,
              std::vector<std::vector<size_t>>* targets);
  Status Emit(const std::vector<uint8_t>& level, const std::vector<uint32_t>& order,
              const std::vector<std::vector<size_t>>& targets);

  const SplitOptions& opts_;
  std::vector<Output*> outputs_;
  bool count_tokens_;
  SplitStats stats_;
  std::unique_ptr<KeyPath> key_;
  std::unique_ptr<State> st_;
};

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_RUN_H_
