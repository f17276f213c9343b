#include "clean/cleaner.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "ftprep/tokenizer.h"
#include "report.h"
#include "schema.h"
#include "utf8.h"

namespace ftprep::clean {

namespace {

using rapidjson::Value;


size_t FirstDiff(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size()), i = 0;
  while (i < n && a[i] == b[i]) ++i;
  // Back to the start of the character.
  while (i > 0 && i < a.size() && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;
  return i;
}

}  // namespace

const std::vector<std::string>& StepIds() {
  static const std::vector<std::string> kIds = {
      "clean.utf8",          "clean.mojibake",     "clean.invisible",     "clean.unicode",
      "clean.ascii_quotes",  "clean.line_endings", "clean.whitespace",    "clean.lowercase",
      "clean.remove_prefix", "clean.add_prefix",   "clean.add_suffix",    "clean.secret",
      "clean.pii",           "clean.refusal",      "clean.length",        "clean.empty",
      "clean.dedup.exact",   "clean.dedup.near"};
  return kIds;
}

bool OnlyStep(const CleanOptions& base, std::string_view rule, CleanOptions* out) {
  CleanOptions o;
  o.fix_mojibake = false;
  o.strip_invisible = false;
  o.unicode = UnicodeForm::kNone;
  o.line_endings = false;
  o.whitespace = WhitespaceMode::kKeep;
  o.drop_empty = false;
  o.fields = base.fields;
  o.field_names = base.field_names;
  o.pii_kinds = base.pii_kinds;
  if (rule == "clean.mojibake") o.fix_mojibake = true;
  else if (rule == "clean.invisible") o.strip_invisible = true;
  else if (rule == "clean.unicode") o.unicode = base.unicode == UnicodeForm::kNone ? UnicodeForm::kNfc : base.unicode;
  else if (rule == "clean.ascii_quotes") o.ascii_quotes = true;
  else if (rule == "clean.line_endings") o.line_endings = true;
  else if (rule == "clean.whitespace") o.whitespace = base.whitespace == WhitespaceMode::kKeep ? WhitespaceMode::kTrim : base.whitespace;
  else if (rule == "clean.lowercase") o.lowercase = base.lowercase;
  else if (rule == "clean.remove_prefix") o.remove_prefix = base.remove_prefix;
  else if (rule == "clean.add_prefix") o.add_prefix = base.add_prefix;
  else if (rule == "clean.add_suffix") o.add_suffix = base.add_suffix;
  else if (rule == "clean.secret") o.secrets = Action::kRedact;
  else if (rule == "clean.pii") o.pii = Action::kRedact;
  else if (rule == "clean.length" && base.truncate) {
    o.max_chars = base.max_chars;
    o.max_tokens = base.max_tokens;
    o.truncate = true;
    o.length_per_field = base.length_per_field;
    o.encoding = base.encoding;
  } else {
    return false;
  }
  *out = std::move(o);
  return true;
}

std::string ShowText(std::string_view text, size_t at, size_t max_chars) {
  size_t begin = at > 30 ? at - 30 : 0;
  while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) --begin;
  std::string out;
  if (begin > 0) out += "…";
  size_t i = begin, chars = 0;
  while (i < text.size() && chars < max_chars) {
    size_t j = i;
    uint32_t c = DecodeAt(text, &j);
    bool visible = c != 0xFFFFFFFFu && !(c < 0x20) && c != 0x7F && !(c >= 0x80 && c <= 0x9F) && c != 0xAD &&
                   !(c >= 0x200B && c <= 0x200F) && !(c >= 0x202A && c <= 0x202E) &&
                   !(c >= 0x2060 && c <= 0x2069) && c != 0xFEFF && c != 0x061C && c != 0x180E &&
                   !(c >= 0xFFF9 && c <= 0xFFFB) && c != 0x2028 && c != 0x2029;
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\r') {
      out += "\\r";
    } else if (!visible) {
      char buf[16];
      std::snprintf(buf, sizeof(buf), "\\u{%X}", c == 0xFFFFFFFFu ? static_cast<unsigned char>(text[i]) : c);
      out += buf;
    } else {
      out.append(text.substr(i, j - i));
    }
    ++chars;
    i = j;
  }
  if (i < text.size()) out += "…";
  return out;
}

