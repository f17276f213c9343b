// Interim per-record token counting for `ftprep price` (see record_tokens.h).
#include "price/record_tokens.h"

#include <string>

#include "ftprep/record.h"
#include "ftprep/tokenizer.h"

namespace ftprep::price {
namespace {

using Value = rapidjson::Value;

constexpr int64_t kTokensPerMessage = 3, kTokensPerName = 1, kReplyPriming = 3;

std::string_view Text(const Value& v) { return std::string_view(v.GetString(), v.GetStringLength()); }

Status Add(const CountFn& count, std::string_view text, int64_t* to) {
  Result<size_t> n = count(text);
  if (!n.ok()) return n.status();
  *to += static_cast<int64_t>(*n);
  return Status::Ok();
}

// Message content: a string or an array of parts ({"type":"text","text":...}; images are not counted).
Status AddContent(const Value& content, const CountFn& count, int64_t* to) {
  if (content.IsString()) return Add(count, Text(content), to);
  if (content.IsArray()) {
    for (const Value& part : content.GetArray()) {
      if (part.IsString()) {
        FTPREP_RETURN_IF_ERROR(Add(count, Text(part), to));
      } else if (part.IsObject()) {
        auto t = part.FindMember("text");
        if (t != part.MemberEnd() && t->value.IsString()) FTPREP_RETURN_IF_ERROR(Add(count, Text(t->value), to));
      }
    }
  }
  return Status::Ok();
}

// One message: framing and name go to the prompt side; the content of assistant turns (and their tool calls)
// is the completion side.
Status AddMessage(const Value& m, const CountFn& count, RecordTokens* out) {
  if (!m.IsObject()) return DataError("a message is not an object");
  int64_t content = 0, framing = kTokensPerMessage;
  bool assistant = false;
  for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
    std::string_view key(it->name.GetString(), it->name.GetStringLength());
    const Value& v = it->value;
    if (key == "role" && v.IsString()) {
      assistant = Text(v) == "assistant";
      FTPREP_RETURN_IF_ERROR(Add(count, Text(v), &framing));
    } else if (key == "name" && v.IsString()) {
      FTPREP_RETURN_IF_ERROR(Add(count, Text(v), &framing));
      framing += kTokensPerName;
    } else if (key == "content") {
      FTPREP_RETURN_IF_ERROR(AddContent(v, count, &content));
    } else if (key == "tool_calls" && v.IsArray()) {
      for (const Value& call : v.GetArray()) {
        if (!call.IsObject()) continue;
        auto fn = call.FindMember("function");
        if (fn == call.MemberEnd() || !fn->value.IsObject()) continue;
        for (const char* f : {"name", "arguments"}) {
          auto s = fn->value.FindMember(f);
          if (s != fn->value.MemberEnd() && s->value.IsString()) {
            FTPREP_RETURN_IF_ERROR(Add(count, Text(s->value), &content));
          }
        }
      }
    }
  }
  out->total += framing + content;
  out->prompt += framing;
  (assistant ? out->completion : out->prompt) += content;
  return Status::Ok();
}

Status AddMessages(const Value& messages, const CountFn& count, RecordTokens* out) {
  for (const Value& m : messages.GetArray()) FTPREP_RETURN_IF_ERROR(AddMessage(m, count, out));
  out->total += kReplyPriming;
  out->prompt += kReplyPriming;
  return Status::Ok();
}

// A preference output: an array of messages (OpenAI DPO) or a string; counted as assistant text only.
Status AddOutput(const Value& v, const CountFn& count, int64_t* to) {
  if (v.IsString()) return Add(count, Text(v), to);
  if (v.IsArray()) {
    for (const Value& m : v.GetArray()) {
      if (!m.IsObject()) continue;
      auto c = m.FindMember("content");
      if (c != m.MemberEnd()) FTPREP_RETURN_IF_ERROR(AddContent(c->value, count, to));
    }
  }
  return Status::Ok();
}

}  // namespace

