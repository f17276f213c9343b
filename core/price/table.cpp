// PriceTable: loading the built-in table, layering user files, the LiteLLM importer and model lookup.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "edit_distance.h"
#include "ftprep/price.h"
#include "price/internal.h"

namespace ftprep::price {

std::string_view BuiltInPricesJson() {
  static constexpr std::string_view kText =
#include "ftprep_prices_data.inc"
      ;
  return kText;
}

namespace {

using Value = rapidjson::Value;

// Prices are parsed from the number's own text (kParseNumbersAsStringsFlag), so "0.80" never passes through
// a double.
// Iterative parsing: a hostile, deeply nested file must not exhaust the stack.
constexpr unsigned kParseFlags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;

class EntryReader {
 public:
  EntryReader(const Value& v, std::string where) : v_(v), where_(std::move(where)) {}

  Status Fail(const std::string& field, const std::string& what) const {
    return UsageError(where_ + ": field \"" + field + "\": " + what);
  }

  const Value* Get(const Value& obj, const char* key) const {
    auto it = obj.FindMember(key);
    if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
    return &it->value;
  }

  Status String(const Value& obj, const char* key, bool required, std::string* out) const {
    const Value* f = Get(obj, key);
    if (!f) return required ? Fail(key, "missing") : Status::Ok();
    if (!f->IsString()) return Fail(key, "must be a string");
    *out = std::string(f->GetString(), f->GetStringLength());
    return Status::Ok();
  }

  Status Dollars(const Value& obj, const char* key, const std::string& path, std::optional<Money>* out) const {
    const Value* f = Get(obj, key);
    if (!f) return Status::Ok();
    // Numbers arrive as strings (parse flag); quoted decimal strings are accepted too.
    if (!f->IsString()) return Fail(path, "must be a decimal number of dollars");
    Result<Money> m = ParseDollars(std::string_view(f->GetString(), f->GetStringLength()));
    if (!m.ok()) return Fail(path, m.status().message());
    if (m->nanos < 0) return Fail(path, "must not be negative");
    *out = *m;
    return Status::Ok();
  }

  Status Integer(const Value& obj, const char* key, int64_t* out) const {
    const Value* f = Get(obj, key);
    if (!f) return Status::Ok();
    if (!f->IsString()) return Fail(key, "must be an integer");
    std::string_view s(f->GetString(), f->GetStringLength());
    int64_t v = 0;
    if (s.empty() || s.size() > 15) return Fail(key, "must be a non-negative integer");
    for (char c : s) {
      if (c < '0' || c > '9') return Fail(key, "must be a non-negative integer");
      v = v * 10 + (c - '0');
    }
    *out = v;
    return Status::Ok();
  }

  Status DateField(const Value& obj, const char* key, bool required, std::optional<Date>* out) const {
    std::string s;
    FTPREP_RETURN_IF_ERROR(String(obj, key, required, &s));
    if (s.empty() && !required) return Status::Ok();
    Result<Date> d = ParseDate(s);
    if (!d.ok()) return Fail(key, d.status().message());
    *out = *d;
    return Status::Ok();
  }

  Status Bool(const Value& obj, const char* key, bool* out) const {
    const Value* f = Get(obj, key);
    if (!f) return Status::Ok();
    if (!f->IsBool()) return Fail(key, "must be true or false");
    *out = f->GetBool();
    return Status::Ok();
  }

