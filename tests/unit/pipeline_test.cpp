#include "pipeline.h"

#include <gtest/gtest.h>

#include <string>

#include "core_test_util.h"

namespace ftprep {
namespace {

using ftprep::testing::ReadFile;
using ftprep::testing::TempDir;

// Keeps records with an even "n", changes those divisible by 3 (adds "x"), drops n % 5 == 0 and rejects
// records without "n"; Consume checks that records arrive in input order.
class TestStage : public Stage {
 public:
  void Process(Record& rec, Outcome* out, size_t worker) override {
    EXPECT_LT(worker, workers_);
    auto& d = rec.doc();
    if (!d.IsObject() || !d.HasMember("n") || !d["n"].IsInt()) return out->Reject("test.n", "no n", "n");
    int n = d["n"].GetInt();
    out->value[0] = n;
    if (n % 5 == 0) {
      out->verdict = Verdict::kDrop;
    } else if (n % 3 == 0) {
      d.AddMember("x", true, d.GetAllocator());
      rec.Touch();
      out->verdict = Verdict::kChange;
    }
  }
  Status Start(size_t workers) override {
    workers_ = workers;
    return Status::Ok();
  }
  Status Consume(Record& rec, Outcome& out) override {
    EXPECT_EQ(rec.index, seen_);
    ++seen_;
    sum_ += out.value[0];
    if (out.value[0] == stop_at_) return Status(Code::kIo, "stop");
    return Status::Ok();
  }
  size_t workers_ = 0;
  uint64_t seen_ = 0;
  int64_t sum_ = 0, stop_at_ = -1;
};

std::string Input() {
  std::string s;
  for (int i = 1; i <= 1000; ++i) {
    s += i % 97 == 0 ? "{\"m\":1}\n" : i % 89 == 0 ? "{bad\n" : "{\"n\":" + std::to_string(i) + "}\n";
  }
  return s;
}

TEST(Pipeline, SameResultForEveryNumberOfJobs) {
  TempDir t;
  std::string in = t.Write("in.jsonl", Input());
  std::string first_out, first_rejects;
  for (size_t jobs : {1, 2, 3, 7}) {
    CommonFlags f;
    f.inputs = {in};
    f.output = t.path("out" + std::to_string(jobs) + ".jsonl");
    f.rejects = t.path("rej" + std::to_string(jobs) + ".jsonl");
    f.progress = "never";
    Pipeline p(f, jobs);
    ASSERT_TRUE(p.OpenOutput().ok());
    TestStage stage;
    p.diag().set_quiet(true);
    ASSERT_TRUE(p.Run(&stage).ok());
    ASSERT_TRUE(p.Commit().ok());
    EXPECT_EQ(stage.workers_, jobs);
    EXPECT_EQ(p.records(), 1000u);
    EXPECT_EQ(p.rejected(), 10u + 11u);  // 10 without n, 11 that do not parse
    EXPECT_EQ(p.rejects_written(), 21u);
    EXPECT_EQ(p.diag().by_rule().at("test.n").count, 10u);
    std::string out = ReadFile(f.output), rejects = ReadFile(f.rejects);
    EXPECT_NE(out.find("{\"n\":3,\"x\":true}\n"), std::string::npos);
    EXPECT_EQ(out.find("{\"n\":5}"), std::string::npos);
    if (jobs == 1) {
      first_out = out;
      first_rejects = rejects;
    } else {
      EXPECT_EQ(out, first_out) << jobs << " jobs";
      EXPECT_EQ(rejects, first_rejects) << jobs << " jobs";
    }
  }
}

TEST(Pipeline, ConsumeErrorStopsTheRunAtThatRecord) {
  TempDir t;
  std::string in = t.Write("in.jsonl", Input());
  for (size_t jobs : {1, 3}) {
    CommonFlags f;
    f.inputs = {in};
    f.output = t.path("out.jsonl");
    f.progress = "never";
    Pipeline p(f, jobs);
    ASSERT_TRUE(p.OpenOutput().ok());
    TestStage stage;
    stage.stop_at_ = 500;
    Status s = p.Run(&stage);
    EXPECT_EQ(s.code(), Code::kIo);
    EXPECT_EQ(stage.seen_, 500u);
  }
}

TEST(Pipeline, CompressedOutputByExtension) {
  TempDir t;
  std::string in = t.Write("in.jsonl", Input());
  for (const char* name : {"out.jsonl.gz", "out.jsonl.zst", "out.jsonl"}) {
    CommonFlags f;
    f.inputs = {in};
    f.output = t.path(name);
    f.progress = "never";
    Pipeline p(f, 2);
    ASSERT_TRUE(p.OpenOutput().ok());
    TestStage stage;
    p.diag().set_quiet(true);
    ASSERT_TRUE(p.Run(&stage).ok());
    ASSERT_TRUE(p.Commit().ok());
  }
  // Reading back decompresses by magic bytes: all three hold the same records.
  std::string plain = ReadFile(t.path("out.jsonl"));
  for (const char* name : {"out.jsonl.gz", "out.jsonl.zst"}) {
    EXPECT_NE(ReadFile(t.path(name)), plain);
    auto r = OpenReader({t.path(name)}, {});
    ASSERT_TRUE(r.ok());
    Record rec;
    std::string back;
    while ((*r)->Next(&rec)) back += std::string(rec.raw()) + "\n";
    EXPECT_TRUE((*r)->status().ok());
    EXPECT_EQ(back, plain) << name;
  }
}

// Records made after the run (whole-file results) go through the same reporting, rejects and output.
TEST(Pipeline, EmitAfterRunWritesOrRejects) {
  TempDir t;
  std::string in = t.Write("in.jsonl", "{\"n\":1}\n");
  CommonFlags f;
  f.inputs = {in};
  f.output = t.path("out.jsonl");
  f.rejects = t.path("rej.jsonl");
  f.progress = "never";
  Pipeline p(f, 2);
  ASSERT_TRUE(p.OpenOutput().ok());
  p.diag().set_quiet(true);
  TestStage stage;
  ASSERT_TRUE(p.Run(&stage).ok());
  Record rec;
  Outcome out;
  rec.Assign("{\"made\":1}");
  ASSERT_TRUE(p.Emit(rec, out).ok());
  rec.Assign("{\"made\":2}");
  out.Reject("test.made", "cannot be written");
  ASSERT_TRUE(p.Emit(rec, out).ok());
  ASSERT_TRUE(p.Commit().ok());
  EXPECT_EQ(p.records(), 1u);  // only records read
  EXPECT_EQ(p.written(), 2u);
  EXPECT_EQ(p.rejected(), 1u);
  EXPECT_EQ(p.diag().by_rule().at("test.made").count, 1u);
  EXPECT_EQ(ReadFile(f.output), "{\"n\":1}\n{\"made\":1}\n");
  EXPECT_NE(ReadFile(f.rejects).find("made\\\":2"), std::string::npos) << ReadFile(f.rejects);
}

TEST(Pipeline, RefusesAnInputAsOutput) {
  TempDir t;
  std::string in = t.Write("in.jsonl", Input());
  CommonFlags f;
  f.inputs = {in};
  f.output = in;
  Pipeline p(f, 2);
  EXPECT_EQ(p.OpenOutput().code(), Code::kUsage);
  EXPECT_EQ(ReadFile(in), Input());
}

}  // namespace
}  // namespace ftprep
