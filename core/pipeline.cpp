#include "pipeline.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "io.h"
#include "progress.h"

namespace ftprep {

void Outcome::Clear() {
  verdict = Verdict::kKeep;
  findings.clear();
  excerpt = false;
  reject_at = Severity::kError;
  value[0] = value[1] = value[2] = value[3] = 0;
  text.clear();
  error = Status::Ok();
}

void Outcome::Reject(std::string rule, std::string message, std::string path) {
  verdict = Verdict::kReject;
  findings.push_back({std::move(rule), Severity::kError, std::move(path), std::move(message), 0});
}

size_t DefaultJobs() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return std::max(1u, std::thread::hardware_concurrency());
}

namespace {

// Runs on a worker (or inline with one job): everything about one record that does not depend on others.
void Prepare(Stage* stage, Record& rec, Outcome* out, size_t worker) {
  out->Clear();
  rec.Resolve();  // the reader's checks and parse, left to the workers (Record::Defer)
  if (rec.bad()) {
    out->Reject(rec.rule_id(), rec.error());
    out->excerpt = true;
    return;
  }
  stage->Process(rec, out, worker);
  // Serialise a changed record here, on the worker, rather than on the ordered writer thread.
  if (out->verdict == Verdict::kChange) rec.json();
}

// Batches stay small so that the records in flight stay in the caches: 64 KiB batches, jobs + 2 of them, used
// ~15% less CPU than 1 MiB ones (2 jobs, 100 MB of chat JSONL), with the same wall time.
constexpr size_t kMaxBatchRecords = 256;
constexpr size_t kMaxBatchBytes = 64 << 10;

}  // namespace

Pipeline::Pipeline(const CommonFlags& flags, size_t jobs)
    : flags_(flags), jobs_(jobs ? jobs : DefaultJobs()) {}

Pipeline::~Pipeline() = default;

uint64_t Pipeline::rejects_written() const { return rejects_ ? rejects_->count() : 0; }

Status Pipeline::OpenOutput(const std::string& format,
                            const std::vector<std::pair<std::string, std::string>>& writer_options) {
  auto out = Output::Open(flags_.output, flags_.output_options());
  if (!out.ok()) return out.status();
  auto w = OpenWriter(std::move(*out), format, writer_options);
  if (!w.ok()) return w.status();
  writer_ = std::move(*w);
  return Status::Ok();
}

Status Pipeline::Open() {
  ReadOptions opts = flags_.read_options();
  // With workers, the reading thread only frames records; the workers check and parse them.
  opts.defer_parse = jobs_ > 1;
  auto r = OpenReader(flags_.inputs, opts);
  if (!r.ok()) return r.status();
  reader_ = std::move(*r);
  if (!flags_.rejects.empty()) {
    auto w = RejectsWriter::Open(flags_.rejects, flags_.output_options());
    if (!w.ok()) return w.status();
    rejects_ = std::move(*w);
  }
  return Status::Ok();
}

// In input order, on the calling thread: the tool's Consume, then (Emit) diagnostics, rejects and the output.
Status Pipeline::Finish(Stage* stage, Record& rec, Outcome& out) {
  ++records_;
  if (!out.error.ok()) return out.error;
  FTPREP_RETURN_IF_ERROR(stage->Consume(rec, out));
  return Emit(rec, out);
}

Status Pipeline::Emit(Record& rec, const Outcome& out) {
  std::string_view excerpt = out.excerpt ? rec.raw() : std::string_view();
  for (const Finding& f : out.findings) diag_.Report(f.severity, rec.loc, f.rule, f.message, f.path, excerpt);
  if (out.verdict == Verdict::kReject) {
    ++rejected_;
    if (rejects_) {
      std::vector<RejectsWriter::Error> errs;
      for (const Finding& f : out.findings) {
        if (f.severity >= out.reject_at) errs.push_back({f.rule, f.message, f.path});
      }
      FTPREP_RETURN_IF_ERROR(rejects_->Write(rec.loc, rec.raw(), errs));
    }
  } else if (out.verdict != Verdict::kDrop && writer_) {
    ++written_;
    FTPREP_RETURN_IF_ERROR(writer_->Write(rec));
  }
  return Status::Ok();
}

Status Pipeline::Run(Stage* stage) {
  FTPREP_RETURN_IF_ERROR(Open());
  FTPREP_RETURN_IF_ERROR(stage->Start(jobs_));
  return jobs_ <= 1 ? RunSerial(stage) : RunParallel(stage);
}

Status Pipeline::RunSerial(Stage* stage) {
  Progress progress(flags_.progress, reader_.get());
  Record rec;
  Outcome out;
  bool first = true;
  while (reader_->Next(&rec)) {
    if (first && !rec.bad()) {
      first = false;
      FTPREP_RETURN_IF_ERROR(stage->First(rec));
    }
    Prepare(stage, rec, &out, 0);
    FTPREP_RETURN_IF_ERROR(Finish(stage, rec, out));
    progress.Tick(records_);
  }
  progress.Finish();
  return ReaderEndStatus(*reader_, records_);
}

