// CSV format plugin (RFC 4180): reader and writer. The engine lives in csv_engine.h (shared with tsv).
//
// Reader options: delimiter (auto|,|;|tab|pipe|any char; default: sniffed among , TAB ; |), header (1/0),
// no_header, header_names (a,b,c), lazy_quotes, encoding (ICU name), repair_utf8. Writer options: columns,
// delimiter, header, crlf.
#include "csv_engine.h"

namespace {

int Sniff(const char* head, size_t len, const char*) { return ftprep::delim::SniffDelimited(head, len, false); }

int Open(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, void** reader) {
  return ftprep::delim::OpenBoxed<ftprep::delim::DelimReader>(host, reader, host, in, opts, ',', true);
}

int OpenWriter(const ftprep_host* host, ftprep_options opts, int (*write_bytes)(void*, const char*, size_t),
               void* sink, void** writer) {
  return ftprep::delim::OpenDelimWriter(host, opts, write_bytes, sink, ',', writer);
}

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1 f = {sizeof(ftprep_format_v1), ".csv",
                                     &Sniff,
                                     &Open,
                                     &ftprep::delim::NextBoxed<ftprep::delim::DelimReader>,
                                     &ftprep::delim::ErrorBoxed<ftprep::delim::DelimReader>,
                                     &ftprep::delim::CloseBoxed<ftprep::delim::DelimReader>,
                                     &OpenWriter,
                                     &ftprep::delim::WriteDelim,
                                     &ftprep::delim::CloseDelimWriter};
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "csv", "1.0", &f, "CSV (RFC 4180): header row, quoted fields, delimiter sniffing, strict by default");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
