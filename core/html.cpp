#include "html.h"

#include <rapidjson/error/en.h>

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "rules/rules.h"

namespace ftprep {
const char* Version();

namespace {

using rapidjson::Value;

// ---- small helpers ------------------------------------------------------------------------------------

std::string Esc(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string Num(uint64_t v) {  // 1234567 -> "1,234,567"
  std::string d = std::to_string(v), out;
  for (size_t i = 0; i < d.size(); ++i) {
    if (i && (d.size() - i) % 3 == 0) out += ',';
    out += d[i];
  }
  return out;
}

std::string Fmt(const char* f, double v) {
  char b[64];
  std::snprintf(b, sizeof b, f, v);
  return b;
}

const Value* Member(const Value& o, const char* k) {
  if (!o.IsObject()) return nullptr;
  auto it = o.FindMember(k);
  return it == o.MemberEnd() ? nullptr : &it->value;
}
uint64_t U(const Value& o, const char* k) {
  const Value* v = Member(o, k);
  return v && v->IsUint64() ? v->GetUint64() : 0;
}
double D(const Value& o, const char* k) {
  const Value* v = Member(o, k);
  return v && v->IsNumber() ? v->GetDouble() : 0;
}
std::string S(const Value& o, const char* k) {
  const Value* v = Member(o, k);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : "";
}
const Value& Obj(const Value& o, const char* k) {
  static const Value empty(rapidjson::kObjectType);
  const Value* v = Member(o, k);
  return v && v->IsObject() ? *v : empty;
}
const Value& Arr(const Value& o, const char* k) {
  static const Value empty(rapidjson::kArrayType);
  const Value* v = Member(o, k);
  return v && v->IsArray() ? *v : empty;
}

std::string Usd(double v) {
  if (v != 0 && std::fabs(v) < 0.0001) return "&lt;$0.0001";
  return std::fabs(v) >= 1 ? "$" + Fmt("%.2f", v) : "$" + Fmt("%.4f", v);
}

const char kCss[] = R"(
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dee7;--bg:#f6f7fa;--card:#fff;--bar:#3b6fd4;--bar2:#f0a030;
--bad:#c93c3c;--ok:#2e8b57}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,sans-serif}
main{max-width:980px;margin:0 auto;padding:24px}
header h1{margin:0 0 4px;font-size:24px}
header p{margin:0;color:var(--muted)}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:16px 0}
h2{font-size:17px;margin:0 0 12px}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{color:var(--muted);font-weight:600;font-size:13px}
td.n,th.n{text-align:right}
code{font:13px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef1f6;padding:1px 4px;
border-radius:3px;overflow-wrap:anywhere}
.kpis{display:flex;flex-wrap:wrap;gap:12px}
.kpi{flex:1 1 110px;border:1px solid var(--line);border-radius:6px;padding:8px 12px}
.kpi b{display:block;font-size:20px}
.kpi span{color:var(--muted);font-size:13px}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:#b7791f;font-weight:600}.sev-info{color:var(--muted)}
.pass{color:var(--ok);font-weight:600}.fail{color:var(--bad);font-weight:600}
svg{display:block;max-width:100%;height:auto}
svg text{font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:var(--muted)}
svg .bar{fill:var(--bar)}svg .bar.over{fill:var(--bad)}svg .bar.warning{fill:var(--bar2)}
svg .limit{stroke:var(--bad);stroke-width:2;stroke-dasharray:6 4}svg .axis{stroke:var(--line)}
svg .part.trained{fill:var(--bar)}svg .part.other{fill:#b8c4da}
ul.notes{margin:0;padding-left:18px;color:var(--muted)}
footer{color:var(--muted);font-size:13px;margin:8px 0 24px}
)";

std::string Page(const std::string& tool, const std::string& subtitle, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<title>ftprep " +
         Esc(tool) + " report</title>\n<style>" + kCss + "</style>\n</head>\n<body>\n<main>\n<header><h1>ftprep " +
         Esc(tool) + "</h1><p>" + subtitle + "</p></header>\n" + body +
         "<footer>Made by ftprep " + Esc(Version()) +
         " from the tool's JSON report (--report); the numbers are the report's.</footer>\n</main>\n</body>\n"
         "</html>\n";
}

std::string Inputs(const Value& r) {
  std::string s;
  for (const auto& v : Arr(r, "inputs").GetArray()) {
    if (v.IsString()) s += (s.empty() ? "" : ", ") + std::string("<code>") + Esc(v.GetString()) + "</code>";
  }
  return s;
}

std::string Kpi(const std::string& value, const std::string& label) {
  return "<div class=\"kpi\"><b>" + value + "</b><span>" + Esc(label) + "</span></div>";
}

// ---- charts -------------------------------------------------------------------------------------------

struct Bar {
  std::string label;  // shown under (vertical) or left of (horizontal) the bar
  double value = 0;
  std::string title;  // tooltip
  std::string cls;    // extra class: "over", "warning"
};

// Horizontal bars, one row each, for a few categories (rules, splits, steps).
std::string HBars(const std::string& id, const std::vector<Bar>& bars, const std::string& unit) {
  const int row = 26, label_w = 260, width = 900, bar_w = width - label_w - 90;
  double most = 0;
  for (const auto& b : bars) most = std::max(most, b.value);
  int h = static_cast<int>(bars.size()) * row + 8;
  std::string s = "<svg id=\"" + id + "\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(h) +
                  "\" role=\"img\" aria-label=\"" + Esc(unit) + "\">\n";
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    int y = static_cast<int>(i) * row + 4;
    double w = most > 0 ? std::max(1.0, b.value / most * bar_w) : 1;
    s += "<text x=\"" + std::to_string(label_w - 8) + "\" y=\"" + std::to_string(y + 16) +
         "\" text-anchor=\"end\">" + Esc(b.label) + "</text>";
    s += "<rect class=\"bar" + (b.cls.empty() ? "" : " " + b.cls) + "\" x=\"" + std::to_string(label_w) +
         "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + Fmt("%.1f", w) + "\" height=\"" +
         std::to_string(row - 8) + "\"><title>" + Esc(b.title) + "</title></rect>";
    s += "<text x=\"" + Fmt("%.1f", label_w + w + 6) + "\" y=\"" + std::to_string(y + 16) + "\">" +
         Esc(b.title) + "</text>\n";
  }
  return s + "</svg>\n";
}

// Vertical bars of a linear histogram, with an optional limit line at value `limit` (0 = none).
std::string Histogram(const LinearBuckets& h, uint64_t limit) {
  const int width = 900, height = 300, left = 56, right = 16, top = 16, bottom = 46;
  const int pw = width - left - right, ph = height - top - bottom;
  uint64_t most = 1;
  for (uint64_t c : h.counts) most = std::max(most, c);
  const double n = static_cast<double>(h.counts.size());
  const double span = n * static_cast<double>(h.width);
  auto x_of = [&](double v) { return left + (v - static_cast<double>(h.lo)) / span * pw; };
  std::string s = "<svg id=\"histogram\" viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                  "\" role=\"img\" aria-label=\"tokens per example\">\n";
  s += "<line class=\"axis\" x1=\"" + std::to_string(left) + "\" y1=\"" + std::to_string(top + ph) + "\" x2=\"" +
       std::to_string(left + pw) + "\" y2=\"" + std::to_string(top + ph) + "\"/>\n";
  s += "<text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + 10) + "\" text-anchor=\"end\">" +
       Num(most) + "</text><text x=\"" + std::to_string(left - 6) + "\" y=\"" + std::to_string(top + ph) +
       "\" text-anchor=\"end\">0</text>\n";
  const size_t label_every = std::max<size_t>(1, (h.counts.size() + 9) / 10);
  for (size_t i = 0; i < h.counts.size(); ++i) {
    uint64_t lo = h.lo + i * h.width, hi = lo + h.width - 1;
    double x = x_of(static_cast<double>(lo)), w = static_cast<double>(pw) / n;
    double bh = static_cast<double>(h.counts[i]) / static_cast<double>(most) * ph;
    bool over = limit > 0 && hi > limit;
    std::string range = h.width == 1 ? Num(lo) : Num(lo) + "–" + Num(hi);
    s += "<rect class=\"bar" + std::string(over ? " over" : "") + "\" x=\"" + Fmt("%.1f", x + 1) + "\" y=\"" +
         Fmt("%.1f", top + ph - bh) + "\" width=\"" + Fmt("%.1f", std::max(1.0, w - 2)) + "\" height=\"" +
         Fmt("%.1f", bh) + "\"><title>" + range + " tokens: " + Num(h.counts[i]) + " examples</title></rect>\n";
    if (i % label_every == 0) {
      s += "<text x=\"" + Fmt("%.1f", x + 1) + "\" y=\"" + std::to_string(top + ph + 16) + "\">" + Num(lo) +
           "</text>\n";
    }
  }
  s += "<text x=\"" + std::to_string(left + pw) + "\" y=\"" + std::to_string(top + ph + 16) +
       "\" text-anchor=\"end\">" + Num(h.lo + h.counts.size() * h.width) + "</text>\n";
  s += "<text x=\"" + std::to_string(left + pw / 2) + "\" y=\"" + std::to_string(height - 6) +
       "\" text-anchor=\"middle\">tokens per example (bucket width " + Num(h.width) + ")</text>\n";
  if (limit > 0 && static_cast<double>(limit) < static_cast<double>(h.lo) + span) {
    double x = x_of(static_cast<double>(std::max(limit, h.lo)));
    s += "<line class=\"limit\" x1=\"" + Fmt("%.1f", x) + "\" y1=\"" + std::to_string(top) + "\" x2=\"" +
         Fmt("%.1f", x) + "\" y2=\"" + std::to_string(top + ph) + "\"><title>training context " + Num(limit) +
         "</title></line><text x=\"" + Fmt("%.1f", x + 4) + "\" y=\"" + std::to_string(top + 12) +
         "\" style=\"fill:var(--bad)\">limit " + Num(limit) + "</text>\n";
  }
  return s + "</svg>\n";
}

// ---- count --------------------------------------------------------------------------------------------

std::string CountBody(const Value& r) {
  const Value& c = Obj(r, "counts");
  const Value& d = Obj(r, "derived");
  uint64_t cap = Member(r, "max_tokens") && (*Member(r, "max_tokens")).IsUint64() ? U(r, "max_tokens") : 0;
  std::string b = "<section><h2>Summary</h2><div class=\"kpis\">";
  b += Kpi(Num(U(c, "examples")), "examples counted") + Kpi(Num(U(c, "tokens")), "tokens");
  b += Kpi(Num(U(c, "billed_tokens_per_epoch")), "billed per epoch");
  b += Kpi(Fmt("%.1f", D(d, "mean")), "mean tokens per example");
  b += Kpi(Num(U(c, "over_limit")), cap ? "over the limit of " + Num(cap) : "over the limit (no limit known)");
  if (U(c, "bad_records")) b += Kpi(Num(U(c, "bad_records")), "records not counted");
  b += "</div>\n<table id=\"stats\"><tr><th>min</th><th>p5</th><th>p10</th><th>p50</th><th>p90</th><th>p95</th>"
       "<th>p99</th><th>max</th></tr><tr>";
  b += "<td>" + Num(U(Obj(r, "min"), "tokens_per_example")) + "</td>";
  for (const char* p : {"p5", "p10", "p50", "p90", "p95", "p99"}) b += "<td>" + Num(U(d, p)) + "</td>";
  b += "<td>" + Num(U(Obj(r, "max"), "tokens_per_example")) + "</td></tr></table></section>\n";

  LinearBuckets h = ChooseLinearBuckets(Obj(Obj(r, "histograms"), "tokens_per_example"));
  b += "<section><h2>Tokens per example</h2>";
  if (h.counts.empty()) {
    b += "<p>No example was counted.</p>";
  } else {
    b += Histogram(h, cap);
    if (cap && U(Obj(r, "max"), "tokens_per_example") <= cap) {
      b += "<p>Every example fits the training context of " + Num(cap) + " tokens.</p>";
    }
  }
  b += "</section>\n";

  uint64_t trained = U(c, "trained_tokens"), other = U(c, "other_tokens"), all = trained + other;
  double tw = all ? static_cast<double>(trained) / static_cast<double>(all) * 900 : 0;
  b += "<section><h2>Trained vs other tokens</h2><svg id=\"trained\" viewBox=\"0 0 900 40\" role=\"img\" "
       "aria-label=\"trained versus other tokens\"><rect class=\"part trained\" x=\"0\" y=\"4\" width=\"" +
       Fmt("%.1f", tw) + "\" height=\"28\"><title>trained " + Num(trained) +
       "</title></rect><rect class=\"part other\" x=\"" + Fmt("%.1f", tw) + "\" y=\"4\" width=\"" +
       Fmt("%.1f", 900 - tw) + "\" height=\"28\"><title>other " + Num(other) + "</title></rect></svg>";
  b += "<p><b>" + Num(trained) + "</b> trained tokens (assistant turns, completions, chosen outputs) — " +
       (all ? Fmt("%.1f", 100.0 * static_cast<double>(trained) / static_cast<double>(all)) : std::string("0")) +
       "% — and <b>" + Num(other) + "</b> other tokens (prompts, system messages" +
       (U(c, "framing_tokens") ? ", " + Num(U(c, "framing_tokens")) + " of chat framing" : std::string()) +
       ").</p></section>\n";

  const Value& f = Arr(r, "findings");
  if (f.Size()) {
    b += "<section><h2>Examples over the limit</h2><table id=\"over\"><tr><th>where</th><th class=\"n\">tokens"
         "</th></tr>";
    for (const auto& e : f.GetArray()) {
      b += "<tr><td><code>" + Esc(S(e, "file")) + ":" + std::to_string(U(e, "line")) + "</code></td><td class=\"n\">" +
           Num(U(e, "tokens")) + "</td></tr>";
    }
    if (U(c, "over_limit") > f.Size()) b += "<tr><td colspan=\"2\">… " + Num(U(c, "over_limit") - f.Size()) + " more</td></tr>";
    b += "</table></section>\n";
  }
  std::string what = S(r, "model").empty() ? "" : "model <code>" + Esc(S(r, "model")) + "</code>, ";
  (void)what;
  return b;
}

std::string CountSubtitle(const Value& r) {
  std::string s = Inputs(r);
  if (!S(r, "model").empty()) s += " · model <code>" + Esc(S(r, "model")) + "</code>";
  s += " · encoding <code>" + Esc(S(r, "encoding")) + "</code>";
  if (S(r, "framing") == "chat") s += " · chat framing per OpenAI's cookbook (an estimate)";
  return s;
}

// ---- validate -----------------------------------------------------------------------------------------

std::string ValidateBody(const Value& r) {
  const Value& c = Obj(r, "counts");
  bool passed = Member(Obj(r, "derived"), "passed") && (*Member(Obj(r, "derived"), "passed")).IsTrue();
  std::string b = "<section><h2>Summary</h2><div class=\"kpis\">";
  b += Kpi(passed ? "<span class=\"pass\">passed</span>" : "<span class=\"fail\">failed</span>", "result");
  b += Kpi(Num(U(c, "records")), "records") + Kpi(Num(U(c, "valid")), "valid") +
       Kpi(Num(U(c, "invalid")), "invalid") + Kpi(Num(U(c, "errors")), "errors") +
       Kpi(Num(U(c, "warnings")), "warnings");
  b += "</div></section>\n";

  struct RuleRow {
    std::string rule, severity;
    uint64_t n;
  };
  std::vector<RuleRow> rows;
  const Value& hist = Obj(r, "histograms");
  for (const char* sev : {"error", "warning", "info"}) {
    const Value& by = Obj(hist, (std::string(sev) + "s_by_rule").c_str());
    for (const auto& m : by.GetObject()) {
      if (m.value.IsUint64()) rows.push_back({m.name.GetString(), sev, m.value.GetUint64()});
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const RuleRow& a, const RuleRow& b) { return a.n > b.n; });
  b += "<section><h2>Findings per rule</h2>";
  if (rows.empty()) {
    b += "<p>No findings.</p>";
  } else {
    b += "<table id=\"rules\"><tr><th>rule</th><th>severity</th><th class=\"n\">findings</th></tr>";
    std::vector<Bar> bars;
    for (const auto& row : rows) {
      b += "<tr><td><code class=\"rule\">" + Esc(row.rule) + "</code></td><td class=\"sev-" + row.severity + "\">" +
           row.severity + "</td><td class=\"n\">" + Num(row.n) + "</td></tr>";
      bars.push_back({row.rule, static_cast<double>(row.n), Num(row.n),
                      row.severity == "error" ? "over" : row.severity == "warning" ? "warning" : ""});
    }
    b += "</table>" + HBars("rule-chart", bars, "findings per rule");
  }
  b += "</section>\n";

  // The first examples of each rule, in report order.
  std::map<std::string, std::vector<const Value*>> firsts;
  for (const auto& f : Arr(r, "findings").GetArray()) {
    auto& v = firsts[S(f, "rule")];
    if (v.size() < 5) v.push_back(&f);
  }
  if (!firsts.empty()) {
    b += "<section><h2>First examples per rule</h2><table id=\"examples\"><tr><th>rule</th><th>where</th>"
         "<th>JSON path</th><th>message</th></tr>";
    for (const auto& row : rows) {
      for (const Value* f : firsts[row.rule]) {
        std::string where = S(*f, "file") + (U(*f, "line") ? ":" + std::to_string(U(*f, "line")) : "");
        b += "<tr><td><code>" + Esc(row.rule) + "</code></td><td><code>" + Esc(where) + "</code></td><td>" +
             (S(*f, "path").empty() ? "" : "<code>" + Esc(S(*f, "path")) + "</code>") + "</td><td>" +
             Esc(S(*f, "message")) + "</td></tr>";
      }
    }
    b += "</table></section>\n";
  }

  std::string name = S(r, "profile");
  b += "<section><h2>Profile</h2><p><code>" + Esc(name) + "</code>";
  auto profile = LoadProfile(name);
  if (profile.ok()) {
    if (!profile->description.empty()) b += " — " + Esc(profile->description);
    b += "</p>";
    if (!profile->sources.empty()) {
      b += "<p>Sources" + (profile->checked.empty() ? "" : " (checked " + Esc(profile->checked) + ")") + ":</p><ul>";
      for (const auto& src : profile->sources) b += "<li><code>" + Esc(src) + "</code></li>";
      b += "</ul>";
    }
  } else {
    b += "</p>";
  }
  return b + "</section>\n";
}

// ---- price --------------------------------------------------------------------------------------------

std::string PriceBody(const Value& r) {
  std::string b =
      "<section><h2>Training and inference cost</h2><table id=\"costs\"><tr><th>model</th>"
      "<th>provider</th><th class=\"n\">epochs</th><th class=\"n\">billed tokens</th>"
      "<th class=\"n\">training</th><th class=\"n\">storage / month</th>"
      "<th class=\"n\">per 1,000 requests</th>"
      "<th class=\"n\">break-even (requests)</th></tr>";
  std::vector<Bar> bars;
  for (const auto& m : Arr(r, "models").GetArray()) {
    const Value& t = Obj(m, "training");
    const Value& inf = Obj(m, "inference");
    const Value& p = Obj(m, "price");
    const Value* cost = Member(t, "cost_usd");
    std::string train = cost && cost->IsNumber() ? Usd(cost->GetDouble()) : "needs hours";
    // A provider's minimum charge and monthly storage fee are part of what the job costs; show them plainly.
    if (Member(t, "minimum_applied") && Member(t, "minimum_applied")->IsTrue()) train += " (minimum charge)";
    const Value* storage = Member(t, "storage_per_month_usd");
    std::string store = storage && storage->IsNumber() ? Usd(storage->GetDouble()) : "—";
    std::string be = "—";
    if (Member(inf, "break_even_never") && (*Member(inf, "break_even_never")).IsTrue()) {
      be = "never (not cheaper)";
    } else if (Member(inf, "break_even_requests") && (*Member(inf, "break_even_requests")).IsUint64()) {
      be = Num(U(inf, "break_even_requests"));
    }
    const Value* per = Member(inf, "per_1000_requests_usd");
    b += "<tr><td><code>" + Esc(S(m, "model")) + "</code></td><td>" + Esc(S(p, "provider")) +
         "</td><td class=\"n\">" + std::to_string(U(t, "epochs")) + "</td><td class=\"n\">" +
         Num(U(t, "billed_tokens")) + "</td><td class=\"n\">" + train + "</td><td class=\"n\">" + store +
         "</td><td class=\"n\">" + (per && per->IsNumber() ? Usd(per->GetDouble()) : "—") +
         "</td><td class=\"n\">" + be + "</td></tr>";
    if (cost && cost->IsNumber()) bars.push_back({S(m, "model"), cost->GetDouble(), Usd(cost->GetDouble()), ""});
  }
  const Value& teacher = Obj(r, "teacher");
  if (!S(teacher, "model").empty()) {
    const Value* per = Member(teacher, "per_1000_requests_usd");
    b += "<tr><td><code>" + Esc(S(teacher, "model")) + "</code> (teacher)</td><td>" +
         Esc(S(Obj(teacher, "price"), "provider")) +
         "</td><td></td><td></td><td></td><td></td><td class=\"n\">" +
         (per && per->IsNumber() ? Usd(per->GetDouble()) : "—") + "</td><td></td></tr>";
  }
  b += "</table>";
  if (!bars.empty()) b += "<h2>Training cost</h2>" + HBars("cost-chart", bars, "training cost");
  b += "<p>Break-even: requests after which the fine-tuned model's lower price per request has paid for its "
       "training (and, with a teacher, for generating the data).</p></section>\n";
  std::string notes;
  for (const auto& n : Arr(r, "warnings").GetArray()) {
    if (n.IsString()) notes += "<li>" + Esc(n.GetString()) + "</li>";
  }
  for (const auto& n : Arr(r, "notes").GetArray()) {
    if (n.IsString()) notes += "<li>" + Esc(n.GetString()) + "</li>";
  }
  b += "<section><h2>Prices used</h2><table id=\"sources\"><tr><th>model</th><th>source</th><th>checked</th></tr>";
  for (const auto& m : Arr(r, "models").GetArray()) {
    const Value& p = Obj(m, "price");
    b += "<tr><td><code>" + Esc(S(m, "model")) + "</code></td><td><code>" + Esc(S(p, "source")) + "</code></td><td>" +
         Esc(S(p, "checked")) + "</td></tr>";
  }
  b += "</table>" + (notes.empty() ? "" : "<ul class=\"notes\">" + notes + "</ul>") + "</section>\n";
  return b;
}

// ---- clean and split ----------------------------------------------------------------------------------

std::string CleanBody(const Value& r) {
  const Value& c = Obj(r, "counts");
  std::string b = "<section><h2>Summary</h2><div class=\"kpis\">" + Kpi(Num(U(c, "records")), "records in") +
                  Kpi(Num(U(c, "written")), "kept") + Kpi(Num(U(c, "changed")), "changed") +
                  Kpi(Num(U(c, "dropped")), "dropped") + Kpi(Num(U(c, "unreadable")), "unreadable") +
                  "</div></section>\n";
  std::map<std::string, std::array<uint64_t, 3>> steps;  // step -> changed, dropped, fields
  for (const auto& m : c.GetObject()) {
    std::string k = m.name.GetString();
    for (int i = 0; i < 3; ++i) {
      static const char* kSuffix[] = {".changed", ".dropped", ".fields"};
      std::string suf = kSuffix[i];
      if (k.size() > suf.size() && k.compare(k.size() - suf.size(), suf.size(), suf) == 0 && m.value.IsUint64()) {
        steps[k.substr(0, k.size() - suf.size())][i] = m.value.GetUint64();
      }
    }
  }
  b += "<section><h2>What each step changed</h2><table id=\"steps\"><tr><th>step</th><th class=\"n\">records "
       "changed</th><th class=\"n\">records dropped</th><th class=\"n\">fields changed</th></tr>";
  std::vector<Bar> bars;
  for (const auto& [step, v] : steps) {
    b += "<tr><td><code class=\"rule\">" + Esc(step) + "</code></td><td class=\"n\">" + Num(v[0]) +
         "</td><td class=\"n\">" + Num(v[1]) + "</td><td class=\"n\">" + Num(v[2]) + "</td></tr>";
    if (v[0] + v[1]) {
      bars.push_back({step, static_cast<double>(v[0] + v[1]),
                      Num(v[0]) + " changed, " + Num(v[1]) + " dropped", v[1] ? "over" : ""});
    }
  }
  b += "</table>";
  if (!bars.empty()) b += HBars("step-chart", bars, "records changed or dropped per step");
  b += "</section>\n";
  const Value& f = Arr(r, "findings");
  if (f.Size()) {
    b += "<section><h2>First examples</h2><table id=\"examples\"><tr><th>step</th><th>where</th><th>what</th></tr>";
    for (const auto& e : f.GetArray()) {
      std::string what = S(e, "message");
      if (what.empty()) what = S(e, "what");
      b += "<tr><td><code>" + Esc(S(e, "rule")) + "</code></td><td><code>" + Esc(S(e, "file")) + ":" +
           std::to_string(U(e, "line")) + "</code></td><td>" + Esc(what) + "</td></tr>";
    }
    b += "</table></section>\n";
  }
  return b;
}

std::string SplitBody(const Value& r) {
  const Value& c = Obj(r, "counts");
  std::string b = "<section><h2>Summary</h2><div class=\"kpis\">" + Kpi(Num(U(c, "records_in")), "records in") +
                  Kpi(Num(U(c, "records_kept")), "kept") + Kpi(Num(U(c, "dropped")), "dropped") +
                  Kpi(Num(U(c, "rejected")), "rejected") + "</div><p>Mode <code>" + Esc(S(r, "mode")) +
                  "</code>, seed " + std::to_string(U(r, "seed")) + ", order " + Esc(S(r, "order")) +
                  ".</p></section>\n";
  const Value& splits = Obj(c, "splits");
  const Value& frac = Obj(Obj(r, "derived"), "fraction_of_kept");
  b += "<section><h2>Where records went</h2><table id=\"splits\"><tr><th>split</th><th class=\"n\">records</th>"
       "<th class=\"n\">share</th><th class=\"n\">bytes</th><th class=\"n\">tokens</th></tr>";
  std::vector<Bar> bars;
  std::vector<std::string> names;
  for (const auto& n : Arr(r, "names").GetArray()) {
    if (n.IsString()) names.push_back(n.GetString());
  }
  if (names.empty()) {
    for (const auto& m : splits.GetObject()) names.push_back(m.name.GetString());
  }
  for (const auto& n : names) {
    const Value& s = Obj(splits, n.c_str());
    std::string share = Fmt("%.1f%%", 100 * D(frac, n.c_str()));
    b += "<tr><td><code class=\"rule\">" + Esc(n) + "</code></td><td class=\"n\">" + Num(U(s, "records")) +
         "</td><td class=\"n\">" + share + "</td><td class=\"n\">" + Num(U(s, "bytes")) + "</td><td class=\"n\">" +
         Num(U(s, "tokens")) + "</td></tr>";
    bars.push_back({n, static_cast<double>(U(s, "records")), Num(U(s, "records")) + " records (" + share + ")", ""});
  }
  b += "</table>" + HBars("split-chart", bars, "records per split") + "</section>\n";
  return b;
}

}  // namespace

