// Tests of what a finding costs: interned rule ids, findings that are only counted (RuleEngine::CountOnly with
// Diagnostics::OnlyCounted), and the ordered half of the rule engine placing findings in profile order.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "diag.h"
#include "ftprep/json_flags.h"
#include "ftprep/plugin.hpp"
#include "rules/rules.h"

namespace ftprep {
namespace {

std::unique_ptr<RuleEngine> EngineOf(const std::string& json) {
  auto p = ParseProfile(json, "test");
  EXPECT_TRUE(p.ok()) << p.status().message();
  if (!p.ok()) return nullptr;
  auto e = RuleEngine::Create(*p);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(*e) : nullptr;
}

// Findings of `recs` through CheckRecord (one engine, "the worker") and Consume (another, in order), each record's
// Consume appending to *out, or to an empty vector that is then appended (`empty_out`).
std::vector<Finding> RunSplit(const std::string& profile, const std::vector<std::string>& recs, bool empty_out) {
  auto worker = EngineOf(profile), ordered = EngineOf(profile);
  std::vector<Finding> all;
  if (!worker || !ordered) return all;
  for (size_t i = 0; i < recs.size(); ++i) {
    rapidjson::Document d;
    ParseRecordJson(d, recs[i].data(), recs[i].size());
    RecordChecks c;
    EXPECT_TRUE(worker->CheckRecord(d, recs[i], i + 1, &c).ok());
    if (empty_out) {
      std::vector<Finding> one;
      EXPECT_TRUE(ordered->Consume(&c, i + 1, &one).ok());
      for (auto& f : one) all.push_back(std::move(f));
    } else {
      EXPECT_TRUE(ordered->Consume(&c, i + 1, &all).ok());
    }
  }
  return all;
}

TEST(Findings, InternedRuleIdsAreOnePerNameFromAnyThread) {
  const RuleId* a = InternRule("test.intern.a");
  EXPECT_EQ(a->name, "test.intern.a");
  std::string copy = "test.intern.a";
  EXPECT_EQ(InternRule(copy), a);
  const RuleId* b = InternRule("test.intern.b");
  EXPECT_NE(a, b);
  EXPECT_NE(a->index, b->index);
  std::vector<const RuleId*> got(4);
  std::vector<std::thread> t;
  for (int k = 0; k < 4; ++k) {
    t.emplace_back([k, &got] {
      for (int i = 0; i < 200; ++i) InternRule("test.intern.t" + std::to_string(i));
      got[k] = InternRule("test.intern.t7");
    });
  }
  for (auto& th : t) th.join();
  for (int k = 1; k < 4; ++k) EXPECT_EQ(got[k], got[0]);
}

// The ordered halves (dataset rules) say their findings in profile order, wherever their rule set sits, whether
// Consume appends to findings already there or fills an empty vector (which takes the worker's whole).
TEST(Findings, OrderedFindingsKeepProfileOrderIntoEmptyOrFilledVectors) {
  const std::string first = R"({"name": "t", "rule_sets": [{"plugin": "dataset"}, {"plugin": "generic"},
                                {"plugin": "openai_chat"}]})";
  const std::string rec = R"({"messages":[{"role":"user","content":"mail me at a@example.com"},)"
                          R"({"role":"assistant","content":"no"}], "x": 1})";
  std::vector<std::string> recs = {rec, rec, R"({"messages":[]})", rec};
  for (const std::string& profile : {first, std::string(R"({"name": "t", "rule_sets": [{"plugin": "generic"},
                                       {"plugin": "dataset"}, {"plugin": "openai_chat"}]})")}) {
    auto filled = RunSplit(profile, recs, false);
    auto fresh = RunSplit(profile, recs, true);
    ASSERT_EQ(filled.size(), fresh.size()) << profile;
    bool dup = false;
    for (size_t i = 0; i < filled.size(); ++i) {
      EXPECT_EQ(filled[i].rule, fresh[i].rule) << i;
      EXPECT_EQ(filled[i].line, fresh[i].line) << i;
      EXPECT_EQ(filled[i].message, fresh[i].message) << i;
      EXPECT_EQ(filled[i].id, InternRule(filled[i].rule)) << i;
      dup = dup || filled[i].rule == "dataset.duplicate";
    }
    EXPECT_TRUE(dup);
    // With the dataset rules first, record 2's duplicate comes before its generic and chat findings.
    if (profile == first) {
      size_t k = 0;
      while (k < fresh.size() && fresh[k].line != 2) ++k;
      ASSERT_LT(k, fresh.size());
      EXPECT_EQ(fresh[k].rule, "dataset.duplicate");
      EXPECT_GT(std::count_if(fresh.begin(), fresh.end(), [](const Finding& f) { return f.line == 2; }), 1);
    }
  }
}

