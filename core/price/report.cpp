// Building and rendering the `ftprep price` report and the `--list` table.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <string>
#include <vector>

#include "ftprep/price.h"

namespace ftprep::price {
namespace {

std::string Thousands(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v), out;
  for (size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return v < 0 ? "-" + out : out;
}

// Exact decimal text of an amount for JSON ("7.5", "0.000035", "0").
std::string DecimalText(Money m) {
  std::string s = FormatDollars(m, 9);  // "$1,234.500000000" or "-$..."
  std::string out;
  for (char c : s) {
    if (c != '$' && c != ',') out += c;
  }
  while (!out.empty() && out.back() == '0') out.pop_back();
  if (!out.empty() && out.back() == '.') out.pop_back();
  return out == "-0" ? "0" : out;
}

std::string Opt(const std::optional<Money>& m) { return m ? FormatDollarsAuto(*m) : "n/a"; }

// "(12 days ago)", or a plain note when a user file dates its check after today.
std::string Age(const Date& checked, const Date& today) {
  int64_t d = DaysBetween(checked, today);
  if (d < 0) return "(after today)";
  return "(" + std::to_string(d) + (d == 1 ? " day ago)" : " days ago)");
}

// End-of-availability lines are collected per model, then merged into one line naming all models that
// share the same message; the mark and tab separate model from message until then.
const std::string kEoaMark = "\x01";

void MergeEndOfAvailability(std::vector<std::string>* lines) {
  std::vector<std::pair<std::string, std::vector<std::string>>> groups;  // message -> models
  for (const std::string& l : *lines) {
    if (l.rfind(kEoaMark, 0) != 0) continue;
    size_t tab = l.find('\t');
    std::string model = l.substr(kEoaMark.size(), tab - kEoaMark.size()), msg = l.substr(tab + 1);
    auto g = std::find_if(groups.begin(), groups.end(), [&](const auto& p) { return p.first == msg; });
    if (g == groups.end()) g = groups.insert(groups.end(), {msg, {}});
    if (std::find(g->second.begin(), g->second.end(), model) == g->second.end()) g->second.push_back(model);
  }
  std::vector<std::string> out;
  for (const auto& [msg, models] : groups) {
    std::string names;
    for (const auto& m : models) names += (names.empty() ? "" : ", ") + m;
    out.push_back(names + ": " + msg);
  }
  for (const std::string& l : *lines) {
    if (l.rfind(kEoaMark, 0) != 0) out.push_back(l);
  }
  *lines = std::move(out);
}

void AddEntryNotes(const PriceEntry& e, const ReportOptions& o, std::vector<std::string>* warnings,
                   std::vector<std::string>* notes) {
  int64_t age = DaysBetween(e.checked, o.today);
  if (age > o.stale_after_days) {
    warnings->push_back("price entry for " + e.model + " (" + e.origin + ") was checked on " +
                        FormatDate(e.checked) + ", " + std::to_string(age) + " days ago (more than " +
                        std::to_string(o.stale_after_days) + "); re-check " + e.source);
  }
  if (e.end_of_availability) {
    int64_t left = DaysBetween(o.today, *e.end_of_availability);
    std::string what = e.end_of_availability_what.empty() ? "end of availability" : e.end_of_availability_what;
    if (left > 0) {
      notes->push_back(kEoaMark + e.model + "\t" + what + " on " + FormatDate(*e.end_of_availability) + " (in " +
                       std::to_string(left) + (left == 1 ? " day)" : " days)"));
    } else {
      warnings->push_back(kEoaMark + e.model + "\t" + what + " on " + FormatDate(*e.end_of_availability) + " (" +
                          std::to_string(-left) + (left == -1 ? " day" : " days") +
                          " ago): this price may no longer be on offer");
    }
  }
  if (e.encoding_approximate) {
    notes->push_back(e.model + ": tokens counted with " + e.encoding +
                     ", an approximation of the model's own tokenizer");
  }
  if (e.storage_per_month) {
    notes->push_back(e.model + ": each fine-tuned model kept costs " +
                     FormatDollarsAuto(*e.storage_per_month) + " a month to store (" + e.provider +
                     "), not included in the training cost or break-even");
  }
  if (e.training_unit == TrainingUnit::kPerHour && !o.training_hours) {
    notes->push_back(e.model + ": training is billed per hour (" + FormatDollars(e.training_price, 2) +
                     "/h); give --training-hours H to estimate it");
  }
}

}  // namespace

Result<Report> BuildReport(const std::vector<ModelInput>& students, const ModelInput* teacher,
                           const ReportOptions& options) {
  Report r;
  r.options = options;
  if (!students.empty()) r.examples = students.front().train.examples();

  auto request_shape = [&](const DatasetTokens& d, int64_t* in, int64_t* out) {
    *in = d.prompt_tokens;
    *out = options.expected_output_tokens ? *options.expected_output_tokens * d.examples() : d.completion_tokens;
  };

  if (teacher && teacher->entry) {
    TeacherReport t;
    const PriceEntry& e = *teacher->entry;
    t.entry = &e;
    t.examples = teacher->train.examples();
    t.prompt_tokens = teacher->train.prompt_tokens;
    t.output_from_data = !options.expected_output_tokens;
    t.output_tokens = options.expected_output_tokens ? *options.expected_output_tokens * t.examples
                                                     : teacher->train.completion_tokens;
    t.synthesis = GenerationCost(t.prompt_tokens, t.output_tokens, e.base_input, e.base_output);
    for (int64_t n : options.synthesis_sizes) {
      // Scale the per-example average exactly: tokens x n / examples, costed in one rounding.
      std::optional<Money> at;
      if (t.examples > 0) {
        std::optional<Money> per_1000 =
            CostPer1000Requests(t.prompt_tokens, t.output_tokens, t.examples, e.base_input, e.base_output);
        if (per_1000) {
          __int128 v = static_cast<__int128>(per_1000->nanos) * n;
          at = Money{static_cast<int64_t>((v + 500) / 1000)};
        }
      }
      t.synthesis_at.emplace_back(n, at);
    }
    int64_t in = 0, out = 0;
    request_shape(teacher->train, &in, &out);
    t.per_1000 = CostPer1000Requests(in, out, t.examples, e.base_input, e.base_output);
    if (t.per_1000 && options.quality_ppm) t.per_1000_per_point = CostPerQualityPoint(*t.per_1000, 1'000'000);
    if (!e.base_input || !e.base_output) {
      r.warnings.push_back(e.model + " has no base-model price in " + e.origin + "; teacher costs are n/a");
    }
    AddEntryNotes(e, options, &r.warnings, &r.notes);
    r.teacher = std::move(t);
  }

  for (const ModelInput& in : students) {
    const PriceEntry& e = *in.entry;
    ModelReport m;
    m.entry = &e;
    TrainingOptions to;
    to.epochs = options.epochs;
    to.validation = in.valid ? &*in.valid : nullptr;
    to.n_evals = options.n_evals;
    to.context_cap_override = options.max_tokens;
    to.training_hours = options.training_hours;
    Result<TrainingEstimate> est = EstimateTraining(e, in.train, to);
    if (!est.ok()) return est.status();
    m.training = *est;
    if (options.batch_size > 0) {
      m.batch_size = options.batch_size;
    } else if (e.batch_rule == "openai") {
      m.batch_size = DefaultBatchSize(in.train.examples());
      m.batch_size_from_rule = true;
    } else {
      m.batch_size = 1;
      m.batch_size_from_rule = true;
    }
    m.steps_per_epoch =
        StepsPerEpoch(in.train.examples(), m.training.billed_tokens_per_epoch, m.batch_size, options.max_tokens);
    m.total_steps = m.steps_per_epoch * m.training.epochs;
    request_shape(in.train, &m.request_in_tokens, &m.request_out_tokens);
    m.requests = in.train.examples();
    m.per_1000 = CostPer1000Requests(m.request_in_tokens, m.request_out_tokens, m.requests, e.ft_input, e.ft_output);
    if (m.per_1000 && options.quality_ppm) m.per_1000_per_point = CostPerQualityPoint(*m.per_1000, *options.quality_ppm);
    if (r.teacher && r.teacher->per_1000 && m.per_1000 && m.training.cost) {
      m.break_even = BreakEvenRequests(*m.training.cost, *m.per_1000, *r.teacher->per_1000);
      m.break_even_never = !m.break_even;
      if (r.teacher->synthesis) {
        m.break_even_with_synthesis =
            BreakEvenRequests(*m.training.cost + *r.teacher->synthesis, *m.per_1000, *r.teacher->per_1000);
      }
    }
    if (in.valid && !e.bills_validation && e.training_unit == TrainingUnit::kPerMillionTokens) {
      r.notes.push_back(e.model + ": validation tokens (" + Thousands(in.valid->BilledPerEpoch(0)) + ") are not billed by " +
                        e.provider + " (per " + e.origin + ")");
    }
    if (m.training.capped_examples > 0) {
      r.warnings.push_back(e.model + ": " + Thousands(m.training.capped_examples) +
                           " example(s) longer than the training context of " +
                           Thousands(options.max_tokens > 0 ? options.max_tokens : e.training_context) +
                           " tokens are billed at the cap (and truncated by the provider)");
    }
    if (!e.ft_input || !e.ft_output) {
      r.warnings.push_back(e.model + " has no fine-tuned inference price in " + e.origin);
    }
    AddEntryNotes(e, options, &r.warnings, &r.notes);
    r.models.push_back(std::move(m));
  }
  // The same note for several models reads once.
  auto dedup = [](std::vector<std::string>* v) {
    std::vector<std::string> out;
    for (auto& s : *v) {
      if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
    }
    *v = std::move(out);
  };
  MergeEndOfAvailability(&r.warnings);
  MergeEndOfAvailability(&r.notes);
  dedup(&r.warnings);
  dedup(&r.notes);
  return r;
}

// ---- Text --------------------------------------------------------------------------------------------------

namespace {

class Grid {
 public:
  explicit Grid(size_t columns) : columns_(columns) {}
  void Section(const std::string& title) { rows_.push_back({title, {}, true}); }
  void Row(const std::string& label, std::vector<std::string> cells) {
    cells.resize(columns_);
    rows_.push_back({"  " + label, std::move(cells), false});
  }
  void Header(std::vector<std::string> cells) {
    cells.resize(columns_);
    rows_.insert(rows_.begin(), {"", std::move(cells), false});
  }
  std::string Render() const {
    size_t label_w = 0;
    std::vector<size_t> w(columns_, 0);
    for (const auto& r : rows_) {
      if (r.section) continue;
      label_w = std::max(label_w, r.label.size());
      for (size_t c = 0; c < columns_; ++c) w[c] = std::max(w[c], Width(r.cells[c]));
    }
    std::string out;
    for (const auto& r : rows_) {
      if (r.section) {
        out += r.label + "\n";
        continue;
      }
      std::string line = r.label + std::string(label_w - r.label.size(), ' ');
      for (size_t c = 0; c < columns_; ++c) {
        // Numbers read best right-aligned under their model.
        line += "  " + std::string(w[c] - Width(r.cells[c]), ' ') + r.cells[c];
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
    return out;
  }

 private:
  static size_t Width(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
  }
  struct R {
    std::string label;
    std::vector<std::string> cells;
    bool section;
  };
  size_t columns_;
  std::vector<R> rows_;
};

std::string EpochsText(const TrainingEstimate& t) {
  return std::to_string(t.epochs) + (t.epochs_auto ? " (auto)" : "");
}

std::string TrainingPriceText(const PriceEntry& e) {
  switch (e.training_unit) {
    case TrainingUnit::kPerMillionTokens:
      return FormatRate(e.training_price) + " / 1M";
    case TrainingUnit::kPerHour:
      return FormatRate(e.training_price) + " / hour";
    default:
      return "n/a";
  }
}

std::string PerMillion(const std::optional<Money>& in, const std::optional<Money>& out) {
  return (in ? FormatRate(*in) : "n/a") + " / " + (out ? FormatRate(*out) : "n/a");
}

}  // namespace

std::string RenderReportText(const Report& r) {
  const ReportOptions& o = r.options;
  const size_t cols = r.models.size() + (r.teacher ? 1 : 0);
  Grid g(cols);
  std::vector<std::string> header;
  for (const auto& m : r.models) header.push_back(m.entry->model);
  if (r.teacher) header.push_back(r.teacher->entry->model + " (teacher)");
  g.Header(header);

  auto student_row = [&](const std::string& label, auto fn) {
    std::vector<std::string> cells;
    for (const auto& m : r.models) cells.push_back(fn(m));
    g.Row(label, cells);
  };

  g.Section("Training");
  student_row("epochs", [](const ModelReport& m) { return EpochsText(m.training); });
  student_row("billed tokens / epoch", [](const ModelReport& m) { return Thousands(m.training.billed_tokens_per_epoch); });
  bool any_valid = std::any_of(r.models.begin(), r.models.end(),
                               [](const ModelReport& m) { return m.training.validation_tokens > 0; });
  if (any_valid) {
    student_row("billed validation tokens", [](const ModelReport& m) { return Thousands(m.training.validation_tokens); });
  }
  student_row("billed tokens", [](const ModelReport& m) { return Thousands(m.training.billed_tokens); });
  student_row("training price", [](const ModelReport& m) { return TrainingPriceText(*m.entry); });
  bool any_minimum = std::any_of(r.models.begin(), r.models.end(),
                                 [](const ModelReport& m) { return m.entry->training_minimum.has_value(); });
  if (any_minimum) {
    student_row("minimum per job", [](const ModelReport& m) { return Opt(m.entry->training_minimum); });
  }
  student_row("training cost", [](const ModelReport& m) -> std::string {
    if (!m.training.cost) {
      // Per-hour price without hours: the minimum is still a floor worth showing.
      return m.entry->training_minimum ? "at least " + FormatDollarsAuto(*m.entry->training_minimum) : "n/a";
    }
    return FormatDollarsAuto(*m.training.cost) + (m.training.minimum_applied ? " (minimum)" : "");
  });
  bool any_storage = std::any_of(r.models.begin(), r.models.end(),
                                 [](const ModelReport& m) { return m.entry->storage_per_month.has_value(); });
  if (any_storage) {
    student_row("storage / month", [](const ModelReport& m) { return Opt(m.entry->storage_per_month); });
  }
  student_row("batch size", [](const ModelReport& m) {
    return Thousands(m.batch_size) + (m.batch_size_from_rule ? " (default)" : "");
  });
  student_row("steps / epoch", [](const ModelReport& m) { return Thousands(m.steps_per_epoch); });
  student_row("total steps", [](const ModelReport& m) { return Thousands(m.total_steps); });

  // The request shape, as the student counts it (the first model's encoding).
  std::string shape;
  if (!r.models.empty() && r.models.front().requests > 0) {
    const ModelReport& m = r.models.front();
    shape = " — per 1,000 requests of ~" + Thousands((m.request_in_tokens + m.requests / 2) / m.requests) +
            " in / ~" + Thousands((m.request_out_tokens + m.requests / 2) / m.requests) + " out tokens";
  }
  g.Section("Inference" + shape);
  {
    std::vector<std::string> cells;
    for (const auto& m : r.models) cells.push_back(PerMillion(m.entry->ft_input, m.entry->ft_output));
    if (r.teacher) cells.push_back(PerMillion(r.teacher->entry->base_input, r.teacher->entry->base_output));
    g.Row("price in / out per 1M", cells);
    cells.clear();
    for (const auto& m : r.models) cells.push_back(Opt(m.per_1000));
    if (r.teacher) cells.push_back(Opt(r.teacher->per_1000));
    g.Row("cost / 1,000 requests", cells);
    if (o.quality_ppm) {
      cells.clear();
      for (const auto& m : r.models) cells.push_back(Opt(m.per_1000_per_point));
      if (r.teacher) cells.push_back(Opt(r.teacher->per_1000_per_point));
      g.Row("per 1,000 per quality point", cells);
    }
    if (r.teacher) {
      student_row("break-even (requests)", [](const ModelReport& m) -> std::string {
        if (m.break_even) return Thousands(*m.break_even);
        return m.break_even_never ? "never" : "n/a";
      });
      if (r.teacher->synthesis) {
        student_row("  incl. synthesis", [](const ModelReport& m) -> std::string {
          if (m.break_even_with_synthesis) return Thousands(*m.break_even_with_synthesis);
          return m.break_even_never ? "never" : "n/a";
        });
      }
    }
  }
  std::string out = g.Render();

  if (r.teacher) {
    const TeacherReport& t = *r.teacher;
    out += "\nSynthesis with " + t.entry->model + " (" + Thousands(t.prompt_tokens) + " prompt tokens, " +
           Thousands(t.output_tokens) + " output tokens " +
           (t.output_from_data ? "from the completions in the data" : "from --expected-output-tokens") + ")\n";
    Grid s(1);
    s.Row("this data (" + Thousands(t.examples) + " examples)", {Opt(t.synthesis)});
    for (const auto& [n, cost] : t.synthesis_at) s.Row(Thousands(n) + " examples", {Opt(cost)});
    out += s.Render();
  }

  out += "\nPrices (as of " + FormatDate(o.as_of) + ")\n";
  auto price_line = [&](const PriceEntry& e) {
    out += "  " + e.model + ": " + e.origin + ", " + e.source + ", checked " + FormatDate(e.checked) + " " +
           Age(e.checked, o.today);
    if (!e.inference_origin.empty()) out += "; inference prices from " + e.inference_origin;
    out += "\n";
  };
  for (const auto& m : r.models) price_line(*m.entry);
  if (r.teacher) price_line(*r.teacher->entry);
  if (!r.notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : r.notes) out += "  " + n + "\n";
  }
  return out;
}

// ---- JSON ----------------------------------------------------------------------------------------------------

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Str(Writer& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}
void Int(Writer& w, const char* key, int64_t v) {
  w.Key(key);
  w.Int64(v);
}
void Usd(Writer& w, const char* key, const std::optional<Money>& m) {
  w.Key(key);
  if (!m) {
    w.Null();
    return;
  }
  std::string t = DecimalText(*m);
  w.RawValue(t.c_str(), t.size(), rapidjson::kNumberType);
}
void OptInt(Writer& w, const char* key, const std::optional<int64_t>& v) {
  w.Key(key);
  if (v) {
    w.Int64(*v);
  } else {
    w.Null();
  }
}

void EntryJson(Writer& w, const PriceEntry& e, const Date& today) {
  w.StartObject();
  Str(w, "model", e.model);
  w.Key("aliases");
  w.StartArray();
  for (const auto& a : e.aliases) w.String(a.c_str());
  w.EndArray();
  Str(w, "provider", e.provider);
  Str(w, "encoding", e.encoding);
  w.Key("encoding_approximate");
  w.Bool(e.encoding_approximate);
  w.Key("training");
  if (e.training_unit == TrainingUnit::kNone) {
    w.Null();
  } else {
    w.StartObject();
    Str(w, "unit", e.training_unit == TrainingUnit::kPerHour ? "per_hour" : "per_1m_tokens");
    Usd(w, "price", e.training_price);
    Usd(w, "minimum_per_job", e.training_minimum);
    w.EndObject();
  }
  Usd(w, "storage_per_month", e.storage_per_month);
  w.Key("fine_tuned");
  w.StartObject();
  Usd(w, "input", e.ft_input);
  Usd(w, "cached_input", e.ft_cached_input);
  Usd(w, "output", e.ft_output);
  w.EndObject();
  w.Key("base");
  w.StartObject();
  Usd(w, "input", e.base_input);
  Usd(w, "cached_input", e.base_cached_input);
  Usd(w, "output", e.base_output);
  w.EndObject();
  OptInt(w, "training_context", e.training_context > 0 ? std::optional<int64_t>(e.training_context) : std::nullopt);
  w.Key("epochs");
  w.StartObject();
  w.Key("default");
  if (e.default_epochs_auto) {
    w.String("auto");
  } else {
    w.Int(e.default_epochs);
  }
  OptInt(w, "min", e.min_epochs > 0 ? std::optional<int64_t>(e.min_epochs) : std::nullopt);
  OptInt(w, "max", e.max_epochs > 0 ? std::optional<int64_t>(e.max_epochs) : std::nullopt);
  w.EndObject();
  Str(w, "batch_rule", e.batch_rule);
  w.Key("bills_validation");
  w.Bool(e.bills_validation);
  w.Key("valid_from");
  e.valid_from ? (void)w.String(FormatDate(*e.valid_from).c_str()) : (void)w.Null();
  w.Key("valid_until");
  e.valid_until ? (void)w.String(FormatDate(*e.valid_until).c_str()) : (void)w.Null();
  Str(w, "source", e.source);
  Str(w, "checked", FormatDate(e.checked));
  Int(w, "age_days", DaysBetween(e.checked, today));
  w.Key("end_of_availability");
  if (e.end_of_availability) {
    w.StartObject();
    Str(w, "date", FormatDate(*e.end_of_availability));
    Str(w, "what", e.end_of_availability_what);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("notes");
  w.StartArray();
  for (const auto& n : e.notes) w.String(n.c_str());
  w.EndArray();
  Str(w, "origin", e.origin);
  w.Key("inference_origin");
  e.inference_origin.empty() ? (void)w.Null() : (void)w.String(e.inference_origin.c_str());
  w.EndObject();
}

void Strings(Writer& w, const char* key, const std::vector<std::string>& v) {
  w.Key(key);
  w.StartArray();
  for (const auto& s : v) w.String(s.c_str(), static_cast<rapidjson::SizeType>(s.size()));
  w.EndArray();
}

}  // namespace

std::string RenderReportJson(const Report& r) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  const ReportOptions& o = r.options;
  w.StartObject();
  Str(w, "tool", "price");
  Strings(w, "inputs", o.inputs);
  Str(w, "as_of", FormatDate(o.as_of));
  Str(w, "today", FormatDate(o.today));
  Int(w, "examples", r.examples);
  w.Key("models");
  w.StartArray();
  for (const auto& m : r.models) {
    w.StartObject();
    Str(w, "model", m.entry->model);
    w.Key("training");
    w.StartObject();
    Int(w, "epochs", m.training.epochs);
    w.Key("epochs_auto");
    w.Bool(m.training.epochs_auto);
    Int(w, "billed_tokens_per_epoch", m.training.billed_tokens_per_epoch);
    Int(w, "billed_validation_tokens", m.training.validation_tokens);
    Int(w, "billed_tokens", m.training.billed_tokens);
    Int(w, "capped_examples", m.training.capped_examples);
    Usd(w, "cost_usd", m.training.cost);
    Usd(w, "usage_cost_usd", m.training.usage_cost);
    Usd(w, "minimum_per_job_usd", m.entry->training_minimum);
    w.Key("minimum_applied");
    w.Bool(m.training.minimum_applied);
    Usd(w, "storage_per_month_usd", m.entry->storage_per_month);
    Int(w, "batch_size", m.batch_size);
    w.Key("batch_size_default");
    w.Bool(m.batch_size_from_rule);
    Int(w, "steps_per_epoch", m.steps_per_epoch);
    Int(w, "total_steps", m.total_steps);
    w.EndObject();
    w.Key("inference");
    w.StartObject();
    Int(w, "requests_in_data", m.requests);
    Int(w, "input_tokens", m.request_in_tokens);
    Int(w, "output_tokens", m.request_out_tokens);
    Usd(w, "per_1000_requests_usd", m.per_1000);
    Usd(w, "per_1000_per_quality_point_usd", m.per_1000_per_point);
    OptInt(w, "break_even_requests", m.break_even);
    OptInt(w, "break_even_requests_with_synthesis", m.break_even_with_synthesis);
    w.Key("break_even_never");
    w.Bool(m.break_even_never);
    w.EndObject();
    w.Key("price");
    EntryJson(w, *m.entry, o.today);
    w.EndObject();
  }
  w.EndArray();
  w.Key("teacher");
  if (r.teacher) {
    const TeacherReport& t = *r.teacher;
    w.StartObject();
    Str(w, "model", t.entry->model);
    Int(w, "examples", t.examples);
    Int(w, "prompt_tokens", t.prompt_tokens);
    Int(w, "output_tokens", t.output_tokens);
    Str(w, "output_tokens_from", t.output_from_data ? "data" : "expected-output-tokens");
    Usd(w, "synthesis_usd", t.synthesis);
    w.Key("synthesis_at");
    w.StartArray();
    for (const auto& [n, cost] : t.synthesis_at) {
      w.StartObject();
      Int(w, "examples", n);
      Usd(w, "usd", cost);
      w.EndObject();
    }
    w.EndArray();
    Usd(w, "per_1000_requests_usd", t.per_1000);
    Usd(w, "per_1000_per_quality_point_usd", t.per_1000_per_point);
    w.Key("price");
    EntryJson(w, *t.entry, o.today);
    w.EndObject();
  } else {
    w.Null();
  }
  w.Key("quality_ratio");
  if (o.quality_ppm) {
    std::string q = DecimalText(Money{*o.quality_ppm * 1000});
    w.RawValue(q.c_str(), q.size(), rapidjson::kNumberType);
  } else {
    w.Null();
  }
  Strings(w, "warnings", r.warnings);
  Strings(w, "notes", r.notes);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

// ---- --list ---------------------------------------------------------------------------------------------------

std::string RenderPriceListText(const PriceTable& table, const Date& as_of, const Date& today,
                                int stale_after_days) {
  // The storage column only when some entry has a storage fee.
  const bool storage = std::any_of(table.entries().begin(), table.entries().end(),
                                   [](const PriceEntry& e) { return e.storage_per_month.has_value(); });
  Grid g(storage ? 9 : 8);
  std::vector<std::string> header = {
      "provider", "training",      "storage / month", "ft in / out per 1M", "base in / out per 1M", "context",
      "valid",    "checked (age)", "origin"};
  if (!storage) header.erase(header.begin() + 2);
  g.Header(header);
  std::vector<const PriceEntry*> sorted;
  for (const auto& e : table.entries()) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const PriceEntry* a, const PriceEntry* b) {
    return a->provider != b->provider ? a->provider < b->provider : a->model < b->model;
  });
  std::vector<std::string> notes;
  for (const PriceEntry* e : sorted) {
    std::string valid = !e->valid_from && !e->valid_until
                            ? std::string("any date")
                            : (e->valid_from ? FormatDate(*e->valid_from) : std::string("")) + ".." +
                                  (e->valid_until ? FormatDate(*e->valid_until) : std::string(""));
    // The entry Find() picks on as_of is the one in force; others are out of their dates or superseded.
    auto chosen = table.Find(e->model, as_of);
    bool applies = chosen.ok() && *chosen == e;
    int64_t age = DaysBetween(e->checked, today);
    std::string checked = FormatDate(e->checked) + " (" + std::to_string(age) + "d" +
                          (age > stale_after_days ? ", stale" : "") + ")";
    std::vector<std::string> cells = {
        e->provider,
        TrainingPriceText(*e) +
            (e->training_minimum ? ", min " + FormatRate(*e->training_minimum) + "/job" : ""),
        e->storage_per_month ? FormatRate(*e->storage_per_month) : "-",
        PerMillion(e->ft_input, e->ft_output),
        PerMillion(e->base_input, e->base_output),
        e->training_context > 0 ? Thousands(e->training_context) : "n/a",
        valid,
        checked,
        e->origin + (e->inference_origin.empty() ? "" : " + " + e->inference_origin)};
    if (!storage) cells.erase(cells.begin() + 2);
    g.Row(e->model + (applies ? "" : " (not in force)"), std::move(cells));
    if (e->end_of_availability) {
      std::string n = e->provider + ": " + e->end_of_availability_what + " on " + FormatDate(*e->end_of_availability);
      if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
    }
  }
  std::string out = "Price table as of " + FormatDate(as_of) + " (USD; token prices per 1M tokens; stale = checked over " +
                    std::to_string(stale_after_days) + " days ago)\n" + g.Render();
  out += "\nSources\n";
  std::vector<std::string> sources;
  for (const PriceEntry* e : sorted) {
    std::string s = "  " + e->provider + ": " + e->source;
    if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
  }
  for (const auto& s : sources) out += s + "\n";
  if (!notes.empty()) {
    out += "\nNotes\n";
    for (const auto& n : notes) out += "  " + n + "\n";
  }
  if (!table.not_listed().empty()) {
    out += "\nProviders without built-in training prices (give yours with --prices FILE)\n";
    for (const NotListed& n : table.not_listed()) {
      out += "  " + n.provider + " (" + n.name + "): " + n.pricing_page + "; checked " +
             FormatDate(n.checked) + "\n";
    }
  }
  return out;
}

std::string RenderPriceListJson(const PriceTable& table, const Date& as_of, const Date& today,
                                int stale_after_days) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Int(w, "schema", 1);
  Str(w, "currency", "USD");
  Str(w, "as_of", FormatDate(as_of));
  Str(w, "today", FormatDate(today));
  Int(w, "stale_after_days", stale_after_days);
  w.Key("models");
  w.StartArray();
  for (const auto& e : table.entries()) EntryJson(w, e, today);
  w.EndArray();
  w.Key("not_listed");
  w.StartArray();
  for (const NotListed& n : table.not_listed()) {
    w.StartObject();
    Str(w, "provider", n.provider);
    Str(w, "name", n.name);
    Strings(w, "models", n.patterns);
    Str(w, "pricing_page", n.pricing_page);
    Str(w, "why", n.why);
    Str(w, "billing", n.billing);
    Strings(w, "billing_sources", n.billing_sources);
    Str(w, "checked", FormatDate(n.checked));
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

}  // namespace ftprep::price
