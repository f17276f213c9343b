// clean_rules — the steps of `ftprep clean` as a rule plugin.
//
// Check reports, per record, every step that would change a text (warning, with the JSON path) or drop the
// record (error). Fix applies one text step in place. Configuration (profile JSON object, all optional):
//   {"unicode":"nfc|nfkc|none", "invisible":true, "mojibake":false, "ascii_quotes":false, "line_endings":true,
//    "whitespace":"trim|collapse|keep", "secrets":"off|redact|drop", "pii":"off|redact|drop",
//    "refusals":false, "min_chars":0, "max_chars":0, "truncate":false, "drop_empty":true, "dedup":false,
//    "near_dedup":false}
// `ftprep clean` uses the same library directly (no JSON round trip per record), so both always agree.
#include <string>

#include "clean/cleaner.h"
#include "ftprep/plugin.hpp"

namespace {

using ftprep::clean::Action;
using ftprep::clean::CleanOptions;

const ftprep_rule_info kRules[] = {
    {"clean.utf8", FTPREP_WARNING, FTPREP_FIX_NONE, "invalid UTF-8 bytes (clean repairs them to U+FFFD)"},
    {"clean.mojibake", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "UTF-8 read as cp1252 (\"â€™\"), repaired when it round-trips"},
    {"clean.invisible", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "zero-width/bidi controls, BOM, C0/C1 control characters"},
    {"clean.unicode", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "text not in Unicode NFC (or NFKC)"},
    {"clean.ascii_quotes", FTPREP_INFO, FTPREP_FIX_OPTIONAL, "curly quotes and primes"},
    {"clean.line_endings", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "CRLF, CR, U+2028/U+2029 line breaks"},
    {"clean.whitespace", FTPREP_INFO, FTPREP_FIX_OPTIONAL, "leading/trailing whitespace (collapse: runs, blank lines)"},
    {"clean.lowercase", FTPREP_INFO, FTPREP_FIX_OPTIONAL, "selected texts not lower case (prepare_data fix)"},
    {"clean.remove_prefix", FTPREP_INFO, FTPREP_FIX_OPTIONAL, "selected texts start with a prefix to remove (prepare_data fix)"},
    {"clean.add_prefix", FTPREP_INFO, FTPREP_FIX_OPTIONAL, "selected texts lack a prefix, e.g. completion ' ' (prepare_data fix)"},
    {"clean.add_suffix", FTPREP_INFO, FTPREP_FIX_OPTIONAL, "selected texts lack a separator/ending (prepare_data fix)"},
    {"clean.secret", FTPREP_ERROR, FTPREP_FIX_OPTIONAL, "API keys (OpenAI, AWS, GitHub, Slack, Google) or private key blocks"},
    {"clean.pii", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "emails, phone numbers, Luhn-valid card numbers, IP addresses"},
    {"clean.refusal", FTPREP_WARNING, FTPREP_FIX_NONE, "trained text with a refusal/AI-boilerplate phrase"},
    {"clean.length", FTPREP_WARNING, FTPREP_FIX_OPTIONAL, "text or example outside the length limits"},
    {"clean.empty", FTPREP_ERROR, FTPREP_FIX_NONE, "no trained text, or all trained texts empty"},
    {"clean.dedup.exact", FTPREP_WARNING, FTPREP_FIX_NONE, "exact duplicate (normalised) of an earlier record"},
    {"clean.dedup.near", FTPREP_WARNING, FTPREP_FIX_NONE, "near duplicate (MinHash, Jaccard >= 0.8) of an earlier record"},
};

class CleanRules : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    auto str = [&](const char* k, const char* def) -> std::string {
      return c.HasMember(k) && c[k].IsString() ? c[k].GetString() : def;
    };
    auto flag = [&](const char* k, bool def) { return c.HasMember(k) && c[k].IsBool() ? c[k].GetBool() : def; };
    auto num = [&](const char* k) -> uint64_t { return c.HasMember(k) && c[k].IsUint64() ? c[k].GetUint64() : 0; };
    auto action = [&](const char* k, Action* a) {
      std::string v = str(k, "off");
      if (v == "off") *a = Action::kOff;
      else if (v == "redact") *a = Action::kRedact;
      else if (v == "drop") *a = Action::kDrop;
      else return false;
      return true;
    };
    std::string u = str("unicode", "nfc");
    opts_.unicode = u == "nfkc" ? ftprep::clean::UnicodeForm::kNfkc
                    : u == "none" ? ftprep::clean::UnicodeForm::kNone : ftprep::clean::UnicodeForm::kNfc;
    opts_.strip_invisible = flag("invisible", true);
    opts_.fix_mojibake = flag("mojibake", false);
    opts_.ascii_quotes = flag("ascii_quotes", false);
    opts_.line_endings = flag("line_endings", true);
    std::string w = str("whitespace", "trim");
    opts_.whitespace = w == "collapse" ? ftprep::clean::WhitespaceMode::kCollapse
                       : w == "keep"   ? ftprep::clean::WhitespaceMode::kKeep : ftprep::clean::WhitespaceMode::kTrim;
    if (!action("secrets", &opts_.secrets) || !action("pii", &opts_.pii)) {
      error_ = "secrets/pii take off, redact or drop";
      return false;
    }
    opts_.refusals = flag("refusals", false);
    if (opts_.refusals) opts_.phrases = ftprep::clean::PhraseList::Default();
    opts_.min_chars = num("min_chars");
    opts_.max_chars = num("max_chars");
    opts_.truncate = flag("truncate", false);
    opts_.drop_empty = flag("drop_empty", true);
    opts_.dedup = flag("dedup", false);
    opts_.near_dedup = flag("near_dedup", false);
    opts_.examples = 0;
    cleaner_ = std::make_unique<ftprep::clean::Cleaner>(opts_);
    return true;
  }

  void Check(const rapidjson::Value& record, uint64_t line, ftprep::plugin::Emitter& out) override {
    if (!cleaner_) Configure(rapidjson::Value(rapidjson::kObjectType));
    rec_.Assign(ftprep::ToJson(record));
    rec_.loc.line = line;
    if (!rec_.parse_ok()) return;
    ftprep::clean::Decision d = cleaner_->Process(rec_);
    for (const auto& [rule, path] : d.changes) {
      out.Emit(rule.c_str(), FTPREP_WARNING, path, "clean would change this text (" + rule + ")");
    }
    if (d.drop) out.Emit(d.rule.c_str(), FTPREP_ERROR, d.path, d.message);
  }

  bool Fix(rapidjson::Document& record, std::string_view rule_id) override {
    CleanOptions one;
    if (!ftprep::clean::OnlyStep(opts_, rule_id, &one)) return false;
    ftprep::clean::Cleaner c(one);
    rec_.Assign(ftprep::ToJson(record));
    if (!rec_.parse_ok()) return false;
    ftprep::clean::Decision d = c.Process(rec_);
    if (!d.changed) return false;
    ftprep::ParseRecordJson(record, rec_.json().data(), rec_.json().size());
    return !record.HasParseError();
  }

 private:
  CleanOptions opts_;
  std::unique_ptr<ftprep::clean::Cleaner> cleaner_;
  ftprep::Record rec_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules =
      ftprep::plugin::MakeRules<CleanRules>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "clean_rules", "1.0", &rules, "the cleaning steps of `ftprep clean` (normalise, strip, redact, filter, dedup)");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
