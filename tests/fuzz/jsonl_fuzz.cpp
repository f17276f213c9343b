// libFuzzer target: JSON Lines through the host reader (tests/fuzz/fuzz_reader.h lists the invariants).
// The first two bytes pick the reader's block size and record limit, so lines straddle block boundaries and
// hit the size limit; the rest is the file (plain, gzip or zstd: the byte source detects them).
#include "fuzz_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static const char* kBlocks[] = {"1", "2", "3", "7", "64", "4096", "65536", "1048576"};
  static const uint64_t kLimits[] = {8, 100, 4096, 1 << 20};
  ftprep_fuzz::ReadAll("jsonl", data + 2, size - 2, {{"read_block_bytes", kBlocks[data[0] % 8]}},
                       kLimits[data[1] % 4]);
  return 0;
}
