// The spool keeps records between split's passes: bytes must come back exactly, in any order.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "split/rng.h"
#include "split/spool.h"

namespace ftprep::split {
namespace {

class SplitSpoolLimit : public testing::TestWithParam<uint64_t> {};

TEST_P(SplitSpoolLimit, ReadsBackEveryRecordRandomlyAndSequentially) {
  auto spool = Spool::Create("", GetParam());
  ASSERT_TRUE(spool.ok()) << spool.status().message();
  std::vector<std::string> recs;
  Rng g(1);
  for (int i = 0; i < 5000; ++i) {
    // Mostly small, a few larger than the 1 MiB write buffer and read window, and some empty.
    size_t len = i % 997 == 0 ? (3u << 20) : i % 13 == 0 ? 0 : g.Uniform(300);
    std::string r(len, static_cast<char>('a' + i % 26));
    if (!r.empty()) r[0] = '{';
    recs.push_back(r);
    ASSERT_TRUE((*spool)->Append(r, "\n").ok());
  }
  ASSERT_TRUE((*spool)->Finish().ok());
  ASSERT_EQ((*spool)->size(), recs.size());
  for (size_t i = 0; i < recs.size(); ++i) {
    auto b = (*spool)->Read(i, true);
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(*b, recs[i] + "\n") << i;
  }
  for (int k = 0; k < 3000; ++k) {
    size_t i = g.Uniform(recs.size());
    auto b = (*spool)->Read(i, false);
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(*b, recs[i] + "\n") << i;
  }
}

// 0: on disk from the first record; 4 MiB: spills to disk midway; 1 GiB: stays in memory.
INSTANTIATE_TEST_SUITE_P(Limits, SplitSpoolLimit, testing::Values(0ull, 4ull << 20, 1ull << 30));

TEST(SplitSpool, ChunkedArrayGrowsWithoutCopying) {
  ChunkedArray<uint32_t> a;
  for (uint32_t i = 0; i < 200000; ++i) a.push_back(i * 3);
  ASSERT_EQ(a.size(), 200000u);
  EXPECT_EQ(a[0], 0u);
  EXPECT_EQ(a[65536], 65536u * 3);
  EXPECT_EQ(a[199999], 199999u * 3);
  a.clear();
  EXPECT_EQ(a.size(), 0u);
}

TEST(SplitSpool, UnwritableDirectoryIsAnIoError) {
  auto spool = Spool::Create("/nonexistent-dir-for-ftprep-test", 11);
  ASSERT_TRUE(spool.ok());
  EXPECT_TRUE((*spool)->Append("0123456789", "\n").ok());  // fits in memory
  EXPECT_EQ((*spool)->Append("more", "\n").code(), Code::kIo);
}

}  // namespace
}  // namespace ftprep::split
