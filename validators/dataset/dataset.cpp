// validators/dataset — rules over the whole file: too few examples, exact duplicates (after whitespace
// normalisation), the same prompt with different answers, class balance of classification-like data, and
// records that also appear in the validation file (--valid). Only 64-bit hashes (and short class labels) are
// kept, never records, so memory grows by ~24 bytes per distinct record.
//
// Config: "min_examples", "max_examples" (0 = off), "duplicates", "identical_prompts", "class_balance" (booleans),
// "max_class_ratio" (default 10), "valid_file" (a JSONL path; its records are hashed in Configure),
// "max_file_bytes" (0 = off) with "input_files" (the paths validate reads, which validate fills in): a file
// larger than the provider accepts for upload, by its size on disk as given.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>
#include <vector>

#include "../common/rule_util.h"
#include "compact.h"
#include "stripe_hash.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"dataset.min_examples", FTPREP_ERROR, FTPREP_FIX_NONE, "fewer examples than the provider's minimum"},
    {"dataset.max_examples", FTPREP_ERROR, FTPREP_FIX_NONE, "more examples than the provider's maximum"},
    {"dataset.duplicate", FTPREP_WARNING, FTPREP_FIX_NONE, "record repeats an earlier one (whitespace-normalised)"},
    {"dataset.prompt.identical", FTPREP_WARNING, FTPREP_FIX_NONE, "same prompt as an earlier record, other answer"},
    {"dataset.class_balance", FTPREP_WARNING, FTPREP_FIX_NONE, "classification-like data with very unequal classes"},
    {"dataset.valid_overlap", FTPREP_ERROR, FTPREP_FIX_NONE, "record also appears in the validation file"},
    {"dataset.valid_file", FTPREP_ERROR, FTPREP_FIX_NONE, "the validation file cannot be read"},
    {"dataset.file_size", FTPREP_ERROR, FTPREP_FIX_NONE, "the file is larger than the provider accepts"},
};

// Hashes a value with strings whitespace-normalised and object keys included. Numbers are equal when their
// shortest round-trip texts are ("%lld" for integers, "%.17g" otherwise): 1 and 1.0 are the same number.
//
// The value is written out in a canonical form (a tag byte per element; strings compacted and keys copied,
// each after its length, so the form is unambiguous) and the bytes hashed in one go: one hash call per value
// rather than one per string and key, whose fixed cost dominated on short strings. Past 64 KiB the bytes so far
// are hashed into the seed and the buffer starts again, so it stays small; where that happens depends only on
// the canonical form, so equal values still hash alike. The hash is stripe_hash.h's. The write position travels through the calls (in a
// register) rather than living in the object, and each string is compacted by one call that also writes its
// tag and length.
class ValueHasher {
 public:
  ValueHasher() : avx2_(ftprep::rules::dataset::HasAvx2()) { Make(buf_.data(), 4096); }

  // The hash of one value, as a key of its own.
  uint64_t Of(const rapidjson::Value& v) {
    seed_ = 1469598103934665603ull;
    char* w = Append(v, buf_.data(), 0);
    return Hash(buf_.data(), static_cast<size_t>(w - buf_.data()), seed_);
  }

 private:
  enum : uint8_t { kString = 1, kKey, kObject, kObjectEnd, kArray, kArrayEnd, kInt, kDouble, kTrue, kFalse, kNull };
  static constexpr size_t kFlushAt = 64 << 10;

