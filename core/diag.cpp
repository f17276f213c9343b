#include "diag.h"

#include <cstdio>
#include <deque>
#include <mutex>
#include <unordered_map>

#include "cli.h"

namespace ftprep {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    default: return "error";
  }
}

namespace {
// Bytes in the UTF-8 sequence a lead byte starts.
size_t SequenceLength(unsigned char lead) { return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2; }
bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

std::string Excerpt(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  size_t i = 0;
  for (; i < text.size() && chars < max_chars; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      if (c == '\n') {
        out += "\\n";
      } else if (c == '\t') {
        out += "\\t";
      } else {
        std::snprintf(buf, sizeof(buf), "\\x%02X", c);
        out += buf;
      }
      ++chars;
      continue;
    }
    if ((c & 0xC0) != 0x80) ++chars;
    out += static_cast<char>(c);
  }
  // The last character counted may be a lead byte: keep the continuation bytes it announces, so the cut is
  // never inside it.
  size_t lead_at = out.size();
  while (lead_at > 0 && IsContinuation(out[lead_at - 1])) --lead_at;
  if (lead_at > 0 && static_cast<unsigned char>(out[lead_at - 1]) >= 0xC0) {
    size_t need = SequenceLength(static_cast<unsigned char>(out[lead_at - 1]));
    while (out.size() - (lead_at - 1) < need && i < text.size() && IsContinuation(text[i])) out += text[i++];
  }
  // Do not cut inside a UTF-8 sequence (text that was already cut short).
  while (!out.empty() && IsContinuation(out.back())) {
    size_t k = out.size();
    while (k > 0 && IsContinuation(out[k - 1])) --k;
    if (k == 0) break;
    if (out.size() - (k - 1) == SequenceLength(static_cast<unsigned char>(out[k - 1]))) break;
    out.resize(k - 1);
  }
  if (chars >= max_chars && out.size() < text.size()) out += "…";
  return out;
}

const RuleId* InternRule(std::string_view name) {
  static std::mutex mu;
  static std::deque<RuleId> ids;                              // stable addresses
  static std::unordered_map<std::string_view, RuleId*> by_name;  // views of ids[i].name
  std::lock_guard<std::mutex> l(mu);
  auto it = by_name.find(name);
  if (it != by_name.end()) return it->second;
  RuleId& id = ids.emplace_back();
  id.name.assign(name);
  id.index = static_cast<uint32_t>(ids.size() - 1);
  by_name.emplace(id.name, &id);
  return &id;
}

Diagnostics::Diagnostics(size_t max_per_rule)
    : max_per_rule_(max_per_rule), full_(std::make_unique<std::atomic<bool>[]>(kTracked)) {}

Diagnostics::RuleCount& Diagnostics::Count(Severity sev, const Location& loc, RuleCount& rc, uint32_t index) {
  if (sev == Severity::kError) ++errors_;
  if (sev == Severity::kWarning) ++warnings_;
  if (rc.count == 0) {
    rc.severity = sev;
    rc.first_line = loc.line;
  }
  ++rc.count;
  // From here on every finding of this rule is only counted: workers may stop building its messages.
  if (index < kTracked && rc.count >= max_per_rule_) full_[index].store(true, std::memory_order_relaxed);
  return rc;
}

void Diagnostics::Report(Severity sev, const Location& loc, std::string_view rule, std::string_view message,
                         std::string_view path, std::string_view excerpt) {
  auto it = by_rule_.find(rule);  // no key string built for a rule seen before
  if (it == by_rule_.end()) it = by_rule_.emplace(std::string(rule), RuleCount()).first;
  RuleCount& rc = Count(sev, loc, it->second, kTracked);
  if (quiet_ || rc.count > max_per_rule_) return;
  Print(sev, loc, rule, message, path, excerpt);
}

void Diagnostics::Report(Severity sev, const Location& loc, const RuleId* rule, std::string_view message,
                         std::string_view path, std::string_view excerpt) {
  if (rule->index >= by_index_.size()) by_index_.resize(rule->index + 1, nullptr);
  RuleCount*& slot = by_index_[rule->index];
  if (slot == nullptr) {
    auto it = by_rule_.find(rule->name);
    if (it == by_rule_.end()) it = by_rule_.emplace(rule->name, RuleCount()).first;
    slot = &it->second;  // map nodes do not move
  }
  RuleCount& rc = Count(sev, loc, *slot, rule->index);
  if (quiet_ || rc.count > max_per_rule_) return;
  Print(sev, loc, rule->name, message, path, excerpt);
}

void Diagnostics::Print(Severity sev, const Location& loc, std::string_view rule, std::string_view message,
                        std::string_view path, std::string_view excerpt) const {
  std::string m = ToolName() + ": " + loc.file;
  if (!loc.sheet.empty()) m += "[" + loc.sheet + "]";
  if (loc.line) m += ":" + std::to_string(loc.line);
  if (loc.column) m += ":" + std::to_string(loc.column);
  m += ": ";
  m += SeverityName(sev);
  if (!rule.empty()) {
    m += "[";
    m += rule;
    m += "]";
  }
  m += ": ";
  m += message;
  if (!path.empty()) {
    m += " at ";
    m += path;
  }
  if (!excerpt.empty()) {
    m += "\n    | ";
    m += Excerpt(excerpt);
  }
  m += "\n";
  std::fwrite(m.data(), 1, m.size(), stderr);
}

void Diagnostics::PrintSuppressed() const {
  if (quiet_) return;
  for (const auto& [rule, rc] : by_rule_) {
    if (rc.count > max_per_rule_) {
      std::fprintf(stderr, "%s: ... and %llu more %s[%s] (use --max-shown to see more)\n", ToolName().c_str(),
                   static_cast<unsigned long long>(rc.count - max_per_rule_), SeverityName(rc.severity),
                   rule.c_str());
    }
  }
}

namespace {
thread_local std::string* t_deferred = nullptr;

void Emit(std::string_view kind, std::string_view message) {
  std::string line = ToolName() + ": ";
  line += kind;
  line += message;
  line += '\n';
  if (t_deferred != nullptr) {
    *t_deferred += line;
  } else {
    std::fputs(line.c_str(), stderr);
  }
}
}  // namespace

void DeferMessages(std::string* into) { t_deferred = into; }
void Note(std::string_view message) { Emit("", message); }
void Warning(std::string_view message) { Emit("warning: ", message); }

}  // namespace ftprep
