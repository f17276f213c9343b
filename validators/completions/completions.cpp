// validators/completions — legacy prompt/completion records ({"prompt": ..., "completion": ...}) and the
// checks of OpenAI's old `fine_tunes.prepare_data` (see shared/PREPARE-LEGACY.md): fields present (a
// case-variant such as "Prompt" is named and can be renamed by the fix), extra keys, empty completions, long
// examples, and, over the whole file, identical prompts/completions, missing prompt separator or completion
// ending, common prefixes, upper-case columns and leading spaces. Whole-file checks keep running prefixes and
// suffixes and a few counters, never the records; their prefix and suffix are prepare's (core/prepare/affix.h).
// With "legacy": true the rule set runs prepare's 15 checks instead, with their fixes (prepare_rules.h;
// "text_lines": each record's only key is a completion, as prepare reads a TXT file).
// Config: "max_chars", "extra_keys" (warn on other keys), "content_parts" (Together: `prompt` and `completion`
// may also be OpenAI-style lists of text and image_url parts, checked with the chat rules' image settings:
// "images", "image_data_only", "image_formats", "max_images", "max_image_bytes"; images only in the prompt).
#include <cctype>
#include <cstring>
#include <iterator>
#include <memory>
#include <unordered_set>

#include "../common/chat_checks.h"
#include "prepare/affix.h"
#include "ftprep/record.h"
#include "prepare_rules.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Quote;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"completions.field.missing", FTPREP_ERROR, FTPREP_FIX_NECESSARY, "`prompt` or `completion` is missing"},
    {"completions.field.type", FTPREP_ERROR, FTPREP_FIX_NONE, "`prompt` or `completion` is not a string"},
    {"completions.extra_key", FTPREP_WARNING, FTPREP_FIX_NECESSARY, "a key other than prompt/completion (dropped)"},
    {"completions.completion.empty", FTPREP_ERROR, FTPREP_FIX_NONE, "empty completion"},
    {"completions.example.long", FTPREP_WARNING, FTPREP_FIX_NONE, "prompt + completion over 10,000 characters"},
    {"completions.prompts.identical", FTPREP_ERROR, FTPREP_FIX_NONE, "every prompt is the same"},
    {"completions.completions.identical", FTPREP_ERROR, FTPREP_FIX_NONE, "every completion is the same"},
    {"completions.prompt.no_separator", FTPREP_WARNING, FTPREP_FIX_NONE, "prompts do not share a separator suffix"},
    {"completions.completion.no_ending", FTPREP_WARNING, FTPREP_FIX_NONE, "completions do not share an ending"},
    {"completions.prompt.common_prefix", FTPREP_INFO, FTPREP_FIX_NONE, "every prompt starts with the same text"},
    {"completions.completion.common_prefix", FTPREP_INFO, FTPREP_FIX_NONE, "every completion starts with the same text"},
    {"completions.uppercase", FTPREP_WARNING, FTPREP_FIX_NONE, "a column is mostly upper case"},
    {"completions.completion.leading_space", FTPREP_WARNING, FTPREP_FIX_NONE, "completions do not start with a space"},
};

struct Column {
  bool first = true, all_same = true;
  std::string first_value;
  ftprep::prepare::CommonPrefixOf prefix;  // the same prefix and separator as prepare finds
  ftprep::prepare::CommonSuffixOf suffix;
  uint64_t upper = 0, lower = 0, leading_space = 0, n = 0;
  void Add(std::string_view s) {
    ++n;
    if (!s.empty() && s[0] == ' ') ++leading_space;
    for (unsigned char c : s) {
      if (c >= 'A' && c <= 'Z') ++upper;
      if (c >= 'a' && c <= 'z') ++lower;
    }
    prefix.Add(s);
    suffix.Add(s);
    if (first) {
      first = false;
      first_value = std::string(s);
      return;
    }
    if (all_same && s != first_value) {
      all_same = false;
      first_value.clear();
      first_value.shrink_to_fit();
    }
  }
};

