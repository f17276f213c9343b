// Tests of core/rules (profiles and the rule engine) with the built-in rule plugins.
#include "rules/rules.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "../../validators/dataset/compact.h"
#include "../../validators/dataset/stripe_hash.h"
#include "../../validators/generic/stop_masks.h"
#include "ftprep/json_flags.h"
#include "ftprep/record.h"
#include "plugin_host.h"
#include "report.h"

namespace ftprep {
namespace {

Profile Make(const std::string& json) {
  auto p = ParseProfile(json, "test");
  EXPECT_TRUE(p.ok()) << p.status().message();
  return p.ok() ? *p : Profile{};
}

std::vector<Finding> CheckOne(RuleEngine& e, const std::string& json, uint64_t line = 1) {
  std::vector<Finding> f;
  Status s = e.Check(json, line, &f);
  EXPECT_TRUE(s.ok()) << s.message();
  return f;
}

std::unique_ptr<RuleEngine> Engine(const Profile& p) {
  auto e = RuleEngine::Create(p);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(*e) : nullptr;
}

bool Has(const std::vector<Finding>& f, const std::string& rule, const std::string& path = "*") {
  return std::any_of(f.begin(), f.end(), [&](const Finding& x) { return x.rule == rule && (path == "*" || x.path == path); });
}

TEST(ValidateRules, EveryBuiltinProfileLoadsStatesItsSourceAndCreatesAnEngine) {
  auto names = BuiltinProfileNames();
  for (const char* want : {"openai-chat", "openai-dpo", "openai-rft", "openai-completions", "together", "mistral",
                           "vertex-gemini", "bedrock-nova", "bedrock-claude", "fireworks", "cohere"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
  }
  std::regex date(R"(\d{4}-\d{2}-\d{2})");
  for (const auto& n : names) {
    auto p = LoadProfile(n);
    ASSERT_TRUE(p.ok()) << n << ": " << p.status().message();
    EXPECT_EQ(p->name, n);
    EXPECT_FALSE(p->sources.empty()) << n;
    for (const auto& s : p->sources) EXPECT_EQ(s.rfind("https://", 0), 0u) << n << ": " << s;
    EXPECT_TRUE(std::regex_match(p->checked, date)) << n;
    EXPECT_FALSE(p->shapes.empty()) << n;
    auto e = RuleEngine::Create(*p);
    EXPECT_TRUE(e.ok()) << n << ": " << e.status().message();
  }
}

TEST(ValidateRules, UnknownProfileSuggestsTheClosestName) {
  auto p = LoadProfile("opneai-chat");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kNotFound);
  EXPECT_NE(p.status().message().find("did you mean openai-chat?"), std::string::npos) << p.status().message();
}

TEST(ValidateRules, MalformedProfilesAreUsageErrors) {
  EXPECT_EQ(ParseProfile("[]", "x").status().code(), Code::kUsage);
  EXPECT_EQ(ParseProfile(R"({"rule_sets": []})", "x").status().code(), Code::kUsage);  // no name
  EXPECT_EQ(ParseProfile(R"({"name": "x", "rule_sets": [{"config": {}}]})", "x").status().code(), Code::kUsage);
  EXPECT_EQ(ParseProfile(R"({"name": "x", "rule_sets": [], "severity": {"a": "fatal"}})", "x").status().code(),
            Code::kUsage);
  auto e = RuleEngine::Create(Make(R"({"name": "x", "rule_sets": [{"plugin": "openai_chatt"}]})"));
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("did you mean openai_chat?"), std::string::npos) << e.status().message();
}

TEST(ValidateRules, ChatFindingsCarryRuleSeverityPathAndLine) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "openai_chat"}]})"));
  ASSERT_TRUE(e);
  auto f = CheckOne(*e,
                    R"({"messages":[{"role":"user","content":"hi"},)"
                    R"({"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}},)"
                    R"({"id":"call_2","type":"function","function":{"name":"f","arguments":"{}"}}]},)"
                    R"({"role":"tool","tool_call_id":"call_1","content":"ok"},{"role":"assistant","content":"done"}]})",
                    17);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "chat.tool_call.unanswered");
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].path, "messages[1].tool_calls[1]");
  EXPECT_EQ(f[0].message, "tool call \"call_2\" has no tool message");
  EXPECT_EQ(f[0].line, 17u);
}

TEST(ValidateRules, CookbookCrashCasesAreFindingsNotCrashes) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "openai_chat"}]})"));
  ASSERT_TRUE(e);
  auto f = CheckOne(*e, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0.7}]})");
  EXPECT_TRUE(Has(f, "chat.weight.value", "messages[1].weight"));
  f = CheckOne(*e, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}]})");
  EXPECT_TRUE(f.empty()) << f[0].rule;  // a final tool call needs no answer, and no content
}

