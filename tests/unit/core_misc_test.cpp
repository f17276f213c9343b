// Small core pieces: UTF-8, JSON paths, record shapes, report merging, CLI helpers.
#include <gtest/gtest.h>

#include <set>

#include "cli.h"
#include "diag.h"
#include "jsonpath.h"
#include "report.h"
#include "schema.h"
#include "utf8.h"

namespace ftprep {
namespace {

TEST(Utf8, FindsFirstInvalidByte) {
  EXPECT_TRUE(IsValidUtf8("plain ascii and é and 😀"));
  EXPECT_EQ(FindInvalidUtf8("abc\xC0\xAF"), 3u);        // overlong
  EXPECT_EQ(FindInvalidUtf8("ab\xED\xA0\x80"), 2u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("a\xF4\x90\x80\x80"), 1u);  // > U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("12345678\xE2\x82"), 8u);   // truncated after the fast path
  EXPECT_EQ(ValidUtf8OrReplace("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(Base64("foob"), "Zm9vYg==");
}

// An excerpt cut after max_chars characters never ends inside a character, even when the last character
// counted is a multi-byte one (its lead byte was counted, its continuation bytes come after the limit).
TEST(Diag, ExcerptNeverCutsACharacter) {
  EXPECT_EQ(Excerpt("ab\xE6\x8A\xB5" "cd", 3), "ab\xE6\x8A\xB5…");
  EXPECT_EQ(Excerpt("\xE6\x8A\xB5\xE6\x8A\xB5", 1), "\xE6\x8A\xB5…");
  EXPECT_EQ(Excerpt("ab\xF0\x9F\x98\x80", 3), "ab\xF0\x9F\x98\x80");
  EXPECT_EQ(Excerpt("a\nb", 10), "a\\nb");
}

TEST(JsonPath, ParseAndGet) {
  rapidjson::Document d;
  d.Parse(R"({"messages":[{"role":"user","content":"hi"}],"data":{"text_list":["a","b"]},"k.x":{"y":1}})");
  EXPECT_STREQ(GetPath(d, "messages[0].content")->GetString(), "hi");
  EXPECT_STREQ(GetPath(d, "$.data.text_list[1]")->GetString(), "b");
  EXPECT_EQ(GetPath(d, "[\"k.x\"].y")->GetInt(), 1);
  EXPECT_EQ(GetPath(d, "messages[3]"), nullptr);
  EXPECT_FALSE(ParsePath("a..b").ok());
  EXPECT_FALSE(ParsePath("a[x]").ok());
  std::string p;
  AppendKey(&p, "messages");
  AppendIndex(&p, 2);
  AppendKey(&p, "with space");
  EXPECT_EQ(p, "messages[2][\"with space\"]");
}

TEST(Schema, DetectsShapesAndVisitsTexts) {
  auto shape = [](const char* j) {
    rapidjson::Document d;
    d.Parse(j);
    return std::string(ShapeName(DetectShape(d)));
  };
  EXPECT_EQ(shape(R"({"messages":[]})"), "chat");
  EXPECT_EQ(shape(R"({"input":{"messages":[]},"preferred_output":[],"non_preferred_output":[]})"), "preference");
  EXPECT_EQ(shape(R"({"prompt":"a","completion":"b"})"), "prompt_completion");
  EXPECT_EQ(shape(R"({"data":{"text_list":[]}})"), "text_list");
  EXPECT_EQ(shape(R"({"conversations":[]})"), "sharegpt");
  EXPECT_EQ(shape(R"({"instruction":"a","input":"","output":"b"})"), "alpaca");
  EXPECT_EQ(shape(R"({"contents":[]})"), "gemini");
  EXPECT_EQ(shape(R"({"prompt":"a","chosen":"b","rejected":"c"})"), "trl_preference");
  EXPECT_EQ(shape(R"({"text":"x"})"), "text");
  EXPECT_EQ(shape(R"({"x":1})"), "unknown");

  rapidjson::Document d;
  d.Parse(R"({"messages":[{"role":"system","content":"s"},{"role":"user","content":[{"type":"text","text":"u"}]},
    {"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]},
    {"role":"assistant","content":"a","weight":0}],"tools":[{"type":"function","function":{"name":"f"}}]})");
  std::vector<std::string> seen;
  ForEachText(d, [&](TextRef& r) {
    seen.push_back(r.path + "|" + std::string(r.role) + "|" + (r.trained ? "T" : "-") + "|" + std::string(r.text));
  });
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "messages[0].content|system|-|s", "messages[1].content[0].text|user|-|u",
                      "messages[2].tool_calls[0].function.name|assistant|T|f",
                      "messages[2].tool_calls[0].function.arguments|assistant|T|{}", "messages[3].content|assistant|-|a",
                      "tools[0]||-|{\"type\":\"function\",\"function\":{\"name\":\"f\"}}"}));
}