LinearBuckets ChooseLinearBuckets(const rapidjson::Value& histogram) {
  LinearBuckets out;
  if (!histogram.IsObject() || histogram.MemberCount() == 0) return out;
  std::map<uint64_t, uint64_t> values;
  uint64_t n = 0;
  for (const auto& m : histogram.GetObject()) {
    if (!m.value.IsUint64()) continue;
    values[std::strtoull(m.name.GetString(), nullptr, 10)] += m.value.GetUint64();
    n += m.value.GetUint64();
  }
  if (values.empty()) return out;
  uint64_t lo = values.begin()->first, hi = values.rbegin()->first;
  // Sturges' rule, kept between 5 and 20 bars so small sets still show a shape and large ones stay legible.
  uint64_t target = std::clamp<uint64_t>(static_cast<uint64_t>(std::ceil(std::log2(static_cast<double>(n)))) + 1, 5, 20);
  // 128-bit arithmetic: a span near 2^64 must not wrap.
  using u128 = unsigned __int128;
  const u128 span = static_cast<u128>(hi) - lo + 1;
  u128 width = 0;
  for (u128 p = 1; width == 0; p *= 10) {
    // 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, ...: round bucket edges at every scale.
    for (u128 w : {p, 2 * p, p >= 10 ? p / 2 * 5 : 0, 5 * p}) {
      if (width == 0 && w && (w >= span || (span + w - 1) / w <= target)) width = w;
    }
  }
  if (width > (u128{1} << 63)) width = u128{1} << 63;
  out.width = static_cast<uint64_t>(width);
  out.lo = lo / out.width * out.width;
  out.counts.assign((hi - out.lo) / out.width + 1, 0);
  for (const auto& [v, c] : values) out.counts[(v - out.lo) / out.width] += c;
  return out;
}