TEST(ValidateRules, SeverityOverridesAndDisabledRulesApply) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "openai_chat"}],
                          "severity": {"chat.record.unknown_key": "error"}, "disable": ["chat.last_role"]})"));
  ASSERT_TRUE(e);
  auto f = CheckOne(*e, R"({"id": 3, "messages":[{"role":"assistant","content":"a"},{"role":"user","content":"q"}]})");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "chat.record.unknown_key");
  EXPECT_EQ(f[0].severity, Severity::kError);
}

TEST(ValidateRules, ShapedRuleSetsRunOnlyOnTheirShapeAndOtherShapesAreReported) {
  auto p = LoadProfile("together");
  ASSERT_TRUE(p.ok());
  auto e = Engine(*p);
  ASSERT_TRUE(e);
  EXPECT_TRUE(CheckOne(*e, R"({"prompt":"a ->","completion":" b"})").empty());
  auto f = CheckOne(*e, R"({"instruction":"a","output":"b"})");
  EXPECT_TRUE(Has(f, "profile.shape"));
  f = CheckOne(*e, R"({"text": ""})");
  EXPECT_TRUE(Has(f, "text.field", "text"));
}

TEST(ValidateRules, ProfileForShapeSaysWhy) {
  std::string why;
  EXPECT_EQ(ProfileForShape(R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a"}]})", &why), "openai-chat");
  EXPECT_EQ(ProfileForShape(R"({"messages":[{"role":"user","content":"q"}],"reference_answer":"a"})", &why), "openai-rft");
  EXPECT_NE(why.find("without assistant"), std::string::npos);
  EXPECT_EQ(ProfileForShape(R"({"input":{"messages":[]},"preferred_output":[],"non_preferred_output":[]})", &why), "openai-dpo");
  EXPECT_EQ(ProfileForShape(R"({"prompt":"a","completion":"b"})", &why), "openai-completions");
  EXPECT_EQ(ProfileForShape(R"({"contents":[]})", &why), "vertex-gemini");
  EXPECT_EQ(ProfileForShape(R"({"schemaVersion":"bedrock-conversation-2024","messages":[]})", &why), "bedrock-nova");
  EXPECT_EQ(ProfileForShape(R"({"system":"s","messages":[]})", &why), "bedrock-claude");
  EXPECT_EQ(ProfileForShape(R"({"messages":[{"role":"User","content":"q"}]})", &why), "cohere");
  EXPECT_EQ(ProfileForShape(R"({"conversations":[]})", &why), "");
  EXPECT_EQ(why, "record shape sharegpt");
}

TEST(ValidateRules, FixRenamesCaseVariantFields) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "completions"}]})"));
  ASSERT_TRUE(e);
  std::string json = R"({"Prompt":"a ->","COMPLETION":" b"})";
  auto f = CheckOne(*e, json);
  EXPECT_TRUE(Has(f, "completions.field.missing"));
  auto fixed = e->Fix(&json, "completions.field.missing");
  ASSERT_TRUE(fixed.ok());
  EXPECT_TRUE(*fixed);
  EXPECT_EQ(json, R"({"prompt":"a ->","completion":" b"})");
  auto none = e->Fix(&json, "completions.field.missing");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
}

// Duplicates are found after whitespace normalisation, which copies plain blocks of sixteen bytes whole and
// goes byte by byte elsewhere: a run of whitespace anywhere (inside a block, across two, at the ends) makes
// the same record (where it does not split a word), and any other change does not.
TEST(ValidateRules, DatasetDuplicatesWhateverWhereTheWhitespaceIs) {
  const std::string words = "the quick brown fox jumps over the lazy dog and then some more words here";
  for (size_t at = 0; at <= words.size(); ++at) {
    if (at > 0 && at < words.size() && words[at] != ' ') continue;  // at the ends or beside a space
    for (const char* run : {"  ", "\t", "\n", " \r\n ", "                  "}) {
      auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "dataset"}]})"));
      ASSERT_TRUE(e);
      std::string spaced = words.substr(0, at) + run + words.substr(at);
      std::string json;
      AppendJsonString(spaced, &json);
      EXPECT_TRUE(CheckOne(*e, R"({"prompt":")" + words + R"(","completion":"x"})", 1).empty());
      auto f = CheckOne(*e, R"({"prompt":)" + json + R"(,"completion":"x"})", 2);
      ASSERT_EQ(f.size(), 1u) << at << " " << json;
      EXPECT_EQ(f[0].rule, "dataset.duplicate");
      std::string changed = words;
      changed[at < words.size() ? at : 0] = 'Z';
      EXPECT_TRUE(CheckOne(*e, R"({"prompt":")" + changed + R"(","completion":"x"})", 3).empty()) << at;
    }
  }
}

