#include "ftprep/writer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_test_util.h"

namespace ftprep {
namespace {

using testing::Exists;
using testing::ReadFile;
using testing::TempDir;

TEST(Output, AtomicCommit) {
  TempDir t;
  std::string p = t.path("out.jsonl");
  auto o = Output::Open(p);
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE((*o)->Write("hello\n").ok());
  EXPECT_FALSE(Exists(p));  // nothing at the target until Commit
  ASSERT_TRUE((*o)->Commit().ok());
  EXPECT_EQ(ReadFile(p), "hello\n");
}

TEST(Output, AbortLeavesNothing) {
  TempDir t;
  std::string p = t.path("out.jsonl");
  {
    auto o = Output::Open(p);
    ASSERT_TRUE(o.ok());
    ASSERT_TRUE((*o)->Write(std::string(1 << 20, 'x')).ok());
  }
  EXPECT_FALSE(Exists(p));
  EXPECT_EQ(std::system(("test -z \"$(ls -A " + t.dir() + ")\"").c_str()), 0) << "temporary file left behind";
}

// Names in dir (hidden ones too).
int Entries(const std::string& dir) {
  return std::system(("exit $(ls -A '" + dir + "' | wc -l)").c_str()) >> 8;
}

// Where O_TMPFILE works (ext4, tmpfs, ...), an unfinished output has no name at all, so a SIGKILL cannot
// leave one behind; a previous file stays untouched until Commit replaces it.
TEST(Output, UnfinishedOutputHasNoNameAndReplacesOnCommit) {
  TempDir t;
  std::string p = t.Write("out.jsonl", "old\n");
  auto o = Output::Open(p);
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE((*o)->Write("new\n").ok());
  if (Entries(t.dir()) != 1) {
    GTEST_SKIP() << "no O_TMPFILE on " << t.dir() << "'s filesystem: the named-temporary fallback is used";
  }
  EXPECT_EQ(ReadFile(p), "old\n");
  ASSERT_TRUE((*o)->Commit().ok());
  EXPECT_EQ(ReadFile(p), "new\n");
  EXPECT_EQ(Entries(t.dir()), 1) << "temporary name left behind";
}

TEST(Output, NamedTemporaryFallback) {
  TempDir t;
  std::string p = t.Write("out.jsonl", "old\n");
  setenv("FTPREP_NO_TMPFILE", "1", 1);
  auto o = Output::Open(p);
  unsetenv("FTPREP_NO_TMPFILE");
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE((*o)->Write("new\n").ok());
  EXPECT_EQ(Entries(t.dir()), 2);  // the hidden .out.jsonl.ftprep-*.tmp
  EXPECT_EQ(ReadFile(p), "old\n");
  ASSERT_TRUE((*o)->Commit().ok());
  EXPECT_EQ(ReadFile(p), "new\n");
  EXPECT_EQ(Entries(t.dir()), 1);
}

// -o /dev/null or a FIFO: written in place, never replaced by a regular file.
TEST(Output, WritesIntoAFifoInPlace) {
  TempDir t;
  std::string p = t.path("fifo");
  ASSERT_EQ(mkfifo(p.c_str(), 0644), 0);
  int rd = open(p.c_str(), O_RDONLY | O_NONBLOCK);  // a reader, so opening for writing does not block
  ASSERT_GE(rd, 0);
  auto o = Output::Open(p);
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE((*o)->Write("x\n").ok());
  ASSERT_TRUE((*o)->Commit().ok());
  char buf[8] = {};
  EXPECT_EQ(read(rd, buf, sizeof(buf)), 2);
  close(rd);
  struct stat st;
  ASSERT_EQ(stat(p.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_EQ(Entries(t.dir()), 1);
}

TEST(Output, NeverOverwritesAnInput) {
  TempDir t;
  std::string in = t.Write("in.jsonl", "{}\n");
  OutputOptions opts;
  opts.inputs = {in};
  auto o = Output::Open(in, opts);
  EXPECT_FALSE(o.ok());
  EXPECT_EQ(ReadFile(in), "{}\n");
}

TEST(Output, RefusesExistingUnlessForced) {
  TempDir t;
  std::string p = t.Write("x.jsonl", "old");
  OutputOptions opts;
  opts.refuse_existing = true;
  EXPECT_FALSE(Output::Open(p, opts).ok());
  opts.force = true;
  EXPECT_TRUE(Output::Open(p, opts).ok());
}

TEST(RejectsWriter, KeepsInvalidUtf8AsBase64) {
  TempDir t;
  std::string p = t.path("rej.jsonl");
  auto w = RejectsWriter::Open(p, {});
  ASSERT_TRUE(w.ok());
  Location loc;
  loc.file = "a.jsonl";
  loc.line = 7;
  ASSERT_TRUE((*w)->Write(loc, "bad\xff", {{"utf8.invalid", "invalid UTF-8", ""}}).ok());
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_EQ(ReadFile(p),
            "{\"file\":\"a.jsonl\",\"line\":7,\"errors\":[{\"rule\":\"utf8.invalid\",\"message\":\"invalid "
            "UTF-8\",\"path\":\"\"}],\"raw\":\"bad\xEF\xBF\xBD\",\"raw_base64\":\"YmFk/w==\"}\n");
}

}  // namespace
}  // namespace ftprep
