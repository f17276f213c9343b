// The C boundary of the XLSX reader: option parsing, stdin spooling, error-code mapping.
#include "xlsx_plugin.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "format_support.h"  // core/
#include "ftprep/plugin.hpp"
#include "xlsx_reader.h"
#if defined(FTPREP_BUILTIN)
#include "format_reader.h"  // compiled in: a C++ reader that fills the host's Record directly
#endif

namespace ftprep::xlsx {
namespace {

using plugin::CodeFor;

struct PluginReader {
  const ftprep_host* host = nullptr;
  XlsxReader reader;
  std::string error;
  bool warned_empty = false;
};

void SetHostError(const ftprep_host* host, const std::string& message) {
  if (host && host->set_error) host->set_error(host->ctx, message.c_str());
}

Status ParseOptions(ftprep_options opts, ReaderOptions* o) {
  o->sheet = std::string(plugin::Option(opts, "sheet"));
  std::string_view ls = plugin::Option(opts, "list_sheets", "0");
  o->list_sheets = !(ls.empty() || ls == "0" || ls == "false");
  std::string_view h = plugin::Option(opts, "header", "1");
  o->header = !(h == "0" || h == "false");
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_field_bytes", &o->max_field_bytes));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_record_bytes", &o->max_record_bytes));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_uncompressed_bytes", &o->max_uncompressed_bytes));
  uint64_t cols = o->max_columns;
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_columns", &cols));
  if (cols > 16384 * 64) return UsageError("option max_columns is too large (at most 1048576)");
  o->max_columns = static_cast<uint32_t>(cols);
  std::string_view ratio = plugin::Option(opts, "max_ratio");
  if (!ratio.empty()) {
    double r = 0;
    auto res = std::from_chars(ratio.data(), ratio.data() + ratio.size(), r);
    if (res.ec != std::errc() || res.ptr != ratio.data() + ratio.size() || !(r >= 1)) {
      return UsageError("option max_ratio must be a number >= 1, not '" + std::string(ratio) + "'");
    }
    o->max_ratio = r;
  }
  return Status::Ok();
}