void Decision::Reset() {
  drop = changed = unreadable = false;
  rule.clear();
  message.clear();
  path.clear();
  changes.clear();
  touched.clear();
  examples.clear();
  keyed = has_signature = false;
  key_hash = 0;
}

namespace {
size_t StepIndex(std::string_view rule) {
  const auto& ids = StepIds();
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] == rule) return i;
  }
  return ids.size();
}
}  // namespace

Cleaner::Cleaner(CleanOptions opts)
    : opts_(std::move(opts)),
      example_counts_(new std::atomic<size_t>[StepIds().size() + 1]),
      near_(opts_.near),
      scratch_(NewScratch()) {
  for (size_t i = 0; i <= StepIds().size(); ++i) example_counts_[i].store(0);
  findings_.SetArray();
}

Cleaner::~Cleaner() = default;

std::unique_ptr<Cleaner::Scratch> Cleaner::NewScratch() const { return std::make_unique<Scratch>(); }

Status Cleaner::Init() {
  if (opts_.min_tokens || opts_.max_tokens) {
    auto tok = Tokenizer::Get(opts_.encoding);
    if (!tok.ok()) {
      // A model name works too ("gpt-4.1-mini" -> o200k_base).
      auto enc = Tokenizer::EncodingForModel(opts_.encoding);
      if (!enc.ok()) return UsageError("--encoding: " + tok.status().message());
      tok = Tokenizer::Get(*enc);
      if (!tok.ok()) return tok.status();
    }
    tokenizer_ = *tok;
  }
  return Status::Ok();
}

long long Cleaner::Tokens(std::string_view text) const {
  if (tokenizer_ == nullptr) return -1;
  auto n = tokenizer_->Count(text);
  return n.ok() ? static_cast<long long>(*n) : -1;
}

uint64_t Cleaner::Length(std::string_view text) const {
  if (opts_.min_tokens || opts_.max_tokens) {
    long long n = Tokens(text);
    return n < 0 ? 0 : static_cast<uint64_t>(n);
  }
  return CountChars(text);
}

size_t Cleaner::TruncateTokens(std::string_view text, uint64_t max) const {
  // The first `max` tokens decode to a prefix of the text; drop tokens while that prefix would end inside a
  // UTF-8 sequence (a token may hold part of a character).
  std::vector<uint32_t> ids;
  if (tokenizer_ == nullptr || !tokenizer_->Encode(text, SpecialMode::kOrdinary, &ids).ok()) return text.size();
  if (ids.size() <= max) return text.size();
  size_t n = static_cast<size_t>(max);
  while (n > 0) {
    std::string prefix = tokenizer_->Decode(ids.data(), n);
    // Also never between a base and its combining marks or inside an emoji ZWJ sequence.
    if (IsValidUtf8(prefix) && std::string_view(text).starts_with(prefix) &&
        TruncateCharsAt(text, CountChars(prefix)) == prefix.size()) {
      return prefix.size();
    }
    --n;
  }
  return 0;
}

bool Cleaner::Selected(const std::string& sel, const Field& f) const { return sel == f.role || sel == f.path; }

bool Cleaner::Selected(const std::vector<std::string>& sels, const Field& f) const {
  for (const auto& s : sels) {
    if (Selected(s, f)) return true;
  }
  return false;
}

bool Cleaner::FiltersReadTexts() const {
  return opts_.min_chars || opts_.max_chars || opts_.min_tokens || opts_.max_tokens || opts_.refusals ||
         ((opts_.dedup || opts_.near_dedup) && opts_.dedup_key.empty());
}

void Cleaner::Collect(Record& rec, std::vector<Field>* fields, Unreadable* unreadable) const {
  fields->clear();
  *unreadable = Unreadable{};
  if (!opts_.fields.empty()) {
    for (size_t k = 0; k < opts_.fields.size(); ++k) {
      Value* v = GetPathMutable(rec.doc(), opts_.fields[k]);
      if (v && v->IsString()) fields->push_back({v, opts_.field_names[k], "", true, true, false});
    }
    return;
  }
  const Shape shape = DetectShape(rec.doc());
  const bool turns = shape == Shape::kChat || shape == Shape::kPreference || shape == Shape::kShareGpt ||
                     shape == Shape::kGemini || shape == Shape::kBedrockConverse;
  ForEachText(rec.doc(), shape, [&](TextRef& t) {
    if (t.kind == TextKind::kUnreadable && !unreadable->any) {
      unreadable->any = true;
      unreadable->path = t.path;
      unreadable->what = std::string(t.text);
    }
    if (t.value == nullptr) return;
    if (t.kind == TextKind::kContent || t.kind == TextKind::kToolArguments) {
      fields->push_back({t.value, t.path, std::string(t.role), t.trained, t.kind == TextKind::kContent, turns});
    }
  });
}

