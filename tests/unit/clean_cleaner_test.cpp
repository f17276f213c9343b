// Unit tests of core/clean/cleaner.h: steps applied to records of several schemas, pass-through of untouched
// records, drops, dedup keeping the first occurrence and stability across runs.
#include "clean/cleaner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

namespace ftprep::clean {
namespace {

struct Out {
  std::vector<std::string> kept;
  std::vector<std::string> dropped;  // "line:rule"
};

Out Clean(const CleanOptions& o, const std::vector<std::string>& lines) {
  Cleaner c(o);
  EXPECT_TRUE(c.Init().ok());
  Out out;
  Record rec;
  for (size_t i = 0; i < lines.size(); ++i) {
    rec.Assign(lines[i]);
    rec.loc.file = "t.jsonl";
    rec.loc.line = i + 1;
    EXPECT_TRUE(rec.parse_ok()) << lines[i];
    Decision d = c.Process(rec);
    if (d.drop) {
      out.dropped.push_back(std::to_string(i + 1) + ":" + d.rule);
    } else {
      out.kept.push_back(std::string(rec.json()));
    }
  }
  return out;
}

TEST(CleanCleaner, UntouchedRecordsKeepTheirBytes) {
  CleanOptions o;
  // Odd spacing and escapes in the JSON itself must survive when no text changes.
  std::string line = R"({ "messages" : [ {"role":"user","content":"caf\u00e9"}, {"role":"assistant","content":"ok"} ], "id": 7.50 })";
  Out r = Clean(o, {line});
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0], line);
}

TEST(CleanCleaner, DefaultStepsOnChat) {
  CleanOptions o;
  Out r = Clean(o, {R"({"messages":[{"role":"system","content":"\ufeffBe nice. "},{"role":"user","content":"Cafe\u0301\r\nok"},{"role":"assistant","content":"  Sure\u200b!"}],"x":1})"});
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0],
            "{\"messages\":[{\"role\":\"system\",\"content\":\"Be nice.\"},{\"role\":\"user\",\"content\":\"Caf\xC3\xA9\\nok\"},"
            "{\"role\":\"assistant\",\"content\":\"Sure!\"}],\"x\":1}");
}

TEST(CleanCleaner, PromptCompletionLegacyFixes) {
  CleanOptions o;
  o.lowercase = {"completion"};
  o.remove_prefix = {{"prompt", "Q: "}};
  o.add_suffix = {{"prompt", "\n\n###\n\n"}, {"completion", " END"}};
  o.add_prefix = {{"completion", " "}};
  Out r = Clean(o, {R"({"prompt":"Q: What?","completion":"An ANSWER"})",
                    R"({"prompt":"Q: Done?\n\n###\n\n","completion":" yes END"})"});
  ASSERT_EQ(r.kept.size(), 2u);
  EXPECT_EQ(r.kept[0], R"({"prompt":"What?\n\n###\n\n","completion":" an answer END"})");
  // Already fixed: prefix removed, suffixes/prefixes already present (whitespace trim runs first, so the
  // completion's leading space is trimmed and re-added).
  EXPECT_EQ(r.kept[1], R"({"prompt":"Done?\n\n###\n\n","completion":" yes END"})");
}

TEST(CleanCleaner, EmptyAndUntrainedAreDropped) {
  CleanOptions o;
  Out r = Clean(o, {R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"  "}]})",
                    R"({"messages":[{"role":"user","content":"hi"}]})",
                    R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"x","weight":0},{"role":"assistant","content":"y"}]})",
                    R"({"prompt":"p","completion":""})", R"({"unknown":"shape"})"});
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"1:clean.empty", "2:clean.empty", "4:clean.empty"}));
  EXPECT_EQ(r.kept.size(), 2u);
  o.drop_empty = false;
  EXPECT_TRUE(Clean(o, {R"({"prompt":"p","completion":""})"}).dropped.empty());
}

std::vector<std::string> DupLines() {
  return {R"({"messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":"World"}],"id":1})",
          R"({"messages":[{"role":"user","content":"hello "},{"role":"assistant","content":"WORLD"}],"id":2})",
          R"({"messages":[{"role":"user","content":"World"},{"role":"assistant","content":"Hello"}],"id":3})",
          R"({"messages":[{"role":"user","content":"Hello"},{"role":"assistant","content":"World"}],"id":4})",
          R"({"messages":[{"role":"assistant","content":"Hello"},{"role":"assistant","content":"World"}],"id":5})"};
}

