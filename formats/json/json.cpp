// JSON format plugin: an array of objects (each element is a record), a single object (one record), or JSON
// Lines saved as .json (objects on successive lines). Writer: a JSON array, one record per line.
//
// Streaming: the input is buffered only up to the current element (the buffer doubles when an element does
// not fit, so re-parsing a long element stays linear). Each element is parsed by RapidJSON's SAX reader
// (iterative, so deep nesting cannot overflow the stack; depth capped by max_depth; UTF-8 validated) and
// written back compactly by a handler: strings re-escaped canonically (the same escaping the CSV reader
// uses, so the same data gives byte-identical JSONL), numbers kept as their source text (no precision loss,
// "1.0" stays "1.0"), key order kept.
//
// Errors: an element that is not an object is a per-record problem (json.not_object) and the stream goes on;
// in JSON Lines mode a line that does not parse is a per-record problem too (resync at the next line). A
// syntax error inside an array breaks the structure: the read stops with line and column. JSONTestSuite:
// every y_ file is accepted, every n_ file rejected; of the i_ files, invalid UTF-8, UTF-16 input, lone high
// surrogates and numbers RapidJSON finds out of double range (huge exponents) are rejected; lone low
// surrogates become U+FFFD; big integers, underflows and 500-deep nesting are accepted (numbers are kept as
// their source text). The unit test prints the outcome of every i_ file.
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "../csv/csv_engine.h"

namespace {

using ftprep::delim::AppendJsonBody;
using ftprep::delim::OutBuf;
using ftprep::plugin::Option;

// Writes the SAX events of one value as compact JSON.
struct Compact : rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Compact> {
  OutBuf* out = nullptr;
  int max_depth = 1000;
  bool too_deep = false, root_object = false, started = false;
  std::vector<uint32_t> counts;  // items so far at each open level
  std::vector<char> kinds;       // 'o' or 'a'

  void Reset(OutBuf* o) {
    out = o;
    too_deep = root_object = started = false;
    counts.clear();
    kinds.clear();
  }
  void BeforeValue() {
    started = true;
    if (!kinds.empty() && kinds.back() == 'a' && counts.back()++ > 0) out->Push(',');
  }
  void Str(const char* s, size_t n) {
    out->Push('"');
    // RapidJSON encodes a lone low-surrogate escape (\uDC00-\uDFFF) as a UTF-16 surrogate in UTF-8 bytes
    // (ED B0..BF xx), which is not valid UTF-8: write U+FFFD instead, as the jsonl reader does.
    const char* run = s;
    for (size_t i = 0; i + 2 < n; ++i) {
      if (static_cast<unsigned char>(s[i]) == 0xED && static_cast<unsigned char>(s[i + 1]) >= 0xA0) {
        AppendJsonBody(run, s + i - run, false, false, out);
        out->Append("\xEF\xBF\xBD", 3);
        i += 2;
        run = s + i + 1;
      }
    }
    AppendJsonBody(run, s + n - run, false, false, out);
    out->Push('"');
  }
  bool Null() {
    BeforeValue();
    out->Append("null", 4);
    return true;
  }
  bool Bool(bool b) {
    BeforeValue();
    if (b) {
      out->Append("true", 4);
    } else {
      out->Append("false", 5);
    }
    return true;
  }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    BeforeValue();
    out->Append(s, n);
    return true;
  }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    BeforeValue();
    Str(s, n);
    return true;
  }
  bool Open(char kind) {
    if (!started) root_object = kind == 'o';
    BeforeValue();
    if (static_cast<int>(kinds.size()) >= max_depth) {
      too_deep = true;
      return false;
    }
    kinds.push_back(kind);
    counts.push_back(0);
    out->Push(kind == 'o' ? '{' : '[');
    return true;
  }
  bool StartObject() { return Open('o'); }
  bool StartArray() { return Open('a'); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (counts.back()++ > 0) out->Push(',');
    Str(s, n);
    out->Push(':');
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    kinds.pop_back();
    counts.pop_back();
    out->Push('}');
    return true;
  }
  bool EndArray(rapidjson::SizeType) {
    kinds.pop_back();
    counts.pop_back();
    out->Push(']');
    return true;
  }
};

constexpr unsigned kFlags = rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseIterativeFlag |
                            rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag;

