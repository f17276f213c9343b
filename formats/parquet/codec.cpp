// One function per codec; each one writes into a buffer of the declared size and fails on anything else.
#include "codec.h"

#include "metadata.h"

#include <brotli/decode.h>
#include <lz4.h>
#include <lz4frame.h>
#include <snappy-c.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>

namespace ftprep::parquet {
namespace {

Status Snappy(const uint8_t* in, size_t n, std::string* out) {
  size_t len = 0;
  const char* src = reinterpret_cast<const char*>(in);
  if (snappy_uncompressed_length(src, n, &len) != SNAPPY_OK || len != out->size()) {
    return DataError("snappy data is corrupt or does not inflate to the page's declared size");
  }
  if (snappy_uncompress(src, n, out->data(), &len) != SNAPPY_OK || len != out->size()) {
    return DataError("snappy data is corrupt");
  }
  return Status::Ok();
}

// GZIP pages may hold several gzip members one after another (some writers flush per member).
Status Gzip(const uint8_t* in, size_t n, std::string* out) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 32) != Z_OK) return InternalError("zlib inflateInit2 failed");
  z.next_in = const_cast<Bytef*>(in);
  z.avail_in = static_cast<uInt>(n);
  z.next_out = reinterpret_cast<Bytef*>(out->data());
  z.avail_out = static_cast<uInt>(out->size());
  int rc = Z_OK;
  for (;;) {
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END && z.avail_in > 0 && z.avail_out > 0) {
      inflateReset(&z);
      continue;
    }
    if (rc == Z_STREAM_END && z.avail_in > 0) {
      // Output is full; only trailing zero padding may remain.
      bool zeros = true;
      for (uInt i = 0; i < z.avail_in; ++i) zeros &= z.next_in[i] == 0;
      if (!zeros) rc = Z_BUF_ERROR;
    }
    break;
  }
  size_t produced = out->size() - z.avail_out;
  inflateEnd(&z);
  if (rc != Z_STREAM_END || produced != out->size()) {
    return DataError("gzip data is corrupt or does not inflate to the page's declared size");
  }
  return Status::Ok();
}

Status Zstd(const uint8_t* in, size_t n, std::string* out) {
  size_t r = ZSTD_decompress(out->data(), out->size(), in, n);
  if (ZSTD_isError(r) || r != out->size()) {
    return DataError(std::string("zstd data is corrupt or does not inflate to the page's declared size") +
                     (ZSTD_isError(r) ? std::string(" (") + ZSTD_getErrorName(r) + ")" : ""));
  }
  return Status::Ok();
}

Status Brotli(const uint8_t* in, size_t n, std::string* out) {
  size_t len = out->size();
  if (BrotliDecoderDecompress(n, in, &len, reinterpret_cast<uint8_t*>(out->data())) != BROTLI_DECODER_RESULT_SUCCESS ||
      len != out->size()) {
    return DataError("brotli data is corrupt or does not inflate to the page's declared size");
  }
  return Status::Ok();
}

Status Lz4Raw(const uint8_t* in, size_t n, std::string* out) {
  if (n > static_cast<size_t>(LZ4_MAX_INPUT_SIZE) || out->size() > static_cast<size_t>(LZ4_MAX_INPUT_SIZE) * 2) {
    return DataError("an LZ4 page is larger than LZ4 allows");
  }
  int r = LZ4_decompress_safe(reinterpret_cast<const char*>(in), out->data(), static_cast<int>(n),
                              static_cast<int>(out->size()));
  if (r < 0 || static_cast<size_t>(r) != out->size()) {
    return DataError("LZ4 data is corrupt or does not inflate to the page's declared size");
  }
  return Status::Ok();
}

uint32_t Be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

// Hadoop's framing: blocks of [4-byte BE uncompressed size][4-byte BE compressed size][raw LZ4 block...].
bool Lz4Hadoop(const uint8_t* in, size_t n, std::string* out) {
  size_t ip = 0, op = 0;
  while (ip < n) {
    if (n - ip < 8) return false;
    uint32_t usize = Be32(in + ip), csize = Be32(in + ip + 4);
    ip += 8;
    if (csize > n - ip || usize > out->size() - op) return false;
    int r = LZ4_decompress_safe(reinterpret_cast<const char*>(in + ip), out->data() + op, static_cast<int>(csize),
                                static_cast<int>(usize));
    if (r < 0 || static_cast<uint32_t>(r) != usize) return false;
    ip += csize;
    op += usize;
  }
  return op == out->size();
}

bool Lz4Frame(const uint8_t* in, size_t n, std::string* out) {
  LZ4F_dctx* ctx = nullptr;
  if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION))) return false;
  size_t ip = 0, op = 0;
  bool ok = true;
  while (ip < n) {
    size_t src = n - ip, dst = out->size() - op;
    size_t r = LZ4F_decompress(ctx, out->data() + op, &dst, in + ip, &src, nullptr);
    if (LZ4F_isError(r)) {
      ok = false;
      break;
    }
    ip += src;
    op += dst;
    if (r == 0 && ip < n) LZ4F_resetDecompressionContext(ctx);  // another frame follows
    if (src == 0 && dst == 0) {
      ok = false;
      break;
    }
  }
  LZ4F_freeDecompressionContext(ctx);
  return ok && op == out->size();
}

// The deprecated LZ4 codec was written three ways (Hadoop framing, the LZ4 frame format, a bare block);
// each is tried in the order its first bytes make likely.
Status Lz4Legacy(const uint8_t* in, size_t n, std::string* out) {
  if (n >= 8 && Be32(in) <= out->size() && Be32(in + 4) <= n - 8 && Lz4Hadoop(in, n, out)) return Status::Ok();
  if (n >= 4 && in[0] == 0x04 && in[1] == 0x22 && in[2] == 0x4d && in[3] == 0x18 && Lz4Frame(in, n, out)) {
    return Status::Ok();
  }
  if (Lz4Raw(in, n, out).ok()) return Status::Ok();
  return DataError("LZ4 data is corrupt (neither Hadoop-framed, an LZ4 frame nor a raw LZ4 block)");
}

}  // namespace

bool CodecSupported(int32_t codec) {
  return codec == 0 || codec == 1 || codec == 2 || codec == 4 || codec == 5 || codec == 6 || codec == 7;
}

Status Decompress(int32_t codec, const uint8_t* in, size_t n, size_t out_size, std::string* out) {
  out->resize(out_size);
  if (out_size == 0 && CodecSupported(codec)) return Status::Ok();  // an empty page (v2 pages may be)
  switch (codec) {
    case 0:
      if (n != out_size) return DataError("an uncompressed page's sizes disagree");
      if (n) std::memcpy(out->data(), in, n);
      return Status::Ok();
    case 1:
      return Snappy(in, n, out);
    case 2:
      return Gzip(in, n, out);
    case 4:
      return Brotli(in, n, out);
    case 5:
      return Lz4Legacy(in, n, out);
    case 6:
      return Zstd(in, n, out);
    case 7:
      return Lz4Raw(in, n, out);
    default:
      return DataError(std::string("unsupported compression codec ") + CodecName(codec) + " (" +
                       std::to_string(codec) + ")");
  }
}

}  // namespace ftprep::parquet
