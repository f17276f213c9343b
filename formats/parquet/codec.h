// formats/parquet/codec.h — page decompression for Parquet's codecs, through Debian's libraries
// (snappy, zlib, zstd, brotli, lz4).
#ifndef FTPREP_FORMATS_PARQUET_CODEC_H_
#define FTPREP_FORMATS_PARQUET_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "ftprep/status.h"

namespace ftprep::parquet {

// Decompresses `in` (codec: Parquet's CompressionCodec value) into exactly `out_size` bytes, the size the
// page header declares (checked against the reader's limits before this is called). Output of any other
// size is an error, so a page can never inflate past what was allowed.
Status Decompress(int32_t codec, const uint8_t* in, size_t in_size, size_t out_size, std::string* out);

// True when this build can decompress `codec`.
bool CodecSupported(int32_t codec);

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_CODEC_H_
