// validators/common/shared_parse.h — one JSON parse per record for all built-in rule sets.
//
// The rule ABI hands each rule set the record's text, and plugin.hpp's adapter parses it again for every rule
// set; with four rule sets per profile that was most of validate's time. Built-in rule sets live in one binary,
// so they can share the last parse: MakeSharedRules<T>() is MakeRules<T>() whose check() looks the text up in a
// per-thread cache (compared byte for byte, so a reused buffer never returns a stale tree) and parses into a
// recycled memory pool. Built as separate .so modules each keeps its own cache: still correct, just not shared.
#ifndef FTPREP_VALIDATORS_COMMON_SHARED_PARSE_H_
#define FTPREP_VALIDATORS_COMMON_SHARED_PARSE_H_

#include <cstring>
#include <memory>
#include <string>

#include "ftprep/plugin.hpp"

namespace ftprep::rules {

struct SharedRecord {
  std::string text;
  bool valid = false, ok = false;
  rapidjson::MemoryPoolAllocator<> pool{1 << 16};
  std::unique_ptr<rapidjson::Document> doc = std::make_unique<rapidjson::Document>(&pool);
};

inline SharedRecord& SharedRecordSlot() {
  static thread_local SharedRecord r;
  return r;
}

// The parsed record for `json`, or nullptr if it is not valid JSON. Valid until the next call on this thread.
inline const rapidjson::Document* ParseShared(const char* json, size_t len) {
  SharedRecord& r = SharedRecordSlot();
  if (r.valid && r.text.size() == len && std::memcmp(r.text.data(), json, len) == 0) {
    return r.ok ? r.doc.get() : nullptr;
  }
  r.valid = false;
  r.text.assign(json, len);
  // The pool never frees single values; dropping the old tree and clearing the pool recycles its memory.
  r.doc->SetNull();
  r.pool.Clear();
  ftprep::ParseRecordJson(*r.doc, r.text.data(), r.text.size());
  r.ok = !r.doc->HasParseError();
  r.valid = true;
  return r.ok ? r.doc.get() : nullptr;
}

namespace internal {
inline int CheckShared(void* state, const char* json, size_t len, uint64_t line, ftprep_emit_fn emit, void* ctx) {
  auto* rs = static_cast<plugin::RuleSet*>(state);
  try {
    const rapidjson::Document* doc = ParseShared(json, len);
    if (doc == nullptr) {
      rs->error_ = "record is not valid JSON";
      return FTPREP_ERR_DATA;
    }
    plugin::Emitter e(emit, ctx);
    rs->Check(*doc, line, e);
    return FTPREP_OK;
  } catch (const std::exception& e) {
    rs->error_ = e.what();
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    rs->error_ = "unknown exception";
    return FTPREP_ERR_INTERNAL;
  }
}
}  // namespace internal

template <typename T>
constexpr ftprep_rules_v1 MakeSharedRules(const ftprep_rule_info* rules, size_t n) {
  ftprep_rules_v1 vt = plugin::MakeRules<T>(rules, n);
  vt.check = &internal::CheckShared;
  return vt;
}

}  // namespace ftprep::rules

#endif  // FTPREP_VALIDATORS_COMMON_SHARED_PARSE_H_
