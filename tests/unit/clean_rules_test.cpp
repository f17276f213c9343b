// Unit tests of the clean_rules plugin (validators/clean_rules) through the plugin registry and C ABI.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plugin_host.h"

namespace ftprep {
namespace {

struct Finding {
  std::string rule, path;
  int severity;
};

void Collect(void* ctx, const ftprep_finding* f) {
  static_cast<std::vector<Finding>*>(ctx)->push_back({f->rule_id, f->path, f->severity});
}

TEST(CleanRules, ListedCheckedAndFixed) {
  const PluginInfo* p = PluginRegistry::Get().Find("clean_rules", FTPREP_KIND_RULE);
  ASSERT_NE(p, nullptr);
  const ftprep_rules_v1* r = p->desc->rules;
  EXPECT_EQ(r->n_rules, 18u);
  void* state = nullptr;
  ASSERT_EQ(r->create(Host(), R"({"pii":"redact","dedup":true})", &state), FTPREP_OK);
  std::string rec = R"({"messages":[{"role":"user","content":" hi\u200b"},{"role":"assistant","content":"mail a@b.io"}]})";
  std::vector<Finding> fs;
  ASSERT_EQ(r->check(state, rec.data(), rec.size(), 1, &Collect, &fs), FTPREP_OK);
  ASSERT_EQ(fs.size(), 3u);
  EXPECT_EQ(fs[0].rule, "clean.invisible");
  EXPECT_EQ(fs[0].path, "messages[0].content");
  EXPECT_EQ(fs[1].rule, "clean.whitespace");
  EXPECT_EQ(fs[2].rule, "clean.pii");
  EXPECT_EQ(fs[2].path, "messages[1].content");
  // The same record again: a duplicate (dataset state lives in the rule set).
  fs.clear();
  ASSERT_EQ(r->check(state, rec.data(), rec.size(), 2, &Collect, &fs), FTPREP_OK);
  ASSERT_FALSE(fs.empty());
  EXPECT_EQ(fs.back().rule, "clean.dedup.exact");
  EXPECT_EQ(fs.back().severity, FTPREP_ERROR);
  // Fix applies one step only.
  const char* out = nullptr;
  size_t len = 0;
  ASSERT_EQ(r->fix(state, rec.data(), rec.size(), "clean.pii", &out, &len), FTPREP_OK);
  EXPECT_NE(std::string(out, len).find("mail [EMAIL]"), std::string::npos);
  EXPECT_NE(std::string(out, len).find(" hi"), std::string::npos);  // whitespace untouched by this fix
  EXPECT_EQ(r->fix(state, rec.data(), rec.size(), "clean.dedup.exact", &out, &len), FTPREP_END);
  r->destroy(state);
}

TEST(CleanRules, BadConfigurationIsAUsageError) {
  const PluginInfo* p = PluginRegistry::Get().Find("clean_rules", FTPREP_KIND_RULE);
  ASSERT_NE(p, nullptr);
  void* state = nullptr;
  EXPECT_EQ(p->desc->rules->create(Host(), R"({"pii":"maybe"})", &state), FTPREP_ERR_USAGE);
  TakePluginError();
}

}  // namespace
}  // namespace ftprep
