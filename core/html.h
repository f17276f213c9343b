// core/html.h — `--html FILE`: a tool's JSON report (the document --report writes) as one self-contained
// HTML page: inline CSS and SVG charts, no script, no font or image from the network, so it can be mailed,
// attached to a CI run or opened offline. One renderer per report kind (count, validate, price, clean,
// split), all reading only the report, so a merged report renders like the unsplit run's.
#ifndef FTPREP_CORE_HTML_H_
#define FTPREP_CORE_HTML_H_

#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"
#include "ftprep/writer.h"

namespace ftprep {

// The page for `report` (its "tool" member picks the layout). Fails (kInternal) on a report it does not know.
Result<std::string> RenderHtmlReport(const rapidjson::Value& report);

// Renders and writes the page to `path` atomically (never onto an input: `options` as for -o).
Status WriteHtmlReport(const rapidjson::Value& report, const std::string& path, const OutputOptions& options);
Status WriteHtmlReport(std::string_view report_json, const std::string& path, const OutputOptions& options);

// Linear histogram buckets chosen for the data: about 1 + log2(n) of them (at least 5, at most 20, never
// more than the span of values), each `width` wide with width 1, 2, 2.5 or 5 times a power of ten, the first
// starting at `lo` (a multiple of width). counts[i] holds the values in [lo + i*width, lo + (i+1)*width).
struct LinearBuckets {
  uint64_t lo = 0, width = 1;
  std::vector<uint64_t> counts;
};
// `histogram` is an exact {value: count} object of the report convention (values as decimal strings).
LinearBuckets ChooseLinearBuckets(const rapidjson::Value& histogram);

}  // namespace ftprep

#endif  // FTPREP_CORE_HTML_H_
