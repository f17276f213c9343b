// core/convert/mapping.h — turning table rows (JSON objects of column -> value) into training records, for
// `ftprep convert --to completion|chat|preference|text_list` and multi-turn chats from long tables.
//
//   FieldSpec  "COL" or a template like "Improve the sentence: {sentence}" ({{ and }} are literal braces).
//   RowMapper  one row -> one record in the target schema, or a per-row problem (rule id + message).
//   Grouper    rows of a long table (conv_id, role, content[, turn]) -> one chat record per conversation.
//
// Values are rendered as text: strings as they are, numbers/booleans/objects as their JSON text, null as "".
// A mapped field that renders empty (or only whitespace) is a per-row problem, never silently kept.
// Not thread-safe; one mapper per run.
#ifndef FTPREP_CORE_CONVERT_MAPPING_H_
#define FTPREP_CORE_CONVERT_MAPPING_H_

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/record.h"
#include "ftprep/status.h"

namespace ftprep::convert {

// A column reference or a template.
class FieldSpec {
 public:
  static Result<FieldSpec> Parse(const std::string& text, const std::string& flag);
  bool empty() const { return parts_.empty(); }
  // Renders the field for `row`; false with *missing = the column name if a column is absent. With
  // `blank`, *blank tells whether every column value was blank (a template around nothing).
  bool Render(const rapidjson::Value& row, std::string* out, std::string* missing, bool* blank = nullptr) const;
  // Column names referenced.
  std::vector<std::string> Columns() const;
  const std::string& flag() const { return flag_; }
  const std::string& text() const { return text_; }

 private:
  struct Part {
    bool column;
    std::string text;  // literal text or column name
  };
  std::vector<Part> parts_;
  std::string flag_, text_;
};

// Text of a JSON value as a table cell: strings as is, null as "", the rest as compact JSON.
std::string CellText(const rapidjson::Value& v);

struct MappingOptions {
  std::string to;  // "completion", "chat", "preference", "text_list", or "" (rows as they are)
  std::string prompt, completion, system, user, assistant, input, preferred, non_preferred;
  std::vector<std::string> fields, weights, columns;
  bool empty_prompt = false;  // --prompt "" (open-ended completions): an empty prompt on purpose
};

class RowMapper {
 public:
  // Checks the options (which flags each schema needs); usage errors name the missing flag.
  static Result<std::unique_ptr<RowMapper>> Create(const MappingOptions& opts);
  // Usage error when a referenced column is absent from the first row (with did-you-mean).
  Status CheckColumns(const rapidjson::Value& first_row) const;
  // Maps one row; false with rule/message for a row that cannot be mapped.
  bool Map(const rapidjson::Value& row, std::string* json, std::string* rule, std::string* message) const;
  bool passthrough() const { return opts_.to.empty() && opts_.columns.empty(); }

 private:
  bool Field(const FieldSpec& f, const rapidjson::Value& row, std::string* out, std::string* rule,
             std::string* message) const;
  MappingOptions opts_;
  FieldSpec prompt_, completion_, user_, assistant_, input_, preferred_, non_preferred_;
  std::vector<FieldSpec> fields_;
};

struct GroupOptions {
  std::string group_by, role_col = "role", content_col = "content", order_col, system;
};

// Collects rows in memory (grouped by key, in order of first appearance) and emits one chat per group.
class Grouper {
 public:
  explicit Grouper(GroupOptions opts) : opts_(std::move(opts)) {}
  Status CheckColumns(const rapidjson::Value& first_row) const;
  // Adds a row; false with rule/message if the row cannot be used (missing column, unknown role, empty).
  bool Add(const rapidjson::Value& row, const Location& loc, std::string* rule, std::string* message);
  struct Out {
    std::string json;
    Location loc;  // of the conversation's first row
  };
  // The chats, in order of first appearance.
  std::vector<Out> Finish();

 private:
  struct Turn {
    std::string order, role, content;
    uint64_t seq;
  };
  struct Group {
    Location loc;
    std::vector<Turn> turns;
  };
  GroupOptions opts_;
  std::vector<std::string> keys_;  // in order of first appearance
  std::map<std::string, Group> groups_;
  uint64_t seq_ = 0;
};

}  // namespace ftprep::convert

#endif  // FTPREP_CORE_CONVERT_MAPPING_H_
