// validators/record_format — which of a provider's record formats each line is, by its keys, and one format per
// file. Providers such as Together detect the format of every line from the keys it has (text; prompt +
// completion; messages; input + preferred_output + non_preferred_output), refuse a line that fits two formats
// or has a key outside its format, and refuse a file that mixes formats.
// Config: "formats": [{"name": "conversation", "keys": ["messages"], "extra": ["tools"]}, ...] — `keys` are all
// required for a line to be of that format, `extra` are the optional keys it may also have.
// A line that fits no format is left to the shape rules (profile.shape and the format's own rule set).
#include <string>
#include <vector>

#include "../common/rule_util.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Quote;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"record.format.ambiguous", FTPREP_ERROR, FTPREP_FIX_NONE, "a line has the keys of two record formats"},
    {"record.key.extra", FTPREP_ERROR, FTPREP_FIX_NONE, "a line has a key outside its record format"},
    {"dataset.format.mixed", FTPREP_ERROR, FTPREP_FIX_NONE, "lines of one file are in different record formats"},
};

struct Format {
  std::string name;
  std::vector<std::string> keys, extra;
};

class RecordFormat : public ftprep::plugin::DatasetRuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    const rapidjson::Value* list = Get(c, "formats");
    if (!list || !list->IsArray() || list->Empty()) return error_ = "record_format needs a non-empty \"formats\" list", false;
    for (const auto& f : list->GetArray()) {
      const rapidjson::Value* name = Get(f, "name");
      if (!name || !name->IsString()) return error_ = "every format needs a string \"name\"", false;
      Format fm{std::string(Str(*name)), ftprep::rules::CfgList(f, "keys", {}), ftprep::rules::CfgList(f, "extra", {})};
      if (fm.keys.empty()) return error_ = "format " + fm.name + " needs a non-empty \"keys\" list", false;
      formats_.push_back(std::move(fm));
    }
    return true;
  }

  // Worker side: the line's format (its index + 1 in the digest; empty when it fits none or two).
  void Digest(const rapidjson::Value& rec, uint64_t, std::string* digest, ftprep::plugin::Emitter& out) override {
    if (!rec.IsObject()) return;
    const Format* found = nullptr;
    for (const Format& f : formats_) {
      bool all = true;
      for (const auto& k : f.keys) all = all && Get(rec, k.c_str()) != nullptr;
      if (!all) continue;
      if (found != nullptr) {
        out.Emit("record.format.ambiguous", FTPREP_ERROR, "",
                 "the line has the keys of two formats, " + found->name + " (" + Keys(*found) + ") and " + f.name +
                     " (" + Keys(f) + "); keep the keys of one");
        return;
      }
      found = &f;
    }
    if (found == nullptr) return;
    for (const auto& m : rec.GetObject()) {
      std::string_view k = Str(m.name);
      if (!ftprep::rules::Contains(found->keys, k) && !ftprep::rules::Contains(found->extra, k)) {
        out.Emit("record.key.extra", FTPREP_ERROR, ftprep::rules::Key("", k),
                 "key " + Quote(k) + " is not part of the " + found->name + " format (" + Keys(*found) + ")");
      }
    }
    digest->push_back(static_cast<char>(found - formats_.data() + 1));
  }

  // Ordered side: the first line with a format sets the file's format.
  void Consume(std::string_view digest, uint64_t line, ftprep::plugin::Emitter& out) override {
    if (digest.empty()) return;
    size_t f = static_cast<unsigned char>(digest[0]) - 1;
    if (first_ == 0) {
      first_ = f + 1;
      first_line_ = line;
      return;
    }
    if (f + 1 != first_) {
      out.Emit("dataset.format.mixed", FTPREP_ERROR, "",
               "the line is in the " + formats_[f].name + " format, but line " + std::to_string(first_line_) +
                   " is in the " + formats_[first_ - 1].name + " format; one file holds one format");
    }
  }

 private:
  static std::string Keys(const Format& f) {
    std::string s;
    for (size_t i = 0; i < f.keys.size(); ++i) s += (i ? ", " : "") + f.keys[i];
    return s;
  }

  std::vector<Format> formats_;
  size_t first_ = 0;
  uint64_t first_line_ = 0;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules =
      ftprep::plugin::MakeRules<RecordFormat>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "record_format", "1.0", &rules, "record format of each line by its keys; one format per file");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
