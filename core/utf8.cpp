#include "utf8.h"

#include <cstdint>
#include <cstring>

#include "utf8_dfa.h"

namespace ftprep {

namespace {
// Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid (a truncated sequence too).
inline size_t SeqLen(const unsigned char* p, const unsigned char* end) {
  const int n = Utf8SeqLen(p, end);
  return n > 0 ? static_cast<size_t>(n) : 0;
}
}  // namespace

size_t FindInvalidUtf8(std::string_view s) {
  if (Utf8Valid(reinterpret_cast<const uint8_t*>(s.data()), s.size())) return std::string_view::npos;
  return FindInvalidUtf8Scalar(s);
}

size_t FindInvalidUtf8Scalar(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  const auto* begin = p;
  while (p < end) {
    // ASCII fast path, 8 bytes at a time.
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p >= end) break;
    size_t n = SeqLen(p, end);
    if (n == 0) return static_cast<size_t>(p - begin);
    p += n;
  }
  return std::string_view::npos;
}

std::string ValidUtf8OrReplace(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    size_t n = SeqLen(p, end);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++p;
    } else {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    }
  }
  return out;
}

std::string Base64(std::string_view in) {
  static const char kTab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  auto b = [&](size_t k) { return static_cast<unsigned char>(in[k]); };
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (b(i) << 16) | (b(i + 1) << 8) | b(i + 2);
    out += kTab[v >> 18];
    out += kTab[(v >> 12) & 63];
    out += kTab[(v >> 6) & 63];
    out += kTab[v & 63];
  }
  if (i < in.size()) {
    uint32_t v = b(i) << 16;
    if (i + 1 < in.size()) v |= b(i + 1) << 8;
    out += kTab[v >> 18];
    out += kTab[(v >> 12) & 63];
    out += (i + 1 < in.size()) ? kTab[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace ftprep
