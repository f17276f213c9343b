// ftprep merge — combines the JSON reports of shards into the report of the whole run.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <deque>
#include <string>
#include <vector>

#include "cli.h"
#include "io.h"
#include "report.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep merge [-o FILE] REPORT...

Merges the --report files that shards of one run wrote (count, validate, clean, split, ... run under GNU
parallel, Spark or Hadoop Streaming) into the report the unsplit run would have written. Each REPORT is a
file ('-' = stdin) holding one or more JSON reports (concatenated or one per line). All must come from the
same tool with the same options. The convention (core/report.h):
  "counts"      integers, summed            "histograms"  {bucket: count}, summed bucket by bucket
  "min"/"max"   minimum / maximum           "findings"    concatenated in argument order
  "derived"     recomputed by the tool from the merged parts (means, exact percentiles from the
                merged histograms, costs)   anything else must be equal in every shard
  A report that lists only the first N findings per rule (count --max-listed, clean --examples) says so in
  "findings_per_rule"; the merged findings then keep the first N per rule, in argument order, as the
  unsplit run would.
Findings keep the file and line each shard saw: a shard fed on stdin numbers its lines from 1.

options:
  -o, --output FILE   where the merged report goes (default: stdout; written atomically)
  --force             overwrite an existing -o file (never one of the REPORTs)

exit codes: 0 merged; 1 the reports disagree (different tools or options); 2 usage, unreadable or
not a report; 130 interrupted.

example:
  parallel --pipepart --block 16M -j2 -a data.jsonl \
    ftprep validate --profile openai-chat --report part-{#}.json '>' valid-{#}.jsonl
  ftprep merge $(ls part-*.json | sort -V) -o report.json
)";

std::string StripDot(std::string s) {
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Reads every JSON value of `path` into docs.
Status ReadReports(const std::string& path, std::deque<rapidjson::Document>* docs) {
  auto src = OpenSource(path, nullptr);
  if (!src.ok()) return src.status();
  std::string text;
  char buf[1 << 16];
  for (;;) {
    size_t n = (*src)->Read(buf, sizeof(buf));
    if (n == 0) break;
    text.append(buf, n);
    if (text.size() > (256u << 20)) return LimitError((*src)->name() + ": larger than 256 MiB; not a report");
  }
  if (!(*src)->status().ok()) return (*src)->status();
  const std::string& name = (*src)->name();
  size_t pos = 0, count = 0;
  for (;;) {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\r' || text[pos] == '\t')) {
      ++pos;
    }
    if (pos >= text.size()) break;
    rapidjson::Document& d = docs->emplace_back();
    rapidjson::StringStream ss(text.c_str() + pos);  // a NUL byte ends the stream: then a parse error
    d.ParseStream<rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag>(ss);
    if (d.HasParseError()) {
      return UsageError(name + ": byte " + std::to_string(pos + d.GetErrorOffset() + 1) +
                        ": not a JSON report: " + StripDot(rapidjson::GetParseError_En(d.GetParseError())));
    }
    if (!d.IsObject() || !d.HasMember("tool") || !d["tool"].IsString()) {
      return UsageError(name + ": report " + std::to_string(count + 1) +
                        " is not an ftprep report (a JSON object with \"tool\")");
    }
    pos += ss.Tell();
    ++count;
  }
  if (count == 0) return UsageError(name + ": empty; expected a JSON report");
  return Status::Ok();
}

}  // namespace

Status MergeMain(int argc, char** argv) {
  ToolCli cli("merge", kUsage, kFlagInput | kFlagOutput | kFlagForce);
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  FTPREP_RETURN_IF_ERROR(cli.common.CheckOutputs());  // before anything is read
  if (cli.common.inputs.empty()) return UsageError("no REPORT given (see 'ftprep merge --help')");
  int stdin_count = 0;
  for (const auto& in : cli.common.inputs) stdin_count += (in == "-");
  if (stdin_count > 1) return UsageError("stdin ('-') given more than once");

  std::deque<rapidjson::Document> docs;  // deque: stable addresses while growing
  for (const auto& in : cli.common.inputs) FTPREP_RETURN_IF_ERROR(ReadReports(in, &docs));
  std::vector<const rapidjson::Value*> reports;
  for (const auto& d : docs) reports.push_back(&d);
  rapidjson::Document merged;
  FTPREP_RETURN_IF_ERROR(MergeReports(reports, &merged));
  return WriteReport(merged, cli.common.output, cli.common.output_options());
}

}  // namespace ftprep
