// include/ftprep/json_flags.h — how ftprep and its plugins parse a record's JSON text into a DOM.
//
// Iterative: nesting depth never grows the C++ stack (readers also cap depth). Full precision: every number
// parses to the correctly rounded double, so a record that is parsed and written again keeps its numbers'
// values; RapidJSON's default fast path is off by an ulp for about one in seven long decimals, which would
// silently change data on every pass through a tool (found by the JSONL fuzzer's round-trip invariant).
#ifndef FTPREP_JSON_FLAGS_H_
#define FTPREP_JSON_FLAGS_H_

#include <rapidjson/reader.h>

namespace ftprep {

inline constexpr unsigned kRecordParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;

}  // namespace ftprep

#endif  // FTPREP_JSON_FLAGS_H_