TEST(CleanCleaner, ExactDedupKeepsFirstAndIsStable) {
  CleanOptions o;
  o.dedup = true;
  Out a = Clean(o, DupLines());
  Out b = Clean(o, DupLines());
  EXPECT_EQ(a.dropped, (std::vector<std::string>{"2:clean.dedup.exact", "4:clean.dedup.exact"}));
  ASSERT_EQ(a.kept.size(), 3u);
  EXPECT_NE(a.kept[0].find("\"id\":1"), std::string::npos);  // the first occurrence survives
  EXPECT_EQ(a.kept, b.kept);
  EXPECT_EQ(a.dropped, b.dropped);
}

TEST(CleanCleaner, DedupKeyChoosesFields) {
  CleanOptions o;
  o.dedup = true;
  o.dedup_key = {*ParsePath("messages[0].content")};
  Out r = Clean(o, DupLines());
  // Keyed on the first message only: 1, 2, 4 share "hello"; 5 starts with "Hello" too.
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"2:clean.dedup.exact", "4:clean.dedup.exact", "5:clean.dedup.exact"}));
}

TEST(CleanCleaner, NearDedupDropsLaterCopy) {
  CleanOptions o;
  o.near_dedup = true;
  std::string text = "the quick brown fox jumps over the lazy dog while the cat sleeps on the warm mat all day long";
  Out r = Clean(o, {"{\"text\":\"" + text + "\"}", "{\"text\":\"" + text + " !\"}", R"({"text":"something else entirely, with many different words in it"})"});
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"2:clean.dedup.near"}));
}

TEST(CleanCleaner, FieldModeCleansOnlyThosePaths) {
  CleanOptions o;
  o.fields = {*ParsePath("a.b"), *ParsePath("c[1]")};
  o.field_names = {"a.b", "c[1]"};
  o.whitespace_default = false;  // --whitespace trim given (by default --field paths keep their edges)
  Out r = Clean(o, {R"({"a":{"b":"  x  "},"c":[" keep ","  y "],"text":"  untouched  "})"});
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0], R"({"a":{"b":"x"},"c":[" keep ","y"],"text":"  untouched  "})");
}

TEST(CleanCleaner, LengthFiltersInChars) {
  CleanOptions o;
  o.max_chars = 10;
  o.min_chars = 3;
  Out r = Clean(o, {R"({"prompt":"abc","completion":"defgh"})", R"({"prompt":"abcdef","completion":"ghijkl"})",
                    R"({"prompt":"a","completion":"b"})"});
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"2:clean.length", "3:clean.length"}));
  o.truncate = true;
  r = Clean(o, {R"({"prompt":"abcdef","completion":"ghijkl"})"});
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0], R"({"prompt":"abcdef","completion":"ghij"})");
  o.length_per_field = true;
  o.max_chars = 4;
  r = Clean(o, {"{\"text\":\"ab\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9xyz\"}"});
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0], R"({"text":"ab"})");  // the ZWJ sequence is not split
}

TEST(CleanCleaner, SecretsAndPii) {
  CleanOptions o;
  o.secrets = Action::kRedact;
  o.pii = Action::kDrop;
  o.pii_kinds = kPiiEmail;
  Out r = Clean(o, {R"({"prompt":"key sk-abcdefghijklmnopqrstuvwxyz","completion":"ok"})",
                    R"({"prompt":"mail a@b.io","completion":"ok"})"});
  ASSERT_EQ(r.kept.size(), 1u);
  EXPECT_EQ(r.kept[0], R"({"prompt":"key [SECRET]","completion":"ok"})");
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"2:clean.pii"}));
}

TEST(CleanCleaner, RefusalsOnlyInTrainedText) {
  CleanOptions o;
  o.refusals = true;
  o.phrases = PhraseList::Default();
  Out r = Clean(o, {R"({"messages":[{"role":"user","content":"As an AI language model, what do you think?"},{"role":"assistant","content":"Fine."}]})",
                    R"({"messages":[{"role":"user","content":"Help"},{"role":"assistant","content":"I'm sorry, but I can't help with that."}]})"});
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"2:clean.refusal"}));
}

TEST(CleanCleaner, CountsAndExamples) {
  CleanOptions o;
  o.examples = 1;
  o.whitespace_default = false;  // --whitespace trim given: prompt/completion edges are trimmed too
  Cleaner c(o);
  Record rec;
  for (int i = 0; i < 3; ++i) {
    rec.Assign(R"({"prompt":" a ","completion":" b "})");
    rec.loc.line = i + 1;
    ASSERT_TRUE(rec.parse_ok());
    c.Process(rec);
  }
  const auto& ws = c.counts().at("clean.whitespace");
  EXPECT_EQ(ws.changed, 3u);
  EXPECT_EQ(ws.fields, 6u);
  ASSERT_EQ(c.findings().Size(), 1u);
  EXPECT_STREQ(c.findings()[0]["rule"].GetString(), "clean.whitespace");
}

