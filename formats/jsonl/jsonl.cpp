// JSON Lines format plugin: one JSON object per line.
//
// Streams the input in 1 MiB blocks, so memory is bounded by the longest line (capped by max_record_bytes).
// Each line is checked for valid UTF-8 and NUL bytes, then parsed by RapidJSON in iterative mode with a
// nesting-depth limit (no recursion, so `[[[[...` cannot overflow the stack). Compiled into ftprep, the reader
// first tries the one-pass parse of core/json_fast.h, which checks bytes, syntax, depth and duplicate keys
// while it builds the record's document and declines whatever it is not sure of; a declined line gets the
// full path: the checks above, then one RapidJSON parse into the record (core/format_reader.h) and a
// duplicate-key walk; a line that fails goes through the SAX pass below, which words the message. Behind the C ABI (as a module),
// the SAX pass validates every line and the host parses the JSON text only if a tool needs the values. A UTF-8 BOM at the start, CRLF endings, blank lines
// (skipped and counted) and a last line without a newline are accepted. Lone UTF-16 surrogate escapes
// (`"\ud83d"`, accepted by Python's json) become `\ufffd` in the record's JSON — as tiktoken sees them — while
// the original bytes are kept for pass-through.
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/stream.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "ftprep/plugin.hpp"
#include "format_reader.h"
#include "json_fast.h"
#include "utf8.h"

namespace {

using ftprep::plugin::Option;

// Duplicate keys are rejected: consumers disagree on which value wins (Python's json keeps the last,
// RapidJSON's FindMember the first), so a duplicated "messages" could validate here and train differently
// there. Small objects are checked by a linear scan over the keys of the open objects; an object with many
// keys switches to a hash set so the check stays linear in the record's size.
struct KeyTracker {
  static constexpr size_t kLinear = 32;
  std::vector<std::string> keys;  // keys of the currently open objects, innermost last (reused storage)
  size_t nkeys = 0;
  std::vector<size_t> starts;  // per open object: first index in keys
  std::vector<std::unique_ptr<std::unordered_set<std::string>>> big;  // per open object depth, lazily
  std::vector<bool> is_big;
  std::string dup;

  void Reset() {
    nkeys = 0;
    starts.clear();
    is_big.clear();
    // A line that stopped inside a large object (at its duplicate) never closed it: forget its keys.
    for (auto& b : big) {
      if (b) b->clear();
    }
  }
  void Open() {
    starts.push_back(nkeys);
    is_big.push_back(false);
  }
  void Close() {
    nkeys = starts.back();
    if (is_big.back()) big[starts.size() - 1]->clear();
    starts.pop_back();
    is_big.pop_back();
  }
  // False if `k` already appeared in the innermost open object.
  bool Add(const char* s, size_t n) {
    std::string_view k(s, n);
    size_t level = starts.size() - 1;
    if (is_big[level]) {
      if (!big[level]->emplace(k).second) return Dup(k);
      return true;
    }
    size_t start = starts.back();
    for (size_t i = start; i < nkeys; ++i) {
      if (keys[i] == k) return Dup(k);
    }
    if (nkeys - start >= kLinear) {
      if (big.size() <= level) big.resize(level + 1);
      if (!big[level]) big[level] = std::make_unique<std::unordered_set<std::string>>();
      for (size_t i = start; i < nkeys; ++i) big[level]->emplace(keys[i]);
      big[level]->emplace(k);
      is_big[level] = true;
      nkeys = start;
      return true;
    }
    if (keys.size() <= nkeys) keys.resize(nkeys + 1);
    keys[nkeys++].assign(k);
    return true;
  }
  bool Dup(std::string_view k) {
    dup.assign(k);
    return false;
  }
};

struct DepthHandler : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, DepthHandler> {
  int depth = 0, max_depth = 1000;
  bool root_seen = false, root_object = false, too_deep = false, duplicate = false;
  KeyTracker* keys = nullptr;
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (!keys->Add(s, n)) {
      duplicate = true;
      return false;
    }
    return true;
  }
  bool Default() {
    if (!root_seen) root_seen = true;  // a scalar root
    return true;
  }
  bool Open(bool object) {
    if (!root_seen) {
      root_seen = true;
      root_object = object;
    }
    if (++depth > max_depth) {
      too_deep = true;
      return false;
    }
    return true;
  }
  bool StartObject() {
    if (!Open(true)) return false;
    keys->Open();
    return true;
  }
  bool StartArray() { return Open(false); }
  bool EndObject(rapidjson::SizeType) {
    keys->Close();
    --depth;
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    --depth;
    return true;
  }
};

