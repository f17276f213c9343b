// Value printing. Floats print as the shortest text that reads back to the same value at the column's
// width; integers past 2^53 (where a JSON reader's double would round them) as decimal strings.
#include "values.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace ftprep::parquet {
namespace {

constexpr int64_t kSafe = int64_t{1} << 53;

void AppendInt(int64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  bool quote = v >= kSafe || v <= -kSafe;
  if (quote) *out += '"';
  out->append(buf, r.ptr);
  if (quote) *out += '"';
}

void AppendUint(uint64_t v, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  bool quote = v >= static_cast<uint64_t>(kSafe);
  if (quote) *out += '"';
  out->append(buf, r.ptr);
  if (quote) *out += '"';
}

bool NonFinite(double d, std::string* out) {
  if (std::isnan(d)) {
    *out += "\"NaN\"";
    return true;
  }
  if (std::isinf(d)) {
    *out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return true;
  }
  return false;
}

// Half-precision bits to float (exact).
float HalfToFloat(uint16_t h) {
  uint32_t sign = (h >> 15) & 1, exp = (h >> 10) & 0x1f, man = h & 0x3ff;
  float v;
  if (exp == 0) {
    v = std::ldexp(static_cast<float>(man), -24);
  } else if (exp == 31) {
    v = man ? std::nanf("") : INFINITY;
  } else {
    v = std::ldexp(static_cast<float>(man | 0x400), static_cast<int>(exp) - 25);
  }
  return sign ? -v : v;
}

// Round-to-nearest-even conversion of a double to half bits (finite inputs within range).
uint16_t DoubleToHalf(double d) {
  uint16_t sign = std::signbit(d) ? 0x8000 : 0;
  d = std::fabs(d);
  if (d >= 65520.0) return sign | 0x7c00;
  // Scale to units of the smallest subnormal (2^-24), then round to even at the right precision.
  int e;
  std::frexp(d, &e);  // d = m * 2^e, m in [0.5, 1)
  int exp = e - 1;    // d in [2^exp, 2^(exp+1))
  if (exp < -14) exp = -14;
  double unit = std::ldexp(1.0, exp - 10);  // spacing of halfs at this exponent
  double q = std::nearbyint(d / unit);      // default rounding: to nearest, ties to even
  double r = q * unit;
  // Rebuild bits from the rounded value.
  if (r == 0) return sign;
  int e2;
  std::frexp(r, &e2);
  int be = e2 - 1;
  if (be < -14) return sign | static_cast<uint16_t>(std::ldexp(r, 24));  // subnormal
  uint16_t man = static_cast<uint16_t>(std::ldexp(r, 10 - be) - 1024);
  return sign | static_cast<uint16_t>((be + 15) << 10) | man;
}

void AppendYear(int64_t y, std::string* out) {
  char buf[32];
  if (y >= 0 && y <= 9999) {
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(y));
  } else {
    std::snprintf(buf, sizeof buf, "%c%06lld", y < 0 ? '-' : '+', static_cast<long long>(y < 0 ? -y : y));
  }
  *out += buf;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

void AppendTimestamp(int64_t v, int32_t unit, bool utc, std::string* out) {
  int64_t per_sec = unit == kMillis ? 1000 : unit == kMicros ? 1000000 : 1000000000;
  int digits = unit == kMillis ? 3 : unit == kMicros ? 6 : 9;
  int64_t per_day = per_sec * 86400;
  int64_t days = FloorDiv(v, per_day);
  int64_t rest = v - days * per_day;
  *out += '"';
  AppendDate(days, out);
  *out += 'T';
  AppendTimeOfDay(rest, per_sec, digits, out);
  if (utc) *out += 'Z';
  *out += '"';
}

}  // namespace

void AppendFloat(float f, std::string* out) {
  if (NonFinite(f, out)) return;
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::general);
  out->append(buf, r.ptr);
}

