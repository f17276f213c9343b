// core/price/record_tokens.h — tokens of one training record, split the way the cost model needs them.
//
// Interim: `ftprep count` (issue 4) owns per-record token counting; until its counter is in core, price counts
// here with the same rules (OpenAI cookbook chat framing). When count's counter lands, this file goes and price
// calls that one.
//
// Thread-safe as long as `count` is.
#ifndef FTPREP_CORE_PRICE_RECORD_TOKENS_H_
#define FTPREP_CORE_PRICE_RECORD_TOKENS_H_

#include <rapidjson/document.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ftprep/status.h"

namespace ftprep::price {

// Counts the tokens of a UTF-8 text with one encoding.
using CountFn = std::function<Result<size_t>(std::string_view)>;

struct RecordTokens {
  int64_t total = 0;       // what training bills for the example
  int64_t prompt = 0;      // input side: everything but the trained output
  int64_t completion = 0;  // output side: assistant turns / completion / preferred output
  const char* kind = "";   // "chat", "prompt_completion", "preference", "text_list", "text"
};

// Recognises chat {"messages": [...]} (with optional "tools"), prompt/completion, preference
// {"input": {"messages"}, "preferred_output", "non_preferred_output"}, {"data": {"text_list": [...]}} and
// {"text": "..."}. Chat framing as OpenAI's cookbook: 3 tokens per message, 1 per name, 3 to prime the reply
// (an estimate; the provider's exact framing is not published). Image parts are not counted. Unknown shapes
// are a kData error naming the fields found.
Status CountRecordTokens(const rapidjson::Value& record, const CountFn& count, RecordTokens* out);

// The counter of an encoding name ("o200k_base", ...); kUnavailable when this build has no tokenizer.
Result<CountFn> CounterForEncoding(const std::string& encoding);

}  // namespace ftprep::price

#endif  // FTPREP_CORE_PRICE_RECORD_TOKENS_H_
