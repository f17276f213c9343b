// The prepare_data checks, including the legacy bugs that must not come back.
#include "prepare/prepare.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "prepare/affix.h"

namespace ftprep::prepare {
namespace {

std::vector<Example> Make(const std::vector<std::pair<std::string, std::string>>& pc) {
  std::vector<Example> ex;
  for (const auto& [p, c] : pc) {
    Example e;
    e.id = ex.size();
    e.line = ex.size() + 1;
    e.prompt = p;
    e.completion = c;
    ex.push_back(e);
  }
  return ex;
}

Input Cols() {
  Input in;
  in.columns = {"prompt", "completion"};
  in.prompt_key = "prompt";
  in.completion_key = "completion";
  return in;
}

Fix* FindFix(Analysis& a, const std::string& check) {
  for (auto& f : a.fixes) {
    if (f.check == check) return &f;
  }
  return nullptr;
}

TEST(Prepare, CompletionPrefixRemovesExactlyThePrefixKeepingOneSpace) {
  auto ex = Make({{"a ->", " Answer: yes"}, {"b ->", " Answer: no"}, {"c ->", " Answer: "}});
  Analysis a = AnalyzeCompletions(Cols(), ex, nullptr);
  Fix* f = FindFix(a, "completion_prefix");
  ASSERT_NE(f, nullptr);
  f->apply(ex);
  EXPECT_EQ(ex[0].completion, " yes");
  EXPECT_EQ(ex[1].completion, " no");
  EXPECT_EQ(ex[2].completion, " ");  // a completion equal to the prefix keeps one space
}

TEST(Prepare, RemovalsActOnIdentitiesNotPositions) {
  std::string longtext(10001, 'x');
  auto ex = Make({{"p1 ->", " a"}, {"p1 ->", " a"}, {"p2 ->", longtext}, {"p3 ->", " c"}, {"p4 ->", " d"}});
  Analysis a = AnalyzeCompletions(Cols(), ex, nullptr);
  Fix* dup = FindFix(a, "duplicated_rows");
  Fix* lng = FindFix(a, "long_examples");
  ASSERT_TRUE(dup && lng);
  dup->apply(ex);
  lng->apply(ex);
  std::vector<uint64_t> alive;
  for (auto& e : ex) {
    if (!e.removed) alive.push_back(e.id);
  }
  EXPECT_EQ(alive, (std::vector<uint64_t>{0, 3, 4}));
}

TEST(Prepare, TaskTypesAndEmptyCompletions) {
  auto open = Make({{"", "once upon"}, {"", "a time"}, {"", ""}});
  Analysis a = AnalyzeCompletions(Cols(), open, nullptr);
  EXPECT_EQ(a.task, Task::kOpenEnded);
  EXPECT_TRUE(open[2].removed);  // necessary fix applied at once
  EXPECT_EQ(FindFix(a, "common_suffix"), nullptr);  // no separator for open-ended data

  std::vector<std::pair<std::string, std::string>> cls;
  for (int i = 0; i < 30; ++i) cls.push_back({"text " + std::to_string(i) + " ->", i % 2 ? " positive" : " negative"});
  auto ex = Make(cls);
  Analysis c = AnalyzeCompletions(Cols(), ex, nullptr);
  EXPECT_EQ(c.task, Task::kClassification);
  EXPECT_EQ(FindFix(c, "completion_suffix"), nullptr);  // "tive" is not an ending to add or advertise
}

TEST(Prepare, SeparatorChoiceAndIdenticalPrompts) {
  auto ex = Make({{"line\nbreak", " a"}, {"x ### y", " b"}, {"z", " c"}});
  Analysis a = AnalyzeCompletions(Cols(), ex, nullptr);
  Fix* f = FindFix(a, "common_suffix");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->description, "Add a suffix separator `\\n\\n###\\n\\n` to all prompts");  // " ->" skipped: newline

  auto same = Make({{"same", " a"}, {"same", " b"}});
  Analysis s = AnalyzeCompletions(Cols(), same, nullptr);
  EXPECT_TRUE(s.failed);
  EXPECT_EQ(s.messages.back().check, "identical_prompts");