inline bool Ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class JsonReader {
 public:
  JsonReader(ftprep_stream* in, ftprep_options opts) : in_(in) {
    max_record_ = ftprep::delim::ParseU64(Option(opts, "max_record_bytes"), 64ull << 20);
    max_depth_ = static_cast<int>(ftprep::delim::ParseU64(Option(opts, "max_depth"), 1000));
    // read_block_bytes exists for the fuzz target: tiny blocks cut elements at every possible byte.
    block_ = std::clamp<size_t>(ftprep::delim::ParseU64(Option(opts, "read_block_bytes"), 1 << 20), 1, 1 << 20);
    cap_ = block_;
    buf_.reset(new char[cap_]);
  }

  int Open() {
    if (!Ensure(3)) return FTPREP_ERR_IO;
    if (end_ >= 3 && std::memcmp(buf_.get(), "\xEF\xBB\xBF", 3) == 0) {
      pos_ = 3;
    }
    int rc = SkipWs();
    if (rc != FTPREP_OK) return rc;
    if (pos_ >= end_) {
      err_ = "no JSON value in the input (empty file)";
      return FTPREP_ERR_DATA;
    }
    mode_ = buf_[pos_] == '[' ? kArray : kValues;
    if (mode_ == kArray) {
      ++pos_;
      first_ = true;
    }
    return FTPREP_OK;
  }

  int Next(ftprep_record_out* out) {
    for (;;) {
      if (done_) return FTPREP_END;
      bool saw_newline = false;
      int rc = SkipWs(&saw_newline);
      if (rc != FTPREP_OK) return rc;
      if (mode_ == kArray) {
        if (pos_ >= end_) return Structural("the array is not closed (missing ']')");
        char c = buf_[pos_];
        if (c == ']') {
          ++pos_;
          if (!first_ && after_comma_) return Structural("trailing comma before ']'");
          return Finish();
        }
        if (!first_) {
          if (!after_comma_) {
            if (c != ',') return Structural(std::string("expected ',' or ']' after an element, found '") + c + "'");
            ++pos_;
            after_comma_ = true;
            continue;
          }
        }
        first_ = false;
        after_comma_ = false;
      } else {
        if (pos_ >= end_) {
          if (count_ == 0) return Structural("no JSON value in the input");
          done_ = true;
          return FTPREP_END;
        }
        if (count_ > 0) {
          if (!saw_newline && !jsonl_) {
            return Structural("unexpected data after the JSON value (JSON Lines need one object per line)");
          }
          if (!first_object_) return Structural("unexpected data after the top-level value");
          jsonl_ = true;
        }
      }
      return Element(out);
    }
  }

  const char* error() const { return err_.c_str(); }

 private:
  enum Mode { kArray, kValues };

  // Parses the value at pos_ into a record.
  int Element(ftprep_record_out* out) {
    for (;;) {
      size_t start = pos_;
      rapidjson::MemoryStream ms(buf_.get() + start, end_ - start);
      json_.clear();
      h_.Reset(&json_);
      h_.max_depth = max_depth_;
      rapidjson::Reader reader;
      rapidjson::ParseResult pr = reader.Parse<kFlags>(ms, h_);
      size_t avail = end_ - start;
      // A value cut by the end of the buffer fails (or ends) within a few bytes of it: read more and retry.
      bool at_end = pr.IsError() ? pr.Offset() + 16 >= avail : ms.Tell() >= avail;
      if (at_end && !eof_ && !h_.too_deep) {
        if (avail >= max_record_) return TooLarge(out);
        if (!Fill()) return FTPREP_ERR_IO;
        continue;
      }
      *out = ftprep_record_out{};
      uint64_t line = line_;
      out->line = line;
      ++count_;
      if (pr.IsError() || h_.too_deep) {
        size_t off = pr.IsError() ? pr.Offset() : ms.Tell();
        if (h_.too_deep) off = ms.Tell() > 0 ? ms.Tell() - 1 : 0;
        uint64_t eline = line_, ecol = 0;
        Locate(start, start + off, &eline, &ecol);
        std::string what = h_.too_deep ? "JSON nested deeper than " + std::to_string(max_depth_) + " levels"
                                       : rapidjson::GetParseError_En(pr.Code());
        if (!what.empty() && what.back() == '.') what.pop_back();
        msg_ = "invalid JSON: " + what + " at line " + std::to_string(eline) + ", column " + std::to_string(ecol);
        if (!jsonl_) {
          err_ = std::to_string(eline) + ":" + std::to_string(ecol) + ": error[json.syntax]: " + msg_;
          return FTPREP_ERR_DATA;
        }
        // JSON Lines: reject this line, go on at the next. A value left open at the end of its line fails on a
        // later line; that line is a record of its own and must not be swallowed with this one.
        if (eline != line) {
          msg_ = eof_ && start + off >= end_
                     ? "invalid JSON: the input ends inside the value (" + what + ")"
                     : "invalid JSON: the value is not closed at the end of its line (" + what + " at line " +
                           std::to_string(eline) + ", which is read as a record of its own)";
        }
        out->error = msg_.c_str();
        out->rule_id = h_.too_deep ? "json.too_deep" : "json.syntax";
        out->column = eline == line ? ecol : 0;
        return RejectLine(start, eline == line ? start + off : start, out);
      }
      size_t used = ms.Tell();
      if (count_ == 1 && mode_ == kValues) first_object_ = h_.root_object;
      if (!h_.root_object) {
        msg_ = "record is not a JSON object (found " + Kind(buf_[start]) + ")";
        out->raw = buf_.get() + start;
        out->raw_len = used;
        out->error = msg_.c_str();
        out->rule_id = "json.not_object";
        uint64_t eline = line_, ecol = 0;
        Locate(start, start, &eline, &ecol);
        out->column = ecol;
        Advance(start + used);
        return FTPREP_OK;
      }
      out->json = json_.data();
      out->json_len = json_.size();
      Advance(start + used);
      return FTPREP_OK;
    }
  }

  static std::string Kind(char c) {
    return c == '[' ? "an array" : c == '"' ? "a string" : (c == 't' || c == 'f') ? "a boolean" : c == 'n' ? "null" : "a number";
  }

  int TooLarge(ftprep_record_out* out) {
    std::string what = "a JSON element is longer than the limit of " + std::to_string(max_record_) +
                       " bytes (raise it with --max-record-bytes)";
    if (jsonl_) {  // JSON Lines: one rejected line; in an array the structure is lost, so the read stops
      *out = ftprep_record_out{};
      out->line = line_;
      ++count_;
      msg_ = what;
      out->error = msg_.c_str();
      out->rule_id = "record.too_large";
      return RejectLine(pos_, pos_, out);
    }
    err_ = std::to_string(line_) + ": error[record.too_large]: " + what;
    return FTPREP_ERR_LIMIT;
  }

  // Ends a rejected JSON Lines record that starts at buffer offset `start`: its raw bytes run to the end of the
  // line (at most max_record_bytes of them are kept, whatever the buffering). The line may go on beyond the
  // buffer (a 1,000,000-deep value): then it is collected or skipped while reading on, so the next record
  // starts on the next line rather than in the middle of this one.
  int RejectLine(size_t start, size_t from, ftprep_record_out* out) {
    const char* b = buf_.get();
    const char* nl = static_cast<const char*>(std::memchr(b + from, '\n', end_ - from));
    if (nl != nullptr || eof_) {
      size_t next = nl ? static_cast<size_t>(nl - b) : end_;
      out->raw = b + start;
      out->raw_len = std::min<uint64_t>(next - start, max_record_);
      Advance(next);
      return FTPREP_OK;
    }
    raw_head_.assign(b + start, std::min<uint64_t>(end_ - start, max_record_));
    Advance(end_);
    for (;;) {
      if (!Fill()) return FTPREP_ERR_IO;
      b = buf_.get();
      nl = static_cast<const char*>(std::memchr(b + pos_, '\n', end_ - pos_));
      size_t stop = nl ? static_cast<size_t>(nl - b) : end_;
      if (raw_head_.size() < max_record_) {
        raw_head_.append(b + pos_, std::min<uint64_t>(stop - pos_, max_record_ - raw_head_.size()));
      }
      Advance(stop);
      if (nl != nullptr || eof_) break;
    }
    out->raw = raw_head_.data();
    out->raw_len = raw_head_.size();
    return FTPREP_OK;
  }

  int Finish() {
    int rc = SkipWs();
    if (rc != FTPREP_OK) return rc;
    if (pos_ < end_) return Structural("unexpected data after the closing ']'");
    done_ = true;
    return FTPREP_END;
  }

  int Structural(const std::string& what) {
    uint64_t l = line_, c = 0;
    Locate(pos_, pos_, &l, &c);
    err_ = std::to_string(l) + ":" + std::to_string(c) + ": error[json.syntax]: " + what;
    return FTPREP_ERR_DATA;
  }

  // Line and 1-based byte column of buffer offset `to` (at or after pos_, whose line is line_).
  void Locate(size_t from, size_t to, uint64_t* line, uint64_t* col) {
    (void)from;
    const char* b = buf_.get();
    uint64_t l = line_;
    int64_t ls = line_start_;
    for (size_t i = pos_; i < to && i < end_; ++i) {
      if (b[i] == '\n') {
        ++l;
        ls = static_cast<int64_t>(i) + 1;
      }
    }
    *line = l;
    *col = static_cast<uint64_t>(static_cast<int64_t>(to) - ls + 1);
  }

  void Advance(size_t to) {
    const char* b = buf_.get();
    for (size_t i = pos_; i < to; ++i) {
      if (b[i] == '\n') {
        ++line_;
        line_start_ = static_cast<int64_t>(i) + 1;
      }
    }
    pos_ = to;
  }

  int SkipWs(bool* saw_newline = nullptr) {
    for (;;) {
      const char* b = buf_.get();
      while (pos_ < end_ && Ws(b[pos_])) {
        if (b[pos_] == '\n') {
          ++line_;
          line_start_ = static_cast<int64_t>(pos_) + 1;
          if (saw_newline) *saw_newline = true;
        }
        ++pos_;
      }
      if (pos_ < end_ || eof_) return FTPREP_OK;
      if (!Fill()) return FTPREP_ERR_IO;
    }
  }

  bool Ensure(size_t n) {
    while (end_ - pos_ < n && !eof_) {
      if (!Fill()) return false;
    }
    return true;
  }

  bool Fill() {
    if (pos_ > 0) {
      std::memmove(buf_.get(), buf_.get() + pos_, end_ - pos_);
      end_ -= pos_;
      line_start_ -= static_cast<int64_t>(pos_);
      pos_ = 0;
    }
    if (end_ == cap_) {
      size_t ncap = cap_ * 2;
      std::unique_ptr<char[]> nb(new char[ncap]);
      std::memcpy(nb.get(), buf_.get(), end_);
      buf_ = std::move(nb);
      cap_ = ncap;
    }
    long long n = in_->read(in_->ctx, buf_.get() + end_, std::min(cap_ - end_, block_));
    if (n < 0) {
      err_ = "read error";
      return false;
    }
    if (n == 0) eof_ = true;
    end_ += static_cast<size_t>(n);
    return true;
  }

  ftprep_stream* in_;
  uint64_t max_record_;
  int max_depth_;
  std::unique_ptr<char[]> buf_;
  size_t block_ = 1 << 20, cap_ = 0, pos_ = 0, end_ = 0;
  int64_t line_start_ = 0;  // buffer offset where the current line starts (negative once compacted away)
  bool eof_ = false, done_ = false, first_ = true, after_comma_ = false, jsonl_ = false, first_object_ = false;
  Mode mode_ = kValues;
  uint64_t line_ = 1, count_ = 0;
  Compact h_;
  OutBuf json_;
  std::string msg_, err_, raw_head_;
};

