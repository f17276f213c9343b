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

// Pass 1 state: the spool and what the plan needs per record.
struct Splitter::State {
  std::unique_ptr<Spool> spool;
  ChunkedArray<uint32_t> key_ids, tokens;
  ChunkedArray<uint8_t> hash_levels;
  KeyIndex index;
  std::optional<HashSplitter> splitter;
  Rng sample_rng;
  Reservoir reservoir;
  std::vector<uint32_t> slots;
  std::string line;
  State(const SplitOptions& o) : sample_rng(o.seed, kStreamSample), reservoir(o.sample, sample_rng) {}
};

Splitter::Splitter(const SplitOptions& opts, std::vector<Output*> outputs, bool count_tokens)
    : opts_(opts), outputs_(std::move(outputs)), count_tokens_(count_tokens) {}

Splitter::~Splitter() = default;

Status Splitter::Start() {
  FTPREP_RETURN_IF_ERROR(CheckOptions(opts_));
  const size_t outs = OutputCount(opts_);
  if (outputs_.size() != outs) return InternalError("wrong number of outputs");
  stats_.records.assign(outs, 0);
  stats_.bytes.assign(outs, 0);
  stats_.tokens.assign(outs, 0);
  stats_.untokenized.assign(outs, 0);
  if (!KeyPathOf(opts_).empty()) {
    auto k = KeyPath::Parse(KeyPathOf(opts_));
    if (!k.ok()) return k.status();
    key_ = std::make_unique<KeyPath>(std::move(*k));
  }
  st_ = std::make_unique<State>(opts_);
  if (!opts_.by_hash.empty()) st_->splitter.emplace(opts_.ratios, opts_.seed);
  // --by-hash in input order: every record goes straight to its output; nothing is kept.
  stats_.streamed = !opts_.by_hash.empty() && opts_.keep_order;
  if (stats_.streamed) return Status::Ok();
  auto spool = Spool::Create(opts_.tmp_dir);
  if (!spool.ok()) return spool.status();
  st_->spool = std::move(*spool);
  return Status::Ok();
}

Status Splitter::WriteTo(size_t o, std::string_view bytes, uint32_t tokens) {
  FTPREP_RETURN_IF_ERROR(outputs_[o]->Write(bytes));
  ++stats_.records[o];
  stats_.bytes[o] += bytes.size();
  if (!count_tokens_) return Status::Ok();
  if (tokens == kUntokenized || tokens == kUnreadable) {
    ++stats_.untokenized[o];
    if (tokens == kUnreadable) ++stats_.unreadable_written;
  } else {
    stats_.tokens[o] += tokens;
  }
  return Status::Ok();
}

Status Splitter::Add(std::string_view json, std::string_view key, uint32_t tokens) {
  State& s = *st_;
  ++stats_.records_in;
  if (tokens == kUnreadable) ++stats_.unreadable;
  if (stats_.streamed) {
    uint8_t level = s.splitter->SplitOf(key);
    if (level == kDropped) {
      ++stats_.dropped;
      return Status::Ok();
    }
    s.line.assign(json);
    s.line.push_back('\n');
    return WriteTo(level, s.line, tokens);
  }
  Spool& spool = *s.spool;
  if (spool.size() >= kMaxRecords) return LimitError("more than 4294967295 records; split the input in shards");
  const uint64_t i = spool.size();
  FTPREP_RETURN_IF_ERROR(spool.Append(json, "\n"));
  if (count_tokens_) s.tokens.push_back(tokens);
  if (s.splitter) {
    s.hash_levels.push_back(s.splitter->SplitOf(key));
  } else if (key_) {
    uint32_t id = s.index.Id(KeyHash(key, 0));
    ++s.index.sizes[id];
    s.key_ids.push_back(id);
  } else if (opts_.mode == Mode::kSample) {
    int64_t slot = s.reservoir.Offer();
    if (slot >= 0) {
      if (static_cast<size_t>(slot) == s.slots.size()) {
        s.slots.push_back(static_cast<uint32_t>(i));
      } else {
        s.slots[static_cast<size_t>(slot)] = static_cast<uint32_t>(i);
      }
    }
  }
  return Status::Ok();
}