  auto same_completion = Make({{"a ->", " x"}, {"b ->", " x"}, {"c ->", " x"}});
  Analysis sc = AnalyzeCompletions(Cols(), same_completion, nullptr);
  EXPECT_EQ(sc.task, Task::kConditionalGeneration);  // 1 distinct of 3 is not below 3 / 3
  EXPECT_TRUE(sc.failed);
  EXPECT_EQ(sc.messages.back().check, "identical_completions");
}

TEST(Prepare, SingleExampleStillGetsTheLeadingSpaceCheck) {
  auto ex = Make({{"Translate: cat ->", "chat\n"}});
  Analysis a = AnalyzeCompletions(Cols(), ex, nullptr);
  EXPECT_FALSE(a.failed);
  EXPECT_EQ(FindFix(a, "common_suffix"), nullptr);  // its whole prompt is not a "common" suffix
  EXPECT_EQ(FindFix(a, "completion_suffix"), nullptr);
  Fix* f = FindFix(a, "completion_space_start");
  ASSERT_NE(f, nullptr);
  f->apply(ex);
  EXPECT_EQ(ex[0].completion, " chat\n");
}

TEST(Prepare, MissingColumnIsAnErrorNamedByItsCheck) {
  auto ex = Make({{"a", "b"}});
  Input in = Cols();
  in.completion_key = "";
  Analysis a = AnalyzeCompletions(in, ex, nullptr);
  EXPECT_TRUE(a.failed);
  EXPECT_EQ(a.messages.back().check, "necessary_column");
}

TEST(Prepare, CommonAffixesRespectUtf8) {
  std::string a = "x\xC3\xA9", b = "y\xC3\xA8";  // é / è share the lead byte only
  EXPECT_EQ(CommonSuffix({&a, &b}), "");
  std::string c = "\xC3\xA9z", d = "\xC3\xA8z";
  EXPECT_EQ(CommonPrefix({&c, &d}), "");
}

TEST(Prepare, CommonPrefixEndsAtAWordBoundary) {
  std::string a = "Ticket: Ticket #1", b = "Ticket: TICKET #2", c = "Ticket: Tea";
  EXPECT_EQ(CommonPrefix({&a, &b}), "Ticket: ");
  EXPECT_EQ(CommonPrefix({&a, &c}), "Ticket: ");
  std::string d = "Q: one", e = "Q: two";
  EXPECT_EQ(CommonPrefix({&d, &e}), "Q: ");
  std::string f = "Ticket", g = "Ticket: x";  // one text is the prefix itself: nothing is cut
  EXPECT_EQ(CommonPrefix({&f, &g}), "Ticket");
}

TEST(Prepare, LegacySplitSizesAndDeterminism) {
  std::vector<size_t> idx(5000);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::vector<size_t> t, v, t2, v2;
  LegacySplit(idx, &t, &v);
  EXPECT_EQ(t.size(), 4000u);  // max(5000 - 1000, 4000)
  EXPECT_EQ(v.size(), 1000u);
  EXPECT_TRUE(std::is_sorted(v.begin(), v.end()));
  LegacySplit(idx, &t2, &v2);
  EXPECT_EQ(t, t2);
  idx.resize(100);
  LegacySplit(idx, &t, &v);
  EXPECT_EQ(t.size(), 80u);
}

TEST(Prepare, ChatDropsUntrainedAndOffersFixes) {
  std::vector<Example> ex(3);
  ex[0].chat = R"({"messages":[{"role":"User","content":" hi "},{"role":"assistant","content":"hello"}]})";
  ex[1].chat = R"({"messages":[{"role":"user","content":"q"},{"role":"assistant","content":"a","weight":0}]})";
  ex[2].chat = R"({"messages":[]})";
  for (size_t i = 0; i < 3; ++i) ex[i].id = i, ex[i].line = i + 1;
  Analysis a = AnalyzeChat(ex);
  EXPECT_FALSE(ex[0].removed);
  EXPECT_TRUE(ex[1].removed);
  EXPECT_TRUE(ex[2].removed);
  FindFix(a, "role")->apply(ex);
  FindFix(a, "whitespace")->apply(ex);
  EXPECT_EQ(ex[0].chat, R"({"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]})");
}

}  // namespace
}  // namespace ftprep::prepare

namespace ftprep::prepare {
namespace {

// The accumulators the completions rule set streams through give what a whole column gives, in any order.
TEST(Prepare, AffixesStreamedInAnyOrderEqualTheWholeColumn) {
  std::vector<std::string> texts = {"Ticket: Tea ->", "Ticket: Tax ->", "Ticket: T ->", "Ticket: Toast ->"};
  std::sort(texts.begin(), texts.end());
  do {
    CommonPrefixOf p;
    CommonSuffixOf s;
    for (const auto& t : texts) {
      p.Add(t);
      s.Add(t);
    }
    EXPECT_EQ(p.Result(), "Ticket: ");
    EXPECT_EQ(s.Result(), " ->");
  } while (std::next_permutation(texts.begin(), texts.end()));
  CommonPrefixOf one;
  one.Add("Ticket");
  EXPECT_EQ(one.Result(), "Ticket");  // a single text is its own prefix
  CommonSuffixOf utf8;
  utf8.Add("x\xC3\xA9");
  utf8.Add("y\xC3\xA8\xC3\xA9");
  EXPECT_EQ(utf8.Result(), "\xC3\xA9");
}

// Each prompt/completion fix also exists as an edit of one example that looks at nothing else (the rule
// set's Fix runs it record by record): running the edits in input order gives what `apply` gives.
TEST(Prepare, EditsRecordByRecordEqualApply) {
  std::string longtext(10001, 'x');
  auto base = Make({{"Q: a", "YES"}, {"Q: a", "YES"}, {"Q: b", longtext}, {"Q: c", "NO"}, {"Q: d", "MAYBE"}});
  auto ex1 = base, ex2 = base;
  Analysis a1 = AnalyzeCompletions(Cols(), ex1, nullptr);
  Analysis a2 = AnalyzeCompletions(Cols(), ex2, nullptr);
  ASSERT_EQ(a1.fixes.size(), a2.fixes.size());
  for (size_t i = 0; i < a1.fixes.size(); ++i) {
    if (a1.fixes[i].necessary) continue;
    ASSERT_TRUE(a2.fixes[i].edit) << a2.fixes[i].id;
    a1.fixes[i].apply(ex1);
    for (auto& e : ex2) {
      if (!e.removed) a2.fixes[i].edit(e);
    }
  }
  for (size_t i = 0; i < ex1.size(); ++i) {
    EXPECT_EQ(ex1[i].removed, ex2[i].removed) << i;
    if (!ex1[i].removed) {
      EXPECT_EQ(ex1[i].prompt + "|" + ex1[i].completion, ex2[i].prompt + "|" + ex2[i].completion);
    }
  }
}

}  // namespace
}  // namespace ftprep::prepare