TEST(CleanCleaner, DefaultWhitespaceKeepsPromptCompletionEdgesAndTrimsMessages) {
  Cleaner c(CleanOptions{});
  Record rec;
  rec.Assign(R"({"prompt":"Where is Paris?\n\n###\n\n","completion":" France\n"})");
  ASSERT_TRUE(rec.parse_ok());
  EXPECT_FALSE(c.Process(rec).changed);
  rec.Assign(R"({"messages":[{"role":"user","content":" Hi "},{"role":"assistant","content":"Hello\n"}]})");
  ASSERT_TRUE(rec.parse_ok());
  EXPECT_TRUE(c.Process(rec).changed);
  EXPECT_EQ(rec.json(), R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello"}]})");
}

TEST(CleanCleaner, ShowTextMakesInvisiblesVisible) {
  EXPECT_EQ(ShowText("a\xE2\x80\x8B" "b\n", 0), "a\\u{200B}b\\n");
  EXPECT_EQ(ShowText(std::string(100, 'x') + "Y", 100, 5), "…xxxxx…");
}

}  // namespace
}  // namespace ftprep::clean

namespace ftprep::clean {
namespace {

TEST(CleanCleaner, LengthFiltersInTokens) {
  CleanOptions o;
  o.encoding = "cl100k_base";
  o.max_tokens = 2;
  o.length_per_field = true;
  Out r = Clean(o, {R"({"text":"hello world"})", R"({"text":"hello world again"})"});
  EXPECT_EQ(r.dropped, (std::vector<std::string>{"2:clean.length"}));
  o.truncate = true;
  r = Clean(o, {R"({"text":"hello world again"})", "{\"text\":\"\xF0\x9F\x98\x80\xF0\x9F\x98\x80\xF0\x9F\x98\x80\"}"});
  ASSERT_EQ(r.kept.size(), 2u);
  EXPECT_EQ(r.kept[0], R"({"text":"hello world"})");
  // Never inside a UTF-8 sequence: whole emoji only.
  std::string t = r.kept[1].substr(9, r.kept[1].size() - 11);
  EXPECT_EQ(t.size() % 4, 0u) << t;
  EXPECT_LT(t.size(), 12u);
  // A model name selects its encoding.
  o.encoding = "gpt-4.1-mini";
  Cleaner c(o);
  EXPECT_TRUE(c.Init().ok());
  o.encoding = "no-such-model";
  Cleaner bad(o);
  EXPECT_FALSE(bad.Init().ok());
}

}  // namespace
}  // namespace ftprep::clean

namespace ftprep::clean {
namespace {

// Cleaning cleaned output changes nothing: every record of the second pass is untouched.
TEST(CleanCleaner, PipelineIsIdempotent) {
  const char* atoms[] = {" ", "  ", "\\t", "\\n", "\\n\\n\\n", "\\r\\n", "a", "Word", "```", "\\u00a0", "\\u200b",
                         "\\u200d", "\\ud83d\\udc68", "\\u00e9", "e\\u0301", "\\ufeff", "\\u2019", "\\u00e2\\u20ac\\u2122",
                         "\\ufb01", "\\u0001", "\\u0085", "\\\"", "sk-abcdefghijklmnopqrstuvwxyz", "a@b.io",
                         "+1 415-555-0132"};
  CleanOptions o;
  o.whitespace = WhitespaceMode::kCollapse;
  o.fix_mojibake = true;
  o.ascii_quotes = true;
  o.unicode = UnicodeForm::kNfkc;
  o.secrets = Action::kRedact;
  o.pii = Action::kRedact;
  o.drop_empty = false;
  uint64_t seed = 99;
  auto next = [&]() {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 33;
  };
  std::vector<std::string> lines;
  for (int i = 0; i < 500; ++i) {
    std::string s;
    int n = static_cast<int>(next() % 16);
    for (int k = 0; k < n; ++k) s += atoms[next() % (sizeof(atoms) / sizeof(atoms[0]))];
    lines.push_back("{\"prompt\":\"" + s + "\",\"completion\":\"x" + s + "\"}");
  }
  Out first = Clean(o, lines);
  ASSERT_EQ(first.kept.size(), lines.size());
  Out second = Clean(o, first.kept);
  ASSERT_EQ(second.kept.size(), first.kept.size());
  for (size_t i = 0; i < first.kept.size(); ++i) EXPECT_EQ(second.kept[i], first.kept[i]) << lines[i];
}

}  // namespace
}  // namespace ftprep::clean

