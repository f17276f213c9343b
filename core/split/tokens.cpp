#include "split/tokens.h"

#include <rapidjson/document.h>

#include "ftprep/json_flags.h"
#include "ftprep/tokenizer.h"

namespace ftprep::split {

Result<TokenTotals> TokenTotals::Create(const std::string& model, const std::string& encoding, size_t outputs) {
  TokenTotals t;
  t.encoding_ = encoding;
  if (!model.empty()) {
    auto e = Tokenizer::EncodingForModel(model);
    if (!e.ok()) return e.status();
    t.encoding_ = *e;
  }
  auto fn = price::CounterForEncoding(t.encoding_);
  if (!fn.ok()) return fn.status();
  t.count_ = std::move(*fn);
  t.tokens_.assign(outputs, 0);
  t.untokenized_.assign(outputs, 0);
  return t;
}

Status TokenTotals::Add(size_t o, std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  rapidjson::Document d;
  ftprep::ParseRecordJson(d, line.data(), line.size());
  price::RecordTokens rt;
  Status s = d.HasParseError() ? DataError("unparsable") : price::CountRecordTokens(d, count_, &rt);
  if (!s.ok()) {
    // An unknown shape is not the split's business; a tokenizer limit is, but only for this total.
    if (s.code() == Code::kData || s.code() == Code::kLimit) {
      ++untokenized_[o];
      return Status::Ok();
    }
    return s;
  }
  tokens_[o] += static_cast<uint64_t>(rt.total);
  return Status::Ok();
}

}  // namespace ftprep::split
