#include "clean/dedup.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstring>

#include "clean/text.h"

namespace ftprep::clean {

namespace {

inline uint64_t Mum(uint64_t a, uint64_t b) {
  __uint128_t r = static_cast<__uint128_t>(a) * b;
  return static_cast<uint64_t>(r) ^ static_cast<uint64_t>(r >> 64);
}

inline uint64_t Load64(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

constexpr uint64_t kK0 = 0x9E3779B97F4A7C15ull, kK1 = 0xD6E8FEB86659FD93ull, kK2 = 0xA0761D6478BD642Full,
                   kK3 = 0xE7037ED1A0B428DBull;

// SplitMix64: derives the MinHash parameters from one constant seed.
uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

bool IsWordCp(uint32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  int cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO;
}

void AppendFolded(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : static_cast<char>(c));
    return;
  }
  utf8proc_int32_t buf[32];
  utf8proc_ssize_t n = utf8proc_decompose_char(static_cast<utf8proc_int32_t>(c), buf, 32,
                                               static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                                              UTF8PROC_IGNORE),
                                               nullptr);
  if (n < 0 || n > 32) {
    AppendUtf8(c, out);
    return;
  }
  for (utf8proc_ssize_t k = 0; k < n; ++k) AppendUtf8(static_cast<uint32_t>(buf[k]), out);
}

}  // namespace

uint64_t Hash64(std::string_view s, uint64_t seed) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = seed ^ Mum(seed ^ kK0, n ^ kK1);
  while (n >= 16) {
    h = Mum(Load64(p) ^ kK1 ^ h, Load64(p + 8) ^ kK2);
    p += 16;
    n -= 16;
  }
  uint64_t a = 0, b = 0;
  if (n >= 8) {
    a = Load64(p);
    b = Load64(p + n - 8);
  } else if (n > 0) {
    // Up to 7 bytes, spread over two words without reading past the end.
    for (size_t k = 0; k < n; ++k) a |= static_cast<uint64_t>(static_cast<unsigned char>(p[k])) << (8 * k);
    b = static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << 32 | n;
  }
  h = Mum(a ^ kK1 ^ h, b ^ kK2);
  return Mum(h ^ kK3, s.size() ^ kK0);
}

void AppendDedupKey(std::string_view text, std::string* key) {
  key->reserve(key->size() + text.size());
  bool space = false, any = false;
  size_t i = 0;
  while (i < text.size()) {
    unsigned char b = static_cast<unsigned char>(text[i]);
    uint32_t c;
    if (b < 0x80) {
      c = b;
      ++i;
    } else {
      c = DecodeAt(text, &i);
    }
    bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
              c == 0x3000 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x2028 ||
              c == 0x2029;
    if (ws) {
      space = any;
      continue;
    }
    if (space) key->push_back(' ');
    space = false;
    size_t before = key->size();
    if (c == 0xFFFFFFFFu) {
      key->push_back('\xFF');
    } else {
      AppendFolded(c, key);
    }
    any = any || key->size() > before;
  }
}

// ---------------------------------------------------------------------------------------------- HashSet

HashSet::HashSet() : slots_(1024, 0), mask_(1023) {}

bool HashSet::Insert(uint64_t h) {
  if (h == 0) h = 1;
  size_t i = static_cast<size_t>(h) & mask_;
  while (true) {
    uint64_t v = slots_[i];
    if (v == h) return false;
    if (v == 0) break;
    i = (i + 1) & mask_;
  }
  slots_[i] = h;
  ++size_;
  if (size_ * 10 > slots_.size() * 7) Grow();
  return true;
}

