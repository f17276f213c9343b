// The C boundary of the Parquet reader: options, stdin spooling (Parquet's footer is at the end, so a pipe
// is copied to a temporary file first), error-code mapping.
#include "parquet_plugin.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "format_support.h"  // core/
#include "ftprep/plugin.hpp"
#include "parquet_reader.h"

namespace ftprep::parquet {
namespace {

using plugin::CodeFor;

struct PluginReader {
  const ftprep_host* host = nullptr;
  ParquetReader reader;
  std::string error;

  void Warn() {
    for (const auto& w : reader.TakeWarnings()) {
      if (host && host->warn) host->warn(host->ctx, w.c_str());
    }
  }
};

Status ParseRows(std::string_view v, ReaderOptions* o) {
  if (v.empty()) return Status::Ok();
  auto bad = [&]() {
    return UsageError("option rows must be a 1-based range like 101-200, 101- or -200, not '" + std::string(v) +
                      "'");
  };
  auto num = [&](std::string_view s, uint64_t* out) {
    auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
    return r.ec == std::errc() && r.ptr == s.data() + s.size() && *out > 0;
  };
  size_t dash = v.find('-');
  if (dash == std::string_view::npos) {
    if (!num(v, &o->first_row)) return bad();
    o->last_row = o->first_row;
    return Status::Ok();
  }
  std::string_view a = v.substr(0, dash), b = v.substr(dash + 1);
  if (a.empty() && b.empty()) return bad();
  if (!a.empty() && !num(a, &o->first_row)) return bad();
  if (!b.empty() && !num(b, &o->last_row)) return bad();
  if (o->first_row > o->last_row) return bad();
  return Status::Ok();
}

Status ParseOptions(ftprep_options opts, ReaderOptions* o) {
  std::string_view cols = plugin::Option(opts, "columns");
  while (!cols.empty()) {
    size_t comma = cols.find(',');
    std::string_view c = cols.substr(0, comma);
    if (c.empty()) return UsageError("option columns has an empty column name");
    o->columns.emplace_back(c);
    if (comma == std::string_view::npos) break;
    cols.remove_prefix(comma + 1);
    if (cols.empty()) return UsageError("option columns ends with a comma");
  }
  FTPREP_RETURN_IF_ERROR(ParseRows(plugin::Option(opts, "rows"), o));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_record_bytes", &o->max_record_bytes));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_field_bytes", &o->max_field_bytes));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_metadata_bytes", &o->limits.max_metadata_bytes));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_page_bytes", &o->limits.max_page_bytes));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_page_values", &o->limits.max_page_values));
  FTPREP_RETURN_IF_ERROR(PositiveOption(opts, "max_row_group_bytes", &o->limits.max_row_group_bytes));
  return Status::Ok();
}

int Sniff(const char* head, size_t len, const char* name) {
  bool ext = false;
  if (name) {
    std::string n(name);
    for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ext = n.ends_with(".parquet") || n.ends_with(".parquet.encrypted");
  }
  if (len >= 4 && std::memcmp(head, "PAR1", 4) == 0) return 95;
  // An encrypted footer starts the file with PARE: claim it so the user hears that it is encrypted.
  if (len >= 4 && std::memcmp(head, "PARE", 4) == 0) return 90;
  return ext ? 60 : 0;
}

int OpenReader(const ftprep_host* host, ftprep_stream* in, ftprep_options options, void** out) {
  auto fail = [&](const Status& st) {
    if (host && host->set_error) host->set_error(host->ctx, st.message().c_str());
    return CodeFor(st);
  };
  try {
    *out = nullptr;
    ReaderOptions opt;
    Status st = ParseOptions(options, &opt);
    if (!st.ok()) return fail(st);
    auto r = std::make_unique<PluginReader>();
    r->host = host;
    std::string path;
    int spool_fd = -1;
    if (in->path != nullptr) {
      path = in->path;
    } else {
      st = SpoolToTempFile(in, "parquet", UINT64_MAX, "", &spool_fd, &path);
      if (!st.ok()) return fail(st);
    }
    st = r->reader.Open(path, opt);
    if (spool_fd >= 0) close(spool_fd);  // the reader holds its own descriptor
    r->Warn();
    if (!st.ok()) return fail(st);
    *out = r.release();
    return FTPREP_OK;
  } catch (const std::exception& e) {
    return fail(InternalError(std::string("internal error in the parquet reader: ") + e.what()));
  } catch (...) {
    return fail(InternalError("internal error in the parquet reader"));
  }
}

int Next(void* state, ftprep_record_out* out) {
  auto* r = static_cast<PluginReader*>(state);
  try {
    *out = ftprep_record_out{};
    Row row;
    bool got = r->reader.Next(&row);
    r->Warn();
    if (!got) {
      const Status& st = r->reader.status();
      if (!st.ok()) {
        r->error = st.message();
        return CodeFor(st);
      }
      return FTPREP_END;
    }
    out->line = row.row;
    if (!row.error.empty()) {
      out->error = row.error.data();  // NUL-terminated: it views a std::string
      out->rule_id = row.rule_id;
    } else {
      out->json = row.json.data();
      out->json_len = row.json.size();
    }
    return FTPREP_OK;
  } catch (const std::exception& e) {
    r->error = std::string("internal error in the parquet reader: ") + e.what();
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    r->error = "internal error in the parquet reader";
    return FTPREP_ERR_INTERNAL;
  }
}

const char* Error(void* state) { return static_cast<PluginReader*>(state)->error.c_str(); }

void CloseReader(void* state) { delete static_cast<PluginReader*>(state); }

}  // namespace

const ftprep_plugin_v1* DescribePlugin(const ftprep_host* /*host*/) {
  static const ftprep_format_v1 format{sizeof(ftprep_format_v1), ".parquet", &Sniff, &OpenReader, &Next, &Error,
                                       &CloseReader, nullptr, nullptr, nullptr};
  static const ftprep_plugin_v1 plugin = ftprep::plugin::DescribeFormat(
      "parquet", "1.0", &format, "Apache Parquet files (.parquet): one record per row, streamed by row group");
  return &plugin;
}

}  // namespace ftprep::parquet

FTPREP_PLUGIN(ftprep::parquet::DescribePlugin)
