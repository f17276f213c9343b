// Plain-text format plugin: {"text": ...} records.
//
// By default one record per non-blank line (blank lines skipped and counted). With chunk_tokens=N a long
// document is cut into pieces of at most N tokens: paragraphs (separated by blank lines) are packed whole
// while they fit; a paragraph too long for one piece is cut at sentence ends, a sentence too long at word
// boundaries, a word too long by characters. overlap=M starts each piece with about M tokens (whole words)
// from the end of the previous one. Tokens come from the host's count_tokens callback in token_encoding
// (default o200k_base) when a tokenizer is installed, else characters/4 (rounded up; token_encoding=chars4
// forces that, for reproducible tests). Pieces keep the text's
// own line breaks and spacing; paragraphs are joined by one blank line.
//
// Options also: encoding / repair_utf8 (as for CSV). Memory: one paragraph plus the pending pieces
// (a paragraph is cut at a line boundary once it exceeds 1 MiB).
#include <deque>

#include "../csv/csv_engine.h"

namespace {

using ftprep::delim::ByteInput;
using ftprep::delim::OutBuf;
using ftprep::plugin::Option;

// How much of a too-long line is kept for the rejects file.
constexpr size_t kKeptHead = 4096;

struct Piece {
  std::string text;
  uint64_t line;
};

class TxtReader {
 public:
  TxtReader(const ftprep_host* host, ftprep_stream* in, ftprep_options opts) : host_(host), in_(in) {
    chunk_ = ftprep::delim::ParseU64(Option(opts, "chunk_tokens"), 0);
    overlap_ = ftprep::delim::ParseU64(Option(opts, "overlap"), 0);
    encoding_ = std::string(Option(opts, "token_encoding", "o200k_base"));
    text_encoding_ = std::string(Option(opts, "encoding"));
    repair_ = ftprep::delim::Truthy(Option(opts, "repair_utf8"));
    max_record_ = ftprep::delim::ParseU64(Option(opts, "max_record_bytes"), 64ull << 20);
    bad_chunk_ = !Option(opts, "chunk_tokens").empty() && chunk_ == 0;
  }
  ~TxtReader() {
    if (host_ && host_->warn && blank_ > 0 && chunk_ == 0) {
      std::string m = std::string(in_->name ? in_->name : "<input>") + ": skipped " + std::to_string(blank_) +
                      " blank line" + (blank_ == 1 ? "" : "s");
      host_->warn(host_->ctx, m.c_str());
    }
  }

  int Open() {
    if (bad_chunk_) {
      err_ = "chunk_tokens must be a positive whole number";
      return FTPREP_ERR_USAGE;
    }
    if (chunk_ > 0 && overlap_ >= chunk_) {
      err_ = "overlap (" + std::to_string(overlap_) + ") must be smaller than chunk_tokens (" + std::to_string(chunk_) + ")";
      return FTPREP_ERR_USAGE;
    }
    if (!input_.Init(in_, text_encoding_, repair_, &err_)) return text_encoding_.empty() ? FTPREP_ERR_IO : FTPREP_ERR_USAGE;
    validate_ = !input_.transcoded() && !input_.repairing();
    buf_.resize(1 << 16);
    return FTPREP_OK;
  }

  int Next(ftprep_record_out* out) {
    row_deferred_ = false;
    if (chunk_ == 0) return NextLine(out);
    while (ready_.empty()) {
      if (done_) return FTPREP_END;
      int rc = ReadParagraph();
      if (rc != FTPREP_OK) return rc;
    }
    cur_ = std::move(ready_.front());
    ready_.pop_front();
    return Emit(cur_.text, cur_.line, out);
  }

  const char* error() const { return err_.c_str(); }
  // In-tree C++ reader: where the record's one member sits in its JSON text (core/format_reader.h), so
  // the host builds its document without parsing it. Written for every good record.
  void set_hint(std::vector<uint32_t>* hint) { hint_ = hint; }

