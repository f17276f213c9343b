#include "ftprep/writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include "compress.h"
#include "io.h"
#include "plugin_host.h"
#include "utf8.h"

namespace ftprep {
namespace {
constexpr size_t kBufSize = 1 << 16;

std::string DirName(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return ".";
  if (s == 0) return "/";
  return p.substr(0, s);
}
std::string BaseName(const std::string& p) {
  size_t s = p.rfind('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

// The mode a plain open(path, O_CREAT, kFileMode) would give under the current umask.
constexpr mode_t kFileMode = 0644;
mode_t WantedMode() {
  static const mode_t wanted = [] {
    mode_t mask = 022;
    bool found = false;
    // Read the umask without changing it (umask() would, racing other threads); Linux >= 4.7.
    if (FILE* f = std::fopen("/proc/self/status", "re")) {
      char line[256];
      while (std::fgets(line, sizeof(line), f)) {
        unsigned m;
        if (std::sscanf(line, "Umask: %o", &m) == 1) {
          mask = static_cast<mode_t>(m);
          found = true;
          break;
        }
      }
      std::fclose(f);
    }
    if (!found) {
      mask = umask(022);
      umask(mask);
    }
    return static_cast<mode_t>(kFileMode & ~mask);
  }();
  return wanted;
}

// An unnamed regular file in dir (O_TMPFILE), or -1 when the filesystem, kernel or missing /proc (needed to
// link it by /proc/self/fd/N without privileges) rule it out.
int OpenUnnamed(const std::string& dir) {
#ifdef O_TMPFILE
  if (std::getenv("FTPREP_NO_TMPFILE") != nullptr) return -1;  // tests exercise the fallback with it
  static const bool have_proc = access("/proc/self/fd", X_OK) == 0;
  if (!have_proc) return -1;
  int fd = open(dir.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, kFileMode);
  if (fd < 0) return -1;
  // Kernels before 6.0 skipped the umask for O_TMPFILE on filesystems without POSIX ACLs: tighten, never
  // loosen (a default ACL may legitimately give less).
  struct stat st;
  mode_t want = WantedMode();
  if (fstat(fd, &st) == 0 && (st.st_mode & 07777 & ~want) != 0) fchmod(fd, st.st_mode & 07777 & want);
  return fd;
#else
  (void)dir;
  return -1;
#endif
}

// Creates ".BASE.ftprep-XXXXXXXX.tmp" beside path, registered for removal on SIGINT/SIGTERM.
Result<std::string> CreateNamedTemp(const std::string& path, int* fd_out) {
  std::random_device rd;
  for (int attempt = 0; attempt < 16; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof(suffix), ".ftprep-%08x.tmp", static_cast<unsigned>(rd()));
    std::string tmp = DirName(path) + "/." + BaseName(path) + suffix;
    int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
    if (fd >= 0) {
      RegisterTempFile(tmp);
      *fd_out = fd;
      return tmp;
    }
    if (errno != EEXIST) return IoError(path + ": cannot create: " + std::strerror(errno));
  }
  return IoError(path + ": cannot create a temporary file beside it");
}

// Gives the unnamed file fd the name path, replacing any file there, and closes fd. Linking straight to path
// works when nothing is there yet; otherwise link under a hidden temporary name and rename that over path
// (link cannot replace). Only between that link and the rename does a name other than path exist. fd is
// closed before the rename, so a close error (delayed write error) leaves a previous file untouched.
Status LinkUnnamed(int fd, const std::string& path) {
  std::string proc = "/proc/self/fd/" + std::to_string(fd);
  if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, path.c_str(), AT_SYMLINK_FOLLOW) == 0) {
    if (close(fd) != 0) {
      Status s = IoError(path + ": write error on close: " + std::strerror(errno));
      unlink(path.c_str());
      return s;
    }
    return Status::Ok();
  }
  Status s;
  if (errno != EEXIST) s = IoError(path + ": cannot create: " + std::strerror(errno));
  std::string tmp;
  std::random_device rd;
  for (int attempt = 0; s.ok() && tmp.empty(); ++attempt) {
    if (attempt == 16) {
      s = IoError(path + ": cannot create a temporary name beside it");
      break;
    }
    char suffix[32];
    std::snprintf(suffix, sizeof(suffix), ".ftprep-%08x.tmp", static_cast<unsigned>(rd()));
    std::string name = DirName(path) + "/." + BaseName(path) + suffix;
    RegisterTempFile(name);
    if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, name.c_str(), AT_SYMLINK_FOLLOW) == 0) {
      tmp = name;
    } else {
      int e = errno;
      UnregisterTempFile(name);
      if (e != EEXIST) s = IoError(path + ": cannot create: " + std::strerror(e));
    }
  }
  if (close(fd) != 0 && s.ok()) s = IoError(path + ": write error on close: " + std::strerror(errno));
  if (!tmp.empty()) {
    if (s.ok() && rename(tmp.c_str(), path.c_str()) != 0) {
      s = IoError(path + ": cannot rename the temporary file into place: " + std::strerror(errno));
    }
    if (!s.ok()) unlink(tmp.c_str());
    UnregisterTempFile(tmp);
  }
  return s;
}

