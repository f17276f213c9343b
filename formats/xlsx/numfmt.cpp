#include "numfmt.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace ftprep::xlsx {
namespace {

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool StartsWithNoCase(std::string_view s, size_t at, std::string_view word) {
  if (s.size() - at < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    if (Lower(s[at + i]) != word[i]) return false;
  }
  return true;
}

// Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

void AppendPadded(int64_t v, int width, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  for (int n = static_cast<int>(r.ptr - buf); n < width; ++n) out->push_back('0');
  out->append(buf, r.ptr);
}

}  // namespace

NumFormat ClassifyBuiltinFormat(int id) {
  NumFormat f;
  if ((id >= 14 && id <= 17) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) {
    f.kind = NumKind::kDate;
  } else if ((id >= 18 && id <= 21) || id == 45) {
    f.kind = NumKind::kTime;
  } else if (id == 22) {
    f.kind = NumKind::kDateTime;
  } else if (id == 46) {
    f.kind = NumKind::kElapsed;
  } else if (id == 47) {  // mmss.0
    f.kind = NumKind::kTime;
    f.frac_digits = 1;
  }
  return f;
}

NumFormat ClassifyFormatCode(std::string_view code) {
  bool y = false, m = false, d = false, h = false, s = false, elapsed = false;
  int frac = 0;
  for (size_t i = 0; i < code.size(); ++i) {
    const char c = code[i];
    if (c == ';') break;  // only the first (positive) section decides
    if (c == '"') {
      size_t end = code.find('"', i + 1);
      if (end == std::string_view::npos) break;
      i = end;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal / padding
    } else if (c == '[') {
      size_t end = code.find(']', i + 1);
      if (end == std::string_view::npos) break;
      std::string_view tag = code.substr(i + 1, end - i - 1);
      // [h], [mm], [ss]: elapsed time; anything else ([Red], [$-409], [>100]) is decoration.
      if (!tag.empty()) {
        char first = Lower(tag[0]);
        bool same = first == 'h' || first == 'm' || first == 's';
        for (char t : tag) same = same && Lower(t) == first;
        if (same) {
          elapsed = true;
          (first == 'h' ? h : first == 'm' ? m : s) = true;
        }
      }
      i = end;
    } else if (StartsWithNoCase(code, i, "am/pm")) {
      i += 4;
    } else if (StartsWithNoCase(code, i, "a/p")) {
      i += 2;
    } else {
      switch (Lower(c)) {
        case 'y':
          y = true;
          break;
        case 'd':
          d = true;
          break;
        case 'h':
          h = true;
          break;
        case 'm':
          m = true;
          break;
        case 's': {
          s = true;
          size_t j = i;
          while (j < code.size() && Lower(code[j]) == 's') ++j;
          if (j < code.size() && code[j] == '.') {
            size_t k = j + 1;
            while (k < code.size() && code[k] == '0') ++k;
            frac = static_cast<int>(k - j - 1);
            i = k - 1;
          } else {
            i = j - 1;
          }
          break;
        }
        default:
          break;
      }
    }
  }
  NumFormat f;
  const bool has_time = h || s;
  const bool has_date = y || d || (m && !has_time);
  f.frac_digits = static_cast<uint8_t>(frac > 3 ? 3 : frac);
  if (elapsed) {
    f.kind = NumKind::kElapsed;
  } else if (has_date && has_time) {
    f.kind = NumKind::kDateTime;
  } else if (has_date) {
    f.kind = NumKind::kDate;
  } else if (has_time) {
    f.kind = NumKind::kTime;
  } else {
    f.frac_digits = 0;
  }
  return f;
}

void AppendNumber(double v, std::string* out) {
  char buf[64];
  if (v == 0) {  // also turns -0 into "0"
    out->push_back('0');
    return;
  }
  if (std::isfinite(v) && std::trunc(v) == v && std::fabs(v) < 1e17) {
    auto r = std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(v));
    out->append(buf, r.ptr);
    return;
  }
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

bool AppendDateTime(double serial, NumFormat f, bool date1904, std::string* out) {
  if (!(serial >= 0) || serial > 2958466.0) return false;
  constexpr int64_t kMsPerDay = 86400000;
  int64_t ms = std::llround(serial * static_cast<double>(kMsPerDay));
  // Round to the precision the format shows, as the cell display does.
  int64_t unit = 1000;
  for (int i = 0; i < f.frac_digits; ++i) unit /= 10;
  ms = (ms + unit / 2) / unit * unit;
  int64_t days = ms / kMsPerDay;
  int64_t in_day = ms % kMsPerDay;

  if (f.kind == NumKind::kElapsed) {
    AppendPadded(ms / 3600000, 2, out);
    in_day = ms % 3600000;
  } else if (f.kind != NumKind::kTime) {
    int64_t y;
    unsigned m, d;
    if (date1904) {
      CivilFromDays(DaysFromCivil(1904, 1, 1) + days, &y, &m, &d);
    } else if (days == 60) {  // Excel keeps Lotus 1-2-3's 29 February 1900
      y = 1900, m = 2, d = 29;
    } else {
      CivilFromDays(DaysFromCivil(1899, 12, days < 60 ? 31 : 30) + days, &y, &m, &d);
    }
    if (y > 9999) return false;
    AppendPadded(y, 4, out);
    out->push_back('-');
    AppendPadded(m, 2, out);
    out->push_back('-');
    AppendPadded(d, 2, out);
    if (f.kind == NumKind::kDate) return true;
    out->push_back('T');
  }
  if (f.kind != NumKind::kElapsed) AppendPadded(in_day / 3600000, 2, out);
  out->push_back(':');
  AppendPadded(in_day / 60000 % 60, 2, out);
  out->push_back(':');
  AppendPadded(in_day / 1000 % 60, 2, out);
  if (f.frac_digits > 0) {
    out->push_back('.');
    int64_t frac = in_day % 1000;
    int64_t div = 100;
    for (int i = 0; i < f.frac_digits; ++i, div /= 10)
      out->push_back(static_cast<char>('0' + frac / div % 10));
  }
  return true;
}

}  // namespace ftprep::xlsx
