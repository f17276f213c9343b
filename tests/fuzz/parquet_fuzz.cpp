// libFuzzer target: the Parquet reader (footer, schema, pages, codecs, encodings, level assembly) through
// the host reader; invariants of fuzz_reader.h. Byte 0 picks options (bit 1: rows 2-; bits 2-3: the
// record limit); the rest is the file. Small page limits keep
// inflation cheap and exercise the limit paths. Seeds: tests/fuzz/corpus/parquet (small files made by
// parquet-wasm and the hostile cases of the unit tests).
#include <string>
#include <utility>
#include <vector>

#include "fuzz_collect.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ftprep_fuzz::Quiet();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const uint64_t kLimits[] = {64, 1000, 1 << 20, 1 << 20};
  const uint8_t a = data[0];
  std::vector<std::pair<std::string, std::string>> opts = {
      {"max_page_bytes", "4194304"}, {"max_page_values", "1048576"}, {"max_row_group_bytes", "16777216"}};
  if (a & 2) opts.emplace_back("rows", "2-");
  uint64_t limit = kLimits[(a >> 2) & 3];
  ftprep_fuzz::ReadAll("parquet", data + 1, size - 1, opts, limit);
  return 0;
}
