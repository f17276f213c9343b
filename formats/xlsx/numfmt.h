// formats/xlsx/numfmt.h — how a numeric cell is shown: plain number, date, time or elapsed time.
//
// XLSX stores dates as numbers (days since an epoch) and leaves it to the cell's number format to show them
// as dates. These helpers classify a number format (built-in id or custom format code) and turn a cell's
// numeric text into the text the cell shows: integers without ".0", the shortest round-trip decimal
// otherwise, and ISO 8601 for dates and times. Pure functions; thread-safe.
#ifndef FTPREP_FORMATS_XLSX_NUMFMT_H_
#define FTPREP_FORMATS_XLSX_NUMFMT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace ftprep::xlsx {

enum class NumKind : uint8_t {
  kNumber,    // shown as a number
  kDate,      // YYYY-MM-DD
  kTime,      // HH:MM:SS (the day part is not shown, as in Excel)
  kDateTime,  // YYYY-MM-DDTHH:MM:SS
  kElapsed,   // [h]:mm:ss: hours may exceed 24, e.g. "36:15:00"
};

struct NumFormat {
  NumKind kind = NumKind::kNumber;
  uint8_t frac_digits = 0;  // fractional-second digits the format shows (ss.000 -> 3), at most 3
};

// Built-in number format ids (ECMA-376 18.8.30): 14-22 and 45-47 are dates/times; 27-36 and 50-58 are the
// East Asian locale date formats.
NumFormat ClassifyBuiltinFormat(int id);

// A custom format code such as "yyyy-mm-dd h:mm" or "[$-409]mmm d, yyyy;@". Only the first section counts.
// Quoted text, escaped characters, colours and locale tags are ignored when looking for y/m/d/h/s.
NumFormat ClassifyFormatCode(std::string_view code);

// Appends the shortest text that round-trips `v`: "42", "-0.5", "69.814", "1e+300".
void AppendNumber(double v, std::string* out);

// Appends `serial` (days since the workbook's epoch) as ISO 8601 per `f`. Returns false and appends nothing
// if the value is no valid date (negative, NaN, after 9999-12-31): the caller then shows the number.
bool AppendDateTime(double serial, NumFormat f, bool date1904, std::string* out);

}  // namespace ftprep::xlsx

#endif  // FTPREP_FORMATS_XLSX_NUMFMT_H_
