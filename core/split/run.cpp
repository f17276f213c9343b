#include "split/run.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>

#include "split/key.h"
#include "split/plan.h"
#include "split/rng.h"
#include "split/spool.h"

namespace ftprep::split {
namespace {

// Independent random streams per phase, so a change in one phase never shifts the draws of another.
constexpr uint64_t kStreamAssign = 1, kStreamOrder = 2, kStreamSample = 3;

// Distinct keys by 64-bit hash -> dense ids in order of first appearance. Open addressing, load <= 1/2,
// 12 bytes per slot: far smaller than a node-based map for millions of groups.
class KeyIndex {
 public:
  uint32_t Id(uint64_t h) {
    if (h == 0) h = 1;  // 0 marks an empty slot
    if ((count_ + 1) * 2 > slots_.size()) Grow();
    size_t mask = slots_.size() - 1;
    for (size_t i = Mix64(h) & mask;; i = (i + 1) & mask) {
      if (slots_[i] == h) return ids_[i];
      if (slots_[i] == 0) {
        slots_[i] = h;
        ids_[i] = static_cast<uint32_t>(count_++);
        hashes.push_back(h);
        sizes.push_back(0);
        return ids_[i];
      }
    }
  }
  size_t count() const { return count_; }
  void Release() {
    slots_ = {};
    ids_ = {};
  }
  std::vector<uint64_t> hashes;  // per id
  std::vector<uint32_t> sizes;   // records per id

