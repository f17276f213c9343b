// core/split/spool.h — where split keeps records between its two passes, in bounded memory.
//
// Spool: each record's output bytes back to back, plus one 8-byte offset per record in memory. The bytes stay
// in memory up to `memory_limit` (32 MiB by default: small inputs never touch the disk); beyond that they go to
// an anonymous temporary file (created in a directory, unlinked at once, so nothing is left behind even after
// a crash or SIGKILL). Records are read back with pread, never mmap, so the page cache does not count towards the
// process's resident memory. Random access costs one pread per record; sequential access goes through a
// 1 MiB window.
//
// ChunkedArray: an append-only array in 64 Ki-element chunks, so growing it never copies (a std::vector
// doubling would briefly hold three times the data) and memory stays at the element size per record.
// Neither class is thread-safe.
#ifndef FTPREP_CORE_SPLIT_SPOOL_H_
#define FTPREP_CORE_SPLIT_SPOOL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"

namespace ftprep::split {

template <typename T>
class ChunkedArray {
 public:
  static constexpr size_t kChunk = size_t{1} << 16;
  void push_back(T v) {
    if (size_ % kChunk == 0) chunks_.emplace_back(new T[kChunk]);
    chunks_.back()[size_ % kChunk] = v;
    ++size_;
  }
  T operator[](size_t i) const { return chunks_[i / kChunk][i % kChunk]; }
  T& operator[](size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  size_t size() const { return size_; }
  void clear() {
    chunks_.clear();
    chunks_.shrink_to_fit();
    size_ = 0;
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t size_ = 0;
};

class Spool {
 public:
  static constexpr uint64_t kDefaultMemoryLimit = 32ull << 20;
  // The temporary file, when needed, goes to `dir` ("" = $TMPDIR, else /tmp).
  static Result<std::unique_ptr<Spool>> Create(const std::string& dir, uint64_t memory_limit = kDefaultMemoryLimit);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends one record's bytes (followed by `suffix`, e.g. "\n").
  Status Append(std::string_view bytes, std::string_view suffix = {});
  // Flushes buffered appends; call before reading.
  Status Finish();
  uint64_t size() const { return offsets_.size(); }
  bool in_memory() const { return in_memory_; }
  uint64_t total_bytes() const { return end_; }
  uint64_t length(uint64_t i) const { return (i + 1 < offsets_.size() ? offsets_[i + 1] : end_) - offsets_[i]; }
  // Reads record i. With `sequential`, reads ahead through a window (for ascending i).
  Result<std::string_view> Read(uint64_t i, bool sequential);

 private:
  Spool() = default;
  Status WriteOut(const char* data, size_t len);
  Status Spill();
  int fd_ = -1;
  bool in_memory_ = true;
  uint64_t memory_limit_ = kDefaultMemoryLimit;
  std::string dir_, mem_, wbuf_, rbuf_;
  uint64_t end_ = 0, flushed_ = 0, win_start_ = 0;
  ChunkedArray<uint64_t> offsets_;
};

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_SPOOL_H_
