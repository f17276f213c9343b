// validators/declarative/re2_regex.h — RE2 behind RapidJSON's JSON Schema "pattern" and "patternProperties".
//
// RapidJSON 1.1's schema validator compiles patterns with its own regex engine (rapidjson/internal/regex.h),
// which reads out of bounds on malformed patterns and recurses without end on nested repeats. RE2 runs in
// linear time with bounded memory and no recursion on the input. This header takes the place of
// internal/regex.h: it claims that header's include guard and defines rapidjson::internal::GenericRegex over
// RE2 with the three members schema.h uses (construct from a pattern, IsValid, Search). Include it before
// <rapidjson/schema.h>, in the one translation unit that uses schema.h (declarative.cpp), so no other
// definition of GenericRegex exists in the program.
#ifndef FTPREP_DECLARATIVE_RE2_REGEX_H_
#define FTPREP_DECLARATIVE_RE2_REGEX_H_

#ifdef RAPIDJSON_INTERNAL_REGEX_H_
#error "re2_regex.h must come before any RapidJSON header that includes internal/regex.h"
#endif
#define RAPIDJSON_INTERNAL_REGEX_H_

#include <re2/re2.h>
#include <rapidjson/allocators.h>
#include <rapidjson/encodings.h>

#include <cstring>
#include <memory>
#include <string>

namespace ftprep::declarative {

// The options every user pattern compiles with: UTF-8, errors returned (never logged to stderr).
inline RE2::Options PatternOptions() {
  RE2::Options o;
  o.set_log_errors(false);
  return o;
}

// Compiles `pattern`; on failure returns nullptr and sets *why to RE2's reason, with the part of the pattern it
// points at cut to 40 bytes (RE2 quotes the whole rest of the pattern, which can be long).
inline std::unique_ptr<RE2> CompilePattern(const std::string& pattern, std::string* why) {
  auto re = std::make_unique<RE2>(pattern, PatternOptions());
  if (re->ok()) return re;
  std::string reason = re->error();
  const std::string& arg = re->error_arg();
  if (!arg.empty() && reason.size() > arg.size() + 2 &&
      reason.compare(reason.size() - arg.size() - 2, std::string::npos, ": " + arg) == 0) {
    reason.resize(reason.size() - arg.size() - 2);
    size_t cut = arg.size() > 40 ? 40 : arg.size();
    while (cut < arg.size() && (static_cast<unsigned char>(arg[cut]) & 0xC0) == 0x80) --cut;  // whole UTF-8 chars
    reason += " at \"" + arg.substr(0, cut) + (cut < arg.size() ? "\u2026\"" : "\"");
  }
  *why = reason;
  return nullptr;
}

}  // namespace ftprep::declarative

namespace rapidjson {
namespace internal {

// Stands in for RapidJSON's regex inside schema.h. Only UTF-8 patterns are used (ftprep's documents are UTF-8).
template <typename Encoding, typename Allocator = CrtAllocator>
class GenericRegex {
 public:
  typedef typename Encoding::Ch Ch;
  explicit GenericRegex(const Ch* source, Allocator* = 0)
      : re_(std::string(source, std::strlen(source)), ftprep::declarative::PatternOptions()) {}
  bool IsValid() const { return re_.ok(); }
  // JSON Schema's "pattern" is unanchored: a match anywhere in the string.
  bool Search(const Ch* s) const { return RE2::PartialMatch(re2::StringPiece(s, std::strlen(s)), re_); }

 private:
  RE2 re_;
};

typedef GenericRegex<UTF8<> > Regex;

}  // namespace internal
}  // namespace rapidjson

#endif  // FTPREP_DECLARATIVE_RE2_REGEX_H_
