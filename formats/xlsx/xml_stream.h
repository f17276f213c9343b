// formats/xlsx/xml_stream.h — a hardened expat SAX parser fed from a zip part.
//
// XmlStream wraps one expat parser. Element and attribute names reach the handler without their namespace
// prefix ("x:row" -> "row"), because workbooks in the wild use any prefix (or none) for SpreadsheetML and
// the Strict variant changes the namespace URI; local names are the same everywhere.
// Any DOCTYPE is refused before its content is looked at: XLSX never needs a DTD, and refusing it closes
// the door on external entities (XXE) and entity expansion ("billion laughs").
// Streaming: a handler may call Suspend() (e.g. at the end of a row); Pump() then returns kSuspended and the
// next Pump() resumes exactly there. Not thread-safe; the handler and reader must outlive the stream.
#ifndef FTPREP_FORMATS_XLSX_XML_STREAM_H_
#define FTPREP_FORMATS_XLSX_XML_STREAM_H_

#include <expat.h>

#include <cstring>
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
  virtual void Text(const char* s, int len) = 0;
};

class XmlStream {
 public:
  enum class Step { kSuspended, kDone };

  // `part` names the zip part in messages. The stream reads from `reader` (not owned).
  XmlStream(XmlHandler* handler, ByteReader* reader, std::string part);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Parses until a handler calls Suspend() or the document ends; an error is sticky.
  Result<Step> Pump();
  // Parses the whole document (handlers must not suspend).
  Status ParseAll();

  // For handlers: pause after the current event / stop with an error (reported by Pump).
  void Suspend();
  void Fail(Status status);
  // Where the parser is, for messages: "xl/worksheets/sheet1.xml:12:40".
  std::string Where() const;

 private:
  static void OnStart(void* self, const XML_Char* name, const XML_Char** atts);
  static void OnEnd(void* self, const XML_Char* name);
  static void OnText(void* self, const XML_Char* s, int len);
  static void OnDoctype(void* self, const XML_Char* name, const XML_Char* sysid, const XML_Char* pubid,
                        int has_internal_subset);
  static void OnEntityDecl(void* self, const XML_Char* name, int is_param, const XML_Char* value,
                           int value_len, const XML_Char* base, const XML_Char* sysid, const XML_Char* pubid,
                           const XML_Char* notation);
  Status XmlError();

  XML_Parser parser_;
  XmlHandler* handler_;
  ByteReader* reader_;
  std::string part_;
  Status failure_;
  bool suspended_ = false;
  bool final_ = false;
  bool done_ = false;
};

}  // namespace ftprep::xlsx

#endif  // FTPREP_FORMATS_XLSX_XML_STREAM_H_