// Identity of a file for the input/output checks: device and inode when it exists (so "./x", hard links and
// symlinks compare equal), else the canonical directory plus the name (two outputs not yet created).
struct FileKey {
  bool exists = false;
  bool regular = false;
  dev_t dev = 0;
  ino_t ino = 0;
  std::string name;
  bool operator==(const FileKey& o) const {
    return exists == o.exists && (exists ? dev == o.dev && ino == o.ino : name == o.name);
  }
};

FileKey KeyOfStat(const struct stat& st) {
  FileKey k;
  k.exists = true;
  k.regular = S_ISREG(st.st_mode);
  k.dev = st.st_dev;
  k.ino = st.st_ino;
  return k;
}

FileKey KeyOfPath(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) return KeyOfStat(st);
  FileKey k;
  char* dir = realpath(DirName(path).c_str(), nullptr);
  k.name = dir ? std::string(dir) + "/" + BaseName(path) : path;
  std::free(dir);
  return k;
}

// The inputs as files: paths that exist, and stdin ("-", or no inputs at all) when it is a regular file.
std::vector<std::pair<std::string, FileKey>> InputKeys(const std::vector<std::string>& inputs) {
  std::vector<std::pair<std::string, FileKey>> keys;
  bool uses_stdin = inputs.empty();
  for (const auto& in : inputs) {
    if (in == "-") {
      uses_stdin = true;
      continue;
    }
    FileKey k = KeyOfPath(in);
    if (k.exists) keys.emplace_back(in, k);
  }
  struct stat st;
  if (uses_stdin && fstat(0, &st) == 0 && S_ISREG(st.st_mode)) keys.emplace_back("standard input", KeyOfStat(st));
  return keys;
}

}  // namespace

Status CheckOutputs(const std::vector<PlannedOutput>& outputs, const OutputOptions& opts) {
  const auto inputs = InputKeys(opts.inputs);
  struct stat st;
  if (fstat(1, &st) == 0 && S_ISREG(st.st_mode)) {
    FileKey out = KeyOfStat(st);
    for (const auto& [name, key] : inputs) {
      if (key == out) return UsageError("standard output is redirected to the input " + name + "; refusing to write over it");
    }
  }
  std::vector<std::pair<const PlannedOutput*, FileKey>> seen;
  for (const auto& o : outputs) {
    if (o.path.empty() || o.path == "-") continue;
    FileKey key = KeyOfPath(o.path);
    for (const auto& [name, in] : inputs) {
      if (key.exists && key == in) {
        std::string same = name == o.path                ? ""
                           : name == "standard input" ? " (read on standard input)"
                                                      : " (the same file as " + name + ")";
        return UsageError(o.path + ": is an input" + same + "; refusing to write " + o.flag +
                          " over it, with or without --force; choose another path");
      }
    }
    for (const auto& [other, k] : seen) {
      if (k == key) {
        return UsageError(o.path + ": named by both " + other->flag + " and " + o.flag + "; give each its own file");
      }
    }
    if (key.exists && key.regular && !opts.force) {
      return UsageError(o.path + ": exists; use --force to overwrite it");
    }
    seen.emplace_back(&o, key);
  }
  return Status::Ok();
}

