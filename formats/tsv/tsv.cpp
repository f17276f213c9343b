// TSV format plugin: tab-separated, same rules as CSV (quotes honoured, strict by default); with the
// tsv_escapes option the escaped flavour (no quoting; \t \n \r \\ inside fields). Engine: ../csv/csv_engine.h.
#include "../csv/csv_engine.h"

namespace {

int Sniff(const char* head, size_t len, const char*) {
  size_t i = 0;
  while (i < len && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r')) ++i;
  if (i < len && (head[i] == '{' || head[i] == '[')) return 0;
  int lines = 0;
  char d = ftprep::delim::SniffDelimiter(head, len, &lines);
  if (d == '\t') return lines >= 2 ? 45 : 10;
  return 0;
}

int Open(const ftprep_host* host, ftprep_stream* in, ftprep_options opts, void** reader) {
  return ftprep::delim::OpenDelimReader(host, in, opts, '\t', false, "tsv", reader);
}

int OpenWriter(const ftprep_host* host, ftprep_options opts, int (*write_bytes)(void*, const char*, size_t),
               void* sink, void** writer) {
  return ftprep::delim::OpenDelimWriter(host, opts, write_bytes, sink, '\t', writer);
}

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_format_v1 f = {sizeof(ftprep_format_v1), ".tsv,.tab",
                                     &Sniff,
                                     &Open,
                                     &ftprep::delim::NextDelim,
                                     &ftprep::delim::DelimError,
                                     &ftprep::delim::CloseDelim,
                                     &OpenWriter,
                                     &ftprep::delim::WriteDelim,
                                     &ftprep::delim::CloseDelimWriter};
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "tsv", "1.0", &f, "TSV: tab-separated, quoted or escaped (tsv_escapes) flavour, header row");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
