// Money, dates and the arithmetic helpers of the price library (see include/ftprep/price.h).
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "ftprep/price.h"

namespace ftprep::price {
namespace {

using i128 = __int128;

constexpr i128 kMaxNanos = INT64_MAX;

// n / d rounded half away from zero; d > 0.
i128 DivRound(i128 n, i128 d) {
  i128 q = n / d, r = n % d;
  if (r < 0) r = -r;
  if (2 * r >= d) q += (n < 0) ? -1 : 1;
  return q;
}

i128 Pow10(int e) {
  i128 p = 1;
  for (int i = 0; i < e; ++i) p *= 10;
  return p;
}

int64_t Clamp(i128 v) {
  if (v > kMaxNanos) return INT64_MAX;
  if (v < -kMaxNanos) return -INT64_MAX;
  return static_cast<int64_t>(v);
}

}  // namespace

// Parses `text` as a decimal number of dollars multiplied by 10^extra_exp10 (LiteLLM gives per-token prices;
// scaling the text keeps per-million prices exact).
Result<Money> ParseDollarsScaled(std::string_view text, int extra_exp10) {
  const std::string shown(text);
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // Mantissa digits without the dot; `exp10` is the power of ten the digits are scaled by.
  i128 mantissa = 0;
  int exp10 = 0, digits = 0, significant = 0;
  bool seen_dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !seen_dot) {
      seen_dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    ++digits;
    if (mantissa == 0 && c == '0') {
      if (seen_dot) --exp10;
      continue;
    }
    // Past 30 significant digits further digits cannot matter at nano-dollar precision of a sane amount.
    if (significant < 30) {
      mantissa = mantissa * 10 + (c - '0');
      ++significant;
      if (seen_dot) --exp10;
    } else if (!seen_dot) {
      ++exp10;
    }
  }
  if (digits == 0) return UsageError("not a dollar amount: \"" + shown + "\"");
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) eneg = text[i++] == '-';
    int e = 0, edigits = 0;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++edigits) {
      if (e < 10000) e = e * 10 + (text[i] - '0');
    }
    if (edigits == 0) return UsageError("not a dollar amount: \"" + shown + "\"");
    exp10 += eneg ? -e : e;
  }
  if (i != text.size()) return UsageError("not a dollar amount: \"" + shown + "\"");
  // nanos = mantissa * 10^(exp10 + 9)
  int shift = exp10 + 9 + extra_exp10;
  i128 nanos;
  if (mantissa == 0) {
    nanos = 0;
  } else if (shift >= 0) {
    if (shift > 30 || mantissa > kMaxNanos / Pow10(shift)) {
      return UsageError("dollar amount too large: \"" + shown + "\"");
    }
    nanos = mantissa * Pow10(shift);
  } else if (-shift > 36) {
    nanos = 0;
  } else {
    nanos = DivRound(mantissa, Pow10(-shift));
  }
  if (nanos > kMaxNanos) return UsageError("dollar amount too large: \"" + shown + "\"");
  return Money{static_cast<int64_t>(negative ? -nanos : nanos)};
}

Result<Money> ParseDollars(std::string_view text) { return ParseDollarsScaled(text, 0); }

std::string FormatDollars(Money m, int decimals) {
  if (decimals < 0) decimals = 0;
  if (decimals > 9) decimals = 9;
  i128 v = m.nanos;
  bool negative = v < 0;
  if (negative) v = -v;
  i128 scaled = DivRound(v, Pow10(9 - decimals));
  i128 unit = Pow10(decimals);
  std::string whole = std::to_string(static_cast<int64_t>(scaled / unit));
  // Thousands separators keep large totals readable.
  std::string grouped;
  for (size_t k = 0; k < whole.size(); ++k) {
    if (k > 0 && (whole.size() - k) % 3 == 0) grouped += ',';
    grouped += whole[k];
  }
  std::string out = negative && scaled != 0 ? "-$" : "$";
  out += grouped;
  if (decimals > 0) {
    std::string frac = std::to_string(static_cast<int64_t>(scaled % unit));
    out += '.';
    out += std::string(decimals - frac.size(), '0') + frac;
  }
  return out;
}

std::string FormatDollarsAuto(Money m) {
  int64_t a = m.nanos < 0 ? -m.nanos : m.nanos;
  // Below half a hundredth of a cent four decimals would print a misleading $0.0000.
  if (a > 0 && a < 50'000) return m.nanos < 0 ? "-<$0.0001" : "<$0.0001";
  return FormatDollars(m, a >= Money::kPerDollar || a == 0 ? 2 : 4);
}

std::string FormatRate(Money m) {
  std::string s = FormatDollars(m, 9);
  size_t dot = s.find('.');
  while (s.size() > dot + 3 && s.back() == '0') s.pop_back();
  return s;
}

Money CostOfTokens(int64_t tokens, Money rate_per_million) {
  return Money{Clamp(DivRound(static_cast<i128>(tokens) * rate_per_million.nanos, 1'000'000))};
}

// ---- Dates ---------------------------------------------------------------------------------------------

namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 (proleptic Gregorian), Howard Hinnant's civil-from-days inverse.
int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

}  // namespace

Result<Date> ParseDate(std::string_view text) {
  auto bad = [&] { return UsageError("not a date (want YYYY-MM-DD): \"" + std::string(text) + "\""); };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  auto num = [&](size_t pos, size_t len, int* out) {
    int v = 0;
    for (size_t k = pos; k < pos + len; ++k) {
      if (text[k] < '0' || text[k] > '9') return false;
      v = v * 10 + (text[k] - '0');
    }
    *out = v;
    return true;
  };
  Date d;
  if (!num(0, 4, &d.year) || !num(5, 2, &d.month) || !num(8, 2, &d.day)) return bad();
  if (d.year < 1970 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > DaysInMonth(d.year, d.month)) {
    return bad();
  }
  return d;
}

Result<Date> Today() {
  if (const char* env = std::getenv("FTPREP_TODAY"); env && *env) {
    auto d = ParseDate(env);
    if (!d.ok()) return UsageError("FTPREP_TODAY: " + d.status().message());
    return *d;
  }
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  return Date{utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday};
}

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

int64_t DaysBetween(const Date& from, const Date& to) {
  return DaysFromCivil(to.year, to.month, to.day) - DaysFromCivil(from.year, from.month, from.day);
}

}  // namespace ftprep::price
