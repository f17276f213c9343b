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
// Not thread-safe; one run at a time per Reader/Outputs.
#ifndef FTPREP_CORE_SPLIT_RUN_H_
#define FTPREP_CORE_SPLIT_RUN_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/reader.h"
#include "ftprep/record.h"
#include "ftprep/status.h"
#include "ftprep/writer.h"

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

struct SplitIo {
  Reader* reader = nullptr;
  std::vector<Output*> outputs;  // OutputCount(opts) of them, not owned
  // A record that cannot be split (bad JSON from the reader, no key at `path`). The run goes on.
  std::function<Status(Record& rec, std::string_view rule, std::string_view message, std::string_view path)>
      on_reject;
  // Called for every record read (progress).
  std::function<void(uint64_t records)> tick;
  // Called for every record written to output `o` (e.g. to count tokens); may be empty.
  std::function<Status(size_t o, std::string_view bytes)> on_write;
};

struct SplitStats {
  uint64_t records_in = 0;  // records read (good and bad)
  uint64_t rejected = 0;    // bad records and records without a key
  uint64_t dropped = 0;     // good records in no output
  uint64_t keys = 0;        // distinct strata / groups
  bool streamed = false;    // --by-hash in input order: no spool
  std::vector<uint64_t> records, bytes;  // per output
};

Status RunSplit(const SplitOptions& opts, SplitIo& io, SplitStats* stats);

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_RUN_H_
