#include "ftprep/record.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <bit>

#include "json_fast.h"

namespace ftprep {

Record::Record()
    : alloc_(std::make_unique<rapidjson::MemoryPoolAllocator<>>()),
      doc_(std::make_unique<rapidjson::Document>(alloc_.get())) {}

void Record::Assign(std::string_view json, std::string_view raw) {
  json_.assign(json);
  if (raw.empty() || raw.data() == json.data() || raw == json) {
    raw_.clear();
  } else {
    raw_.assign(raw);
  }
  error_.clear();
  rule_id_.clear();
  build_ = nullptr;
  bad_ = parsed_ = parse_ok_ = modified_ = serialized_ = false;
  deferred_ = nullptr;
  loc.column = 0;
}

void Record::AssignError(std::string_view raw, std::string message, std::string rule_id, uint64_t column) {
  raw_.assign(raw);  // first: raw may be this record's own bytes (a deferred record found bad)
  json_.clear();
  build_ = nullptr;
  error_ = std::move(message);
  rule_id_ = std::move(rule_id);
  bad_ = true;
  parsed_ = true;
  parse_ok_ = modified_ = serialized_ = false;
  deferred_ = nullptr;
  loc.column = column;
  doc_->SetNull();
}

void Record::ClearDoc() {
  // Reset the pool so memory stays bounded by the largest record, not the stream. The first block is kept
  // (no malloc/free per record, which cost most with --jobs, where many records are in flight); it grows
  // to what the last record used, up to 64 KiB; a larger record adds chunks that the next Clear frees.
  constexpr size_t kMinPool = 4 << 10, kMaxPool = 64 << 10;
  size_t used = alloc_->Size();
  doc_->SetNull();
  if (pool_size_ < kMaxPool && (pool_size_ == 0 || used > pool_size_ - 64)) {
    pool_size_ = std::min(kMaxPool, std::max(kMinPool, std::bit_ceil(used + used / 2 + 64)));
    doc_.reset();
    alloc_.reset();
    pool_ = std::make_unique_for_overwrite<char[]>(pool_size_);  // not zeroed: the pool hands out raw memory
    alloc_ = std::make_unique<rapidjson::MemoryPoolAllocator<>>(pool_.get(), pool_size_);
    doc_ = std::make_unique<rapidjson::Document>(alloc_.get());
    return;
  }
  alloc_->Clear();
}

rapidjson::Document& Record::doc() {
  if (deferred_ != nullptr) Resolve();
  if (!parsed_) {
    parsed_ = true;
    ClearDoc();
    if (build_ != nullptr) {
      parse_ok_ = build_(*doc_, json_.c_str(), json_.size(), hint_);
    } else if (ParseRecordFast(*doc_, json_.c_str(), json_.size())) {
      parse_ok_ = true;  // the one-pass parse (core/json_fast.h) took it
    } else {
      ftprep::ParseRecordJson(*doc_, json_.data(), json_.size());
      parse_ok_ = !doc_->HasParseError() && doc_->IsObject();
    }
    if (!parse_ok_) doc_->SetNull();
  }
  return *doc_;
}

bool Record::parse_ok() {
  doc();
  return parse_ok_;
}

std::string_view Record::json() {
  if (deferred_ != nullptr) Resolve();
  if (modified_ && !serialized_) {
    json_ = ToJson(*doc_);
    raw_.clear();
    serialized_ = true;
  }
  if (modified_) return json_;
  return raw_.empty() ? std::string_view(json_) : std::string_view(raw_);
}

void CopyJson(const rapidjson::Value& from, rapidjson::Value* to, rapidjson::Document::AllocatorType& a) {
  if (from.IsString()) {
    to->SetString(from.GetString(), from.GetStringLength(), a);
  } else if (from.IsObject()) {
    to->SetObject();
    for (const auto& m : from.GetObject()) {
      rapidjson::Value name, value;
      CopyJson(m.name, &name, a);
      CopyJson(m.value, &value, a);
      to->AddMember(name, value, a);
    }
  } else if (from.IsArray()) {
    to->SetArray();
    to->Reserve(from.Size(), a);
    for (const auto& e : from.GetArray()) {
      rapidjson::Value value;
      CopyJson(e, &value, a);
      to->PushBack(value, a);
    }
  } else {
    to->CopyFrom(from, a);  // null, true, false, a number (its representation kept)
  }
}

std::string ToJson(const rapidjson::Value& v) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  return std::string(sb.GetString(), sb.GetSize());
}

void AppendJsonString(std::string_view s, std::string* out) {
  static const char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + start, i - start);
    start = i + 1;
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + start, s.size() - start);
  out->push_back('"');
}

}  // namespace ftprep
