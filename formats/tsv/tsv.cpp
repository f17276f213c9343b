// TSV format plugin: tab-separated, same rules as CSV (quotes honoured, strict by default); with the
// tsv_escapes option the escaped flavour (no quoting; \t \n \r \\ inside fields). Engine: ../csv/csv_engine.h.
#include "../csv/csv_engine.h"

namespace {

int Sniff(const char* head, size_t len, const char*) { return ftprep::delim::SniffDelimited(head, len, true); }

int Open(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, void** reader) {
  return ftprep::delim::OpenBoxed<ftprep::delim::DelimReader>(host, reader, host, in, opts, '\t', false);
}

int OpenWriter(const ftprep_host* host, ftprep_options opts, int (*write_bytes)(void*, const char*, size_t),
               void* sink, void** writer) {
  return ftprep::delim::OpenDelimWriter(host, opts, write_bytes, sink, '\t', writer);
}

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1 f = {sizeof(ftprep_format_v1), ".tsv,.tab",
                                     &Sniff,
                                     &Open,
                                     &ftprep::delim::NextBoxed<ftprep::delim::DelimReader>,
                                     &ftprep::delim::ErrorBoxed<ftprep::delim::DelimReader>,
                                     &ftprep::delim::CloseBoxed<ftprep::delim::DelimReader>,
                                     &OpenWriter,
                                     &ftprep::delim::WriteDelim,
                                     &ftprep::delim::CloseDelimWriter};
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "tsv", "1.0", &f, "TSV: tab-separated, quoted or escaped (tsv_escapes) flavour, header row");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
