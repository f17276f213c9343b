// ftprep/reader.h — streaming record readers over any format ftprep knows.
//
//   auto r = ftprep::OpenReader(inputs, opts);   // "-" or empty list = stdin
//   if (!r.ok()) return r.status();
//   ftprep::Record rec;
//   while ((*r)->Next(&rec)) { if (rec.bad()) {...per-record problem...} else {...} }
//   if (!(*r)->status().ok()) return (*r)->status();   // structural failure (I/O, zip bomb, ...)
//
// Memory is bounded by the largest record. Compressed input (.gz, .zst) is detected by magic bytes. The format
// comes from --format, else the file extension, else sniffing the first bytes. Readers are not thread-safe.
#ifndef FTPREP_READER_H_
#define FTPREP_READER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "ftprep/record.h"
#include "ftprep/status.h"

namespace ftprep {

struct ReadOptions {
  std::string format = "auto";  // plugin name: jsonl, csv, tsv, xlsx, json, txt, ... or "auto"
  // Passed to the format plugin as key/value pairs (delimiter, header, encoding, sheet, ...).
  std::vector<std::pair<std::string, std::string>> format_options;
  uint64_t max_record_bytes = 64ull << 20;
  uint64_t max_field_bytes = 16ull << 20;
  int max_depth = 1000;  // JSON nesting limit
  // Leave records deferred (Record::Defer) for the caller to Resolve, e.g. on worker threads.
  bool defer_parse = false;
};

class Reader {
 public:
  virtual ~Reader() = default;
  // Fills *rec with the next record (possibly a bad one: rec->bad()). False at the end or on a structural
  // error; then status() says which.
  virtual bool Next(Record* rec) = 0;
  virtual Status status() const = 0;
  // Name of the current input as shown in messages.
  virtual const std::string& name() const = 0;
  // The format plugin in use ("jsonl", "csv", ...).
  virtual const std::string& format() const = 0;
  // Progress: bytes consumed so far across inputs and the total if known (-1 otherwise).
  virtual uint64_t bytes_read() const = 0;
  virtual int64_t total_bytes() const = 0;
};

// Opens one reader over several inputs in order ("-" = stdin; an empty list = stdin).
Result<std::unique_ptr<Reader>> OpenReader(const std::vector<std::string>& inputs, const ReadOptions& opts);

// The reader's final status as a tool reports it after `records` records: an interruption (SIGINT, SIGTERM)
// says how many records were done and that no output file was written (outputs commit only on success).
Status ReaderEndStatus(const Reader& reader, uint64_t records);

// Guesses the format plugin name for a path from its extension (".jsonl.gz" -> "jsonl"); "" if unknown.
std::string FormatFromExtension(const std::string& path);

}  // namespace ftprep

#endif  // FTPREP_READER_H_