// With CountOnly, a finding keeps its text while its rule may still be printed, and only its rule id (and
// severity, line) once the diagnostics have printed --max-shown of that rule; every one is counted.
TEST(Findings, FindingsBeyondTheShownLimitCarryNoText) {
  auto e = EngineOf(R"({"name": "t", "rule_sets": [{"plugin": "generic"}]})");
  ASSERT_TRUE(e);
  Diagnostics diag(2);
  diag.set_quiet(true);  // nothing printed here; OnlyCounted is true for every rule then
  const RuleId* email = InternRule("generic.pii.email");
  EXPECT_TRUE(diag.OnlyCounted(email));
  Diagnostics shown(2);
  EXPECT_FALSE(shown.OnlyCounted(email));
  e->CountOnly(&shown);
  const std::string rec = R"({"messages":[{"role":"user","content":"write to a@example.com"}]})";
  Location loc;
  loc.file = "t.jsonl";
  std::vector<size_t> message_sizes;
  std::FILE* saved = stderr;  // the two shown findings are printed: keep them out of the test log
  stderr = std::tmpfile();
  for (int i = 1; i <= 5; ++i) {
    std::vector<Finding> f;
    ASSERT_TRUE(e->Check(rec, i, &f).ok());
    ASSERT_EQ(f.size(), 1u);
    EXPECT_TRUE(f[0].rule.empty());
    EXPECT_EQ(f[0].id, email);
    EXPECT_EQ(f[0].rule_id(), "generic.pii.email");
    EXPECT_EQ(f[0].line, static_cast<uint64_t>(i));
    message_sizes.push_back(f[0].message.size());
    loc.line = i;
    shown.Report(f[0].severity, loc, f[0].id, f[0].message, f[0].path);
  }
  std::fclose(stderr);
  stderr = saved;
  EXPECT_GT(message_sizes[0], 0u);
  EXPECT_GT(message_sizes[1], 0u);
  for (size_t i = 2; i < message_sizes.size(); ++i) EXPECT_EQ(message_sizes[i], 0u) << i;
  EXPECT_TRUE(shown.OnlyCounted(email));
  EXPECT_EQ(shown.by_rule().at("generic.pii.email").count, 5u);
  EXPECT_EQ(shown.by_rule().at("generic.pii.email").first_line, 1u);
  EXPECT_EQ(shown.warnings(), 5u);
  // Without CountOnly every finding is whole again.
  e->CountOnly(nullptr);
  std::vector<Finding> f;
  ASSERT_TRUE(e->Check(rec, 9, &f).ok());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "generic.pii.email");
  EXPECT_FALSE(f[0].message.empty());
}

// A rule set may ask whether a finding is wanted before building its text: not when it would only be counted,
// and not for a disabled rule; always when no host filter is set (the C ABI path).
TEST(Findings, EmitterWantsOnlyFindingsThatMayBeShown) {
  plugin::Emitter bare([](void*, const ftprep_finding*) {}, nullptr);
  EXPECT_TRUE(bare.Wants("anything"));
  struct Sink {
    std::vector<std::string> seen;
  } sink;
  plugin::Emitter filtered([](void* c, const ftprep_finding* f) { static_cast<Sink*>(c)->seen.push_back(f->message); },
                           &sink, [](void*, const char* id) { return std::string(id) == "a.b" ? 1 : 0; });
  EXPECT_TRUE(filtered.Wants("a.b"));
  EXPECT_FALSE(filtered.Wants("c.d"));
  filtered.Emit("a.b", FTPREP_WARNING, "", "a literal message");
  std::string path = "messages[0]";
  filtered.Emit("a.b", FTPREP_WARNING, path, "mixed");
  filtered.Emit("a.b", FTPREP_WARNING, "", std::string("built"));
  EXPECT_EQ(sink.seen, (std::vector<std::string>{"a literal message", "mixed", "built"}));
}

}  // namespace
}  // namespace ftprep
