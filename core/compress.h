// core/compress.h — output compression chosen by the file name: "x.gz" is written as gzip (zlib, level 6),
// "x.zst" as zstd (level 3); anything else is written as is. Used by Output, so every tool's -o, --rejects
// and --report honour it. Not thread-safe; one per output.
#ifndef FTPREP_CORE_COMPRESS_H_
#define FTPREP_CORE_COMPRESS_H_

#include <memory>
#include <string>
#include <string_view>

#include "ftprep/status.h"

namespace ftprep {

class Compressor {
 public:
  virtual ~Compressor() = default;
  // Compresses `in` and appends whatever output is ready to *out.
  virtual Status Add(std::string_view in, std::string* out) = 0;
  // Ends the stream: appends the remaining output and the trailer to *out.
  virtual Status Finish(std::string* out) = 0;
};

// The compressor for a path's extension (case-insensitive .gz or .zst), or null for plain output.
std::unique_ptr<Compressor> CompressorForPath(const std::string& path);

}  // namespace ftprep

#endif  // FTPREP_CORE_COMPRESS_H_
