#include "split/tokens.h"

#include "ftprep/tokenizer.h"
#include "schema.h"
#include "split/run.h"

namespace ftprep::split {

Result<RecordCounter> RecordCounter::Create(const std::string& model, const std::string& encoding) {
  RecordCounter c;
  c.encoding_ = encoding;
  if (!model.empty()) {
    auto e = Tokenizer::EncodingForModel(model);
    if (!e.ok()) return e.status();
    c.encoding_ = *e;
  }
  auto fn = price::CounterForEncoding(c.encoding_);
  if (!fn.ok()) return fn.status();
  c.count_ = std::move(*fn);
  return c;
}

Result<uint32_t> RecordCounter::Count(const rapidjson::Value& doc, std::string* message, std::string* path) const {
  price::RecordTokens rt;
  Status s = price::CountRecordTokens(doc, count_, &rt);
  if (s.ok()) {
    return rt.total > int64_t{kMaxRecordTokens} ? kMaxRecordTokens : static_cast<uint32_t>(rt.total);
  }
  if (s.code() == Code::kData && rt.error_rule == kUnreadableRule) {
    *message = s.message();
    *path = rt.error_path;
    return kUnreadable;
  }
  // An unknown shape is not the split's business; a tokenizer limit is, but only for this total.
  if (s.code() == Code::kData || s.code() == Code::kLimit) return kUntokenized;
  return s;
}

}  // namespace ftprep::split
