// formats/xlsx/zip_archive.h — read-only access to the parts of an XLSX package, with zip-bomb caps.
//
// ZipArchive opens a zip file (libzip) and finds parts by name the way Excel does: case-insensitively, with
// '\' accepted for '/', and without a leading '/'. EntryReader streams one part's decompressed bytes and
// enforces two limits while reading (so a lying header cannot get past them): the total decompressed bytes
// of the distinct parts read, and the per-part ratio between decompressed and compressed size.
// Deflated parts (all that Excel and openpyxl write) are inflated by ISA-L's igzip, several times faster
// than zlib; libzip hands over the raw compressed bytes and the CRC-32 is checked here. Other methods
// (stored, and whatever libzip supports besides) go through libzip as before.
// Not thread-safe; an EntryReader must not outlive its ZipArchive.
#ifndef FTPREP_FORMATS_XLSX_ZIP_ARCHIVE_H_
#define FTPREP_FORMATS_XLSX_ZIP_ARCHIVE_H_

#include <zip.h>

struct inflate_state;  // ISA-L (isa-l/igzip_lib.h)

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ftprep/status.h"

namespace ftprep::xlsx {

struct ZipLimits {
  uint64_t max_uncompressed_bytes = 0;  // sum over distinct parts read
  double max_ratio = 0;                 // decompressed / compressed, per part
};

class ZipArchive;

// A source of decompressed bytes.
class ByteReader {
 public:
  virtual ~ByteReader() = default;
  // Reads up to `len` bytes into `buf`. Returns the count (0 at the end) or an error.
  virtual Result<size_t> Read(char* buf, size_t len) = 0;
};

class EntryReader : public ByteReader {
 public:
  ~EntryReader() override;
  EntryReader(const EntryReader&) = delete;
  EntryReader& operator=(const EntryReader&) = delete;

  // Reads up to `len` decompressed bytes into `buf`. Returns the count (0 at the end) or an error (a limit,
  // a CRC mismatch, a corrupt stream).
  Result<size_t> Read(char* buf, size_t len) override;
  const std::string& name() const { return name_; }

 private:
  friend class ZipArchive;
  EntryReader(ZipArchive* archive, zip_file_t* file, zip_uint64_t index, std::string name, uint64_t comp_size);
  // Switches to inflating the raw deflate bytes `file_` yields (opened with ZIP_FL_COMPRESSED).
  void InflateRaw(uint32_t crc, bool has_crc);
  Result<size_t> ReadInflated(char* buf, size_t len);
  Result<size_t> ReadRaw(char* buf, size_t len);  // the compressed bytes from libzip
  ZipArchive* archive_;
  zip_file_t* file_;
  zip_uint64_t index_;
  std::string name_;
  uint64_t comp_size_;
  uint64_t read_ = 0;
  bool done_ = false;
  // ISA-L path (null: libzip decompresses).
  std::unique_ptr<inflate_state> inflate_;
  std::unique_ptr<uint8_t[]> in_;  // compressed input buffer
  bool in_eof_ = false;
  bool has_crc_ = false;
  uint32_t crc_ = 0;
};

// Decompresses `src` on a background thread, a few chunks ahead of the consumer, so that inflating and
// XML parsing overlap on two cores. While it runs, nothing else may use `src` or its ZipArchive (the worker
// owns them); the destructor stops and joins the worker. Memory: at most kDepth chunks of kChunk bytes.
class PrefetchReader : public ByteReader {
 public:
  explicit PrefetchReader(std::unique_ptr<EntryReader> src);
  ~PrefetchReader() override;
  Result<size_t> Read(char* buf, size_t len) override;

 private:
  static constexpr size_t kChunk = 256 << 10;
  static constexpr size_t kDepth = 4;
  void Work();

  std::unique_ptr<EntryReader> src_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> full_;    // chunks ready for the consumer
  std::vector<std::string> spare_;  // emptied chunks, reused
  Status error_;
  bool eof_ = false;
  bool stop_ = false;
  std::string cur_;
  size_t cur_pos_ = 0;
  std::thread worker_;
};

class ZipArchive {
 public:
  ZipArchive() = default;
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Opens `path`. `display` names the file in messages.
  Status Open(const std::string& path, const ZipLimits& limits);
  // The index of the part `name` (normalised as above), or -1.
  int64_t Find(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) >= 0; }
  // The decompressed size the zip directory declares for part `index` (may lie; 0 if unknown).
  uint64_t DeclaredSize(int64_t index) const;
  // Opens part `index` for reading. `name` is used in messages.
  Result<std::unique_ptr<EntryReader>> OpenEntry(int64_t index, const std::string& name);
  // Reads a whole (small) part into memory, within the same limits. For workbook.xml, rels, styles.
  Result<std::string> ReadAll(std::string_view name);

  // Canonical form of a part name: lower case, '/' separators, no leading '/'.
  static std::string Normalize(std::string_view name);

 private:
  friend class EntryReader;
  Status CheckLimits(const std::string& name, uint64_t bytes, uint64_t comp_size, zip_uint64_t index) const;
  void Finished(zip_uint64_t index, uint64_t bytes);

  zip_t* zip_ = nullptr;
  ZipLimits limits_;
  std::unordered_map<std::string, int64_t> names_;
  std::unordered_set<zip_uint64_t> counted_;
  uint64_t committed_ = 0;  // decompressed bytes of parts read to the end (each counted once)
};

}  // namespace ftprep::xlsx

#endif  // FTPREP_FORMATS_XLSX_ZIP_ARCHIVE_H_