void AppendDouble(double d, std::string* out) {
  if (NonFinite(d, out)) return;
  char buf[48];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::general);
  out->append(buf, r.ptr);
}

void AppendHalf(uint16_t bits, std::string* out) {
  float f = HalfToFloat(bits);
  if (NonFinite(f, out)) return;
  char buf[48];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, static_cast<double>(f));
    if (DoubleToHalf(std::strtod(buf, nullptr)) == bits || (f == 0 && std::strtod(buf, nullptr) == 0)) break;
  }
  *out += buf;
}

void AppendDecimalInt(int64_t v, int32_t scale, std::string* out) {
  uint64_t mag = v < 0 ? ~static_cast<uint64_t>(v) + 1 : static_cast<uint64_t>(v);
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, mag);
  std::string digits(buf, r.ptr);
  *out += '"';
  if (v < 0) *out += '-';
  if (scale <= 0) {
    *out += digits;
    if (mag != 0) out->append(static_cast<size_t>(-static_cast<int64_t>(scale)), '0');
  } else {
    size_t s = static_cast<size_t>(scale);
    if (digits.size() <= s) digits.insert(0, s - digits.size() + 1, '0');
    out->append(digits, 0, digits.size() - s);
    *out += '.';
    out->append(digits, digits.size() - s, s);
  }
  *out += '"';
}

// Big-endian two's complement of any length: long division by 10^9 over the magnitude's bytes.
void AppendDecimalBytes(const char* p, size_t n, int32_t scale, std::string* out) {
  std::string mag(p, n);
  bool neg = n > 0 && (static_cast<unsigned char>(p[0]) & 0x80);
  if (neg) {  // negate: invert and add one
    for (char& c : mag) c = static_cast<char>(~c);
    for (size_t i = mag.size(); i-- > 0;) {
      if (++reinterpret_cast<unsigned char&>(mag[i]) != 0) break;
    }
  }
  std::string digits;
  std::vector<uint32_t> chunks;
  size_t start = 0;
  while (start < mag.size() && mag[start] == 0) ++start;
  while (start < mag.size()) {
    uint64_t rem = 0;
    for (size_t i = start; i < mag.size(); ++i) {
      uint64_t cur = (rem << 8) | static_cast<unsigned char>(mag[i]);
      mag[i] = static_cast<char>(cur / 1000000000u);
      rem = cur % 1000000000u;
    }
    chunks.push_back(static_cast<uint32_t>(rem));
    while (start < mag.size() && mag[start] == 0) ++start;
  }
  if (chunks.empty()) chunks.push_back(0);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%u", chunks.back());
  digits = buf;
  for (size_t i = chunks.size() - 1; i-- > 0;) {
    std::snprintf(buf, sizeof buf, "%09u", chunks[i]);
    digits += buf;
  }
  bool zero = digits == "0";
  *out += '"';
  if (neg && !zero) *out += '-';
  if (scale <= 0) {
    *out += digits;
    if (!zero) out->append(static_cast<size_t>(-static_cast<int64_t>(scale)), '0');
  } else {
    size_t s = static_cast<size_t>(scale);
    if (digits.size() <= s) digits.insert(0, s - digits.size() + 1, '0');
    out->append(digits, 0, digits.size() - s);
    *out += '.';
    out->append(digits, digits.size() - s, s);
  }
  *out += '"';
}

// Days since 1970-01-01 to the proleptic Gregorian calendar (the era arithmetic of Howard Hinnant's
// civil_from_days, in 64 bits).
void AppendDate(int64_t z, std::string* out) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  AppendYear(y, out);
  char buf[16];
  std::snprintf(buf, sizeof buf, "-%02d-%02d", static_cast<int>(m), static_cast<int>(d));
  *out += buf;
}

void AppendTimeOfDay(int64_t v, int64_t per_sec, int digits, std::string* out) {
  int64_t secs = FloorDiv(v, per_sec);
  int64_t frac = v - secs * per_sec;
  int64_t h = FloorDiv(secs, 3600), m = (secs - h * 3600) / 60, s = secs % 60;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%0*lld", static_cast<long long>(h),
                static_cast<long long>(m), static_cast<long long>(s), digits, static_cast<long long>(frac));
  *out += buf;
}

