// libFuzzer target: the JSON format reader (an array of objects, one object, or JSON Lines saved as .json)
// through the host reader; invariants of fuzz_reader.h. Byte 0 picks the read block size (1 B .. 1 MiB) and
// the record limit; the rest is the file. Differential invariant: the records, messages and final status do
// not depend on the block size (unless a size limit fired).
#include "fuzz_collect.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ftprep_fuzz::Quiet();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* kBlocks[] = {"1", "2", "3", "7", "17", "64", "4096", "1048576"};
  static const uint64_t kLimits[] = {8, 100, 1 << 20, 1 << 20};
  const uint8_t a = data[0];
  uint64_t limit = kLimits[(a >> 3) & 3];
  ftprep_fuzz::Options small = {{"read_block_bytes", kBlocks[a & 7]}};
  ftprep_fuzz::ReadAll("json", data + 1, size - 1, small, limit);
  auto x = ftprep_fuzz::Collect("json", data + 1, size - 1, small, limit);
  auto y = ftprep_fuzz::Collect("json", data + 1, size - 1, {{"read_block_bytes", "65536"}}, limit);
  ftprep_fuzz::CheckSame(x, y, "records depend on the read block size");
  return 0;
}