TEST(ValidateRules, DatasetRulesKeepHashesAndSpeakAtTheEnd) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "dataset", "config": {"min_examples": 5}}]})"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(CheckOne(*e, R"({"prompt":"a b","completion":"x"})", 1).empty());
  auto f = CheckOne(*e, R"({"prompt":"  a   b ","completion":"x"})", 2);  // whitespace-normalised duplicate
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "dataset.duplicate");
  EXPECT_EQ(f[0].message, "duplicate of line 1");
  f = CheckOne(*e, R"({"prompt":"a b","completion":"y"})", 3);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "dataset.prompt.identical");
  std::vector<Finding> end;
  ASSERT_TRUE(e->Finish(&end).ok());
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].rule, "dataset.min_examples");
  EXPECT_EQ(end[0].line, 0u);
}

TEST(ValidateRules, ValidFileOverlapIsAnError) {
  std::string path = ::testing::TempDir() + "/ftprep_valid_overlap.jsonl";
  {
    std::ofstream out(path);
    out << R"({"prompt":"q1","completion":"a1"})" << "\n" << R"({"prompt":"q2","completion":"a2"})" << "\n";
  }
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "dataset", "config": {"valid_file": ")" + path + R"("}}]})"));
  ASSERT_TRUE(e);
  auto f = CheckOne(*e, R"({"prompt":"q2","completion":"a2"})", 9);
  ASSERT_TRUE(Has(f, "dataset.valid_overlap"));
  EXPECT_NE(f[0].message.find("at line 2"), std::string::npos) << f[0].message;
  EXPECT_TRUE(CheckOne(*e, R"({"prompt":"q3","completion":"a3"})", 10).empty());
}

// The generic scan skips plain text sixteen bytes at a time and looks at the rest byte by byte: whatever
// the position of the text that matters (in a vector block, across two, or in the tail), the findings are
// the same, and a string of every byte value that is plain finds nothing.
TEST(ValidateRules, GenericFindsTheSameWhereverTheTextSits) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "generic"}]})"));
  ASSERT_TRUE(e);
  // JSON text (escapes as JSON reads them).
  const std::vector<std::string> snippets = {
      R"(\u0001)", R"(\u001f)", R"(\u007f)", R"(\u0085)", R"(\u200b)", R"(\ufffd)", "<|endoftext|>", "[INST]",
      "bob@example.org", "4111-1111-1111-1111", "078-05-1120", "AKIAABCDEFGHIJKLMNOP",
      "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "sk-abcdefghijklmnopqrstuvwxyz012345",
      R"(-----BEGIN RSA PRIVATE KEY-----\nMII\n-----END RSA PRIVATE KEY-----)", R"(caf\u00e9 \u4e2d\u6587)",
      R"(tab\tand\nnewline\r)"};
  auto rules = [&](const std::string& text) {
    std::set<std::string> r;
    for (const auto& f : CheckOne(*e, "{\"a\":\"" + text + "\"}")) r.insert(f.rule);
    return r;
  };
  for (size_t i = 0; i < snippets.size(); ++i) {
    const std::string& s = snippets[i];
    const auto expected = rules(s);
    EXPECT_EQ(expected.empty(), i + 2 >= snippets.size()) << s;  // the last two are plain text
    for (size_t pad = 1; pad < 40; ++pad) {
      EXPECT_EQ(rules(std::string(pad, ' ') + s + std::string(40 - pad, ' ')), expected) << s << " after " << pad;
    }
  }
  std::string plain;
  for (int c = 0x20; c < 0x7f; ++c) {
    if (c != '"' && c != '\\' && c != '<' && c != '[' && c != '@' && c != 'A' && c != '-' && c != '_' &&
        !(c >= '0' && c <= '9')) {
      plain += static_cast<char>(c);
    }
  }
  EXPECT_TRUE(rules(plain + plain + plain).empty());
}