// On the worker: keeps what an example needs only while the step still wants examples (the count read here
// may be stale, but only ever too low, so Commit never misses an example the serial order would have kept).
void Cleaner::Capture(const char* rule, const std::string& path, const char* action, std::string_view before,
                      std::string_view after, const std::string& message, Decision* d) const {
  if (example_counts_[StepIndex(rule)].load(std::memory_order_relaxed) >= opts_.examples) return;
  StepExample& e = d->examples.emplace_back();
  e.rule = rule;
  e.action = action;
  e.path = path;
  e.message = message;
  if (!before.empty() || !after.empty()) {
    size_t at = FirstDiff(before, after);
    e.texts = true;
    e.before = ShowText(before, at);
    if (std::string_view(action) == "changed") e.after = ShowText(after, at);
  }
}

// In input order: the first `examples` per step become findings.
void Cleaner::AddExample(const Location& loc, const StepExample& e) {
  std::atomic<size_t>& n = example_counts_[StepIndex(e.rule)];
  if (n.load() >= opts_.examples) return;
  n.store(n.load() + 1);
  auto& a = findings_.GetAllocator();
  Value f(rapidjson::kObjectType);
  f.AddMember("file", Value(loc.file.c_str(), a), a);
  f.AddMember("line", Value(static_cast<uint64_t>(loc.line)), a);
  f.AddMember("rule", Value(e.rule, a), a);
  f.AddMember("action", Value(e.action, a), a);
  if (!e.path.empty()) f.AddMember("path", Value(e.path.c_str(), a), a);
  if (!e.message.empty()) f.AddMember("message", Value(e.message.c_str(), a), a);
  if (e.texts) {
    f.AddMember("before", Value(e.before.c_str(), a), a);
    if (std::string_view(e.action) == "changed") f.AddMember("after", Value(e.after.c_str(), a), a);
  }
  findings_.PushBack(f, a);
}

void Cleaner::Changed(const char* rule, const Field& f, std::string_view before, std::string_view after,
                      Decision* d) const {
  d->changes.push_back({rule, f.path});
  for (const char* t : d->touched) {
    if (t == rule || std::strcmp(t, rule) == 0) return;
  }
  d->touched.push_back(rule);
  Capture(rule, f.path, "changed", before, after, "", d);
}

bool Cleaner::Drop(const char* rule, std::string message, const std::string& path, std::string_view text,
                   Decision* d) const {
  d->drop = true;
  d->rule = rule;
  d->message = std::move(message);
  d->path = path;
  Capture(rule, path, "dropped", text, {}, d->message, d);
  return true;
}

void Cleaner::CountUtf8Repair(const Location& loc, std::string_view before, std::string_view after) {
  auto& c = counts_["clean.utf8"];
  ++c.changed;
  ++c.fields;
  StepExample e;
  e.rule = "clean.utf8";
  e.action = "changed";
  e.message = "invalid UTF-8 bytes replaced by U+FFFD";
  size_t at = FirstDiff(before, after);
  e.texts = true;
  e.before = ShowText(before, at);
  e.after = ShowText(after, at);
  AddExample(loc, e);
}