// Rewrites lone surrogate escapes to \ufffd (same length, so columns are unchanged). Returns true if changed.
// The string's terminating NUL stops ftprep::JsonHex4 at its end.
bool FixLoneSurrogates(std::string* s) {
  bool changed = false, in_str = false;
  char* p = s->data();
  char* end = p + s->size();
  while (p < end) {
    char c = *p;
    if (!in_str) {
      if (c == '"') in_str = true;
      ++p;
      continue;
    }
    if (c == '"') {
      in_str = false;
      ++p;
      continue;
    }
    if (c != '\\' || p + 1 >= end) {
      ++p;
      continue;
    }
    if (p[1] != 'u') {
      p += 2;
      continue;
    }
    int v = ftprep::JsonHex4(p + 2);
    if (v < 0) {
      p += 2;
      continue;
    }
    if (v >= 0xD800 && v <= 0xDBFF) {
      int w = (end - p >= 12 && p[6] == '\\' && p[7] == 'u') ? ftprep::JsonHex4(p + 8) : -1;
      if (w >= 0xDC00 && w <= 0xDFFF) {
        p += 12;
        continue;
      }
      std::memcpy(p + 2, "fffd", 4);
      changed = true;
    } else if (v >= 0xDC00 && v <= 0xDFFF) {
      std::memcpy(p + 2, "fffd", 4);
      changed = true;
    }
    p += 6;
  }
  return changed;
}

