#include "convert/mapping.h"

#include <algorithm>
#include <cstdlib>

#include "cli.h"

namespace ftprep::convert {
namespace {

bool Blank(std::string_view s) {
  for (char c : s) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
  }
  return true;
}

void Message(std::string* json, const char* role, std::string_view content) {
  *json += "{\"role\":\"";
  *json += role;
  *json += "\",\"content\":";
  AppendJsonString(content, json);
  *json += '}';
}

std::string MemberNames(const rapidjson::Value& row, std::vector<std::string>* names) {
  std::string list;
  for (auto it = row.MemberBegin(); it != row.MemberEnd(); ++it) {
    std::string n(it->name.GetString(), it->name.GetStringLength());
    names->push_back(n);
    if (list.size() < 200) list += (list.empty() ? "" : ", ") + n;
  }
  return list;
}

Status MissingColumn(const std::string& col, const std::string& flag, const rapidjson::Value& row) {
  std::vector<std::string> names;
  std::string list = MemberNames(row, &names);
  std::string msg = flag + ": no column '" + col + "' in the input (columns: " + list + ")";
  auto close = ClosestNames(col, names);
  if (!close.empty()) msg += "; did you mean '" + close[0] + "'?";
  return UsageError(msg);
}

const rapidjson::Value* Member(const rapidjson::Value& row, const std::string& name) {
  if (!row.IsObject()) return nullptr;
  auto it = row.FindMember(rapidjson::StringRef(name.data(), name.size()));
  return it == row.MemberEnd() ? nullptr : &it->value;
}

}  // namespace

std::string CellText(const rapidjson::Value& v) {
  if (v.IsString()) return std::string(v.GetString(), v.GetStringLength());
  if (v.IsNull()) return "";
  return ToJson(v);
}

Result<FieldSpec> FieldSpec::Parse(const std::string& text, const std::string& flag) {
  FieldSpec f;
  f.flag_ = flag;
  f.text_ = text;
  if (text.find('{') == std::string::npos && text.find('}') == std::string::npos) {
    if (text.empty()) return UsageError(flag + " needs a column name or a template");
    f.parts_.push_back({true, text});
    return f;
  }
  std::string lit;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
      lit += '{';
      ++i;
    } else if (c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
      lit += '}';
      ++i;
    } else if (c == '{') {
      size_t close = text.find('}', i + 1);
      if (close == std::string::npos) {
        return UsageError(flag + ": unclosed '{' in template \"" + text + "\" (write {{ for a literal brace)");
      }
      std::string name = text.substr(i + 1, close - i - 1);
      if (name.empty()) return UsageError(flag + ": empty {} in template \"" + text + "\"");
      if (!lit.empty()) f.parts_.push_back({false, lit});
      lit.clear();
      f.parts_.push_back({true, name});
      i = close;
    } else if (c == '}') {
      return UsageError(flag + ": unmatched '}' in template \"" + text + "\" (write }} for a literal brace)");
    } else {
      lit += c;
    }
  }
  if (!lit.empty()) f.parts_.push_back({false, lit});
  return f;
}

bool FieldSpec::Render(const rapidjson::Value& row, std::string* out, std::string* missing, bool* blank) const {
  out->clear();
  bool all_blank = true, any_column = false;
  for (const auto& p : parts_) {
    if (!p.column) {
      *out += p.text;
      continue;
    }
    const rapidjson::Value* v = Member(row, p.text);
    if (v == nullptr) {
      *missing = p.text;
      return false;
    }
    any_column = true;
    size_t start = out->size();
    if (v->IsString()) {
      out->append(v->GetString(), v->GetStringLength());
    } else {
      *out += CellText(*v);
    }
    if (all_blank && !Blank(std::string_view(*out).substr(start))) all_blank = false;
  }
  if (blank) *blank = any_column && all_blank;
  return true;
}

std::vector<std::string> FieldSpec::Columns() const {
  std::vector<std::string> out;
  for (const auto& p : parts_) {
    if (p.column) out.push_back(p.text);
  }
  return out;
}

