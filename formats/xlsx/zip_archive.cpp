#include "zip_archive.h"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace ftprep::xlsx {
namespace {

// Compressed bytes read from libzip at a time on the ISA-L path.
constexpr size_t kInflateInput = 64 << 10;

// Small parts may have any ratio (a 1 KiB run of spaces compresses 100:1); a bomb needs volume.
constexpr uint64_t kRatioFloorBytes = 1 << 20;

std::string ZipErrorText(zip_error_t* err) {
  const char* s = zip_error_strerror(err);
  return s ? s : "unknown zip error";
}

}  // namespace

EntryReader::EntryReader(ZipArchive* archive, zip_file_t* file, zip_uint64_t index, std::string name,
                         uint64_t comp_size)
    : archive_(archive), file_(file), index_(index), name_(std::move(name)), comp_size_(comp_size) {}

EntryReader::~EntryReader() {
  if (file_) zip_fclose(file_);
}

void EntryReader::InflateRaw(uint32_t crc, bool has_crc) {
  inflate_ = std::make_unique<inflate_state>();
  isal_inflate_init(inflate_.get());
  inflate_->crc_flag = ISAL_GZIP_NO_HDR;  // CRC-32 of the output, the checksum zip uses
  in_ = std::make_unique<uint8_t[]>(kInflateInput);
  crc_ = crc;
  has_crc_ = has_crc;
}

Result<size_t> EntryReader::ReadRaw(char* buf, size_t len) {
  zip_int64_t n = zip_fread(file_, buf, len);
  if (n < 0) {
    zip_error_t* err = zip_file_get_error(file_);
    if (zip_error_code_zip(err) == ZIP_ER_CRC) {
      return DataError("part " + name_ + " of the workbook is corrupt (CRC mismatch)");
    }
    return DataError("cannot decompress part " + name_ + " of the workbook: " + ZipErrorText(err));
  }
  return static_cast<size_t>(n);
}

// Inflates into buf until it holds at least one byte or the stream ends.
Result<size_t> EntryReader::ReadInflated(char* buf, size_t len) {
  inflate_state& st = *inflate_;
  const uint32_t want = static_cast<uint32_t>(std::min<size_t>(len, 1u << 30));
  st.next_out = reinterpret_cast<uint8_t*>(buf);
  st.avail_out = want;
  while (st.avail_out == want && st.block_state != ISAL_BLOCK_FINISH) {
    if (st.avail_in == 0 && !in_eof_) {
      auto n = ReadRaw(reinterpret_cast<char*>(in_.get()), kInflateInput);
      if (!n.ok()) return n.status();
      if (*n == 0) in_eof_ = true;
      st.next_in = in_.get();
      st.avail_in = static_cast<uint32_t>(*n);
    }
    const int rc = isal_inflate(&st);
    if (rc < 0) {
      return DataError("cannot decompress part " + name_ + " of the workbook: invalid deflate data (code " +
                       std::to_string(rc) + ")");
    }
    if (st.avail_out == want && st.avail_in == 0 && in_eof_ && st.block_state != ISAL_BLOCK_FINISH) {
      return DataError("cannot decompress part " + name_ + " of the workbook: the compressed data ends early");
    }
  }
  const size_t n = want - st.avail_out;
  if (n == 0 && has_crc_ && st.crc != crc_) {
    return DataError("part " + name_ + " of the workbook is corrupt (CRC mismatch)");
  }
  return n;
}

Result<size_t> EntryReader::Read(char* buf, size_t len) {
  if (done_) return size_t{0};
  auto r = inflate_ ? ReadInflated(buf, len) : ReadRaw(buf, len);
  if (!r.ok()) return r.status();
  const size_t n = *r;
  read_ += n;
  FTPREP_RETURN_IF_ERROR(archive_->CheckLimits(name_, read_, comp_size_, index_));
  if (n == 0) {
    done_ = true;
    archive_->Finished(index_, read_);
  }
  return n;
}

PrefetchReader::PrefetchReader(std::unique_ptr<EntryReader> src) : src_(std::move(src)) {
  worker_ = std::thread([this] { Work(); });
}

PrefetchReader::~PrefetchReader() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  worker_.join();
}

void PrefetchReader::Work() {
  for (;;) {
    std::string chunk;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || full_.size() < kDepth; });
      if (stop_) return;
      if (!spare_.empty()) {
        chunk.swap(spare_.back());
        spare_.pop_back();
      }
    }
    chunk.resize(kChunk);
    size_t filled = 0;
    Status err;
    bool end = false;
    while (filled < kChunk) {
      auto n = src_->Read(chunk.data() + filled, kChunk - filled);
      if (!n.ok()) {
        err = n.status();
        break;
      }
      if (*n == 0) {
        end = true;
        break;
      }
      filled += *n;
    }
    chunk.resize(filled);
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (filled > 0) full_.push_back(std::move(chunk));
      if (!err.ok()) error_ = err;
      if (end) eof_ = true;
    }
    cv_.notify_all();
    if (!err.ok() || end) return;
  }
}

