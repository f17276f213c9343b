#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace ftprep {

Progress::Progress(const std::string& mode, const Reader* reader) : reader_(reader) {
  always_ = mode == "always";
  enabled_ = always_ || (mode == "auto" && isatty(2));
  start_ = last_ = std::chrono::steady_clock::now();
}

Progress::Progress(const std::string& mode, const std::atomic<uint64_t>* bytes, const std::atomic<int64_t>* total)
    : Progress(mode, nullptr) {
  bytes_ = bytes;
  total_ = total;
}

static std::string Human(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f %s", bytes, units[u]);
  return buf;
}

void Progress::Draw(uint64_t records, bool final) {
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - start_).count();
  if (!final) {
    if (!always_ && elapsed < 1.0) return;
    if (std::chrono::duration<double>(now - last_).count() < 0.2) return;
  }
  last_ = now;
  last_records_ = records;
  double done = static_cast<double>(reader_ ? reader_->bytes_read() : bytes_ ? bytes_->load() : 0);
  int64_t total = reader_ ? reader_->total_bytes() : total_ ? total_->load() : -1;
  double rate = elapsed > 0 ? done / elapsed : 0;
  char line[256];
  int n = std::snprintf(line, sizeof(line), "\r%s read, %llu records, %s/s", Human(done).c_str(),
                        static_cast<unsigned long long>(records), Human(rate).c_str());
  if (total > 0 && rate > 0 && n > 0 && n < static_cast<int>(sizeof(line))) {
    double pct = 100.0 * done / static_cast<double>(total);
    double eta = (static_cast<double>(total) - done) / rate;
    std::snprintf(line + n, sizeof(line) - n, ", %.0f%%, ETA %.0fs", pct > 100 ? 100 : pct, eta < 0 ? 0 : eta);
  }
  std::fprintf(stderr, "%s\033[K", line);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    Draw(last_records_, true);
    std::fputs("\n", stderr);
    drawn_ = false;
  }
  enabled_ = false;
}

}  // namespace ftprep
