#include "split/key.h"

namespace ftprep::split {

Result<KeyPath> KeyPath::Parse(std::string_view path) {
  if (path.empty()) return UsageError("empty key path");
  auto parsed = ParsePath(path);
  if (!parsed.ok()) return parsed.status();
  KeyPath k;
  k.text_ = std::string(path);
  k.steps_ = std::move(*parsed);
  return k;
}

bool KeyPath::Extract(Record& rec, std::string* key) const {
  if (!rec.parse_ok() || !rec.doc().IsObject()) return false;
  const rapidjson::Value* v = GetPath(rec.doc(), steps_);
  if (v == nullptr) return false;
  *key = KeyText(v);
  return true;
}

}  // namespace ftprep::split