// INT96: nanoseconds of the day (8 bytes LE), then the Julian day number (4 bytes LE), both signed as
// Spark (the main writer of INT96) reads them. Valid files never have a negative either; for broken ones
// readers differ (Arrow reads the day unsigned), so out-of-range values print as their arithmetic gives.
void AppendInt96(const char* p, std::string* out) {
  int64_t nanos;
  int32_t julian;
  std::memcpy(&nanos, p, 8);
  std::memcpy(&julian, p + 8, 4);
  constexpr int64_t kDay = int64_t{86400} * 1000000000;
  int64_t days = static_cast<int64_t>(julian) - 2440588 + FloorDiv(nanos, kDay);
  int64_t rest = nanos - FloorDiv(nanos, kDay) * kDay;
  *out += '"';
  AppendDate(days, out);
  *out += 'T';
  AppendTimeOfDay(rest, 1000000000, 9, out);
  *out += '"';
}

bool AppendValue(const LeafInfo& leaf, const Val& v, std::string* out) {
  switch (leaf.kind) {
    case Kind::kBool:
      *out += v.i ? "true" : "false";
      return true;
    case Kind::kInt32:
    case Kind::kInt64:
      AppendInt(v.i, out);
      return true;
    case Kind::kUint32:
      AppendUint(static_cast<uint32_t>(v.i), out);
      return true;
    case Kind::kUint64:
      AppendUint(static_cast<uint64_t>(v.i), out);
      return true;
    case Kind::kFloat:
      AppendFloat(v.f, out);
      return true;
    case Kind::kDouble:
      AppendDouble(v.d, out);
      return true;
    case Kind::kFloat16: {
      uint16_t bits = static_cast<uint16_t>(static_cast<unsigned char>(v.p[0]) |
                                            (static_cast<unsigned char>(v.p[1]) << 8));
      AppendHalf(bits, out);
      return true;
    }
    case Kind::kString:
      if (IsUtf8(v.p, v.len)) {
        *out += '"';
        AppendJsonEscaped(v.p, v.len, out);
        *out += '"';
        return true;
      }
      *out += '"';
      AppendBase64(v.p, v.len, out);
      *out += '"';
      return false;
    case Kind::kBinary:
      *out += '"';
      AppendBase64(v.p, v.len, out);
      *out += '"';
      return true;
    case Kind::kDecimal:
      if (leaf.physical == kInt32 || leaf.physical == kInt64) {
        AppendDecimalInt(v.i, leaf.scale, out);
      } else {
        AppendDecimalBytes(v.p, v.len, leaf.scale, out);
      }
      return true;
    case Kind::kDate:
      *out += '"';
      AppendDate(v.i, out);
      *out += '"';
      return true;
    case Kind::kTime: {
      int64_t per = leaf.unit == kMillis ? 1000 : leaf.unit == kMicros ? 1000000 : 1000000000;
      *out += '"';
      AppendTimeOfDay(v.i, per, leaf.unit == kMillis ? 3 : leaf.unit == kMicros ? 6 : 9, out);
      *out += '"';
      return true;
    }
    case Kind::kTimestamp:
      AppendTimestamp(v.i, leaf.unit, leaf.utc, out);
      return true;
    case Kind::kInt96:
      AppendInt96(v.p, out);
      return true;
    case Kind::kUuid: {
      static const char kHex[] = "0123456789abcdef";
      *out += '"';
      for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) *out += '-';
        unsigned char c = static_cast<unsigned char>(v.p[i]);
        *out += kHex[c >> 4];
        *out += kHex[c & 15];
      }
      *out += '"';
      return true;
    }
    case Kind::kNull:
      *out += "null";
      return true;
  }
  return true;
}

}  // namespace ftprep::parquet