// The generic scan's masks of the bytes to look at: the vector versions (16 and 32 bytes a step) mark exactly
// the bytes the byte-class table marks, for every byte value, at every length and offset (tails shorter than
// a block, texts shorter than a block, whole words).
TEST(ValidateRules, GenericStopMasksMatchTheByteTable) {
  namespace g = ftprep::rules::generic;
  std::vector<unsigned char> bytes(256 * 3);
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i * 7 % 256);
  std::mt19937 rng(17);
  for (size_t i = 0; i < 2000; ++i) bytes.push_back(static_cast<unsigned char>(rng() % 256));
  const std::string mixed = "ab cd\n-_A0@[<";  // plain and stop bytes
  for (int k = 0; k < 1000; ++k) bytes.push_back(static_cast<unsigned char>(mixed[rng() % mixed.size()]));
  auto same = [&](size_t off, size_t n) {
    std::vector<uint64_t> want((n + 63) / 64 + 1, 0xAB), got = want;
    g::StopMasksScalar(bytes.data() + off, n, want.data());
#if defined(__x86_64__)
    g::StopMasksSse2(bytes.data() + off, n, got.data());
    if (got != want) return false;
    if (__builtin_cpu_supports("avx2")) {
      g::StopMasksAvx2(bytes.data() + off, n, got.data());
      if (got != want) return false;
    }
#endif
    got.assign(got.size(), 0xAB);
    g::StopMasks(bytes.data() + off, n, got.data());
    return got == want;
  };
  for (size_t n = 0; n <= 200; ++n) {
    for (size_t off : {size_t{0}, size_t{1}, size_t{31}, size_t{300}, size_t{2500}}) {
      ASSERT_TRUE(same(off, n)) << "length " << n << " at " << off;
    }
  }
  EXPECT_TRUE(same(0, bytes.size()));
  for (int c = 0; c < 256; ++c) {  // one byte alone: marked exactly when its class is not plain
    unsigned char b = static_cast<unsigned char>(c);
    uint64_t m = 0;
    g::StopMasks(&b, 1, &m);
    EXPECT_EQ(m, g::kByteClass[b] != g::kPlain ? 1u : 0u) << c;
  }
}

// Whitespace compaction for the duplicate rules: the vector versions give the bytes of the byte-by-byte one
// (runs of space/tab/CR/LF as one space, leading whitespace dropped) at every length and offset, with runs
// inside blocks, across blocks and at both ends.
TEST(ValidateRules, DuplicateCompactionMatchesTheByteLoop) {
  namespace d = ftprep::rules::dataset;
  std::mt19937 rng(5);
  std::string text;
  const std::string chars = "ab \t\n\r  xyz\n\n   q";
  for (int k = 0; k < 6000; ++k) text += chars[rng() % chars.size()];
  text += std::string(100, ' ') + "end" + std::string(70, '\n');
  auto same = [&](size_t off, size_t n) {
    std::string want(n + 32, '\0'), got(n + 32, '\0');
    want.resize(d::CompactWhitespaceScalar(text.data() + off, n, want.data()));
#if defined(__x86_64__)
    got.resize(d::CompactWhitespaceSse2(text.data() + off, n, got.data()));
    if (got != want) return false;
    if (d::HasAvx2()) {
      got.assign(n + 32, '\0');
      got.resize(d::CompactWhitespaceAvx2(text.data() + off, n, got.data()));
      if (got != want) return false;
    }
#endif
    got.assign(n + 32, '\0');
    got.resize(d::CompactWhitespace(text.data() + off, n, got.data()));
    return got == want;
  };
  for (size_t n = 0; n <= 130; ++n) {
    for (size_t off : {size_t{0}, size_t{1}, size_t{7}, size_t{2000}, text.size() - 130}) {
      ASSERT_TRUE(same(off, n)) << "length " << n << " at " << off;
    }
  }
  EXPECT_TRUE(same(0, text.size()));
  std::string one(" a  b\t\tc \n d ");
  std::string out(one.size() + 32, '\0');
  out.resize(d::CompactWhitespace(one.data(), one.size(), out.data()));
  EXPECT_EQ(out, "a b c d ");  // the trailing space is the caller's to trim
}

