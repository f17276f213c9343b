// Tests of the record dialects (formats/dialects/) through core/convert/dialect.h: sniffing, decoding and
// encoding, and round trips on the real chat and preference files of ../shared/realdata.
#include "convert/dialect.h"

#include <rapidjson/document.h>

#include <filesystem>
#include <map>

#include "dialect_test_util.h"
#include "format_test_util.h"

namespace ftprep::convert {
namespace {

using namespace ftprep::testutil;  // NOLINT: test helpers
namespace fs = std::filesystem;

TEST(Dialects, AllRegistered) {
  std::vector<std::string> want = {"alpaca",      "bedrock-converse",  "cohere-chat", "dolly",
                                   "gemini",      "openai-chat",       "openai-preference",
                                   "sharegpt",    "trl-preference",    "trl-prompt-completion"};
  EXPECT_EQ(DialectNames(), want);
  EXPECT_EQ(CanonicalDialectName("chat"), "openai-chat");
  EXPECT_EQ(CanonicalDialectName("csv"), "");
}

TEST(Dialects, Sniffing) {
  EXPECT_EQ(SniffDialect(R"({"messages":[{"role":"user","content":"hi"}]})"), "openai-chat");
  EXPECT_EQ(SniffDialect(R"({"conversations":[{"from":"human","value":"hi"}]})"), "sharegpt");
  EXPECT_EQ(SniffDialect(R"({"instruction":"a","input":"","output":"b"})"), "alpaca");
  EXPECT_EQ(SniffDialect(R"({"instruction":"a","context":"","response":"b","category":"open_qa"})"), "dolly");
  EXPECT_EQ(SniffDialect(R"({"contents":[{"role":"user","parts":[{"text":"hi"}]}]})"), "gemini");
  EXPECT_EQ(SniffDialect(R"({"schemaVersion":"bedrock-conversation-2024","messages":[]})"), "bedrock-converse");
  EXPECT_EQ(SniffDialect(R"({"messages":[{"role":"user","content":[{"text":"hi"}]}]})"), "bedrock-converse");
  EXPECT_EQ(SniffDialect(R"({"messages":[{"role":"User","content":"hi"},{"role":"Chatbot","content":"yo"}]})"), "cohere-chat");
  EXPECT_EQ(SniffDialect(R"({"prompt":"p","chosen":"c","rejected":"r"})"), "trl-preference");
  EXPECT_EQ(SniffDialect(R"({"input":{"messages":[]},"preferred_output":[],"non_preferred_output":[]})"), "openai-preference");
  EXPECT_EQ(SniffDialect(R"({"question":"q","answer":"a"})"), "");
}

const char kChat[] =
    R"({"id":7,"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi?"},{"role":"assistant","content":"Hello.","weight":1}]})";

TEST(Dialects, EncodeExamples) {
  EXPECT_EQ(Conv("sharegpt", false, kChat),
            R"({"id":7,"conversations":[{"from":"system","value":"Be brief."},{"from":"human","value":"Hi?"},{"from":"gpt","value":"Hello.","weight":1}]})");
  EXPECT_EQ(Conv("gemini", false, kChat),
            R"({"id":7,"systemInstruction":{"role":"system","parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Hi?"}]},{"role":"model","parts":[{"text":"Hello."}],"weight":1}]})");
  EXPECT_EQ(Conv("bedrock-converse", false, kChat),
            R"({"id":7,"schemaVersion":"bedrock-conversation-2024","system":[{"text":"Be brief."}],"messages":[{"role":"user","content":[{"text":"Hi?"}]},{"role":"assistant","content":[{"text":"Hello."}],"weight":1}]})");
  EXPECT_EQ(Conv("cohere-chat", false, kChat),
            R"({"id":7,"messages":[{"role":"System","content":"Be brief."},{"role":"User","content":"Hi?"},{"role":"Chatbot","content":"Hello.","weight":1}]})");
  EXPECT_EQ(Conv("alpaca", false, kChat), R"({"id":7,"instruction":"Hi?","input":"","output":"Hello.","system":"Be brief."})");
  std::string err;
  EXPECT_EQ(Conv("gemini", false, R"({"messages":[{"role":"tool","content":"x"}]})", &err), "");
  EXPECT_NE(err.find("messages[0].role"), std::string::npos) << err;
}

TEST(Dialects, Dolly) {
  // Decoding: context after a blank line in the user message; category (and any other field) kept in place.
  EXPECT_EQ(Conv("dolly", true, R"({"instruction":"Who wrote it?","context":"Dune is a 1965 novel by Frank Herbert.","response":"Frank Herbert.","category":"closed_qa"})"),
            R"({"messages":[{"role":"user","content":"Who wrote it?\n\nDune is a 1965 novel by Frank Herbert."},{"role":"assistant","content":"Frank Herbert."}],"category":"closed_qa"})");
  EXPECT_EQ(Conv("dolly", true, R"({"id":3,"instruction":"Name a colour.","context":"","response":"Blue."})"),
            R"({"id":3,"messages":[{"role":"user","content":"Name a colour."},{"role":"assistant","content":"Blue."}]})");
  // Encoding and back: one exchange is an identity.
  const char* pair = R"({"id":3,"messages":[{"role":"user","content":"Name a colour."},{"role":"assistant","content":"Blue."}]})";
  std::string enc = Conv("dolly", false, pair);
  EXPECT_EQ(enc, R"({"id":3,"instruction":"Name a colour.","context":"","response":"Blue."})");
  EXPECT_EQ(SniffDialect(enc), "dolly");
  EXPECT_EQ(Conv("dolly", true, enc), pair);
  // What Dolly cannot hold is refused with the reason and the path.
  std::string err;
  EXPECT_EQ(Conv("dolly", false, kChat, &err), "");  // a system message and three turns
  EXPECT_NE(err.find("no system text"), std::string::npos) << err;
  EXPECT_EQ(Conv("dolly", false, R"({"messages":[{"role":"assistant","content":"a"},{"role":"user","content":"q"}]})", &err), "");
  EXPECT_NE(err.find("messages[0].role"), std::string::npos) << err;
  EXPECT_EQ(Conv("dolly", false, R"({"messages":[{"role":"user","content":[{"type":"text","text":"q"}]},{"role":"assistant","content":"a"}]})", &err), "");
  EXPECT_NE(err.find("messages[0].content"), std::string::npos) << err;
  EXPECT_EQ(Conv("dolly", true, R"({"instruction":"q","context":7,"response":"a"})", &err), "");
  EXPECT_NE(err.find("context: not a string"), std::string::npos) << err;
  EXPECT_EQ(Conv("dolly", true, R"({"instruction":"q"})", &err), "");
  EXPECT_NE(err.find("response"), std::string::npos) << err;
}

TEST(Dialects, DecodeExamples) {
  EXPECT_EQ(Conv("alpaca", true, R"({"instruction":"Fix:","input":"teh cat","output":"the cat","history":[["a","b"]]})"),
            R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":"Fix:\nteh cat"},{"role":"assistant","content":"the cat"}]})");
  EXPECT_EQ(Conv("sharegpt", true, R"({"system":"S","conversations":[{"from":"human","value":"q"},{"from":"function_call","value":"{\"name\":\"f\",\"arguments\":{\"x\":1}}"},{"from":"observation","value":"42"},{"from":"gpt","value":"a"}],"tools":"[]"})"),
            R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]},{"role":"tool","content":"42","tool_call_id":"call_1"},{"role":"assistant","content":"a"}]})");
  // LLaMA-Factory's tools text becomes an OpenAI tools array in place; parallel calls are answered in order.
  EXPECT_EQ(Conv("sharegpt", true, R"({"conversations":[{"from":"human","value":"q"},{"from":"function_call","value":"[{\"name\":\"f\",\"arguments\":{}},{\"name\":\"g\",\"arguments\":\"{}\"}]"},{"from":"observation","value":"1"},{"from":"observation","value":"2"}],"tools":"[{\"name\":\"f\"},{\"name\":\"g\"}]","id":7})"),
            R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}},{"id":"call_2","type":"function","function":{"name":"g","arguments":"{}"}}]},{"role":"tool","content":"1","tool_call_id":"call_1"},{"role":"tool","content":"2","tool_call_id":"call_2"}],"tools":[{"type":"function","function":{"name":"f"}},{"type":"function","function":{"name":"g"}}],"id":7})");
  EXPECT_EQ(Conv("trl-preference", true, R"({"prompt":"p","chosen":"c","rejected":"r"})"),
            R"({"input":{"messages":[{"role":"user","content":"p"}]},"preferred_output":[{"role":"assistant","content":"c"}],"non_preferred_output":[{"role":"assistant","content":"r"}]})");
  std::string err;
  EXPECT_EQ(Conv("sharegpt", true, R"({"conversations":[{"from":"alien","value":"x"}]})", &err), "");
  EXPECT_NE(err.find("conversations[0].from"), std::string::npos) << err;
}

