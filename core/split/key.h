// core/split/key.h — the key of a record for --stratify, --group and --by-hash.
//
// The key is the value at a JSON path (core/jsonpath.h: `label`, `meta.conversation_id`, `messages[0].content`)
// turned into text by KeyText: a string's text, or the compact JSON of any other value (so 7 and "7" share a
// key; null is "null").
// Not thread-safe (Record parsing is lazy and mutates the record).
#ifndef FTPREP_CORE_SPLIT_KEY_H_
#define FTPREP_CORE_SPLIT_KEY_H_

#include <string>
#include <string_view>
#include <vector>

#include "jsonpath.h"

#include "ftprep/record.h"
#include "ftprep/status.h"

namespace ftprep::split {

class KeyPath {
 public:
  // Checks the path syntax; a bad path is a usage error.
  static Result<KeyPath> Parse(std::string_view path);
  // Sets *key and returns true when the record is a JSON object with a value at the path.
  bool Extract(Record& rec, std::string* key) const;
  const std::string& text() const { return text_; }

 private:
  std::string text_;
  std::vector<PathStep> steps_;
};

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_KEY_H_