// A key for a message: control bytes as \xNN, cut at a character boundary after `max` bytes.
std::string Printable(std::string_view k, size_t max) {
  std::string out;
  for (size_t i = 0; i < k.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(k[i]);
    if (out.size() >= max && (c & 0xC0) != 0x80) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "\\x%02X", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// Forwards SAX events to `h` (a document being built) and stops past max_depth levels of nesting, so the
// one parse that builds a record also enforces the reader's depth limit.
template <typename H>
struct DepthGuard {
  using Ch = char;
  H& h;
  int max_depth;
  int depth = 0;
  bool Null() { return h.Null(); }
  bool Bool(bool b) { return h.Bool(b); }
  bool Int(int i) { return h.Int(i); }
  bool Uint(unsigned u) { return h.Uint(u); }
  bool Int64(int64_t i) { return h.Int64(i); }
  bool Uint64(uint64_t u) { return h.Uint64(u); }
  bool Double(double d) { return h.Double(d); }
  bool RawNumber(const Ch* s, rapidjson::SizeType n, bool copy) { return h.RawNumber(s, n, copy); }
  bool String(const Ch* s, rapidjson::SizeType n, bool copy) { return h.String(s, n, copy); }
  bool Key(const Ch* s, rapidjson::SizeType n, bool copy) { return h.Key(s, n, copy); }
  bool StartObject() { return ++depth <= max_depth && h.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth;
    return h.EndObject(n);
  }
  bool StartArray() { return ++depth <= max_depth && h.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth;
    return h.EndArray(n);
  }
};

// Does any object of a parsed record repeat a key? Walks the document without recursion. Objects of a few
// members (nearly all) compare their keys pairwise; larger ones go through a hash set.
class DuplicateKeys {
 public:
  bool Any(const rapidjson::Value& root) {
    stack_.clear();
    stack_.push_back(&root);
    while (!stack_.empty()) {
      const rapidjson::Value* v = stack_.back();
      stack_.pop_back();
      if (v->IsObject()) {
        if (Repeats(*v)) return true;
        for (auto m = v->MemberBegin(); m != v->MemberEnd(); ++m) {
          if (m->value.IsObject() || m->value.IsArray()) stack_.push_back(&m->value);
        }
      } else if (v->IsArray()) {
        for (const auto& e : v->GetArray()) {
          if (e.IsObject() || e.IsArray()) stack_.push_back(&e);
        }
      }
    }
    return false;
  }

 private:
  static std::string_view Name(const rapidjson::Value& k) { return {k.GetString(), k.GetStringLength()}; }
  bool Repeats(const rapidjson::Value& obj) {
    const rapidjson::SizeType n = obj.MemberCount();
    if (n < 2) return false;
    auto b = obj.MemberBegin();
    if (n <= 16) {
      for (rapidjson::SizeType i = 1; i < n; ++i) {
        std::string_view k = Name(b[i].name);
        for (rapidjson::SizeType j = 0; j < i; ++j) {
          if (Name(b[j].name) == k) return true;
        }
      }
      return false;
    }
    seen_.clear();
    for (rapidjson::SizeType i = 0; i < n; ++i) {
      if (!seen_.insert(Name(b[i].name)).second) return true;
    }
    return false;
  }
  std::vector<const rapidjson::Value*> stack_;
  std::unordered_set<std::string_view> seen_;
};

// Where a line failed: its rule id and 1-based column (the message is LineChecker::msg()).
struct LineError {
  const char* rule = nullptr;
  uint64_t column = 0;
};

// The checks and the parse of one non-blank line, with the scratch they reuse from line to line. The C
// path's reader owns one; deferred records (the in-tree path) use one per thread, since the --jobs workers
// resolve them. `col_base` is the number of bytes cut before the line (a BOM), so columns count from the file.
class LineChecker {
 public:
  // Valid UTF-8 and no NUL byte.
  bool CheckBytes(std::string_view line, size_t col_base, LineError* err) {
    size_t bad = ftprep::FindInvalidUtf8(line);
    if (bad != std::string_view::npos) {
      char hex[8];
      std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned char>(line[bad]));
      msg_ = std::string("invalid UTF-8 (byte ") + hex + ") at column " + std::to_string(bad + 1 + col_base);
      return Bad(err, "utf8.invalid", bad + 1 + col_base);
    }
    const void* nul = std::memchr(line.data(), 0, line.size());
    if (nul != nullptr) {
      size_t at = static_cast<const char*>(nul) - line.data();
      msg_ = "NUL byte at column " + std::to_string(at + 1 + col_base);
      return Bad(err, "json.nul_byte", at + 1 + col_base);
    }
    return true;
  }

  // The SAX pass: depth, duplicate keys, syntax and root checks, with the messages bad lines get. `k` is the
  // offset of the line's first non-blank byte.
  bool Validate(std::string_view json, size_t k, size_t col_base, int max_depth, LineError* err) {
    rapidjson::MemoryStream ms(json.data(), json.size());
    DepthHandler h;
    h.max_depth = max_depth;
    keys_.Reset();
    h.keys = &keys_;
    rapidjson::ParseResult pr = sax_.Parse<rapidjson::kParseIterativeFlag>(ms, h);
    if (h.duplicate) {
      std::string shown = Printable(keys_.dup, 80);
      msg_ = "duplicate key \"" + shown + "\" in one object at column " + std::to_string(pr.Offset() + col_base) +
             " (readers disagree on which value wins)";
      return Bad(err, "json.duplicate_key", pr.Offset() + col_base);
    }
    if (h.too_deep) {
      msg_ = "JSON nested deeper than " + std::to_string(max_depth) + " levels at column " +
             std::to_string(pr.Offset() + col_base);
      return Bad(err, "json.too_deep", pr.Offset() + col_base);
    }
    if (pr.IsError()) {
      std::string what = rapidjson::GetParseError_En(pr.Code());
      if (!what.empty() && what.back() == '.') what.pop_back();
      // RapidJSON calls a raw control character inside a string an "invalid escape"; say what it is.
      if (pr.Code() == rapidjson::kParseErrorStringEscapeInvalid && pr.Offset() < json.size() &&
          static_cast<unsigned char>(json[pr.Offset()]) < 0x20) {
        char hex[8];
        std::snprintf(hex, sizeof(hex), "0x%02X", static_cast<unsigned char>(json[pr.Offset()]));
        what = std::string("control character ") + hex + " in a string must be escaped";
      }
      msg_ = "invalid JSON: " + what + " at column " + std::to_string(pr.Offset() + 1 + col_base);
      return Bad(err, "json.syntax", pr.Offset() + 1 + col_base);
    }
    if (!h.root_object) {
      char c = json[k];
      const char* what = c == '[' ? "an array" : c == '"' ? "a string" : (c == 't' || c == 'f') ? "a boolean"
                       : c == 'n' ? "null" : "a number";
      msg_ = std::string("record is not a JSON object (found ") + what + ")";
      return Bad(err, "json.not_object", k + 1 + col_base);
    }
    return true;
  }

  // Builds `doc` from `text` (NUL-terminated, no NUL inside: CheckBytes) with the depth limit; true for a JSON
  // object without duplicate keys. Numbers as ftprep::ParseRecordJson reads them.
  bool Parse(rapidjson::Document& doc, const char* text, size_t len, int max_depth) {
    bool ok = false;
    if (!ftprep::json_detail::MayHoldZeroWithExponent(text, len)) {
      auto build = [&](rapidjson::Document& d) {
        DepthGuard<rapidjson::Document> g{d, max_depth};
        rapidjson::StringStream ss(text);
        ok = !sax_.Parse<ftprep::kRecordParseFlags>(ss, g).IsError();
        return ok;
      };
      doc.Populate(build);
    } else {
      auto build = [&](rapidjson::Document& d) {
        ftprep::json_detail::ExactNumbers<rapidjson::Document> exact{d};
        DepthGuard<ftprep::json_detail::ExactNumbers<rapidjson::Document>> g{exact, max_depth};
        rapidjson::StringStream ss(text);
        ok = !sax_.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseNumbersAsStringsFlag>(ss, g).IsError();
        return ok;
      };
      doc.Populate(build);
    }
    return ok && doc.IsObject() && !dups_.Any(doc);
  }

  const std::string& msg() const { return msg_; }

 private:
  static bool Bad(LineError* err, const char* rule, uint64_t column) {
    err->rule = rule;
    err->column = column;
    return false;
  }

  std::string msg_;
  KeyTracker keys_;
  DuplicateKeys dups_;
  rapidjson::Reader sax_;  // kept so its stack is reused from line to line
};

size_t LeadingBlanks(std::string_view line) {
  size_t k = 0;
  while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
  return k;
}

// The line with lone surrogate escapes rewritten (in *scratch), or the line itself when it has none.
std::string_view WithoutLoneSurrogates(std::string_view line, std::string* scratch) {
  if (line.find("\\u") == std::string_view::npos ||
      (line.find("\\ud") == std::string_view::npos && line.find("\\uD") == std::string_view::npos)) {
    return line;
  }
  scratch->assign(line);
  return FixLoneSurrogates(scratch) ? std::string_view(*scratch) : line;
}

// A deferred record's arguments: the bytes cut before the line, the depth limit and whether to try the
// one-pass parse first.
constexpr uint64_t kFullPathOnly = uint64_t{1} << 40;
uint64_t PackLineArg(int max_depth, size_t col_base, bool fast) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(max_depth)) << 8) | (col_base & 0xff) |
         (fast ? 0 : kFullPathOnly);
}

