// core/jsonpath.h — simple JSON paths as used in ftprep's options and messages:
//   messages[0].content   data.text_list[1]   a.b   ["key with.dot"].x   $.a (leading "$." optional)
// Not full JSONPath: no wildcards, filters or slices. Thread-safe (pure functions).
#ifndef FTPREP_CORE_JSONPATH_H_
#define FTPREP_CORE_JSONPATH_H_

#include <rapidjson/document.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"

namespace ftprep {

struct PathStep {
  std::string key;     // object member (when index < 0)
  int64_t index = -1;  // array element (when >= 0)
};

Result<std::vector<PathStep>> ParsePath(std::string_view path);
std::string FormatPath(const std::vector<PathStep>& steps);
// Appends ".key" (or ["key"] when needed) / "[i]" to a path being built for messages.
void AppendKey(std::string* path, std::string_view key);
void AppendIndex(std::string* path, size_t i);

// The first member of object `v` named `key` (as rapidjson's FindMember finds it), or nullptr (none, or v is
// not an object). Lengths are compared first: FindMember(const char*) measures the key and re-reads both
// strings for every member, which showed in per-record loops.
inline const rapidjson::Value* MemberOf(const rapidjson::Value& v, std::string_view key) {
  if (!v.IsObject()) return nullptr;
  for (auto it = v.MemberBegin(), end = v.MemberEnd(); it != end; ++it) {
    if (it->name.GetStringLength() == key.size() && std::memcmp(it->name.GetString(), key.data(), key.size()) == 0)
      return &it->value;
  }
  return nullptr;
}
inline rapidjson::Value* MemberOf(rapidjson::Value& v, std::string_view key) {
  return const_cast<rapidjson::Value*>(MemberOf(static_cast<const rapidjson::Value&>(v), key));
}

// The value at `steps`/`path`, or nullptr if absent (or the path is malformed).
const rapidjson::Value* GetPath(const rapidjson::Value& root, const std::vector<PathStep>& steps);
const rapidjson::Value* GetPath(const rapidjson::Value& root, std::string_view path);
rapidjson::Value* GetPathMutable(rapidjson::Value& root, const std::vector<PathStep>& steps);

// A value as key text for grouping/hashing/stratifying: strings as-is, everything else as compact JSON.
std::string KeyText(const rapidjson::Value* v);

}  // namespace ftprep

#endif  // FTPREP_CORE_JSONPATH_H_