// TRL's formats as its dataset-format docs show them.
TEST(Dialects, TrlFormats) {
  // implicit prompt: the messages chosen and rejected share at their start are the prompt
  EXPECT_EQ(SniffDialect(R"({"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"b"}]})"),
            "trl-preference");
  EXPECT_EQ(Conv("trl-preference", true, R"({"chosen":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}],"rejected":[{"role":"user","content":"q"},{"role":"assistant","content":"b"}]})"),
            R"({"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]})");
  std::string err;
  EXPECT_EQ(Conv("trl-preference", true, R"({"chosen":[{"role":"assistant","content":"a"}],"rejected":[{"role":"assistant","content":"b"}]})", &err), "");
  EXPECT_NE(err.find("share no leading messages"), std::string::npos) << err;
  // implicit prompt in text form (TRL's docs: {"chosen":"The sky is blue.","rejected":"The sky is green."}):
  // the shared start, the space before the parting left to the answers
  EXPECT_EQ(SniffDialect(R"({"chosen":"The sky is blue.","rejected":"The sky is green."})"), "trl-preference");
  EXPECT_EQ(Conv("trl-preference", true, R"({"chosen":"The sky is blue.","rejected":"The sky is green.","id":3})"),
            R"({"input":{"messages":[{"role":"user","content":"The sky is"}]},"preferred_output":[{"role":"assistant","content":" blue."}],"non_preferred_output":[{"role":"assistant","content":" green."}],"id":3})");
  // never inside a UTF-8 character: "é" (C3 A9) and "è" (C3 A8) share their first byte
  EXPECT_EQ(Conv("trl-preference", true, R"({"chosen":"Café","rejected":"Cafè"})"),
            "{\"input\":{\"messages\":[{\"role\":\"user\",\"content\":\"Caf\"}]},\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"\u00e9\"}],\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"\u00e8\"}]}");
  EXPECT_EQ(Conv("trl-preference", true, R"({"chosen":"same","rejected":"same"})", &err), "");
  EXPECT_NE(err.find("start of the other"), std::string::npos) << err;
  // prompt-completion, standard and conversational; unpaired (KTO) keeps its label in place
  EXPECT_EQ(SniffDialect(R"({"prompt":"The sky is","completion":" blue."})"), "trl-prompt-completion");
  EXPECT_EQ(Conv("trl-prompt-completion", true, R"({"prompt":"The sky is","completion":" blue.","label":true})"),
            R"({"messages":[{"role":"user","content":"The sky is"},{"role":"assistant","content":" blue."}],"label":true})");
  const std::string conv =
      R"({"prompt":[{"role":"system","content":"S"},{"role":"user","content":"q"}],"completion":[{"role":"assistant","content":"a"}]})";
  std::string chat = Conv("trl-prompt-completion", true, conv);
  EXPECT_EQ(chat, R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})");
  EXPECT_EQ(Conv("trl-prompt-completion", false, chat), conv);
  // TRL trains the completion only: earlier assistant turns must be untrained (weight 0), implied in TRL
  const std::string multi =
      R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0},{"role":"user","content":"q2"},{"role":"assistant","content":"b"}]})";
  const std::string trl = Conv("trl-prompt-completion", false, multi);
  EXPECT_EQ(trl, R"({"prompt":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"q2"}],"completion":[{"role":"assistant","content":"b"}]})");
  EXPECT_EQ(Conv("trl-prompt-completion", true, trl), multi);
  EXPECT_EQ(Conv("trl-prompt-completion", false, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"},{"role":"user","content":"q2"},{"role":"assistant","content":"b"}]})", &err), "");
  EXPECT_NE(err.find("trains the completion only"), std::string::npos) << err;
  EXPECT_EQ(Conv("trl-prompt-completion", false, R"({"messages":[{"role":"user","content":"q"}]})", &err), "");
  EXPECT_NE(err.find("last message must be the assistant's"), std::string::npos) << err;
}