// Finishes a record the in-tree reader framed (Record::Resolve, on whichever thread processes it): the
// byte checks, then one parse straight into the record's document; a line that fails any check goes
// through the SAX pass, which words the message, so both paths report bad lines identically.
void ResolveLine(ftprep::Record* rec, uint64_t arg) {
  thread_local LineChecker checker;
  thread_local std::string fixed;
  const size_t col_base = arg & 0xff;
  const int max_depth = static_cast<int32_t>(static_cast<uint32_t>((arg >> 8) & 0xffffffff));
  // Nearly every line is a plain record that the one-pass parse takes; what it declines goes the full way.
  if ((arg & kFullPathOnly) == 0 && rec->ParseNow([&](rapidjson::Document& d, const char* text, size_t len) {
        return ftprep::ParseRecordFast(d, text, len, max_depth);
      })) {
    return;
  }
  const std::string_view line = rec->raw();
  LineError err;
  if (checker.CheckBytes(line, col_base, &err)) {
    std::string_view json = WithoutLoneSurrogates(line, &fixed);
    if (json.data() != line.data()) {
      std::string original(line);
      rec->Assign(json, original);
    }
    if (rec->ParseNow([&](rapidjson::Document& d, const char* text, size_t len) {
          return checker.Parse(d, text, len, max_depth);
        })) {
      return;
    }
    // Only the DOM parse refused it (not expected): a good record whose doc() is null, as before.
    if (checker.Validate(json, LeadingBlanks(json), col_base, max_depth, &err)) return;
  }
  rec->AssignError(rec->raw(), checker.msg(), err.rule, err.column);
}