  Status Read(PriceEntry* e) const {
    if (!v_.IsObject()) return UsageError(where_ + ": must be an object");
    FTPREP_RETURN_IF_ERROR(String(v_, "model", true, &e->model));
    if (e->model.empty()) return Fail("model", "must not be empty");
    if (const Value* a = Get(v_, "aliases")) {
      if (!a->IsArray()) return Fail("aliases", "must be an array of strings");
      for (const Value& s : a->GetArray()) {
        if (!s.IsString()) return Fail("aliases", "must be an array of strings");
        e->aliases.emplace_back(s.GetString(), s.GetStringLength());
      }
    }
    FTPREP_RETURN_IF_ERROR(String(v_, "provider", true, &e->provider));
    FTPREP_RETURN_IF_ERROR(String(v_, "encoding", true, &e->encoding));
    FTPREP_RETURN_IF_ERROR(Bool(v_, "encoding_approximate", &e->encoding_approximate));
    if (const Value* t = Get(v_, "training")) {
      if (!t->IsObject()) return Fail("training", "must be an object {\"unit\", \"price\"}");
      std::string unit;
      FTPREP_RETURN_IF_ERROR(String(*t, "unit", true, &unit));
      if (unit == "per_1m_tokens") {
        e->training_unit = TrainingUnit::kPerMillionTokens;
      } else if (unit == "per_hour") {
        e->training_unit = TrainingUnit::kPerHour;
      } else {
        return Fail("training.unit", "must be \"per_1m_tokens\" or \"per_hour\"");
      }
      std::optional<Money> p;
      FTPREP_RETURN_IF_ERROR(Dollars(*t, "price", "training.price", &p));
      if (!p) return Fail("training.price", "missing");
      e->training_price = *p;
      FTPREP_RETURN_IF_ERROR(
          Dollars(*t, "minimum_per_job", "training.minimum_per_job", &e->training_minimum));
    }
    FTPREP_RETURN_IF_ERROR(Dollars(v_, "storage_per_month", "storage_per_month", &e->storage_per_month));
    for (const char* group : {"fine_tuned", "base"}) {
      const Value* g = Get(v_, group);
      if (!g) continue;
      if (!g->IsObject()) return Fail(group, "must be an object {\"input\", \"cached_input\", \"output\"}");
      bool ft = std::string_view(group) == "fine_tuned";
      std::string prefix = std::string(group) + ".";
      FTPREP_RETURN_IF_ERROR(Dollars(*g, "input", prefix + "input", ft ? &e->ft_input : &e->base_input));
      FTPREP_RETURN_IF_ERROR(Dollars(*g, "cached_input", prefix + "cached_input",
                                     ft ? &e->ft_cached_input : &e->base_cached_input));
      FTPREP_RETURN_IF_ERROR(Dollars(*g, "output", prefix + "output", ft ? &e->ft_output : &e->base_output));
    }
    FTPREP_RETURN_IF_ERROR(Integer(v_, "training_context", &e->training_context));
    if (const Value* ep = Get(v_, "epochs")) {
      if (!ep->IsObject()) return Fail("epochs", "must be an object {\"default\", \"min\", \"max\"}");
      if (const Value* d = Get(*ep, "default")) {
        if (!d->IsString()) return Fail("epochs.default", "must be \"auto\" or an integer");
        std::string_view s(d->GetString(), d->GetStringLength());
        if (s == "auto") {
          e->default_epochs_auto = true;
        } else {
          int64_t n = 0;
          FTPREP_RETURN_IF_ERROR(Integer(*ep, "default", &n));
          if (n < 1 || n > 1000) return Fail("epochs.default", "must be \"auto\" or 1..1000");
          e->default_epochs_auto = false;
          e->default_epochs = static_cast<int>(n);
        }
      }
      int64_t lo = 0, hi = 0;
      FTPREP_RETURN_IF_ERROR(Integer(*ep, "min", &lo));
      FTPREP_RETURN_IF_ERROR(Integer(*ep, "max", &hi));
      if (lo > 1000 || hi > 1000 || (hi != 0 && lo > hi)) return Fail("epochs", "min/max out of order");
      e->min_epochs = static_cast<int>(lo);
      e->max_epochs = static_cast<int>(hi);
    }
    FTPREP_RETURN_IF_ERROR(String(v_, "batch_rule", false, &e->batch_rule));
    if (e->batch_rule.empty()) e->batch_rule = "none";
    if (e->batch_rule != "openai" && e->batch_rule != "none") {
      return Fail("batch_rule", "must be \"openai\" or \"none\"");
    }
    FTPREP_RETURN_IF_ERROR(Bool(v_, "bills_validation", &e->bills_validation));
    FTPREP_RETURN_IF_ERROR(DateField(v_, "valid_from", false, &e->valid_from));
    FTPREP_RETURN_IF_ERROR(DateField(v_, "valid_until", false, &e->valid_until));
    FTPREP_RETURN_IF_ERROR(String(v_, "source", true, &e->source));
    if (e->source.empty()) return Fail("source", "must name where the prices come from");
    std::optional<Date> checked;
    FTPREP_RETURN_IF_ERROR(DateField(v_, "checked", true, &checked));
    e->checked = *checked;
    if (const Value* eoa = Get(v_, "end_of_availability")) {
      if (!eoa->IsObject()) return Fail("end_of_availability", "must be an object {\"date\", \"what\"}");
      FTPREP_RETURN_IF_ERROR(DateField(*eoa, "date", true, &e->end_of_availability));
      FTPREP_RETURN_IF_ERROR(String(*eoa, "what", false, &e->end_of_availability_what));
    }
    if (const Value* n = Get(v_, "notes")) {
      if (!n->IsArray()) return Fail("notes", "must be an array of strings");
      for (const Value& s : n->GetArray()) {
        if (!s.IsString()) return Fail("notes", "must be an array of strings");
        e->notes.emplace_back(s.GetString(), s.GetStringLength());
      }
    }
    return Status::Ok();
  }

