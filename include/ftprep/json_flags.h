// include/ftprep/json_flags.h — how ftprep and its plugins parse a record's JSON text into a DOM.
//
// Iterative: nesting depth never grows the C++ stack (readers also cap depth). Full precision: every number
// parses to the correctly rounded double, so a record that is parsed and written again keeps its numbers'
// values; RapidJSON's default fast path is off by an ulp for about one in seven long decimals, which would
// silently change data on every pass through a tool (found by the JSONL fuzzer's round-trip invariant).
//
// Parse records with ParseRecordJson, not with Parse<kRecordParseFlags> directly: RapidJSON 1.1's
// full-precision conversion gets a zero significand with a large exponent wrong (`0.0e-24` comes out as a tiny
// nonzero number; `__builtin_clzll(0)`, undefined behaviour). ParseRecordJson spots such a number with a
// cheap scan and parses that record with every number converted by std::from_chars (correctly rounded too).
// Header-only, so out-of-tree plugins get the same values as the host. Thread-compatible (no shared state).
// Inside ftprep the JSON Lines reader and Record::doc() first try core/json_fast.h, a one-pass parse that
// gives these same documents (numbers included) for the lines it accepts and leaves the rest to this one.
#ifndef FTPREP_JSON_FLAGS_H_
#define FTPREP_JSON_FLAGS_H_

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cstdint>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace ftprep {

inline constexpr unsigned kRecordParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;

namespace json_detail {

// True when `json` may hold a number whose digits are all zeros and which has an exponent (`0e5`, `-0.0e-52`).
// Looks only at '0' bytes (memchr) and their neighbours, so it costs little on any record. A hit inside a
// string ("... 0e5 ...") is a false alarm that only sends the record down the exact (slower) path.
inline bool MayHoldZeroWithExponent(const char* json, size_t len) {
  const char* end = json + len;
  const char* p = json;
  while (p < end && (p = static_cast<const char*>(std::memchr(p, '0', static_cast<size_t>(end - p))))) {
    const char* start = p;
    if (start > json && start[-1] == '-') --start;
    const char* q = p + 1;
    while (q < end && (*q == '0' || *q == '.')) ++q;
    if (q < end && (*q == 'e' || *q == 'E')) {
      char before = start > json ? start[-1] : ' ';
      if (before == ' ' || before == ',' || before == ':' || before == '[' || before == '\t' || before == '\n' ||
          before == '\r') {
        return true;
      }
    }
    p = q;
  }
  return false;
}

// A SAX handler that builds `doc` as Document::Parse would, but converts each number's text itself.
template <typename Doc>
struct ExactNumbers {
  using Ch = char;
  Doc& d;
  bool Null() { return d.Null(); }
  bool Bool(bool b) { return d.Bool(b); }
  bool Int(int i) { return d.Int(i); }
  bool Uint(unsigned u) { return d.Uint(u); }
  bool Int64(int64_t i) { return d.Int64(i); }
  bool Uint64(uint64_t u) { return d.Uint64(u); }
  bool Double(double v) { return d.Double(v); }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return d.String(s, n, copy); }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) { return d.Key(s, n, copy); }
  bool StartObject() { return d.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return d.EndObject(n); }
  bool StartArray() { return d.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return d.EndArray(n); }
  // `s` is NUL-terminated (the reader copies the number). Integers keep RapidJSON's types (int64/uint64 when
  // they fit, else a double); every other number is the correctly rounded double.
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool) {
    const char* e = s + n;
    if (std::string_view(s, n).find_first_of(".eE") == std::string_view::npos) {
      if (*s == '-') {
        int64_t i = 0;
        auto r = std::from_chars(s, e, i);
        if (r.ec == std::errc() && r.ptr == e) return d.Int64(i);
      } else {
        uint64_t u = 0;
        auto r = std::from_chars(s, e, u);
        if (r.ec == std::errc() && r.ptr == e) return d.Uint64(u);
      }
    }
    double v = 0;
    auto r = std::from_chars(s, e, v);
    if (r.ec == std::errc::result_out_of_range) {
      v = std::strtod(s, nullptr);  // ±HUGE_VAL on overflow, ±0 or a subnormal on underflow
      if (v == HUGE_VAL || v == -HUGE_VAL) return false;  // RapidJSON refuses it: "number too big"
    } else if (r.ec != std::errc() || r.ptr != e) {
      return false;
    }
    return d.Double(v);
  }
};

}  // namespace json_detail

// Parses one record's JSON text into `doc` (any rapidjson::GenericDocument over UTF-8) with exact numbers. On
// a syntax error, doc.HasParseError() and doc.GetErrorOffset() are as Parse<kRecordParseFlags> sets them.
template <typename Doc>
void ParseRecordJson(Doc& doc, const char* json, size_t len) {
  if (!json_detail::MayHoldZeroWithExponent(json, len)) {
    doc.template Parse<kRecordParseFlags>(json, len);
    return;
  }
  doc.template Parse<0>("0", 1);  // clears a parse error left by an earlier use of doc (Populate keeps it)
  bool ok = false;
  auto generate = [json, len, &ok](Doc& d) {
    json_detail::ExactNumbers<Doc> handler{d};
    rapidjson::MemoryStream ms(json, len);
    rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
    rapidjson::Reader reader;
    ok = !reader.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(is, handler)
              .IsError();
    return ok;
  };
  doc.Populate(generate);
  // Normal precision is exact for zeros and never reaches the faulty code; here it only sets the error.
  if (!ok) doc.template Parse<rapidjson::kParseIterativeFlag>(json, len);
}

template <typename Doc>
void ParseRecordJson(Doc& doc, std::string_view json) {
  ParseRecordJson(doc, json.data(), json.size());
}

}  // namespace ftprep

#endif  // FTPREP_JSON_FLAGS_H_
