// formats/parquet/parquet_reader.h — streaming Parquet reader: one row -> one JSON object record.
//
// Open() reads and checks the footer (magic, size limits, encryption, schema, column chunk bounds); Next()
// then walks the row groups in order. For each row group it reads the selected columns' chunks (their
// compressed bytes: memory is bounded by one row group's chunks plus one decoded page per column) and
// assembles rows from repetition and definition levels into nested JSON. Not thread-safe.
#ifndef FTPREP_FORMATS_PARQUET_PARQUET_READER_H_
#define FTPREP_FORMATS_PARQUET_PARQUET_READER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "column.h"
#include "ftprep/status.h"
#include "metadata.h"
#include "schema.h"

namespace ftprep::parquet {

struct ReaderOptions {
  std::vector<std::string> columns;  // top-level columns to read; empty = all
  uint64_t first_row = 1;            // 1-based, inclusive
  uint64_t last_row = UINT64_MAX;    // inclusive
  uint64_t max_record_bytes = uint64_t{64} << 20;
  uint64_t max_field_bytes = uint64_t{16} << 20;
  Limits limits;
};

struct Row {
  uint64_t row = 0;  // 1-based row number in the file
  std::string_view json;
  std::string_view error;  // a per-row problem (the JSON is then empty)
  const char* rule_id = nullptr;
};

class ParquetReader {
 public:
  ParquetReader() = default;
  ~ParquetReader();
  ParquetReader(const ParquetReader&) = delete;
  ParquetReader& operator=(const ParquetReader&) = delete;

  // Opens the file at `path` (a file descriptor is kept until destruction).
  Status Open(const std::string& path, const ReaderOptions& options);
  // The next row: true and *row filled (valid until the next call), or false at the end or on an error.
  bool Next(Row* row);
  const Status& status() const { return status_; }
  // Notes for the user gathered while reading (base64 columns); taken (cleared) by the caller.
  std::vector<std::string> TakeWarnings() { return std::move(warnings_); }
  const FileMeta& meta() const { return meta_; }
  const Schema& schema() const { return schema_; }

 private:
  Status CheckRowGroups();
  Status LoadRowGroup(size_t g);
  Status CheckRowGroupEnd();
  bool Fail(Status s);
  // Assembly (the record's JSON goes to out_).
  bool Peek(int leaf, uint16_t* rep, uint16_t* def);
  bool SkipEntries(const Node& n);
  bool WriteNode(int n);
  bool WriteValue(int n);
  bool WriteRepeated(int n);
  bool WriteElement(int n);
  bool WriteLeaf(int leaf);

  int fd_ = -1;
  uint64_t file_size_ = 0;
  ReaderOptions opt_;
  FileMeta meta_;
  Schema schema_;
  std::vector<int> fields_;       // selected top-level nodes
  std::vector<int> active_;       // selected leaves
  std::vector<ColumnInfo> infos_; // per leaf
  std::vector<ColumnCursor> cursors_;  // per leaf (only active ones initialised)
  std::vector<char> warned_;      // per leaf: base64 note given
  std::vector<std::string> warnings_;
  size_t group_ = 0;              // next row group to load
  uint64_t group_rows_left_ = 0;
  bool in_group_ = false;
  uint64_t row_ = 0;              // rows passed so far (1-based number of the last one)
  Status status_;
  std::string out_;
  std::string row_error_;
  const char* row_rule_ = nullptr;
};

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_PARQUET_READER_H_
