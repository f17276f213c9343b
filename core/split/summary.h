// core/split/summary.h — split's JSON report (--report), following the merge convention of core/report.h:
// everything countable sits under "counts" (summed when shards merge: records_in, rejected, records_kept,
// dropped, and splits.<name>.{records,bytes,tokens,untokenized}); the parameters (mode, seed, order, key,
// names, encoding) must be equal across shards; "derived" (each split's fraction of the kept records) is
// recomputed after merging by the deriver registered for "split". Thread-compatible.
#ifndef FTPREP_CORE_SPLIT_SUMMARY_H_
#define FTPREP_CORE_SPLIT_SUMMARY_H_

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "split/run.h"

namespace ftprep::split {

const char* ModeName(Mode m);
// `encoding` empty: no token totals.
rapidjson::Document BuildReport(const SplitOptions& opts, const std::vector<std::string>& names,
                                const SplitStats& stats, const std::string& encoding);
// Recomputes report["derived"]; registered with RegisterReportDeriver("split", ...).
void DeriveReport(rapidjson::Document& report);

}  // namespace ftprep::split

#endif  // FTPREP_CORE_SPLIT_SUMMARY_H_
