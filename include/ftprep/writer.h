// ftprep/writer.h — output files and record writers.
//
// Output::Open("-") writes to stdout; any other path is written atomically. Where the filesystem supports it
// (Linux O_TMPFILE, e.g. ext4, xfs, btrfs, tmpfs), the bytes go to an unnamed file in the target's directory
// that Commit() links into place (directly when the target does not exist, else under a hidden name renamed
// over it), so even SIGKILL leaves nothing behind. Otherwise (NFS, no /proc, FTPREP_NO_TMPFILE set) they go to
// a hidden temporary file beside the target, renamed over it by Commit(); destroying an uncommitted Output or
// SIGINT/SIGTERM removes it, SIGKILL cannot. Either way an interrupted run never leaves a half file and a
// previous file at the target stays untouched until the new one is complete. New files get mode 0644 minus
// the umask. An existing target that is not a regular file (/dev/null, a FIFO) is written in place. Open refuses to write over an input file and,
// unless `force`, over an existing file when `refuse_existing` is set (tools check all of it earlier, with
// CheckOutputs; Open repeats it in case a file appeared since). A closed downstream pipe (EPIPE) turns
// into Code::kBrokenPipe, which main treats as success. A path ending in .gz or .zst is written compressed
// (gzip or zstd); stdout never is. Not thread-safe.
#ifndef FTPREP_WRITER_H_
#define FTPREP_WRITER_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/record.h"
#include "ftprep/status.h"

namespace ftprep {

class Compressor;

struct OutputOptions {
  std::vector<std::string> inputs;  // paths that must never be overwritten
  bool refuse_existing = false;     // fail if the target exists ...
  bool force = false;               // ... unless forced
};

// One path a run will write, and the flag that named it ("-o", "--report", ...), for messages.
struct PlannedOutput {
  std::string path;
  std::string flag;
};

// The check every tool makes once, before it reads anything, over every path it will write. Refuses with
// Code::kUsage (exit 2):
//   - an output that is one of opts.inputs, with or without opts.force. Files are compared by device and
//     inode, so "./x", a hard link and a symlink to the input count; stdin ("-" or no inputs) counts as the
//     file it is redirected from. A path that does not exist yet cannot be an input;
//   - stdout redirected onto an input file;
//   - unless opts.force, an existing regular file (devices and FIFOs such as /dev/null are written in place);
//   - one file named by two outputs.
// Outputs "-" and "" (stdout) are skipped.
Status CheckOutputs(const std::vector<PlannedOutput>& outputs, const OutputOptions& opts);

class Output {
 public:
  static Result<std::unique_ptr<Output>> Open(const std::string& path, const OutputOptions& opts = {});
  ~Output();
  Status Write(std::string_view bytes);
  // Flushes; for files, renames the temporary file into place. Idempotent.
  Status Commit();
  // Drops a file output (removes the temporary file).
  void Abort();
  const std::string& path() const { return path_; }
  bool is_stdout() const { return fd_ == 1; }
  uint64_t bytes_written() const { return written_; }

 private:
  Output() = default;
  Status Flush();
  Status WriteFd(std::string_view bytes);
  std::string path_, tmp_;
  std::unique_ptr<Compressor> comp_;  // by the path's extension; null = plain
  std::string zbuf_;
  int fd_ = -1;
  std::string buf_;
  uint64_t written_ = 0;
  bool committed_ = false;
  bool unnamed_ = false;  // fd_ is an O_TMPFILE file with no name yet
  bool own_fd_ = false;   // fd_ is an existing device or FIFO opened in place (not atomic)
  Status error_;
};

// Writes records in a format. JSONL writes each record's json() plus "\n" (original bytes when untouched).
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  virtual Status Write(Record& rec) = 0;
  virtual Status Close() = 0;  // flushes and commits the output
};

// format: "jsonl" (default), or a format plugin with a writer ("csv", "tsv", "json").
// options: passed to the plugin's writer (columns, ...).
Result<std::unique_ptr<RecordWriter>> OpenWriter(std::unique_ptr<Output> out, const std::string& format,
                                                 const std::vector<std::pair<std::string, std::string>>& options = {});

// --rejects FILE: each bad record as {"file":..,"line":..,"errors":[{"rule":..,"message":..,"path":..}],
// "raw": "<original text>"} (plus "raw_base64" when the original bytes are not valid UTF-8).
class RejectsWriter {
 public:
  struct Error {
    std::string rule, message, path;
  };
  static Result<std::unique_ptr<RejectsWriter>> Open(const std::string& path, const OutputOptions& opts);
  Status Write(const Location& loc, std::string_view raw, const std::vector<Error>& errors);
  Status Close();
  uint64_t count() const { return count_; }

 private:
  std::unique_ptr<Output> out_;
  uint64_t count_ = 0;
};

}  // namespace ftprep

#endif  // FTPREP_WRITER_H_