// The duplicate rules' hash: the AVX2 loop gives the portable loop's values at every length around the stripe
// and group sizes, and what it is built to tell apart (stripes in another order, zero padding, the seed, one
// bit anywhere) it does.
TEST(ValidateRules, DuplicateHashLoopsAgreeAndSeparate) {
  namespace d = ftprep::rules::dataset;
  std::mt19937_64 rng(9);
  std::string bytes(3000, '\0');
  for (auto& c : bytes) c = static_cast<char>(rng());
  for (size_t n = 0; n <= 1100; n += (n < 600 ? 1 : 7)) {
    for (size_t off : {size_t{0}, size_t{3}, size_t{1500}}) {
      uint64_t want = d::StripeHashScalar(bytes.data() + off, n, 42);
#if defined(__x86_64__)
      if (__builtin_cpu_supports("avx2")) {
        ASSERT_EQ(d::StripeHashAvx2(bytes.data() + off, n, 42), want) << n;
      }
#endif
      ASSERT_NE(d::StripeHashScalar(bytes.data() + off, n, 43), want) << n;
    }
  }
  std::string a(64 * 40, 'x'), b = a;
  for (size_t i = 0; i < a.size(); i += 32) a[i] = b[i] = static_cast<char>('a' + i / 32 % 26);
  std::swap_ranges(b.begin() + 32, b.begin() + 64, b.begin() + 96);  // stripes 1 and 3 trade places
  EXPECT_NE(d::StripeHashScalar(a.data(), a.size(), 0), d::StripeHashScalar(b.data(), b.size(), 0));
  b = a;
  std::swap_ranges(b.begin(), b.begin() + 32, b.begin() + 512);  // stripe 0 and stripe 0 of the next group
  EXPECT_NE(d::StripeHashScalar(a.data(), a.size(), 0), d::StripeHashScalar(b.data(), b.size(), 0));
  EXPECT_NE(d::StripeHashScalar("ab", 2, 0), d::StripeHashScalar("ab\0", 3, 0));
  std::set<uint64_t> seen;
  for (size_t bit = 0; bit < 8 * 100; ++bit) {
    std::string c = a.substr(0, 100);
    c[bit / 8] = static_cast<char>(c[bit / 8] ^ (1 << (bit % 8)));
    seen.insert(d::StripeHashScalar(c.data(), c.size(), 0));
  }
  EXPECT_EQ(seen.size(), 800u);
}

TEST(ValidateRules, GenericFindsSecretsPiiInvisiblesAndSpecialTokens) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "generic"}]})"));
  ASSERT_TRUE(e);
  auto f = CheckOne(*e, R"({"a":"key AKIAABCDEFGHIJKLMNOP here","b":["x\u200by"],"c":{"d":"<|im_start|>user"},)"
                        R"("e":"write to bob@example.org","f":"4111-1111-1111-1111","content":"   "})");
  EXPECT_TRUE(Has(f, "generic.secret.api_key", "a"));
  EXPECT_TRUE(Has(f, "generic.invisible_char", "b[0]"));
  EXPECT_TRUE(Has(f, "generic.special_token", "c.d"));
  EXPECT_TRUE(Has(f, "generic.pii.email", "e"));
  EXPECT_TRUE(Has(f, "generic.pii.card_number", "f"));
  EXPECT_TRUE(Has(f, "generic.content.whitespace", "content"));
  // Look-alikes stay quiet: a word ending in "sk-", an @mention, a date, a non-Luhn number.
  f = CheckOne(*e, R"({"a":"task-list and disk-sk-free, @alice, 2024-01-15, 1234 5678 9012 3456"})");
  EXPECT_TRUE(f.empty()) << f[0].rule << " " << f[0].message;
}

TEST(ValidateRules, DeclarativeRulesCoverPathsTypesRegexLengthsAndSchema) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "declarative", "config": {"rules": [
      {"id": "r.id", "path": "id", "required": true, "type": "string", "regex": "^ex-[0-9]+$"},
      {"id": "r.len", "path": "messages[*].content", "max_length": 3},
      {"id": "r.schema", "path": "meta", "schema": {"type": "object", "properties": {"n": {"type": "integer", "minimum": 0}}}}]}}]})"));
  ASSERT_TRUE(e);
  auto f = CheckOne(*e, R"({"id":"ex-7","messages":[{"content":"abc"}],"meta":{"n":1}})");
  EXPECT_TRUE(f.empty());
  f = CheckOne(*e, R"({"id":"ex-x","messages":[{"content":"abc"},{"content":"abcd"}],"meta":{"n":-1}})");
  EXPECT_TRUE(Has(f, "r.id", "id"));
  EXPECT_TRUE(Has(f, "r.len", "messages[1].content"));
  EXPECT_TRUE(Has(f, "r.schema", "meta.n"));
  f = CheckOne(*e, R"({"messages":[]})");
  EXPECT_TRUE(Has(f, "r.id", "id"));
  auto bad = RuleEngine::Create(Make(R"({"name": "t", "rule_sets": [{"plugin": "declarative", "config": {"rules": [{"path": "x"}]}}]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("has no \"id\""), std::string::npos) << bad.status().message();
}

