// core/price/record_tokens.h — tokens of one training record, split the way count and the cost model need them.
//
// Built on core/schema.h (record shapes and the text visitor shared with clean, convert and count) and on the
// same rules as `ftprep count`: every text of the record, plus OpenAI cookbook framing for chat and preference
// records (3 tokens + the role per message, +1 per name, +3 reply priming). So `price` bills exactly the tokens
// `count` reports. What price adds is the split into prompt (input) and completion (output) tokens.
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
  int64_t trained = 0;     // every trained text (completion plus non-preferred outputs), without framing
  int64_t framing = 0;     // chat framing included in total (0 with chat_framing off)
  int64_t images = 0;      // image parts seen in chat contents (not counted as tokens)
  const char* kind = "";   // ShapeName(): "chat", "prompt_completion", "preference", "text_list", "text", ...
  std::string error_path;  // when counting a text failed (e.g. a special token in strict mode): its JSON path
  std::string error_rule;  // kUnreadableRule when a content part cannot be read, else empty
};

// The tokens of message roles ("system", "user", ...) already counted. A caller that counts many records with
// one CountFn may keep one per thread and pass it in CountOptions: each role is then counted once, not once
// per message. Not thread-safe; only for one CountFn.
class RoleTokenCache {
 public:
  Result<size_t> Of(std::string_view role, const CountFn& count);

 private:
  static constexpr size_t kMax = 8;  // further roles are counted each time
  std::string role_[kMax];
  size_t n_[kMax] = {};
  size_t size_ = 0;
};

struct CountOptions {
  // OpenAI cookbook framing for chat and preference records; off = texts only (`ftprep count --framing none`).
  bool chat_framing = true;
  // Optional: role token counts kept between calls (same CountFn every time, one thread).
  RoleTokenCache* roles = nullptr;
};

// Any shape DetectShape knows (chat with optional "tools", preference, prompt/completion, text_list, text,
// ShareGPT, Alpaca, Gemini, Bedrock Converse, TRL preference). total = all texts + framing; completion = the
// trained texts a model would generate at inference (assistant turns, completion, preferred output); prompt =
// the untrained texts + framing + priming. Non-preferred outputs count in total only. Framing is an estimate
// (providers do not publish theirs). Image parts are not counted. Unknown shapes are a kData error naming
// the fields found.
// This is the one per-record counter: `count`, `price`, `split`, and `prepare` all call it.
Status CountRecordTokens(const rapidjson::Value& record, const CountFn& count, RecordTokens* out,
                         CountOptions options = {});

// The counter of an encoding name ("o200k_base", ...); kUnavailable when this build has no tokenizer.
Result<CountFn> CounterForEncoding(const std::string& encoding);

}  // namespace ftprep::price

#endif  // FTPREP_CORE_PRICE_RECORD_TOKENS_H_
