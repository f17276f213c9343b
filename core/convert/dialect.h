// core/convert/dialect.h — record dialects (OpenAI chat, ShareGPT, Alpaca, Gemini, ...) as record -> record
// conversions, for `ftprep convert --from DIALECT|auto --to DIALECT`.
//
// A dialect is a format plugin with no extensions, no reader, a sniff function and a writer: opened with the
// writer option direction=decode it turns each record of its dialect into the canonical form (OpenAI chat
// {"messages":[...]} or OpenAI preference {"input":..,"preferred_output":..,"non_preferred_output":..});
// with direction=encode it turns canonical records into its dialect. Each write() emits exactly one line.
// sniff() receives one record's JSON text and scores 0..100 how sure it is the record is in its dialect.
// Not thread-safe; one codec per run.
#ifndef FTPREP_CORE_CONVERT_DIALECT_H_
#define FTPREP_CORE_CONVERT_DIALECT_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/plugin_api.h"
#include "ftprep/status.h"

namespace ftprep::convert {

// Names of the dialect plugins registered (built in or loaded), sorted.
std::vector<std::string> DialectNames();
// Accepts aliases: chat -> openai-chat, preference -> openai-preference. "" if not a dialect.
std::string CanonicalDialectName(const std::string& name);
// The dialect whose sniff scores `record_json` highest (> 0), or "".
std::string SniffDialect(std::string_view record_json);

// What a built-in dialect holds and what its records look like, for --help and for saying why a record
// cannot be written in it. `holds` is the canonical kind its records decode to: "chat" (OpenAI chat
// {"messages":[..]}) or "preference" (OpenAI preference). Dialects loaded from plugins have no entry.
struct DialectInfo {
  const char* name;
  const char* holds;
  const char* example;  // one line of its shape
  const char* owner;    // whose documentation defines it
  const char* shape;    // core/schema's ShapeName of its records: how count, clean and price list their texts
};
const std::vector<DialectInfo>& BuiltinDialects();
const DialectInfo* FindDialectInfo(std::string_view name);
// The kind of a canonical record ("chat", "preference", or "" when it is neither).
std::string CanonicalKind(std::string_view json);
// Why `target` cannot hold this canonical record's KTO label, or "". An unpaired (KTO) example carries a
// boolean "label"; `"label": false` marks an answer *not* to learn from. Dialects that keep the label
// (sharegpt as kto_tag, trl-prompt-completion) hold it; any other chat dialect would train on that answer.
std::string KtoLabelConflict(std::string_view canonical, std::string_view target);

class DialectCodec {
 public:
  // kDecode: dialect -> canonical; kEncode: canonical -> dialect; kCheck: reads the record as the dialect
  // (as kDecode does) and outputs "": Convert() fails when the record is not in the dialect.
  enum class Direction { kEncode, kDecode, kCheck };
  static Result<std::unique_ptr<DialectCodec>> Open(const std::string& name, Direction direction);
  static Result<std::unique_ptr<DialectCodec>> Open(const std::string& name, bool decode) {
    return Open(name, decode ? Direction::kDecode : Direction::kEncode);
  }
  ~DialectCodec();
  // Converts one record; false with *error for a record that cannot be converted.
  bool Convert(std::string_view json, std::string* out, std::string* error);
  const std::string& name() const { return name_; }

 private:
  DialectCodec() = default;
  static int Sink(void* self, const char* data, size_t len);
  std::string name_;
  const ftprep_format_v1* f_ = nullptr;
  void* w_ = nullptr;
  std::string buf_;
};

}  // namespace ftprep::convert

#endif  // FTPREP_CORE_CONVERT_DIALECT_H_
