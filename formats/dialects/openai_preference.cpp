// Dialect openai-preference: the canonical preference (DPO) form {"input":{"messages":[..]},
// "preferred_output":[..],"non_preferred_output":[..]} (identity; checks the shape).
#include "dialect.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

std::string Identity(const Value& in, Value* out, Alloc& a) {
  const Value* input = Get(in, "input");
  const Value* msgs = input ? Get(*input, "messages") : nullptr;
  if (msgs == nullptr || !msgs->IsArray()) return "input.messages: missing or not an array (not an OpenAI preference record)";
  for (const char* k : {"preferred_output", "non_preferred_output"}) {
    const Value* v = Get(in, k);
    if (v == nullptr || !v->IsArray()) return std::string(k) + ": missing or not an array";
  }
  out->CopyFrom(in, a);
  return "";
}

int Score(const Value& in) {
  return (Get(in, "input") && Get(in, "preferred_output") && Get(in, "non_preferred_output")) ? 90 : 0;
}

}  // namespace

FTPREP_DIALECT(
    "openai-preference",
    "dialect: OpenAI preference/DPO {\"input\",\"preferred_output\",\"non_preferred_output\"} (canonical)",
    Identity, Identity, Score)