// Gives a precise message for the two common non-zip inputs named .xlsx.
Status CheckMagic(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open " + path + ": " + std::strerror(errno));
  unsigned char head[8] = {};
  ssize_t n = read(fd, head, sizeof(head));
  close(fd);
  if (n <= 0) return DataError("the file is empty, not an XLSX workbook");
  static const unsigned char kOle[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
  if (n == 8 && std::memcmp(head, kOle, 8) == 0) {
    return DataError(
        "this is an OLE compound file, not a zip: a password-protected (encrypted) workbook or a "
        "legacy .xls; save it in Excel as .xlsx without a password");
  }
  if (n < 4 || head[0] != 'P' || head[1] != 'K') return DataError("not an XLSX workbook (no zip signature)");
  return Status::Ok();
}

int Sniff(const char* head, size_t len, const char* name) {
  auto has = [&](std::string_view needle) {
    return std::string_view(head, len).find(needle) != std::string_view::npos;
  };
  bool ext = false;
  if (name) {
    std::string n(name);
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ext = n.size() >= 5 && (n.ends_with(".xlsx") || n.ends_with(".xlsm"));
  }
  if (len >= 4 && std::memcmp(head, "PK\x03\x04", 4) == 0) {
    if (has("xl/workbook.xml")) return 95;
    if (has("xl/")) return 85;
    if (has("word/") || has("ppt/") || has("mimetype")) return 5;  // other zip-based documents
    return ext ? 70 : 20;
  }
  // An encrypted .xlsx is an OLE file: claim it by name so the user gets the real reason.
  if (ext && len >= 4 && std::memcmp(head, "\xD0\xCF\x11\xE0", 4) == 0) return 60;
  return 0;
}

int OpenReader(const ftprep_host* host, ftprep_stream* in, ftprep_options options, void** out) {
  try {
    *out = nullptr;
    ReaderOptions opt;
    Status st = ParseOptions(options, &opt);
    if (!st.ok()) {
      SetHostError(host, st.message());
      return CodeFor(st);
    }
    auto r = std::make_unique<PluginReader>();
    r->host = host;
    std::string path;
    int spool_fd = -1;  // a non-file input is copied to a temporary file first: a zip's directory is at its end
    if (in->path != nullptr) {
      path = in->path;
    } else {
      st = SpoolToTempFile(in, "xlsx", opt.max_uncompressed_bytes, "max_uncompressed_bytes", &spool_fd, &path);
      if (!st.ok()) {
        SetHostError(host, st.message());
        return CodeFor(st);
      }
    }
    st = CheckMagic(path);
    std::vector<std::string> warnings;
    if (st.ok()) st = r->reader.Open(path, opt, &warnings);
    if (spool_fd >= 0) close(spool_fd);  // libzip holds its own descriptor
    for (const auto& w : warnings) {
      if (host && host->warn) host->warn(host->ctx, w.c_str());
    }
    if (!st.ok()) {
      SetHostError(host, st.message());
      return CodeFor(st);
    }
    *out = r.release();
    return FTPREP_OK;
  } catch (const std::exception& e) {
    SetHostError(host, std::string("internal error in the xlsx reader: ") + e.what());
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    SetHostError(host, "internal error in the xlsx reader");
    return FTPREP_ERR_INTERNAL;
  }
}

int Next(void* state, ftprep_record_out* out) {
  auto* r = static_cast<PluginReader*>(state);
  try {
    *out = ftprep_record_out{};
    Row row;
    if (!r->reader.Next(&row)) {
      const Status& st = r->reader.status();
      if (!st.ok()) {
        r->error = st.message();
        return CodeFor(st);
      }
      if (r->reader.empty_rows() > 0 && !r->warned_empty && r->host && r->host->warn) {
        r->warned_empty = true;
        std::string w = "sheet '" + r->reader.sheet_name() + "': skipped " +
                        std::to_string(r->reader.empty_rows()) + " row(s) without any value";
        r->host->warn(r->host->ctx, w.c_str());
      }
      return FTPREP_END;
    }
    out->line = row.row;
    out->column = row.column;
    out->sheet = r->reader.sheet_name().empty() ? nullptr : r->reader.sheet_name().c_str();
    if (!row.error.empty()) {
      out->error = row.error.data();  // NUL-terminated: it views a std::string
      out->rule_id = row.rule_id;
      out->raw = row.raw.data();
      out->raw_len = row.raw.size();
    } else {
      out->json = row.json.data();
      out->json_len = row.json.size();
    }
    return FTPREP_OK;
  } catch (const std::exception& e) {
    r->error = std::string("internal error in the xlsx reader: ") + e.what();
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    r->error = "internal error in the xlsx reader";
    return FTPREP_ERR_INTERNAL;
  }
}

const char* Error(void* state) { return static_cast<PluginReader*>(state)->error.c_str(); }

void CloseReader(void* state) { delete static_cast<PluginReader*>(state); }

const ftprep_format_v1 kFormat{sizeof(ftprep_format_v1), ".xlsx,.xlsm", &Sniff, &OpenReader, &Next, &Error,
                               &CloseReader, nullptr, nullptr, nullptr};

#if defined(FTPREP_BUILTIN)
// The in-tree C++ reader (core/format_reader.h): the C functions above, with each good row handed over
// with a flat-strings hint, so its document is built from it rather than parsed from its JSON text.
class RecordReader : public RecordFormatReader {
 public:
  explicit RecordReader(PluginReader* r) : r_(r) {}
  ~RecordReader() override { CloseReader(r_); }
  int Next(Record* rec) override {
    std::vector<uint32_t>& hint = rec->build_hint();
    r_->reader.set_hint(&hint);
    ftprep_record_out out{};
    int rc = xlsx::Next(r_, &out);
    if (rc != FTPREP_OK) return rc;
    FillRecord(out, rec);
    if (out.error == nullptr && !hint.empty()) rec->BuildLater(&BuildFlatStrings);
    return FTPREP_OK;
  }
  const char* error() const override { return r_->error.c_str(); }

 private:
  PluginReader* r_;
};

int OpenRecordReader(const ftprep_host* host, ftprep_stream* in, ftprep_options options,
                     std::unique_ptr<RecordFormatReader>* reader) {
  void* state = nullptr;
  int rc = OpenReader(host, in, options, &state);
  if (rc != FTPREP_OK) return rc;
  try {
    *reader = std::make_unique<RecordReader>(static_cast<PluginReader*>(state));
  } catch (...) {
    CloseReader(state);
    return FTPREP_ERR_INTERNAL;
  }
  return FTPREP_OK;
}
#endif

}  // namespace

const ftprep_plugin_v1* DescribePlugin(const ftprep_host* /*host*/) {
  static const ftprep_plugin_v1 plugin = ftprep::plugin::DescribeFormat(
      "xlsx", "1.0", &kFormat, "Excel workbooks (.xlsx/.xlsm): one record per sheet row, streamed");
  return &plugin;
}

}  // namespace ftprep::xlsx

FTPREP_PLUGIN(ftprep::xlsx::DescribePlugin)
#if defined(FTPREP_BUILTIN)  // a module has only the C ABI
FTPREP_RECORD_FORMAT(&ftprep::xlsx::kFormat, &ftprep::xlsx::OpenRecordReader)
#endif