// Direction kCheck accepts a record in the dialect and refuses one of another kind (what convert relies on
// to never write a record in the wrong dialect).
TEST(Dialects, CheckDirection) {
  auto check = [](const std::string& d, const std::string& json, std::string* err) {
    auto c = DialectCodec::Open(d, DialectCodec::Direction::kCheck);
    EXPECT_TRUE(c.ok()) << c.status().message();
    std::string out;
    bool ok = c.ok() && (*c)->Convert(json, &out, err);
    EXPECT_EQ(out, "");
    return ok;
  };
  const std::string chat = R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})";
  const std::string pref =
      R"({"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant","content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]})";
  std::string err;
  EXPECT_TRUE(check("openai-chat", chat, &err)) << err;
  EXPECT_FALSE(check("openai-chat", pref, &err));
  EXPECT_NE(err.find("messages"), std::string::npos) << err;
  EXPECT_TRUE(check("openai-preference", pref, &err)) << err;
  EXPECT_FALSE(check("openai-preference", chat, &err));
  EXPECT_FALSE(check("sharegpt", chat, &err));
  EXPECT_EQ(CanonicalKind(chat), "chat");
  EXPECT_EQ(CanonicalKind(pref), "preference");
  EXPECT_EQ(CanonicalKind(R"({"prompt":"p","completion":"c"})"), "");
  EXPECT_EQ(CanonicalKind("not json"), "");
}