Result<std::unique_ptr<Output>> Output::Open(const std::string& path, const OutputOptions& opts) {
  std::unique_ptr<Output> o(new Output());
  o->buf_.reserve(kBufSize);
  if (path.empty() || path == "-") {
    o->fd_ = 1;
    o->path_ = "<stdout>";
    return o;
  }
  for (const auto& in : opts.inputs) {
    if (in != "-" && SameFile(in, path)) {
      return UsageError(path + ": is an input; refusing to write over it, with or without --force; choose another path");
    }
  }
  o->comp_ = CompressorForPath(path);
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return IoError(path + ": is a directory");
    if (!S_ISREG(st.st_mode)) {
      // /dev/null, /dev/stdout, a FIFO, a terminal: write into it. Replacing it by a file (the atomic path
      // would rename over it) would break it, and a stream cannot be rolled back anyway.
      int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0) return IoError(path + ": cannot open: " + std::strerror(errno));
      o->fd_ = fd;
      o->own_fd_ = true;
      o->path_ = path;
      return o;
    }
    if (opts.refuse_existing && !opts.force) {
      return UsageError(path + ": exists; use --force to overwrite it");
    }
  }
  // Preferred: an unnamed file in the target's directory (O_TMPFILE), linked into place by Commit(). Until
  // then it has no name, so however the process ends (even SIGKILL) nothing is left behind.
  int fd = OpenUnnamed(DirName(path));
  if (fd >= 0) {
    o->fd_ = fd;
    o->unnamed_ = true;
    o->path_ = path;
    return o;
  }
  // Fallback (no O_TMPFILE on this filesystem or kernel, or no /proc): a hidden named file beside the target,
  // renamed into place; SIGINT/SIGTERM remove it, SIGKILL cannot.
  auto tmp = CreateNamedTemp(path, &fd);
  if (!tmp.ok()) return tmp.status();
  o->fd_ = fd;
  o->tmp_ = *tmp;
  o->path_ = path;
  return o;
}

Output::~Output() {
  // stdout cannot be rolled back: on an early return (structural error, interrupt) the records already
  // accepted still go out whole, so a pipe sees everything before the failure and never half a buffer.
  if (tmp_.empty() && !unnamed_ && fd_ >= 0 && !committed_) Flush();
  Abort();
  if (own_fd_ && fd_ >= 0) close(fd_);
}

void Output::Abort() {
  if (unnamed_ && !committed_) {  // never had a name: closing it frees it
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
    unnamed_ = false;
    return;
  }
  if (!tmp_.empty() && !committed_) {
    if (fd_ >= 0) close(fd_);
    unlink(tmp_.c_str());
    UnregisterTempFile(tmp_);
    fd_ = -1;
    tmp_.clear();
  }
}

Status Output::WriteFd(std::string_view bytes) {
  size_t off = 0;
  while (off < bytes.size()) {
    ssize_t n = write(fd_, bytes.data() + off, bytes.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EPIPE) {
        error_ = Status(Code::kBrokenPipe, "broken pipe");
      } else {
        error_ = IoError(path_ + ": write error: " + std::strerror(errno));
      }
      return error_;
    }
    off += static_cast<size_t>(n);
  }
  written_ += bytes.size();
  return Status::Ok();
}

Status Output::Flush() {
  if (!error_.ok()) return error_;
  Status s;
  if (comp_) {
    zbuf_.clear();
    s = comp_->Add(buf_, &zbuf_);
    if (s.ok()) s = WriteFd(zbuf_);
  } else {
    s = WriteFd(buf_);
  }
  buf_.clear();
  if (!s.ok()) error_ = s;
  return s;
}

Status Output::Write(std::string_view bytes) {
  if (!error_.ok()) return error_;
  if (buf_.size() + bytes.size() > kBufSize) {
    FTPREP_RETURN_IF_ERROR(Flush());
    if (bytes.size() > kBufSize) {
      buf_.assign(bytes);
      return Flush();
    }
  }
  buf_.append(bytes);
  return Status::Ok();
}

Status Output::Commit() {
  if (committed_) return error_;
  FTPREP_RETURN_IF_ERROR(Flush());
  if (comp_) {
    zbuf_.clear();
    Status s = comp_->Finish(&zbuf_);
    if (s.ok()) s = WriteFd(zbuf_);
    comp_.reset();
    if (!s.ok()) {
      error_ = s;
      return s;
    }
  }
  committed_ = true;
  if (own_fd_) {  // a device or FIFO written in place
    if (close(fd_) != 0) error_ = IoError(path_ + ": write error on close: " + std::strerror(errno));
    fd_ = -1;
    return error_;
  }
  if (unnamed_) {
    error_ = LinkUnnamed(fd_, path_);  // closes fd_
    fd_ = -1;
    unnamed_ = false;
    return error_;
  }
  if (tmp_.empty()) return Status::Ok();
  if (close(fd_) != 0) {
    error_ = IoError(path_ + ": write error on close: " + std::strerror(errno));
    unlink(tmp_.c_str());
    UnregisterTempFile(tmp_);
    fd_ = -1;
    return error_;
  }
  fd_ = -1;
  if (rename(tmp_.c_str(), path_.c_str()) != 0) {
    error_ = IoError(path_ + ": cannot rename the temporary file into place: " + std::strerror(errno));
    unlink(tmp_.c_str());
  }
  UnregisterTempFile(tmp_);
  tmp_.clear();
  return error_;
}

// --- record writers ---------------------------------------------------------------------------------------

