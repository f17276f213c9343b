// ftprep validate — checks every record against a profile; reports every bad line; CI exit codes.
#include <cstdio>
#include <string>

#include "cli.h"
#include "diag.h"
#include "ftprep/reader.h"
#include "ftprep/writer.h"
#include "progress.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep validate [--profile NAME] [options] [FILE...]

Checks every record of FILE (any format; '-' or none = stdin) against a profile and reports every problem
as `file:line[:col]: error[rule-id]: what at json.path`. Valid records pass through to stdout (or -o), so
validate sits in a pipe; invalid ones are counted, reported on stderr and, with --rejects, written to a file
with their errors attached. The run never stops at the first bad line.

profiles:
  jsonl        every line a JSON object in valid UTF-8 (nesting <= 1000 levels)

options:
  --profile NAME          profile to check against (default: jsonl)
  -o, --output FILE       where valid records go (default: stdout; written atomically)
  --rejects FILE          write invalid records, with their errors, as JSONL
  --max-per-rule N        print at most N findings per rule (default 20; all are counted)
  --quiet                 print only the summary
  --format NAME           input format (default: from the extension, else sniffed)
  --format-opt KEY=VALUE  option for the format reader (e.g. delimiter=;)
  --max-record-bytes N    longest record accepted (default 64M)
  --progress MODE         never|always|auto (default auto: on a terminal, after a second)
  --plugin-path DIR       load plugins from DIR as well
  --force                 overwrite an existing -o/--rejects file

exit codes: 0 all records valid; 1 some record failed; 2 usage, I/O or internal error.

example:
  printf '{"a":1}\nnot json\n' | ftprep validate --profile jsonl --rejects bad.jsonl > good.jsonl
)";

}  // namespace

Status ValidateMain(int argc, char** argv) {
  ToolCli cli("validate", kUsage, kFlagsStream & ~kFlagReport);
  std::string profile = "jsonl";
  size_t max_per_rule = 20;
  bool quiet = false;
  cli.Add()("profile", po::value<std::string>(&profile), "profile")(
      "max-per-rule", po::value<size_t>(&max_per_rule), "n")("quiet,q", po::bool_switch(&quiet), "quiet");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  if (profile != "jsonl") {
    std::vector<std::string> known = {"jsonl"};
    std::string msg = "unknown profile '" + profile + "' (available: jsonl)";
    auto close = ClosestNames(profile, known);
    if (!close.empty()) msg += "; did you mean " + close[0] + "?";
    return UsageError(msg);
  }

  auto reader = OpenReader(cli.common.inputs, cli.common.read_options());
  if (!reader.ok()) return reader.status();
  auto out = Output::Open(cli.common.output, cli.common.output_options());
  if (!out.ok()) return out.status();
  auto writer = OpenWriter(std::move(*out), "jsonl");
  if (!writer.ok()) return writer.status();
  std::unique_ptr<RejectsWriter> rejects;
  if (!cli.common.rejects.empty()) {
    auto r = RejectsWriter::Open(cli.common.rejects, cli.common.output_options());
    if (!r.ok()) return r.status();
    rejects = std::move(*r);
  }

  Diagnostics diag(max_per_rule);
  diag.set_quiet(quiet);
  Progress progress(cli.common.progress, reader->get());
  Record rec;
  uint64_t total = 0, valid = 0, invalid = 0;
  while ((*reader)->Next(&rec)) {
    ++total;
    progress.Tick(total);
    if (rec.bad()) {
      ++invalid;
      diag.Report(Severity::kError, rec.loc, rec.rule_id(), rec.error(), {}, rec.raw());
      if (rejects) {
        FTPREP_RETURN_IF_ERROR(rejects->Write(rec.loc, rec.raw(), {{rec.rule_id(), rec.error(), ""}}));
      }
      continue;
    }
    ++valid;
    Status s = (*writer)->Write(rec);
    if (!s.ok()) return s;
  }
  progress.Finish();
  Status rs = (*reader)->status();
  if (!rs.ok()) {
    if (rs.code() == Code::kInterrupted) {
      return Status(Code::kInterrupted, "interrupted after " + std::to_string(total) +
                                            " records; no output file was written");
    }
    return rs;
  }
  FTPREP_RETURN_IF_ERROR((*writer)->Close());
  if (rejects) FTPREP_RETURN_IF_ERROR(rejects->Close());
  diag.PrintSuppressed();
  std::string summary = std::to_string(total) + " record" + (total == 1 ? "" : "s") + ": " +
                        std::to_string(valid) + " valid, " + std::to_string(invalid) + " invalid (profile " +
                        profile + ")";
  if (rejects) summary += "; " + std::to_string(rejects->count()) + " written to " + cli.common.rejects;
  if (invalid > 0) return DataError(summary);
  if (!quiet) Note(summary);
  return Status::Ok();
}

}  // namespace ftprep