TEST(ValidateRules, TokenRulesCountWithTheTokenizer) {
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "tokens", "config": {"encoding": "cl100k_base", "max_example_tokens": 12}}]})"));
  ASSERT_TRUE(e);
  // 3 per example + 3 per message + "hello world" (2) + "hi" (1) = 12: at the limit, not over.
  EXPECT_TRUE(CheckOne(*e, R"({"messages":[{"role":"user","content":"hello world"},{"role":"assistant","content":"hi"}]})").empty());
  auto f = CheckOne(*e, R"({"messages":[{"role":"user","content":"hello world again"},{"role":"assistant","content":"hi"}]})");
  ASSERT_TRUE(Has(f, "tokens.example_too_long"));
  EXPECT_NE(f[0].message.find("13 tokens"), std::string::npos) << f[0].message;
  f = CheckOne(*e, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":""}]})");
  EXPECT_TRUE(Has(f, "tokens.no_trained"));
}

TEST(ValidateRules, TokenTotalsAndTheByteBoundAgreeWithExactCounts) {
  // 3 + 3 + "hello world" (2) + 3 + "hi" (1) = 12 tokens, 22 bytes: the byte bound is over 12, so it is counted.
  auto e = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "tokens", "config": {"encoding": "cl100k_base",
      "max_example_tokens": 100, "max_total_tokens": 23}}]})"));
  ASSERT_TRUE(e);
  const std::string rec = R"({"messages":[{"role":"user","content":"hello world"},{"role":"assistant","content":"hi"}]})";
  EXPECT_TRUE(CheckOne(*e, rec, 1).empty());
  EXPECT_TRUE(CheckOne(*e, rec, 2).empty());
  std::vector<Finding> end;
  ASSERT_TRUE(e->Finish(&end).ok());
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0].message, "the file has 24 tokens; the limit is 23");
  // Far within the context: no exact count is needed, and nothing is reported.
  auto small = Engine(Make(R"({"name": "t", "rule_sets": [{"plugin": "tokens", "config": {"encoding": "cl100k_base", "max_example_tokens": 1000}}]})"));
  ASSERT_TRUE(small);
  EXPECT_TRUE(CheckOne(*small, rec).empty());
  EXPECT_TRUE(Has(CheckOne(*small, R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":""}]})"),
                  "tokens.no_trained"));
}

// The --jobs contract: CheckRecord on worker engines (any order) + Consume in input order on one engine gives
// exactly the findings of Check on a single engine.
TEST(ValidateRules, SplitWorkerAndOrderedPhasesGiveTheSerialFindings) {
  const char* profile = R"({"name": "t", "shapes": ["chat"], "rule_sets": [
      {"plugin": "openai_chat"}, {"plugin": "generic"},
      {"plugin": "tokens", "config": {"encoding": "cl100k_base", "max_example_tokens": 14, "max_total_tokens": 30}},
      {"plugin": "completions", "shapes": ["prompt_completion"]},
      {"plugin": "dataset", "config": {"min_examples": 10}}]})";
  const std::vector<std::string> recs = {
      R"({"messages":[{"role":"user","content":"hello world"},{"role":"assistant","content":"hi"}]})",
      R"({"messages":[{"role":"user","content":"mail me at a@example.com"},{"role":"assistant","content":"no"}]})",
      R"({"messages":[{"role":"user","content":"hello   world"},{"role":"assistant","content":"hi"}]})",
      R"({"messages":[{"role":"user","content":"hello world"},{"role":"assistant","content":"other"}]})",
      R"({"prompt":"p","completion":"c"})",
      R"({"messages":[{"role":"bogus","content":"x"}],"extra":1})"};
  auto serial = Engine(Make(profile));
  ASSERT_TRUE(serial);
  std::vector<Finding> want;
  for (size_t i = 0; i < recs.size(); ++i) {
    auto f = CheckOne(*serial, recs[i], i + 1);
    want.insert(want.end(), f.begin(), f.end());
  }
  ASSERT_TRUE(serial->Finish(&want).ok());
  ASSERT_TRUE(Has(want, "dataset.duplicate") && Has(want, "dataset.prompt.identical") && Has(want, "tokens.total_limit"));

  auto ordered = Engine(Make(profile));
  auto worker = Engine(Make(profile));
  ASSERT_TRUE(ordered && worker);
  std::vector<rapidjson::Document> docs(recs.size());
  std::vector<RecordChecks> checks(recs.size());
  for (size_t k = recs.size(); k-- > 0;) {  // workers may finish in any order
    docs[k].Parse<kRecordParseFlags>(recs[k].data(), recs[k].size());
    ASSERT_TRUE(worker->CheckRecord(docs[k], recs[k], k + 1, &checks[k]).ok());
  }
  std::vector<Finding> got;
  for (size_t k = 0; k < recs.size(); ++k) ASSERT_TRUE(ordered->Consume(&checks[k], k + 1, &got).ok());
  ASSERT_TRUE(ordered->Finish(&got).ok());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].rule, want[i].rule) << i;
    EXPECT_EQ(got[i].line, want[i].line) << i;
    EXPECT_EQ(got[i].path, want[i].path) << i;
    EXPECT_EQ(got[i].message, want[i].message) << i;
  }
}