 private:
  // Next line (without \n or \r\n); false at the end. A line longer than max_record_bytes is consumed to its
  // end but only its first 4096 bytes are kept, and *too_long is set (nullptr: a structural error instead).
  bool GetLine(std::string* line, int* rc, bool* too_long = nullptr) {
    line->clear();
    bool over = false;
    for (;;) {
      if (pos_ < len_) {
        const char* s = buf_.data() + pos_;
        const char* nl = static_cast<const char*>(std::memchr(s, '\n', len_ - pos_));
        size_t n = nl ? static_cast<size_t>(nl - s) : len_ - pos_;
        if (!over && line->size() + n > max_record_) {
          if (too_long == nullptr) {
            err_ = "line " + std::to_string(line_ + 1) + " is longer than the limit of " +
                   std::to_string(max_record_) + " bytes (raise it with --max-record-bytes)";
            *rc = FTPREP_ERR_LIMIT;
            return false;
          }
          over = true;
          if (line->size() > kKeptHead) line->resize(kKeptHead);
        }
        if (!over) {
          line->append(s, n);
        } else if (line->size() < kKeptHead) {
          line->append(s, std::min(n, kKeptHead - line->size()));
        }
        pos_ += n;
        if (nl) {
          ++pos_;
          break;
        }
      }
      if (eof_) {
        if (line->empty()) {
          *rc = FTPREP_END;
          return false;
        }
        break;
      }
      long long n = input_.Read(buf_.data(), buf_.size(), &err_);
      if (n < 0) {
        *rc = FTPREP_ERR_IO;
        return false;
      }
      pos_ = 0;
      len_ = static_cast<size_t>(n);
      if (n == 0) eof_ = true;
    }
    ++line_;
    if (too_long) *too_long = over;
    if (over) return true;
    if (line_ == 1 && input_.bom_len() == 0 && line->size() >= 3 && std::memcmp(line->data(), "\xEF\xBB\xBF", 3) == 0) {
      line->erase(0, 3);
    }
    if (!line->empty() && line->back() == '\r') line->pop_back();
    return true;
  }

  static bool Blank(const std::string& s) {
    for (char c : s) {
      if (c != ' ' && c != '\t' && c != '\r' && c != '\f' && c != '\v') return false;
    }
    return true;
  }

  int NextLine(ftprep_record_out* out) {
    for (;;) {
      int rc = FTPREP_OK;
      bool too_long = false;
      if (!GetLine(&line_text_, &rc, &too_long)) return rc;
      if (too_long) {
        // Like the other readers: one rejected record, and the lines after it still convert.
        *out = ftprep_record_out{};
        out->line = line_;
        msg_ = "line is longer than the limit of " + std::to_string(max_record_) +
               " bytes (raise it with --max-record-bytes); only its first " + std::to_string(kKeptHead) +
               " bytes are kept in rejects";
        out->error = msg_.c_str();
        out->rule_id = "record.too_large";
        out->raw = line_text_.data();
        out->raw_len = line_text_.size();
        return FTPREP_OK;
      }
      if (Blank(line_text_)) {
        ++blank_;
        continue;
      }
      return Emit(line_text_, line_, out);
    }
  }

  int Emit(const std::string& text, uint64_t line, ftprep_record_out* out) {
    *out = ftprep_record_out{};
    out->line = line;
    if (defer_) {  // the record's text is the line for now; FinishLine does the rest
      out->json = text.data();
      out->json_len = text.size();
      row_deferred_ = true;
      return FTPREP_OK;
    }
    uint64_t column = 0;
    if (validate_ && Utf8Error(text, line, &msg_, &column)) {
      out->error = msg_.c_str();
      out->rule_id = "utf8.invalid";
      out->column = column;
      out->raw = text.data();
      out->raw_len = text.size();
      return FTPREP_OK;
    }
    BuildJson(text, &json_, hint_);
    out->json = json_.data();
    out->json_len = json_.size();
    return FTPREP_OK;
  }

 public:
  // In-tree C++ reader, set before Open(): records are left to Record::Resolve (FinishLine: the UTF-8 check
  // and the JSON text), which the pipeline's workers call.
  void set_defer(bool on) { defer_ = on; }
  bool row_deferred() const { return row_deferred_; }
#if defined(FTPREP_BUILTIN)
  ftprep::Record::DeferredFn deferred_fn() const { return &FinishLine; }
#endif
  uint64_t deferred_arg() const { return validate_ ? 1 : 0; }
  const std::shared_ptr<const void>& deferred_owner() const { return no_owner_; }

