#include "split/spool.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace ftprep::split {
namespace {
constexpr size_t kWriteBuffer = 1 << 20;
constexpr size_t kWindow = 1 << 20;
}  // namespace

Result<std::unique_ptr<Spool>> Spool::Create(const std::string& dir, uint64_t memory_limit) {
  std::unique_ptr<Spool> s(new Spool());
  s->dir_ = dir;
  if (s->dir_.empty()) {
    const char* t = std::getenv("TMPDIR");
    s->dir_ = (t && *t) ? t : "/tmp";
  }
  s->memory_limit_ = memory_limit;
  return s;
}

Status Spool::Spill() {
  std::string tmpl = dir_ + "/ftprep-split-XXXXXX";
  fd_ = mkstemp(tmpl.data());
  if (fd_ < 0) {
    return IoError("cannot create a temporary spool file in " + dir_ + ": " + std::strerror(errno) +
                   " (set TMPDIR or --tmp-dir)");
  }
  // Unlinked at once: the space is freed when the process ends, however it ends.
  unlink(tmpl.c_str());
  in_memory_ = false;
  Status s = WriteOut(mem_.data(), mem_.size());
  mem_ = std::string();
  return s;
}

Spool::~Spool() {
  if (fd_ >= 0) close(fd_);
}

Status Spool::WriteOut(const char* data, size_t len) {
  while (len > 0) {
    ssize_t w = ::pwrite(fd_, data, len, static_cast<off_t>(flushed_));
    if (w < 0) {
      if (errno == EINTR) continue;
      return IoError(std::string("writing the temporary spool file: ") + std::strerror(errno));
    }
    data += w;
    len -= static_cast<size_t>(w);
    flushed_ += static_cast<uint64_t>(w);
  }
  return Status::Ok();
}

Status Spool::Append(std::string_view bytes, std::string_view suffix) {
  offsets_.push_back(end_);
  end_ += bytes.size() + suffix.size();
  if (in_memory_) {
    if (end_ <= memory_limit_) {
      // Reserved once so growing never copies (untouched pages cost no resident memory).
      if (mem_.capacity() == 0) mem_.reserve(static_cast<size_t>(std::min<uint64_t>(memory_limit_, 64ull << 20)));
      mem_.append(bytes);
      mem_.append(suffix);
      return Status::Ok();
    }
    FTPREP_RETURN_IF_ERROR(Spill());
  }
  if (wbuf_.size() + bytes.size() + suffix.size() > kWriteBuffer) {
    FTPREP_RETURN_IF_ERROR(WriteOut(wbuf_.data(), wbuf_.size()));
    wbuf_.clear();
    if (bytes.size() >= kWriteBuffer) {
      FTPREP_RETURN_IF_ERROR(WriteOut(bytes.data(), bytes.size()));
      bytes = {};
    }
  }
  wbuf_.append(bytes);
  wbuf_.append(suffix);
  return Status::Ok();
}

Status Spool::Finish() {
  if (in_memory_) return Status::Ok();
  FTPREP_RETURN_IF_ERROR(WriteOut(wbuf_.data(), wbuf_.size()));
  wbuf_.clear();
  wbuf_.shrink_to_fit();
  return Status::Ok();
}

Result<std::string_view> Spool::Read(uint64_t i, bool sequential) {
  const uint64_t off = offsets_[i];
  const uint64_t len = length(i);
  if (in_memory_) return std::string_view(mem_.data() + off, len);
  if (off >= win_start_ && off + len <= win_start_ + rbuf_.size()) {
    return std::string_view(rbuf_.data() + (off - win_start_), len);
  }
  size_t want = static_cast<size_t>(len);
  if (sequential) want = std::max<size_t>(want, static_cast<size_t>(std::min<uint64_t>(kWindow, end_ - off)));
  rbuf_.resize(want);
  size_t got = 0;
  while (got < want) {
    ssize_t r = ::pread(fd_, rbuf_.data() + got, want - got, static_cast<off_t>(off + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      rbuf_.clear();
      return IoError(std::string("reading the temporary spool file: ") + std::strerror(errno));
    }
    if (r == 0) {
      rbuf_.clear();
      return InternalError("the temporary spool file is shorter than expected");
    }
    got += static_cast<size_t>(r);
  }
  win_start_ = off;
  return std::string_view(rbuf_.data(), len);
}

}  // namespace ftprep::split
