// libFuzzer target: the XLSX reader (zip + XML) through the host reader; invariants of fuzz_reader.h.
// Byte 0: bit 0 picks the mode, bit 1 turns the header row off, bits 2-3 the record limit.
//   raw mode:   the rest is the .xlsx file itself (zip structure, CRCs, compression, bombs);
//   parts mode: the rest is split at "\n#PART#\n" into sheet1.xml, sharedStrings.xml, styles.xml and
//               (optional) workbook.xml, which are packed with fixed content types and relationships into a
//               stored (uncompressed) zip. This reaches the XML handling much faster than mutating zips.
#include <zip.h>

#include <string>
#include <string_view>
#include <vector>

#include "fuzz_collect.h"

namespace {

constexpr std::string_view kSep = "\n#PART#\n";

const char kContentTypes[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)"
    R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>)"
    R"(<Default Extension="xml" ContentType="application/xml"/></Types>)";
const char kRootRels[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>)"
    R"(</Relationships>)";
const char kWorkbook[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
    R"(<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>)";
const char kWorkbookRels[] =
    R"(<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";

// Packs the parts into an in-memory zip (stored, no compression); empty on a libzip failure.
std::string Pack(const std::vector<std::pair<const char*, std::string_view>>& parts) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* src = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (src == nullptr) return {};
  zip_t* za = zip_open_from_source(src, ZIP_TRUNCATE, &err);
  if (za == nullptr) {
    zip_source_free(src);
    return {};
  }
  zip_source_keep(src);
  for (const auto& [name, body] : parts) {
    zip_source_t* s = zip_source_buffer(za, body.data(), body.size(), 0);
    zip_int64_t i = s ? zip_file_add(za, name, s, ZIP_FL_OVERWRITE) : -1;
    if (i < 0) {
      if (s) zip_source_free(s);
      continue;
    }
    zip_set_file_compression(za, static_cast<zip_uint64_t>(i), ZIP_CM_STORE, 0);
  }
  std::string out;
  if (zip_close(za) != 0) {
    zip_discard(za);
  } else if (zip_source_open(src) == 0) {
    char buf[8192];
    zip_int64_t n;
    while ((n = zip_source_read(src, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
    zip_source_close(src);
  }
  zip_source_free(src);
  zip_error_fini(&err);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ftprep_fuzz::Quiet();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const uint64_t kLimits[] = {64, 1000, 1 << 20, 1 << 20};
  const uint8_t a = data[0];
  std::vector<std::pair<std::string, std::string>> opts;
  if (a & 2) opts.emplace_back("header", "0");
  uint64_t limit = kLimits[(a >> 2) & 3];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if ((a & 1) == 0) {
    ftprep_fuzz::ReadAll("xlsx", data + 1, size - 1, opts, limit);
    return 0;
  }
  std::vector<std::string_view> p;
  for (;;) {
    size_t k = rest.find(kSep);
    if (k == std::string_view::npos || p.size() == 3) {
      p.push_back(rest);
      break;
    }
    p.push_back(rest.substr(0, k));
    rest.remove_prefix(k + kSep.size());
  }
  p.resize(4);
  std::vector<std::pair<const char*, std::string_view>> parts = {
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", kRootRels},
      {"xl/workbook.xml", p[3].empty() ? std::string_view(kWorkbook) : p[3]},
      {"xl/_rels/workbook.xml.rels", kWorkbookRels},
      {"xl/worksheets/sheet1.xml", p[0]},
  };
  if (!p[1].empty()) parts.emplace_back("xl/sharedStrings.xml", p[1]);
  if (!p[2].empty()) parts.emplace_back("xl/styles.xml", p[2]);
  std::string file = Pack(parts);
  if (file.empty()) return 0;
  ftprep_fuzz::ReadAll("xlsx", reinterpret_cast<const uint8_t*>(file.data()), file.size(), opts, limit);
  return 0;
}