class JsonlReader {
 public:
  JsonlReader(const ftprep_host* host, ftprep_stream* in, ftprep_options opts) : host_(host), in_(in) {
    max_record_ = std::strtoull(std::string(Option(opts, "max_record_bytes", "67108864")).c_str(), nullptr, 10);
    max_depth_ = std::atoi(std::string(Option(opts, "max_depth", "1000")).c_str());
    // read_block_bytes exists for the fuzz target: tiny blocks drive lines across block boundaries.
    size_t block = std::strtoull(std::string(Option(opts, "read_block_bytes", "1048576")).c_str(), nullptr, 10);
    buf_size_ = std::clamp<size_t>(block, 1, 64u << 20);
    buf_ = std::make_unique_for_overwrite<char[]>(buf_size_);  // not zeroed: read() fills what is used
    // fast_parse=0 exists for the tests: it sends every line down the full path, to compare the two.
    fast_ = std::string_view(Option(opts, "fast_parse", "1")) != "0";
  }
  ~JsonlReader() {
    if (blank_ > 0 && host_ && host_->warn) {
      std::string m = std::string(in_->name) + ": skipped " + std::to_string(blank_) + " blank line" +
                      (blank_ == 1 ? "" : "s");
      host_->warn(host_->ctx, m.c_str());
    }
  }

  // The C ABI path: the line's bytes are checked and validated by a SAX pass; the host parses the JSON text
  // it gets back when a tool needs the values.
  int Next(ftprep_record_out* out) {
    std::string_view line;
    int rc = NextLine(out, &line);
    if (rc != FTPREP_OK || out->error != nullptr) return rc;
    LineError err;
    if (!checker_.CheckBytes(line, col_base_, &err)) return Bad(out, err);
    std::string_view json = WithoutLoneSurrogates(line, &fixed_);
    if (!checker_.Validate(json, LeadingBlanks(json), col_base_, max_depth_, &err)) return Bad(out, err);
    out->json = json.data();
    out->json_len = json.size();
    return FTPREP_OK;
  }

  // The in-tree path: the reader only frames the line; its checks and its one parse are deferred to
  // Record::Resolve (ResolveLine), which the --jobs workers run, so the reading thread stays light.
  int Next(ftprep::Record* rec) {
    ftprep_record_out out;
    std::string_view line;
    int rc = NextLine(&out, &line);
    if (rc != FTPREP_OK) return rc;
    if (out.error != nullptr) {
      rec->AssignError(std::string_view(out.raw, out.raw_len), out.error, out.rule_id, out.column);
    } else {
      rec->Assign(line);
      rec->Defer(&ResolveLine, PackLineArg(max_depth_, col_base_, fast_));
    }
    rec->loc.line = out.line;
    rec->loc.sheet.clear();
    return FTPREP_OK;
  }

  const char* error() const { return err_.c_str(); }