  // Appends the canonical form of v at w; returns the new end.
  char* Append(const rapidjson::Value& v, char* w, int depth) {
    if (depth > 512) return w;
    w = Reserve(w, 16);
    switch (v.GetType()) {
      case rapidjson::kStringType:  // (inside objects and arrays, Text is called directly)
        return Text(v.GetString(), v.GetStringLength(), w);
      case rapidjson::kObjectType:
        *w++ = kObject;
        for (const auto& m : v.GetObject()) {
          uint32_t n = m.name.GetStringLength();
          w = Reserve(w, n + 32);
          *w = kKey;
          std::memcpy(w + 1, &n, sizeof(n));
          CopyKey(m.name.GetString(), n, w + 1 + sizeof(n));
          w += 1 + sizeof(n) + n;
          if (m.value.IsString()) {  // the common leaf, without a call
            w = Text(m.value.GetString(), m.value.GetStringLength(), w);
          } else {
            w = Append(m.value, w, depth + 1);
          }
        }
        w = Reserve(w, 1);
        *w++ = kObjectEnd;
        return w;
      case rapidjson::kArrayType:
        *w++ = kArray;
        for (const auto& e : v.GetArray()) {
          if (e.IsString()) {
            w = Text(e.GetString(), e.GetStringLength(), w);
          } else {
            w = Append(e, w, depth + 1);
          }
        }
        w = Reserve(w, 1);
        *w++ = kArrayEnd;
        return w;
      case rapidjson::kNumberType: {
        int64_t i = 0;
        double d = v.IsInt64() ? 0 : v.GetDouble();
        // "%.17g" prints an integral double below 1e17 as the integer's digits ("-0" stays apart from "0").
        if (v.IsInt64()) {
          i = v.GetInt64();
        } else if (d == std::trunc(d) && std::fabs(d) < 1e17 && !(d == 0 && std::signbit(d))) {
          i = static_cast<int64_t>(d);
        } else {
          *w = kDouble;
          std::memcpy(w + 1, &d, sizeof(d));
          return w + 1 + sizeof(d);
        }
        *w = kInt;
        std::memcpy(w + 1, &i, sizeof(i));
        return w + 1 + sizeof(i);
      }
      case rapidjson::kTrueType: *w = kTrue; return w + 1;
      case rapidjson::kFalseType: *w = kFalse; return w + 1;
      default: *w = kNull; return w + 1;
    }
  }

  // Whitespace-normalised text: trailing whitespace cut first (so the compacted text never ends in a space),
  // then its tag, its compacted length and the compacted bytes. Only makes room: the flush is checked where
  // objects and arrays start and at each member, which are the same places for equal values.
  [[gnu::always_inline]] char* Text(const char* s, size_t n, char* w) {
    while (n > 0 && ftprep::rules::dataset::IsWs(static_cast<unsigned char>(s[n - 1]))) --n;
    if (w + n + 48 > end_) [[unlikely]] w = Make(w, n + 48);  // compaction may store 32 bytes past its result
    *w = kString;
    char* text = w + 1 + sizeof(uint32_t);
#if defined(__x86_64__)
    uint32_t k = static_cast<uint32_t>(avx2_ ? ftprep::rules::dataset::CompactWhitespaceAvx2(s, n, text)
                                             : ftprep::rules::dataset::CompactWhitespaceSse2(s, n, text));
#else
    uint32_t k = static_cast<uint32_t>(ftprep::rules::dataset::CompactWhitespace(s, n, text));
#endif
    std::memcpy(w + 1, &k, sizeof(k));
    return text + k;
  }

  uint64_t Hash(const char* p, size_t n, uint64_t seed) const {
#if defined(__x86_64__)
    if (avx2_) return ftprep::rules::dataset::StripeHashAvx2(p, n, seed);
#endif
    return ftprep::rules::dataset::StripeHashScalar(p, n, seed);
  }

  // Keys are short: copied without a call for fewer than 32 bytes.
  static void CopyKey(const char* s, size_t n, char* d) {
#if defined(__x86_64__)
    if (n < 32) return ftprep::rules::dataset::detail::CopyShort(s, n, d);
#endif
    std::memcpy(d, s, n);
  }

  // Room for `extra` more bytes at w; past kFlushAt, what is written so far goes into the seed first.
  char* Reserve(char* w, size_t extra) {
    if (w >= flush_at_ || w + extra > end_) [[unlikely]] return Make(w, extra);
    return w;
  }
  [[gnu::noinline]] char* Make(char* w, size_t extra) {
    size_t len = static_cast<size_t>(w - buf_.data());
    if (len >= kFlushAt) {
      seed_ = Hash(buf_.data(), len, seed_);
      len = 0;
    }
    if (buf_.size() < len + extra) buf_.resize(std::max(buf_.size() * 2, len + extra));
    end_ = buf_.data() + buf_.size();
    flush_at_ = buf_.data() + std::min(kFlushAt, buf_.size());  // at the end until the buffer is that large
    return buf_.data() + len;
  }

