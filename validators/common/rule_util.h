// validators/common/rule_util.h — small header-only helpers shared by the built-in rule plugins.
//
// What several validators need — JSON path text for findings, config lookups, JSON type names — lives here,
// inline; UTF-8 and hashing forward to the core. Not part of the public SDK; pure functions, thread-safe.
#ifndef FTPREP_VALIDATORS_COMMON_RULE_UTIL_H_
#define FTPREP_VALIDATORS_COMMON_RULE_UTIL_H_

#include <rapidjson/document.h>
#include <rapidjson/encodedstream.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <charconv>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clean/dedup.h"
#include "ftprep/plugin.hpp"
#include "utf8.h"

namespace ftprep::rules {

// Path text as in messages: `messages[3].tool_calls[1]`, keys that are not identifiers as `["a b"]`. `base`
// is taken by value so that a path built for a finding (`Key(Index(base, i), "role")`) grows in one string.
inline std::string Key(std::string base, std::string_view key) {
  bool ident = !key.empty();
  for (char c : key) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
      ident = false;
      break;
    }
  }
  std::string out = std::move(base);
  if (ident) {
    if (!out.empty()) out += '.';
    out.append(key);
  } else {
    out += "[\"";
    for (char c : key) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += "\"]";
  }
  return out;
}
inline std::string Index(std::string base, size_t i) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof(digits), i).ptr;
  std::string out = std::move(base);
  out += '[';
  out.append(digits, end);
  out += ']';
  return out;
}

inline const char* TypeName(const rapidjson::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType: return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType: return "boolean";
    case rapidjson::kObjectType: return "object";
    case rapidjson::kArrayType: return "array";
    case rapidjson::kStringType: return "string";
    default: return "number";
  }
}

inline std::string_view Str(const rapidjson::Value& v) { return {v.GetString(), v.GetStringLength()}; }

// Member lookup that tolerates non-objects: the first member named `key`, as FindMember finds it, but with the
// key's length known (a literal's is folded at compile time) instead of a strlen per lookup.
inline const rapidjson::Value* Get(const rapidjson::Value& obj, std::string_view key) {
  if (!obj.IsObject()) return nullptr;
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
    if (m->name.GetStringLength() == key.size() && std::memcmp(m->name.GetString(), key.data(), key.size()) == 0) {
      return &m->value;
    }
  }
  return nullptr;
}

// The first members named keys[0..N) of `obj` (nullptr where absent or when `obj` is not an object), as Get
// finds each, in one pass over the members instead of one per key.
template <size_t N>
inline void GetAll(const rapidjson::Value& obj, const std::string_view (&keys)[N], const rapidjson::Value* (&found)[N]) {
  for (auto& f : found) f = nullptr;
  if (!obj.IsObject()) return;
  size_t left = N;
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd() && left > 0; ++m) {
    size_t n = m->name.GetStringLength();
    for (size_t j = 0; j < N; ++j) {
      if (found[j] == nullptr && n == keys[j].size() && std::memcmp(m->name.GetString(), keys[j].data(), n) == 0) {
        found[j] = &m->value;
        --left;
        break;
      }
    }
  }
}

// Quotes text for a message, shortened to `max` bytes without cutting a UTF-8 sequence.
inline std::string Quote(std::string_view s, size_t max = 40) {
  std::string out = "\"";
  size_t n = s.size() <= max ? s.size() : max;
  while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  for (size_t i = 0; i < n; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n') {
      out += "\\n";
    } else if (c < 0x20) {
      out += "\\x";
      out += "0123456789ABCDEF"[c >> 4];
      out += "0123456789ABCDEF"[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (n < s.size()) out += "…";
  out += '"';
  return out;
}

// Config helpers (profile settings are a JSON object; absent keys keep the default).
inline int64_t CfgInt(const rapidjson::Value& cfg, const char* key, int64_t def) {
  const rapidjson::Value* v = Get(cfg, key);
  return v && v->IsInt64() ? v->GetInt64() : def;
}
inline double CfgNum(const rapidjson::Value& cfg, const char* key, double def) {
  const rapidjson::Value* v = Get(cfg, key);
  return v && v->IsNumber() ? v->GetDouble() : def;
}
inline bool CfgBool(const rapidjson::Value& cfg, const char* key, bool def) {
  const rapidjson::Value* v = Get(cfg, key);
  return v && v->IsBool() ? v->GetBool() : def;
}
inline std::string CfgStr(const rapidjson::Value& cfg, const char* key, std::string def) {
  const rapidjson::Value* v = Get(cfg, key);
  return v && v->IsString() ? std::string(Str(*v)) : def;
}
inline std::vector<std::string> CfgList(const rapidjson::Value& cfg, const char* key,
                                        std::vector<std::string> def) {
  const rapidjson::Value* v = Get(cfg, key);
  if (!v || !v->IsArray()) return def;
  std::vector<std::string> out;
  for (const auto& e : v->GetArray()) {
    if (e.IsString()) out.emplace_back(Str(e));
  }
  return out;
}
inline bool Contains(const std::vector<std::string>& list, std::string_view s) {
  for (const auto& e : list) {
    if (e.size() == s.size() && std::memcmp(e.data(), s.data(), s.size()) == 0) return true;
  }
  return false;
}

// UTF-8 and hashing come from the core (core/utf8.h, core/clean/dedup.h): one implementation for the tools
// and the rules. As .so modules, in-tree rule sets resolve them from the ftprep executable.
inline size_t DecodeUtf8(const unsigned char* s, size_t n, size_t i, uint32_t* cp) {
  return ftprep::DecodeUtf8At(s, n, i, cp);
}
inline size_t CountChars(std::string_view s) { return ftprep::Utf8Length(s); }

// 64-bit hash of bytes, chained through `seed` (core/clean/dedup.h: the hash `clean --dedup` uses).
inline uint64_t Hash64(std::string_view s, uint64_t seed = 0) { return ftprep::clean::Hash64(s, seed); }
// A final mix (splitmix64) for combining hashes and spreading keys over a table.
inline uint64_t Mix64(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

// True if `s` is a string holding one valid JSON value. Parsed without building a document (the text is only
// checked), with a reader kept per thread so its stack is reused: tool-call arguments come by the thousand.
inline bool IsJsonText(std::string_view s) {
  static thread_local rapidjson::Reader reader;
  rapidjson::BaseReaderHandler<> accept;
  rapidjson::MemoryStream ms(s.data(), s.size());
  rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> is(ms);
  return !reader.Parse<rapidjson::kParseIterativeFlag>(is, accept).IsError();
}

}  // namespace ftprep::rules

#endif  // FTPREP_VALIDATORS_COMMON_RULE_UTIL_H_
