// The dialect registry's text listing: a record in any dialect lists (core/schema ForEachText, what count,
// clean and price read) the same texts, trained the same way, as the record in the OpenAI form. Checked on
// each dialect's --help example and on every real record of ../shared/realdata ({chat,dpo,sharegpt,alpaca})
// and ../shared/suites/dialects without tool calls, written in every dialect that can hold it.
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "convert/dialect.h"
#include "format_test_util.h"
#include "schema.h"

namespace ftprep::convert {
namespace {

using namespace ftprep::testutil;  // NOLINT: test helpers
namespace fs = std::filesystem;

std::string Codec(const std::string& dialect, bool decode, const std::string& json) {
  auto c = DialectCodec::Open(dialect, decode);
  std::string out, err;
  if (!c.ok() || !(*c)->Convert(json, &out, &err)) return "";
  return out;
}

// The record's content texts, trained first, each sorted (the order of fields differs between dialects).
struct Texts {
  std::vector<std::string> trained, other;
  bool operator==(const Texts& o) const { return trained == o.trained && other == o.other; }
};
Texts Listed(const std::string& json, Shape* shape) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  *shape = DetectShape(d);
  Texts t;
  ForEachText(d, *shape, [&](TextRef& r) {
    // (an empty text, such as Alpaca's input "", counts nothing either way)
    if (r.kind == TextKind::kContent && !r.text.empty())
      (r.trained ? t.trained : t.other).emplace_back(r.text);
  });
  std::sort(t.trained.begin(), t.trained.end());
  std::sort(t.other.begin(), t.other.end());
  return t;
}

// No tool calls or tool messages: their texts are arguments in one dialect and content in another.
bool PlainText(const std::string& canonical) {
  return canonical.find("\"tool") == std::string::npos && canonical.find("\"function") == std::string::npos;
}

// "" when `rec` (in dialect `name`) lists the texts of `canonical`, else what differs (short).
std::string Differs(const std::string& name, const std::string& rec, const std::string& canonical) {
  const DialectInfo* info = FindDialectInfo(name);
  if (info == nullptr) return "no registry entry";
  Shape shape, canonical_shape;
  Texts got = Listed(rec, &shape), want = Listed(canonical, &canonical_shape);
  if (std::string(ShapeName(shape)) != info->shape) return std::string("shape ") + ShapeName(shape);
  if (got.trained != want.trained) {
    return "trained texts: " + std::to_string(got.trained.size()) + " vs " +
           std::to_string(want.trained.size());
  }
  if (got.other != want.other) {
    return "other texts: " + std::to_string(got.other.size()) + " vs " + std::to_string(want.other.size());
  }
  return "";
}

TEST(DialectTexts, HelpExamples) {
  for (const auto& d : BuiltinDialects()) {
    std::string canonical = Codec(d.name, true, d.example);
    ASSERT_FALSE(canonical.empty()) << d.name;
    EXPECT_EQ(Differs(d.name, d.example, canonical), "") << d.name << ": " << d.example;
  }
}

TEST(DialectTexts, RealRecordsInEveryDialect) {
  SKIP_WITHOUT_SHARED();
  std::map<std::string, int> checked;
  std::map<std::string, std::string> first_diff;  // dialect -> first difference (with its file)
  std::map<std::string, int> diffs;
  for (const fs::path& dir :
       {Shared() / "realdata" / "chat", Shared() / "realdata" / "dpo", Shared() / "realdata" / "sharegpt",
        Shared() / "realdata" / "alpaca", Shared() / "suites" / "dialects" / "files"}) {
    for (const auto& e : fs::directory_iterator(dir)) {
      std::string fmt = e.path().extension() == ".json" ? "json" : "jsonl";
      ReadResult r = ReadAll(fmt, Slurp(e.path()), {}, 1 << 16);
      for (const auto& row : r.rows) {
        if (!row.error.empty()) continue;
        std::string from = SniffDialect(row.json);
        if (from.empty()) continue;
        std::string canonical = Codec(from, true, row.json);
        if (canonical.empty() || !PlainText(canonical)) continue;
        const std::string kind = CanonicalKind(canonical);
        for (const auto& d : BuiltinDialects()) {
          if (kind != d.holds) continue;
          std::string rec = Codec(d.name, false, canonical);
          if (rec.empty()) continue;  // the dialect cannot hold it (rejected with a reason by convert)
          std::string why = Differs(d.name, rec, canonical);
          if (!why.empty() && diffs[d.name]++ == 0) {
            first_diff[d.name] = e.path().filename().string() + ": " + why + ": " + rec.substr(0, 160);
          }
          ++checked[d.name];
        }
      }
    }
  }
  for (const auto& d : BuiltinDialects()) {
    EXPECT_GT(checked[d.name], 0) << d.name;
    EXPECT_EQ(diffs[d.name], 0) << d.name << ": " << diffs[d.name] << " of " << checked[d.name]
                                << " records list other texts; first: " << first_diff[d.name];
  }
  EXPECT_GT(checked["sharegpt"], 700);
}

}  // namespace
}  // namespace ftprep::convert