#include "report.h"

namespace ftprep::clean {
namespace {

TEST(CleanCleaner, ReportsOfShardsMerge) {
  rapidjson::Document a, b, m;
  a.Parse(R"({"tool":"clean","version":1,"counts":{"records":4,"dropped":1,"changed":2,"clean.dedup.exact.dropped":1},
             "max":{"dedup_memory_bytes":100},"findings":[{"file":"a","line":1}],"derived":{"dropped_fraction":0.25}})");
  b.Parse(R"({"tool":"clean","version":1,"counts":{"records":6,"dropped":4,"changed":0,"clean.dedup.exact.dropped":4},
             "max":{"dedup_memory_bytes":300},"findings":[{"file":"b","line":2}],"derived":{"dropped_fraction":0.66}})");
  ASSERT_TRUE(MergeReports({&a, &b}, &m).ok());
  EXPECT_EQ(m["counts"]["records"].GetInt(), 10);
  EXPECT_EQ(m["counts"]["clean.dedup.exact.dropped"].GetInt(), 5);
  EXPECT_EQ(m["max"]["dedup_memory_bytes"].GetInt(), 300);
  EXPECT_EQ(m["findings"].Size(), 2u);
  EXPECT_DOUBLE_EQ(m["derived"]["dropped_fraction"].GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ(m["derived"]["changed_fraction"].GetDouble(), 0.2);
}

}  // namespace
}  // namespace ftprep::clean

namespace ftprep::clean {
namespace {

// Prepare on two threads at once, Commit in input order: the same records, counts, examples and dedup drops
// as Process one record at a time (what clean --jobs N relies on).
TEST(CleanCleaner, PrepareOnThreadsThenCommitInOrderEqualsProcess) {
  CleanOptions o;
  o.dedup = true;
  o.near_dedup = true;
  o.pii = Action::kRedact;
  o.examples = 2;
  std::vector<std::string> lines;
  for (int i = 0; i < 400; ++i) {
    std::string n = std::to_string(i % 37);
    lines.push_back(R"({"messages":[{"role":"user","content":" question )" + n +
                    R"( mail x)" + n + R"(@example.com "},{"role":"assistant","content":"answer\u200b number )" + n +
                    R"( with some more words to shingle"}]})");
  }
  auto run = [&](bool threads, std::vector<std::string>* out, rapidjson::Document* report) {
    Cleaner c(o);
    ASSERT_TRUE(c.Init().ok());
    std::vector<Record> recs(lines.size());
    std::vector<Decision> ds(lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      recs[i].Assign(lines[i]);
      recs[i].loc.file = "t.jsonl";
      recs[i].loc.line = i + 1;
      ASSERT_TRUE(recs[i].parse_ok());
    }
    if (threads) {
      auto half = [&](size_t first) {
        auto s = c.NewScratch();
        for (size_t i = first; i < lines.size(); i += 2) c.Prepare(recs[i], &ds[i], s.get());
      };
      std::thread a(half, 0), b(half, 1);
      a.join();
      b.join();
      for (size_t i = 0; i < lines.size(); ++i) c.Commit(recs[i], &ds[i]);
    } else {
      for (size_t i = 0; i < lines.size(); ++i) ds[i] = c.Process(recs[i]);
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      out->push_back(ds[i].drop ? ds[i].rule + " " + ds[i].message : std::string(recs[i].json()));
    }
    report->CopyFrom(c.findings(), report->GetAllocator());
    for (const auto& [rule, n] : c.counts()) {
      out->push_back(rule + " " + std::to_string(n.changed) + "/" + std::to_string(n.dropped) + "/" +
                     std::to_string(n.fields));
    }
  };
  std::vector<std::string> serial, parallel;
  rapidjson::Document rs, rp;
  run(false, &serial, &rs);
  run(true, &parallel, &rp);
  EXPECT_EQ(serial, parallel);
  EXPECT_EQ(ToJson(rs), ToJson(rp));
  EXPECT_GT(std::count_if(serial.begin(), serial.end(), [](const std::string& s) { return s.starts_with("clean.dedup"); }), 300);
}

}  // namespace
}  // namespace ftprep::clean
