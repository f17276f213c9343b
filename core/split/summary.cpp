#include "split/summary.h"

#include "report.h"
#include "schema.h"

namespace ftprep::split {
namespace {
// Registered at start-up so `ftprep merge` can re-derive split reports without running split.
const bool kRegistered = (RegisterReportDeriver("split", &DeriveReport), true);
}  // namespace

const char* ModeName(Mode m) {
  switch (m) {
    case Mode::kRatio:
      return "ratio";
    case Mode::kCounts:
      return "counts";
    case Mode::kHoldout:
      return "holdout-legacy";
    case Mode::kNested:
      return "nested";
    case Mode::kSample:
      return "sample";
    case Mode::kSampleFraction:
      return "sample-fraction";
    case Mode::kShuffle:
      return "shuffle";
  }
  return "?";
}

rapidjson::Document BuildReport(const SplitOptions& o, const std::vector<std::string>& names,
                                const SplitStats& stats, const std::string& encoding) {
  (void)kRegistered;
  rapidjson::Document r(rapidjson::kObjectType);
  auto& a = r.GetAllocator();
  r.AddMember("tool", "split", a);
  r.AddMember("version", 1, a);
  r.AddMember("mode", rapidjson::Value(ModeName(o.mode), a), a);
  r.AddMember("seed", o.seed, a);
  r.AddMember("order", rapidjson::Value(o.keep_order ? "input" : "shuffled", a), a);
  rapidjson::Value key(rapidjson::kObjectType);
  if (!o.stratify.empty()) key.AddMember("stratify", rapidjson::Value(o.stratify, a), a);
  if (!o.group.empty()) key.AddMember("group", rapidjson::Value(o.group, a), a);
  if (!o.by_hash.empty()) key.AddMember("by_hash", rapidjson::Value(o.by_hash, a), a);
  r.AddMember("key", key, a);
  rapidjson::Value nm(rapidjson::kArrayType);
  for (const auto& n : names) nm.PushBack(rapidjson::Value(n, a), a);
  r.AddMember("names", nm, a);
  const bool tokens = !encoding.empty();
  r.AddMember("encoding", tokens ? rapidjson::Value(encoding, a) : rapidjson::Value(), a);
  rapidjson::Value c(rapidjson::kObjectType), sp(rapidjson::kObjectType);
  c.AddMember("records_in", stats.records_in, a);
  c.AddMember("rejected", stats.rejected, a);
  c.AddMember("records_kept", stats.records_in - stats.rejected, a);
  c.AddMember("dropped", stats.dropped, a);
  for (size_t i = 0; i < names.size() && i < stats.records.size(); ++i) {
    rapidjson::Value one(rapidjson::kObjectType);
    one.AddMember("records", stats.records[i], a);
    one.AddMember("bytes", stats.bytes[i], a);
    if (tokens) {
      one.AddMember("tokens", stats.tokens[i], a);
      one.AddMember("untokenized", stats.untokenized[i], a);
    }
    sp.AddMember(rapidjson::Value(names[i], a), one, a);
  }
  c.AddMember("splits", sp, a);
  // Records whose tokens could not be counted because some content cannot be read (also in "untokenized").
  if (stats.unreadable) c.AddMember(rapidjson::StringRef(kUnreadableRule), stats.unreadable, a);
  r.AddMember("counts", c, a);
  DeriveReport(r);
  return r;
}

void DeriveReport(rapidjson::Document& r) {
  auto& a = r.GetAllocator();
  rapidjson::Value derived(rapidjson::kObjectType), fractions(rapidjson::kObjectType);
  auto counts = r.FindMember("counts");
  if (counts != r.MemberEnd() && counts->value.IsObject()) {
    auto in = counts->value.FindMember("records_kept");
    auto splits = counts->value.FindMember("splits");
    double kept = (in != counts->value.MemberEnd() && in->value.IsNumber()) ? in->value.GetDouble() : 0;
    if (splits != counts->value.MemberEnd() && splits->value.IsObject()) {
      for (auto& m : splits->value.GetObject()) {
        if (!m.value.IsObject()) continue;
        auto rec = m.value.FindMember("records");
        double v = (rec != m.value.MemberEnd() && rec->value.IsNumber()) ? rec->value.GetDouble() : 0;
        fractions.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(kept > 0 ? v / kept : 0.0), a);
      }
    }
  }
  derived.AddMember("fraction_of_kept", fractions, a);
  r.RemoveMember("derived");
  r.AddMember("derived", derived, a);
}

}  // namespace ftprep::split
