// libFuzzer target: CSV through the host reader; options and invariants in fuzz_delim.h.
#include "fuzz_delim.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ftprep_fuzz::Quiet();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ftprep_fuzz::FuzzDelimited("csv", false, data, size);
}