// DetectShape looks at the record's members once; the reference below is the rule as a chain of lookups
// (rapidjson's FindMember: the first member of a name). Random records over the keys it reads, with duplicate
// keys and every value type, must get the same shape.
Shape DetectShapeReference(const rapidjson::Value& r) {
  if (!r.IsObject()) return Shape::kUnknown;
  auto get = [&](const char* k) -> const rapidjson::Value* {
    auto it = r.FindMember(k);
    return it == r.MemberEnd() ? nullptr : &it->value;
  };
  auto has = [&](const char* k) { return get(k) != nullptr; };
  auto array = [&](const char* k) { return get(k) && get(k)->IsArray(); };
  if (has("preferred_output") || has("non_preferred_output") || has("preferred_completion")) return Shape::kPreference;
  if (array("messages")) return has("schemaVersion") || array("system") ? Shape::kBedrockConverse : Shape::kChat;
  if (has("chosen") && has("rejected")) return Shape::kTrlPreference;
  if (has("prompt") && has("completion")) return Shape::kPromptCompletion;
  if (get("data") && get("data")->IsObject() && get("data")->HasMember("text_list")) return Shape::kTextList;
  if (array("conversations")) return Shape::kShareGpt;
  if (has("instruction") && has("output")) return Shape::kAlpaca;
  if (has("instruction") && has("response")) return Shape::kDolly;
  if (array("contents")) return Shape::kGemini;
  if (get("text") && get("text")->IsString()) return Shape::kText;
  if (has("prompt") || has("completion")) return Shape::kPromptCompletion;
  return Shape::kUnknown;
}

TEST(Schema, DetectShapeEqualsTheLookupChain) {
  const char* keys[] = {"preferred_output", "non_preferred_output", "preferred_completion", "messages",
                        "schemaVersion", "system", "chosen", "rejected", "prompt", "completion", "data",
                        "conversations", "instruction", "output", "response", "contents", "text", "input", "x",
                        "textx", "tex"};
  const char* values[] = {"[]", "\"s\"", "{}", "{\"text_list\":[]}", "null", "1"};
  uint64_t seed = 12345;
  auto next = [&] { return (seed = seed * 6364136223846793005ull + 1442695040888963407ull) >> 33; };
  std::set<Shape> seen;
  for (int round = 0; round < 20000; ++round) {
    std::string j = "{";
    const int n = int(next() % 5);
    for (int i = 0; i < n; ++i) {
      j += std::string(i ? "," : "") + "\"" + keys[next() % std::size(keys)] + "\":" + values[next() % std::size(values)];
    }
    j += "}";
    rapidjson::Document d;
    d.Parse(j.c_str());
    ASSERT_FALSE(d.HasParseError()) << j;
    ASSERT_EQ(DetectShape(d), DetectShapeReference(d)) << j;
    seen.insert(DetectShape(d));
  }
  EXPECT_EQ(seen.size(), 12u);  // every shape, and unknown, came up
}