// The normalising steps of one content text, s->cur in place (s->out is the spare buffer).
void Cleaner::NormaliseText(const Field& f, Decision* d, Scratch* s, bool* changed) const {
  std::string& cur = s->cur;
  std::string& out = s->out;
  auto apply = [&](const char* rule, bool did, unsigned bit = 0) {
    if (!did) return false;
    if (bit == 0 || !(s->counted & bit)) {
      Changed(rule, f, cur, out, d);
      s->counted |= bit;
    }
    cur.swap(out);
    *changed = true;
    return true;
  };
  if (opts_.fix_mojibake) apply("clean.mojibake", FixMojibake(cur, &out));
  // Each of these can create work for another (removing a ZWSP lets NFC compose; NFKC or ASCII quotes
  // can leave a joiner between ASCII): repeat until stable so that cleaning clean text changes nothing.
  for (int round = 0; round < 4; ++round) {
    bool any = false;
    if (opts_.strip_invisible) any |= apply("clean.invisible", StripInvisible(cur, &out), 1);
    if (opts_.unicode != UnicodeForm::kNone) any |= apply("clean.unicode", NormalizeUnicode(cur, opts_.unicode, &out), 2);
    if (opts_.ascii_quotes) any |= apply("clean.ascii_quotes", AsciiQuotes(cur, &out), 4);
    if (!any) break;
  }
  if (opts_.line_endings) apply("clean.line_endings", NormalizeLineEndings(cur, &out));
  if (WhitespaceFor(f) != WhitespaceMode::kKeep) apply("clean.whitespace", NormalizeWhitespace(cur, WhitespaceFor(f), &out));
  if (!opts_.lowercase.empty() && Selected(opts_.lowercase, f)) apply("clean.lowercase", Lowercase(cur, &out));
  for (const auto& [sel, text] : opts_.remove_prefix) {
    if (Selected(sel, f) && !text.empty() && std::string_view(cur).starts_with(text)) {
      out = cur.substr(text.size());
      apply("clean.remove_prefix", true);
    }
  }
}

// The legacy prefix/suffix fixes around the normalising steps. A prefix/suffix the text already has (prompt
// separator, " END", leading space) is set aside while the other steps run, so trimming or lower-casing
// cannot damage it and a fixed file stays fixed.
void Cleaner::PrefixSteps(const Field& f, Decision* d, Scratch* s, bool* changed) const {
  std::string& cur = s->cur;
  std::string& kept_prefix = s->kept_prefix;
  std::string& kept_suffix = s->kept_suffix;
  kept_prefix.clear();
  kept_suffix.clear();
  for (const auto& [sel, text] : opts_.add_prefix) {
    if (kept_prefix.empty() && !text.empty() && Selected(sel, f) && std::string_view(cur).starts_with(text)) {
      kept_prefix = text;
      cur.erase(0, text.size());
    }
  }
  for (const auto& [sel, text] : opts_.add_suffix) {
    if (kept_suffix.empty() && !text.empty() && Selected(sel, f) && std::string_view(cur).ends_with(text)) {
      kept_suffix = text;
      cur.resize(cur.size() - text.size());
    }
  }
  NormaliseText(f, d, s, changed);
  auto add = [&](const char* rule, const std::string& text, bool prefix) {
    s->out = prefix ? text + cur : cur + text;
    Changed(rule, f, cur, s->out, d);
    cur.swap(s->out);
    *changed = true;
  };
  if (!kept_prefix.empty()) {
    cur.insert(0, kept_prefix);
  } else {
    for (const auto& [sel, text] : opts_.add_prefix) {
      if (Selected(sel, f) && !text.empty() && !std::string_view(cur).starts_with(text)) {
        add("clean.add_prefix", text, true);
        break;
      }
    }
  }
  if (!kept_suffix.empty()) {
    cur.append(kept_suffix);
  } else {
    for (const auto& [sel, text] : opts_.add_suffix) {
      if (Selected(sel, f) && !text.empty() && !std::string_view(cur).ends_with(text)) {
        add("clean.add_suffix", text, false);
        break;
      }
    }
  }
}

struct Cleaner::Pending {
  const char* rule = nullptr;
  std::string message, path;
};

