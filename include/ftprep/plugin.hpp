// ftprep/plugin.hpp — the C++ rule-set interface over a parsed record, and the adapters that put it behind the
// plain-C ABI of plugin_api.h.
//
// In-tree rule sets (validators/*) and external C++ plugins write the same class:
//
//   class Refusals : public ftprep::plugin::RuleSet {
//    public:
//     void Check(const rapidjson::Value& rec, uint64_t line, ftprep::plugin::Emitter& out) override {...}
//   };
//   static const ftprep_rule_info kRules[] = {{"refusal.boilerplate", FTPREP_WARNING, FTPREP_FIX_NONE, "..."}};
//   static const ftprep_plugin_v1* Describe(const ftprep_host*) {
//     static const ftprep_rules_v1 rules = ftprep::plugin::MakeRules<Refusals>(kRules, 1);
//     static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules("refusals", "1.0", &rules, "...");
//     return &p;
//   }
//   FTPREP_PLUGIN(Describe)
//
// Two ways in, one class. A rule set compiled into ftprep is driven directly: the host's rule engine
// (core/rules/rules.h) hands Check() the record it already parsed, so no record is serialised or parsed again.
// A rule set built as a .so (external plugins, or in-tree ones with FTPREP_PLUGINS_AS_MODULES=ON) crosses the
// C ABI: MakeRules() is the plugin-side adapter, which parses the JSON text it is given once per call and
// catches every exception at the boundary (FTPREP_ERR_INTERNAL with the exception's text). Header-only; no
// ftprep library needed.
//
// Threading contract (what `--jobs N` builds on):
//   - A RuleSet instance is used by one thread at a time. The engine creates one instance per worker.
//   - Per-record sets (the default, IsDataset() false): Check() may only depend on the record and the
//     configuration; members used as scratch space are fine, state carried from one record to the next is
//     not. Workers may call Check() on records in any order.
//   - Dataset sets (derive from DatasetRuleSet): split in two. Digest() runs on the worker: it reduces the
//     record to a small byte string (hashes, a count, a short label) and may emit per-record findings (same
//     rule as above: no state across records). Consume() runs on ONE thread, on the digests of every record in
//     input order, and Finish() after the last one; only that instance keeps dataset state. So results are
//     the same for any number of workers.
//   - External plugins behind the C ABI are opaque, so the engine runs them on the ordered thread too.
#ifndef FTPREP_PLUGIN_HPP_
#define FTPREP_PLUGIN_HPP_

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ftprep/json_flags.h"
#include "ftprep/plugin_api.h"
#include "ftprep/status.h"

namespace ftprep::plugin {

// The ABI return code for a Status (the host turns it back into a Status of the same kind).
inline int CodeFor(const Status& s) {
  switch (s.code()) {
    case Code::kOk:
      return FTPREP_OK;
    case Code::kData:
      return FTPREP_ERR_DATA;
    case Code::kUsage:
    case Code::kNotFound:
      return FTPREP_ERR_USAGE;
    case Code::kIo:
      return FTPREP_ERR_IO;
    case Code::kLimit:
      return FTPREP_ERR_LIMIT;
    default:
      return FTPREP_ERR_INTERNAL;
  }
}

// Looks up an option value in the NULL-terminated key/value list; `def` if absent.
inline std::string_view Option(ftprep_options opts, std::string_view key, std::string_view def = {}) {
  if (opts == nullptr) return def;
  for (size_t i = 0; opts[i] != nullptr && opts[i + 1] != nullptr; i += 2) {
    if (key == opts[i]) return opts[i + 1];
  }
  return def;
}

// Collects findings of one Check call and forwards them to the host.
class Emitter {
 public:
  // `wants` (optional, host side only): see Wants().
  Emitter(ftprep_emit_fn fn, void* ctx, int (*wants)(void* ctx, const char* rule_id) = nullptr)
      : fn_(fn), ctx_(ctx), wants_(wants) {}
  void Emit(const char* rule_id, int severity, const std::string& path, const std::string& message) {
    Emit(rule_id, severity, path.c_str(), message.c_str());
  }
  // The same without a std::string built for a literal path or message.
  void Emit(const char* rule_id, int severity, const char* path, const char* message) {
    ftprep_finding f{rule_id, severity, path, message};
    fn_(ctx_, &f);
  }
  void Emit(const char* rule_id, int severity, const std::string& path, const char* message) {
    Emit(rule_id, severity, path.c_str(), message);
  }
  void Emit(const char* rule_id, int severity, const char* path, const std::string& message) {
    Emit(rule_id, severity, path, message.c_str());
  }
  // False when the host will only count a finding of rule_id (its text would not be shown or kept): a rule
  // set may then skip building the path and message, but it still emits the finding (with "" for both) so
  // that it is counted. Always true behind the C ABI.
  bool Wants(const char* rule_id) const { return wants_ == nullptr || wants_(ctx_, rule_id) != 0; }