 private:
  // The next non-blank line (BOM and CR cut), or out->error set for one longer than the limit.
  int NextLine(ftprep_record_out* out, std::string_view* line_out) {
    for (;;) {
      std::string_view line;
      bool truncated = false;
      int rc = ReadLine(&line, &truncated);
      if (rc != FTPREP_OK) return rc;
      ++line_no_;
      if (line_no_ == 1 && line.size() >= 3 && std::memcmp(line.data(), "\xEF\xBB\xBF", 3) == 0) {
        line.remove_prefix(3);
        col_base_ = 3;
      } else {
        col_base_ = 0;
      }
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      *out = ftprep_record_out{};
      out->line = line_no_;
      out->raw = line.data();
      out->raw_len = line.size();
      if (truncated) {
        msg_ = "record is longer than the limit of " + std::to_string(max_record_) +
               " bytes (raise it with --max-record-bytes); only its first 4096 bytes are kept in rejects";
        out->error = msg_.c_str();
        out->rule_id = "record.too_large";
        out->column = 0;
        return FTPREP_OK;
      }
      if (LeadingBlanks(line) == line.size()) {
        ++blank_;
        continue;
      }
      *line_out = line;
      return FTPREP_OK;
    }
  }

  int Bad(ftprep_record_out* out, const LineError& err) {
    out->error = checker_.msg().c_str();
    out->rule_id = err.rule;
    out->column = err.column;
    return FTPREP_OK;
  }

  // Next line without its '\n'; *truncated if it exceeded max_record_ (then only its head is returned).
  int ReadLine(std::string_view* line, bool* truncated) {
    long_.clear();
    bool too_long = false;
    for (;;) {
      if (pos_ < len_) {
        const char* start = buf_.get() + pos_;
        const char* nl = static_cast<const char*>(std::memchr(start, '\n', len_ - pos_));
        size_t n = nl ? static_cast<size_t>(nl - start) : len_ - pos_;
        if (!too_long) {
          if (long_.size() + n > max_record_) {
            size_t keep = long_.size() < 4096 ? std::min(n, 4096 - long_.size()) : 0;
            long_.append(start, keep);
            // Keep the same head whatever the read sizes were, so rejects are reproducible.
            if (long_.size() > 4096) long_.resize(4096);
            too_long = true;
          } else if (nl && long_.empty()) {
            pos_ += n + 1;
            *line = std::string_view(start, n);
            *truncated = false;
            return FTPREP_OK;
          } else {
            long_.append(start, n);
          }
        }
        pos_ += n;
        if (nl) {
          ++pos_;
          *line = long_;
          *truncated = too_long;
          return FTPREP_OK;
        }
      }
      if (eof_) {
        if (long_.empty() && !too_long) return FTPREP_END;
        *line = long_;
        *truncated = too_long;
        eof_done_ = true;
        return FTPREP_OK;
      }
      long long n = in_->read(in_->ctx, buf_.get(), buf_size_);
      if (n < 0) {
        err_ = "read error";
        return FTPREP_ERR_IO;
      }
      pos_ = 0;
      len_ = static_cast<size_t>(n);
      if (n == 0) eof_ = true;
    }
  }

  const ftprep_host* host_;
  ftprep_stream* in_;
  uint64_t max_record_ = 64ull << 20;
  int max_depth_ = 1000;
  bool fast_ = true;
  std::unique_ptr<char[]> buf_;
  size_t buf_size_ = 0;
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false, eof_done_ = false;
  std::string long_, fixed_, msg_, err_;
  LineChecker checker_;  // the C path's
  uint64_t line_no_ = 0, blank_ = 0;
  size_t col_base_ = 0;
};

