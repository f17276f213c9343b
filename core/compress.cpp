#include "compress.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>

namespace ftprep {
namespace {

constexpr size_t kChunk = 1 << 16;

bool EndsWithNoCase(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  return std::equal(suffix.begin(), suffix.end(), s.end() - suffix.size(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

class GzipCompressor : public Compressor {
 public:
  GzipCompressor() {
    // 15 + 16: a gzip header and trailer (what gzip(1) and every reader expect), not a raw zlib stream.
    ok_ = deflateInit2(&z_, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK;
  }
  ~GzipCompressor() override {
    if (ok_) deflateEnd(&z_);
  }
  Status Add(std::string_view in, std::string* out) override { return Run(in, Z_NO_FLUSH, out); }
  Status Finish(std::string* out) override { return Run({}, Z_FINISH, out); }

 private:
  Status Run(std::string_view in, int flush, std::string* out) {
    if (!ok_) return Status(Code::kInternal, "gzip: cannot initialise the compressor");
    z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z_.avail_in = static_cast<uInt>(in.size());
    for (;;) {
      size_t old = out->size();
      out->resize(old + kChunk);
      z_.next_out = reinterpret_cast<Bytef*>(out->data() + old);
      z_.avail_out = kChunk;
      int rc = deflate(&z_, flush);
      out->resize(old + kChunk - z_.avail_out);
      if (rc == Z_STREAM_END) return Status::Ok();
      if (rc != Z_OK && rc != Z_BUF_ERROR) return Status(Code::kInternal, "gzip: compression failed");
      if (flush == Z_NO_FLUSH && z_.avail_in == 0 && z_.avail_out != 0) return Status::Ok();
    }
  }
  z_stream z_{};
  bool ok_ = false;
};

class ZstdCompressor : public Compressor {
 public:
  ZstdCompressor() : cs_(ZSTD_createCStream()) {
    if (cs_) ZSTD_initCStream(cs_, 3);
  }
  ~ZstdCompressor() override { ZSTD_freeCStream(cs_); }
  Status Add(std::string_view in, std::string* out) override { return Run(in, ZSTD_e_continue, out); }
  Status Finish(std::string* out) override { return Run({}, ZSTD_e_end, out); }

 private:
  Status Run(std::string_view in, ZSTD_EndDirective mode, std::string* out) {
    if (!cs_) return Status(Code::kInternal, "zstd: cannot initialise the compressor");
    ZSTD_inBuffer ib{in.data(), in.size(), 0};
    for (;;) {
      size_t old = out->size();
      out->resize(old + kChunk);
      ZSTD_outBuffer ob{out->data() + old, kChunk, 0};
      size_t left = ZSTD_compressStream2(cs_, &ob, &ib, mode);
      out->resize(old + ob.pos);
      if (ZSTD_isError(left)) return Status(Code::kInternal, std::string("zstd: ") + ZSTD_getErrorName(left));
      if (mode == ZSTD_e_end ? left == 0 : ib.pos == ib.size) return Status::Ok();
    }
  }
  ZSTD_CStream* cs_;
};

}  // namespace

std::unique_ptr<Compressor> CompressorForPath(const std::string& path) {
  if (EndsWithNoCase(path, ".gz")) return std::make_unique<GzipCompressor>();
  if (EndsWithNoCase(path, ".zst")) return std::make_unique<ZstdCompressor>();
  return nullptr;
}

}  // namespace ftprep