 private:
  ftprep_emit_fn fn_;
  void* ctx_;
  int (*wants_)(void*, const char*);
};

// A fix a rule set offers for the whole dataset once it has seen every record (after Finish): `rule` names
// it for Fix(), which the host then calls on every record in input order. prepare asks about each optional
// one; `validate --fix` applies the necessary ones (and the optional ones when asked).
struct FixOffer {
  std::string rule;
  std::string description;      // "Remove 3 duplicate rows"; "" = a normalisation applied without a word
  bool necessary = false;
  std::vector<uint64_t> lines;  // the records it touches, when known
};

// Base class of a rule set. One instance per `create`; used by one thread at a time (contract above).
class RuleSet {
 public:
  virtual ~RuleSet() = default;
  // True for DatasetRuleSet: the engine then calls Digest() on workers and Consume() in input order.
  virtual bool IsDataset() const { return false; }
  // `config` is the profile's JSON object for this rule set ({} if none). Return false and set error_ to fail.
  virtual bool Configure(const rapidjson::Value& config) {
    (void)config;
    return true;
  }
  virtual void Check(const rapidjson::Value& record, uint64_t line, Emitter& out) = 0;
  // Apply the fix of `rule_id` in place; return true if the record changed.
  virtual bool Fix(rapidjson::Document& record, std::string_view rule_id) {
    (void)record;
    (void)rule_id;
    return false;
  }
  virtual void Finish(Emitter& out) { (void)out; }
  // The dataset-wide fixes after Finish, in the order to offer and apply them; returns false when the rule set
  // does not plan its own fixes (the default): the host then offers the fix of each rule with a fix that
  // reported something. Only for rule sets compiled into ftprep: it is not part of the C ABI.
  virtual bool Fixes(std::vector<FixOffer>* out) {
    (void)out;
    return false;
  }

  const ftprep_host* host = nullptr;
  std::string error_;
  std::string fix_out_;
};

// A rule set over the whole dataset (duplicates, minimum size, totals): Check() is Digest() then Consume(), so
// driven serially (or through the C ABI) it behaves exactly as when the engine splits the two across threads.
class DatasetRuleSet : public RuleSet {
 public:
  bool IsDataset() const final { return true; }
  // Worker side: reduce `record` to *digest (cleared by the caller); per-record findings go to `out`.
  virtual void Digest(const rapidjson::Value& record, uint64_t line, std::string* digest, Emitter& out) = 0;
  // Ordered side: one call per record, in input order, on one thread.
  virtual void Consume(std::string_view digest, uint64_t line, Emitter& out) = 0;
  void Check(const rapidjson::Value& record, uint64_t line, Emitter& out) final {
    digest_.clear();
    Digest(record, line, &digest_, out);
    Consume(digest_, line, out);
  }

