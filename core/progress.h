// core/progress.h — a progress line on stderr for long runs: bytes, records, rate and ETA when the size is
// known. Mode "auto" shows it only when stderr is a terminal and the run has lasted over a second; "always"
// forces it (e.g. for logs), "never" disables it. Tick() is cheap (checks the clock every 8192 calls).
#ifndef FTPREP_CORE_PROGRESS_H_
#define FTPREP_CORE_PROGRESS_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "ftprep/reader.h"

namespace ftprep {

class Progress {
 public:
  Progress(const std::string& mode, const Reader* reader);
  // For a reader running on another thread: bytes read so far and the total (-1 unknown), published by it.
  Progress(const std::string& mode, const std::atomic<uint64_t>* bytes, const std::atomic<int64_t>* total);
  ~Progress() { Finish(); }
  void Tick(uint64_t records) {
    if (enabled_ && (++calls_ & 8191) == 0) Draw(records, false);
  }
  void Finish();

 private:
  void Draw(uint64_t records, bool final);
  bool enabled_ = false, drawn_ = false, always_ = false;
  uint64_t calls_ = 0, last_records_ = 0;
  const Reader* reader_ = nullptr;
  const std::atomic<uint64_t>* bytes_ = nullptr;
  const std::atomic<int64_t>* total_ = nullptr;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace ftprep

#endif  // FTPREP_CORE_PROGRESS_H_