 private:
  const Value& v_;
  std::string where_;
};

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

std::string JsonEscaped(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) continue;  // control characters have no place in a model name
    out += c;
  }
  return out;
}

// An entry template's placeholders: "<model>", "<rate>" (the training price), "<storage>" (a monthly storage
// fee) and "<YYYY-MM-DD>" (the day the user read the pricing page). Empty values leave a placeholder as is.
std::string FillTemplate(std::string text, std::string_view model, std::string_view rate,
                         std::string_view storage, std::string_view date) {
  if (!model.empty()) ReplaceAll(&text, "<model>", JsonEscaped(model));
  if (!rate.empty()) ReplaceAll(&text, "<rate>", rate);
  if (!storage.empty()) ReplaceAll(&text, "<storage>", storage);
  if (!date.empty()) ReplaceAll(&text, "<YYYY-MM-DD>", date);
  return text;
}

// One object of "not_listed": a provider without training prices, and how to price its models anyway.
// `plain_template` is the entry template as parsed without kParseNumbersAsStringsFlag, so that the advice
// shows numbers (an epoch count) as numbers.
Status ReadNotListed(const Value& v, const Value* plain_template, const std::string& where, NotListed* out) {
  EntryReader r(v, where);
  if (!v.IsObject()) return UsageError(where + ": must be an object");
  FTPREP_RETURN_IF_ERROR(r.String(v, "provider", true, &out->provider));
  FTPREP_RETURN_IF_ERROR(r.String(v, "name", false, &out->name));
  if (out->name.empty()) out->name = out->provider;
  auto strings = [&](const char* key, std::vector<std::string>* dst) -> Status {
    const Value* a = r.Get(v, key);
    if (!a) return Status::Ok();
    if (!a->IsArray()) return r.Fail(key, "must be an array of strings");
    for (const Value& s : a->GetArray()) {
      if (!s.IsString()) return r.Fail(key, "must be an array of strings");
      dst->emplace_back(s.GetString(), s.GetStringLength());
    }
    return Status::Ok();
  };
  FTPREP_RETURN_IF_ERROR(strings("models", &out->patterns));
  if (out->patterns.empty()) return r.Fail("models", "must name at least one model or pattern");
  FTPREP_RETURN_IF_ERROR(r.String(v, "pricing_page", true, &out->pricing_page));
  FTPREP_RETURN_IF_ERROR(r.String(v, "why", false, &out->why));
  FTPREP_RETURN_IF_ERROR(r.String(v, "billing", false, &out->billing));
  FTPREP_RETURN_IF_ERROR(strings("billing_sources", &out->billing_sources));
  std::optional<Date> checked;
  FTPREP_RETURN_IF_ERROR(r.DateField(v, "checked", true, &checked));
  out->checked = *checked;
  if (const Value* t = r.Get(v, "entry_template")) {
    if (!t->IsObject()) return r.Fail("entry_template", "must be a price entry object");
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    (plain_template && plain_template->IsObject() ? plain_template : t)->Accept(w);
    out->entry_template.assign(buf.GetString(), buf.GetSize());
    // With its placeholders filled the template must be a valid entry, or the advice would be wrong.
    std::string filled = FillTemplate(out->entry_template, "probe", "1.00", "1.00", FormatDate(out->checked));
    rapidjson::Document probe_doc;
    probe_doc.Parse<kParseFlags>(filled.c_str(), filled.size());
    PriceEntry probe;
    if (probe_doc.HasParseError()) return r.Fail("entry_template", "placeholders must sit inside strings");
    FTPREP_RETURN_IF_ERROR(EntryReader(probe_doc, where + ".entry_template").Read(&probe));
  }
  return Status::Ok();
}

