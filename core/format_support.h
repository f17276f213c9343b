// core/format_support.h — what the file-based format plugins (xlsx, parquet) share: a positive whole-number
// option, and a non-seekable input (stdin, a pipe) copied into a temporary file they can seek in.
#ifndef FTPREP_CORE_FORMAT_SUPPORT_H_
#define FTPREP_CORE_FORMAT_SUPPORT_H_

#include <cstdint>
#include <string>

#include "ftprep/plugin_api.h"
#include "ftprep/status.h"

namespace ftprep {

// Sets *out from option `key` when it is given: a whole number > 0, else a usage error naming the option.
Status PositiveOption(ftprep_options opts, const char* key, uint64_t* out);

// Copies all of `in` into an unlinked temporary file under $TMPDIR (or /tmp) named ftprep-TAG-XXXXXX, and
// returns its open descriptor in *fd (the caller closes it) and a path that opens it in *path
// (/proc/self/fd/N). More than max_bytes is a limit error that names `limit_option`.
Status SpoolToTempFile(ftprep_stream* in, const char* tag, uint64_t max_bytes, const char* limit_option, int* fd,
                       std::string* path);

}  // namespace ftprep

#endif  // FTPREP_CORE_FORMAT_SUPPORT_H_
