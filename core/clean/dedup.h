// core/clean/dedup.h — exact and near deduplication for `ftprep clean`.
//
// Exact: a record's key (its text fields, or --dedup-key fields) is normalised (Unicode NFKD-style
// compatibility decomposition + case folding via utf8proc, default-ignorable characters dropped, whitespace
// runs -> one space, trimmed) and hashed to 64 bits with a fixed seed; a set of those hashes keeps the first
// occurrence. Memory: 8 bytes per slot, table kept 35-70 % full = 11-23 bytes per distinct key (~16).
// Two different keys collide with probability ~n^2/2^65 (1e-7 for 10 M records).
//
// Near: MinHash over word 5-gram shingles (words = runs of letters/digits/marks, case-folded), 112 hash
// functions, LSH with 14 bands x 8 rows. A record is a near duplicate when a kept record shares a band and
// their signatures agree on >= threshold of the 112 values (estimated Jaccard, default 0.8). Signatures of
// kept records are stored as 16-bit values (224 bytes) plus 14 index slots (8 bytes each, table <= 70 %
// full): ~400 bytes per kept record. Everything is seeded with constants: the same input gives the same
// decisions on every run and machine.
//
// Not thread-safe: one instance per stream.
#ifndef FTPREP_CORE_CLEAN_DEDUP_H_
#define FTPREP_CORE_CLEAN_DEDUP_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ftprep::clean {

// 64-bit hash of bytes (128-bit multiply mixing), stable across platforms and runs.
uint64_t Hash64(std::string_view bytes, uint64_t seed = 0);

// Appends the normalised dedup form of `text` to *key (see above).
void AppendDedupKey(std::string_view text, std::string* key);

// Open-addressing set of 64-bit hashes.
class HashSet {
 public:
  HashSet();
  // Inserts h; returns false if it was already present.
  bool Insert(uint64_t h);
  size_t size() const { return size_; }
  size_t memory_bytes() const { return slots_.size() * sizeof(uint64_t); }

 private:
  void Grow();
  std::vector<uint64_t> slots_;  // 0 = empty (a real hash of 0 is stored as 1)
  size_t size_ = 0, mask_ = 0;
};

struct NearDedupOptions {
  int shingle_words = 5;
  double threshold = 0.8;
  size_t max_candidates = 256;  // per record: bounds the work on pathological inputs
};

class NearDedup {
 public:
  static constexpr int kPerms = 112, kBands = 14, kRows = 8;
  using Signature = std::array<uint32_t, kPerms>;

  explicit NearDedup(NearDedupOptions opts = {});
  // Computes the MinHash signature of text; false when the text has no words (then it is not indexed).
  bool Sign(std::string_view text, Signature* sig) const;
  // Looks text up among kept records. Returns the id (as given to Add) of the most similar kept record with
  // estimated Jaccard >= threshold and sets *similarity, or -1 when none.
  int64_t Find(const Signature& sig, double* similarity) const;
  // Indexes a kept record under `id` (ids must be < 2^32).
  void Add(const Signature& sig, uint64_t id);
  // Convenience: Sign + Find + (if not a duplicate) Add. Returns the id of the kept record it duplicates,
  // or -1 (then it was added under `id`).
  int64_t Check(std::string_view text, uint64_t id, double* similarity);
  size_t kept() const { return ids_.size(); }
  size_t memory_bytes() const;

 private:
  uint64_t BandKey(const Signature& sig, int band) const;
  NearDedupOptions opts_;
  std::array<uint64_t, kPerms> mul_, add_;
  std::vector<uint16_t> sigs_;  // kPerms per kept record
  std::vector<uint64_t> ids_;   // user id per kept record
  // LSH index: slot = (band key high 32 bits) << 32 | (kept index + 1); linear probing, duplicates allowed.
  std::vector<uint64_t> index_;
  size_t index_used_ = 0;
  void IndexInsert(uint64_t slot);
};

}  // namespace ftprep::clean

#endif  // FTPREP_CORE_CLEAN_DEDUP_H_
