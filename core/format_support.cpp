#include "format_support.h"

#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "ftprep/plugin.hpp"

namespace ftprep {

Status PositiveOption(ftprep_options opts, const char* key, uint64_t* out) {
  std::string_view v = plugin::Option(opts, key);
  if (v.empty()) return Status::Ok();
  uint64_t n = 0;
  auto r = std::from_chars(v.data(), v.data() + v.size(), n);
  if (r.ec != std::errc() || r.ptr != v.data() + v.size() || n == 0) {
    return UsageError(std::string("option ") + key + " must be a positive whole number, not '" + std::string(v) +
                      "'");
  }
  *out = n;
  return Status::Ok();
}

namespace {
Status WriteAll(int fd, const char* p, size_t n) {
  for (size_t off = 0; off < n;) {
    ssize_t w = write(fd, p + off, n - off);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return IoError(std::string("cannot write a temporary file: ") + std::strerror(errno));
    off += static_cast<size_t>(w);
  }
  return Status::Ok();
}

Status CopyInto(ftprep_stream* in, int fd, uint64_t max_bytes, const char* limit_option) {
  std::vector<char> buf(1 << 16);
  uint64_t total = 0;
  for (;;) {
    long long n = in->read(in->ctx, buf.data(), buf.size());
    if (n < 0) return IoError("cannot read the input");
    if (n == 0) return Status::Ok();
    total += static_cast<uint64_t>(n);
    if (total > max_bytes) {
      return LimitError("the input is larger than " + std::to_string(max_bytes) + " bytes (limit " + limit_option +
                        "); raise it with --format-opt " + limit_option + "=N");
    }
    FTPREP_RETURN_IF_ERROR(WriteAll(fd, buf.data(), static_cast<size_t>(n)));
  }
}
}  // namespace

Status SpoolToTempFile(ftprep_stream* in, const char* tag, uint64_t max_bytes, const char* limit_option, int* fd,
                       std::string* path) {
  const char* dir = std::getenv("TMPDIR");
  std::string tmpl = std::string(dir && *dir ? dir : "/tmp") + "/ftprep-" + tag + "-XXXXXX";
  std::vector<char> name(tmpl.begin(), tmpl.end());
  name.push_back('\0');
  int f = mkstemp(name.data());
  if (f < 0) return IoError("cannot create a temporary file in " + tmpl + ": " + std::strerror(errno));
  unlink(name.data());  // nothing to clean up, whatever happens next
  Status st = CopyInto(in, f, max_bytes, limit_option);
  if (!st.ok()) {
    close(f);
    return st;
  }
  *fd = f;
  *path = "/proc/self/fd/" + std::to_string(f);
  return Status::Ok();
}

}  // namespace ftprep