int Sniff(const char* head, size_t len, const char*) {
  size_t i = 0;
  if (len >= 3 && std::memcmp(head, "\xEF\xBB\xBF", 3) == 0) i = 3;
  while (i < len && Ws(head[i])) ++i;
  if (i >= len) return 0;
  if (head[i] == '[') return 70;
  // An object first: JSON Lines (the jsonl plugin scores 10..80) is the likelier reading without .json.
  if (head[i] == '{') return 5;
  return 0;
}

int Open(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, void** reader) {
  return ftprep::delim::OpenBoxed<JsonReader>(host, reader, in, opts);
}

// ---- writer: a JSON array, one record per line ----

struct Writer {
  int (*write)(void*, const char*, size_t);
  void* sink;
  uint64_t n = 0;
};

int OpenWriter(const ftprep_host*, ftprep_options, int (*write_bytes)(void*, const char*, size_t), void* sink,
               void** writer) {
  try {
    *writer = new Writer{write_bytes, sink, 0};
    return FTPREP_OK;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

int Write(void* writer, const char* json, size_t len) {
  auto* w = static_cast<Writer*>(writer);
  int rc = w->write(w->sink, w->n == 0 ? "[\n" : ",\n", 2);
  if (rc != FTPREP_OK) return rc;
  ++w->n;
  return w->write(w->sink, json, len);
}

int CloseWriter(void* writer) {
  auto* w = static_cast<Writer*>(writer);
  int rc = w->n == 0 ? w->write(w->sink, "[]\n", 3) : w->write(w->sink, "\n]\n", 3);
  delete w;
  return rc;
}

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1 f = {sizeof(ftprep_format_v1), ".json", &Sniff,  &Open,  &ftprep::delim::NextBoxed<JsonReader>,
                                     &ftprep::delim::ErrorBoxed<JsonReader>,                   &ftprep::delim::CloseBoxed<JsonReader>,  &OpenWriter, &Write, &CloseWriter};
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "json", "1.0", &f, "JSON: an array of objects, one object, or JSON Lines saved as .json; writes an array");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
