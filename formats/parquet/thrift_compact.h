// formats/parquet/thrift_compact.h — a bounded reader of Thrift's compact protocol (what Parquet's footer
// and page headers are written in).
//
// It decodes only what the caller asks for and skips the rest, field by field, so unknown or future fields
// are harmless. Every read is checked against the end of the buffer and nesting is capped, so hostile bytes
// give an error, never an overread or a deep recursion. Not thread-safe; one reader per buffer.
#ifndef FTPREP_FORMATS_PARQUET_THRIFT_COMPACT_H_
#define FTPREP_FORMATS_PARQUET_THRIFT_COMPACT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ftprep::parquet {

// Compact-protocol element types (the low nibble of a field header).
enum TType : uint8_t {
  kStop = 0,
  kTrue = 1,
  kFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kF64 = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

class ThriftReader {
 public:
  ThriftReader(const uint8_t* data, size_t size) : p_(data), end_(data + size), begin_(data) {}

  // Struct traversal: BeginStruct, then NextField until it returns false (STOP), then EndStruct.
  void BeginStruct();
  // Reads the next field header; false at STOP (or on error). *type is the field's TType.
  bool NextField(int16_t* id, uint8_t* type);
  void EndStruct();

  // Values of the field just announced (type must match; a mismatch is an error).
  int64_t ReadInt(uint8_t type);  // kByte, kI16, kI32, kI64
  bool ReadBool(uint8_t type);    // kTrue/kFalse in a field, or a list element byte
  double ReadDouble();
  std::string_view ReadBinary();
  // List or set header: element type and count (the count is checked against the bytes left).
  uint32_t ReadListHeader(uint8_t* elem_type);
  void Skip(uint8_t type);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  size_t consumed() const { return static_cast<size_t>(p_ - begin_); }
  void Fail(const std::string& why);

 private:
  uint64_t Varint();
  uint8_t Byte();

  const uint8_t* p_;
  const uint8_t* end_;
  const uint8_t* begin_;
  int16_t last_id_[64] = {};
  int depth_ = 0;
  uint8_t bool_value_ = 0;  // a bool field's value sits in its header
  std::string error_;
};

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_THRIFT_COMPACT_H_