  std::string buf_;
  const char* end_ = nullptr;       // buf_'s end
  const char* flush_at_ = nullptr;  // buf_.data() + kFlushAt, or end_ while the buffer is smaller
  uint64_t seed_ = 0;
  bool avx2_ = false;
};

uint64_t Combine(uint64_t h, uint64_t v) { return ftprep::rules::Mix64(h ^ (v + 0x9e3779b97f4a7c15ull + (h << 6))); }

// Hashes of one record, computed in a single pass over its bytes: the whole record, and where the shape
// allows (chat, prompt/completion) its prompt and its answer. `label` is a short answer text for class balance.
struct RecordHashes {
  uint64_t record = 0, prompt = 0, answer = 0;
  bool has_answer = false;
  std::string label;
  std::vector<uint64_t> msgs;  // per-message hashes (reused buffer)
  ValueHasher hasher;          // with its scratch buffer
};

void HashRecord(const rapidjson::Value& rec, RecordHashes* h) {
  h->record = 1469598103934665603ull;
  h->has_answer = false;
  h->label.clear();
  if (!rec.IsObject()) {
    h->record = h->hasher.Of(rec);
    return;
  }
  const rapidjson::Value* answer_text = nullptr;
  uint64_t prompt_field = 0, completion_field = 0;
  bool chat_ok = false, has_prompt = false, has_completion = false;
  for (const auto& m : rec.GetObject()) {
    std::string_view name = Str(m.name);
    uint64_t vh;
    if (name == "messages" && m.value.IsArray() && !m.value.Empty()) {
      h->msgs.clear();
      vh = 0x51ed27;
      for (const auto& msg : m.value.GetArray()) {
        h->msgs.push_back(h->hasher.Of(msg));
        vh = Combine(vh, h->msgs.back());
      }
      const rapidjson::Value& last = m.value[m.value.Size() - 1];
      const rapidjson::Value* role = Get(last, "role");
      if (role && role->IsString() && Str(*role) == "assistant") {
        chat_ok = true;
        uint64_t ph = 0x9a11;
        for (size_t i = 0; i + 1 < h->msgs.size(); ++i) ph = Combine(ph, h->msgs[i]);
        h->prompt = ph;
        h->answer = h->msgs.back();
        answer_text = Get(last, "content");
      }
    } else {
      vh = h->hasher.Of(m.value);
      if (name == "prompt") has_prompt = true, prompt_field = vh;
      if (name == "completion") has_completion = true, completion_field = vh, answer_text = &m.value;
    }
    h->record = Combine(h->record, Combine(ftprep::rules::Hash64(name), vh));
  }
  if (chat_ok) {
    h->has_answer = true;
  } else if (has_prompt && has_completion) {
    h->has_answer = true;
    h->prompt = prompt_field;
    h->answer = completion_field;
  }
  if (h->has_answer && answer_text && answer_text->IsString() && answer_text->GetStringLength() <= 64) {
    h->label.assign(Str(*answer_text));
  }
}

// Open-addressing map from 64-bit hash to a small value: 16-24 bytes per entry and no node allocations,
// which matters with millions of records. Key 0 is reserved (remapped to 1; a collision either way).
template <typename V>
class HashMap {
 public:
  // Returns the slot's value and whether the key was new (then the value is set to `v`).
  std::pair<V*, bool> Emplace(uint64_t key, const V& v) {
    if (key == 0) key = 1;
    if ((size_ + 1) * 4 > keys_.size() * 3) Grow();
    size_t mask = keys_.size() - 1, i = ftprep::rules::Mix64(key) & mask;
    while (keys_[i] != 0) {
      if (keys_[i] == key) return {&vals_[i], false};
      i = (i + 1) & mask;
    }
    keys_[i] = key;
    vals_[i] = v;
    ++size_;
    return {&vals_[i], true};
  }
  const V* Find(uint64_t key) const {
    if (key == 0) key = 1;
    if (keys_.empty()) return nullptr;
    size_t mask = keys_.size() - 1, i = ftprep::rules::Mix64(key) & mask;
    while (keys_[i] != 0) {
      if (keys_[i] == key) return &vals_[i];
      i = (i + 1) & mask;
    }
    return nullptr;
  }
  bool empty() const { return size_ == 0; }