Result<std::unique_ptr<RowMapper>> RowMapper::Create(const MappingOptions& opts) {
  auto m = std::unique_ptr<RowMapper>(new RowMapper());
  m->opts_ = opts;
  auto need = [&](const std::string& v, const char* flag, FieldSpec* out) -> Status {
    if (v.empty()) return UsageError(std::string("--to ") + opts.to + " needs " + flag + " COLUMN|TEMPLATE");
    auto f = FieldSpec::Parse(v, flag);
    if (!f.ok()) return f.status();
    *out = std::move(*f);
    return Status::Ok();
  };
  const std::string& to = opts.to;
  if (to == "completion") {
    if (!opts.empty_prompt) FTPREP_RETURN_IF_ERROR(need(opts.prompt, "--prompt", &m->prompt_));
    // Without --completion: prompts alone, the requests a teacher model is to answer (priced by
    // `ftprep price --expected-output-tokens`).
    if (!opts.completion.empty()) FTPREP_RETURN_IF_ERROR(need(opts.completion, "--completion", &m->completion_));
    if (opts.empty_prompt && opts.completion.empty()) {
      return UsageError("--to completion with an empty --prompt needs --completion COLUMN|TEMPLATE");
    }
  } else if (to == "chat") {
    FTPREP_RETURN_IF_ERROR(need(opts.user, "--user", &m->user_));
    // Without --assistant: system + user turns only, the requests a teacher model is to answer.
    if (!opts.assistant.empty()) FTPREP_RETURN_IF_ERROR(need(opts.assistant, "--assistant", &m->assistant_));
  } else if (to == "preference") {
    FTPREP_RETURN_IF_ERROR(need(opts.input, "--input", &m->input_));
    FTPREP_RETURN_IF_ERROR(need(opts.preferred, "--preferred", &m->preferred_));
    FTPREP_RETURN_IF_ERROR(need(opts.non_preferred, "--non-preferred", &m->non_preferred_));
  } else if (to == "text_list") {
    if (opts.fields.empty()) return UsageError("--to text_list needs --fields a,b,...");
    for (const auto& f : opts.fields) {
      auto fs = FieldSpec::Parse(f, "--fields");
      if (!fs.ok()) return fs.status();
      m->fields_.push_back(std::move(*fs));
    }
    if (!opts.weights.empty()) {
      if (opts.weights.size() != opts.fields.size()) {
        return UsageError("--weights has " + std::to_string(opts.weights.size()) + " values, --fields has " +
                          std::to_string(opts.fields.size()));
      }
      for (const auto& w : opts.weights) {
        char* end = nullptr;
        std::strtod(w.c_str(), &end);
        if (w.empty() || *end != '\0') return UsageError("--weights: '" + w + "' is not a number");
      }
    }
  } else if (!to.empty()) {
    return InternalError("RowMapper: unknown schema " + to);
  }
  return m;
}

Status RowMapper::CheckColumns(const rapidjson::Value& row) const {
  std::vector<const FieldSpec*> all = {&prompt_, &completion_, &user_, &assistant_, &input_, &preferred_,
                                       &non_preferred_};
  for (const auto& f : fields_) all.push_back(&f);
  for (const FieldSpec* f : all) {
    for (const auto& c : f->Columns()) {
      if (Member(row, c) == nullptr) return MissingColumn(c, f->flag(), row);
    }
  }
  for (const auto& c : opts_.columns) {
    if (opts_.to.empty() && Member(row, c) == nullptr) return MissingColumn(c, "--columns", row);
  }
  return Status::Ok();
}

bool RowMapper::Field(const FieldSpec& f, const rapidjson::Value& row, std::string* out, std::string* rule,
                      std::string* message) const {
  std::string missing;
  bool columns_blank = false;
  if (!f.Render(row, out, &missing, &columns_blank)) {
    *rule = "convert.missing_column";
    *message = "no column '" + missing + "' in this record (needed by " + f.flag() + ")";
    return false;
  }
  // A template whose every column is empty here ("Improve the sentence: {sentence}" on an empty sentence)
  // is as empty as the field itself.
  if (Blank(*out) || columns_blank) {
    *rule = "convert.empty_field";
    *message = f.flag() + " is empty in this record (" + f.text() + ")";
    return false;
  }
  return true;
}

bool RowMapper::Map(const rapidjson::Value& row, std::string* json, std::string* rule,
                    std::string* message) const {
  json->clear();
  const std::string& to = opts_.to;
  std::string a, b, c;
  if (to.empty()) {
    *json += '{';
    bool first = true;
    for (const auto& col : opts_.columns) {
      const rapidjson::Value* v = Member(row, col);
      if (v == nullptr) {
        *rule = "convert.missing_column";
        *message = "no column '" + col + "' in this record (needed by --columns)";
        return false;
      }
      if (!first) *json += ',';
      first = false;
      AppendJsonString(col, json);
      *json += ':';
      *json += ToJson(*v);
    }
    *json += '}';
    return true;
  }
  if (to == "completion") {
    bool with_completion = !opts_.completion.empty();
    if ((!opts_.empty_prompt && !Field(prompt_, row, &a, rule, message)) ||
        (with_completion && !Field(completion_, row, &b, rule, message))) {
      return false;
    }
    *json += "{\"prompt\":";
    AppendJsonString(a, json);
    if (with_completion) {
      *json += ",\"completion\":";
      AppendJsonString(b, json);
    }
    *json += '}';
    return true;
  }
  if (to == "chat") {
    bool with_assistant = !opts_.assistant.empty();
    if (!Field(user_, row, &a, rule, message) || (with_assistant && !Field(assistant_, row, &b, rule, message))) {
      return false;
    }
    *json += "{\"messages\":[";
    if (!opts_.system.empty()) {
      Message(json, "system", opts_.system);
      *json += ',';
    }
    Message(json, "user", a);
    if (with_assistant) {
      *json += ',';
      Message(json, "assistant", b);
    }
    *json += "]}";
    return true;
  }
  if (to == "preference") {
    if (!Field(input_, row, &a, rule, message) || !Field(preferred_, row, &b, rule, message) ||
        !Field(non_preferred_, row, &c, rule, message)) {
      return false;
    }
    *json += "{\"input\":{\"messages\":[";
    if (!opts_.system.empty()) {
      Message(json, "system", opts_.system);
      *json += ',';
    }
    Message(json, "user", a);
    *json += "]},\"preferred_output\":[";
    Message(json, "assistant", b);
    *json += "],\"non_preferred_output\":[";
    Message(json, "assistant", c);
    *json += "]}";
    return true;
  }
  if (to == "text_list") {
    *json += "{\"data\":{\"text_list\":[";
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (!Field(fields_[i], row, &a, rule, message)) return false;
      if (i) *json += ',';
      AppendJsonString(a, json);
    }
    *json += ']';
    if (!opts_.weights.empty()) {
      *json += ",\"loss_weights\":[";
      for (size_t i = 0; i < opts_.weights.size(); ++i) {
        if (i) *json += ',';
        *json += opts_.weights[i];
      }
      *json += ']';
    }
    *json += "}}";
    return true;
  }
  *rule = "convert.internal";
  *message = "unknown schema";
  return false;
}