namespace {

class JsonlWriter : public RecordWriter {
 public:
  explicit JsonlWriter(std::unique_ptr<Output> out) : out_(std::move(out)) {}
  Status Write(Record& rec) override {
    FTPREP_RETURN_IF_ERROR(out_->Write(rec.json()));
    return out_->Write("\n");
  }
  Status Close() override { return out_->Commit(); }

 private:
  std::unique_ptr<Output> out_;
};

class PluginWriter : public RecordWriter {
 public:
  PluginWriter(std::unique_ptr<Output> out, const ftprep_format_v1* f) : out_(std::move(out)), f_(f) {}
  ~PluginWriter() override {
    if (w_ && !closed_) f_->close_writer(w_);
  }
  static int WriteBytes(void* sink, const char* data, size_t len) {
    auto* self = static_cast<PluginWriter*>(sink);
    Status s = self->out_->Write(std::string_view(data, len));
    if (!s.ok()) {
      self->st_ = s;
      return FTPREP_ERR_IO;
    }
    return FTPREP_OK;
  }
  Status Start(const std::vector<std::string>& kv) {
    std::vector<const char*> opts;
    for (const auto& s : kv) opts.push_back(s.c_str());
    opts.push_back(nullptr);
    opts.push_back(nullptr);
    int rc = f_->open_writer(Host(), opts.data(), &PluginWriter::WriteBytes, this, &w_);
    if (rc != FTPREP_OK) return PluginStatus(rc, TakePluginError());
    return Status::Ok();
  }
  Status Write(Record& rec) override {
    std::string_view j = rec.json();
    int rc = f_->write(w_, j.data(), j.size());
    if (rc != FTPREP_OK) return st_.ok() ? PluginStatus(rc, TakePluginError()) : st_;
    return Status::Ok();
  }
  Status Close() override {
    closed_ = true;
    int rc = f_->close_writer(w_);
    if (rc != FTPREP_OK) return st_.ok() ? PluginStatus(rc, TakePluginError()) : st_;
    return out_->Commit();
  }

 private:
  std::unique_ptr<Output> out_;
  const ftprep_format_v1* f_;
  void* w_ = nullptr;
  bool closed_ = false;
  Status st_;
};

}  // namespace

Result<std::unique_ptr<RecordWriter>> OpenWriter(std::unique_ptr<Output> out, const std::string& format,
                                                 const std::vector<std::pair<std::string, std::string>>& options) {
  if (format.empty() || format == "jsonl" || format == "auto") {
    return std::unique_ptr<RecordWriter>(std::make_unique<JsonlWriter>(std::move(out)));
  }
  const PluginInfo* p = PluginRegistry::Get().Find(format, FTPREP_KIND_FORMAT);
  if (p == nullptr || p->desc->format->open_writer == nullptr) {
    return UsageError("no writer for format '" + format + "'");
  }
  std::vector<std::string> kv;
  for (const auto& [k, v] : options) {
    kv.push_back(k);
    kv.push_back(v);
  }
  auto w = std::make_unique<PluginWriter>(std::move(out), p->desc->format);
  FTPREP_RETURN_IF_ERROR(w->Start(kv));
  return std::unique_ptr<RecordWriter>(std::move(w));
}

Result<std::unique_ptr<RejectsWriter>> RejectsWriter::Open(const std::string& path, const OutputOptions& opts) {
  auto o = Output::Open(path, opts);
  if (!o.ok()) return o.status();
  std::unique_ptr<RejectsWriter> w(new RejectsWriter());
  w->out_ = std::move(*o);
  return w;
}

Status RejectsWriter::Write(const Location& loc, std::string_view raw, const std::vector<Error>& errors) {
  std::string line = "{\"file\":";
  AppendJsonString(loc.file, &line);
  line += ",\"line\":" + std::to_string(loc.line);
  if (!loc.sheet.empty()) {
    line += ",\"sheet\":";
    AppendJsonString(loc.sheet, &line);
  }
  line += ",\"errors\":[";
  for (size_t i = 0; i < errors.size(); ++i) {
    if (i) line += ',';
    line += "{\"rule\":";
    AppendJsonString(errors[i].rule, &line);
    line += ",\"message\":";
    AppendJsonString(ValidUtf8OrReplace(errors[i].message), &line);
    line += ",\"path\":";
    AppendJsonString(errors[i].path, &line);
    line += '}';
  }
  line += "],\"raw\":";
  if (IsValidUtf8(raw)) {
    AppendJsonString(raw, &line);
  } else {
    AppendJsonString(ValidUtf8OrReplace(raw), &line);
    line += ",\"raw_base64\":\"" + Base64(raw) + "\"";
  }
  line += "}\n";
  ++count_;
  return out_->Write(line);
}

Status RejectsWriter::Close() { return out_->Commit(); }

}  // namespace ftprep
