// Tests of core/convert/mapping.h: templates, the target schemas and grouping of long tables.
#include "convert/mapping.h"

#include <gtest/gtest.h>

namespace ftprep::convert {
namespace {

rapidjson::Document Row(const char* json) {
  rapidjson::Document d;
  d.Parse(json);
  return d;
}

std::string MapOne(const MappingOptions& o, const char* row, std::string* rule = nullptr) {
  auto m = RowMapper::Create(o);
  EXPECT_TRUE(m.ok()) << m.status().message();
  std::string json, r, msg;
  if (!(*m)->Map(Row(row), &json, &r, &msg)) {
    if (rule) *rule = r;
    return "";
  }
  return json;
}

TEST(FieldSpec, ColumnsAndTemplates) {
  auto f = FieldSpec::Parse("Improve the sentence: {sentence} {{ok}}", "--prompt");
  ASSERT_TRUE(f.ok());
  std::string out, missing;
  EXPECT_TRUE(f->Render(Row(R"({"sentence":"teh cat"})"), &out, &missing));
  EXPECT_EQ(out, "Improve the sentence: teh cat {ok}");
  EXPECT_FALSE(f->Render(Row(R"({"other":"x"})"), &out, &missing));
  EXPECT_EQ(missing, "sentence");
  EXPECT_FALSE(FieldSpec::Parse("open {brace", "--user").ok());
  EXPECT_FALSE(FieldSpec::Parse("a } b", "--user").ok());
  auto n = FieldSpec::Parse("n", "--user");
  EXPECT_TRUE(n->Render(Row(R"({"n":12.5})"), &out, &missing));
  EXPECT_EQ(out, "12.5");
}

TEST(RowMapper, Schemas) {
  MappingOptions c;
  c.to = "completion";
  c.prompt = "Q: {q}";
  c.completion = "a";
  EXPECT_EQ(MapOne(c, R"({"q":"x","a":"y"})"), R"({"prompt":"Q: x","completion":"y"})");

  MappingOptions chat;
  chat.to = "chat";
  chat.system = "Be kind.";
  chat.user = "q";
  chat.assistant = "a";
  EXPECT_EQ(MapOne(chat, R"({"q":"x\"","a":"y"})"),
            R"({"messages":[{"role":"system","content":"Be kind."},{"role":"user","content":"x\""},{"role":"assistant","content":"y"}]})");
  std::string rule;
  EXPECT_EQ(MapOne(chat, R"({"q":"x","a":"  "})", &rule), "");
  EXPECT_EQ(rule, "convert.empty_field");
  EXPECT_EQ(MapOne(chat, R"({"q":"x"})", &rule), "");
  EXPECT_EQ(rule, "convert.missing_column");

  MappingOptions p;
  p.to = "preference";
  p.input = "q";
  p.preferred = "good";
  p.non_preferred = "bad";
  EXPECT_EQ(MapOne(p, R"({"q":"x","good":"g","bad":"b"})"),
            R"({"input":{"messages":[{"role":"user","content":"x"}]},"preferred_output":[{"role":"assistant","content":"g"}],"non_preferred_output":[{"role":"assistant","content":"b"}]})");

  MappingOptions t;
  t.to = "text_list";
  t.fields = {"a", "b"};
  t.weights = {"0", "1"};
  EXPECT_EQ(MapOne(t, R"({"a":"x","b":"y"})"), R"({"data":{"text_list":["x","y"],"loss_weights":[0,1]}})");
  t.weights = {"0"};
  EXPECT_FALSE(RowMapper::Create(t).ok());
  t.weights = {"0", "one"};
  EXPECT_FALSE(RowMapper::Create(t).ok());

  MappingOptions cols;
  cols.columns = {"b", "a"};
  EXPECT_EQ(MapOne(cols, R"({"a":"1","b":"2","c":"3"})"), R"({"b":"2","a":"1"})");

  MappingOptions missing;
  missing.to = "chat";
  EXPECT_FALSE(RowMapper::Create(missing).ok());  // no --user
  missing.to = "completion";
  EXPECT_FALSE(RowMapper::Create(missing).ok());  // no --prompt
  missing.empty_prompt = true;
  EXPECT_FALSE(RowMapper::Create(missing).ok());  // an empty prompt and no completion: nothing at all
}

// Requests for a teacher model: prompts without answers (priced with --expected-output-tokens).
TEST(RowMapper, PromptsWithoutAnswers) {
  MappingOptions chat;
  chat.to = "chat";
  chat.system = "S";
  chat.user = "Q: {q}";
  EXPECT_EQ(MapOne(chat, R"({"q":"why?"})"),
            R"({"messages":[{"role":"system","content":"S"},{"role":"user","content":"Q: why?"}]})");
  MappingOptions comp;
  comp.to = "completion";
  comp.prompt = "Improve the sentence: {s}";
  EXPECT_EQ(MapOne(comp, R"({"s":"Dogs bark."})"), R"({"prompt":"Improve the sentence: Dogs bark."})");
  std::string rule;
  EXPECT_EQ(MapOne(comp, R"({"s":" "})", &rule), "");
  EXPECT_EQ(rule, "convert.empty_field");
}

TEST(RowMapper, CheckColumnsSuggests) {
  MappingOptions chat;
  chat.to = "chat";
  chat.user = "question";
  chat.assistant = "answer";
  auto m = RowMapper::Create(chat);
  Status s = (*m)->CheckColumns(Row(R"({"questions":"x","answer":"y"})"));
  EXPECT_EQ(s.code(), Code::kUsage);
  EXPECT_NE(s.message().find("did you mean 'questions'"), std::string::npos) << s.message();
}

TEST(Grouper, LongTableToChats) {
  Grouper g({"conv", "role", "text", "turn", "Sys."});
  std::string rule, msg;
  Location loc;
  const char* rows[] = {R"({"conv":"a","role":"assistant","text":"A1","turn":"2"})",
                        R"({"conv":"b","role":"user","text":"B0","turn":"1"})",
                        R"({"conv":"a","role":"User","text":"A0","turn":"1"})",
                        R"({"conv":"a","role":"assistant","text":"A2","turn":"10"})"};
  for (const char* r : rows) {
    loc.line++;
    EXPECT_TRUE(g.Add(Row(r), loc, &rule, &msg)) << msg;
  }
  EXPECT_FALSE(g.Add(Row(R"({"conv":"a","role":"robot","text":"x","turn":"3"})"), loc, &rule, &msg));
  EXPECT_EQ(rule, "convert.unknown_role");
  auto out = g.Finish();
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].json,
            R"({"messages":[{"role":"system","content":"Sys."},{"role":"user","content":"A0"},{"role":"assistant","content":"A1"},{"role":"assistant","content":"A2"}]})");
  EXPECT_EQ(out[0].loc.line, 1u);
  EXPECT_EQ(out[1].loc.line, 2u);
}

}  // namespace
}  // namespace ftprep::convert