TEST(Schema, PathsOfNestedAndRepeatedVisits) {
  rapidjson::Document d;
  d.Parse(R"({"input":{"messages":[{"role":"user","content":"q","name":"a-very-long-name-for-a-path"}]},
    "preferred_output":[{"role":"assistant","content":[{"text":"p"},{"type":"text","value":"v"}],
      "function_call":{"name":"f","arguments":"{}"}}],
    "non_preferred_output":[{"role":"assistant","content":"n"}]})");
  std::vector<std::string> seen;
  ForEachText(d, [&](TextRef& r) {
    seen.push_back(r.path + "|" + std::string(r.role) + "|" + std::to_string(r.message));
    if (r.kind == TextKind::kName) {  // a visit from inside a visit keeps both paths right
      rapidjson::Document inner;
      inner.Parse(R"({"data":{"text_list":["a","b"]}})");
      ForEachText(inner, [&](TextRef& i) { seen.push_back("  " + i.path); });
    }
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"input.messages[0].name|user|0", "  data.text_list[0]",
                                            "  data.text_list[1]", "input.messages[0].content|user|0",
                                            "preferred_output[0].content[0].text|assistant|1",
                                            "preferred_output[0].content[1]|assistant|1",
                                            "preferred_output[0].function_call.name|assistant|1",
                                            "preferred_output[0].function_call.arguments|assistant|1",
                                            "non_preferred_output[0].content|assistant|1"}));
  d.Parse(R"({"history":[["q1","a1"]],"instruction":"i","output":"o"})");
  seen.clear();
  ForEachText(d, [&](TextRef& r) { seen.push_back(r.path + "|" + std::string(r.text)); });
  EXPECT_EQ(seen, (std::vector<std::string>{"history[0][0]|q1", "history[0][1]|a1", "instruction|i", "output|o"}));
}

TEST(Report, MergeSumsCountsHistogramsAndRederives) {
  static bool derived = false;
  RegisterReportDeriver("unit", [](rapidjson::Document& r) {
    derived = true;
    r.AddMember("derived", rapidjson::Value(rapidjson::kObjectType), r.GetAllocator());
    r["derived"].AddMember("p50", HistogramPercentile(r["histograms"]["len"], 50), r.GetAllocator());
  });
  rapidjson::Document a, b, out;
  a.Parse(R"({"tool":"unit","version":1,"counts":{"n":2},"histograms":{"len":{"1":1,"5":1}},"min":{"len":1},
             "max":{"len":5},"findings":[{"line":1}],"derived":{"p50":1}})");
  b.Parse(R"({"tool":"unit","version":1,"counts":{"n":3},"histograms":{"len":{"5":1,"9":2}},"min":{"len":5},
             "max":{"len":9},"findings":[{"line":7}]})");
  ASSERT_TRUE(MergeReports({&a, &b}, &out).ok());
  EXPECT_EQ(out["counts"]["n"].GetInt(), 5);
  EXPECT_EQ(out["histograms"]["len"]["5"].GetInt(), 2);
  EXPECT_EQ(out["min"]["len"].GetInt(), 1);
  EXPECT_EQ(out["max"]["len"].GetInt(), 9);
  EXPECT_EQ(out["findings"].Size(), 2u);
  EXPECT_TRUE(derived);
  EXPECT_EQ(out["derived"]["p50"].GetDouble(), 5);  // ranks: 1,5,5,9,9 -> 3rd is 5
  rapidjson::Document c;
  c.Parse(R"({"tool":"unit","version":2})");
  EXPECT_FALSE(MergeReports({&a, &c}, &out).ok());
}

TEST(Cli, ClosestNamesAndSizes) {
  EXPECT_EQ(ClosestNames("valdate", {"convert", "validate", "split"}), std::vector<std::string>{"validate"});
  EXPECT_TRUE(ClosestNames("zzzzzz", {"convert", "validate"}).empty());
  EXPECT_EQ(*ParseByteSize("64M"), 64ull << 20);
  EXPECT_EQ(*ParseByteSize("123"), 123u);
  EXPECT_FALSE(ParseByteSize("12X").ok());
}

}  // namespace
}  // namespace ftprep
