// Pages of one column chunk: header, CRC, decompression, levels, values.
#include "column.h"

#include <zlib.h>

#include <cstring>

#include "codec.h"

namespace ftprep::parquet {
namespace {

uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

size_t FixedWidth(int32_t type, int32_t type_length) {
  switch (type) {
    case kInt32:
    case kFloat:
      return 4;
    case kInt64:
    case kDouble:
      return 8;
    case kInt96:
      return 12;
    case kFixedLenByteArray:
      return static_cast<size_t>(type_length);
    default:
      return 0;
  }
}

}  // namespace

bool DecodePlain(int32_t type, int32_t type_length, const uint8_t* p, size_t n, size_t count,
                 std::vector<Val>* out, std::string* error) {
  size_t base = out->size();
  out->resize(base + count);
  Val* v = out->data() + base;
  auto shortage = [&]() {
    *error = "PLAIN values run past the end of the page";
    out->resize(base);
    return false;
  };
  switch (type) {
    case kBoolean:
      if ((count + 7) / 8 > n) return shortage();
      for (size_t i = 0; i < count; ++i) v[i].i = (p[i >> 3] >> (i & 7)) & 1;
      return true;
    case kInt32:
      if (count > n / 4) return shortage();
      for (size_t i = 0; i < count; ++i) v[i].i = static_cast<int32_t>(Le32(p + 4 * i));
      return true;
    case kInt64:
      if (count > n / 8) return shortage();
      for (size_t i = 0; i < count; ++i) std::memcpy(&v[i].i, p + 8 * i, 8);
      return true;
    case kFloat:
      if (count > n / 4) return shortage();
      for (size_t i = 0; i < count; ++i) std::memcpy(&v[i].f, p + 4 * i, 4);
      return true;
    case kDouble:
      if (count > n / 8) return shortage();
      for (size_t i = 0; i < count; ++i) std::memcpy(&v[i].d, p + 8 * i, 8);
      return true;
    case kInt96:
    case kFixedLenByteArray: {
      size_t w = FixedWidth(type, type_length);
      if (w != 0 && count > n / w) return shortage();
      for (size_t i = 0; i < count; ++i) {
        v[i].p = reinterpret_cast<const char*>(p + w * i);
        v[i].len = static_cast<uint32_t>(w);
      }
      return true;
    }
    case kByteArray: {
      size_t off = 0;
      for (size_t i = 0; i < count; ++i) {
        if (n - off < 4) return shortage();
        uint32_t len = Le32(p + off);
        off += 4;
        if (len > n - off) return shortage();
        v[i].p = reinterpret_cast<const char*>(p + off);
        v[i].len = len;
        off += len;
      }
      return true;
    }
    default:
      *error = "unknown physical type " + std::to_string(type);
      out->resize(base);
      return false;
  }
}

void ColumnCursor::Init(const ColumnInfo* info, std::string chunk, const Limits* limits) {
  info_ = info;
  limits_ = limits;
  chunk_ = std::move(chunk);
  chunk_pos_ = 0;
  page_no_ = 0;
  status_ = Status::Ok();
  has_dict_ = false;
  dict_.clear();
  count_ = pos_ = vpos_ = 0;
}

bool ColumnCursor::Fail(Status s) {
  status_ = DataError("column '" + info_->path + "', page " + std::to_string(page_no_) + ": " + s.message());
  if (s.code() != Code::kData) status_ = Status(s.code(), status_.message());
  chunk_pos_ = chunk_.size();
  count_ = pos_ = 0;
  return false;
}

bool ColumnCursor::LoadPage() {
  if (!status_.ok()) return false;
  while (chunk_pos_ < chunk_.size()) {
    ++page_no_;
    const uint8_t* base = reinterpret_cast<const uint8_t*>(chunk_.data());
    PageHeader h;
    size_t hsize = 0;
    Status st = ParsePageHeader(base + chunk_pos_, chunk_.size() - chunk_pos_, &h, &hsize);
    if (!st.ok()) return Fail(st);
    if (h.compressed_size < 0 || h.uncompressed_size < 0) return Fail(DataError("negative page size"));
    if (static_cast<uint64_t>(h.compressed_size) > chunk_.size() - chunk_pos_ - hsize) {
      return Fail(DataError("the page runs past the end of its column chunk (truncated or corrupt file)"));
    }
    const uint8_t* data = base + chunk_pos_ + hsize;
    size_t size = static_cast<size_t>(h.compressed_size);
    chunk_pos_ += hsize + size;
    if (h.has_crc) {
      uint32_t crc = static_cast<uint32_t>(crc32(crc32(0, nullptr, 0), data, static_cast<uInt>(size)));
      if (crc != h.crc) return Fail(DataError("page CRC mismatch (the file is corrupt)"));
    }
    if (static_cast<uint64_t>(h.uncompressed_size) > limits_->max_page_bytes) {
      return Fail(LimitError("a page inflates to " + std::to_string(h.uncompressed_size) + " bytes, over " +
                             std::to_string(limits_->max_page_bytes) +
                             " (limit max_page_bytes); raise it with --format-opt max_page_bytes=N"));
    }
    if (h.num_values < 0) return Fail(DataError("negative value count in a page header"));
    if (static_cast<uint64_t>(h.num_values) > limits_->max_page_values) {
      return Fail(LimitError("a page holds " + std::to_string(h.num_values) + " values, over " +
                             std::to_string(limits_->max_page_values) +
                             " (limit max_page_values); raise it with --format-opt max_page_values=N"));
    }
    if (h.type == kDictionaryPage) {
      st = ReadDictionary(h, data, size);
      if (!st.ok()) return Fail(st);
      continue;
    }
    if (h.type != kDataPage && h.type != kDataPageV2) continue;  // index pages and unknown kinds
    if (!h.has_header) return Fail(DataError("a data page without its data page header"));
    st = ReadDataPage(h, data, size);
    if (!st.ok()) return Fail(st);
    if (count_ > 0) return true;
  }
  return false;
}

Status ColumnCursor::ReadDictionary(const PageHeader& h, const uint8_t* data, size_t size) {
  if (has_dict_) return DataError("a second dictionary page in one column chunk");
  if (h.encoding != 0 && h.encoding != 2) {
    return DataError(std::string("dictionary page in unsupported encoding ") + EncodingName(h.encoding));
  }
  FTPREP_RETURN_IF_ERROR(Decompress(info_->codec, data, size, static_cast<size_t>(h.uncompressed_size), &dict_buf_));
  std::string err;
  dict_.clear();
  if (!DecodePlain(info_->type, info_->type_length, reinterpret_cast<const uint8_t*>(dict_buf_.data()),
                   dict_buf_.size(), static_cast<size_t>(h.num_values), &dict_, &err)) {
    return DataError("dictionary page: " + err);
  }
  has_dict_ = true;
  return Status::Ok();
}

Status ColumnCursor::DecodeLevels(int encoding, const uint8_t* p, size_t n, uint16_t max, size_t count,
                                  bool prefixed, std::vector<uint16_t>* out, size_t* used) {
  int width = BitWidth(max);
  idx_.resize(count);
  if (encoding == 4) {  // BIT_PACKED (deprecated): MSB-first, no length prefix
    size_t bytes = (count * static_cast<size_t>(width) + 7) / 8;
    if (bytes > n) return DataError("bit-packed levels run past the end of the page");
    for (size_t i = 0; i < count; ++i) {
      uint32_t v = 0;
      for (int b = 0; b < width; ++b) {
        size_t bit = i * static_cast<size_t>(width) + static_cast<size_t>(b);
        v = (v << 1) | ((p[bit >> 3] >> (7 - (bit & 7))) & 1);
      }
      idx_[i] = v;
    }
    *used = bytes;
  } else if (encoding == 3) {
    size_t len = n;
    size_t skip = 0;
    if (prefixed) {
      if (n < 4) return DataError("levels run past the end of the page");
      len = Le32(p);
      skip = 4;
      if (len > n - 4) return DataError("levels run past the end of the page");
    }
    RleDecoder d(p + skip, len, width);
    if (!d.Get(idx_.data(), count)) return DataError("too few or malformed repetition/definition levels");
    *used = skip + len;
  } else {
    return DataError(std::string("levels in unsupported encoding ") + EncodingName(encoding));
  }
  out->resize(count);
  for (size_t i = 0; i < count; ++i) {
    if (idx_[i] > max) return DataError("a level above the column's maximum " + std::to_string(max));
    (*out)[i] = static_cast<uint16_t>(idx_[i]);
  }
  return Status::Ok();
}

Status ColumnCursor::ReadDataPage(const PageHeader& h, const uint8_t* data, size_t size) {
  size_t count = static_cast<size_t>(h.num_values);
  const uint8_t* p;
  size_t n;
  rep_.clear();
  def_.clear();
  vals_.clear();
  count_ = pos_ = vpos_ = 0;
  if (h.type == kDataPage) {
    FTPREP_RETURN_IF_ERROR(Decompress(info_->codec, data, size, static_cast<size_t>(h.uncompressed_size), &page_buf_));
    p = reinterpret_cast<const uint8_t*>(page_buf_.data());
    n = page_buf_.size();
    size_t used = 0;
    if (info_->max_rep > 0) {
      FTPREP_RETURN_IF_ERROR(DecodeLevels(h.rep_encoding, p, n, info_->max_rep, count, true, &rep_, &used));
      p += used;
      n -= used;
    }
    if (info_->max_def > 0) {
      FTPREP_RETURN_IF_ERROR(DecodeLevels(h.def_encoding, p, n, info_->max_def, count, true, &def_, &used));
      p += used;
      n -= used;
    }
  } else {
    if (h.rep_bytes < 0 || h.def_bytes < 0 ||
        static_cast<uint64_t>(h.rep_bytes) + static_cast<uint64_t>(h.def_bytes) > size ||
        static_cast<uint64_t>(h.rep_bytes) + static_cast<uint64_t>(h.def_bytes) >
            static_cast<uint64_t>(h.uncompressed_size)) {
      return DataError("data page v2 level sizes exceed the page");
    }
    size_t used = 0;
    if (info_->max_rep > 0) {
      FTPREP_RETURN_IF_ERROR(DecodeLevels(3, data, static_cast<size_t>(h.rep_bytes), info_->max_rep, count, false,
                                          &rep_, &used));
    }
    if (info_->max_def > 0) {
      FTPREP_RETURN_IF_ERROR(DecodeLevels(3, data + h.rep_bytes, static_cast<size_t>(h.def_bytes), info_->max_def,
                                          count, false, &def_, &used));
    }
    size_t lv = static_cast<size_t>(h.rep_bytes) + static_cast<size_t>(h.def_bytes);
    size_t out_size = static_cast<size_t>(h.uncompressed_size) - lv;
    if (h.is_compressed && info_->codec != 0) {
      FTPREP_RETURN_IF_ERROR(Decompress(info_->codec, data + lv, size - lv, out_size, &page_buf_));
    } else {
      if (size - lv != out_size) return DataError("an uncompressed data page v2's sizes disagree");
      page_buf_.assign(reinterpret_cast<const char*>(data + lv), size - lv);
    }
    p = reinterpret_cast<const uint8_t*>(page_buf_.data());
    n = page_buf_.size();
  }
  size_t present = count;
  if (!def_.empty()) {
    present = 0;
    for (uint16_t d : def_) present += (d == info_->max_def);
  }
  FTPREP_RETURN_IF_ERROR(DecodeValues(h.encoding, p, n, present));
  count_ = count;
  return Status::Ok();
}

Status ColumnCursor::DecodeValues(int encoding, const uint8_t* p, size_t n, size_t count) {
  std::string err;
  const int32_t type = info_->type;
  vals_.clear();
  if (count == 0) return Status::Ok();
  switch (encoding) {
    case 0:  // PLAIN
      if (!DecodePlain(type, info_->type_length, p, n, count, &vals_, &err)) return DataError(err);
      return Status::Ok();
    case 2:  // PLAIN_DICTIONARY
    case 8: {  // RLE_DICTIONARY
      if (!has_dict_) return DataError("a dictionary-encoded page without a dictionary page");
      if (n < 1) return DataError("a dictionary-encoded page without its bit width");
      int width = p[0];
      if (width > 32) return DataError("dictionary index bit width above 32");
      idx_.resize(count);
      RleDecoder d(p + 1, n - 1, width);
      if (!d.Get(idx_.data(), count)) return DataError("too few or malformed dictionary indices");
      vals_.resize(count);
      for (size_t i = 0; i < count; ++i) {
        if (idx_[i] >= dict_.size()) return DataError("a dictionary index beyond the dictionary's size");
        vals_[i] = dict_[idx_[i]];
      }
      return Status::Ok();
    }
    case 3: {  // RLE, booleans only
      if (type != kBoolean) return DataError("RLE encoding for a non-boolean column");
      if (n < 4 || Le32(p) > n - 4) return DataError("RLE boolean data runs past the end of the page");
      idx_.resize(count);
      RleDecoder d(p + 4, Le32(p), 1);
      if (!d.Get(idx_.data(), count)) return DataError("too few or malformed RLE booleans");
      vals_.resize(count);
      for (size_t i = 0; i < count; ++i) vals_[i].i = idx_[i];
      return Status::Ok();
    }
    case 5: {  // DELTA_BINARY_PACKED
      if (type != kInt32 && type != kInt64) return DataError("DELTA_BINARY_PACKED for a non-integer column");
      ints_.clear();
      size_t used;
      if (!DecodeDeltaBinaryPacked(p, n, count, type == kInt32, &ints_, &used, &err)) return DataError(err);
      if (ints_.size() < count) return DataError("DELTA_BINARY_PACKED holds fewer values than the page");
      vals_.resize(count);
      for (size_t i = 0; i < count; ++i) vals_[i].i = ints_[i];
      return Status::Ok();
    }
    case 6:    // DELTA_LENGTH_BYTE_ARRAY
    case 7: {  // DELTA_BYTE_ARRAY
      if (type != kByteArray && !(encoding == 7 && type == kFixedLenByteArray)) {
        return DataError(std::string(EncodingName(encoding)) + " for a column that is not a byte array");
      }
      size_t used = 0;
      std::vector<int64_t> prefix;
      if (encoding == 7) {
        if (!DecodeDeltaBinaryPacked(p, n, count, false, &prefix, &used, &err)) return DataError(err);
        if (prefix.size() < count) return DataError("DELTA_BYTE_ARRAY holds fewer prefixes than the page");
        p += used;
        n -= used;
      }
      ints_.clear();
      if (!DecodeDeltaBinaryPacked(p, n, count, false, &ints_, &used, &err)) return DataError(err);
      if (ints_.size() < count) return DataError("fewer lengths than values in a delta-encoded page");
      p += used;
      n -= used;
      uint64_t total = 0;
      uint64_t prev = 0;
      for (size_t i = 0; i < count; ++i) {
        int64_t pre = encoding == 7 ? prefix[i] : 0;
        if (ints_[i] < 0 || pre < 0 || static_cast<uint64_t>(pre) > prev) {
          return DataError("a negative length or a prefix longer than the previous value");
        }
        prev = static_cast<uint64_t>(pre) + static_cast<uint64_t>(ints_[i]);
        if (prev > UINT32_MAX) return DataError("a delta-encoded value longer than 4 GiB");
        total += prev;
        if (total > limits_->max_page_bytes) {
          return LimitError("delta-encoded values of a page expand past " + std::to_string(limits_->max_page_bytes) +
                            " bytes (limit max_page_bytes); raise it with --format-opt max_page_bytes=N");
        }
      }
      arena_.clear();
      arena_.reserve(total);
      vals_.resize(count);
      size_t off = 0, prev_off = 0;
      for (size_t i = 0; i < count; ++i) {
        size_t pre = encoding == 7 ? static_cast<size_t>(prefix[i]) : 0;
        size_t len = static_cast<size_t>(ints_[i]);
        if (len > n - off) return DataError("delta-encoded bytes run past the end of the page");
        size_t start = arena_.size();
        arena_.append(arena_, prev_off, pre);
        arena_.append(reinterpret_cast<const char*>(p + off), len);
        off += len;
        prev_off = start;
        vals_[i].len = static_cast<uint32_t>(pre + len);
        vals_[i].i = static_cast<int64_t>(start);  // an offset until the arena stops growing
      }
      for (auto& v : vals_) v.p = arena_.data() + v.i;
      if (type == kFixedLenByteArray) {
        for (auto& v : vals_) {
          if (static_cast<int32_t>(v.len) != info_->type_length) {
            return DataError("a DELTA_BYTE_ARRAY value of the wrong fixed length");
          }
        }
      }
      return Status::Ok();
    }
    case 9: {  // BYTE_STREAM_SPLIT
      size_t w = FixedWidth(type, info_->type_length);
      if (w == 0 || type == kInt96) return DataError("BYTE_STREAM_SPLIT for a column without a fixed width");
      if (count > n / w) return DataError("BYTE_STREAM_SPLIT data runs past the end of the page");
      size_t streams = count;  // each of the w byte streams holds one byte of every value
      arena_.resize(count * w);
      for (size_t i = 0; i < count; ++i) {
        for (size_t b = 0; b < w; ++b) arena_[i * w + b] = static_cast<char>(p[b * streams + i]);
      }
      if (!DecodePlain(type, info_->type_length, reinterpret_cast<const uint8_t*>(arena_.data()), arena_.size(),
                       count, &vals_, &err)) {
        return DataError(err);
      }
      return Status::Ok();
    }
    default:
      return DataError(std::string("unsupported value encoding ") + EncodingName(encoding) + " (" +
                       std::to_string(encoding) + ")");
  }
}

}  // namespace ftprep::parquet