// Every built-in dialect has an entry, and the one-line example shown in --help is a record of that dialect
// which decodes to the kind the entry says it holds.
TEST(Dialects, InfoExamplesDecode) {
  for (const auto& name : DialectNames()) {
    const DialectInfo* info = FindDialectInfo(name);
    ASSERT_NE(info, nullptr) << name;
    EXPECT_EQ(SniffDialect(info->example), name) << info->example;
    std::string err;
    std::string canonical = Conv(name, true, info->example, &err);
    EXPECT_FALSE(canonical.empty()) << name << ": " << err;
    EXPECT_EQ(CanonicalKind(canonical), info->holds) << name;
  }
  EXPECT_EQ(BuiltinDialects().size(), DialectNames().size());
}

// chat -> dialect -> chat gives every real chat record back byte for byte, for every record the dialect can
// represent (sharegpt: all of them).
TEST(Dialects, RealChatRoundTrips) {
  SKIP_WITHOUT_SHARED();
  int total = 0;
  std::map<std::string, int> ok;
  for (const auto& e : fs::directory_iterator(Shared() / "realdata" / "chat")) {
    ReadResult r = ReadAll("jsonl", Slurp(e.path()), {}, 1 << 16);
    for (const auto& row : r.rows) {
      if (!row.error.empty()) continue;
      // The canonical form is compact: normalise through the openai-chat codec first.
      std::string chat = Conv("openai-chat", true, row.json);
      ASSERT_FALSE(chat.empty()) << e.path();
      ++total;
      for (const char* d : {"sharegpt", "gemini", "bedrock-converse", "cohere-chat", "alpaca"}) {
        std::string err;
        std::string enc = Conv(d, false, chat, &err);
        if (enc.empty()) {
          EXPECT_NE(std::string(d), "sharegpt") << err;
          continue;
        }
        EXPECT_EQ(SniffDialect(enc), d) << enc.substr(0, 200);
        std::string back = Conv(d, true, enc, &err);
        if (std::string(d) == "alpaca") continue;  // alpaca merges instruction and input: not an identity
        if (std::string(d) == "gemini" || std::string(d) == "bedrock-converse") {
          // These move the system message out of the list; it comes back as {"role","content"} (key order
          // may differ from a source that wrote "content" first): compare as JSON values.
          rapidjson::Document x, y;
          x.Parse(back.c_str());
          y.Parse(chat.c_str());
          EXPECT_TRUE(x == y) << d << ": " << e.path().filename();
        } else {
          EXPECT_EQ(back, chat) << d << ": " << e.path().filename();
        }
        ++ok[d];
      }
    }
  }
  EXPECT_GT(total, 1000);
  EXPECT_EQ(ok["sharegpt"], total);
  EXPECT_GT(ok["gemini"], 100);
  EXPECT_GT(ok["bedrock-converse"], 100);
}

