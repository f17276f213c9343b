// formats/parquet/column.h — reads one column chunk of one row group, page by page, as a stream of entries
// (repetition level, definition level and, when the value is present, the value).
//
// The chunk's compressed bytes are held (they are what "memory bounded by a row group's column chunks"
// means); pages are decompressed and decoded one at a time, so only one page's values are ever expanded.
// Supports data pages v1 and v2, dictionary pages, page CRCs, and the encodings of encodings.h.
// Not thread-safe.
#ifndef FTPREP_FORMATS_PARQUET_COLUMN_H_
#define FTPREP_FORMATS_PARQUET_COLUMN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "encodings.h"
#include "ftprep/status.h"
#include "metadata.h"

namespace ftprep::parquet {

struct Limits {
  uint64_t max_metadata_bytes = uint64_t{64} << 20;
  uint64_t max_page_bytes = uint64_t{256} << 20;     // one page, decompressed
  uint64_t max_page_values = uint64_t{16} << 20;     // entries of one page (levels make them cheap to fake)
  uint64_t max_row_group_bytes = uint64_t{1} << 30;  // compressed chunks of one row group held at once
};

struct ColumnInfo {
  std::string path;  // dotted, for messages
  int32_t type = 0;
  int32_t type_length = 0;
  int32_t codec = 0;
  uint16_t max_def = 0;
  uint16_t max_rep = 0;
  int64_t num_values = 0;
};

class ColumnCursor {
 public:
  // Takes the chunk's bytes (starting at its first page).
  void Init(const ColumnInfo* info, std::string chunk, const Limits* limits);
  // Levels of the current entry; false at the end of the chunk or on an error (then status()).
  bool Peek(uint16_t* rep, uint16_t* def) {
    if (pos_ >= count_ && !LoadPage()) return false;
    *rep = rep_.empty() ? 0 : rep_[pos_];
    *def = def_.empty() ? info_->max_def : def_[pos_];
    return true;
  }
  // Moves past the current entry (Peek must have returned true); *v is its value when def == max_def.
  bool Take(Val* v) {
    uint16_t def = def_.empty() ? info_->max_def : def_[pos_];
    ++pos_;
    if (def != info_->max_def) return false;
    *v = vals_[vpos_++];
    return true;
  }
  const Status& status() const { return status_; }
  const ColumnInfo& info() const { return *info_; }

 private:
  bool LoadPage();
  bool Fail(Status s);
  Status ReadDictionary(const PageHeader& h, const uint8_t* data, size_t size);
  Status ReadDataPage(const PageHeader& h, const uint8_t* data, size_t size);
  Status DecodeLevels(int encoding, const uint8_t* p, size_t n, uint16_t max, size_t count, bool prefixed,
                      std::vector<uint16_t>* out, size_t* used);
  Status DecodeValues(int encoding, const uint8_t* p, size_t n, size_t count);

  const ColumnInfo* info_ = nullptr;
  const Limits* limits_ = nullptr;
  std::string chunk_;
  size_t chunk_pos_ = 0;
  int page_no_ = 0;
  Status status_;
  // Dictionary (values point into dict_buf_).
  std::string dict_buf_;
  std::vector<Val> dict_;
  bool has_dict_ = false;
  // Current page.
  std::string page_buf_, arena_;
  std::vector<uint16_t> rep_, def_;
  std::vector<Val> vals_;
  std::vector<uint32_t> idx_;
  std::vector<int64_t> ints_;
  size_t count_ = 0, pos_ = 0, vpos_ = 0;
};

// Decodes `count` PLAIN values of a physical type; false with *error on short or malformed data.
bool DecodePlain(int32_t type, int32_t type_length, const uint8_t* p, size_t n, size_t count,
                 std::vector<Val>* out, std::string* error);

}  // namespace ftprep::parquet

#endif  // FTPREP_FORMATS_PARQUET_COLUMN_H_
