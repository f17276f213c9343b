// Tests of core/price/record_tokens.cpp with a stand-in counter (one token per byte), so the arithmetic of
// framing and the prompt/completion split is visible.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "price/record_tokens.h"

namespace ftprep::price {
namespace {

const CountFn kBytes = [](std::string_view s) -> Result<size_t> { return s.size(); };

RecordTokens Count(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  EXPECT_FALSE(d.HasParseError()) << json;
  RecordTokens t;
  Status s = CountRecordTokens(d, kBytes, &t);
  EXPECT_TRUE(s.ok()) << s.message();
  return t;
}

TEST(PriceRecordTokens, ChatFraming) {
  RecordTokens t = Count(R"({"messages":[{"role":"system","content":"abc"},{"role":"user","content":"de"},
                          {"role":"assistant","content":"f"}]})");
  EXPECT_STREQ(t.kind, "chat");
  // 3 per message + role text (6 + 4 + 9) + contents (3 + 2 + 1) + 3 reply priming.
  EXPECT_EQ(t.total, 9 + 19 + 6 + 3);
  EXPECT_EQ(t.completion, 1);
  EXPECT_EQ(t.prompt, t.total - 1);
}

TEST(PriceRecordTokens, RoleCacheCountsEachRoleOnceAndChangesNothing) {
  std::vector<std::string> counted;
  const CountFn logged = [&](std::string_view s) -> Result<size_t> {
    counted.emplace_back(s);
    return s.size();
  };
  const char* records[] = {
      R"({"messages":[{"role":"system","content":"abc"},{"role":"user","content":"de"},{"role":"user","content":"x"}]})",
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})",
      R"({"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"y"}],
         "non_preferred_output":[{"role":"assistant","content":"n"}]})"};
  RoleTokenCache cache;
  for (const char* json : records) {
    rapidjson::Document d;
    d.Parse(json);
    RecordTokens with, without;
    ASSERT_TRUE(CountRecordTokens(d, logged, &with, {.roles = &cache}).ok());
    ASSERT_TRUE(CountRecordTokens(d, kBytes, &without).ok());
    EXPECT_EQ(with.total, without.total) << json;
    EXPECT_EQ(with.prompt, without.prompt) << json;
    EXPECT_EQ(with.framing, without.framing) << json;
  }
  // Every role text went through the counter once over the three records, the first time it was met.
  std::vector<std::string> roles;
  for (const auto& s : counted) {
    if (s == "system" || s == "user" || s == "assistant") roles.push_back(s);
  }
  EXPECT_EQ(roles, (std::vector<std::string>{"system", "user", "assistant"}));
}

TEST(PriceRecordTokens, ChatPartsNamesToolCallsAndTools) {
  RecordTokens t = Count(R"({"messages":[
      {"role":"user","name":"bob","content":[{"type":"text","text":"hi"},{"type":"image_url","image_url":{"url":"x"}}]},
      {"role":"assistant","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"}}]}],
      "tools":[{"type":"function"}]})");
  // user: 3 + 4 ("user") + 3 ("bob") + 1 (name) + 2 ("hi"); assistant: 3 + 9 + 1 + 2; priming 3;
  // tools: each definition as compact JSON, {"type":"function"} = 19 bytes.
  EXPECT_EQ(t.completion, 3);
  EXPECT_EQ(t.total, 13 + 15 + 3 + 19);
  EXPECT_EQ(t.prompt, t.total - 3);
}

TEST(PriceRecordTokens, PromptCompletionPreferenceAndText) {
  RecordTokens pc = Count(R"({"prompt":"abcd","completion":"xy"})");
  EXPECT_STREQ(pc.kind, "prompt_completion");
  EXPECT_EQ(pc.prompt, 4);
  EXPECT_EQ(pc.completion, 2);
  EXPECT_EQ(pc.total, 6);

  RecordTokens pref = Count(R"({"input":{"messages":[{"role":"user","content":"q"}]},
      "preferred_output":[{"role":"assistant","content":"good"}],
      "non_preferred_output":[{"role":"assistant","content":"bad"}]})");
  EXPECT_STREQ(pref.kind, "preference");
  // Input: 3 + "user" + "q" + priming 3; each output message is framed too (3 + "assistant"), as count does,
  // but only the preferred text is what inference would produce.
  EXPECT_EQ(pref.prompt, 3 + 4 + 1 + 3);
  EXPECT_EQ(pref.completion, 4);
  EXPECT_EQ(pref.total, 11 + (12 + 4) + (12 + 3));

  RecordTokens tl = Count(R"({"data":{"text_list":["ab","c"]}})");
  EXPECT_STREQ(tl.kind, "text_list");
  EXPECT_EQ(tl.total, 3);
  RecordTokens text = Count(R"({"text":"hello"})");
  EXPECT_EQ(text.total, 5);
  RecordTokens alpaca = Count(R"({"instruction":"ab","input":"c","output":"xyz"})");
  EXPECT_STREQ(alpaca.kind, "alpaca");
  EXPECT_EQ(alpaca.total, 6);
  EXPECT_EQ(alpaca.completion, 3);
}

TEST(PriceRecordTokens, UnknownShapeNamesTheFields) {
  rapidjson::Document d;
  d.Parse(R"({"question":"q","answer":"a"})");
  RecordTokens t;
  Status s = CountRecordTokens(d, kBytes, &t);
  EXPECT_EQ(s.code(), Code::kData);
  EXPECT_NE(s.message().find("question, answer"), std::string::npos) << s.message();
  d.Parse("[1,2]");
  EXPECT_EQ(CountRecordTokens(d, kBytes, &t).code(), Code::kData);
}

}  // namespace
}  // namespace ftprep::price