TEST(Dialects, RealShareGptAlpacaAndPreferenceFilesDecode) {
  SKIP_WITHOUT_SHARED();
  struct Case {
    const char* file;
    const char* format;
    const char* dialect;
  };
  for (const Case& c : {Case{"sharegpt/lm-sys__FastChat__dummy_conversation.json", "json", "sharegpt"},
                        Case{"sharegpt/hiyouga__LLaMA-Factory__glaive_toolcall_en_demo.json", "json", "sharegpt"},
                        Case{"sharegpt/cklxx__mini-llm__identity_conversations.jsonl", "jsonl", "sharegpt"},
                        Case{"alpaca/hiyouga__LLaMA-Factory__identity.json", "json", "alpaca"},
                        Case{"dpo/hiyouga__LLaMA-Factory__dpo_en_demo.json", "json", "trl-preference"},
                        Case{"dpo/Mxandre__Alignment-Mini-Lab__dpo_train.jsonl", "jsonl", "trl-preference"},
                        Case{"dpo/microsoft-foundry__fine-tuning__validation.jsonl", "jsonl", "openai-preference"}}) {
    ReadResult r = ReadAll(c.format, Slurp(Shared() / "realdata" / c.file), {}, 1 << 16);
    ASSERT_FALSE(r.rows.empty()) << c.file;
    EXPECT_EQ(SniffDialect(r.rows[0].json), c.dialect) << c.file;
    int good = 0;
    for (const auto& row : r.rows) {
      std::string err;
      std::string out = Conv(c.dialect, true, row.json, &err);
      EXPECT_FALSE(out.empty()) << c.file << ": " << err;
      good += !out.empty();
      if (std::string(c.dialect) == "openai-preference" || std::string(c.dialect) == "trl-preference") {
        // preference -> trl -> preference is an identity on the canonical form.
        std::string trl = Conv("trl-preference", false, out, &err);
        EXPECT_EQ(Conv("trl-preference", true, trl), out) << c.file;
      }
    }
    EXPECT_EQ(good, static_cast<int>(r.rows.size())) << c.file;
  }
}

}  // namespace
}  // namespace ftprep::convert
