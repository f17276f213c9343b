// CSV format plugin (RFC 4180): reader and writer. The engine lives in csv_engine.h (shared with tsv).
//
// Reader options: delimiter (auto|,|;|tab|pipe|any char; default: sniffed among , TAB ; |), header (1/0),
// no_header, header_names (a,b,c), duplicate_headers (error|rename: "a", "a.1"), lazy_quotes, encoding (ICU
// name), repair_utf8. Writer options: columns, delimiter, header, crlf.
#include "csv_engine.h"

namespace {

using Format = ftprep::delim::DelimFormat<',', true>;

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "csv", "1.0", Format::Table(".csv"),
      "CSV (RFC 4180): header row, quoted fields, delimiter sniffing, strict by default");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
#if defined(FTPREP_BUILTIN)  // a module has only the C ABI
FTPREP_RECORD_FORMAT(Format::Table(".csv"), &Format::OpenRecordReader)
#endif