 private:
  std::string digest_;
};

namespace internal {

template <typename T>
int CreateRules(const ftprep_host* host, const char* config_json, void** state) {
  try {
    auto* rs = new T();
    rs->host = host;
    rapidjson::Document cfg;
    cfg.Parse(config_json && *config_json ? config_json : "{}");
    if (cfg.HasParseError() || !cfg.IsObject()) {
      if (host && host->set_error) host->set_error(host->ctx, "rule set configuration is not a JSON object");
      delete rs;
      return FTPREP_ERR_USAGE;
    }
    if (!rs->Configure(cfg)) {
      if (host && host->set_error) host->set_error(host->ctx, rs->error_.c_str());
      delete rs;
      return FTPREP_ERR_USAGE;
    }
    *state = rs;
    return FTPREP_OK;
  } catch (const std::exception& e) {
    if (host && host->set_error) host->set_error(host->ctx, e.what());
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

inline int CheckRules(void* state, const char* json, size_t len, uint64_t line, ftprep_emit_fn emit,
                      void* emit_ctx) {
  auto* rs = static_cast<RuleSet*>(state);
  try {
    rapidjson::Document doc;
    ftprep::ParseRecordJson(doc, json, len);
    if (doc.HasParseError()) {
      rs->error_ = "record is not valid JSON";
      return FTPREP_ERR_DATA;
    }
    Emitter e(emit, emit_ctx);
    rs->Check(doc, line, e);
    return FTPREP_OK;
  } catch (const std::exception& e) {
    rs->error_ = e.what();
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    rs->error_ = "unknown exception";
    return FTPREP_ERR_INTERNAL;
  }
}

inline int FixRules(void* state, const char* json, size_t len, const char* rule_id, const char** out,
                    size_t* out_len) {
  auto* rs = static_cast<RuleSet*>(state);
  try {
    rapidjson::Document doc;
    ftprep::ParseRecordJson(doc, json, len);
    if (doc.HasParseError()) return FTPREP_ERR_DATA;
    if (!rs->Fix(doc, rule_id ? rule_id : "")) return FTPREP_END;
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    doc.Accept(w);
    rs->fix_out_.assign(sb.GetString(), sb.GetSize());
    *out = rs->fix_out_.data();
    *out_len = rs->fix_out_.size();
    return FTPREP_OK;
  } catch (const std::exception& e) {
    rs->error_ = e.what();
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

inline int FinishRules(void* state, ftprep_emit_fn emit, void* emit_ctx) {
  auto* rs = static_cast<RuleSet*>(state);
  try {
    Emitter e(emit, emit_ctx);
    rs->Finish(e);
    return FTPREP_OK;
  } catch (const std::exception& e) {
    rs->error_ = e.what();
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

inline const char* RulesError(void* state) { return static_cast<RuleSet*>(state)->error_.c_str(); }
inline void DestroyRules(void* state) { delete static_cast<RuleSet*>(state); }

}  // namespace internal

// True when `vt` was built by MakeRules() in this same binary, so its states are RuleSet objects the host may
// drive directly (built-ins). A .so has its own copy of the adapter, at another address: it stays behind the ABI.
inline bool IsRuleSetAdapter(const ftprep_rules_v1* vt) { return vt != nullptr && vt->check == &internal::CheckRules; }

// Builds the C vtable for a RuleSet subclass T.
template <typename T>
constexpr ftprep_rules_v1 MakeRules(const ftprep_rule_info* rules, size_t n) {
  return ftprep_rules_v1{sizeof(ftprep_rules_v1), rules, n, &internal::CreateRules<T>, &internal::CheckRules,
                         &internal::FixRules, &internal::FinishRules, &internal::RulesError,
                         &internal::DestroyRules};
}

inline constexpr ftprep_plugin_v1 DescribeRules(const char* name, const char* version,
                                                const ftprep_rules_v1* rules, const char* description) {
  return ftprep_plugin_v1{FTPREP_ABI_MAJOR, FTPREP_ABI_MINOR, sizeof(ftprep_plugin_v1), name, version,
                          FTPREP_KIND_RULE, description, nullptr, rules};
}

inline constexpr ftprep_plugin_v1 DescribeFormat(const char* name, const char* version,
                                                 const ftprep_format_v1* format, const char* description) {
  return ftprep_plugin_v1{FTPREP_ABI_MAJOR, FTPREP_ABI_MINOR, sizeof(ftprep_plugin_v1), name, version,
                          FTPREP_KIND_FORMAT, description, format, nullptr};
}

}  // namespace ftprep::plugin

// Registration of built-ins (compiled into ftprep). Defined in core/plugin_host.cpp.
extern "C" void ftprep_register_builtin(ftprep_plugin_entry_v1 entry);

#define FTPREP_CAT_(a, b) a##b
#define FTPREP_CAT(a, b) FTPREP_CAT_(a, b)

// FTPREP_PLUGIN(fn): exports `fn` (a `const ftprep_plugin_v1* fn(const ftprep_host*)`) as the plugin's entry.
// The build passes FTPREP_PLUGIN_NAME (the plugin's name) and FTPREP_BUILTIN for compiled-in plugins.
#if defined(FTPREP_BUILTIN)
#define FTPREP_PLUGIN(fn)                                                                  \
  namespace {                                                                              \
  struct FTPREP_CAT(BuiltinRegistrar_, FTPREP_PLUGIN_NAME) {                               \
    FTPREP_CAT(BuiltinRegistrar_, FTPREP_PLUGIN_NAME)() { ftprep_register_builtin(&fn); }  \
  } FTPREP_CAT(builtin_registrar_, FTPREP_PLUGIN_NAME);                                    \
  }
#else
#define FTPREP_PLUGIN(fn)                                                                           \
  extern "C" __attribute__((visibility("default"))) const ftprep_plugin_v1* FTPREP_CAT(            \
      FTPREP_PLUGIN_NAME, _ftprep_plugin_v1)(const ftprep_host* host) {                             \
    return fn(host);                                                                                \
  }
#endif

#endif  // FTPREP_PLUGIN_HPP_