  // The message and column of the first invalid UTF-8 byte of a record that starts at `line`.
  static bool Utf8Error(std::string_view text, uint64_t line, std::string* msg, uint64_t* column) {
    size_t bad = ftprep::delim::FirstInvalidUtf8(text.data(), text.size());
    if (bad == text.size()) return false;
    size_t ls = text.rfind('\n', bad);
    ls = ls == std::string::npos ? 0 : ls + 1;
    uint64_t l = line + static_cast<uint64_t>(std::count(text.begin(), text.begin() + bad, '\n'));
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[bad]));
    *msg = std::string("invalid UTF-8 (byte ") + hex + ") at line " + std::to_string(l) + ", column " +
           std::to_string(bad - ls + 1) + "; give the file's encoding with --encoding or use --repair-utf8";
    *column = bad - ls + 1;
    return true;
  }

  // {"text":"..."} and, if hint is given, where its member sits (key "text" at 2, the value's body at 9).
  static void BuildJson(std::string_view text, OutBuf* json, std::vector<uint32_t>* hint) {
    json->clear();
    json->Append("{\"text\":\"", 9);
    ftprep::delim::AppendJsonBody(text.data(), text.size(), false, false, json);
    if (hint != nullptr) {
      if (json->size() <= UINT32_MAX) {
        *hint = {2, 4, 9, static_cast<uint32_t>(json->size() - 9)};
      } else {
        hint->clear();
      }
    }
    json->Append("\"}", 2);
  }

#if defined(FTPREP_BUILTIN)
  // Record::DeferredFn (arg 1: check UTF-8): what Emit does otherwise, on any thread.
  static void FinishLine(ftprep::Record* rec, uint64_t arg) {
    std::string_view text = rec->raw();
    uint64_t column = 0;
    std::string msg;
    if ((arg & 1) && Utf8Error(text, rec->loc.line, &msg, &column)) {
      rec->AssignError(text, std::move(msg), "utf8.invalid", column);
      return;
    }
    thread_local OutBuf json;
    std::vector<uint32_t>& hint = rec->build_hint();
    BuildJson(text, &json, &hint);
    rec->Assign(std::string_view(json.data(), json.size()));
    if (!hint.empty()) rec->BuildLater(&ftprep::BuildFlatStrings);
  }
