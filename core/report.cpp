#include "report.h"

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

#include "ftprep/writer.h"

namespace ftprep {
namespace {

std::vector<std::pair<std::string, ReportDeriver>>& Derivers() {
  static std::vector<std::pair<std::string, ReportDeriver>> d;
  return d;
}

void AddNumbers(rapidjson::Value& into, const rapidjson::Value& from, rapidjson::Document::AllocatorType& a) {
  if (into.IsInt64() && from.IsInt64()) {
    into.SetInt64(into.GetInt64() + from.GetInt64());
  } else if (into.IsUint64() && from.IsUint64()) {
    into.SetUint64(into.GetUint64() + from.GetUint64());
  } else if (into.IsNumber() && from.IsNumber()) {
    into.SetDouble(into.GetDouble() + from.GetDouble());
  }
  (void)a;
}

// Sums objects of numbers (recursively for nested objects).
Status SumInto(rapidjson::Value& into, const rapidjson::Value& from, rapidjson::Document::AllocatorType& a,
               const std::string& where) {
  if (!into.IsObject() || !from.IsObject()) return DataError(where + " is not an object in every report");
  for (auto& m : from.GetObject()) {
    auto it = into.FindMember(m.name);
    if (it == into.MemberEnd()) {
      into.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
    } else if (it->value.IsObject()) {
      FTPREP_RETURN_IF_ERROR(SumInto(it->value, m.value, a, where + "." + m.name.GetString()));
    } else if (it->value.IsNumber() && m.value.IsNumber()) {
      AddNumbers(it->value, m.value, a);
    } else {
      return DataError(where + "." + m.name.GetString() + " cannot be summed");
    }
  }
  return Status::Ok();
}

void MinMaxInto(rapidjson::Value& into, const rapidjson::Value& from, rapidjson::Document::AllocatorType& a,
                bool is_min) {
  if (!into.IsObject() || !from.IsObject()) return;
  for (auto& m : from.GetObject()) {
    auto it = into.FindMember(m.name);
    if (it == into.MemberEnd()) {
      into.AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
    } else if (it->value.IsObject()) {
      MinMaxInto(it->value, m.value, a, is_min);
    } else if (it->value.IsNumber() && m.value.IsNumber()) {
      bool take = is_min ? m.value.GetDouble() < it->value.GetDouble() : m.value.GetDouble() > it->value.GetDouble();
      if (take) it->value.CopyFrom(m.value, a);
    } else if (it->value.IsNull()) {
      it->value.CopyFrom(m.value, a);
    }
  }
}

// Puts the buckets of every histogram with integer keys in numeric order, so a merged report lists them
// the way a single run does whatever order the shards met them in.
void SortHistograms(rapidjson::Value& hs, rapidjson::Document::AllocatorType& a) {
  if (!hs.IsObject()) return;
  for (auto& h : hs.GetObject()) {
    if (!h.value.IsObject()) continue;
    struct Bucket {
      long long first;
      rapidjson::Value* name;
      rapidjson::Value* value;
    };
    std::vector<Bucket> keyed;
    bool numeric = true;
    for (auto& b : h.value.GetObject()) {
      char* end = nullptr;
      const char* k = b.name.GetString();
      long long v = std::strtoll(k, &end, 10);
      if (end == k || *end != '\0') {
        numeric = false;
        break;
      }
      keyed.push_back({v, &b.name, &b.value});
    }
    if (!numeric || std::is_sorted(keyed.begin(), keyed.end(),
                                   [](const auto& x, const auto& y) { return x.first < y.first; })) {
      continue;
    }
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    rapidjson::Value sorted(rapidjson::kObjectType);
    for (auto& b : keyed) sorted.AddMember(rapidjson::Value(*b.name, a), rapidjson::Value(*b.value, a), a);
    h.value = sorted;
  }
}

// A run that lists only the first N findings of a rule says so in "findings_per_rule" ({rule: N, "*": N for
// any other rule}); the concatenation keeps the first N of each rule, as the unsplit run would have.
void CapFindings(rapidjson::Value& report, rapidjson::Document::AllocatorType& a) {
  auto caps = report.FindMember("findings_per_rule");
  auto fs = report.FindMember("findings");
  if (caps == report.MemberEnd() || !caps->value.IsObject() || fs == report.MemberEnd() ||
      !fs->value.IsArray()) {
    return;
  }
  auto cap_of = [&](const std::string& rule) -> uint64_t {
    for (const char* key : {rule.c_str(), "*"}) {  // the rule's own cap, else the one for any rule
      auto it = caps->value.FindMember(key);
      if (it != caps->value.MemberEnd() && it->value.IsUint64()) return it->value.GetUint64();
    }
    return UINT64_MAX;
  };
  std::map<std::string, uint64_t, std::less<>> seen;
  rapidjson::Value kept(rapidjson::kArrayType);
  for (auto& f : fs->value.GetArray()) {
    std::string rule;
    if (f.IsObject() && f.HasMember("rule") && f["rule"].IsString()) rule = f["rule"].GetString();
    if (++seen[rule] <= cap_of(rule)) kept.PushBack(rapidjson::Value(f, a), a);
  }
  fs->value = kept;
}

}  // namespace

void RegisterReportDeriver(const char* tool, ReportDeriver fn) { Derivers().push_back({tool, fn}); }

ReportDeriver FindReportDeriver(std::string_view tool) {
  for (const auto& [name, fn] : Derivers()) {
    if (name == tool) return fn;
  }
  return nullptr;
}

Status MergeReports(const std::vector<const rapidjson::Value*>& reports, rapidjson::Document* out) {
  if (reports.empty()) return UsageError("no reports to merge");
  auto& a = out->GetAllocator();
  out->SetObject();
  std::string tool;
  for (size_t r = 0; r < reports.size(); ++r) {
    const rapidjson::Value& rep = *reports[r];
    std::string where = "report " + std::to_string(r + 1);
    if (!rep.IsObject() || !rep.HasMember("tool") || !rep["tool"].IsString()) {
      return DataError(where + " is not an ftprep report (no \"tool\")");
    }
    if (r == 0) tool = rep["tool"].GetString();
    if (tool != rep["tool"].GetString()) {
      return DataError(where + " is from '" + rep["tool"].GetString() + "', not '" + tool + "'");
    }
    for (auto& m : rep.GetObject()) {
      std::string key = m.name.GetString();
      if (key == "derived") continue;
      auto it = out->FindMember(m.name);
      if (it == out->MemberEnd()) {
        out->AddMember(rapidjson::Value(m.name, a), rapidjson::Value(m.value, a), a);
        continue;
      }
      if (key == "counts" || key == "histograms") {
        FTPREP_RETURN_IF_ERROR(SumInto(it->value, m.value, a, key));
      } else if (key == "min" || key == "max") {
        MinMaxInto(it->value, m.value, a, key == "min");
      } else if (key == "findings" || key == "inputs") {
        if (!it->value.IsArray() || !m.value.IsArray()) return DataError(key + " is not an array in " + where);
        for (auto& f : m.value.GetArray()) it->value.PushBack(rapidjson::Value(f, a), a);
      } else if (it->value != m.value) {
        return DataError("field \"" + key + "\" differs between shards (" + where +
                         "); were they made with the same options?");
      }
    }
  }
  if (out->HasMember("histograms")) SortHistograms((*out)["histograms"], a);
  CapFindings(*out, a);
  if (ReportDeriver d = FindReportDeriver(tool)) d(*out);
  return Status::Ok();
}

double HistogramPercentile(const rapidjson::Value& h, double p) {
  if (!h.IsObject()) return 0;
  std::vector<std::pair<long long, unsigned long long>> buckets;
  unsigned long long total = 0;
  for (auto& m : h.GetObject()) {
    long long k = std::atoll(m.name.GetString());
    unsigned long long c = m.value.IsUint64() ? m.value.GetUint64() : 0;
    buckets.push_back({k, c});
    total += c;
  }
  if (total == 0) return 0;
  std::sort(buckets.begin(), buckets.end());
  unsigned long long rank = static_cast<unsigned long long>(std::ceil(p / 100.0 * static_cast<double>(total)));
  if (rank < 1) rank = 1;
  unsigned long long seen = 0;
  for (const auto& [k, c] : buckets) {
    seen += c;
    if (seen >= rank) return static_cast<double>(k);
  }
  return static_cast<double>(buckets.back().first);
}

Status WriteReport(const rapidjson::Value& report, const std::string& path, const OutputOptions& opts) {
  rapidjson::StringBuffer sb;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(sb);
  w.SetIndent(' ', 2);
  report.Accept(w);
  auto out = Output::Open(path, opts);
  if (!out.ok()) return out.status();
  FTPREP_RETURN_IF_ERROR((*out)->Write(std::string_view(sb.GetString(), sb.GetSize())));
  FTPREP_RETURN_IF_ERROR((*out)->Write("\n"));
  return (*out)->Commit();
}

}  // namespace ftprep
