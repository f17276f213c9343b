// Per-record token counting shared by count, price, split and prepare (see record_tokens.h).
#include "price/record_tokens.h"

#include <string>

#include "ftprep/record.h"
#include "jsonpath.h"
#include "schema.h"
#include "ftprep/tokenizer.h"

namespace ftprep::price {
namespace {

using Value = rapidjson::Value;

constexpr int64_t kReplyPriming = 3;

// Image parts of a content array are not tokens tiktoken can count; they are counted apart.
int64_t ImageParts(const Value* content) {
  if (!content || !content->IsArray()) return 0;
  int64_t n = 0;
  for (const Value& part : content->GetArray()) {
    if (!part.IsObject()) continue;
    const Value* t = MemberOf(part, "type");
    std::string_view type = t && t->IsString() ? std::string_view(t->GetString(), t->GetStringLength()) : "";
    if (type == "image_url" || type == "input_image" || type == "image" || MemberOf(part, "image_url")) ++n;
  }
  return n;
}

// Framing of one messages array (OpenAI cookbook): per message 3 tokens plus the tokens of its role (the
// cookbook encodes every value of the message, role included). Names add their +1 where they are visited.
Status Framing(const Value* msgs, const CountFn& count, RoleTokenCache& roles, int64_t* out, int64_t* images) {
  if (!msgs || !msgs->IsArray()) return Status::Ok();
  for (const Value& m : msgs->GetArray()) {
    if (!m.IsObject()) continue;
    *out += 3;
    if (const Value* role = MemberOf(m, "role"); role && role->IsString()) {
      Result<size_t> n = roles.Of(std::string_view(role->GetString(), role->GetStringLength()), count);
      if (!n.ok()) return n.status();
      *out += static_cast<int64_t>(*n);
    }
    *images += ImageParts(MemberOf(m, "content"));
  }
  return Status::Ok();
}

}  // namespace

Result<size_t> RoleTokenCache::Of(std::string_view role, const CountFn& count) {
  for (size_t i = 0; i < size_; ++i) {
    if (role_[i] == role) return n_[i];
  }
  Result<size_t> n = count(role);
  if (n.ok() && size_ < kMax) {
    role_[size_].assign(role);
    n_[size_++] = *n;
  }
  return n;
}

Status CountRecordTokens(const Value& rec, const CountFn& count, RecordTokens* out, CountOptions options) {
  *out = RecordTokens{};
  Shape shape = DetectShape(rec);
  if (shape == Shape::kUnknown) {
    std::string fields;
    if (rec.IsObject()) {
      for (auto it = rec.MemberBegin(); it != rec.MemberEnd() && fields.size() < 80; ++it) {
        fields += (fields.empty() ? "" : ", ") + std::string(it->name.GetString(), it->name.GetStringLength());
      }
    }
    return DataError(rec.IsObject() ? "not a chat, prompt/completion, preference, text_list or text record (fields: " +
                                          (fields.empty() ? std::string("none") : fields) + ")"
                                    : std::string("the record is not a JSON object"));
  }
  out->kind = ShapeName(shape);
  // ForEachText takes a mutable value so that cleaning steps can edit texts; counting only reads.
  Value& doc = const_cast<Value&>(rec);
  Status st;
  int64_t other_output = 0;  // non-preferred outputs: trained and billed, but not what inference produces
  ForEachText(doc, shape, [&](TextRef& t) {
    if (!st.ok()) return;
    if (t.kind == TextKind::kUnreadable) {
      st = DataError(UnreadableMessage(t.text));
      out->error_path = t.path;
      out->error_rule = kUnreadableRule;
      return;
    }
    Result<size_t> n = count(t.text);
    if (!n.ok()) {
      st = n.status();
      out->error_path = t.path;
      return;
    }
    const int64_t k = static_cast<int64_t>(*n);
    out->total += k;
    if (t.trained) out->trained += k;
    if (options.chat_framing && t.kind == TextKind::kName && (shape == Shape::kChat || shape == Shape::kPreference)) {
      out->total += 1;
      out->prompt += 1;
      out->framing += 1;
    }
    if (!t.trained) {
      out->prompt += k;
    } else if (t.path.rfind("non_preferred", 0) == 0) {
      other_output += k;
    } else {
      out->completion += k;
    }
  });
  FTPREP_RETURN_IF_ERROR(st);
  if (shape == Shape::kChat || shape == Shape::kPreference) {
    int64_t prompt_framing = 0, output_framing = 0;
    RoleTokenCache here;  // roles counted once per record at least
    RoleTokenCache& roles = options.roles ? *options.roles : here;
    if (shape == Shape::kChat) {
      FTPREP_RETURN_IF_ERROR(Framing(MemberOf(rec, "messages"), count, roles, &prompt_framing, &out->images));
    } else {
      const Value* in = MemberOf(rec, "input");
      FTPREP_RETURN_IF_ERROR(Framing(in ? MemberOf(*in, "messages") : nullptr, count, roles, &prompt_framing, &out->images));
      for (const char* k : {"preferred_output", "non_preferred_output"}) {
        FTPREP_RETURN_IF_ERROR(Framing(MemberOf(rec, k), count, roles, &output_framing, &out->images));
      }
    }
    if (!options.chat_framing) return Status::Ok();
    // Framing and the reply priming are input-side: the model reads them, it does not write them.
    out->framing += prompt_framing + output_framing + kReplyPriming;
    out->total += prompt_framing + output_framing + kReplyPriming;
    out->prompt += prompt_framing + kReplyPriming;
  }
  return Status::Ok();
}

Result<CountFn> CounterForEncoding(const std::string& encoding) {
  auto tok = Tokenizer::Get(encoding);
  if (!tok.ok()) return tok.status();
  const Tokenizer* t = *tok;
  // Training data: special-token text is plain text (tiktoken encode_ordinary).
  return CountFn([t](std::string_view text) { return t->Count(text, SpecialMode::kOrdinary); });
}

}  // namespace ftprep::price
