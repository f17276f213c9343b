// Tests of the jsonl format plugin's sniffing: a shard of a JSON Lines file (cut where any line ends, as GNU
// parallel --pipepart and Hadoop input splits do) is read as JSON Lines even when its first line is broken.
#include <gtest/gtest.h>

#include <string>

#include "core_test_util.h"
#include "ftprep/reader.h"

namespace ftprep {
namespace {

using testing::TempDir;

// The format the reader sniffs for `bytes` in a file without an extension.
std::string Sniffed(const std::string& bytes) {
  TempDir t;
  std::string p = t.Write("input", bytes);
  auto r = OpenReader({p}, ReadOptions{});
  if (!r.ok()) return "error: " + r.status().message();
  Record rec;
  (*r)->Next(&rec);  // the format is chosen when the first input opens
  return (*r)->format();
}

TEST(JsonlSniff, CleanStart) { EXPECT_EQ(Sniffed("{\"a\":1}\n{\"a\":2}\n"), "jsonl"); }

TEST(JsonlSniff, ShardStartingWithABrokenLine) {
  EXPECT_EQ(Sniffed("[1,2,3]\n{\"a\":1}\n{\"a\":2}\n"), "jsonl");          // not a JSON array
  EXPECT_EQ(Sniffed("not json at all\n{\"a\":1}\n{\"a\":2}\n"), "jsonl");  // not text
  EXPECT_EQ(Sniffed("\"x\"\n{\"a\":1}\n"), "jsonl");
}

TEST(JsonlSniff, OtherFormatsStayTheirs) {
  EXPECT_EQ(Sniffed("[{\"a\":1},\n{\"a\":2}]\n"), "json");
  EXPECT_EQ(Sniffed("[\n  {\"a\": 1},\n  {\"a\": 2}\n]\n"), "json");
  EXPECT_EQ(Sniffed("hello world\nthis is text\n"), "txt");
  EXPECT_EQ(Sniffed("a,b\n1,2\n3,4\n"), "csv");
}

}  // namespace
}  // namespace ftprep