#endif

 private:

  // ---- chunking ----

  uint64_t Tokens(std::string_view s) {
    if (s.empty()) return 0;
    if (host_ && host_->count_tokens && encoding_ != "chars4") {
      long long n = host_->count_tokens(host_->ctx, encoding_.c_str(), s.data(), s.size());
      if (n >= 0) return static_cast<uint64_t>(n);
    }
    uint64_t chars = 0;
    for (unsigned char c : s) chars += (c & 0xC0) != 0x80;
    return (chars + 3) / 4;
  }

  // Reads lines up to the end of the next paragraph and feeds it to the packer.
  int ReadParagraph() {
    std::string para;
    uint64_t start = 0;
    for (;;) {
      int rc = FTPREP_OK;
      if (!GetLine(&line_text_, &rc)) {
        if (rc != FTPREP_END) return rc;
        if (!para.empty()) AddParagraph(para, start);
        FlushPiece();
        done_ = true;
        return FTPREP_OK;
      }
      if (Blank(line_text_)) {
        if (para.empty()) continue;
        AddParagraph(para, start);
        return FTPREP_OK;
      }
      if (para.empty()) {
        start = line_;
      } else {
        para += '\n';
      }
      para += line_text_;
      if (para.size() > (1u << 20)) {  // a huge paragraph: pack what we have, continue as a new one
        AddParagraph(para, start);
        return FTPREP_OK;
      }
    }
  }

  // Cuts `text` into units ending after each boundary of `kind` (0 sentence, 1 word); trailing spacing stays
  // with the unit so that joining the units gives the text back.
  static std::vector<std::pair<size_t, size_t>> Split(const std::string& text, int kind) {
    std::vector<std::pair<size_t, size_t>> out;
    size_t start = 0, i = 0, n = text.size();
    auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
    while (i < n) {
      bool cut = false;
      if (kind == 0) {
        char c = text[i];
        size_t j = i;
        if (c == '.' || c == '!' || c == '?') {
          j = i + 1;
        } else if (text.compare(i, 3, "\xE3\x80\x82") == 0 || text.compare(i, 3, "\xEF\xBC\x81") == 0 ||
                   text.compare(i, 3, "\xEF\xBC\x9F") == 0) {
          j = i + 3;
        }
        if (j > i) {
          while (j < n && (text[j] == '"' || text[j] == '\'' || text[j] == ')' || text[j] == '.' || text[j] == '!' || text[j] == '?')) ++j;
          if (j >= n || is_space(text[j]) || j - i == 3) {
            while (j < n && is_space(text[j])) ++j;
            i = j;
            cut = true;
          } else {
            i = j;
          }
        } else {
          ++i;
        }
      } else {
        if (is_space(text[i])) {
          while (i < n && is_space(text[i])) ++i;
          cut = true;
        } else {
          ++i;
        }
      }
      if (cut || i >= n) {
        out.push_back({start, i - start});
        start = i;
      }
    }
    if (start < n) out.push_back({start, n - start});
    return out;
  }

  // True when `s` certainly holds more than chunk_ tokens without counting it: no token of the
  // encodings is anywhere near kMaxTokenBytes long. Keeps the tokenizer off megabyte-long runs (whose
  // count is slow) that must be cut anyway; a wrong "true" would only cut text that could stay whole.
  static constexpr size_t kMaxTokenBytes = 64;
  bool CertainlyOver(std::string_view s) const { return s.size() / kMaxTokenBytes > chunk_; }

  // Adds `unit` whole when it fits in a piece (no count for a unit certainly too long); false otherwise.
  bool AddIfFits(const std::string& unit, uint64_t line, bool paragraph) {
    if (CertainlyOver(unit)) return false;
    uint64_t t = Tokens(unit);
    if (t > chunk_) return false;
    AddUnit(unit, line, t, paragraph);
    return true;
  }

  // The line of `text[off]`, counting newlines on from the last offset asked (so a whole pass is linear).
  struct LineCursor {
    const std::string& text;
    uint64_t line;
    size_t counted = 0;
    uint64_t At(size_t off) {
      line += static_cast<uint64_t>(std::count(text.begin() + counted, text.begin() + off, '\n'));
      counted = off;
      return line;
    }
  };

  void AddParagraph(const std::string& para, uint64_t line) {
    if (AddIfFits(para, line, true)) return;
    LineCursor sentence_lines{para, line};
    for (auto [off, len] : Split(para, 0)) {
      std::string s = para.substr(off, len);
      uint64_t sl = sentence_lines.At(off);
      if (AddIfFits(s, sl, false)) continue;
      LineCursor word_lines{s, sl};
      for (auto [woff, wlen] : Split(s, 1)) {
        std::string w = s.substr(woff, wlen);
        uint64_t wl = word_lines.At(woff);
        if (AddIfFits(w, wl, false)) continue;
        // A single "word" longer than a piece: cut by characters (at UTF-8 boundaries). A part's length
        // comes from the bytes per token seen so far and shrinks until the part fits (a character can
        // be several tokens), so most parts are counted once or twice.
        auto cont = [&w](size_t i) { return i < w.size() && (static_cast<unsigned char>(w[i]) & 0xC0) == 0x80; };
        size_t p = 0;
        while (p < w.size()) {
          size_t one = p + 1;  // the end of the first character: a part is never shorter
          while (cont(one)) ++one;
          double want = std::min(bytes_per_token_, static_cast<double>(kMaxTokenBytes)) * static_cast<double>(chunk_);
          size_t e = p + std::max<size_t>(1, static_cast<size_t>(std::min(want, static_cast<double>(w.size() - p))));
          for (;;) {
            while (e > one && cont(e)) --e;
            e = std::max(e, one);
            uint64_t pt = Tokens(std::string_view(w).substr(p, e - p));
            if (pt <= chunk_ || e == one) {
              if (pt > 0 && e - p > 1) bytes_per_token_ = static_cast<double>(e - p) / static_cast<double>(pt);
              AddUnit(w.substr(p, e - p), wl, pt, false);
              break;
            }
            e = p + static_cast<size_t>(static_cast<double>(e - p) * static_cast<double>(chunk_) / static_cast<double>(pt) * 0.95);
          }
          p = e;
        }
      }
    }
    // The next paragraph must start on its own.
    para_break_ = true;
  }

  // Adds a unit to the current piece, starting a new piece when it would not fit. piece_tokens_ is an
  // upper bound (the sum of the parts: joining text never makes more tokens than the parts, it merges a
  // space into the next word); when that bound says "full", the candidate piece is counted exactly, so a
  // piece holds as much as fits and never more than chunk_ tokens. Exact counts make the bound tight
  // again, so a piece is recounted only a few times (about log2 of its units).
  void AddUnit(const std::string& unit, uint64_t line, uint64_t tokens, bool paragraph) {
    std::string sep = (!piece_.empty() && (paragraph || para_break_)) ? "\n\n" : "";
    uint64_t bound = piece_tokens_ + tokens + (sep.empty() ? 0 : 1);
    if (!piece_.empty() && bound > chunk_) {
      bound = Tokens(piece_ + sep + unit);
      if (bound > chunk_ && piece_has_new_) {
        std::string tail = OverlapTail();
        FlushPiece();
        // The overlap goes only where the unit still fits after it (with the longer separator).
        if (!tail.empty() && Tokens(tail + "\n\n" + unit) <= chunk_) piece_ = tail;
        sep = (!piece_.empty() && (paragraph || para_break_)) ? "\n\n" : "";
        bound = piece_.empty() ? tokens : Tokens(piece_ + sep + unit);
      }
    }
    if (!piece_has_new_) piece_line_ = line;
    piece_ += sep;
    piece_ += unit;
    piece_tokens_ = bound;
    piece_has_new_ = true;
    para_break_ = paragraph;
  }

  // About overlap_ tokens of whole words from the end of the current piece.
  std::string OverlapTail() {
    if (overlap_ == 0 || piece_.empty()) return "";
    auto words = Split(piece_, 1);
    size_t start = piece_.size();
    uint64_t t = 0;
    for (size_t k = words.size(); k-- > 0;) {
      uint64_t wt = Tokens(std::string_view(piece_).substr(words[k].first, words[k].second));
      if (t + wt > overlap_ && t > 0) break;
      t += wt;
      start = words[k].first;
      if (t >= overlap_) break;
    }
    return piece_.substr(start);
  }

  void FlushPiece() {
    if (piece_has_new_ && !piece_.empty()) ready_.push_back({piece_, piece_line_});
    piece_.clear();
    piece_tokens_ = 0;
    piece_has_new_ = false;
  }

  const ftprep_host* host_;
  ftprep_stream* in_;
  uint64_t chunk_ = 0, overlap_ = 0, max_record_ = 0;
  std::string encoding_, text_encoding_;
  bool repair_ = false, validate_ = true, bad_chunk_ = false;
  ByteInput input_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  bool eof_ = false, done_ = false;
  uint64_t line_ = 0, blank_ = 0;
  std::string line_text_, msg_, err_;
  OutBuf json_;
  std::vector<uint32_t>* hint_ = nullptr;
  bool defer_ = false, row_deferred_ = false;
  std::shared_ptr<const void> no_owner_;
  // chunking state
  std::string piece_;
  uint64_t piece_tokens_ = 0, piece_line_ = 0;
  bool piece_has_new_ = false, para_break_ = false;
  double bytes_per_token_ = 4.0;  // of the last part cut from a long word
  std::deque<Piece> ready_;
  Piece cur_;
};

