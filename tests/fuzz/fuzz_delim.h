// tests/fuzz/fuzz_delim.h — the body of the csv and tsv targets. The first three bytes are options:
//   byte 0: delimiter (auto , ; | TAB x), header on/off, lazy_quotes;
//   byte 1: input encoding (UTF-8, --repair-utf8, latin1, utf-16, shift_jis) and, for tsv, tsv_escapes;
//   byte 2: read block size (1 B .. 1 MiB) and record limit;
// the rest is the file. Invariants: those of fuzz_reader.h, plus a differential one: the records, their
// lines/columns/messages and the final status must not depend on the read block size (unless a size limit
// fired, which legitimately depends on how much was buffered).
#ifndef FTPREP_TESTS_FUZZ_FUZZ_DELIM_H_
#define FTPREP_TESTS_FUZZ_FUZZ_DELIM_H_

#include "fuzz_collect.h"

namespace ftprep_fuzz {

inline int FuzzDelimited(const char* format, bool tsv, const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  static const char* kDelims[] = {"auto", ",", ";", "pipe", "tab", "x"};
  static const char* kEncodings[] = {"", "repair", "latin1", "utf-16", "shift_jis"};
  static const char* kBlocks[] = {"1", "2", "3", "5", "64", "4096", "65536", "1048576"};
  static const uint64_t kLimits[] = {16, 300, 1 << 20, 1 << 20};
  const uint8_t a = data[0], b = data[1], c = data[2];
  Options opts;
  const char* delim = kDelims[(a & 7) % 6];
  if (!tsv || (a & 7) == 0) opts.emplace_back("delimiter", delim);
  if (a & 8) opts.emplace_back("no_header", "1");
  if (a & 16) opts.emplace_back("lazy_quotes", "1");
  const char* enc = kEncodings[(b & 7) % 5];
  if (std::string(enc) == "repair") {
    opts.emplace_back("repair_utf8", "1");
  } else if (*enc) {
    opts.emplace_back("encoding", enc);
  }
  if (tsv && (b & 8)) opts.emplace_back("tsv_escapes", "1");
  uint64_t limit = kLimits[(c >> 3) & 3];
  data += 3;
  size -= 3;
  Options small = opts, whole = opts;
  small.emplace_back("read_block_bytes", kBlocks[c & 7]);
  // One block holds any input libFuzzer makes (-max_len 65536): the reference reads it in one go. (Cheaper
  // than the default 1 MiB buffer, which dominated the time of an execution under ASan.)
  whole.emplace_back("read_block_bytes", "65536");
  ReadAll(format, data, size, small, limit);
  Outcome x = Collect(format, data, size, small, limit);
  Outcome y = Collect(format, data, size, whole, limit);
  CheckSame(x, y, "records depend on the read block size");
  return 0;
}

}  // namespace ftprep_fuzz

#endif  // FTPREP_TESTS_FUZZ_FUZZ_DELIM_H_