namespace {

struct Batch {
  std::vector<std::unique_ptr<Record>> recs;
  std::vector<Outcome> outs;
  std::vector<std::string> msgs;  // messages the reader printed while reading recs[i], shown before it
  std::string tail;               // messages of the read that found no more records
  size_t n = 0;
  uint64_t seq = 0;
};

// What the reader thread and the compute threads share. Held by shared_ptr so that a reader thread blocked
// in read() (a slow stdin) can be left behind when the run stops early.
//
// Wake-ups are what parallel runs pay for (each one a context switch, on 2 cores a worker preempted), so
// there are few: the compute threads (the caller and jobs - 1 more) process batches and consume them in
// input order themselves, taking turns (whoever finishes the next batch due consumes it, then any later ones
// already done), and sleep only when there is nothing to do; the reader, a small share of the work, fills
// every free batch in one go and then sleeps until a quarter of the pool is free again (or the work runs out).
struct Shared {
  std::mutex mu;
  std::condition_variable reader_cv, work_cv, exit_cv;
  std::vector<std::unique_ptr<Batch>> pool;
  std::vector<Batch*> free_list;
  std::deque<Batch*> work_q;
  std::vector<Batch*> done;  // processed batches by seq % pool size (at most pool size seqs are in flight)
  uint64_t next_consume = 0;
  uint64_t batches = UINT64_MAX;  // known once the reader has finished
  size_t refill_at = 1;           // free batches that wake a sleeping reader
  int idle = 0;                   // compute threads waiting on work_cv
  size_t batch_bytes = 64 << 10;
  bool consuming = false, stop = false, reader_exited = false, reader_sleeping = false, interrupted = false;
  std::atomic<uint64_t> bytes{0};
  std::atomic<int64_t> total{-1};
  std::unique_ptr<Reader> reader;
  Stage* stage = nullptr;
  Status first_error;  // from Stage::First; reading stopped before that record
  Status error;        // from a consumer (or the interruption); the run stops

  // Under mu: whether a sleeping reader has enough free batches to be worth waking.
  bool ReaderReady() const {
    return stop || free_list.size() >= refill_at || (!free_list.empty() && work_q.empty());
  }
  void WakeReaderIfReady() {
    if (reader_sleeping && ReaderReady()) reader_cv.notify_one();
  }
};

// Reads batches (growing 1, 2, 4, ... records so that small inputs still spread over the workers) until the
// input ends, the reader fails or the run stops.
void ReadBatches(std::shared_ptr<Shared> sh) {
  Reader* reader = sh->reader.get();
  bool first = true;
  size_t want = 1;
  uint64_t seq = 0;
  for (bool more = true; more;) {
    Batch* b;
    {
      std::unique_lock<std::mutex> l(sh->mu);
      if (sh->free_list.empty()) {
        sh->reader_sleeping = true;
        sh->reader_cv.wait(l, [&] { return sh->ReaderReady(); });
        sh->reader_sleeping = false;
      }
      if (sh->stop) break;
      b = sh->free_list.back();  // the batch freed last: its memory is the likeliest to be in a cache
      sh->free_list.pop_back();
    }
    b->n = 0;
    b->tail.clear();
    size_t bytes = 0;
    while (b->n < want && bytes < sh->batch_bytes) {
      if (b->recs.size() == b->n) {
        b->recs.push_back(std::make_unique<Record>());
        b->outs.emplace_back();
        b->msgs.emplace_back();
      }
      Record& rec = *b->recs[b->n];
      b->msgs[b->n].clear();
      DeferMessages(&b->msgs[b->n]);  // First's notes too, so they follow the reader's as in a serial run
      bool got = reader->Next(&rec);
      Status st;
      if (got && first) {
        rec.Resolve();  // First needs a parsed record; later ones are resolved by the workers
        if (!rec.bad()) {
          first = false;
          st = sh->stage->First(rec);
        }
      }
      DeferMessages(nullptr);
      if (!got || !st.ok()) {
        b->tail = std::move(b->msgs[b->n]);
        if (!st.ok()) {
          std::lock_guard<std::mutex> l(sh->mu);
          sh->first_error = st;
        }
        more = false;
        break;
      }
      bytes += rec.raw().size();
      ++b->n;
    }
    sh->bytes.store(reader->bytes_read());
    sh->total.store(reader->total_bytes());
    want = std::min(want * 2, kMaxBatchRecords);
    std::lock_guard<std::mutex> l(sh->mu);
    if (b->n > 0 || !b->tail.empty()) {
      b->seq = seq++;
      sh->work_q.push_back(b);
      if (sh->idle > 0) sh->work_cv.notify_one();
    } else {
      sh->free_list.push_back(b);
    }
  }
  std::lock_guard<std::mutex> l(sh->mu);
  sh->batches = seq;
  sh->reader_exited = true;
  sh->work_cv.notify_all();
  sh->exit_cv.notify_all();
}

// A compute thread (the caller is w = 0, with jobs - 1 more): consumes the next batch due if it is done and
// nobody else is consuming, else processes the oldest batch read, else sleeps. Returns when every batch has
// been consumed or the run stops. Only the caller's thread watches for an interruption while it waits.
template <class ConsumeFn>
void Compute(Shared& sh, size_t w, const ConsumeFn& consume) {
  const size_t slots = sh.done.size();
  std::unique_lock<std::mutex> l(sh.mu);
  while (!sh.stop && sh.next_consume < sh.batches) {
    Batch*& due = sh.done[sh.next_consume % slots];
    if (!sh.consuming && due != nullptr) {
      Batch* b = due;
      due = nullptr;
      sh.consuming = true;
      l.unlock();
      Status st = consume(b);
      l.lock();
      sh.consuming = false;
      ++sh.next_consume;
      sh.free_list.push_back(b);
      if (!st.ok()) {
        sh.error = st;
        sh.stop = true;
      }
      sh.WakeReaderIfReady();
      if (sh.stop || sh.next_consume >= sh.batches) sh.work_cv.notify_all();
      continue;
    }
    if (!sh.work_q.empty()) {
      Batch* b = sh.work_q.front();
      sh.work_q.pop_front();
      sh.WakeReaderIfReady();
      l.unlock();
      for (size_t i = 0; i < b->n; ++i) Prepare(sh.stage, *b->recs[i], &b->outs[i], w);
      l.lock();
      sh.done[b->seq % slots] = b;
      continue;
    }
    ++sh.idle;
    if (w == 0) {
      // A signal may land on any thread, so the reader thread's read() on a pipe that stays open is not
      // always interrupted: look at the flag here too, or Ctrl-C would wait for the input to end.
      if (Interrupted()) {
        --sh.idle;
        sh.interrupted = true;
        sh.stop = true;
        sh.work_cv.notify_all();
        sh.reader_cv.notify_all();
        break;
      }
      sh.work_cv.wait_for(l, std::chrono::milliseconds(50));
    } else {
      sh.work_cv.wait(l);
    }
    --sh.idle;
  }
}

size_t EnvSize(const char* name, size_t def) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : def;
}

}  // namespace

