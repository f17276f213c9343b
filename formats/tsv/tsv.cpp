// TSV format plugin: tab-separated, same rules as CSV (quotes honoured, strict by default); with the
// tsv_escapes option the escaped flavour (no quoting; \t \n \r \\ inside fields). Engine: ../csv/csv_engine.h.
#include "../csv/csv_engine.h"

namespace {

using Format = ftprep::delim::DelimFormat<'\t', false>;

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeFormat(
      "tsv", "1.0", Format::Table(".tsv,.tab"),
      "TSV: tab-separated, quoted or escaped (tsv_escapes) flavour, header row");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
#if defined(FTPREP_BUILTIN)  // a module has only the C ABI
FTPREP_RECORD_FORMAT(Format::Table(".tsv,.tab"), &Format::OpenRecordReader)
#endif