Result<size_t> PrefetchReader::Read(char* buf, size_t len) {
  if (cur_pos_ == cur_.size()) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return !full_.empty() || eof_ || !error_.ok(); });
    if (full_.empty()) {
      if (!error_.ok()) return error_;
      return size_t{0};
    }
    spare_.push_back(std::move(cur_));
    cur_ = std::move(full_.front());
    full_.pop_front();
    cur_pos_ = 0;
    lock.unlock();
    cv_.notify_all();
  }
  size_t n = std::min(len, cur_.size() - cur_pos_);
  std::memcpy(buf, cur_.data() + cur_pos_, n);
  cur_pos_ += n;
  return n;
}

ZipArchive::~ZipArchive() {
  if (zip_) zip_discard(zip_);
}

std::string ZipArchive::Normalize(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c == '\\') c = '/';
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    out.push_back(c);
  }
  size_t start = out.find_first_not_of('/');
  return start == std::string::npos ? std::string() : out.substr(start);
}

Status ZipArchive::Open(const std::string& path, const ZipLimits& limits) {
  limits_ = limits;
  int code = 0;
  zip_ = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (zip_ == nullptr) {
    zip_error_t err;
    zip_error_init_with_code(&err, code);
    std::string text = ZipErrorText(&err);
    zip_error_fini(&err);
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS) {
      return DataError("not a valid XLSX file (not a zip archive: " + text + ")");
    }
    return IoError("cannot open the workbook: " + text);
  }
  zip_int64_t n = zip_get_num_entries(zip_, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(zip_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    if (name == nullptr) continue;
    names_.emplace(Normalize(name), i);  // the first of duplicate names wins
  }
  return Status::Ok();
}

int64_t ZipArchive::Find(std::string_view name) const {
  auto it = names_.find(Normalize(name));
  return it == names_.end() ? -1 : it->second;
}

uint64_t ZipArchive::DeclaredSize(int64_t index) const {
  zip_stat_t st;
  zip_stat_init(&st);
  if (index < 0 || zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0) return 0;
  return (st.valid & ZIP_STAT_SIZE) ? st.size : 0;
}

Status ZipArchive::CheckLimits(const std::string& name, uint64_t bytes, uint64_t comp_size,
                               zip_uint64_t index) const {
  // A part read a second time (the pre-scan of header=0) is not counted twice.
  const uint64_t total = counted_.count(index) ? committed_ : committed_ + bytes;
  if (limits_.max_uncompressed_bytes > 0 && total > limits_.max_uncompressed_bytes) {
    return LimitError(
        "the workbook decompresses to more than " + std::to_string(limits_.max_uncompressed_bytes) +
        " bytes (limit max_uncompressed_bytes, reached in part " + name +
        "; a zip bomb?); raise it with --format-opt max_uncompressed_bytes=N if the file is trusted");
  }
  if (limits_.max_ratio > 0 && bytes > kRatioFloorBytes &&
      static_cast<double>(bytes) > limits_.max_ratio * static_cast<double>(comp_size)) {
    char ratio[32];
    std::snprintf(ratio, sizeof(ratio), "%g", limits_.max_ratio);
    return LimitError(
        "part " + name + " of the workbook expands more than " + ratio +
        " times its compressed size (limit max_ratio; a zip bomb?); raise it with --format-opt max_ratio=N "
        "if the file is trusted");
  }
  return Status::Ok();
}

void ZipArchive::Finished(zip_uint64_t index, uint64_t bytes) {
  if (counted_.insert(index).second) committed_ += bytes;
}

Result<std::unique_ptr<EntryReader>> ZipArchive::OpenEntry(int64_t index, const std::string& name) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip_, static_cast<zip_uint64_t>(index), 0, &st) != 0) {
    return DataError("cannot read part " + name + " of the workbook: " + ZipErrorText(zip_get_error(zip_)));
  }
  uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  if (st.valid & ZIP_STAT_SIZE) {
    // Refuse early when the header already admits the part is too big.
    FTPREP_RETURN_IF_ERROR(CheckLimits(name, st.size, comp, static_cast<zip_uint64_t>(index)));
  }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
    return DataError("part " + name + " of the workbook is encrypted; save the workbook without a password");
  }
  const bool deflated = (st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method == ZIP_CM_DEFLATE;
  zip_file_t* f = zip_fopen_index(zip_, static_cast<zip_uint64_t>(index), deflated ? ZIP_FL_COMPRESSED : 0);
  if (f == nullptr) {
    return DataError("cannot open part " + name + " of the workbook: " + ZipErrorText(zip_get_error(zip_)));
  }
  std::unique_ptr<EntryReader> r(new EntryReader(this, f, static_cast<zip_uint64_t>(index), name, comp));
  if (deflated) r->InflateRaw(st.crc, (st.valid & ZIP_STAT_CRC) != 0);
  return r;
}

Result<std::string> ZipArchive::ReadAll(std::string_view name) {
  int64_t index = Find(name);
  if (index < 0) return NotFoundError("the workbook has no part " + std::string(name));
  auto r = OpenEntry(index, std::string(name));
  if (!r.ok()) return r.status();
  std::string out;
  char buf[65536];
  for (;;) {
    auto n = (*r)->Read(buf, sizeof(buf));
    if (!n.ok()) return n.status();
    if (*n == 0) break;
    out.append(buf, *n);
  }
  return out;
}

}  // namespace ftprep::xlsx