// Secrets and personal data: redacted in s->cur. Returns true when the record is to be dropped for them (it
// is still redacted in full: it goes to --rejects, which must not spread them).
bool Cleaner::Redact(const Field& f, Decision* d, Scratch* s, Pending* pending, bool* changed) const {
  std::vector<Span> spans;
  if (opts_.secrets != Action::kOff) FindSecrets(s->cur, &spans);
  if (opts_.pii != Action::kOff) FindPii(s->cur, opts_.pii_kinds, &spans);
  if (spans.empty()) return false;
  const Span* first_secret = nullptr;
  const Span* first_pii = nullptr;
  for (const auto& sp : spans) {
    if (sp.kind == SpanKind::kSecret) {
      if (!first_secret) first_secret = &sp;
    } else if (!first_pii) {
      first_pii = &sp;
    }
  }
  if (pending->rule == nullptr && first_secret && opts_.secrets == Action::kDrop) {
    *pending = {"clean.secret", std::string("contains a secret (") + first_secret->what + ")", f.path};
  }
  if (pending->rule == nullptr && first_pii && opts_.pii == Action::kDrop) {
    *pending = {"clean.pii", std::string("contains personal data (") + first_pii->what + ")", f.path};
  }
  s->out = ftprep::clean::Redact(s->cur, spans);
  *changed = true;
  if (pending->rule != nullptr) {
    s->cur.swap(s->out);
    return true;
  }
  if (first_secret) Changed("clean.secret", f, s->cur, s->out, d);
  if (first_pii) Changed("clean.pii", f, s->cur, s->out, d);
  s->cur.swap(s->out);
  return false;
}

// The text steps of one field; the field's value is replaced when a step changed it.
bool Cleaner::CleanField(Field& f, Decision* d, Scratch* s, Pending* pending) const {
  s->cur.assign(f.value->GetString(), f.value->GetStringLength());
  s->counted = 0;
  bool changed = false;
  if (f.content) PrefixSteps(f, d, s, &changed);
  bool dropping = false;
  if (opts_.secrets != Action::kOff || opts_.pii != Action::kOff) dropping = Redact(f, d, s, pending, &changed);
  return changed || dropping;
}

bool Cleaner::LengthFilter(Record& rec, std::vector<Field>& fields, Decision* d) const {
  const bool tokens = opts_.min_tokens || opts_.max_tokens;
  const uint64_t min_len = tokens ? opts_.min_tokens : opts_.min_chars;
  const uint64_t max_len = tokens ? opts_.max_tokens : opts_.max_chars;
  const char* unit = tokens ? " tokens" : " chars";
  if (!min_len && !max_len) return false;
  auto truncate_field = [&](Field& f, uint64_t limit) {
    std::string_view text(f.value->GetString(), f.value->GetStringLength());
    size_t cut = tokens ? TruncateTokens(text, limit) : TruncateCharsAt(text, limit);
    // The cut may leave a dangling space; trimming already ran, so honour it here too.
    while (WhitespaceFor(f) != WhitespaceMode::kKeep && cut > 0 &&
           (text[cut - 1] == ' ' || text[cut - 1] == '\n' || text[cut - 1] == '\t')) {
      --cut;
    }
    std::string before(text);
    f.value->SetString(before.data(), static_cast<rapidjson::SizeType>(cut), rec.allocator());
    Changed("clean.length", f, before, before.substr(0, cut), d);
    d->changed = true;
    rec.Touch();
  };
  if (opts_.length_per_field) {
    for (Field& f : fields) {
      if (!f.content) continue;
      std::string_view text(f.value->GetString(), f.value->GetStringLength());
      uint64_t n = Length(text);
      if (max_len && n > max_len) {
        if (!opts_.truncate) {
          return Drop("clean.length", std::to_string(n) + unit + " > max " + std::to_string(max_len), f.path, text, d);
        }
        truncate_field(f, max_len);
      } else if (min_len && n < min_len) {
        return Drop("clean.length", std::to_string(n) + unit + " < min " + std::to_string(min_len), f.path, text, d);
      }
    }
    return false;
  }
  uint64_t total = 0, last_len = 0;
  Field* last = nullptr;
  for (Field& f : fields) {
    if (!f.content) continue;
    last_len = Length(std::string_view(f.value->GetString(), f.value->GetStringLength()));
    total += last_len;
    last = &f;
  }
  if (max_len && total > max_len) {
    uint64_t others = total - last_len;
    if (!opts_.truncate || last == nullptr || others >= max_len) {
      return Drop("clean.length", "example has " + std::to_string(total) + unit + " > max " + std::to_string(max_len),
                  "", {}, d);
    }
    truncate_field(*last, max_len - others);
  } else if (min_len && total < min_len) {
    return Drop("clean.length", "example has " + std::to_string(total) + unit + " < min " + std::to_string(min_len),
                "", {}, d);
  }
  return false;
}