TEST(ValidateRules, HostileRecordsDoNotCrash) {
  auto p = LoadProfile("openai-chat");
  ASSERT_TRUE(p.ok());
  auto e = Engine(*p);
  ASSERT_TRUE(e);
  std::string deep(5000, '[');
  deep += std::string(5000, ']');
  for (const std::string& json : {std::string(R"({"messages":[[[[]]]],"tools":[[{}]]})"), std::string("{\"messages\":") + deep + "}",
                                  std::string(R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":5}}]}]})"),
                                  std::string(R"({"messages":[{"role":"assistant","tool_calls":[{"id":5,"function":[]}]}]})")}) {
    std::vector<Finding> f;
    Status s = e->Check(json, 1, &f);
    EXPECT_TRUE(s.ok() || s.code() == Code::kData) << s.message();
  }
}

}  // namespace
}  // namespace ftprep

namespace ftprep {
namespace {

TEST(ValidateRules, ShardReportsMergeIntoTheWholeRunsReport) {
  const char* a = R"({"tool":"validate","version":1,"profile":"openai-chat",
    "counts":{"records":10,"valid":10,"invalid":0,"errors":0,"warnings":1,"infos":0},
    "histograms":{"errors_by_rule":{},"warnings_by_rule":{"generic.pii.email":1},"infos_by_rule":{}},
    "findings":[{"file":"a.jsonl","line":3,"column":0,"rule":"generic.pii.email","severity":"warning","path":"messages[1].content","message":"m"}],
    "derived":{"passed":true}})";
  const char* b = R"({"tool":"validate","version":1,"profile":"openai-chat",
    "counts":{"records":10,"valid":9,"invalid":1,"errors":1,"warnings":0,"infos":0},
    "histograms":{"errors_by_rule":{"chat.tool_call.unanswered":1},"warnings_by_rule":{},"infos_by_rule":{}},
    "findings":[{"file":"b.jsonl","line":7,"column":0,"rule":"chat.tool_call.unanswered","severity":"error","path":"messages[3].tool_calls[1]","message":"m"}],
    "derived":{"passed":true}})";
  rapidjson::Document da, db, out;
  da.Parse(a);
  db.Parse(b);
  ASSERT_FALSE(da.HasParseError());
  ASSERT_FALSE(db.HasParseError());
  ASSERT_NE(FindReportDeriver("validate"), nullptr);
  Status s = MergeReports({&da, &db}, &out);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(out["counts"]["records"].GetInt(), 20);
  EXPECT_EQ(out["counts"]["errors"].GetInt(), 1);
  EXPECT_EQ(out["histograms"]["errors_by_rule"]["chat.tool_call.unanswered"].GetInt(), 1);
  EXPECT_EQ(out["findings"].Size(), 2u);
  EXPECT_FALSE(out["derived"]["passed"].GetBool());
}

}  // namespace
}  // namespace ftprep

namespace ftprep {
namespace {

TEST(ValidateRules, DeclaredFixesRewriteTheRecord) {
  auto p = ParseProfile(R"({"name": "t", "rule_sets": [{"plugin": "generic"}, {"plugin": "completions"}]})", "t");
  ASSERT_TRUE(p.ok());
  auto e = RuleEngine::Create(*p);
  ASSERT_TRUE(e.ok()) << e.status().message();
  std::string json = R"({"prompt":"a\u200bb\u0007c","completion":" d\te","id":"007"})";
  auto r = (*e)->Fix(&json, "generic.invisible_char");
  ASSERT_TRUE(r.ok() && *r);
  r = (*e)->Fix(&json, "generic.control_char");
  ASSERT_TRUE(r.ok() && *r);
  r = (*e)->Fix(&json, "completions.extra_key");
  ASSERT_TRUE(r.ok() && *r);
  EXPECT_EQ(json, R"({"prompt":"abc","completion":" d\te"})");
  // Every rule that declares a fix has one; rules without a fix say so.
  for (const auto* info : (*e)->Rules()) {
    std::string probe = json;
    auto f = (*e)->Fix(&probe, info->id);
    EXPECT_TRUE(f.ok()) << info->id;
  }
}

}  // namespace
}  // namespace ftprep