// ---- Grouper ------------------------------------------------------------------------------------------------

Status Grouper::CheckColumns(const rapidjson::Value& row) const {
  if (Member(row, opts_.group_by) == nullptr) return MissingColumn(opts_.group_by, "--group-by", row);
  if (Member(row, opts_.role_col) == nullptr) return MissingColumn(opts_.role_col, "--role-col", row);
  if (Member(row, opts_.content_col) == nullptr) return MissingColumn(opts_.content_col, "--content-col", row);
  if (!opts_.order_col.empty() && Member(row, opts_.order_col) == nullptr) {
    return MissingColumn(opts_.order_col, "--order-col", row);
  }
  return Status::Ok();
}

bool Grouper::Add(const rapidjson::Value& row, const Location& loc, std::string* rule, std::string* message) {
  auto get = [&](const std::string& col, std::string* out) {
    const rapidjson::Value* v = Member(row, col);
    if (v == nullptr) {
      *rule = "convert.missing_column";
      *message = "no column '" + col + "' in this record";
      return false;
    }
    *out = CellText(*v);
    return true;
  };
  std::string key, role, content, order;
  if (!get(opts_.group_by, &key) || !get(opts_.role_col, &role) || !get(opts_.content_col, &content)) return false;
  if (!opts_.order_col.empty() && !get(opts_.order_col, &order)) return false;
  std::string lower = role;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  static const char* kRoles[] = {"system", "developer", "user", "assistant", "tool"};
  bool known = false;
  for (const char* r : kRoles) known |= lower == r;
  if (!known) {
    *rule = "convert.unknown_role";
    *message = "role '" + role + "' in column '" + opts_.role_col +
               "' is not one of system, developer, user, assistant, tool";
    return false;
  }
  if (Blank(content)) {
    *rule = "convert.empty_field";
    *message = "empty content in column '" + opts_.content_col + "'";
    return false;
  }
  auto it = groups_.find(key);
  if (it == groups_.end()) {
    keys_.push_back(key);
    it = groups_.emplace(key, Group{loc, {}}).first;
  }
  it->second.turns.push_back({order, lower, content, seq_++});
  return true;
}

std::vector<Grouper::Out> Grouper::Finish() {
  std::vector<Out> out;
  for (const auto& k : keys_) {
    Group& g = groups_[k];
    if (!opts_.order_col.empty()) {
      bool numeric = true;
      for (const auto& t : g.turns) {
        char* end = nullptr;
        std::strtod(t.order.c_str(), &end);
        if (t.order.empty() || *end != '\0') numeric = false;
      }
      std::stable_sort(g.turns.begin(), g.turns.end(), [numeric](const Turn& a, const Turn& b) {
        if (numeric) return std::strtod(a.order.c_str(), nullptr) < std::strtod(b.order.c_str(), nullptr);
        return a.order < b.order;
      });
    }
    Out o;
    o.loc = g.loc;
    o.json = "{\"messages\":[";
    bool first = true;
    bool has_system = !g.turns.empty() && g.turns[0].role == "system";
    if (!opts_.system.empty() && !has_system) {
      Message(&o.json, "system", opts_.system);
      first = false;
    }
    for (const auto& t : g.turns) {
      if (!first) o.json += ',';
      first = false;
      Message(&o.json, t.role.c_str(), t.content);
    }
    o.json += "]}";
    out.push_back(std::move(o));
  }
  groups_.clear();
  keys_.clear();
  return out;
}

}  // namespace ftprep::convert
