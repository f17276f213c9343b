// core/json_fast.h — a one-pass parse of the common record shape straight into a RapidJSON document.
//
// The JSON Lines reader checks each line (valid UTF-8, no NUL, lone surrogate escapes rewritten), parses it
// with RapidJSON and then walks the result for duplicate keys: four passes over the bytes, and RapidJSON's
// string scan falls back to byte steps after every escape (chat text has a `\n` on every line). FastJson does
// it in one pass: unaligned 16-byte string scans, UTF-8 checked only where it can occur (inside strings; any
// other byte >= 0x80 is a syntax error), duplicate keys checked as each object is built, depth counted.
//
// It accepts a subset and answers "not sure" for the rest: whenever Parse returns false the caller runs the
// full path, which gives the same document, or the same error message, rule and column as before. So it
// only has to be right on what it accepts. It declines: a root that is not an object, any syntax error,
// invalid UTF-8, control bytes in strings, escaped keys, lone surrogate escapes (the full path rewrites
// them), numbers it cannot type and convert exactly as RapidJSON's full-precision parse does (integers of
// more than 18 digits, exponents beyond 300, numbers over 40 bytes), objects of more than 64 members, nesting
// beyond max_depth. What it builds equals RapidJSON's document member for member, with the same number types
// (tests/unit/json_fast_test.cpp parses every line of JSONTestSuite, the real files and hostile lines both
// ways). Not thread-safe; one per thread (it keeps scratch buffers from record to record).
#ifndef FTPREP_CORE_JSON_FAST_H_
#define FTPREP_CORE_JSON_FAST_H_

#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string_view>
#include <vector>

namespace ftprep {

class FastJson {
 public:
  // Builds `doc` (empty, as Record::ParseNow hands it over) from text[0, len), which must be followed by a
  // NUL byte. True: `doc` is the record, a JSON object with no repeated key, nested at most max_depth levels.
  // False: not decided here; `doc` may hold a partial build (its allocator's memory), so parse again on a
  // cleared document.
  bool Parse(rapidjson::Document& doc, const char* text, size_t len, int max_depth);

 private:
  struct Frame {
    uint32_t count;      // members or elements so far
    uint32_t key_start;  // this object's first key in keys_
    bool object;
  };
  bool Run(rapidjson::Document& d);
  const char* String(const char* p, rapidjson::Document& d, bool key);
  const char* StringRest(const char* start, const char* p, char* out, char* o, rapidjson::Document& d, bool key);
  bool EndString(const char* start, char* out, char* o, rapidjson::Document& d, bool key);
  const char* Number(const char* p, rapidjson::Document& d);
  bool NewKey(std::string_view k);

  const char* text_ = nullptr;
  const char* end_ = nullptr;
  size_t max_depth_ = 0;
  std::vector<Frame> frames_;
  // Keys of the open objects, innermost last (views into the text): keys_[0, nkeys_). Opening an object makes
  // room for kMaxMembers more, so adding a key needs no capacity check.
  std::vector<std::string_view> keys_;
  size_t nkeys_ = 0;
  char* strings_ = nullptr;  // the document's string bytes (see Parse)
};

// FastJson::Parse with the calling thread's FastJson (its scratch reused from record to record). Without a
// limit it gives ParseRecordJson's document for a record's JSON text, faster; false when it declined (then
// `doc` may hold a partial build: run ParseRecordJson on it, which gives the answer, error or not).
bool ParseRecordFast(rapidjson::Document& doc, const char* text, size_t len,
                     int max_depth = std::numeric_limits<int>::max());

// The value of the four hex digits of a \uXXXX escape at p, or -1. It reads no further than the first byte that
// is not a hex digit, so it never reads past the NUL that ends a text (the one-pass parse's and the JSON Lines
// reader's surrogate rewrite share it).
inline int JsonHex4(const char* p) {
  int v = 0;
  for (int i = 0; i < 4; ++i) {
    const char c = p[i];
    int h;
    if (c >= '0' && c <= '9') {
      h = c - '0';
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      h = (c | 0x20) - 'a' + 10;
    } else {
      return -1;
    }
    v = v * 16 + h;
  }
  return v;
}

// True when `a` and `b` are the same JSON exactly: types, number representations (RapidJSON's Int, Uint,
// Int64, Uint64 and Double flags, and a double's bits, so -0.0 differs from 0.0), string bytes, member order.
// operator== is looser (numbers by value, members by name). For tests comparing two parses.
bool SameJson(const rapidjson::Value& a, const rapidjson::Value& b);

}  // namespace ftprep

#endif  // FTPREP_CORE_JSON_FAST_H_