// The plan: a level per record (or the sampled records), and maybe the order to write them in.
Status Splitter::Plan(uint64_t n, std::vector<uint8_t>* level, std::vector<uint32_t>* order,
                      std::vector<std::vector<size_t>>* targets) {
  State& s = *st_;
  const size_t outs = outputs_.size();
  Rng assign_rng(opts_.seed, kStreamAssign);
  targets->assign(outs, {});
  for (size_t o = 0; o < outs; ++o) (*targets)[o] = {o};
  std::vector<uint64_t> sizes;
  switch (opts_.mode) {
    case Mode::kRatio: {
      auto r = SizesFromRatios(opts_.ratios, n);
      if (!r.ok()) return r.status();
      sizes = std::move(*r);
      break;
    }
    case Mode::kCounts: {
      auto r = SizesFromCounts(opts_.counts, n);
      if (!r.ok()) return r.status();
      sizes = std::move(*r);
      break;
    }
    case Mode::kHoldout:
      sizes = LegacyHoldoutSizes(n);
      break;
    case Mode::kSampleFraction:
      sizes = {std::min<uint64_t>(n, static_cast<uint64_t>(std::floor(opts_.fraction * static_cast<double>(n) + 0.5)))};
      break;
    case Mode::kShuffle:
      sizes = {n};
      break;
    case Mode::kNested: {
      auto plan = AssignNested(n, opts_.test, opts_.nested, assign_rng);
      if (!plan.ok()) return plan.status();
      *level = std::move(plan->level);
      if (!opts_.keep_order) *order = std::move(plan->order);
      // A record of the k-th smallest set is in every larger one too.
      for (size_t j = 0; j < opts_.nested.size(); ++j) {
        (*targets)[j].clear();
        for (size_t o = j; o < opts_.nested.size(); ++o) (*targets)[j].push_back(o);
      }
      break;
    }
    case Mode::kSample:
      *order = std::move(s.slots);
      if (opts_.keep_order) {
        std::sort(order->begin(), order->end());
      } else {
        // Algorithm R leaves early records in early slots; shuffle so the output order is random too.
        Rng order_rng(opts_.seed, kStreamOrder);
        Shuffle(std::span<uint32_t>(*order), order_rng);
      }
      break;
  }
  if (s.splitter) {
    level->resize(n);
    for (uint64_t i = 0; i < n; ++i) (*level)[i] = s.hash_levels[i];
    s.hash_levels.clear();
  } else if (!opts_.stratify.empty()) {
    s.index.Release();
    auto l = AssignStratified(
        n, [&](uint64_t i) { return s.key_ids[i]; }, static_cast<uint32_t>(s.index.count()), sizes, assign_rng);
    if (!l.ok()) return l.status();
    *level = std::move(*l);
    s.key_ids.clear();
  } else if (!opts_.group.empty()) {
    s.index.Release();
    std::vector<uint8_t> gsplit = AssignGroups(s.index.sizes, s.index.hashes, sizes, opts_.seed);
    level->resize(n);
    for (uint64_t i = 0; i < n; ++i) (*level)[i] = gsplit[s.key_ids[i]];
    s.key_ids.clear();
  } else if (opts_.mode != Mode::kNested && opts_.mode != Mode::kSample) {
    *level = AssignRandom(n, sizes, assign_rng);
  }
  s.index = KeyIndex();
  return Status::Ok();
}

// Pass 2: write. Sequential reads when going through the spool in input order.
Status Splitter::Emit(const std::vector<uint8_t>& level, const std::vector<uint32_t>& order_in,
                      const std::vector<std::vector<size_t>>& targets) {
  Spool& spool = *st_->spool;
  const uint64_t n = spool.size();
  auto emit = [&](uint32_t i, bool sequential) -> Status {
    uint8_t lv = level.empty() ? 0 : level[i];
    if (lv == kDropped) {
      ++stats_.dropped;
      return Status::Ok();
    }
    auto bytes = spool.Read(i, sequential);
    if (!bytes.ok()) return bytes.status();
    uint32_t tokens = count_tokens_ ? st_->tokens[i] : 0;
    for (size_t o : targets[lv]) FTPREP_RETURN_IF_ERROR(WriteTo(o, *bytes, tokens));
    return Status::Ok();
  };
  if (opts_.mode == Mode::kSample) {
    stats_.dropped = n - order_in.size();
    for (uint32_t i : order_in) FTPREP_RETURN_IF_ERROR(emit(i, opts_.keep_order));
    return Status::Ok();
  }
  if (opts_.keep_order) {
    for (uint64_t i = 0; i < n; ++i) FTPREP_RETURN_IF_ERROR(emit(static_cast<uint32_t>(i), true));
    return Status::Ok();
  }
  std::vector<uint32_t> order;
  if (order_in.empty()) {
    Rng order_rng(opts_.seed, kStreamOrder);
    order = RandomPermutation(n, order_rng);
  }
  for (uint32_t i : order_in.empty() ? order : order_in) FTPREP_RETURN_IF_ERROR(emit(i, false));
  return Status::Ok();
}

Status Splitter::Finish() {
  if (stats_.streamed) return Status::Ok();
  FTPREP_RETURN_IF_ERROR(st_->spool->Finish());
  stats_.keys = st_->index.count();
  std::vector<uint8_t> level;
  std::vector<uint32_t> order;
  std::vector<std::vector<size_t>> targets;
  FTPREP_RETURN_IF_ERROR(Plan(st_->spool->size(), &level, &order, &targets));
  if (opts_.mode == Mode::kSample) level.clear();
  return Emit(level, order, targets);
}

}  // namespace ftprep::split
