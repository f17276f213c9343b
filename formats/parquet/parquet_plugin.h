// formats/parquet/parquet_plugin.h — the Parquet format plugin's descriptor (reader only).
//
// Options (ftprep_options keys): columns (comma-separated top-level columns, in the order wanted),
// rows (1-based inclusive range "A-B", "A-" or "-B", or one row "A"), max_metadata_bytes (default 64 MiB),
// max_page_bytes (256 MiB), max_page_values (16777216), max_row_group_bytes (1 GiB), and the host's
// max_record_bytes and max_field_bytes. Each record's `line` is its 1-based row number. Per-row rule ids:
// parquet.record_too_large, parquet.field_too_large.
#ifndef FTPREP_FORMATS_PARQUET_PARQUET_PLUGIN_H_
#define FTPREP_FORMATS_PARQUET_PARQUET_PLUGIN_H_

#include "ftprep/plugin_api.h"

namespace ftprep::parquet {
// The descriptor (also what the plugin's entry symbol returns). Static storage; never freed.
const ftprep_plugin_v1* DescribePlugin(const ftprep_host* host);
}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_PARQUET_PLUGIN_H_