Status CountRecordTokens(const Value& rec, const CountFn& count, RecordTokens* out) {
  *out = RecordTokens{};
  if (!rec.IsObject()) return DataError("the record is not a JSON object");
  auto get = [&](const char* k) -> const Value* {
    auto it = rec.FindMember(k);
    return it == rec.MemberEnd() ? nullptr : &it->value;
  };
  if (const Value* msgs = get("messages"); msgs && msgs->IsArray()) {
    out->kind = "chat";
    FTPREP_RETURN_IF_ERROR(AddMessages(*msgs, count, out));
    if (const Value* tools = get("tools"); tools && tools->IsArray()) {
      // Tool definitions reach the model as text the provider renders; their JSON is a close estimate.
      int64_t t = 0;
      FTPREP_RETURN_IF_ERROR(Add(count, ToJson(*tools), &t));
      out->total += t;
      out->prompt += t;
    }
    return Status::Ok();
  }
  const Value* prompt = get("prompt");
  const Value* completion = get("completion");
  if (prompt && completion && prompt->IsString() && completion->IsString()) {
    out->kind = "prompt_completion";
    FTPREP_RETURN_IF_ERROR(Add(count, Text(*prompt), &out->prompt));
    FTPREP_RETURN_IF_ERROR(Add(count, Text(*completion), &out->completion));
    out->total = out->prompt + out->completion;
    return Status::Ok();
  }
  const Value* input = get("input");
  const Value* preferred = get("preferred_output");
  const Value* rejected = get("non_preferred_output");
  if (input && preferred && rejected) {
    out->kind = "preference";
    if (input->IsObject()) {
      auto m = input->FindMember("messages");
      if (m == input->MemberEnd() || !m->value.IsArray()) return DataError("preference \"input\" has no \"messages\" array");
      RecordTokens in;
      FTPREP_RETURN_IF_ERROR(AddMessages(m->value, count, &in));
      out->prompt = in.total;
    } else if (input->IsString()) {
      FTPREP_RETURN_IF_ERROR(Add(count, Text(*input), &out->prompt));
    }
    int64_t other = 0;
    FTPREP_RETURN_IF_ERROR(AddOutput(*preferred, count, &out->completion));
    FTPREP_RETURN_IF_ERROR(AddOutput(*rejected, count, &other));
    out->total = out->prompt + out->completion + other;
    return Status::Ok();
  }
  if (const Value* data = get("data"); data && data->IsObject()) {
    auto list = data->FindMember("text_list");
    if (list != data->MemberEnd() && list->value.IsArray()) {
      out->kind = "text_list";
      for (const Value& t : list->value.GetArray()) {
        if (t.IsString()) FTPREP_RETURN_IF_ERROR(Add(count, Text(t), &out->total));
      }
      out->prompt = out->total;
      return Status::Ok();
    }
  }
  if (const Value* text = get("text"); text && text->IsString()) {
    out->kind = "text";
    FTPREP_RETURN_IF_ERROR(Add(count, Text(*text), &out->total));
    out->prompt = out->total;
    return Status::Ok();
  }
  std::string fields;
  for (auto it = rec.MemberBegin(); it != rec.MemberEnd() && fields.size() < 80; ++it) {
    fields += (fields.empty() ? "" : ", ") + std::string(it->name.GetString(), it->name.GetStringLength());
  }
  return DataError("not a chat, prompt/completion, preference, text_list or text record (fields: " +
                   (fields.empty() ? std::string("none") : fields) + ")");
}

Result<CountFn> CounterForEncoding(const std::string& encoding) {
  auto tok = Tokenizer::Get(encoding);
  if (!tok.ok()) return tok.status();
  const Tokenizer* t = *tok;
  // Training data: special-token text is plain text (tiktoken encode_ordinary).
  return CountFn([t](std::string_view text) { return t->Count(text, SpecialMode::kOrdinary); });
}

}  // namespace ftprep::price