Result<std::string> RenderHtmlReport(const rapidjson::Value& report) {
  std::string tool = report.IsObject() ? S(report, "tool") : "";
  if (tool == "count") return Page(tool, CountSubtitle(report), CountBody(report));
  if (tool == "validate") return Page(tool, "profile <code>" + Esc(S(report, "profile")) + "</code>", ValidateBody(report));
  if (tool == "price") {
    return Page(tool, Inputs(report) + " · prices as of " + Esc(S(report, "as_of")) + " · " +
                          Num(U(report, "examples")) + " examples",
                PriceBody(report));
  }
  if (tool == "clean") return Page(tool, "what each cleaning step did", CleanBody(report));
  if (tool == "split") return Page(tool, "where the records went", SplitBody(report));
  return InternalError("no HTML layout for a '" + tool + "' report");
}

Status WriteHtmlReport(const rapidjson::Value& report, const std::string& path, const OutputOptions& options) {
  auto page = RenderHtmlReport(report);
  if (!page.ok()) return page.status();
  auto out = Output::Open(path, options);
  if (!out.ok()) return out.status();
  FTPREP_RETURN_IF_ERROR((*out)->Write(*page));
  return (*out)->Commit();
}

Status WriteHtmlReport(std::string_view report_json, const std::string& path, const OutputOptions& options) {
  rapidjson::Document d;
  d.Parse(report_json.data(), report_json.size());
  if (d.HasParseError()) {
    return InternalError(std::string("report is not JSON: ") + rapidjson::GetParseError_En(d.GetParseError()));
  }
  return WriteHtmlReport(d, path, options);
}

}  // namespace ftprep
