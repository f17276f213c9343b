// Helpers for the dialect tests: one record through a dialect codec.
#ifndef FTPREP_TESTS_UNIT_DIALECT_TEST_UTIL_H_
#define FTPREP_TESTS_UNIT_DIALECT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "convert/dialect.h"

namespace ftprep::convert {

// `json` decoded from (decode) or encoded to `dialect`; "" and *err set when the codec refuses it.
inline std::string Conv(const std::string& dialect, bool decode, const std::string& json, std::string* err = nullptr) {
  auto c = DialectCodec::Open(dialect, decode);
  EXPECT_TRUE(c.ok()) << c.status().message();
  if (!c.ok()) return "";
  std::string out, e;
  if (!(*c)->Convert(json, &out, &e)) {
    if (err) *err = e;
    return "";
  }
  return out;
}

}  // namespace ftprep::convert

#endif  // FTPREP_TESTS_UNIT_DIALECT_TEST_UTIL_H_