namespace ftprep {
namespace {

// prepare's checks as rules of the completions rule set: findings in check order, fix offers after Finish,
// and each fix applied record by record through RuleEngine::Fix.
TEST(ValidateRules, CompletionsLegacyModeOffersPreparesFixes) {
  auto p = ParseProfile(R"({"name": "t", "rule_sets": [{"plugin": "completions", "config": {"legacy": true}}]})", "t");
  ASSERT_TRUE(p.ok());
  auto e = Engine(*p);
  ASSERT_NE(e, nullptr);
  std::vector<std::string> records = {
      R"({"Prompt":"Q: one","completion":"yes","id":1})", R"({"Prompt":"Q: one","completion":"yes","id":1})",
      R"({"Prompt":"Q: two","completion":""})", R"({"Prompt":"Q: three","completion":"no"})",
      R"({"Prompt":"Q: four","completion":"maybe"})"};
  std::vector<Finding> f;
  for (size_t i = 0; i < records.size(); ++i) ASSERT_TRUE(e->Check(records[i], i + 1, &f).ok());
  ASSERT_TRUE(e->Finish(&f).ok());
  EXPECT_TRUE(Has(f, "completions.prepare.task"));
  EXPECT_TRUE(Has(f, "completions.prepare.necessary_column"));
  EXPECT_TRUE(Has(f, "completions.prepare.duplicated_rows"));
  auto plan = e->FixPlan({});
  std::vector<std::string> rules;
  for (const auto& o : plan) rules.push_back(o.rule + (o.necessary ? "!" : ""));
  EXPECT_EQ(rules, (std::vector<std::string>{
                       "completions.prepare.record!", "completions.prepare.necessary_column!",
                       "completions.prepare.additional_column!", "completions.prepare.non_empty_completion!",
                       "completions.prepare.duplicated_rows", "completions.prepare.common_suffix",
                       "completions.prepare.completion_suffix", "completions.prepare.completion_space_start"}));
  for (const auto& o : plan) {
    for (auto& r : records) {
      if (r == "null") continue;
      auto changed = e->Fix(&r, o.rule);
      ASSERT_TRUE(changed.ok()) << changed.status().message();
    }
  }
  // Prompts without a newline get " ->"; completions end with "\n" and start with a space.
  EXPECT_EQ(records, (std::vector<std::string>{R"({"prompt":"Q: one ->","completion":" yes\n"})", "null", "null",
                                               R"({"prompt":"Q: three ->","completion":" no\n"})",
                                               R"({"prompt":"Q: four ->","completion":" maybe\n"})"}));
}

// A failed check (here: no completion key at all) leaves nothing to fix: such data needs a person.
TEST(ValidateRules, CompletionsLegacyModeOffersNoFixAfterAnError) {
  auto p = ParseProfile(R"({"name": "t", "rule_sets": [{"plugin": "completions", "config": {"legacy": true}}]})", "t");
  ASSERT_TRUE(p.ok());
  auto e = Engine(*p);
  ASSERT_NE(e, nullptr);
  std::vector<Finding> f;
  ASSERT_TRUE(e->Check(R"({"prompt":"a"})", 1, &f).ok());
  ASSERT_TRUE(e->Check(R"({"prompt":"b"})", 2, &f).ok());
  ASSERT_TRUE(e->Finish(&f).ok());
  EXPECT_TRUE(std::any_of(f.begin(), f.end(), [](const Finding& x) {
    return x.rule == "completions.prepare.necessary_column" && x.severity == Severity::kError;
  }));
  EXPECT_TRUE(e->FixPlan({}).empty());
  std::string r = R"({"prompt":"a"})";
  auto changed = e->Fix(&r, "completions.prepare.record");
  ASSERT_TRUE(changed.ok());
  EXPECT_FALSE(*changed);
}

// Without its own offers, a rule set's plan is the fixes of the rules that reported, in table order.
TEST(ValidateRules, FixPlanOffersTheFixesOfRulesThatReported) {
  auto p = ParseProfile(R"({"name": "t", "rule_sets": [{"plugin": "completions"}]})", "t");
  ASSERT_TRUE(p.ok());
  auto e = Engine(*p);
  ASSERT_NE(e, nullptr);
  auto plan = e->FixPlan({"completions.extra_key", "completions.completion.empty"});
  ASSERT_EQ(plan.size(), 1u);  // completion.empty has no fix
  EXPECT_EQ(plan[0].rule, "completions.extra_key");
  EXPECT_TRUE(plan[0].necessary);
}

}  // namespace
}  // namespace ftprep
