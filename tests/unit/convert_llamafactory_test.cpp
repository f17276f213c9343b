// The ShareGPT and Alpaca dialects as LLaMA-Factory defines them (formats/dialects/sharegpt.cpp, alpaca.cpp,
// llamafactory.h): function_call/observation turns and tools text, argument text kept byte for byte, and the
// real LLaMA-Factory files of ../shared going to OpenAI chat and back.
#include <rapidjson/document.h>

#include <filesystem>

#include "convert/dialect.h"
#include "dialect_test_util.h"
#include "format_test_util.h"

namespace ftprep::convert {
namespace {

using namespace ftprep::testutil;  // NOLINT: test helpers
namespace fs = std::filesystem;

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

// LLaMA-Factory's multimodal form: <image> placeholders with an images column become OpenAI image parts in
// place; video and audio have no OpenAI chat form and are refused with the reason.
TEST(ShareGptMedia, ImagePlaceholdersBecomeImageParts) {
  const char* lf =
      R"({"messages":[{"role":"user","content":"<image>Who are they?"},{"role":"assistant","content":"Players."},)"
      R"({"role":"user","content":"And here<image> and <image>?"},{"role":"assistant","content":"Fans."}],)"
      R"("images":["https://x.test/a.jpg","https://x.test/b.png","data:image/png;base64,AAAA"]})";
  EXPECT_EQ(SniffDialect(lf), "sharegpt");
  std::string chat = Conv("sharegpt", true, lf);
  EXPECT_EQ(chat,
            R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x.test/a.jpg"}},{"type":"text","text":"Who are they?"}]},)"
            R"({"role":"assistant","content":"Players."},)"
            R"({"role":"user","content":[{"type":"text","text":"And here"},{"type":"image_url","image_url":{"url":"https://x.test/b.png"}},{"type":"text","text":" and "},{"type":"image_url","image_url":{"url":"data:image/png;base64,AAAA"}},{"type":"text","text":"?"}]},)"
            R"({"role":"assistant","content":"Fans."}]})");
  // Written back: the placeholders and the column again, and chat -> ShareGPT -> chat keeps every byte.
  std::string sg = Conv("sharegpt", false, chat);
  EXPECT_EQ(sg,
            R"({"conversations":[{"from":"human","value":"<image>Who are they?"},{"from":"gpt","value":"Players."},)"
            R"({"from":"human","value":"And here<image> and <image>?"},{"from":"gpt","value":"Fans."}],)"
            R"("images":["https://x.test/a.jpg","https://x.test/b.png","data:image/png;base64,AAAA"]})");
  EXPECT_EQ(Conv("sharegpt", true, sg), chat);
  // A file path (LLaMA-Factory's usual form) is no OpenAI image URL: the record is refused, naming it.
  EXPECT_NE(Refusal("sharegpt", true, R"({"messages":[{"role":"user","content":"<image>Who?"},{"role":"assistant","content":"Me."}],"images":["mllm_demo_data/1.jpg"]})")
                .find(R"(images[0]: "mllm_demo_data/1.jpg" is a file path; OpenAI chat takes images as http(s) or data: URLs)"),
            std::string::npos);
}

TEST(ShareGptMedia, RefusesWhatOpenAiChatCannotHold) {
  EXPECT_NE(Refusal("sharegpt", true, R"({"messages":[{"role":"user","content":"<video>Why?"},{"role":"assistant","content":"A cat."}],"videos":["1.mp4"]})")
                .find("videos: OpenAI chat cannot hold video"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", true, R"({"conversations":[{"from":"human","value":"<audio>What?"},{"from":"gpt","value":"Glass."}],"audios":["1.mp3"]})")
                .find("audios: OpenAI chat cannot hold audio"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", true, R"({"messages":[{"role":"user","content":"<image><image>"},{"role":"assistant","content":"x"}],"images":["a.jpg"]})")
                .find("images: 1 image but 2 <image> placeholders"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", true, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"<image>"}],"images":["a.jpg"]})")
                .find("messages[1].content: OpenAI chat takes images only in user messages"),
            std::string::npos);
  // A KTO label is a field like any other (as for TRL's unpaired records); with role/content tags and no media
  // column the record is OpenAI chat.
  EXPECT_EQ(SniffDialect(R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}],"label":false})"),
            "openai-chat");
  EXPECT_EQ(Conv("sharegpt", true, R"({"conversations":[{"from":"human","value":"hi"},{"from":"gpt","value":"yo"}],"label":false})"),
            R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}],"label":false})");
  // No media column: "<image>" is plain text.
  EXPECT_EQ(Conv("sharegpt", true, R"({"conversations":[{"from":"human","value":"What is <image> in HTML?"}]})"),
            R"({"messages":[{"role":"user","content":"What is <image> in HTML?"}]})");
  // The writer refuses what the placeholders cannot give back.
  auto img = [](const std::string& parts, const char* role = "user") {
    return std::string(R"({"messages":[{"role":")") + role + R"(","content":[)" + parts + "]}]}";
  };
  EXPECT_NE(Refusal("sharegpt", false, img(R"({"type":"image_url","image_url":{"url":"a.jpg","detail":"low"}})")).find("messages[0].content[0]"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, img(R"({"type":"text","text":"a"},{"type":"text","text":"b"},{"type":"image_url","image_url":{"url":"a.jpg"}})")).find("messages[0].content[1]"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, img(R"({"type":"text","text":"<image>"},{"type":"image_url","image_url":{"url":"a.jpg"}})")).find("would be read as an image placeholder"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, img(R"({"type":"image_url","image_url":{"url":"a.jpg"}})", "assistant")).find("only in user messages"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", false, R"({"messages":[{"role":"system","content":"Say <image>."},{"role":"user","content":[{"type":"image_url","image_url":{"url":"a.jpg"}}]}]})")
                .find("would be read as one of the images"),
            std::string::npos);
}

// The real LLaMA-Factory multimodal demos: their images are file paths, and video and audio have no OpenAI
// chat form: every record is refused with its reason.
TEST(ShareGptMedia, RealMultimodalDemos) {
  SKIP_WITHOUT_SHARED();
  fs::path dir = Shared() / "suites" / "dialects" / "files";
  struct Case {
    const char* file;
    size_t records;
    const char* refusal;
  };
  for (const Case& c : {Case{"LLaMA-Factory__mllm_demo.json", 6, "is a file path; OpenAI chat takes images as http(s) or data: URLs"},
                        Case{"LLaMA-Factory__mllm_video_demo.json", 3, "videos: OpenAI chat cannot hold video"},
                        Case{"LLaMA-Factory__mllm_audio_demo.json", 3, "audios: OpenAI chat cannot hold audio"}}) {
    ReadResult r = ReadAll("json", Slurp(dir / c.file), {}, 1 << 16);
    ASSERT_EQ(r.rows.size(), c.records) << c.file;
    for (const auto& row : r.rows) {
      EXPECT_EQ(SniffDialect(row.json), "sharegpt") << c.file;
      std::string err;
      EXPECT_EQ(Conv("sharegpt", true, row.json, &err), "") << c.file;
      EXPECT_NE(err.find(c.refusal), std::string::npos) << c.file << ": " << err;
    }
  }
}

// LLaMA-Factory's v1 form: {"type","value"} parts become OpenAI parts (one text part the plain string);
// loss_weight becomes OpenAI's weight
// where OpenAI has one; v1 preference pairs become OpenAI preference records.
TEST(ShareGptV1, PartsWeightsAndPairs) {
  const char* v1 =
      R"({"messages":[{"role":"user","content":[{"type":"image_url","value":"https://x.test/a.jpg"},{"type":"text","value":"hi"}],"loss_weight":0.0},)"
      R"({"role":"assistant","content":[{"type":"text","value":"Hello!"}],"loss_weight":1.0},)"
      R"({"role":"user","content":[{"type":"text","value":"more"}],"loss_weight":0.0},)"
      R"({"role":"assistant","content":[{"type":"text","value":"No."}],"loss_weight":0.0}],"id":3})";
  EXPECT_EQ(SniffDialect(v1), "sharegpt");
  EXPECT_EQ(Conv("sharegpt", true, v1),
            R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x.test/a.jpg"}},{"type":"text","text":"hi"}]},)"
            R"({"role":"assistant","content":"Hello!"},{"role":"user","content":"more"},)"
            R"({"role":"assistant","content":"No.","weight":0}],"id":3})");
  EXPECT_NE(Refusal("sharegpt", true, R"({"messages":[{"role":"user","content":[{"type":"text","value":"q"}]},{"role":"assistant","content":[{"type":"text","value":"a"}],"loss_weight":0.5}]})")
                .find("messages[1].loss_weight"),
            std::string::npos);
  EXPECT_NE(Refusal("sharegpt", true, R"({"messages":[{"role":"user","content":[{"type":"video_url","value":"v.mp4"}]}]})")
                .find("messages[0].content[0]: OpenAI chat cannot hold a 'video_url' part"),
            std::string::npos);
  const char* pair =
      R"({"chosen_messages":[{"role":"user","content":[{"type":"text","value":"q"}],"loss_weight":0.0},{"role":"assistant","content":[{"type":"text","value":"good"}],"loss_weight":1.0}],)"
      R"("rejected_messages":[{"role":"user","content":[{"type":"text","value":"q"}],"loss_weight":0.0},{"role":"assistant","content":[{"type":"text","value":"bad"}],"loss_weight":1.0}]})";
  EXPECT_EQ(SniffDialect(pair), "sharegpt");
  EXPECT_EQ(Conv("sharegpt", true, pair),
            R"({"input":{"messages":[{"role":"user","content":"q"}]},)"
            R"("preferred_output":[{"role":"assistant","content":"good"}],)"
            R"("non_preferred_output":[{"role":"assistant","content":"bad"}]})");
  std::string other = pair;
  other.replace(other.rfind(R"("value":"q")"), 11, R"("value":"Q")");
  EXPECT_NE(Refusal("sharegpt", true, other).find("rejected_messages[0]: the prompt differs"), std::string::npos);
}

TEST(ShareGptV1, RealV1Files) {
  SKIP_WITHOUT_SHARED();
  struct Case {
    fs::path file;
    size_t records, refused;
    const char* kind;  // what every converted record decodes to
  };
  // Every record of the multimodal demo has an image given as a file path: refused, naming it.
  for (const Case& c : {Case{Shared() / "realdata" / "chat" / "hiyouga__LLaMA-Factory__v1_sft_demo.jsonl", 500, 0, "\"messages\""},
                        Case{Shared() / "suites" / "dialects" / "files" / "LLaMA-Factory__v1_multimodal_demo.jsonl", 0, 24, ""},
                        Case{Shared() / "suites" / "dialects" / "files" / "LLaMA-Factory__v1_dpo_demo.jsonl", 10, 0, "\"preferred_output\""}}) {
    ReadResult r = ReadAll("jsonl", Slurp(c.file), {}, 1 << 16);
    size_t good = 0, refused = 0;
    for (const auto& row : r.rows) {
      if (!row.error.empty()) continue;
      EXPECT_EQ(SniffDialect(row.json), "sharegpt") << c.file;
      std::string err;
      std::string out = Conv("sharegpt", true, row.json, &err);
      if (out.empty()) {
        EXPECT_NE(err.find("is a file path"), std::string::npos) << c.file << ": " << err;
        ++refused;
        continue;
      }
      EXPECT_EQ(out.find("\"value\""), std::string::npos) << out.substr(0, 300);
      EXPECT_EQ(out.find("loss_weight"), std::string::npos) << out.substr(0, 300);
      good += out.find(c.kind) != std::string::npos;
    }
    EXPECT_EQ(good, c.records) << c.file;
    EXPECT_EQ(refused, c.refused) << c.file;
  }
}

// Alpaca as LLaMA-Factory defines it: instruction and input joined by one "\n"; ranking records become
// OpenAI preference records; images as for ShareGPT; a KTO tag carried through.
TEST(AlpacaLlamaFactory, RankingMediaAndKtoTag) {
  EXPECT_EQ(Conv("alpaca", true, R"({"instruction":"Fix:","input":"teh cat","output":"the cat","id":1})"),
            R"({"messages":[{"role":"user","content":"Fix:\nteh cat"},{"role":"assistant","content":"the cat"}],"id":1})");
  const char* ranking = R"({"instruction":"Fix:","input":"teh cat","chosen":"the cat","rejected":"teh cat","system":"S"})";
  EXPECT_EQ(SniffDialect(ranking), "alpaca");
  EXPECT_EQ(Conv("alpaca", true, ranking),
            R"({"input":{"messages":[{"role":"system","content":"S"},{"role":"user","content":"Fix:\nteh cat"}]},)"
            R"("preferred_output":[{"role":"assistant","content":"the cat"}],"non_preferred_output":[{"role":"assistant","content":"teh cat"}]})");
  EXPECT_EQ(Conv("alpaca", true, R"({"instruction":"<image>What is it?","output":"A cat.","images":["https://x.test/c.jpg"]})"),
            R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x.test/c.jpg"}},{"type":"text","text":"What is it?"}]},{"role":"assistant","content":"A cat."}]})");
  EXPECT_NE(Refusal("alpaca", true, R"({"instruction":"<video>Why?","output":"x","videos":["v.mp4"]})").find("videos: OpenAI chat cannot hold video"),
            std::string::npos);
  EXPECT_EQ(Conv("alpaca", true, R"({"instruction":"q","output":"a","kto_tag":true})"),
            R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"kto_tag":true})");
  EXPECT_NE(Refusal("alpaca", true, R"({"instruction":"q","chosen":"a","rejected":7})").find("rejected: not a string"),
            std::string::npos);
}

}  // namespace
}  // namespace ftprep::convert
