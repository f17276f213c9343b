// formats/parquet/encodings.h — decoders of Parquet's page encodings: the RLE/bit-packed hybrid (levels,
// dictionary indices, booleans), DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY,
// BYTE_STREAM_SPLIT and PLAIN. Every decoder checks its reads against the end of its input and fails
// (returns false, with a reason) instead of reading past it.
#ifndef FTPREP_FORMATS_PARQUET_ENCODINGS_H_
#define FTPREP_FORMATS_PARQUET_ENCODINGS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace ftprep::parquet {

// One decoded value. Integers (BOOLEAN, INT32 sign-extended, INT64) are in i, FLOAT in f, DOUBLE in d;
// byte arrays (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96) are p/len into a buffer the column keeps alive.
struct Val {
  union {
    int64_t i;
    double d;
    float f;
    const char* p;
  };
  uint32_t len = 0;
};

// The RLE / bit-packed hybrid (no length prefix; the caller strips it where the format has one).
class RleDecoder {
 public:
  RleDecoder(const uint8_t* data, size_t size, int bit_width)
      : p_(data), end_(data + size), width_(bit_width) {}
  // Decodes `count` values into out; false if the data ends early or is malformed.
  bool Get(uint32_t* out, size_t count);
  const uint8_t* position() const { return p_; }

 private:
  bool NextRun();
  const uint8_t* p_;
  const uint8_t* end_;
  int width_;
  uint64_t rle_left_ = 0;
  uint32_t rle_value_ = 0;
  uint64_t packed_left_ = 0;  // values left in the current bit-packed run
  const uint8_t* packed_ = nullptr;
  uint64_t packed_bit_ = 0;
};

// DELTA_BINARY_PACKED: appends up to `max_values` values to out (the header's count, capped); on success
// *consumed is the number of input bytes it took. `width32` wraps the arithmetic at 32 bits (INT32).
bool DecodeDeltaBinaryPacked(const uint8_t* data, size_t size, size_t max_values, bool width32,
                             std::vector<int64_t>* out, size_t* consumed, std::string* error);

// Number of bytes an unsigned LEB128 varint at p takes, value in *v; 0 if malformed or truncated.
size_t ReadUleb(const uint8_t* p, const uint8_t* end, uint64_t* v);

// Minimum number of bits that can hold `max_value`.
int BitWidth(uint32_t max_value);

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_ENCODINGS_H_