 private:
  void Grow() {
    std::vector<uint64_t> k = std::move(keys_);
    std::vector<V> v = std::move(vals_);
    size_t cap = k.empty() ? 1024 : k.size() * 2;
    keys_.assign(cap, 0);
    vals_.assign(cap, V{});
    size_ = 0;
    for (size_t i = 0; i < k.size(); ++i) {
      if (k[i] != 0) Emplace(k[i], v[i]);
    }
  }
  std::vector<uint64_t> keys_;
  std::vector<V> vals_;
  size_t size_ = 0;
};

class Dataset : public ftprep::plugin::DatasetRuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    min_examples_ = ftprep::rules::CfgInt(c, "min_examples", 0);
    max_examples_ = ftprep::rules::CfgInt(c, "max_examples", 0);
    duplicates_ = ftprep::rules::CfgBool(c, "duplicates", true);
    prompts_ = ftprep::rules::CfgBool(c, "identical_prompts", true);
    balance_ = ftprep::rules::CfgBool(c, "class_balance", true);
    max_ratio_ = ftprep::rules::CfgNum(c, "max_class_ratio", 10.0);
    valid_file_ = ftprep::rules::CfgStr(c, "valid_file", "");
    max_file_bytes_ = ftprep::rules::CfgInt(c, "max_file_bytes", 0);
    input_files_ = ftprep::rules::CfgList(c, "input_files", {});
    if (!valid_file_.empty()) LoadValid();
    return true;
  }

  // Worker side: the record's hashes (whole record, prompt, answer) and its short answer text.
  void Digest(const rapidjson::Value& rec, uint64_t, std::string* digest, ftprep::plugin::Emitter&) override {
    HashRecord(rec, &h_);
    uint64_t w[3] = {h_.record, h_.prompt, h_.answer};
    digest->assign(reinterpret_cast<const char*>(w), sizeof(w));
    if (h_.has_answer) {
      digest->push_back('\1');
      digest->append(h_.label);
    }
  }

  // Ordered side: everything that compares a record with the ones before it.
  void Consume(std::string_view digest, uint64_t line, ftprep::plugin::Emitter& out) override {
    ++n_;
    if (!valid_error_.empty()) {
      out.Emit("dataset.valid_file", FTPREP_ERROR, "", valid_error_);
      valid_error_.clear();
    }
    uint64_t w[3] = {0, 0, 0};
    if (digest.size() < sizeof(w)) return;
    std::memcpy(w, digest.data(), sizeof(w));
    const uint64_t record = w[0], prompt = w[1], answer = w[2];
    const bool has_answer = digest.size() > sizeof(w);
    if (!valid_.empty()) {
      if (const uint64_t* at = valid_.Find(record)) {
        out.Emit("dataset.valid_overlap", FTPREP_ERROR, "",
                 "record also appears in the validation file " + valid_file_ + " at line " + std::to_string(*at));
      }
    }
    if (duplicates_) {
      auto [first, fresh] = seen_.Emplace(record, line);
      if (!fresh) {
        out.Emit("dataset.duplicate", FTPREP_WARNING, "", "duplicate of line " + std::to_string(*first));
        return;  // a duplicate adds nothing to prompts or classes
      }
    }
    if (!has_answer) return;
    ++with_answer_;
    if (prompts_) {
      auto [first, fresh] = prompts_seen_.Emplace(prompt, std::make_pair(line, answer));
      if (!fresh && first->second != answer) {
        out.Emit("dataset.prompt.identical", FTPREP_WARNING, "",
                 "same prompt as line " + std::to_string(first->first) + " with another answer");
      }
    }
    if (balance_) {
      auto& cls = classes_[answer];
      if (cls.count++ == 0) {
        cls.label.assign(digest.substr(sizeof(w) + 1));
        cls.first = line;
      }
      // Balance of more than a thousand classes says nothing useful, and generation data has about one
      // "class" per example: stop counting rather than spend memory and time on it.
      if (classes_.size() > 1000) {
        balance_ = false;
        classes_.clear();
      }
    }
  }

  void Finish(ftprep::plugin::Emitter& out) override {
    if (max_file_bytes_ > 0) CheckFileSizes(out);
    if (min_examples_ > 0 && n_ < static_cast<uint64_t>(min_examples_)) {
      out.Emit("dataset.min_examples", FTPREP_ERROR, "",
               std::to_string(n_) + " example" + (n_ == 1 ? "" : "s") + "; at least " + std::to_string(min_examples_) +
                   " are required");
    }
    if (max_examples_ > 0 && n_ > static_cast<uint64_t>(max_examples_)) {
      out.Emit("dataset.max_examples", FTPREP_ERROR, "",
               std::to_string(n_) + " examples; at most " + std::to_string(max_examples_) + " are accepted (split the file)");
    }
    // prepare_data's test: classification when distinct answers are fewer than a third of the examples.
    if (balance_ && with_answer_ >= 10 && classes_.size() >= 2 && classes_.size() * 3 < with_answer_) {
      const Cls* lo = nullptr;
      const Cls* hi = nullptr;
      for (const auto& [h, c] : classes_) {  // ties go to the class seen first, not to the table's order
        if (!lo || c.count < lo->count || (c.count == lo->count && c.first < lo->first)) lo = &c;
        if (!hi || c.count > hi->count || (c.count == hi->count && c.first < hi->first)) hi = &c;
      }
      if (static_cast<double>(hi->count) > max_ratio_ * static_cast<double>(lo->count)) {
        out.Emit("dataset.class_balance", FTPREP_WARNING, "",
                 "classification-like data (" + std::to_string(classes_.size()) + " classes): " +
                     ftprep::rules::Quote(hi->label) + " has " + std::to_string(hi->count) + " examples, " +
                     ftprep::rules::Quote(lo->label) + " only " + std::to_string(lo->count));
      }
    }
  }

 private:
  struct Cls {
    uint64_t count = 0, first = 0;  // first: the line it was first seen on
    std::string label;
  };

  // Sizes are shown in GiB (2^30 bytes), as the providers' tools compute them.
  void CheckFileSizes(ftprep::plugin::Emitter& out) {
    auto gib = [](uint64_t b) {
      if (b < (1ull << 30)) return std::string();
      char t[40];
      std::snprintf(t, sizeof(t), " (%.3f GiB)", static_cast<double>(b) / (1ull << 30));
      return std::string(t);
    };
    for (const auto& f : input_files_) {
      std::error_code ec;
      if (f == "-" || !std::filesystem::is_regular_file(f, ec)) continue;  // stdin, pipes: size unknown
      uint64_t size = std::filesystem::file_size(f, ec);
      if (ec || size <= static_cast<uint64_t>(max_file_bytes_)) continue;
      out.Emit("dataset.file_size", FTPREP_ERROR, "",
               f + " is " + std::to_string(size) + " bytes" + gib(size) + "; the provider accepts files of at most " +
                   std::to_string(max_file_bytes_) + " bytes" + gib(static_cast<uint64_t>(max_file_bytes_)) +
                   ": split it");
    }
  }

  void LoadValid() {
    std::ifstream in(valid_file_, std::ios::binary);
    if (!in) {
      valid_error_ = "cannot read the validation file " + valid_file_;
      return;
    }
    std::string line;
    uint64_t no = 0;
    rapidjson::Document d;
    while (std::getline(in, line)) {
      ++no;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      ftprep::ParseRecordJson(d, line.data(), line.size());
      if (d.HasParseError()) continue;  // the validation file gets its own validate run
      HashRecord(d, &h_);
      valid_.Emplace(h_.record, no);
    }
  }

  int64_t min_examples_ = 0, max_examples_ = 0, max_file_bytes_ = 0;
  std::vector<std::string> input_files_;
  bool duplicates_ = true, prompts_ = true, balance_ = true;
  double max_ratio_ = 10;
  std::string valid_file_, valid_error_;
  uint64_t n_ = 0, with_answer_ = 0;
  HashMap<uint64_t> seen_, valid_;
  HashMap<std::pair<uint64_t, uint64_t>> prompts_seen_;
  std::unordered_map<uint64_t, Cls> classes_;
  RecordHashes h_;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Dataset>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "dataset", "1.0", &rules, "whole-file rules: minimum size, duplicates, identical prompts, class balance, --valid overlap");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