// Do the lines of head, after a first line that is not an object, look like JSON Lines? Every later line
// that is a whole object ('{' first, '}' last; the line cut off at the end of head only needs the '{')
// counts. A shard of a JSON Lines file starts wherever a line ends (GNU parallel --pipepart, Hadoop input
// splits), so its first line may be a broken record; it must still be read as JSON Lines, as the whole file
// is, rather than as a JSON array ("[1,2,3]") or as text. A JSON array written one element per line fails
// this (its lines end with ',' or ']'), as does pretty-printed JSON.
bool ObjectLinesAfterFirst(const char* p, size_t len) {
  const char* end = p + len;
  const char* nl = static_cast<const char*>(std::memchr(p, '\n', len));
  if (nl == nullptr) return false;
  size_t total = 1, objects = 0;  // the first line counts as one that is not an object
  for (const char* line = nl + 1; line < end;) {
    const char* e = static_cast<const char*>(std::memchr(line, '\n', static_cast<size_t>(end - line)));
    const bool complete = e != nullptr;
    if (!complete) e = end;
    const char* last = e;
    while (last > line && (last[-1] == '\r' || last[-1] == ' ' || last[-1] == '\t')) --last;
    if (last > line) {
      ++total;
      if (line[0] == '{' && (!complete || last[-1] == '}')) ++objects;
    }
    line = complete ? e + 1 : end;
  }
  // Mostly objects, or all but the first line.
  return objects >= 1 && (objects * 4 >= total * 3 || objects + 1 == total);
}

int Sniff(const char* head, size_t len, const char*) {
  size_t i = 0;
  if (len >= 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < len && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) ++i;
  if (i >= len) return 0;
  // Above the json plugin's 70 for a '[' first, below 80 (a clean start).
  if (head[i] != '{') return ObjectLinesAfterFirst(head + i, len - i) ? 75 : 0;
  // One object per line: after the first newline, the next non-blank line also starts with '{'.
  const char* nl = static_cast<const char*>(std::memchr(head + i, '\n', len - i));
  if (nl == nullptr) return 50;
  size_t j = static_cast<size_t>(nl - head) + 1;
  while (j < len && (head[j] == ' ' || head[j] == '\t' || head[j] == '\r' || head[j] == '\n')) ++j;
  if (j >= len || head[j] == '{') return 80;
  return 10;
}

int Open(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, void** reader) {
  try {
    *reader = new JsonlReader(host, in, opts);
    return FTPREP_OK;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}
int NextRec(void* r, ftprep_record_out* out) {
  try {
    return static_cast<JsonlReader*>(r)->Next(out);
  } catch (const std::bad_alloc&) {
    return FTPREP_ERR_LIMIT;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}
const char* Error(void* r) { return static_cast<JsonlReader*>(r)->error(); }
void Close(void* r) { delete static_cast<JsonlReader*>(r); }

const ftprep_format_v1 kFormat = {sizeof(ftprep_format_v1), ".jsonl,.ndjson,.jsonlines", &Sniff, &Open, &NextRec,
                                  &Error, &Close, nullptr, nullptr, nullptr};

#if defined(FTPREP_BUILTIN)
// The in-tree C++ reader (core/format_reader.h): each record parsed once, into the host's Record.
class RecordReader : public ftprep::RecordFormatReader {
 public:
  RecordReader(const ftprep_host* host, ftprep_stream* in, ftprep_options opts) : r_(host, in, opts) {}
  int Next(ftprep::Record* rec) override {
    try {
      return r_.Next(rec);
    } catch (const std::bad_alloc&) {
      return FTPREP_ERR_LIMIT;
    } catch (...) {
      return FTPREP_ERR_INTERNAL;
    }
  }
  const char* error() const override { return r_.error(); }

 private:
  JsonlReader r_;
};

int OpenRecordReader(const ftprep_host* host, ftprep_stream* in, ftprep_options opts,
                     std::unique_ptr<ftprep::RecordFormatReader>* reader) {
  try {
    *reader = std::make_unique<RecordReader>(host, in, opts);
    return FTPREP_OK;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}
#endif

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1& f = kFormat;
  static const ftprep_plugin_v1 p =
      ftprep::plugin::DescribeFormat("jsonl", "1.0", &f, "JSON Lines: one JSON object per line");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
FTPREP_RECORD_FORMAT(&kFormat, &OpenRecordReader)