int Sniff(const char* head, size_t len, const char*) {
  // Any valid UTF-8 text without NUL bytes: the weakest claim, so that every other format wins.
  if (len == 0 || std::memchr(head, 0, len) != nullptr) return 0;
  size_t n = len > 4 ? len - 4 : len;  // the head may end inside a character
  return ftprep::delim::FirstInvalidUtf8(head, n) == n ? 5 : 0;
}

int Open(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, void** reader) {
  return ftprep::delim::OpenBoxed<TxtReader>(host, reader, host, in, opts);
}

const ftprep_format_v1 kFormat = {sizeof(ftprep_format_v1), ".txt,.text,.md", &Sniff, &Open,
                                  &ftprep::delim::NextBoxed<TxtReader>, &ftprep::delim::ErrorBoxed<TxtReader>,
                                  &ftprep::delim::CloseBoxed<TxtReader>, nullptr, nullptr, nullptr};

#if defined(FTPREP_BUILTIN)
int OpenRecordReader(const ftprep_host* host, ftprep_stream* in, ftprep_options opts,
                     std::unique_ptr<ftprep::RecordFormatReader>* reader) {
  return ftprep::delim::OpenHinted<TxtReader>(host, reader, host, in, opts);
}
#endif

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "txt", "1.0", &kFormat, "Plain text: one record per line, or chunks of N tokens (chunk_tokens, overlap)");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
#if defined(FTPREP_BUILTIN)  // a module has only the C ABI
FTPREP_RECORD_FORMAT(&kFormat, &OpenRecordReader)
#endif