// Case-insensitive; a trailing '*' matches any suffix.
bool PatternMatches(std::string_view pattern, std::string_view name) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  bool prefix = !pattern.empty() && pattern.back() == '*';
  if (prefix) pattern.remove_suffix(1);
  if (prefix ? name.size() < pattern.size() : name.size() != pattern.size()) return false;
  for (size_t k = 0; k < pattern.size(); ++k) {
    if (lower(pattern[k]) != lower(name[k])) return false;
  }
  return true;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + path);
  return ss.str();
}

Status ParseJson(std::string_view text, const std::string& origin, rapidjson::Document* doc) {
  doc->Parse<kParseFlags>(text.data(), text.size());
  if (doc->HasParseError()) {
    // Report line and column of the failing offset.
    size_t off = doc->GetErrorOffset(), line = 1, col = 1;
    for (size_t k = 0; k < off && k < text.size(); ++k) {
      if (text[k] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return UsageError(origin + ":" + std::to_string(line) + ":" + std::to_string(col) +
                      ": invalid JSON: " + rapidjson::GetParseError_En(doc->GetParseError()));
  }
  return Status::Ok();
}

bool NameMatches(const PriceEntry& e, std::string_view name) {
  if (e.model == name) return true;
  return std::find(e.aliases.begin(), e.aliases.end(), name) != e.aliases.end();
}

// What to tell a user who asks for a model of a provider the table has no training prices for: what is
// known, where the rate is published, and the entry to write (with the model's name filled in).
std::string NotListedMessage(const NotListed& n, const std::string& model) {
  std::string msg = "no built-in training price for \"" + model + "\" (" + n.name + "): ";
  msg += n.why.empty() ? "its rates could not be sourced" : n.why;
  msg += " (table checked " + FormatDate(n.checked) + ").";
  if (!n.billing.empty()) msg += " Known: " + n.billing + ".";
  msg += " Get the current rate from " + n.pricing_page +
         " and give it in a price file with --prices FILE (or $FTPREP_PRICES)";
  if (!n.entry_template.empty()) {
    msg += ", e.g. {\"models\": [" + FillTemplate(n.entry_template, model, "", "", "") + "]}";
  }
  msg +=
      "; see docs/prices.md. (--litellm FILE refreshes inference prices only: LiteLLM lists no training "
      "prices.)";
  return msg;
}

}  // namespace

std::string StripFineTunePrefix(std::string_view model) {
  if (model.substr(0, 3) != "ft:") return std::string(model);
  std::string_view rest = model.substr(3);
  return std::string(rest.substr(0, rest.find(':')));
}

Result<PriceTable> PriceTable::BuiltIn() {
  PriceTable t;
  Status s = t.Layer(BuiltInPricesJson(), "built-in");
  if (!s.ok()) return InternalError("the built-in price table is invalid: " + s.message());
  return t;
}

Status PriceTable::Layer(std::string_view json_text, const std::string& origin) {
  rapidjson::Document doc;
  FTPREP_RETURN_IF_ERROR(ParseJson(json_text, origin, &doc));
  if (!doc.IsObject()) return UsageError(origin + ": a price file is a JSON object with \"models\": [...]");
  auto models = doc.FindMember("models");
  if (models == doc.MemberEnd() || !models->value.IsArray()) {
    return UsageError(origin + ": a price file needs \"models\": [...]");
  }
  if (auto cur = doc.FindMember("currency"); cur != doc.MemberEnd()) {
    if (!cur->value.IsString() || std::string_view(cur->value.GetString()) != "USD") {
      return UsageError(origin + ": only \"currency\": \"USD\" is supported");
    }
  }
  // Validate everything first so a bad file changes nothing.
  std::vector<PriceEntry> incoming;
  rapidjson::SizeType index = 0;
  for (const Value& v : models->value.GetArray()) {
    PriceEntry e;
    FTPREP_RETURN_IF_ERROR(EntryReader(v, origin + ": models[" + std::to_string(index++) + "]").Read(&e));
    e.origin = origin;
    incoming.push_back(std::move(e));
  }
  std::vector<NotListed> unlisted;
  if (auto nl = doc.FindMember("not_listed"); nl != doc.MemberEnd() && !nl->value.IsNull()) {
    if (!nl->value.IsArray()) return UsageError(origin + ": \"not_listed\" must be an array of objects");
    rapidjson::Document plain;  // same text, numbers as numbers (see ReadNotListed)
    plain.Parse<rapidjson::kParseIterativeFlag>(json_text.data(), json_text.size());
    const Value* plain_list = nullptr;
    if (!plain.HasParseError() && plain.IsObject()) {
      auto it = plain.FindMember("not_listed");
      if (it != plain.MemberEnd() && it->value.IsArray()) plain_list = &it->value;
    }
    index = 0;
    for (const Value& v : nl->value.GetArray()) {
      const Value* plain_template = nullptr;
      if (plain_list && index < plain_list->Size() && (*plain_list)[index].IsObject()) {
        auto t = (*plain_list)[index].FindMember("entry_template");
        if (t != (*plain_list)[index].MemberEnd()) plain_template = &t->value;
      }
      NotListed n;
      FTPREP_RETURN_IF_ERROR(
          ReadNotListed(v, plain_template, origin + ": not_listed[" + std::to_string(index++) + "]", &n));
      unlisted.push_back(std::move(n));
    }
  }
  // A later layer's word on a provider replaces an earlier one.
  for (NotListed& n : unlisted) {
    auto same = std::find_if(not_listed_.begin(), not_listed_.end(),
                             [&](const NotListed& o) { return o.provider == n.provider; });
    if (same != not_listed_.end()) {
      *same = std::move(n);
    } else {
      not_listed_.push_back(std::move(n));
    }
  }
  for (PriceEntry& e : incoming) {
    auto same = std::find_if(entries_.begin(), entries_.end(), [&](const PriceEntry& o) {
      return o.model == e.model && o.valid_from == e.valid_from;
    });
    if (same != entries_.end()) {
      *same = std::move(e);
    } else {
      entries_.push_back(std::move(e));
    }
  }
  return Status::Ok();
}

Status PriceTable::LayerFile(const std::string& path) {
  Result<std::string> text = ReadWholeFile(path);
  if (!text.ok()) return text.status();
  return Layer(*text, path);
}

Status PriceTable::ImportLiteLlm(std::string_view json_text, const std::string& origin, int* updated) {
  rapidjson::Document doc;
  FTPREP_RETURN_IF_ERROR(ParseJson(json_text, origin, &doc));
  if (!doc.IsObject()) return UsageError(origin + ": LiteLLM's price file is a JSON object keyed by model");
  // A LiteLLM record -> (input, cached input, output) per 1M tokens; fields it lacks stay absent.
  struct Rates {
    std::optional<Money> in, cached, out;
  };
  auto rates_of = [&](std::string_view key, Rates* r) -> Status {
    auto it = doc.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
    if (it == doc.MemberEnd() || !it->value.IsObject()) return NotFoundError("");
    const Value& rec = it->value;
    auto field = [&](const char* name, std::optional<Money>* out) -> Status {
      auto f = rec.FindMember(name);
      if (f == rec.MemberEnd() || !f->value.IsString()) return Status::Ok();
      Result<Money> m = ParseDollarsScaled(std::string_view(f->value.GetString(), f->value.GetStringLength()), 6);
      if (!m.ok()) {
        return UsageError(origin + ": \"" + std::string(key) + "\"." + name + ": " + m.status().message());
      }
      *out = *m;
      return Status::Ok();
    };
    FTPREP_RETURN_IF_ERROR(field("input_cost_per_token", &r->in));
    FTPREP_RETURN_IF_ERROR(field("cache_read_input_token_cost", &r->cached));
    FTPREP_RETURN_IF_ERROR(field("output_cost_per_token", &r->out));
    return Status::Ok();
  };
  int changed = 0;
  for (PriceEntry& e : entries_) {
    std::vector<std::string> names = {e.model};
    names.insert(names.end(), e.aliases.begin(), e.aliases.end());
    bool touched = false;
    for (const std::string& n : names) {
      Rates base;
      Status s = rates_of(n, &base);
      if (s.code() == Code::kNotFound) continue;
      FTPREP_RETURN_IF_ERROR(s);
      if (base.in) e.base_input = base.in;
      if (base.cached) e.base_cached_input = base.cached;
      if (base.out) e.base_output = base.out;
      touched = touched || base.in || base.out || base.cached;
      break;
    }
    for (const std::string& n : names) {
      Rates ft;
      Status s = rates_of("ft:" + n, &ft);
      if (s.code() == Code::kNotFound) continue;
      FTPREP_RETURN_IF_ERROR(s);
      if (ft.in) e.ft_input = ft.in;
      if (ft.cached) e.ft_cached_input = ft.cached;
      if (ft.out) e.ft_output = ft.out;
      touched = touched || ft.in || ft.out || ft.cached;
      break;
    }
    if (touched) {
      e.inference_origin = origin;
      ++changed;
    }
  }
  if (updated) *updated = changed;
  return Status::Ok();
}

const NotListed* PriceTable::NotListedFor(std::string_view model) const {
  const std::string name = StripFineTunePrefix(model);
  for (const NotListed& n : not_listed_) {
    for (const std::string& p : n.patterns) {
      if (PatternMatches(p, name)) return &n;
    }
  }
  return nullptr;
}

Result<const PriceEntry*> PriceTable::Find(std::string_view model, const Date& as_of) const {
  const std::string name = StripFineTunePrefix(model);
  const PriceEntry* best = nullptr;
  bool known = false;
  for (const PriceEntry& e : entries_) {
    if (!NameMatches(e, name)) continue;
    known = true;
    if (e.valid_from && as_of < *e.valid_from) continue;
    if (e.valid_until && *e.valid_until < as_of) continue;
    if (!best || (e.valid_from && (!best->valid_from || *best->valid_from < *e.valid_from))) best = &e;
  }
  if (best) return best;
  if (known) {
    return NotFoundError("no price for " + name + " valid on " + FormatDate(as_of) +
                         " (see ftprep price --list for the dates each entry covers)");
  }
  // Suggest the closest names.
  std::vector<std::pair<size_t, std::string>> close;
  for (const PriceEntry& e : entries_) {
    size_t d = EditDistance(name, e.model);
    bool prefix = e.model.find(name) != std::string::npos || name.find(e.model) != std::string::npos;
    if (d <= 3 || prefix) close.emplace_back(d, e.model);
  }
  std::sort(close.begin(), close.end());
  close.erase(std::unique(close.begin(), close.end()), close.end());
  if (const NotListed* n = NotListedFor(name)) return NotFoundError(NotListedMessage(*n, name));
  std::string msg = "no price entry for model \"" + name + "\"";
  if (!close.empty()) {
    msg += "; did you mean ";
    for (size_t k = 0; k < close.size() && k < 3; ++k) msg += (k ? ", " : "") + close[k].second;
    msg += "?";
  }
  msg += " (ftprep price --list shows all; add your own with --prices FILE)";
  return NotFoundError(msg);
}

}  // namespace ftprep::price