// The record filters in order; true when the record is dropped or cannot be read.
bool Cleaner::Filters(Record& rec, std::vector<Field>& fields, const Unreadable& unreadable, Decision* d) const {
  // Same rule and message as count and price: a text that cannot be read is never measured as nothing.
  auto cannot_read = [&] {
    d->unreadable = true;
    d->rule = kUnreadableRule;
    d->message = UnreadableMessage(unreadable.what);
    d->path = unreadable.path;
    return true;
  };
  if (unreadable.any && FiltersReadTexts()) return cannot_read();
  if (opts_.refusals) {
    for (const Field& f : fields) {
      if (!f.trained || !f.content) continue;
      std::string_view text(f.value->GetString(), f.value->GetStringLength());
      std::string_view hit = opts_.phrases.Find(text);
      if (!hit.empty()) return Drop("clean.refusal", "refusal/boilerplate phrase \"" + std::string(hit) + "\"", f.path, text, d);
    }
  }
  if (LengthFilter(rec, fields, d)) return true;
  if (opts_.drop_empty && opts_.fields.empty()) {
    bool any_content = false, any_trained = false, trained_text = false;
    for (const Field& f : fields) {
      if (!f.content) continue;
      any_content = true;
      if (!f.trained) continue;
      any_trained = true;
      if (!IsBlank(std::string_view(f.value->GetString(), f.value->GetStringLength()))) trained_text = true;
    }
    // Tool-call turns train on their arguments even with empty content.
    bool tool_args = std::any_of(fields.begin(), fields.end(), [](const Field& f) { return !f.content && f.trained; });
    if (any_content && !trained_text && !tool_args) {
      if (unreadable.any) return cannot_read();  // the trained text may be the part that cannot be read
      return Drop("clean.empty", any_trained ? "every trained text (assistant/completion) is empty"
                                             : "no trained text (no assistant turn or completion)",
                  "", {}, d);
    }
  }
  return false;
}

// The dedup key (hashed) and near-dedup signature, computed with the record; looked up in input order.
void Cleaner::DedupKey(Record& rec, const std::vector<Field>& fields, Decision* d, Scratch* s) const {
  std::string& key = s->key;
  std::string& near_text = s->near_text;
  key.clear();
  near_text.clear();
  if (!opts_.dedup_key.empty()) {
    for (const auto& p : opts_.dedup_key) {
      const Value* v = GetPath(rec.doc(), p);
      if (v == nullptr) {
        key.push_back('\x1d');
      } else {
        std::string t = KeyText(v);
        AppendDedupKey(t, &key);
        if (opts_.near_dedup) near_text.append(t).push_back('\n');
      }
      key.push_back('\x1e');
    }
  } else if (!fields.empty()) {
    for (const Field& f : fields) {
      std::string_view t(f.value->GetString(), f.value->GetStringLength());
      key.append(f.role).push_back('\x1f');
      AppendDedupKey(t, &key);
      key.push_back('\x1e');
      if (opts_.near_dedup && f.content) near_text.append(t).push_back('\n');
    }
  } else {
    std::string_view j = rec.json();
    AppendDedupKey(j, &key);
    if (opts_.near_dedup) near_text.assign(j);
  }
  if (opts_.dedup) {
    d->keyed = true;
    d->key_hash = Hash64(key, 0x636C65616E);
  }
  if (opts_.near_dedup) d->has_signature = near_.Sign(near_text, &d->signature);
}

void Cleaner::Prepare(Record& rec, Decision* d, Scratch* s) const {
  d->Reset();
  std::vector<Field>& fields = s->fields;
  Unreadable unreadable;
  Collect(rec, &fields, &unreadable);
  Pending pending;
  for (Field& f : fields) {
    if (!CleanField(f, d, s, &pending)) continue;
    f.value->SetString(s->cur.data(), static_cast<rapidjson::SizeType>(s->cur.size()), rec.allocator());
    d->changed = true;
  }
  if (d->changed) rec.Touch();
  if (pending.rule != nullptr) {
    Drop(pending.rule, pending.message, pending.path, {}, d);
    return;
  }
  if (Filters(rec, fields, unreadable, d)) return;
  if (opts_.dedup || opts_.near_dedup) DedupKey(rec, fields, d, s);
}

