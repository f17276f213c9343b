// core/io.h — byte sources for readers: files, stdin, gzip and zstd (detected by magic bytes), with a peek
// buffer for format sniffing. Also the process-wide interrupt flag and temporary-file cleanup used by Output.
// Not thread-safe.
#ifndef FTPREP_CORE_IO_H_
#define FTPREP_CORE_IO_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "ftprep/status.h"

namespace ftprep {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to len bytes; 0 at end; sets status() and returns 0 on error.
  virtual size_t Read(char* buf, size_t len) = 0;
  const Status& status() const { return status_; }
  const std::string& name() const { return name_; }
  // A real file path readers may reopen/mmap (plain files only), else "".
  const std::string& path() const { return path_; }
  int64_t size() const { return size_; }  // -1 if unknown
  uint64_t consumed() const { return consumed_; }  // compressed bytes consumed, for progress

 protected:
  Status status_;
  std::string name_, path_;
  int64_t size_ = -1;
  uint64_t consumed_ = 0;
};

// Opens "-" (stdin) or a path, transparently decompressing gzip/zstd. `peek` receives up to 64 KiB of the
// (decompressed) head for sniffing; those bytes are still returned by Read.
Result<std::unique_ptr<ByteSource>> OpenSource(const std::string& path, std::string* peek);

// Interrupts: SIGINT/SIGTERM set a flag (checked by readers) and remove registered temporary files; a second
// signal exits at once. Installed by main; SIGPIPE is ignored so writes see EPIPE.
void InstallSignalHandlers();
bool Interrupted();
// The exit code of an interrupted run, as a shell reports a process killed by the signal: 130 after SIGINT
// (also for Ctrl-D at a question, which has no signal), 143 after SIGTERM.
int InterruptExitCode();
void RegisterTempFile(const std::string& path);
void UnregisterTempFile(const std::string& path);

// Same file (device + inode)?
bool SameFile(const std::string& a, const std::string& b);

}  // namespace ftprep

#endif  // FTPREP_CORE_IO_H_
