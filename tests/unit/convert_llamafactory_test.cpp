// The ShareGPT and Alpaca dialects as LLaMA-Factory defines them (formats/dialects/sharegpt.cpp, alpaca.cpp,
// llamafactory.h): function_call/observation turns and tools text, argument text kept byte for byte, and the
// real LLaMA-Factory files of ../shared going to OpenAI chat and back.
#include <rapidjson/document.h>

#include <filesystem>

#include "convert/dialect.h"
#include "format_test_util.h"

namespace ftprep::convert {
namespace {

using namespace ftprep::testutil;  // NOLINT: test helpers
namespace fs = std::filesystem;

std::string Conv(const std::string& dialect, bool decode, const std::string& json, std::string* err = nullptr) {
  auto c = DialectCodec::Open(dialect, decode);
  EXPECT_TRUE(c.ok()) << c.status().message();
  if (!c.ok()) return "";
  std::string out, e;
  if (!(*c)->Convert(json, &out, &e)) {
    if (err) *err = e;
    return "";
  }
  return out;
}

// The error converting `json`, or "" if it converted.
std::string Refusal(const std::string& dialect, bool decode, const std::string& json) {
  std::string err;
  std::string out = Conv(dialect, decode, json, &err);
  return out.empty() ? err : "";
}

const char kToolChat[] =
    R"({"messages":[{"role":"user","content":"Weather in Paris?"},)"
    R"({"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\"}"}}]},)"
    R"({"role":"tool","content":"{\"temp\": 12}","tool_call_id":"call_1"},{"role":"assistant","content":"12 degrees."}],)"
    R"("tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]})";

TEST(ShareGptWriter, ToolCallsBecomeFunctionCallTurns) {
  std::string sg = Conv("sharegpt", false, kToolChat);
  EXPECT_EQ(sg,
            R"({"conversations":[{"from":"human","value":"Weather in Paris?"},)"
            R"({"from":"function_call","value":"{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}"},)"
            R"({"from":"observation","value":"{\"temp\": 12}"},{"from":"gpt","value":"12 degrees."}],)"
            R"("tools":"[{\"name\": \"get_weather\", \"parameters\": {\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\"}}}}]"})");
  EXPECT_EQ(SniffDialect(sg), "sharegpt");
  EXPECT_EQ(Conv("sharegpt", true, sg), kToolChat);
}