Status Pipeline::RunParallel(Stage* stage) {
  auto sh = std::make_shared<Shared>();
  sh->reader = std::move(reader_);
  sh->stage = stage;
  size_t slots = EnvSize("FTPREP_BATCHES", 2 * jobs_ + 4);
  sh->refill_at = std::max<size_t>(1, EnvSize("FTPREP_REFILL", slots / 2));
  sh->batch_bytes = EnvSize("FTPREP_BATCH_KB", kMaxBatchBytes >> 10) << 10;
  for (size_t i = 0; i < slots; ++i) {
    sh->pool.push_back(std::make_unique<Batch>());
    sh->free_list.push_back(sh->pool.back().get());
  }
  sh->done.assign(slots, nullptr);
  std::thread reader_thread(ReadBatches, sh);
  Progress progress(flags_.progress, &sh->bytes, &sh->total);
  // In input order, one batch at a time (the compute threads take turns; the mutex orders their turns).
  auto consume = [&](Batch* b) {
    Status st;
    for (size_t i = 0; i < b->n && st.ok(); ++i) {
      std::fputs(b->msgs[i].c_str(), stderr);
      st = Finish(stage, *b->recs[i], b->outs[i]);
      progress.Tick(records_);
    }
    if (st.ok()) std::fputs(b->tail.c_str(), stderr);
    return st;
  };
  std::vector<std::thread> workers;
  for (size_t w = 1; w < jobs_; ++w) workers.emplace_back([&sh, &consume, w] { Compute(*sh, w, consume); });
  Compute(*sh, 0, consume);
  for (auto& t : workers) t.join();
  progress.Finish();
  Status st = sh->error;
  if (st.ok() && sh->interrupted) {
    st = Status(Code::kInterrupted,
                "interrupted after " + std::to_string(records_) + " records; no output file was written");
  }
  if (!st.ok()) {
    std::unique_lock<std::mutex> l(sh->mu);
    sh->stop = true;
    sh->reader_cv.notify_all();
    if (!sh->exit_cv.wait_for(l, std::chrono::milliseconds(200), [&] { return sh->reader_exited; })) {
      // Blocked reading a pipe that may never end: leave it behind (it holds only the shared state).
      l.unlock();
      reader_thread.detach();
      return st;
    }
    l.unlock();
    reader_thread.join();
    reader_ = std::move(sh->reader);
    return st;
  }
  reader_thread.join();
  reader_ = std::move(sh->reader);
  if (!sh->first_error.ok()) return sh->first_error;
  return ReaderEndStatus(*reader_, records_);
}

Status Pipeline::Commit() {
  if (writer_) FTPREP_RETURN_IF_ERROR(writer_->Close());
  if (rejects_) FTPREP_RETURN_IF_ERROR(rejects_->Close());
  return Status::Ok();
}

}  // namespace ftprep
