// formats/parquet/metadata.h — the parts of Parquet's Thrift metadata the reader uses: the footer
// (FileMetaData: schema, row groups, column chunks) and page headers. Field ids follow the Parquet format
// specification; fields the reader does not need are skipped.
#ifndef FTPREP_FORMATS_PARQUET_METADATA_H_
#define FTPREP_FORMATS_PARQUET_METADATA_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ftprep/status.h"

namespace ftprep::parquet {

enum PhysicalType : int32_t {
  kBoolean = 0,
  kInt32 = 1,
  kInt64 = 2,
  kInt96 = 3,
  kFloat = 4,
  kDouble = 5,
  kByteArray = 6,
  kFixedLenByteArray = 7,
};

enum Repetition : int32_t { kRequired = 0, kOptional = 1, kRepeated = 2 };

// ConvertedType values (the legacy annotations).
enum Converted : int32_t {
  kCtNone = -1,
  kCtUtf8 = 0,
  kCtMap = 1,
  kCtMapKeyValue = 2,
  kCtList = 3,
  kCtEnum = 4,
  kCtDecimal = 5,
  kCtDate = 6,
  kCtTimeMillis = 7,
  kCtTimeMicros = 8,
  kCtTimestampMillis = 9,
  kCtTimestampMicros = 10,
  kCtUint8 = 11,
  kCtUint16 = 12,
  kCtUint32 = 13,
  kCtUint64 = 14,
  kCtInt8 = 15,
  kCtInt16 = 16,
  kCtInt32 = 17,
  kCtInt64 = 18,
  kCtJson = 19,
  kCtBson = 20,
  kCtInterval = 21,
};

// LogicalType union member ids (0 = absent; kLtOther = present but not one this reader knows).
enum Logical : int32_t {
  kLtNone = 0,
  kLtString = 1,
  kLtMap = 2,
  kLtList = 3,
  kLtEnum = 4,
  kLtDecimal = 5,
  kLtDate = 6,
  kLtTime = 7,
  kLtTimestamp = 8,
  kLtInteger = 10,
  kLtUnknown = 11,  // the "always null" type
  kLtJson = 12,
  kLtBson = 13,
  kLtUuid = 14,
  kLtFloat16 = 15,
  kLtOther = 1000,
};

enum TimeUnit : int32_t { kMillis = 1, kMicros = 2, kNanos = 3 };

struct SchemaElement {
  int32_t type = -1;  // PhysicalType, -1 for groups
  int32_t type_length = 0;
  int32_t repetition = kRequired;
  bool has_repetition = false;
  std::string name;
  int32_t num_children = 0;
  int32_t converted = kCtNone;
  int32_t scale = 0;
  int32_t precision = 0;
  int32_t logical = kLtNone;
  int32_t lt_scale = 0;  // DECIMAL logical type
  bool utc = false;      // TIME / TIMESTAMP logical type
  int32_t unit = 0;      // TimeUnit of TIME / TIMESTAMP
  int32_t int_bits = 0;  // INTEGER logical type
  bool int_signed = true;
};

struct ColumnChunkMeta {
  int32_t type = -1;
  int32_t codec = 0;
  int64_t num_values = 0;
  int64_t total_compressed_size = 0;
  int64_t data_page_offset = -1;
  int64_t dictionary_page_offset = -1;  // -1 = absent
  std::vector<std::string> path;
  bool encrypted = false;  // crypto metadata or encrypted column metadata present
  bool has_meta = false;
  bool external = false;  // file_path set: the chunk lives in another file
};

struct RowGroupMeta {
  int64_t num_rows = 0;
  std::vector<ColumnChunkMeta> columns;
};

struct FileMeta {
  std::vector<SchemaElement> schema;
  int64_t num_rows = 0;
  std::vector<RowGroupMeta> row_groups;
  std::string created_by;
  bool encrypted = false;  // encryption_algorithm present (plaintext footer mode)
};

// Parses the footer bytes (between the start of the footer and its 4-byte length).
Status ParseFileMeta(const uint8_t* data, size_t size, FileMeta* out);

enum PageType : int32_t { kDataPage = 0, kIndexPage = 1, kDictionaryPage = 2, kDataPageV2 = 3 };

struct PageHeader {
  int32_t type = -1;
  int32_t uncompressed_size = 0;
  int32_t compressed_size = 0;
  bool has_crc = false;
  uint32_t crc = 0;
  int32_t num_values = 0;
  int32_t encoding = 0;
  int32_t def_encoding = 3;  // RLE
  int32_t rep_encoding = 3;
  // Data page v2.
  int32_t num_nulls = 0;
  int32_t num_rows = 0;
  int32_t def_bytes = 0;
  int32_t rep_bytes = 0;
  bool is_compressed = true;
  bool has_header = false;  // the page's own header struct (data, dictionary or v2) was present
};

// Parses one page header at the start of [data, data+size); *header_size gets its length.
Status ParsePageHeader(const uint8_t* data, size_t size, PageHeader* out, size_t* header_size);

const char* CodecName(int32_t codec);
const char* EncodingName(int32_t encoding);

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_METADATA_H_
