// formats/xlsx/xml_scan.h — a fast scanner for the XML that workbook writers produce, with expat behind it.
//
// Why it exists: expat is the packaged, hardened parser, and it stays the reference. But on a large sheet
// its per-event work (tokenizer state machine, attribute arrays, callbacks through function pointers,
// character-data splitting at every reference) was about 70% of all instructions of an XLSX -> JSONL
// conversion. Worksheets and shared-string tables are long runs of a few simple elements, so this scanner
// handles a strict subset of XML 1.0 (UTF-8; ASCII names with at most one prefix; the five predefined
// entities and character references; CDATA; comments; processing instructions; an XML declaration naming
// UTF-8) and calls the same XmlHandler events, with the same text, as expat would.
//
// It never decides a question of well-formedness on its own: anything outside that subset or not plainly
// well-formed (a DOCTYPE, another encoding, a non-ASCII name, a mismatched tag, an undefined entity, invalid
// UTF-8 or control characters, a token longer than kMaxToken, ...) makes Run() return kUnsupported, and
// XmlStream then re-reads the part from its first byte with expat, which reports errors exactly as before.
// Events the scanner already delivered are those expat delivers for the same prefix (see
// XmlHandler::Restart for how handlers take them back).
//
// Reads are kChunk bytes, as XmlStream's expat loop makes, and every complete token in the buffer is handled
// before the next read, so a read error (a zip-bomb limit, a CRC mismatch) cuts the events at the same place
// as with expat.
#ifndef FTPREP_FORMATS_XLSX_XML_SCAN_H_
#define FTPREP_FORMATS_XLSX_XML_SCAN_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ftprep/status.h"
#include "zip_archive.h"

namespace ftprep::xlsx {

class XmlHandler;

class XmlScanner {
 public:
  enum class Outcome { kDone, kUnsupported, kFailed };
  static constexpr size_t kChunk = 1 << 16;
  static constexpr size_t kMaxToken = 1 << 20;  // longest tag, comment or PI the scanner buffers

  // `stop` is checked after every event: a handler that fails the stream sets it (not owned).
  XmlScanner(XmlHandler* handler, ByteReader* reader, const Status* stop);
  XmlScanner(const XmlScanner&) = delete;
  XmlScanner& operator=(const XmlScanner&) = delete;

  // Scans the whole document. kFailed: a read error (status()) or the handler stopped the stream.
  Outcome Run();
  const Status& status() const { return status_; }
  // Why the scanner gave up (for tests and debugging), e.g. "DOCTYPE".
  const char* unsupported_reason() const { return reason_; }

 private:
  enum class Step { kOk, kMore, kBad, kStop };
  struct Attr {
    uint32_t name, name_end, value, value_end;  // offsets from the tag's '<'
    bool decode;                                // holds a reference, a non-space blank or a CR
  };

  Step Fill();  // reads one more chunk (kBad if the live data would exceed kMaxToken)
  Step Prolog();
  Step Markup();
  Step StartTag();
  Step EndTag();
  Step Close();
  static bool DecodeValue(unsigned char* w, const unsigned char* ve, uint32_t* value_end, const unsigned char* t);
  Step Comment();
  Step Pi();
  Step CData();
  Step Text();
  Step EndText(unsigned char* start, const unsigned char* r, const unsigned char* w, Step st);
  bool SharedStop(unsigned char** r, unsigned char** w, const unsigned char* e, Step* st);
  Step Bad(const char* why) {
    reason_ = why;
    return Step::kBad;
  }
  bool Stopped() const { return !stop_->ok(); }

  XmlHandler* handler_;
  ByteReader* reader_;
  const Status* stop_;
  Status status_;
  const char* reason_ = "";

  std::unique_ptr<char[]> buf_;
  size_t cap_ = 0;
  size_t pos_ = 0;  // first unconsumed byte
  size_t end_ = 0;  // buf_[end_] is always 0 (a sentinel no token accepts)
  bool eof_ = false;

  // Open elements: their names (NUL-terminated, for End and for matching end tags) in names_.
  struct Open {
    uint32_t name;   // offset in names_
    uint32_t len;    // without the NUL
    uint32_t local;  // offset of the local name (after a prefix) in names_
  };
  static constexpr size_t kMaxDepth = 256;
  static constexpr size_t kMaxAttrs = 64;
  static constexpr size_t kMaxName = 1024;
  size_t depth_ = 0;
  bool root_done_ = false;
  bool in_cdata_ = false;  // inside <![CDATA[ ... ]]>
  Open open_[kMaxDepth];
  std::vector<char> names_;
  size_t names_len_ = 0;
  Attr attrs_[kMaxAttrs];
  const char* atts_[2 * kMaxAttrs + 1];  // expat-style name/value array for the handler
};

}  // namespace ftprep::xlsx

#endif  // FTPREP_FORMATS_XLSX_XML_SCAN_H_
