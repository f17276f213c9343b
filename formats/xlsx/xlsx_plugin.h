// formats/xlsx/xlsx_plugin.h — the XLSX format plugin's descriptor (reader only).
//
// Options (ftprep_options keys): sheet (name or 1-based index; default the first worksheet, with a warning
// naming the others), list_sheets ("1": one record {"sheet":NAME,"index":"N"} per sheet), header ("0": keys
// col1..colN), max_field_bytes (default 1 MiB), max_uncompressed_bytes (default 1 GiB), max_ratio (default
// 100), max_columns (default 16384), max_record_bytes (default 64 MiB). Each record's `line` is its sheet row
// and `sheet` the sheet name. Per-row rule ids: xlsx.cell_outside_header, xlsx.field_too_large,
// xlsx.bad_shared_string, xlsx.duplicate_cell, xlsx.too_many_columns, xlsx.record_too_large.
#ifndef FTPREP_FORMATS_XLSX_XLSX_PLUGIN_H_
#define FTPREP_FORMATS_XLSX_XLSX_PLUGIN_H_

#include "ftprep/plugin_api.h"

namespace ftprep::xlsx {
// The descriptor (also what the plugin's entry symbol returns). Static storage; never freed.
const ftprep_plugin_v1* DescribePlugin(const ftprep_host* host);
}  // namespace ftprep::xlsx

#endif  // FTPREP_FORMATS_XLSX_XLSX_PLUGIN_H_
