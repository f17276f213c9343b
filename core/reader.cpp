#include "ftprep/reader.h"

#include <algorithm>
#include <cctype>
#include <cstring>

#include "io.h"
#include "plugin_host.h"
#include "format_reader.h"

namespace ftprep {
namespace {

// "file: message", or "file:line:col: ..." when a plugin's message starts with its own line:col.
std::string Where(const std::string& name, const Status& s) {
  const std::string& m = s.message();
  return name + (!m.empty() && m[0] >= '0' && m[0] <= '9' ? ":" : ": ");
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// One input through one format plugin.
class PluginReader {
 public:
  PluginReader(std::unique_ptr<ByteSource> src, const PluginInfo* plugin, const ReadOptions& opts)
      : src_(std::move(src)), plugin_(plugin), f_(plugin->desc->format) {
    kv_.push_back("max_record_bytes");
    kv_.push_back(std::to_string(opts.max_record_bytes));
    kv_.push_back("max_field_bytes");
    kv_.push_back(std::to_string(opts.max_field_bytes));
    kv_.push_back("max_depth");
    kv_.push_back(std::to_string(opts.max_depth));
    for (const auto& [k, v] : opts.format_options) {
      kv_.push_back(k);
      kv_.push_back(v);
    }
    for (const auto& s : kv_) opt_ptrs_.push_back(s.c_str());
    opt_ptrs_.push_back(nullptr);
    opt_ptrs_.push_back(nullptr);
    stream_.ctx = this;
    stream_.read = &PluginReader::ReadCb;
    stream_.name = src_->name().c_str();
    stream_.path = src_->path().empty() ? nullptr : src_->path().c_str();
    stream_.size = src_->size();
  }
  ~PluginReader() {
    if (r_) f_->close_reader(r_);
    cxx_.reset();  // before stream_, which it reads from
  }
  // Formats compiled in may have a C++ reader that fills the Record (parsed) directly; others go through
  // the C ABI below, and the Record parses their JSON text when a tool asks for it.
  static long long ReadCb(void* ctx, char* buf, size_t len) {
    auto* self = static_cast<PluginReader*>(ctx);
    size_t n = self->src_->Read(buf, len);
    if (n == 0 && !self->src_->status().ok()) return -1;
    return static_cast<long long>(n);
  }
  Status Open() {
    if (f_->open_reader == nullptr) return UsageError("format '" + plugin_->name + "' cannot read");
    OpenRecordFormatFn open_cxx = FindRecordFormat(f_);
    int rc = open_cxx ? open_cxx(Host(), &stream_, opt_ptrs_.data(), &cxx_)
                      : f_->open_reader(Host(), &stream_, opt_ptrs_.data(), &r_);
    if (rc != FTPREP_OK) {
      r_ = nullptr;
      cxx_.reset();
      Status s = src_->status().ok() ? PluginStatus(rc, TakePluginError()) : src_->status();
      return s.Prepend(Where(src_->name(), s));
    }
    return Status::Ok();
  }
  // 1 = record, 0 = end, -1 = error (status_)
  int Next(Record* rec) {
    if (cxx_) {
      int rc = cxx_->Next(rec);
      if (rc == FTPREP_OK) return 1;
      return rc == FTPREP_END ? 0 : Failed(rc, cxx_->error());
    }
    ftprep_record_out out{};
    int rc = f_->next(r_, &out);
    if (rc == FTPREP_END) return 0;
    if (rc != FTPREP_OK) return Failed(rc, f_->error(r_));
    FillRecord(out, rec);
    return 1;
  }
  const Status& status() const { return status_; }
  uint64_t consumed() const { return src_->consumed(); }

 private:
  int Failed(int rc, const char* e) {
    if (!src_->status().ok()) {
      status_ = src_->status();
    } else {
      status_ = PluginStatus(rc, e && *e ? e : TakePluginError());
      status_.Prepend(Where(src_->name(), status_));
    }
    return -1;
  }

  std::unique_ptr<ByteSource> src_;
  const PluginInfo* plugin_;
  const ftprep_format_v1* f_;
  void* r_ = nullptr;
  std::unique_ptr<RecordFormatReader> cxx_;
  std::vector<std::string> kv_;
  std::vector<const char*> opt_ptrs_;
  ftprep_stream stream_{};
  Status status_;
};

class MultiReader : public Reader {
 public:
  MultiReader(std::vector<std::string> inputs, ReadOptions opts) : inputs_(std::move(inputs)), opts_(std::move(opts)) {
    if (inputs_.empty()) inputs_.push_back("-");
  }
  Status OpenNext() {
    cur_.reset();
    if (done_bytes_pending_) {
      done_bytes_ += last_consumed_;
      done_bytes_pending_ = false;
    }
    const std::string& in = inputs_[next_++];
    std::string peek;
    auto src = OpenSource(in, &peek);
    if (!src.ok()) return src.status();
    name_ = (*src)->name();
    const PluginInfo* p = nullptr;
    auto& reg = PluginRegistry::Get();
    if (opts_.format != "auto" && !opts_.format.empty()) {
      p = reg.Find(opts_.format, FTPREP_KIND_FORMAT);
      if (p == nullptr) {
        std::string names;
        for (auto& n : reg.Names(FTPREP_KIND_FORMAT)) names += (names.empty() ? "" : ", ") + n;
        return UsageError("unknown format '" + opts_.format + "' (known: " + names + ")");
      }
    } else {
      std::string fmt = FormatFromExtension(in == "-" ? "" : in);
      if (!fmt.empty()) p = reg.Find(fmt, FTPREP_KIND_FORMAT);
      if (p == nullptr) p = Sniff(peek, name_);
      // Nothing to sniff (an empty or blank input, e.g. everything was filtered upstream): JSON Lines, the
      // format tools exchange, so an empty pipe is zero records rather than an error.
      if (p == nullptr && peek.find_first_not_of(" \t\r\n") == std::string::npos) {
        p = reg.Find("jsonl", FTPREP_KIND_FORMAT);
      }
      if (p == nullptr) {
        return UsageError(name_ + ": cannot tell the format; use --format (jsonl, csv, tsv, xlsx, json, txt, ...)");
      }
    }
    format_ = p->name;
    total_ = (*src)->size();
    cur_ = std::make_unique<PluginReader>(std::move(*src), p, opts_);
    done_bytes_pending_ = true;
    return cur_->Open();
  }
  static const PluginInfo* Sniff(const std::string& head, const std::string& name) {
    const PluginInfo* best = nullptr;
    int best_score = 0;
    for (const auto& p : PluginRegistry::Get().plugins()) {
      if (p.kind != FTPREP_KIND_FORMAT || p.desc->format->sniff == nullptr || !p.desc->format->open_reader) continue;
      int s = p.desc->format->sniff(head.data(), head.size(), name.c_str());
      if (s > best_score) {
        best_score = s;
        best = &p;
      }
    }
    return best;
  }
  bool Next(Record* rec) override {
    for (;;) {
      if (!status_.ok()) return false;
      if (Interrupted()) {
        status_ = Status(Code::kInterrupted, "interrupted");
        return false;
      }
      if (!cur_) {
        if (next_ >= inputs_.size()) return false;
        status_ = OpenNext();
        if (!status_.ok()) return false;
      }
      int rc = cur_->Next(rec);
      if (rc == 1) {
        if (!opts_.defer_parse) rec->Resolve();
        rec->loc.file = name_;
        rec->index = index_++;
        last_consumed_ = cur_->consumed();
        return true;
      }
      if (rc < 0) {
        status_ = cur_->status();
        return false;
      }
      last_consumed_ = cur_->consumed();
      cur_.reset();
      done_bytes_ += last_consumed_;
      done_bytes_pending_ = false;
      last_consumed_ = 0;
    }
  }
  Status status() const override { return status_; }
  const std::string& name() const override { return name_; }
  const std::string& format() const override { return format_; }
  uint64_t bytes_read() const override { return done_bytes_ + last_consumed_; }
  int64_t total_bytes() const override { return inputs_.size() == 1 ? total_ : -1; }

 private:
  std::vector<std::string> inputs_;
  ReadOptions opts_;
  size_t next_ = 0;
  std::unique_ptr<PluginReader> cur_;
  Status status_;
  std::string name_, format_;
  uint64_t index_ = 0, done_bytes_ = 0, last_consumed_ = 0;
  bool done_bytes_pending_ = false;
  int64_t total_ = -1;
};

}  // namespace

std::string FormatFromExtension(const std::string& path) {
  std::string p = Lower(path);
  for (const char* z : {".gz", ".zst"}) {
    size_t n = std::strlen(z);
    if (p.size() > n && p.compare(p.size() - n, n, z) == 0) p.resize(p.size() - n);
  }
  size_t slash = p.rfind('/');
  size_t dot = p.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  const PluginInfo* info = PluginRegistry::Get().FormatForExtension(p.substr(dot));
  return info ? info->name : "";
}

Result<std::unique_ptr<Reader>> OpenReader(const std::vector<std::string>& inputs, const ReadOptions& opts) {
  int stdin_count = 0;
  for (const auto& i : inputs) stdin_count += (i == "-");
  if (stdin_count > 1) return UsageError("stdin ('-') given more than once");
  return std::unique_ptr<Reader>(std::make_unique<MultiReader>(inputs, opts));
}

Status ReaderEndStatus(const Reader& reader, uint64_t records) {
  Status rs = reader.status();
  if (rs.code() == Code::kInterrupted) {
    return Status(Code::kInterrupted,
                  "interrupted after " + std::to_string(records) + " records; no output file was written");
  }
  return rs;
}

}  // namespace ftprep
