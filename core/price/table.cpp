// PriceTable: loading the built-in table, layering user files, the LiteLLM importer and model lookup.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "edit_distance.h"
#include "price/internal.h"
#include "ftprep/price.h"

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
    }
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
