// core/split/tokens.h — the token count of one record for split's report.
//
// Counts each record with the shared per-record counter (core/price/record_tokens.h: chat framing as OpenAI's
// cookbook, prompt/completion, preference, text_list, text) in one encoding. A record of a shape the counter
// does not know is "untokenized" instead of failing the split; a record with content that cannot be read
// (kUnreadableRule) is untokenized too, and the caller reports it. Thread-safe (Count is const).
#ifndef FTPREP_CORE_SPLIT_TOKENS_H_
#define FTPREP_CORE_SPLIT_TOKENS_H_

#include <rapidjson/document.h>

#include <cstdint>
#include <string>

#include "ftprep/status.h"
#include "price/record_tokens.h"

namespace ftprep::split {

class RecordCounter {
 public:
  // `encoding` is an encoding name; `model` (if not empty) is mapped to its encoding first.
  static Result<RecordCounter> Create(const std::string& model, const std::string& encoding);
  // The tokens of one parsed record, or kUntokenized / kUnreadable (split/run.h). For kUnreadable, *message
  // and *path say what could not be read and where (the words count uses). Errors other than the record's
  // own come back as a Status.
  Result<uint32_t> Count(const rapidjson::Value& doc, std::string* message, std::string* path) const;
  const std::string& encoding() const { return encoding_; }

 private:
  std::string encoding_;
  price::CountFn count_;
};

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_TOKENS_H_
