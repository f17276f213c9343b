// core/report.h — machine-readable reports (`--report FILE`, `--json`) and how shards merge.
//
// A report is a JSON object {"tool": "<tool>", "version": 1, ...} built on one convention so that
// `ftprep merge a.json b.json ...` gives exactly the report of the unsplit run:
//   "counts":     {name: integer}            summed
//   "histograms": {name: {bucket: integer}}  summed bucket by bucket (exact histograms; percentiles come
//                                            from them, so merged percentiles are exact)
//   "min"/"max":  {name: number}             minimum / maximum
//   "findings":   [ {...,"file","line"} ]    concatenated in argument order
//   "derived":    {...}                      dropped and recomputed after merging by the tool's deriver
//   "findings_per_rule": {rule: N, "*": N}   optional: the run listed only the first N findings of a rule
//                                            (all counted); merged findings keep the first N per rule too
//   anything else                            must be equal in every shard (else merge fails, naming it)
// Not thread-safe while registering (do it at static-initialisation time or in main).
#ifndef FTPREP_CORE_REPORT_H_
#define FTPREP_CORE_REPORT_H_

#include <rapidjson/document.h>

#include <string>
#include <string_view>
#include <vector>

#include "ftprep/status.h"
#include "ftprep/writer.h"

namespace ftprep {

// Recomputes report["derived"] from the mergeable parts.
using ReportDeriver = void (*)(rapidjson::Document& report);
void RegisterReportDeriver(const char* tool, ReportDeriver fn);
ReportDeriver FindReportDeriver(std::string_view tool);

// Merges reports of the same tool into *out (a fresh document) and re-derives.
Status MergeReports(const std::vector<const rapidjson::Value*>& reports, rapidjson::Document* out);

// Exact percentile p (0..100, nearest-rank) from a {bucket: count} histogram object whose keys are
// integers written as decimal strings. Returns 0 for an empty histogram.
double HistogramPercentile(const rapidjson::Value& histogram, double p);

// Writes `report` pretty-printed to path ("-" = stdout), atomically, under opts (inputs, --force).
Status WriteReport(const rapidjson::Value& report, const std::string& path, const OutputOptions& opts = {});

}  // namespace ftprep

#endif  // FTPREP_CORE_REPORT_H_
