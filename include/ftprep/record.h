// ftprep/record.h — one record (one JSON object) flowing between reader, tool and writer.
//
// A record keeps the bytes it was read as (`raw`) and the JSON text the format produced (`json`, usually the
// same bytes), and parses them into a RapidJSON document only when a tool asks for doc(). A tool that changes
// doc() calls Touch(); writers then serialise the document (compact, UTF-8 unescaped, key order kept) instead
// of passing the original bytes through. Not thread-safe; a Record is reused across Next() calls, so copy
// what you need to keep.
#ifndef FTPREP_RECORD_H_
#define FTPREP_RECORD_H_

#include <rapidjson/document.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/json_flags.h"

namespace ftprep {

// Where a record came from. `file` is the name shown in messages ("train.jsonl", "<stdin>").
struct Location {
  std::string file;
  uint64_t line = 0;    // 1-based line (text) or row (sheets)
  uint64_t column = 0;  // 1-based byte column of a problem, 0 if none
  std::string sheet;    // workbook sheet, empty otherwise
};

class Record {
 public:
  Record();
  Record(const Record&) = delete;
  Record& operator=(const Record&) = delete;

  // Resets the record to hold `json` (and `raw`, the original bytes; empty = same as json).
  void Assign(std::string_view json, std::string_view raw = {});
  // Marks the record bad: a per-record problem found while reading. raw() keeps the bytes.
  void AssignError(std::string_view raw, std::string message, std::string rule_id, uint64_t column);

  bool bad() const { return bad_; }
  const std::string& error() const { return error_; }
  const std::string& rule_id() const { return rule_id_; }

  // The original bytes (a JSONL line without its newline, or the JSON a format reader produced).
  std::string_view raw() const { return raw_.empty() ? std::string_view(json_) : std::string_view(raw_); }
  // The JSON text of the record as it is now: original bytes if untouched, else the serialised document.
  std::string_view json();
  // The parsed object. Parses lazily; a record whose json does not parse gets a null document (check
  // parse_ok()). Modifying it requires Touch(). Its strings live in the record's memory and may be RapidJSON
  // const strings, which CopyFrom and Value(v, allocator) share instead of copying: to keep a value beyond the
  // record (the next Assign), copy it with CopyJson.
  rapidjson::Document& doc();
  bool parse_ok();
  rapidjson::Document::AllocatorType& allocator() { return doc().GetAllocator(); }
  void Touch() { modified_ = true; serialized_ = false; }
  // For format readers that validate while they parse (in-tree formats, core/format_reader.h): after
  // Assign(), `parse(doc, text, len)` builds the emptied document from the record's JSON text (NUL-terminated)
  // and returns whether it is a valid record. doc() then returns that document without parsing again (null
  // when parse returned false).
  template <typename Parse>
  bool ParseNow(Parse&& parse) {
    ClearDoc();
    parse_ok_ = parse(*doc_, json_.c_str(), json_.size());
    parsed_ = true;
    if (!parse_ok_) doc_->SetNull();
    return parse_ok_;
  }
  // For in-tree readers whose records have a shape they can build faster than a parse (core/format_reader.h:
  // csv/tsv rows are flat objects of strings): after Assign(), the reader fills build_hint() (e.g. where the
  // members sit in the JSON text) and calls BuildLater(build). The first doc() then calls
  // build(doc, text, len, hint) on the emptied document instead of parsing; it must give the document a
  // parse of the text would give and return whether that is a valid record (as ParseNow's `parse`).
  using BuildFn = bool (*)(rapidjson::Document& doc, const char* text, size_t len, const std::vector<uint32_t>& hint);
  void BuildLater(BuildFn build) { build_ = build; }
  std::vector<uint32_t>& build_hint() { return hint_; }
  bool modified() const { return modified_; }

  // Deferred reading, for format readers whose per-record checks and parse can run on any thread: after
  // Assign(), Defer(fn, arg) leaves them to Resolve(), which calls fn(this, arg) once; fn finishes the record
  // as the reader would have (ParseNow, or AssignError for a bad record). The pipeline's --jobs workers
  // resolve the records they process, so the reading thread only frames them. Readers resolve each record
  // before returning it unless ReadOptions::defer_parse is set; doc() resolves first too. fn must be safe to
  // call from any thread (a plain function, not tied to the reader, which may be gone by then).
  using DeferredFn = void (*)(Record* rec, uint64_t arg);
  void Defer(DeferredFn fn, uint64_t arg) {
    deferred_ = fn;
    deferred_arg_ = arg;
  }
  // Defer for a fn that reads state shared by many records (a table's column names; arg points to it): the
  // record keeps `keep` alive, so fn may run after the reader is gone. A reused record deferred with the
  // same state again keeps it without touching the reference count.
  void Defer(DeferredFn fn, uint64_t arg, const std::shared_ptr<const void>& keep) {
    Defer(fn, arg);
    if (deferred_keep_ != keep) deferred_keep_ = keep;
  }
  bool deferred() const { return deferred_ != nullptr; }
  void Resolve() {
    if (deferred_ == nullptr) return;
    DeferredFn fn = deferred_;
    deferred_ = nullptr;
    fn(this, deferred_arg_);
  }

  Location loc;
  uint64_t index = 0;  // 0-based ordinal of the record in its input (bad records included)

 private:
  void ClearDoc();
  std::string json_, raw_, error_, rule_id_;
  BuildFn build_ = nullptr;
  std::vector<uint32_t> hint_;
  bool bad_ = false, parsed_ = false, parse_ok_ = false, modified_ = false, serialized_ = false;
  DeferredFn deferred_ = nullptr;
  uint64_t deferred_arg_ = 0;
  std::shared_ptr<const void> deferred_keep_;  // state deferred_ reads (see Defer); kept across records
  // The document's memory: a reused block of pool_size_ bytes (grown to what records need, at most 64 KiB)
  // plus chunks for larger records, freed at the next record.
  std::unique_ptr<char[]> pool_;
  size_t pool_size_ = 0;
  std::unique_ptr<rapidjson::MemoryPoolAllocator<>> alloc_;
  std::unique_ptr<rapidjson::Document> doc_;
};

// Sets *to to a copy of `from` in `a`'s memory, strings included (CopyFrom shares const strings).
void CopyJson(const rapidjson::Value& from, rapidjson::Value* to, rapidjson::Document::AllocatorType& a);

// Serialises a value compactly (UTF-8 unescaped, key order kept).
std::string ToJson(const rapidjson::Value& v);
// Appends a JSON string literal for `s` (which must be UTF-8) to *out.
void AppendJsonString(std::string_view s, std::string* out);

}  // namespace ftprep

#endif  // FTPREP_RECORD_H_