 private:
  void Grow() {
    std::vector<uint64_t> old_slots = std::move(slots_);
    std::vector<uint32_t> old_ids = std::move(ids_);
    size_t cap = std::max<size_t>(1024, old_slots.size() * 2);
    slots_.assign(cap, 0);
    ids_.assign(cap, 0);
    for (size_t j = 0; j < old_slots.size(); ++j) {
      if (old_slots[j] == 0) continue;
      for (size_t i = Mix64(old_slots[j]) & (cap - 1);; i = (i + 1) & (cap - 1)) {
        if (slots_[i] == 0) {
          slots_[i] = old_slots[j];
          ids_[i] = old_ids[j];
          break;
        }
      }
    }
  }
  std::vector<uint64_t> slots_;
  std::vector<uint32_t> ids_;
  size_t count_ = 0;
};

const std::string& KeyPathOf(const SplitOptions& o) {
  return !o.stratify.empty() ? o.stratify : !o.group.empty() ? o.group : o.by_hash;
}

Status WriteTo(SplitIo& io, SplitStats* stats, size_t o, std::string_view bytes) {
  FTPREP_RETURN_IF_ERROR(io.outputs[o]->Write(bytes));
  ++stats->records[o];
  stats->bytes[o] += bytes.size();
  if (io.on_write) FTPREP_RETURN_IF_ERROR(io.on_write(o, bytes));
  return Status::Ok();
}


// Counts a record read and tells whether it can be split: bad records and records without a key are
// rejected (reported through io.on_reject) and the run goes on. Sets *key_text when `key` is given.
Result<bool> Admit(Record& rec, const KeyPath* key, std::string* key_text, SplitIo& io, SplitStats* stats) {
  ++stats->records_in;
  if (io.tick) io.tick(stats->records_in);
  if (rec.bad()) {
    ++stats->rejected;
    Status s = io.on_reject(rec, rec.rule_id(), rec.error(), {});
    if (!s.ok()) return s;
    return false;
  }
  if (key != nullptr && !key->Extract(rec, key_text)) {
    ++stats->rejected;
    Status s = io.on_reject(rec, "split.key.missing", "no key value", key->text());
    if (!s.ok()) return s;
    return false;
  }
  return true;
}

// --by-hash in input order: every record goes straight to its output; nothing is kept.
Status Stream(const SplitOptions& opts, const KeyPath& key, SplitIo& io, SplitStats* stats) {
  stats->streamed = true;
  HashSplitter splitter(opts.ratios, opts.seed);
  Record rec;
  std::string k;
  while (io.reader->Next(&rec)) {
    auto admitted = Admit(rec, &key, &k, io, stats);
    if (!admitted.ok()) return admitted.status();
    if (!*admitted) continue;
    uint8_t s = splitter.SplitOf(k);
    if (s == kDropped) {
      ++stats->dropped;
      continue;
    }
    std::string_view json = rec.json();
    FTPREP_RETURN_IF_ERROR(io.outputs[s]->Write(json));
    FTPREP_RETURN_IF_ERROR(io.outputs[s]->Write("\n"));
    ++stats->records[s];
    stats->bytes[s] += json.size() + 1;
    if (io.on_write) {
      k.assign(json);
      k.push_back('\n');
      FTPREP_RETURN_IF_ERROR(io.on_write(s, k));
    }
  }
  return ReaderEndStatus(*io.reader, stats->records_in);
}

}  // namespace

size_t OutputCount(const SplitOptions& o) {
  switch (o.mode) {
    case Mode::kRatio:
      return o.ratios.size();
    case Mode::kCounts:
      return o.counts.size();
    case Mode::kHoldout:
      return 2;
    case Mode::kNested:
      return o.nested.size() + 1;
    case Mode::kSample:
    case Mode::kSampleFraction:
    case Mode::kShuffle:
      return 1;
  }
  return 0;
}

Status CheckOptions(const SplitOptions& o) {
  int keys = !o.stratify.empty() + !o.group.empty() + !o.by_hash.empty();
  if (keys > 1) return UsageError("use at most one of --stratify, --group and --by-hash");
  if (o.mode == Mode::kRatio) {
    if (o.ratios.empty()) return UsageError("no ratios given");
    double sum = 0;
    for (double r : o.ratios) {
      if (!(r >= 0) || !std::isfinite(r)) return UsageError("ratios must be numbers >= 0");
      sum += r;
    }
    if (sum > 1 + 1e-9) return UsageError("ratios sum to more than 1");
  }
  if (!o.by_hash.empty() && o.mode != Mode::kRatio) {
    return UsageError("--by-hash works with --ratio only (a record's split may depend on nothing but its key)");
  }
  if (keys > 0 && (o.mode == Mode::kNested || o.mode == Mode::kSample || o.mode == Mode::kShuffle)) {
    return UsageError("--stratify/--group do not combine with --nested, --sample or --shuffle");
  }
  if (o.mode == Mode::kSampleFraction && !(o.fraction >= 0 && o.fraction <= 1)) {
    return UsageError("--sample-fraction must be between 0 and 1");
  }
  if (OutputCount(o) == 0 || OutputCount(o) > kMaxSplits) {
    return UsageError("between 1 and " + std::to_string(kMaxSplits) + " splits");
  }
  if (o.mode == Mode::kNested) {
    for (size_t k = 1; k < o.nested.size(); ++k) {
      if (o.nested[k] <= o.nested[k - 1]) return UsageError("nested sizes must ascend (e.g. 1000,10000,100000)");
    }
  }
  return Status::Ok();
}

Status RunSplit(const SplitOptions& opts, SplitIo& io, SplitStats* stats) {
  FTPREP_RETURN_IF_ERROR(CheckOptions(opts));
  const size_t outs = OutputCount(opts);
  if (io.outputs.size() != outs) return InternalError("wrong number of outputs");
  stats->records.assign(outs, 0);
  stats->bytes.assign(outs, 0);
  std::optional<KeyPath> key;
  if (!KeyPathOf(opts).empty()) {
    auto k = KeyPath::Parse(KeyPathOf(opts));
    if (!k.ok()) return k.status();
    key = std::move(*k);
  }
  if (!opts.by_hash.empty() && opts.keep_order) return Stream(opts, *key, io, stats);

  // Pass 1: spool every good record, with what the plan needs.
  auto spool_or = Spool::Create(opts.tmp_dir);
  if (!spool_or.ok()) return spool_or.status();
  Spool& spool = **spool_or;
  ChunkedArray<uint32_t> key_ids;
  ChunkedArray<uint8_t> hash_levels;
  KeyIndex index;
  std::optional<HashSplitter> splitter;
  if (!opts.by_hash.empty()) splitter.emplace(opts.ratios, opts.seed);
  Rng sample_rng(opts.seed, kStreamSample);
  Reservoir reservoir(opts.sample, sample_rng);
  std::vector<uint32_t> slots;
  Record rec;
  std::string k;
  while (io.reader->Next(&rec)) {
    auto admitted = Admit(rec, key ? &*key : nullptr, &k, io, stats);
    if (!admitted.ok()) return admitted.status();
    if (!*admitted) continue;
    if (spool.size() >= kMaxRecords) return LimitError("more than 4294967295 records; split the input in shards");
    const uint64_t i = spool.size();
    FTPREP_RETURN_IF_ERROR(spool.Append(rec.json(), "\n"));
    if (splitter) {
      hash_levels.push_back(splitter->SplitOf(k));
    } else if (key) {
      uint32_t id = index.Id(KeyHash(k, 0));
      ++index.sizes[id];
      key_ids.push_back(id);
    } else if (opts.mode == Mode::kSample) {
      int64_t slot = reservoir.Offer();
      if (slot >= 0) {
        if (static_cast<size_t>(slot) == slots.size()) {
          slots.push_back(static_cast<uint32_t>(i));
        } else {
          slots[static_cast<size_t>(slot)] = static_cast<uint32_t>(i);
        }
      }
    }
  }
  FTPREP_RETURN_IF_ERROR(ReaderEndStatus(*io.reader, stats->records_in));
  FTPREP_RETURN_IF_ERROR(spool.Finish());
  const uint64_t n = spool.size();
  stats->keys = index.count();

  // The plan: a level per record (or the sampled records), and maybe the order to write them in.
  Rng assign_rng(opts.seed, kStreamAssign);
  std::vector<uint8_t> level;
  std::vector<uint32_t> order;
  std::vector<std::vector<size_t>> targets(outs);
  for (size_t o = 0; o < outs; ++o) targets[o] = {o};
  std::vector<uint64_t> sizes;
  switch (opts.mode) {
    case Mode::kRatio: {
      auto s = SizesFromRatios(opts.ratios, n);
      if (!s.ok()) return s.status();
      sizes = std::move(*s);
      break;
    }
    case Mode::kCounts: {
      auto s = SizesFromCounts(opts.counts, n);
      if (!s.ok()) return s.status();
      sizes = std::move(*s);
      break;
    }
    case Mode::kHoldout:
      sizes = LegacyHoldoutSizes(n);
      break;
    case Mode::kSampleFraction:
      sizes = {std::min<uint64_t>(n, static_cast<uint64_t>(std::floor(opts.fraction * static_cast<double>(n) + 0.5)))};
      break;
    case Mode::kShuffle:
      sizes = {n};
      break;
    case Mode::kNested: {
      auto plan = AssignNested(n, opts.test, opts.nested, assign_rng);
      if (!plan.ok()) return plan.status();
      level = std::move(plan->level);
      if (!opts.keep_order) order = std::move(plan->order);
      // A record of the k-th smallest set is in every larger one too.
      for (size_t j = 0; j < opts.nested.size(); ++j) {
        targets[j].clear();
        for (size_t o = j; o < opts.nested.size(); ++o) targets[j].push_back(o);
      }
      break;
    }
    case Mode::kSample:
      order = std::move(slots);
      if (opts.keep_order) {
        std::sort(order.begin(), order.end());
      } else {
        // Algorithm R leaves early records in early slots; shuffle so the output order is random too.
        Rng order_rng(opts.seed, kStreamOrder);
        Shuffle(std::span<uint32_t>(order), order_rng);
      }
      break;
  }
  if (splitter) {
    level.resize(n);
    for (uint64_t i = 0; i < n; ++i) level[i] = hash_levels[i];
    hash_levels.clear();
  } else if (!opts.stratify.empty()) {
    index.Release();
    auto l = AssignStratified(
        n, [&](uint64_t i) { return key_ids[i]; }, static_cast<uint32_t>(index.count()), sizes, assign_rng);
    if (!l.ok()) return l.status();
    level = std::move(*l);
    key_ids.clear();
  } else if (!opts.group.empty()) {
    index.Release();
    std::vector<uint8_t> gsplit = AssignGroups(index.sizes, index.hashes, sizes, opts.seed);
    level.resize(n);
    for (uint64_t i = 0; i < n; ++i) level[i] = gsplit[key_ids[i]];
    key_ids.clear();
  } else if (opts.mode != Mode::kNested && opts.mode != Mode::kSample) {
    level = AssignRandom(n, sizes, assign_rng);
  }
  index = KeyIndex();

  // Pass 2: write. Sequential reads when going through the spool in input order.
  auto emit = [&](uint32_t i, bool sequential) -> Status {
    uint8_t lv = level.empty() ? 0 : level[i];
    if (lv == kDropped) {
      ++stats->dropped;
      return Status::Ok();
    }
    auto bytes = spool.Read(i, sequential);
    if (!bytes.ok()) return bytes.status();
    for (size_t o : targets[lv]) FTPREP_RETURN_IF_ERROR(WriteTo(io, stats, o, *bytes));
    return Status::Ok();
  };
  if (opts.mode == Mode::kSample) {
    stats->dropped = n - order.size();
    level.clear();
    for (uint32_t i : order) FTPREP_RETURN_IF_ERROR(emit(i, opts.keep_order));
    return Status::Ok();
  }
  if (opts.keep_order) {
    for (uint64_t i = 0; i < n; ++i) FTPREP_RETURN_IF_ERROR(emit(static_cast<uint32_t>(i), true));
    return Status::Ok();
  }
  if (order.empty()) {
    Rng order_rng(opts.seed, kStreamOrder);
    order = RandomPermutation(n, order_rng);
  }
  for (uint32_t i : order) FTPREP_RETURN_IF_ERROR(emit(i, false));
  return Status::Ok();
}

}  // namespace ftprep::split
