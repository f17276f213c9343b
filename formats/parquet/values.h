// formats/parquet/values.h — one leaf value as JSON, by the mapping of README.md.
#ifndef FTPREP_FORMATS_PARQUET_VALUES_H_
#define FTPREP_FORMATS_PARQUET_VALUES_H_

#include <cstdint>
#include <string>

#include "encodings.h"
#include "schema.h"

namespace ftprep::parquet {

// Appends the value as JSON. Returns false when a string-annotated value was not UTF-8 (it was written as
// base64 instead), so the caller can say so once.
bool AppendValue(const LeafInfo& leaf, const Val& v, std::string* out);

// The pieces, exposed for tests.
void AppendFloat(float f, std::string* out);
void AppendDouble(double d, std::string* out);
void AppendHalf(uint16_t bits, std::string* out);
void AppendDecimalBytes(const char* p, size_t n, int32_t scale, std::string* out);
void AppendDecimalInt(int64_t v, int32_t scale, std::string* out);
void AppendDate(int64_t days, std::string* out);
void AppendTimeOfDay(int64_t value, int64_t per_second, int digits, std::string* out);
void AppendInt96(const char* p, std::string* out);

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_VALUES_H_