void HashSet::Grow() {
  std::vector<uint64_t> old;
  old.swap(slots_);
  slots_.assign(old.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (uint64_t v : old) {
    if (v == 0) continue;
    size_t i = static_cast<size_t>(v) & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = v;
  }
}

// ---------------------------------------------------------------------------------------------- NearDedup

NearDedup::NearDedup(NearDedupOptions opts) : opts_(opts) {
  if (opts_.shingle_words < 1) opts_.shingle_words = 1;
  uint64_t s = 0x6674707265702D31ull;  // fixed: decisions must not change between runs
  for (int k = 0; k < kPerms; ++k) {
    mul_[k] = SplitMix(&s) | 1;
    add_[k] = SplitMix(&s);
  }
  index_.assign(4096, 0);
}

bool NearDedup::Sign(std::string_view text, Signature* sig) const {
  sig->fill(0xFFFFFFFFu);
  const int w = opts_.shingle_words;
  std::vector<uint64_t> words;
  words.reserve(text.size() / 5 + 1);
  std::string cur;
  size_t i = 0;
  while (i <= text.size()) {
    uint32_t c = 0;
    bool word = false;
    if (i < text.size()) {
      unsigned char b = static_cast<unsigned char>(text[i]);
      if (b < 0x80) {
        c = b;
        ++i;
      } else {
        c = DecodeAt(text, &i);
      }
      word = c != 0xFFFFFFFFu && IsWordCp(c);
    } else {
      ++i;
    }
    if (word) {
      AppendFolded(c, &cur);
    } else if (!cur.empty()) {
      words.push_back(Hash64(cur, kK3));
      cur.clear();
    }
  }
  if (words.empty()) return false;
  size_t n = words.size() >= static_cast<size_t>(w) ? words.size() - w + 1 : 1;
  size_t span = std::min<size_t>(w, words.size());
  for (size_t s = 0; s < n; ++s) {
    uint64_t h = kK2;
    for (size_t k = 0; k < span; ++k) h = Mum(h ^ words[s + k], kK1 + k);
    for (int p = 0; p < kPerms; ++p) {
      uint32_t v = static_cast<uint32_t>((mul_[p] * h + add_[p]) >> 32);
      (*sig)[p] = std::min((*sig)[p], v);
    }
  }
  return true;
}

uint64_t NearDedup::BandKey(const Signature& sig, int band) const {
  return Hash64(std::string_view(reinterpret_cast<const char*>(sig.data() + band * kRows), kRows * sizeof(uint32_t)),
                static_cast<uint64_t>(band) + 1);
}

int64_t NearDedup::Find(const Signature& sig, double* similarity) const {
  std::vector<uint32_t> seen;
  int64_t best = -1;
  int best_match = -1;
  int need = static_cast<int>(opts_.threshold * kPerms + 0.999999);
  size_t mask = index_.size() - 1;
  for (int b = 0; b < kBands; ++b) {
    uint64_t key = BandKey(sig, b) >> 32;
    size_t i = static_cast<size_t>(Mum(key, kK0)) & mask;
    while (index_[i] != 0 && seen.size() < opts_.max_candidates) {
      if ((index_[i] >> 32) == key) {
        uint32_t kept = static_cast<uint32_t>(index_[i]) - 1;
        if (std::find(seen.begin(), seen.end(), kept) == seen.end()) {
          seen.push_back(kept);
          const uint16_t* other = sigs_.data() + static_cast<size_t>(kept) * kPerms;
          int match = 0;
          for (int p = 0; p < kPerms; ++p) match += other[p] == static_cast<uint16_t>(sig[p]);
          // Earlier kept records win ties, so the choice does not depend on probe order.
          if (match >= need && (match > best_match || (match == best_match && kept < best))) {
            best_match = match;
            best = kept;
          }
        }
      }
      i = (i + 1) & mask;
    }
  }
  if (best < 0) return -1;
  if (similarity) *similarity = static_cast<double>(best_match) / kPerms;
  return static_cast<int64_t>(ids_[static_cast<size_t>(best)]);
}

void NearDedup::IndexInsert(uint64_t slot) {
  if ((index_used_ + 1) * 10 > index_.size() * 7) {
    std::vector<uint64_t> old;
    old.swap(index_);
    index_.assign(old.size() * 2, 0);
    index_used_ = 0;
    for (uint64_t v : old) {
      if (v != 0) IndexInsert(v);
    }
  }
  size_t mask = index_.size() - 1;
  size_t i = static_cast<size_t>(Mum(slot >> 32, kK0)) & mask;
  while (index_[i] != 0) i = (i + 1) & mask;
  index_[i] = slot;
  ++index_used_;
}

void NearDedup::Add(const Signature& sig, uint64_t id) {
  uint64_t kept = ids_.size();
  ids_.push_back(id);
  for (int p = 0; p < kPerms; ++p) sigs_.push_back(static_cast<uint16_t>(sig[p]));
  for (int b = 0; b < kBands; ++b) IndexInsert((BandKey(sig, b) >> 32) << 32 | (kept + 1));
}

int64_t NearDedup::Check(std::string_view text, uint64_t id, double* similarity) {
  Signature sig;
  if (!Sign(text, &sig)) return -1;
  int64_t dup = Find(sig, similarity);
  if (dup < 0) Add(sig, id);
  return dup;
}

size_t NearDedup::memory_bytes() const {
  return sigs_.capacity() * sizeof(uint16_t) + ids_.capacity() * sizeof(uint64_t) +
         index_.size() * sizeof(uint64_t);
}

}  // namespace ftprep::clean