// OpenAI's argument text goes into the function_call turn as a value when it is one (what LLaMA-Factory's
// json.dumps needs) and as a string otherwise; either way chat -> ShareGPT -> chat keeps every byte.
TEST(ShareGptWriter, ArgumentTextKeepsEveryByte) {
  struct Case {
    const char* args_json;  // the "arguments" member as it appears in the chat record
    const char* in_turn;    // how the function_call turn's text holds it (after "arguments": )
  };
  for (const Case& c : {Case{R"("{\"a\":1}")", R"({\"a\":1})"},
                        Case{R"("{\n  \"a\": [1, 2.50, 1e3]\n}")", R"({\n  \"a\": [1, 2.50, 1e3]\n})"},
                        Case{R"("{\"s\": \"\\u00e9\\\"}\"}")", R"({\"s\": \"\\u00e9\\\"}\"})"},
                        Case{R"("[]")", R"([])"},
                        Case{R"("5")", R"(5)"},
                        Case{R"(" {\"a\":1}")", R"(\" {\\\"a\\\":1}\")"},       // leading space: a string
                        Case{R"("{\"a\":1} ")", R"(\"{\\\"a\\\":1} \")"},       // trailing space
                        Case{R"("not json")", R"(\"not json\")"},
                        Case{R"("\"quoted\"")", R"(\"\\\"quoted\\\"\")"},       // a JSON string stays text
                        Case{R"("")", R"(\"\")"},
                        Case{R"("{\"a\":1}\u0000")", R"(\"{\\\"a\\\":1}\\u0000\")"}}) {
    std::string chat = std::string(R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":)") +
                       c.args_json + R"(}}]}]})";
    std::string sg = Conv("sharegpt", false, chat);
    std::string want = std::string(R"({"conversations":[{"from":"human","value":"q"},{"from":"function_call","value":"{\"name\": \"f\", \"arguments\": )") +
                       c.in_turn + R"(}"}]})";
    EXPECT_EQ(sg, want) << c.args_json;
    EXPECT_EQ(Conv("sharegpt", true, sg), chat) << c.args_json;
  }
}

// Ids the reader would give anyway (call_1, call_2, ... and answers in call order) are left out; others stay.
TEST(ShareGptWriter, IdsOnlyWhereNeeded) {
  const char* chat =
      R"({"messages":[{"role":"user","content":"q"},)"
      R"({"role":"assistant","tool_calls":[{"id":"call_abc","type":"function","function":{"name":"f","arguments":"{}"}},)"
      R"({"id":"call_1","type":"function","function":{"name":"g","arguments":"{}"}}]},)"
      R"({"role":"tool","content":"G","tool_call_id":"call_1"},{"role":"tool","content":"F","tool_call_id":"call_abc"},)"
      R"({"role":"assistant","content":"done","weight":1}]})";
  std::string sg = Conv("sharegpt", false, chat);
  EXPECT_EQ(sg,
            R"({"conversations":[{"from":"human","value":"q"},)"
            R"({"from":"function_call","value":"[{\"name\": \"f\", \"arguments\": {}, \"id\": \"call_abc\"}, {\"name\": \"g\", \"arguments\": {}}]"},)"
            R"({"from":"observation","value":"G","tool_call_id":"call_1"},{"from":"observation","value":"F"},)"
            R"({"from":"gpt","value":"done","weight":1}]})");
  EXPECT_EQ(Conv("sharegpt", true, sg), chat);
  // A null or empty content beside the calls, and other fields of the message, stay in place.
  const char* with_null =
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":null,"tool_calls":[{"id":"x","type":"function","function":{"name":"f","arguments":"{}"}}],"weight":0},{"role":"tool","tool_call_id":"x","content":"1"}]})";
  EXPECT_EQ(Conv("sharegpt", true, Conv("sharegpt", false, with_null)), with_null);
  // TRL writes a call's arguments as a value and leaves out id and type: written as LLaMA-Factory has it.
  EXPECT_EQ(Conv("sharegpt", false,
                 R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"type":"function","function":{"name":"f","arguments":{"x":[1,2]}}}]}]})"),
            R"({"conversations":[{"from":"human","value":"q"},{"from":"function_call","value":"{\"name\": \"f\", \"arguments\": {\"x\": [1, 2]}}"}]})");
}

TEST(ShareGptWriter, RefusesWhatItCannotHold) {
  auto call = [](const std::string& tc, const std::string& extra = "") {
    return R"({"messages":[{"role":"user","content":"q"},{"role":"assistant")" + extra + R"(,"tool_calls":[)" + tc +
           "]}]}";
  };
  const std::string ok_call = R"({"id":"a","type":"function","function":{"name":"f","arguments":"{}"}})";
  EXPECT_NE(Refusal("sharegpt", false, call(ok_call, R"(,"content":"Let me look.")")).find("messages[1].content: ShareGPT (LLaMA-Factory) has no place for assistant text beside tool calls"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, call(R"({"id":"a","type":"function","function":{"name":"f","arguments":"{}"},"index":0})")).find("messages[1].tool_calls[0]: a ShareGPT function_call holds a call's name, arguments and id, not 'index'"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, call(R"({"id":"a","type":"custom","custom":{}})")).find("messages[1].tool_calls[0]"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, call(R"({"id":"a","type":"function","function":{"name":"f","arguments":"{}","strict":true}})")).find("not 'strict'"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, call(R"({"id":"a","type":"function","function":{"arguments":"{}"}})")).find(".function.name: missing"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, R"({"messages":[],"tools":[{"name":"f"}]})").find("tools[0]: not a function tool"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, R"({"messages":[],"tools":{"type":"function"}})").find("tools: not an array"),
            std::string::npos);
}