// A near duplicate of a kept record is dropped; a record that is none is indexed.
void Cleaner::NearDuplicate(const Record& rec, Decision* d) {
  double sim = 0;
  int64_t dup = near_.Find(d->signature, &sim);
  if (dup < 0) {
    if (files_.empty() || files_.back() != rec.loc.file) files_.push_back(rec.loc.file);
    near_.Add(d->signature, near_locs_.size());
    near_locs_.push_back({static_cast<uint32_t>(files_.size() - 1), rec.loc.line});
    return;
  }
  const Loc& k = near_locs_[static_cast<size_t>(dup)];
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.2f", sim);
  size_t& members = near_cluster_size_[static_cast<uint64_t>(dup)];
  if (members == 0) {
    members = 1;
    ++near_cluster_count_;
  }
  ++members;
  d->drop = true;
  d->rule = "clean.dedup.near";
  d->message = "near duplicate of " + files_[k.file] + ":" + std::to_string(k.line) + " (estimated Jaccard " + buf + ")";
  ++counts_["clean.dedup.near"].dropped;
  // Near-duplicate pairs are findings (together they give the clusters), up to a cap that keeps the
  // report's memory bounded; --rejects names the kept record for every one.
  if (near_findings_ >= opts_.max_pair_findings) return;
  ++near_findings_;
  auto& a = findings_.GetAllocator();
  Value f(rapidjson::kObjectType);
  f.AddMember("file", Value(rec.loc.file.c_str(), a), a);
  f.AddMember("line", Value(static_cast<uint64_t>(rec.loc.line)), a);
  f.AddMember("rule", "clean.dedup.near", a);
  f.AddMember("action", "dropped", a);
  Value of(rapidjson::kObjectType);
  of.AddMember("file", Value(files_[k.file].c_str(), a), a);
  of.AddMember("line", Value(static_cast<uint64_t>(k.line)), a);
  f.AddMember("duplicate_of", of, a);
  f.AddMember("similarity", Value(sim), a);
  findings_.PushBack(f, a);
}

void Cleaner::Commit(const Record& rec, Decision* d) {
  for (const auto& [rule, path] : d->changes) ++counts_[rule].fields;
  for (const char* rule : d->touched) ++counts_[rule].changed;
  for (const StepExample& e : d->examples) AddExample(rec.loc, e);
  if (d->drop) ++counts_[d->rule].dropped;
  if (d->drop || d->unreadable) return;
  if (d->keyed && !exact_.Insert(d->key_hash)) {
    d->drop = true;
    d->rule = "clean.dedup.exact";
    d->message = "exact duplicate of an earlier record (normalised key)";
    ++counts_[d->rule].dropped;
    StepExample e;
    e.rule = "clean.dedup.exact";
    e.action = "dropped";
    e.message = d->message;
    AddExample(rec.loc, e);
    return;
  }
  if (d->has_signature) NearDuplicate(rec, d);
}

Decision Cleaner::Process(Record& rec) {
  Decision d;
  Prepare(rec, &d, scratch_.get());
  Commit(rec, &d);
  return d;
}

void DeriveReport(rapidjson::Document& r) {
  auto& a = r.GetAllocator();
  Value d(rapidjson::kObjectType);
  const Value* c = r.HasMember("counts") ? &r["counts"] : nullptr;
  auto get = [&](const char* k) -> double {
    if (!c || !c->IsObject() || !c->HasMember(k) || !(*c)[k].IsNumber()) return 0;
    return (*c)[k].GetDouble();
  };
  double records = get("records");
  d.AddMember("dropped_fraction", records > 0 ? get("dropped") / records : 0.0, a);
  d.AddMember("changed_fraction", records > 0 ? get("changed") / records : 0.0, a);
  if (r.HasMember("derived")) r.RemoveMember("derived");
  r.AddMember("derived", d, a);
}

namespace {
// `ftprep merge` recomputes "derived" of merged clean reports with this.
struct RegisterDeriver {
  RegisterDeriver() { RegisterReportDeriver("clean", &DeriveReport); }
} register_deriver;
}  // namespace

}  // namespace ftprep::clean
