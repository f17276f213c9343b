// Tests of the txt format plugin: one record per line, and chunking by tokens (characters/4 here: no
// tokenizer is installed in this test binary unless the tokenizer registers one, so counts are checked
// loosely through the limit only).
#include <rapidjson/document.h>

#include "format_test_util.h"

namespace ftprep {
namespace {

using namespace ftprep::testutil;  // NOLINT: test helpers

TEST(Txt, OneRecordPerLine) {
  ReadResult r = ReadAll("txt", "first line\r\n\n  \nsecond \"quoted\"\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].json, R"({"text":"first line"})");
  EXPECT_EQ(r.rows[0].line, 1u);
  EXPECT_EQ(r.rows[1].json, R"({"text":"second \"quoted\""})");
  EXPECT_EQ(r.rows[1].line, 4u);
}

TEST(Txt, InvalidUtf8PerLine) {
  ReadResult r = ReadAll("txt", "ok\nbad \xFF here\n");
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[1].rule, "utf8.invalid");
  EXPECT_EQ(r.rows[1].column, 5u);
  EXPECT_EQ(ReadAll("txt", "caf\xE9\n", {"encoding", "latin1"}).rows.at(0).json, "{\"text\":\"caf\xC3\xA9\"}");
}

std::string TextOf(const Row& row) {
  rapidjson::Document d;
  d.Parse(row.json.c_str());
  return d.IsObject() && d.HasMember("text") ? d["text"].GetString() : "";
}

TEST(Txt, ChunksKeepParagraphsWholeWhenTheyFit) {
  std::string doc = "Once upon a time there was a king.\n\nHe had three daughters.\n\nThe youngest was the kindest.\n";
  ReadResult r = ReadAll("txt", doc, {"chunk_tokens", "20"});
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(TextOf(r.rows[0]), "Once upon a time there was a king.\n\nHe had three daughters.");
  EXPECT_EQ(r.rows[0].line, 1u);
  EXPECT_EQ(TextOf(r.rows[1]), "The youngest was the kindest.");
  EXPECT_EQ(r.rows[1].line, 5u);
}

TEST(Txt, LongParagraphsAreCutAtSentencesThenWords) {
  std::string para;
  for (int i = 0; i < 30; ++i) para += "The quick brown fox number " + std::to_string(i) + " jumps. ";
  ReadResult r = ReadAll("txt", para + "\n", {"chunk_tokens", "25"});
  ASSERT_GT(r.rows.size(), 5u);
  std::string joined;
  for (const auto& row : r.rows) {
    std::string t = TextOf(row);
    EXPECT_LE((t.size() + 3) / 4, 26u) << t;
    EXPECT_EQ(t.find("The quick"), 0u) << "pieces start at a sentence: " << t;
    joined += t;
  }
  std::string squeezed;
  for (char c : para) {
    if (c != ' ') squeezed += c;
  }
  std::string got;
  for (char c : joined) {
    if (c != ' ') got += c;
  }
  EXPECT_EQ(got, squeezed);
  ReadResult words = ReadAll("txt", std::string(200, 'a') + " " + std::string(10, 'b') + "\n", {"chunk_tokens", "10"});
  for (const auto& row : words.rows) EXPECT_LE((TextOf(row).size() + 3) / 4, 10u);
}

TEST(Txt, OverlapRepeatsTheEndOfThePreviousPiece) {
  std::string doc;
  for (int i = 0; i < 12; ++i) doc += "Sentence number " + std::to_string(i) + " is here. ";
  ReadResult r = ReadAll("txt", doc + "\n", {"chunk_tokens", "30", "overlap", "6"});
  ASSERT_GE(r.rows.size(), 2u);
  std::string first = TextOf(r.rows[0]), second = TextOf(r.rows[1]);
  std::string tail = first.substr(first.size() - 10);
  EXPECT_NE(second.find(tail.substr(tail.find(' ') + 1)), std::string::npos) << first << " | " << second;
  EXPECT_EQ(ReadAll("txt", doc, {"chunk_tokens", "10", "overlap", "10"}).open_rc, FTPREP_ERR_USAGE);
}

}  // namespace
}  // namespace ftprep