TEST(ShareGptReader, FunctionCallTurns) {
  // LLaMA-Factory's own layout: the argument text is json.dumps' text, verbatim.
  EXPECT_EQ(Conv("sharegpt", true, R"({"conversations":[{"from":"human","value":"q"},{"from":"function_call","value":"{\"arguments\": {\"b\": [1, {\"c\": \"}\"}]}, \"name\": \"f\"}"}]})"),
            R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"b\": [1, {\"c\": \"}\"}]}"}}]}]})");
  // A key written with escapes is still the arguments key; a scalar argument value is its text.
  EXPECT_EQ(Conv("sharegpt", true, R"({"conversations":[{"from":"function_call","value":"[{\"name\":\"f\",\"argum\\u0065nts\" : 7 }, {\"name\":\"g\"}]"}]})"),
            R"({"messages":[{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"7"}},{"id":"call_2","type":"function","function":{"name":"g","arguments":"{}"}}]}]})");
  // role/content tags (LLaMA-Factory's "tags" in dataset_info.json) work for function_call turns too.
  EXPECT_EQ(Conv("sharegpt", true, R"({"conversations":[{"role":"function_call","content":"{\"name\":\"f\",\"arguments\":{}}"}]})"),
            R"({"messages":[{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}]})");
  // An observation that answers no call cannot become an OpenAI tool message.
  EXPECT_NE(Refusal("sharegpt", true, R"({"conversations":[{"from":"human","value":"q"},{"from":"observation","value":"1"}]})").find("conversations[1].from: an observation that answers no function_call"),
            std::string::npos);
  // Text nested deeper than the cap inside a string field is refused, not parsed.
  std::string deep = std::string(300, '[') + std::string(300, ']');
  EXPECT_NE(Refusal("sharegpt", true, R"({"conversations":[{"from":"function_call","value":")" + deep + R"("}]})").find("conversations[0].value"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", true, R"({"conversations":[],"tools":")" + deep + R"("})").find("tools:"), std::string::npos);
}

// LLaMA-Factory's tool-call demos go to OpenAI chat and come back with the same conversations, byte for byte.
TEST(ShareGptReader, RealToolCallFilesRoundTrip) {
  SKIP_WITHOUT_SHARED();
  for (const fs::path& p : {Shared() / "realdata" / "sharegpt" / "hiyouga__LLaMA-Factory__glaive_toolcall_en_demo.json",
                            Shared() / "suites" / "dialects" / "files" / "LLaMA-Factory__glaive_toolcall_zh_demo.json"}) {
    ReadResult r = ReadAll("json", Slurp(p), {}, 1 << 16);
    ASSERT_EQ(r.rows.size(), 300u) << p;
    int same = 0, refused = 0, calls = 0;
    for (const auto& row : r.rows) {
      std::string err;
      std::string chat = Conv("sharegpt", true, row.json, &err);
      if (chat.empty()) {
        EXPECT_NE(err.find("an observation that answers no function_call"), std::string::npos) << err;
        ++refused;
        continue;
      }
      calls += chat.find("\"tool_calls\"") != std::string::npos;
      std::string back = Conv("sharegpt", false, chat);
      rapidjson::Document a, b;
      a.Parse(row.json.c_str());
      b.Parse(back.c_str());
      ASSERT_TRUE(b.IsObject()) << back;
      same += a["conversations"] == b["conversations"];
    }
    EXPECT_EQ(same + refused, 300) << p;
    EXPECT_GT(calls, 100) << p;
    EXPECT_LE(refused, 2) << p;  // the zh demo has two observations after a plain gpt turn
  }
}

}  // namespace
}  // namespace ftprep::convert
