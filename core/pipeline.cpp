#include "pipeline.h"

#include <sched.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
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

// Batches stay small so that a batch's records stay in the caches between reading, processing and consuming,
// and so that a thread waiting for the batch due in input order never waits long (64 KiB batches used ~15%
// less CPU than 1 MiB ones, and 8 KiB ones 10-25% less than 64 KiB: 2 jobs, 100 MB of chat JSONL or CSV).
constexpr size_t kMaxBatchRecords = 256;
constexpr size_t kMaxBatchBytes = 8 << 10;

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
  for (const Finding& f : out.findings) {
    if (f.id != nullptr) {
      diag_.Report(f.severity, rec.loc, f.id, f.message, f.path, excerpt);
    } else {
      diag_.Report(f.severity, rec.loc, f.rule, f.message, f.path, excerpt);
    }
  }
  if (out.verdict == Verdict::kReject) {
    ++rejected_;
    if (rejects_) {
      std::vector<RejectsWriter::Error> errs;
      for (const Finding& f : out.findings) {
        if (f.severity >= out.reject_at) errs.push_back({std::string(f.rule_id()), f.message, f.path});
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
  size_t owner = 0;  // the thread that processed it
};

// What the compute threads share. Held by shared_ptr so that a thread blocked in read() (a slow stdin) can be
// left behind when the run stops early.
//
// Each thread reads a batch (taking turns with the reader), processes it and, when its turn in input order
// comes, consumes it: a record is read, checked, parsed, processed and written on one core, where its bytes
// are in the cache (handing every record from a reader thread to a worker to a consumer cost ~40% more CPU).
// Threads sleep only when there is nothing to do, so there are few wake-ups (each a context switch). A batch
// read while another thread sleeps goes to that thread. The calling thread reads only regular files: it
// must never block in read() while the run is being stopped.
struct Shared {
  std::mutex mu;
  std::condition_variable work_cv, exit_cv;
  std::vector<std::unique_ptr<Batch>> pool;
  std::vector<Batch*> free_list;
  std::deque<Batch*> work_q;  // batches read for a sleeping thread
  std::vector<Batch*> done;   // processed batches by seq % pool size (at most pool size seqs are in flight)
  std::vector<char> processing;  // per thread: processing a batch now
  uint64_t next_consume = 0, next_seq = 0;
  uint64_t batches = UINT64_MAX;  // known once the input has ended
  size_t idle = 0;                // threads waiting on work_cv
  size_t exited = 0;              // spawned threads that have returned
  bool consuming = false, reading = false, stop = false, interrupted = false;
  std::atomic<bool> stopping{false};  // stop, readable without the lock
  std::atomic<bool> reading_now{false};  // reading, readable without the lock
  // The reader's side, used only by the thread holding `reading`.
  std::unique_ptr<Reader> reader;
  bool first = true;
  size_t want = 1;
  size_t batch_bytes = kMaxBatchBytes;
  std::atomic<uint64_t> bytes{0};
  std::atomic<int64_t> total{-1};
  Stage* stage = nullptr;
  Status first_error;  // from Stage::First; reading stopped before that record
  Status error;        // from a consumer; the run stops

  void Stop() {
    stop = true;
    stopping = true;
    work_cv.notify_all();
  }
};

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Fills b with the next records (growing 1, 2, 4, ... records a batch so that small inputs still spread over
// the threads). Called by the thread holding sh.reading, without the lock. Returns false at the end of the
// input (b may still hold records, or only the last read's messages in b->tail).
bool FillBatch(Shared& sh, Batch* b) {
  b->n = 0;
  b->tail.clear();
  size_t bytes = 0;
  bool more = true;
  while (b->n < sh.want && bytes < sh.batch_bytes) {
    if (b->recs.size() == b->n) {
      b->recs.push_back(std::make_unique<Record>());
      b->outs.emplace_back();
      b->msgs.emplace_back();
    }
    Record& rec = *b->recs[b->n];
    b->msgs[b->n].clear();
    DeferMessages(&b->msgs[b->n]);  // First's notes too, so they follow the reader's as in a serial run
    bool got = sh.reader->Next(&rec);
    Status st;
    if (got && sh.first && !sh.stopping) {
      rec.Resolve();  // First needs a parsed record; later ones are resolved where they are processed
      if (!rec.bad()) {
        sh.first = false;
        st = sh.stage->First(rec);
      }
    }
    DeferMessages(nullptr);
    if (!got || !st.ok()) {
      b->tail = std::move(b->msgs[b->n]);
      sh.first_error = st;
      more = false;
      break;
    }
    bytes += rec.raw().size();
    ++b->n;
  }
  sh.bytes.store(sh.reader->bytes_read());
  sh.total.store(sh.reader->total_bytes());
  sh.want = std::min(sh.want * 2, kMaxBatchRecords);
  return more;
}

// One compute thread (the caller is w = 0, with jobs - 1 more): consumes the next batch due if it is done and
// nobody else is consuming, else processes a batch read for it, else reads one and processes it, else
// sleeps. Returns when every batch has been consumed or the run stops. Only the caller's thread watches for
// an interruption while it waits.
template <class ConsumeFn>
void Compute(Shared& sh, size_t w, bool may_read, const ConsumeFn& consume) {
  const size_t slots = sh.done.size();
  std::unique_lock<std::mutex> l(sh.mu);
  auto process = [&](Batch* b) {
    sh.processing[w] = 1;
    l.unlock();
    for (size_t i = 0; i < b->n; ++i) Prepare(sh.stage, *b->recs[i], &b->outs[i], w);
    l.lock();
    sh.processing[w] = 0;
    b->owner = w;
    sh.done[b->seq % slots] = b;
  };
  bool handed_off = false;  // the last batch read went to a sleeping thread: leave the queue to it
  bool spun = false;        // waited for the reader's turn once already
  while (!sh.stop && sh.next_consume < sh.batches) {
    bool skip_queue = handed_off;
    handed_off = false;
    Batch*& due = sh.done[sh.next_consume % slots];
    // A batch is best consumed by the thread that processed it (its records are in that core's caches):
    // another thread takes it while that one is not busy processing (it may be reading, or asleep), or when
    // it has nothing else to do (no batch free to read into).
    bool can_read = may_read && !sh.reading && sh.batches == UINT64_MAX && !sh.free_list.empty();
    if (!sh.consuming && due != nullptr && (due->owner == w || !sh.processing[due->owner] || !can_read)) {
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
        sh.Stop();
      } else if (sh.next_consume >= sh.batches) {
        sh.work_cv.notify_all();
      } else if (sh.idle > 0 && !sh.reading && sh.next_seq < sh.batches) {
        sh.work_cv.notify_one();  // a sleeping thread may have been waiting for a free batch
      }
      continue;
    }
    if (!skip_queue && !sh.work_q.empty()) {
      Batch* b = sh.work_q.front();
      sh.work_q.pop_front();
      process(b);
      continue;
    }
    if (may_read && !sh.reading && sh.batches == UINT64_MAX && !sh.free_list.empty()) {
      Batch* b = sh.free_list.back();  // the batch freed last: its memory is the likeliest to be in a cache
      sh.free_list.pop_back();
      sh.reading = true;
      sh.reading_now.store(true, std::memory_order_relaxed);
      l.unlock();
      bool more = FillBatch(sh, b);
      l.lock();
      sh.reading = false;
      sh.reading_now.store(false, std::memory_order_relaxed);
      if (sh.stop) sh.exit_cv.notify_all();
      if (b->n > 0 || !b->tail.empty()) {
        b->seq = sh.next_seq++;
      } else {
        sh.free_list.push_back(b);
        b = nullptr;
      }
      if (!more) {
        sh.batches = sh.next_seq;
        sh.work_cv.notify_all();
      }
      if (b == nullptr) continue;
      if (sh.stop) {
        sh.free_list.push_back(b);
        break;
      }
      if (sh.idle > 0) {  // give it to a sleeping thread and read on
        sh.work_q.push_back(b);
        sh.work_cv.notify_one();
        handed_off = true;
        continue;
      }
      process(b);
      continue;
    }
    if (may_read && sh.reading && sh.batches == UINT64_MAX && !sh.free_list.empty() && !spun) {
      // Another thread is reading (a few microseconds for a batch): wait for its turn without sleeping,
      // which would cost two context switches and a hand-off to another core.
      spun = true;
      l.unlock();
      for (int i = 0; i < 2000 && sh.reading_now.load(std::memory_order_relaxed); ++i) CpuRelax();
      l.lock();
      continue;
    }
    spun = false;
    ++sh.idle;
    if (w == 0) {
      // A signal may land on any thread, so a read() on a pipe that stays open is not always interrupted:
      // look at the flag here too, or Ctrl-C would wait for the input to end.
      if (Interrupted()) {
        --sh.idle;
        sh.interrupted = true;
        sh.Stop();
        break;
      }
      sh.work_cv.wait_for(l, std::chrono::milliseconds(50));
    } else {
      sh.work_cv.wait(l);
    }
    --sh.idle;
  }
}

// Whether every input is a regular file (reads that cannot block for long).
bool RegularFiles(const std::vector<std::string>& inputs) {
  if (inputs.empty()) return false;
  for (const auto& in : inputs) {
    struct stat st;
    if (in == "-" || ::stat(in.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  }
  return true;
}

}  // namespace

Status Pipeline::RunParallel(Stage* stage) {
  auto sh = std::make_shared<Shared>();
  sh->reader = std::move(reader_);
  sh->stage = stage;
  // Enough batches that a thread slowed down for a moment (preempted) does not leave the others without a
  // free batch to read into while its batch holds up the order.
  size_t slots = 4 * jobs_ + 2;
  for (size_t i = 0; i < slots; ++i) {
    sh->pool.push_back(std::make_unique<Batch>());
    sh->free_list.push_back(sh->pool.back().get());
  }
  sh->done.assign(slots, nullptr);
  sh->processing.assign(jobs_, 0);
  Progress progress(flags_.progress, &sh->bytes, &sh->total);
  // In input order, one batch at a time (the threads take turns; the mutex orders their turns). Shared with
  // threads that may outlive this call (left blocked in read()): they call it only while the run goes on.
  auto consume = std::make_shared<std::function<Status(Batch*)>>([this, stage, &progress](Batch* b) {
    Status st;
    for (size_t i = 0; i < b->n && st.ok(); ++i) {
      std::fputs(b->msgs[i].c_str(), stderr);
      st = Finish(stage, *b->recs[i], b->outs[i]);
      progress.Tick(records_);
    }
    if (st.ok()) std::fputs(b->tail.c_str(), stderr);
    return st;
  });
  std::vector<std::thread> threads;
  std::vector<std::shared_ptr<std::atomic<bool>>> exited;
  for (size_t w = 1; w < jobs_; ++w) {
    auto flag = std::make_shared<std::atomic<bool>>(false);
    exited.push_back(flag);
    threads.emplace_back([sh, consume, flag, w] {
      Compute(*sh, w, true, *consume);
      std::lock_guard<std::mutex> l(sh->mu);
      flag->store(true);
      ++sh->exited;
      sh->exit_cv.notify_all();
    });
  }
  Compute(*sh, 0, RegularFiles(flags_.inputs), *consume);
  Status st;
  {
    // Every thread but one blocked reading a pipe that may never end returns soon (a batch in hand is
    // finished first); that one is left behind: it touches only the shared state once its read returns.
    std::unique_lock<std::mutex> l(sh->mu);
    if (sh->stop) sh->Stop();  // wakes the sleepers
    sh->exit_cv.wait(l, [&] { return sh->exited + (sh->reading ? 1 : 0) >= threads.size(); });
    st = sh->error;
    if (st.ok() && sh->interrupted) {
      st = Status(Code::kInterrupted,
                  "interrupted after " + std::to_string(records_) + " records; no output file was written");
    }
  }
  bool left_behind = false;
  for (size_t i = 0; i < threads.size(); ++i) {
    if (exited[i]->load()) {
      threads[i].join();
    } else {
      threads[i].detach();
      left_behind = true;
    }
  }
  progress.Finish();
  if (left_behind) return st;
  reader_ = std::move(sh->reader);
  if (!st.ok()) return st;
  if (!sh->first_error.ok()) return sh->first_error;
  return ReaderEndStatus(*reader_, records_);
}

Status Pipeline::Commit() {
  if (writer_) FTPREP_RETURN_IF_ERROR(writer_->Close());
  if (rejects_) FTPREP_RETURN_IF_ERROR(rejects_->Close());
  return Status::Ok();
}

}  // namespace ftprep
