// Encodings from parquet-format's Encodings.md. Bit-packed runs are LSB-first; RLE run values take
// ceil(width/8) little-endian bytes.
#include "encodings.h"

#include <algorithm>
#include <cstring>

namespace ftprep::parquet {

size_t ReadUleb(const uint8_t* p, const uint8_t* end, uint64_t* v) {
  uint64_t r = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (p + i >= end) return 0;
    uint8_t b = p[i];
    if (i == 9 && b > 1) return 0;
    r |= static_cast<uint64_t>(b & 0x7f) << (7 * i);
    if ((b & 0x80) == 0) {
      *v = r;
      return i + 1;
    }
  }
  return 0;
}

int BitWidth(uint32_t max_value) {
  int w = 0;
  while (max_value) {
    ++w;
    max_value >>= 1;
  }
  return w;
}

namespace {

// Reads `width` bits (<= 64) starting at bit `bit` of p; the caller guarantees the bytes exist.
uint64_t ReadBits(const uint8_t* p, uint64_t bit, int width) {
  if (width == 0) return 0;
  uint64_t byte = bit >> 3;
  int shift = static_cast<int>(bit & 7);
  uint64_t v = 0;
  int got = 0;
  int need = width + shift;
  for (int k = 0; got < need; ++k, got += 8) {
    uint64_t b = p[byte + k];
    if (got == 0) {
      v = b >> shift;
    } else if (got - shift < 64) {
      v |= b << (got - shift);
    }
  }
  return width == 64 ? v : v & ((uint64_t{1} << width) - 1);
}

}  // namespace

// Runs of length zero are legal but useless; they are skipped in a loop (never by recursion, which hostile
// data could drive arbitrarily deep).
bool RleDecoder::NextRun() {
  while (p_ < end_) {
    uint64_t h;
    size_t n = ReadUleb(p_, end_, &h);
    if (n == 0) return false;
    p_ += n;
    if (h & 1) {
      uint64_t groups = h >> 1;
      if (groups > (uint64_t{1} << 40)) return false;
      uint64_t bytes = groups * static_cast<uint64_t>(width_);  // 8 values per group, width bits each
      // Writers may cut the last group short at the end of the data; keep the values whose bits exist.
      uint64_t avail = static_cast<uint64_t>(end_ - p_);
      packed_ = p_;
      packed_bit_ = 0;
      if (bytes > avail) {
        packed_left_ = width_ == 0 ? groups * 8 : avail * 8 / static_cast<uint64_t>(width_);
        p_ = end_;
      } else {
        packed_left_ = groups * 8;
        p_ += bytes;
      }
      if (packed_left_ > 0) return true;
      continue;
    }
    rle_left_ = h >> 1;
    int nb = (width_ + 7) / 8;
    if (end_ - p_ < nb) return false;
    uint32_t v = 0;
    for (int i = 0; i < nb; ++i) v |= static_cast<uint32_t>(p_[i]) << (8 * i);
    p_ += nb;
    if (width_ < 32 && (v >> width_) != 0) return false;
    rle_value_ = v;
    if (rle_left_ > 0) return true;
  }
  return false;
}

bool RleDecoder::Get(uint32_t* out, size_t count) {
  if (width_ < 0 || width_ > 32) return false;
  size_t i = 0;
  while (i < count) {
    if (rle_left_ == 0 && packed_left_ == 0 && !NextRun()) return false;
    if (rle_left_ > 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(rle_left_, count - i));
      for (size_t j = 0; j < k; ++j) out[i + j] = rle_value_;
      rle_left_ -= k;
      i += k;
    } else {
      size_t k = static_cast<size_t>(std::min<uint64_t>(packed_left_, count - i));
      for (size_t j = 0; j < k; ++j) {
        out[i + j] = static_cast<uint32_t>(ReadBits(packed_, packed_bit_, width_));
        packed_bit_ += static_cast<uint64_t>(width_);
      }
      packed_left_ -= k;
      i += k;
    }
  }
  return true;
}

bool DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, size_t max_values, bool width32,
                             std::vector<int64_t>* out, size_t* consumed, std::string* error) {
  const uint8_t* p = data;
  const uint8_t* end = data + size;
  uint64_t block, minis, total, zz;
  size_t n;
  auto fail = [&](const char* why) {
    *error = std::string("DELTA_BINARY_PACKED: ") + why;
    return false;
  };
  if (!(n = ReadUleb(p, end, &block))) return fail("truncated header");
  p += n;
  if (!(n = ReadUleb(p, end, &minis))) return fail("truncated header");
  p += n;
  if (!(n = ReadUleb(p, end, &total))) return fail("truncated header");
  p += n;
  if (!(n = ReadUleb(p, end, &zz))) return fail("truncated header");
  p += n;
  if (block == 0 || block % 128 != 0 || minis == 0 || block % minis != 0 || (block / minis) % 32 != 0 ||
      block > (1u << 20)) {
    return fail("invalid block or miniblock size");
  }
  if (total > max_values) total = max_values;
  uint64_t per_mini = block / minis;
  uint64_t last = (zz >> 1) ^ (~(zz & 1) + 1);
  auto push = [&](uint64_t v) {
    if (width32) {
      out->push_back(static_cast<int32_t>(static_cast<uint32_t>(v)));
    } else {
      out->push_back(static_cast<int64_t>(v));
    }
  };
  size_t start = out->size();
  if (total > 0) push(last);
  while (out->size() - start < total) {
    uint64_t mz;
    if (!(n = ReadUleb(p, end, &mz))) return fail("truncated block header");
    p += n;
    uint64_t min_delta = (mz >> 1) ^ (~(mz & 1) + 1);
    if (static_cast<uint64_t>(end - p) < minis) return fail("truncated miniblock widths");
    const uint8_t* widths = p;
    p += minis;
    for (uint64_t m = 0; m < minis && out->size() - start < total; ++m) {
      int w = widths[m];
      if (w > 64) return fail("miniblock bit width above 64");
      uint64_t bytes = per_mini * static_cast<uint64_t>(w) / 8;
      uint64_t avail = static_cast<uint64_t>(end - p);
      uint64_t need_vals = std::min<uint64_t>(per_mini, total - (out->size() - start));
      if (need_vals * static_cast<uint64_t>(w) > avail * 8) return fail("truncated miniblock");
      for (uint64_t j = 0; j < need_vals; ++j) {
        uint64_t delta = ReadBits(p, j * static_cast<uint64_t>(w), w);
        last = last + min_delta + delta;
        push(last);
      }
      p += std::min(bytes, avail);
    }
  }
  *consumed = static_cast<size_t>(p - data);
  return true;
}

}  // namespace ftprep::parquet