class Completions : public ftprep::plugin::DatasetRuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    max_chars_ = ftprep::rules::CfgInt(c, "max_chars", 10000);
    extra_keys_ = ftprep::rules::CfgBool(c, "extra_keys", true);
    parts_ = ftprep::rules::CfgBool(c, "content_parts", false);
    chat_.cfg.Configure(c);
    if (ftprep::rules::CfgBool(c, "legacy", false)) {
      prepare_ = std::make_unique<ftprep::completions::PrepareRules>(ftprep::rules::CfgBool(c, "text_lines", false));
    }
    return true;
  }

  // Worker side: per-record findings; the digest is the prompt and completion for the file-wide statistics.
  void Digest(const rapidjson::Value& rec, uint64_t, std::string* digest, ftprep::plugin::Emitter& out) override {
    if (prepare_) {  // legacy mode: the record itself, for the checks over the whole file
      *digest = ftprep::ToJson(rec);
      return;
    }
    const rapidjson::Value* p = Field(rec, "prompt", out);
    const rapidjson::Value* c = Field(rec, "completion", out);
    if (extra_keys_) {
      for (const auto& m : rec.GetObject()) {
        std::string_view k = Str(m.name);
        if (k != "prompt" && k != "completion" && !Lower(k, "prompt") && !Lower(k, "completion")) {
          out.Emit("completions.extra_key", FTPREP_WARNING, ftprep::rules::Key("", k),
                   "key " + Quote(k) + " is not used for training (prepare drops it)");
        }
      }
    }
    if (!p || !c) return;
    std::string pbuf, cbuf;
    std::string_view ps = Text(*p, "prompt", "user", &pbuf, out), cs = Text(*c, "completion", "assistant", &cbuf, out);
    if (cs.empty()) {
      out.Emit("completions.completion.empty", FTPREP_ERROR, "completion", "completion is empty");
      return;
    }
    size_t chars = ftprep::rules::CountChars(ps) + ftprep::rules::CountChars(cs);
    if (!ps.empty() && static_cast<int64_t>(chars) > max_chars_) {
      out.Emit("completions.example.long", FTPREP_WARNING, "",
               "prompt + completion have " + std::to_string(chars) + " characters (over " + std::to_string(max_chars_) + ")");
    }
    uint64_t plen = ps.size();
    digest->assign(reinterpret_cast<const char*>(&plen), sizeof(plen));
    digest->append(ps);
    digest->append(cs);
  }

  // Ordered side: common prefixes/endings, identical texts, upper case over the whole file.
  void Consume(std::string_view digest, uint64_t line, ftprep::plugin::Emitter&) override {
    if (prepare_) return prepare_->Consume(digest, line);
    uint64_t plen = 0;
    if (digest.size() < sizeof(plen)) return;
    std::memcpy(&plen, digest.data(), sizeof(plen));
    std::string_view ps = digest.substr(sizeof(plen), plen), cs = digest.substr(sizeof(plen) + plen);
    prompts_.Add(ps);
    completions_.Add(cs);
    distinct_.insert(ftprep::rules::Hash64(cs));
    if (!ps.empty()) any_prompt_ = true;
  }

  void Finish(ftprep::plugin::Emitter& out) override {
    if (prepare_) return prepare_->Finish(out);
    uint64_t n = prompts_.n;
    if (n < 2) return;
    bool open_ended = !any_prompt_;
    if (!open_ended) {
      if (prompts_.all_same) {
        out.Emit("completions.prompts.identical", FTPREP_ERROR, "prompt", "all " + std::to_string(n) + " prompts are identical");
      } else if (prompts_.suffix.Result().empty()) {
        out.Emit("completions.prompt.no_separator", FTPREP_WARNING, "prompt",
                 "prompts share no ending; add a separator such as \" ->\" or \"\\n\\n###\\n\\n\" so the model knows where the "
                 "completion starts");
      }
      std::string prefix = prompts_.prefix.Result();
      if (ftprep::rules::CountChars(prefix) > 12 && !prompts_.all_same) {
        out.Emit("completions.prompt.common_prefix", FTPREP_INFO, "prompt",
                 "every prompt starts with " + Quote(prefix) + "; it can be removed");
      }
    }
    std::string cprefix = completions_.prefix.Result();
    if (ftprep::rules::CountChars(cprefix) >= 5 && !completions_.all_same) {
      out.Emit("completions.completion.common_prefix", FTPREP_INFO, "completion",
               "every completion starts with " + Quote(cprefix) + "; it can be removed");
    }
    // Classification (few distinct answers) needs no ending; prepare_data only asked it of generation tasks.
    if (!open_ended && completions_.all_same) {
      out.Emit("completions.completions.identical", FTPREP_ERROR, "completion",
               "all " + std::to_string(n) + " completions are identical");
    } else if (!open_ended && completions_.suffix.Result().empty() && !ClassificationLike()) {
      out.Emit("completions.completion.no_ending", FTPREP_WARNING, "completion",
               "completions share no ending; add one such as \"\\n\" or \" END\" and use it as the stop sequence");
    }
    Upper(prompts_, "prompt", out);
    Upper(completions_, "completion", out);
    if (completions_.leading_space < n) {
      out.Emit("completions.completion.leading_space", FTPREP_WARNING, "completion",
               std::to_string(n - completions_.leading_space) + " of " + std::to_string(n) +
                   " completions do not start with a space (tokenizers split words with their leading space)");
    }
  }

  // Necessary fixes of prepare_data that act on one record. (Dropping rows and the file-wide optional fixes —
  // separators, endings, prefixes, case — need the whole file; `ftprep prepare` applies those.)
  bool Fixes(std::vector<ftprep::plugin::FixOffer>* out) override {
    if (prepare_) prepare_->Fixes(out);
    return prepare_ != nullptr;  // the default mode's fixes act on one record each: the host's plan does
  }

  bool Fix(rapidjson::Document& rec, std::string_view rule) override {
    if (prepare_) return prepare_->Fix(rec, rule);
    if (rule == "completions.extra_key") {
      bool changed = false;
      for (auto m = rec.MemberBegin(); m != rec.MemberEnd();) {
        std::string_view k = Str(m->name);
        if (k != "prompt" && k != "completion" && !Lower(k, "prompt") && !Lower(k, "completion")) {
          m = rec.EraseMember(m);  // keeps the order of the others
          changed = true;
        } else {
          ++m;
        }
      }
      return changed;
    }
    if (rule != "completions.field.missing") return false;
    bool changed = false;
    for (const char* want : {"prompt", "completion"}) {
      if (rec.HasMember(want)) continue;
      for (auto& m : rec.GetObject()) {
        if (Lower(Str(m.name), want)) {
          m.name.SetString(want, rec.GetAllocator());
          changed = true;
          break;
        }
      }
    }
    return changed;
  }

 private:
  static bool Lower(std::string_view k, std::string_view want) {
    if (k.size() != want.size() || k == want) return false;
    for (size_t i = 0; i < k.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(k[i])) != want[i]) return false;
    }
    return true;
  }

  const rapidjson::Value* Field(const rapidjson::Value& rec, const char* key, ftprep::plugin::Emitter& out) {
    const rapidjson::Value* v = Get(rec, key);
    if (v == nullptr) {
      std::string msg = std::string("record has no `") + key + "`";
      for (const auto& m : rec.GetObject()) {
        if (Lower(Str(m.name), key)) msg += "; rename " + Quote(Str(m.name)) + " to \"" + key + "\"";
      }
      out.Emit("completions.field.missing", FTPREP_ERROR, "", msg);
      return nullptr;
    }
    if (!v->IsString() && !(parts_ && v->IsArray())) {
      out.Emit("completions.field.type", FTPREP_ERROR, key,
               std::string("`") + key + "` must be a string" + (parts_ ? " or a list of content parts" : "") + ", not " +
                   ftprep::rules::TypeName(*v));
      return nullptr;
    }
    return v;
  }

  // The text of a field: the string itself, or (content_parts) its text parts joined, after checking the parts.
  std::string_view Text(const rapidjson::Value& v, const char* key, const char* role, std::string* buf,
                        ftprep::plugin::Emitter& out) {
    if (v.IsString()) return Str(v);
    int64_t images = 0;
    chat_.CheckParts(v, key, role, &images, out);
    if (images > chat_.cfg.max_images) {
      out.Emit("chat.image.count", FTPREP_ERROR, key,
               std::to_string(images) + " images in one example; the limit is " + std::to_string(chat_.cfg.max_images));
    }
    for (const auto& part : v.GetArray()) {
      const rapidjson::Value* t = Get(part, "text");
      if (t && t->IsString()) buf->append(Str(*t));
    }
    return *buf;
  }

  // prepare_data: classification when distinct completions are fewer than a third of the examples.
  bool ClassificationLike() const { return distinct_.size() * 3 < completions_.n; }

  static void Upper(const Column& c, const char* name, ftprep::plugin::Emitter& out) {
    if (c.upper > 0 && c.upper * 2 > c.lower) {
      out.Emit("completions.uppercase", FTPREP_WARNING, name,
               std::string("the ") + name + " column is mostly upper case (" + std::to_string(c.upper) + " upper, " +
                   std::to_string(c.lower) + " lower letters); lower-casing may help");
    }
  }

  int64_t max_chars_ = 10000;
  bool extra_keys_ = true, any_prompt_ = false, parts_ = false;
  ftprep::rules::ChatChecker chat_;
  std::unique_ptr<ftprep::completions::PrepareRules> prepare_;  // "legacy": prepare's checks instead
  Column prompts_, completions_;
  std::unordered_set<uint64_t> distinct_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  // The rules of both modes in one table.
  static const std::vector<ftprep_rule_info> table = [] {
    std::vector<ftprep_rule_info> t(std::begin(kRules), std::end(kRules));
    t.insert(t.end(), ftprep::completions::kPrepareRules,
             ftprep::completions::kPrepareRules + ftprep::completions::kPrepareRuleCount);
    return t;
  }();
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Completions>(table.data(), table.size());
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "completions", "1.0", &rules, "legacy prompt/completion records and the checks of prepare_data");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
