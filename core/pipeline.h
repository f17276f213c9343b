// core/pipeline.h — the one record loop every tool runs on.
//
// The engine owns what tools share: opening and sniffing the inputs, reading records, bad records (reported
// through Diagnostics, counted per rule id, written to --rejects), progress, interruption (SIGINT/SIGTERM end
// the run; no output is committed), the record output, and --jobs workers. A tool supplies a Stage:
//
//   class MyStage : public ftprep::Stage {
//     void Process(Record& rec, Outcome* out, size_t worker) override;  // per record, on a worker thread
//     Status Consume(Record& rec, Outcome& out) override;               // in input order, one thread
//   };
//   Pipeline p(cli.common, jobs);
//   FTPREP_RETURN_IF_ERROR(p.OpenOutput("jsonl"));   // optional: kept/changed records go there
//   FTPREP_RETURN_IF_ERROR(p.Run(&stage));
//   FTPREP_RETURN_IF_ERROR(p.Commit());               // commits the output and --rejects atomically
//
// With jobs > 1, `jobs` threads (the calling one and jobs - 1 more) each take turns reading a batch of records
// (1, 2, 4, ... up to 256 records, at most 8 KiB), call Process on it (first resolving records the format
// reader left deferred, Record::Defer: reading only frames them, the checks and the parse run here), and
// consume batches strictly in input order, one thread at a time: findings, rejects, output records and
// everything Consume does come out byte for byte as with jobs = 1. Memory stays bounded: at most 4 * jobs + 2
// batches exist at once. Whole-file state (totals, histograms, dedup, dataset rules) belongs in Consume, which
// never runs concurrently with itself (but not always on the same thread). Process must be safe to call from
// several threads at once for different records; `worker` (0 .. jobs-1) indexes per-worker state for stages
// that need it (allocate it in Start).
#ifndef FTPREP_CORE_PIPELINE_H_
#define FTPREP_CORE_PIPELINE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cli.h"
#include "diag.h"
#include "ftprep/reader.h"
#include "ftprep/record.h"
#include "ftprep/status.h"
#include "ftprep/writer.h"
#include "rules/rules.h"

namespace ftprep {

// What happens to a record: written as read, written as changed (the stage touched its document), not
// written, or rejected (counted, written to --rejects with its error findings).
enum class Verdict : uint8_t { kKeep, kChange, kDrop, kReject };

// Per-record state a stage keeps between its Process and its Consume (e.g. rule results for the ordered
// half of a rule engine). Allocated by the stage on first use of an Outcome slot and reused: Clear() keeps it.
struct OutcomeExtra {
  virtual ~OutcomeExtra() = default;
};

// A stage's result for one record, filled by Process and read (in input order) by Consume and the engine.
struct Outcome {
  Verdict verdict = Verdict::kKeep;
  std::vector<Finding> findings;      // reported in order through Diagnostics (severity, rule, path, message)
  bool excerpt = false;               // show the record's text after each finding's message
  Severity reject_at = Severity::kError;  // findings at least this severe go to --rejects with the record
  int64_t value[4] = {0, 0, 0, 0};    // numbers the stage passes to its Consume (token counts, ...)
  std::string text;                   // text the stage passes to its Consume
  Status error;                       // not a data problem: the run stops at this record with it
  std::unique_ptr<OutcomeExtra> extra;  // the stage's own, kept across Clear()
  void Clear();
  // Adds a finding and marks the record rejected.
  void Reject(std::string rule, std::string message, std::string path = {});
};

class Stage {
 public:
  virtual ~Stage() = default;
  // Once, before the first record, with the number of workers.
  virtual Status Start(size_t workers) {
    (void)workers;
    return Status::Ok();
  }
  // The first good record, before Process sees any record (on the reading thread): for stages that configure
  // themselves from the data, such as validate's automatic profile. Output belongs in Consume (record.index
  // tells which record this was). An error stops the run after the records before this one.
  virtual Status First(Record& rec) {
    (void)rec;
    return Status::Ok();
  }
  // One good record (never a bad one: the engine rejects those itself, without calling Process). May parse,
  // change (Touch + Verdict::kChange), drop or reject it.
  virtual void Process(Record& rec, Outcome* out, size_t worker) = 0;
  // Every record in input order, after Process (bad records too: rec.bad(), verdict kReject). May change the
  // verdict and findings, and keep whole-file state. An error stops the run.
  virtual Status Consume(Record& rec, Outcome& out) {
    (void)rec;
    (void)out;
    return Status::Ok();
  }
};

// The number of cores this process may run on (at least 1); the default of --jobs.
size_t DefaultJobs();

class Pipeline {
 public:
  // `flags`: inputs, read options, --rejects, -o, --progress, --force. jobs 0 = DefaultJobs().
  Pipeline(const CommonFlags& flags, size_t jobs);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  // Kept and changed records go to flags.output in `format` (jsonl, csv, ...). Without it they go nowhere.
  Status OpenOutput(const std::string& format = "jsonl",
                    const std::vector<std::pair<std::string, std::string>>& writer_options = {});
  // Reads every record through `stage`. Returns the first structural error (I/O, interruption, a Status
  // from Process or Consume); per-record problems are counted, not returned.
  Status Run(Stage* stage);
  // Reports, rejects or writes a record the stage made outside the record loop (after Run: records built from
  // whole-file state, such as convert's grouped chats) as Run does for each record read (out.verdict, findings).
  Status Emit(Record& rec, const Outcome& out);
  // Commits the output and the rejects file (atomically). Call after Run succeeded.
  Status Commit();

  Diagnostics& diag() { return diag_; }
  const Reader* reader() const { return reader_.get(); }
  uint64_t records() const { return records_; }
  uint64_t rejected() const { return rejected_; }
  uint64_t written() const { return written_; }
  // Rejected records written to --rejects (0 without it).
  uint64_t rejects_written() const;
  size_t jobs() const { return jobs_; }

 private:
  Status Open();
  Status Finish(Stage* stage, Record& rec, Outcome& out);
  Status RunSerial(Stage* stage);
  Status RunParallel(Stage* stage);

  const CommonFlags& flags_;
  size_t jobs_;
  Diagnostics diag_;
  std::unique_ptr<Reader> reader_;
  std::unique_ptr<RecordWriter> writer_;
  std::unique_ptr<RejectsWriter> rejects_;
  uint64_t records_ = 0, rejected_ = 0, written_ = 0;
};

}  // namespace ftprep

#endif  // FTPREP_CORE_PIPELINE_H_
