// core/format_reader.h — the C++ interface of in-tree format readers: they fill the host's Record directly,
// parsed document included, so each record is parsed exactly once (the reader validates while it builds the
// document; Record::doc() then has nothing left to do).
//
// A format plugin compiled into ftprep registers its C++ reader next to its C vtable:
//
//   FTPREP_RECORD_FORMAT(&kFormatVtable, &OpenCxxReader)   // only when FTPREP_BUILTIN
//
// and the host's reader (core/reader.cpp) uses it in place of the vtable's open_reader/next. The plain-C
// ABI (ftprep_format_v1) stays the way in for external .so formats and for in-tree formats built as modules
// (FTPREP_PLUGINS_AS_MODULES=ON): one adapter, the C path of core/reader.cpp.
#ifndef FTPREP_CORE_FORMAT_READER_H_
#define FTPREP_CORE_FORMAT_READER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "ftprep/plugin_api.h"
#include "ftprep/record.h"

namespace ftprep {

class RecordFormatReader {
 public:
  virtual ~RecordFormatReader() = default;
  // Fills *rec (a good record, parsed, or a bad one: rec->bad()) and its loc.line / loc.sheet; returns
  // FTPREP_OK, FTPREP_END, or an error code with error() saying what went wrong (structural errors only).
  virtual int Next(Record* rec) = 0;
  virtual const char* error() const = 0;
};

// Opens a C++ reader with the same arguments as ftprep_format_v1::open_reader.
using OpenRecordFormatFn = int (*)(const ftprep_host* host, ftprep_stream* in, ftprep_options options,
                                   std::unique_ptr<RecordFormatReader>* reader);

// Called at start-up by built-in formats. `format` is the plugin's C vtable (the registry key).
void RegisterRecordFormat(const ftprep_format_v1* format, OpenRecordFormatFn open);
// The C++ reader of a built-in format; nullptr for formats that only have the C ABI.
OpenRecordFormatFn FindRecordFormat(const ftprep_format_v1* format);

// ---- Helpers for in-tree readers whose engine speaks ftprep_record_out (csv, tsv, txt, json, xlsx, parquet) --

// Fills *rec from what a format's next() returned (a good record: its JSON text; a bad one: raw bytes,
// message, rule id, column), with loc.line and loc.sheet. The C ABI path of core/reader.cpp does the same.
void FillRecord(const ftprep_record_out& out, Record* rec);

// Record::BuildFn for flat objects of strings (a table row: {"col":"value",...}). The hint holds, per member,
// four offsets into the JSON text: key start, key length, value start, value length (the string bodies
// between the quotes, escapes included). Builds the document a parse would give without parsing: each body
// is copied, and unescaped only if it holds a backslash. Anything it does not expect (a UTF-16 surrogate
// escape) sends the record through ParseRecordJson instead.
bool BuildFlatStrings(rapidjson::Document& doc, const char* text, size_t len, const std::vector<uint32_t>& hint);

}  // namespace ftprep

#if defined(FTPREP_BUILTIN)
#define FTPREP_RECORD_FORMAT(vtable, open)                                                        \
  namespace {                                                                                     \
  struct FTPREP_CAT(RecordFormatRegistrar_, FTPREP_PLUGIN_NAME) {                                 \
    FTPREP_CAT(RecordFormatRegistrar_, FTPREP_PLUGIN_NAME)() { ftprep::RegisterRecordFormat(vtable, open); } \
  } FTPREP_CAT(record_format_registrar_, FTPREP_PLUGIN_NAME);                                     \
  }
#else
#define FTPREP_RECORD_FORMAT(vtable, open)
#endif

#endif  // FTPREP_CORE_FORMAT_READER_H_
