// formats/xlsx/xml_stream.h — a hardened expat SAX parser fed from a zip part.
//
// XmlStream wraps one expat parser. Element and attribute names reach the handler without their namespace
// prefix ("x:row" -> "row"), because workbooks in the wild use any prefix (or none) for SpreadsheetML and
// the Strict variant changes the namespace URI; local names are the same everywhere.
// Any DOCTYPE is refused before its content is looked at: XLSX never needs a DTD, and refusing it closes
// the door on external entities (XXE) and entity expansion ("billion laughs").
// Worksheets and shared strings go through a faster scanner first (xml_scan.h), with expat behind it for
// anything the scanner does not handle. Not thread-safe; the handler must outlive the stream.
#ifndef FTPREP_FORMATS_XLSX_XML_STREAM_H_
#define FTPREP_FORMATS_XLSX_XML_STREAM_H_

#include <expat.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>

#include "ftprep/status.h"
#include "zip_archive.h"

namespace ftprep::xlsx {

// Strips a namespace prefix: "x:c" -> "c".
inline const char* LocalName(const char* name) {
  const char* colon = std::strchr(name, ':');
  return colon ? colon + 1 : name;
}

// Value of attribute `local` (prefix ignored) in expat's NULL-terminated name/value array, or nullptr.
inline const char* FindAttr(const char** atts, const char* local) {
  for (int i = 0; atts[i] != nullptr; i += 2) {
    if (std::strcmp(LocalName(atts[i]), local) == 0) return atts[i + 1];
  }
  return nullptr;
}

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // `name` is the local name; `atts` as expat gives them (names still prefixed: use FindAttr).
  virtual void Start(const char* name, const char** atts) = 0;
  virtual void End(const char* name) = 0;
  // Character data, in pieces of any size (the handler joins them).
  virtual void Text(const char* s, int len) = 0;
};

// A handler for a stream that tries the scanner first. When the scanner gives up on a part, XmlStream
// calls Restart() and expat delivers the part's events again from its start: the handler forgets what the
// events built, except what it has already handed on (rows), which it must not hand on a second time.
class RestartableHandler : public XmlHandler {
 public:
  virtual void Restart() = 0;
};

class XmlStream {
 public:
  // Gives a part's bytes again from its first byte (the scanner's fallback re-reads the part).
  using Reopen = std::function<Result<std::unique_ptr<ByteReader>>()>;

  // Parses with expat. `part` names the zip part in messages.
  XmlStream(XmlHandler* handler, std::unique_ptr<ByteReader> reader, std::string part);
  // Parses with the scanner of xml_scan.h and, if it gives up, with expat over the part read again.
  XmlStream(RestartableHandler* handler, std::unique_ptr<ByteReader> reader, std::string part, Reopen reopen);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Parses the whole document; an error is sticky.
  Status ParseAll();
  // For handlers: stop with an error (ParseAll returns it).
  void Fail(Status status);
  // Where expat is, for messages: "xl/worksheets/sheet1.xml:12:40".
  std::string Where() const;
  // Why the scanner handed the part to expat ("" if it did not, or was not used).
  const std::string& fallback_reason() const { return fallback_reason_; }
  // Tests: false makes every stream use expat alone (to compare the two). Default true.
  static void SetScannerEnabled(bool enabled);

 private:
  enum class Step { kSuspended, kDone };
  Result<Step> Pump();
  static void OnStart(void* self, const XML_Char* name, const XML_Char** atts);
  static void OnEnd(void* self, const XML_Char* name);
  static void OnText(void* self, const XML_Char* s, int len);
  static void OnDoctype(void* self, const XML_Char* name, const XML_Char* sysid, const XML_Char* pubid,
                        int has_internal_subset);
  static void OnEntityDecl(void* self, const XML_Char* name, int is_param, const XML_Char* value,
                           int value_len, const XML_Char* base, const XML_Char* sysid, const XML_Char* pubid,
                           const XML_Char* notation);
  Status XmlError();
  Status Scan();  // the scanner's attempt; fallback_reason_ set when expat must take over

  XML_Parser parser_;
  XmlHandler* handler_;
  RestartableHandler* restartable_ = nullptr;  // set when the scanner may be used
  std::unique_ptr<ByteReader> reader_;
  std::string part_;
  Reopen reopen_;
  std::string fallback_reason_;
  Status failure_;
  bool suspended_ = false;
  bool final_ = false;
  bool done_ = false;
};

}  // namespace ftprep::xlsx

#endif  // FTPREP_FORMATS_XLSX_XML_STREAM_H_
