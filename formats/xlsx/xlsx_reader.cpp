#include "xlsx_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "ftprep/utf8_append.h"

namespace ftprep::xlsx {
namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool ParseUint(std::string_view s, uint64_t* v) {
  if (s.empty()) return false;
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

std::string Quote(std::string_view s) { return "'" + std::string(s) + "'"; }

// Directory of a part ("xl/workbook.xml" -> "xl/").
std::string DirOf(std::string_view part) {
  size_t slash = part.rfind('/');
  return slash == std::string_view::npos ? std::string() : std::string(part.substr(0, slash + 1));
}

// Resolves a relationship target against the directory of its source part, folding "." and "..".
std::string ResolveTarget(std::string_view base_dir, std::string_view target) {
  std::string t(target);
  std::replace(t.begin(), t.end(), '\\', '/');
  std::string joined = (!t.empty() && t[0] == '/') ? t.substr(1) : std::string(base_dir) + t;
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= joined.size()) {
    size_t next = joined.find('/', pos);
    if (next == std::string::npos) next = joined.size();
    std::string seg = joined.substr(pos, next - pos);
    if (seg == "..") {
      if (!parts.empty()) parts.pop_back();
    } else if (!seg.empty() && seg != ".") {
      parts.push_back(seg);
    }
    pos = next + 1;
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out.push_back('/');
    out += parts[i];
  }
  return out;
}

struct Relationship {
  std::string type;
  std::string target;  // resolved part name
};

class RelsHandler : public XmlHandler {
 public:
  explicit RelsHandler(std::string base_dir) : base_dir_(std::move(base_dir)) {}
  void Start(const char* name, const char** atts) override {
    if (std::strcmp(name, "Relationship") != 0) return;
    const char* id = FindAttr(atts, "Id");
    const char* type = FindAttr(atts, "Type");
    const char* target = FindAttr(atts, "Target");
    const char* mode = FindAttr(atts, "TargetMode");
    if (!id || !type || !target || (mode && std::strcmp(mode, "External") == 0)) return;
    rels.emplace(id, Relationship{type, ResolveTarget(base_dir_, target)});
  }
  void End(const char*) override {}
  void Text(const char*, int) override {}
  std::unordered_map<std::string, Relationship> rels;

 private:
  std::string base_dir_;
};

class WorkbookHandler : public XmlHandler {
 public:
  struct Sheet {
    std::string name;
    std::string rel_id;
  };
  void Start(const char* name, const char** atts) override {
    if (std::strcmp(name, "sheet") == 0) {
      Sheet s;
      if (const char* n = FindAttr(atts, "name")) s.name = n;
      // r:id, whatever the prefix of the relationships namespace is.
      for (int i = 0; atts[i]; i += 2) {
        if (std::strchr(atts[i], ':') && std::strcmp(LocalName(atts[i]), "id") == 0) s.rel_id = atts[i + 1];
      }
      sheets.push_back(std::move(s));
    } else if (std::strcmp(name, "workbookPr") == 0) {
      const char* v = FindAttr(atts, "date1904");
      date1904 = v && (std::strcmp(v, "1") == 0 || std::strcmp(v, "true") == 0);
    }
  }
  void End(const char*) override {}
  void Text(const char*, int) override {}
  std::vector<Sheet> sheets;
  bool date1904 = false;
};

class StylesHandler : public XmlHandler {
 public:
  void Start(const char* name, const char** atts) override {
    if (std::strcmp(name, "numFmt") == 0) {
      const char* id = FindAttr(atts, "numFmtId");
      const char* code = FindAttr(atts, "formatCode");
      uint64_t v;
      if (id && code && ParseUint(id, &v)) custom[static_cast<int>(v)] = ClassifyFormatCode(code);
    } else if (std::strcmp(name, "cellXfs") == 0) {
      in_cell_xfs_ = true;
    } else if (in_cell_xfs_ && std::strcmp(name, "xf") == 0) {
      const char* id = FindAttr(atts, "numFmtId");
      uint64_t v = 0;
      xf_ids.push_back(id && ParseUint(id, &v) && v < 1000000 ? static_cast<int>(v) : 0);
    }
  }
  void End(const char* name) override {
    if (std::strcmp(name, "cellXfs") == 0) in_cell_xfs_ = false;
  }
  void Text(const char*, int) override {}
  std::unordered_map<int, NumFormat> custom;
  std::vector<int> xf_ids;

 private:
  bool in_cell_xfs_ = false;
};

class SharedStringsHandler : public RestartableHandler {
 public:
  SharedStringsHandler(std::string* arena, std::vector<uint64_t>* offsets, std::vector<uint32_t>* oversized,
                       uint64_t max_field)
      : arena_(arena), offsets_(offsets), oversized_(oversized), max_field_(max_field) {}
  void Restart() override {  // nothing was handed on: the table starts again
    arena_->clear();
    offsets_->assign(1, 0);
    oversized_->clear();
    cur_.clear();
    in_si_ = capture_ = too_big_ = false;
    skip_ = 0;
  }
  void Start(const char* name, const char** /*atts*/) override {
    if (skip_) {
      ++skip_;
      return;
    }
    if (std::strcmp(name, "si") == 0) {
      in_si_ = true;
      too_big_ = false;
      cur_.clear();
    } else if (in_si_ && std::strcmp(name, "t") == 0) {
      capture_ = true;
    } else if (in_si_ && std::strcmp(name, "rPh") == 0) {
      skip_ = 1;
    }
  }
  void End(const char* name) override {
    if (skip_) {
      --skip_;
      return;
    }
    if (std::strcmp(name, "t") == 0) {
      capture_ = false;
    } else if (std::strcmp(name, "si") == 0) {
      in_si_ = false;
      const uint32_t index = static_cast<uint32_t>(offsets_->size() - 1);
      if (too_big_) {
        oversized_->push_back(index);
      } else {
        DecodeXEscapes(&cur_);
        arena_->append(cur_);
      }
      offsets_->push_back(arena_->size());
    }
  }
  void Text(const char* s, int len) override {
    if (!capture_ || too_big_) return;
    if (cur_.size() + static_cast<size_t>(len) > max_field_) {
      too_big_ = true;
      return;
    }
    cur_.append(s, static_cast<size_t>(len));
  }

 private:
  std::string* arena_;
  std::vector<uint64_t>* offsets_;
  std::vector<uint32_t>* oversized_;
  uint64_t max_field_;
  std::string cur_;
  bool in_si_ = false;
  bool capture_ = false;
  bool too_big_ = false;
  int skip_ = 0;
};

// Finds the widest column holding a value, for header=0 (keys col1..colN must be the same on every row).
class PrescanHandler : public RestartableHandler {
 public:
  explicit PrescanHandler(uint32_t max_columns) : max_columns_(max_columns) {}
  void Restart() override { *this = PrescanHandler(max_columns_); }
  void Start(const char* name, const char** atts) override {
    if (name[0] == 'c' && name[1] == 0) {
      const char* r = FindAttr(atts, "r");
      uint32_t c = r ? ColumnFromRef(r) : 0;
      col_ = c ? c : col_ + 1;
    } else if (std::strcmp(name, "row") == 0) {
      col_ = 0;
      const char* r = FindAttr(atts, "r");
      uint64_t v;
      row_ = r && ParseUint(r, &v) ? v : row_ + 1;
    } else if ((name[0] == 'v' && name[1] == 0) || std::strcmp(name, "is") == 0) {
      if (col_ > width && col_ <= max_columns_) width = col_;
      if (col_ > max_columns_ && !over) {
        over = true;
        over_col = col_;
        over_row = row_;
      }
    }
  }
  void End(const char*) override {}
  void Text(const char*, int) override {}
  uint32_t width = 0;
  bool over = false;
  uint32_t over_col = 0;
  uint64_t over_row = 0;

 private:
  uint32_t max_columns_;
  uint32_t col_ = 0;
  uint64_t row_ = 0;
};

// Bytes that JSON strings cannot hold as they are.
struct EscapeTable {
  bool needs[256] = {};
  constexpr EscapeTable() {
    for (int i = 0; i < 0x20; ++i) needs[i] = true;
    needs[static_cast<unsigned char>('"')] = true;
    needs[static_cast<unsigned char>('\\')] = true;
  }
};
constexpr EscapeTable kEscape;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Parses "_xHHHH_" at s[i]; returns the code unit or -1.
int XEscapeAt(const std::string& s, size_t i) {
  if (i + 7 > s.size() || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
  int v = 0;
  for (size_t k = i + 2; k < i + 6; ++k) {
    int h = HexValue(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

}  // namespace

void AppendJsonEscaped(std::string_view s, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    const char* run = p;
    while (p < end && !kEscape.needs[static_cast<unsigned char>(*p)]) ++p;
    out->append(run, static_cast<size_t>(p - run));
    if (p == end) break;
    const unsigned char c = static_cast<unsigned char>(*p++);
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default: {
        const char esc[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out->append(esc, 6);
      }
    }
  }
}

void DecodeXEscapes(std::string* s) {
  size_t i = s->find("_x");
  if (i == std::string::npos) return;
  std::string out(*s, 0, i);
  while (i < s->size()) {
    int u = (*s)[i] == '_' ? XEscapeAt(*s, i) : -1;
    if (u < 0) {
      out.push_back((*s)[i++]);
      continue;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      int lo = XEscapeAt(*s, i + 7);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        AppendUtf8(
            0x10000 + ((static_cast<uint32_t>(u) - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00),
            &out);
        i += 14;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) {  // a lone surrogate has no UTF-8 form: keep the escape text
      out.append(*s, i, 7);
    } else {
      AppendUtf8(static_cast<uint32_t>(u), &out);
    }
    i += 7;
  }
  s->swap(out);
}

uint32_t ColumnFromRef(const char* ref) {
  uint64_t col = 0;
  const char* p = ref;
  for (; *p; ++p) {
    char c = *p;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c < 'A' || c > 'Z') break;
    col = col * 26 + static_cast<uint64_t>(c - 'A' + 1);
    if (col > 0x7FFFFFFF) col = 0x7FFFFFFF;  // saturate: far beyond any limit anyway
  }
  return static_cast<uint32_t>(col);
}

std::string ColumnName(uint32_t col) {
  std::string s;
  while (col > 0) {
    --col;
    s.insert(s.begin(), static_cast<char>('A' + col % 26));
    col /= 26;
  }
  return s;
}

XlsxReader::XlsxReader() = default;

XlsxReader::~XlsxReader() {
  if (parser_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    parser_.join();
  }
}

std::string_view XlsxReader::TextOf(const Cell& c) const {
  return c.shared ? std::string_view(sst_arena_).substr(c.off, c.len) : std::string_view(c.buf);
}

std::string XlsxReader::CellRef(uint32_t col, uint64_t row) { return ColumnName(col) + std::to_string(row); }

Status XlsxReader::Open(const std::string& path, const ReaderOptions& options,
                        std::vector<std::string>* warnings) {
  opt_ = options;
  FTPREP_RETURN_IF_ERROR(zip_.Open(path, ZipLimits{opt_.max_uncompressed_bytes, opt_.max_ratio}));
  FTPREP_RETURN_IF_ERROR(LoadWorkbook(warnings));
  if (opt_.list_sheets) return Status::Ok();
  return OpenSheet();
}

static Status ParsePart(ZipArchive* zip, const std::string& part, XmlHandler* handler) {
  int64_t index = zip->Find(part);
  if (index < 0) return NotFoundError("the workbook has no part " + part);
  auto entry = zip->OpenEntry(index, part);
  if (!entry.ok()) return entry.status();
  XmlStream xml(handler, std::move(*entry), part);
  return xml.ParseAll();
}

// Opens part `index` again from its start, optionally behind a PrefetchReader (for XmlStream's fallback).
static XmlStream::Reopen Reopener(ZipArchive* zip, int64_t index, std::string part, bool prefetch) {
  return [=]() -> Result<std::unique_ptr<ByteReader>> {
    auto entry = zip->OpenEntry(index, part);
    if (!entry.ok()) return entry.status();
    if (prefetch) return std::unique_ptr<ByteReader>(std::make_unique<PrefetchReader>(std::move(*entry)));
    return std::unique_ptr<ByteReader>(std::move(*entry));
  };
}

// A large part (shared strings, a sheet's pre-scan): the scanner first, expat behind it.
static Status ScanPart(ZipArchive* zip, const std::string& part, RestartableHandler* handler) {
  int64_t index = zip->Find(part);
  if (index < 0) return NotFoundError("the workbook has no part " + part);
  auto entry = zip->OpenEntry(index, part);
  if (!entry.ok()) return entry.status();
  XmlStream xml(handler, std::move(*entry), part, Reopener(zip, index, part, false));
  return xml.ParseAll();
}

Status XlsxReader::LoadWorkbook(std::vector<std::string>* warnings) {
  // The package relationships name the workbook part; xl/workbook.xml is only the usual place.
  std::string wb_part = "xl/workbook.xml";
  if (zip_.Has("_rels/.rels")) {
    RelsHandler root("");
    FTPREP_RETURN_IF_ERROR(ParsePart(&zip_, "_rels/.rels", &root));
    for (const auto& [id, rel] : root.rels) {
      if (EndsWith(rel.type, "/officeDocument") && zip_.Has(rel.target)) wb_part = rel.target;
    }
  }
  if (!zip_.Has(wb_part)) {
    return DataError("not an XLSX workbook: the zip archive has no workbook part (xl/workbook.xml)");
  }
  WorkbookHandler wb;
  FTPREP_RETURN_IF_ERROR(ParsePart(&zip_, wb_part, &wb));
  date1904_ = wb.date1904;

  const std::string dir = DirOf(wb_part);
  const std::string rels_part = dir + "_rels/" + wb_part.substr(dir.size()) + ".rels";
  RelsHandler rels(dir);
  if (zip_.Has(rels_part)) FTPREP_RETURN_IF_ERROR(ParsePart(&zip_, rels_part, &rels));

  std::string styles_part = dir + "styles.xml";
  std::string sst_part = dir + "sharedStrings.xml";
  for (const auto& [id, rel] : rels.rels) {
    if (EndsWith(rel.type, "/styles")) styles_part = rel.target;
    if (EndsWith(rel.type, "/sharedStrings")) sst_part = rel.target;
  }
  for (auto& s : wb.sheets) {
    SheetInfo info{s.name, "", false};
    auto it = rels.rels.find(s.rel_id);
    if (it != rels.rels.end()) {
      info.part = it->second.target;
      info.worksheet = EndsWith(it->second.type, "/worksheet");
    }
    sheets_.push_back(std::move(info));
  }
  if (opt_.list_sheets) return Status::Ok();

  // Choose the sheet.
  size_t chosen = sheets_.size();
  if (opt_.sheet.empty()) {
    for (size_t i = 0; i < sheets_.size(); ++i) {
      if (sheets_[i].worksheet) {
        chosen = i;
        break;
      }
    }
    if (chosen == sheets_.size())
      return DataError("the workbook has no worksheet (only chart or other sheets)");
    if (sheets_.size() > 1) {
      std::string others;
      for (size_t i = 0; i < sheets_.size(); ++i) {
        if (i == chosen) continue;
        if (!others.empty()) others += ", ";
        others += Quote(sheets_[i].name);
      }
      warnings->push_back("reading sheet " + Quote(sheets_[chosen].name) + "; other sheets ignored: " +
                          others + " (choose with --sheet NAME|N, list with --list-sheets)");
    }
  } else {
    for (size_t i = 0; i < sheets_.size() && chosen == sheets_.size(); ++i) {
      if (sheets_[i].name == opt_.sheet) chosen = i;
    }
    for (size_t i = 0; i < sheets_.size() && chosen == sheets_.size(); ++i) {
      // Excel sheet names are unique without regard to case.
      if (std::equal(sheets_[i].name.begin(), sheets_[i].name.end(), opt_.sheet.begin(), opt_.sheet.end(),
                     [](char a, char b) {
                       return std::tolower(static_cast<unsigned char>(a)) ==
                              std::tolower(static_cast<unsigned char>(b));
                     })) {
        chosen = i;
      }
    }
    uint64_t n = 0;
    if (chosen == sheets_.size() && ParseUint(opt_.sheet, &n) && n >= 1 && n <= sheets_.size())
      chosen = n - 1;
    if (chosen == sheets_.size()) {
      std::string names;
      for (size_t i = 0; i < sheets_.size(); ++i) {
        names += (i ? ", " : "") + std::to_string(i + 1) + " " + Quote(sheets_[i].name);
      }
      return NotFoundError("no sheet " + Quote(opt_.sheet) + " in the workbook; its sheets are: " + names);
    }
  }
  const SheetInfo& sheet = sheets_[chosen];
  if (!sheet.worksheet) {
    return UsageError("sheet " + Quote(sheet.name) +
                      " is not a worksheet (a chart or dialog sheet holds no cells)");
  }
  if (sheet.part.empty() || !zip_.Has(sheet.part)) {
    return DataError("sheet " + Quote(sheet.name) + " points to part " +
                     (sheet.part.empty() ? std::string("(none)") : sheet.part) +
                     ", which the workbook does not contain");
  }
  sheet_name_ = sheet.name;
  sheet_part_ = sheet.part;

  if (zip_.Has(styles_part)) FTPREP_RETURN_IF_ERROR(LoadStyles(styles_part));
  if (zip_.Has(sst_part)) FTPREP_RETURN_IF_ERROR(LoadSharedStrings(sst_part));
  return Status::Ok();
}

Status XlsxReader::LoadStyles(const std::string& part) {
  StylesHandler st;
  FTPREP_RETURN_IF_ERROR(ParsePart(&zip_, part, &st));
  xf_formats_.reserve(st.xf_ids.size());
  for (int id : st.xf_ids) {
    auto it = st.custom.find(id);
    xf_formats_.push_back(it != st.custom.end() ? it->second : ClassifyBuiltinFormat(id));
  }
  return Status::Ok();
}

Status XlsxReader::LoadSharedStrings(const std::string& part) {
  sst_offsets_.assign(1, 0);
  // The text is smaller than its XML. Reserving the declared size up front avoids the doubling copies of a
  // growing string (a transient 2-3x peak); pages never written are never resident. Capped by the limit.
  uint64_t declared = zip_.DeclaredSize(zip_.Find(part));
  if (declared > 0 && declared <= opt_.max_uncompressed_bytes) sst_arena_.reserve(declared);
  SharedStringsHandler h(&sst_arena_, &sst_offsets_, &sst_oversized_, opt_.max_field_bytes);
  FTPREP_RETURN_IF_ERROR(ScanPart(&zip_, part, &h));
  std::sort(sst_oversized_.begin(), sst_oversized_.end());
  return Status::Ok();
}

Status XlsxReader::Prescan(uint32_t* width) {
  PrescanHandler h(opt_.max_columns);
  FTPREP_RETURN_IF_ERROR(ScanPart(&zip_, sheet_part_, &h));
  if (h.over) {
    return LimitError("cell " + ColumnName(h.over_col) + std::to_string(h.over_row) + " is in column " +
                      std::to_string(h.over_col) + ", beyond the limit max_columns=" +
                      std::to_string(opt_.max_columns) + "; raise it with --format-opt max_columns=N");
  }
  *width = h.width;
  return Status::Ok();
}

Status XlsxReader::OpenSheet() {
  uint32_t width = 0;
  if (!opt_.header) FTPREP_RETURN_IF_ERROR(Prescan(&width));
  const int64_t index = zip_.Find(sheet_part_);
  auto entry = zip_.OpenEntry(index, sheet_part_);
  if (!entry.ok()) return entry.status();
  xml_ = std::make_unique<XmlStream>(this, std::make_unique<PrefetchReader>(std::move(*entry)), sheet_part_,
                                     Reopener(&zip_, index, sheet_part_, true));
  parser_ = std::thread([this] { ParseSheet(); });
  if (opt_.header) return ReadHeader();
  first_col_ = 1;
  keys_.clear();
  for (uint32_t i = 1; i <= width; ++i) keys_.push_back("\"col" + std::to_string(i) + "\":");
  return Status::Ok();
}

Status XlsxReader::ReadHeader() {
  RowData* h = NextRowData();
  if (h == nullptr) {
    ended_ = true;
    return status_;  // an empty sheet: no header, no records
  }
  SortCells(h);
  const uint64_t hrow = h->row;
  if (h->rule != nullptr) return DataError("header row " + std::to_string(hrow) + ": " + h->err);
  const std::vector<Cell>& cells = h->cells;
  const size_t n_cells = h->n;
  first_col_ = cells[0].col;
  const uint32_t last = cells[n_cells - 1].col;
  std::vector<std::string> names(last - first_col_ + 1);
  std::vector<bool> set(names.size());
  std::string problems;
  int n_problems = 0;
  auto problem = [&](std::string p) {
    if (++n_problems <= 5) problems += (problems.empty() ? "" : "; ") + p;
  };
  for (size_t i = 0; i < n_cells; ++i) {
    const uint32_t k = cells[i].col - first_col_;
    if (set[k]) problem("cell " + CellRef(cells[i].col, hrow) + " appears twice");
    set[k] = true;
    names[k] = std::string(TextOf(cells[i]));
  }
  std::unordered_map<std::string, uint32_t> seen;
  for (uint32_t k = 0; k < names.size(); ++k) {
    const std::string ref = CellRef(first_col_ + k, hrow);
    if (names[k].empty()) {
      problem("column " + ColumnName(first_col_ + k) + " has no name (cell " + ref + " is empty)");
      continue;
    }
    auto [it, fresh] = seen.emplace(names[k], first_col_ + k);
    if (!fresh) {
      problem("column " + ColumnName(first_col_ + k) + " repeats the name " + Quote(names[k]) +
              " of column " + ColumnName(it->second));
    }
  }
  if (n_problems > 0) {
    if (n_problems > 5) problems += "; and " + std::to_string(n_problems - 5) + " more";
    return DataError("header row " + std::to_string(hrow) + " of sheet " + Quote(sheet_name_) + ": " +
                     problems +
                     "; header names must be non-empty and unique (fix the header, or read "
                     "without one: --no-header gives col1..colN)");
  }
  keys_.clear();
  for (const auto& n : names) {
    std::string k = "\"";
    AppendJsonEscaped(n, &k);
    k += "\":";
    keys_.push_back(std::move(k));
  }
  return Status::Ok();
}

void XlsxReader::RowError(RowData* row, const char* rule, uint32_t col, std::string message) {
  if (row->rule != nullptr) return;
  row->rule = rule;
  row->err_col = col;
  row->err = std::move(message);
}

void XlsxReader::Start(const char* name, const char** atts) {
  if (skip_depth_ > 0) {
    ++skip_depth_;
    return;
  }
  if (!in_sheet_data_) {
    if (std::strcmp(name, "sheetData") == 0) in_sheet_data_ = true;
    return;
  }
  switch (name[0]) {
    case 'c':
      if (name[1] == 0) {
        in_cell_ = true;
        type_ = CellType::kNumber;
        style_ = 0;
        has_is_ = false;
        is_depth_ = 0;
        field_too_big_ = false;
        v_text_.clear();
        is_text_.clear();
        uint32_t col = 0;
        for (int i = 0; atts[i]; i += 2) {
          const char* an = atts[i];
          const char* av = atts[i + 1];
          if (an[1] != 0) an = LocalName(an);
          if (an[0] == 0 || an[1] != 0) continue;
          if (an[0] == 'r') {
            col = ColumnFromRef(av);
          } else if (an[0] == 't') {
            switch (av[0]) {
              case 's':
                type_ = av[1] == 0 ? CellType::kShared : CellType::kFormulaStr;
                break;  // "s" / "str"
              case 'i':
                type_ = CellType::kInline;
                break;
              case 'b':
                type_ = CellType::kBool;
                break;
              case 'e':
                type_ = CellType::kError;
                break;
              case 'd':
                type_ = CellType::kDate;
                break;
              case 'n':
                type_ = CellType::kNumber;
                break;
              default:
                type_ = CellType::kFormulaStr;
                break;  // unknown type: keep the text as it is
            }
          } else if (an[0] == 's') {
            uint32_t s = 0;
            std::from_chars(av, av + std::strlen(av), s);
            style_ = s;
          }
        }
        col_ = col != 0 ? col : last_col_ + 1;
        last_col_ = col_;
      }
      break;
    case 'v':
      if (name[1] == 0 && in_cell_ && is_depth_ == 0) capture_ = &v_text_;
      break;
    case 't':
      if (name[1] == 0 && is_depth_ > 0) capture_ = &is_text_;
      break;
    case 'i':
      if (name[1] == 's' && name[2] == 0 && in_cell_) {
        is_depth_ = 1;
        has_is_ = true;
      }
      break;
    case 'r':
      if (name[1] == 'o' && std::strcmp(name, "row") == 0) {
        uint64_t r = 0;
        const char* rv = FindAttr(atts, "r");
        prow_.row = (rv && ParseUint(rv, &r) && r > 0) ? r : prow_.row + 1;
        prow_.n = 0;
        prow_.bytes = 0;
        prow_.sorted = true;
        prow_.rule = nullptr;
        last_col_ = 0;
      } else if (std::strcmp(name, "rPh") == 0) {
        skip_depth_ = 1;
      }
      break;
    default:
      break;
  }
}

void XlsxReader::End(const char* name) {
  if (skip_depth_ > 0) {
    --skip_depth_;
    return;
  }
  if (!in_sheet_data_) return;
  switch (name[0]) {
    case 'v':
    case 't':
      if (name[1] == 0) capture_ = nullptr;
      break;
    case 'i':
      if (name[1] == 's' && name[2] == 0) is_depth_ = 0;
      break;
    case 'c':
      if (name[1] == 0 && in_cell_) FinishCell();
      break;
    case 'r':
      if (std::strcmp(name, "row") == 0) EmitRow();
      break;
    case 's':
      if (std::strcmp(name, "sheetData") == 0) in_sheet_data_ = false;
      break;
    default:
      break;
  }
}

void XlsxReader::Restart() {
  replay_ = handed_;
  handed_ = 0;
  parsed_empty_rows_ = 0;
  in_sheet_data_ = in_cell_ = has_is_ = field_too_big_ = false;
  last_col_ = 0;
  is_depth_ = skip_depth_ = 0;
  capture_ = nullptr;
  prow_.row = 0;
  prow_.n = 0;
  prow_.bytes = 0;
  prow_.sorted = true;
  prow_.rule = nullptr;
}

void XlsxReader::Text(const char* s, int len) {
  if (capture_ == nullptr || field_too_big_) return;
  if (capture_->size() + static_cast<size_t>(len) > opt_.max_field_bytes) {
    field_too_big_ = true;
    return;
  }
  capture_->append(s, static_cast<size_t>(len));
}

void XlsxReader::FinishCell() {
  in_cell_ = false;
  capture_ = nullptr;
  if (col_ > opt_.max_columns) {
    RowError(&prow_, "xlsx.too_many_columns", col_,
             "cell " + CellRef(col_, prow_.row) + " is in column " + std::to_string(col_) +
                 ", beyond the limit max_columns=" + std::to_string(opt_.max_columns) +
                 "; raise it with --format-opt max_columns=N");
    return;
  }
  if (field_too_big_) {
    RowError(&prow_, "xlsx.field_too_large", col_,
             "cell " + CellRef(col_, prow_.row) + " holds more than " + std::to_string(opt_.max_field_bytes) +
                 " bytes (limit max_field_bytes); raise it with --max-field-bytes N");
    return;
  }
  if (prow_.n == prow_.cells.size()) prow_.cells.emplace_back();
  Cell& c = prow_.cells[prow_.n];
  c.col = col_;
  c.shared = false;
  c.buf.clear();
  switch (type_) {
    case CellType::kShared: {
      if (v_text_.empty()) break;
      uint64_t idx = 0;
      if (!ParseUint(v_text_, &idx) || sst_offsets_.empty() || idx + 1 >= sst_offsets_.size()) {
        RowError(&prow_, "xlsx.bad_shared_string", col_,
                 "cell " + CellRef(col_, prow_.row) + " refers to shared string " + Quote(v_text_) +
                     ", which the workbook (" +
                     std::to_string(sst_offsets_.empty() ? 0 : sst_offsets_.size() - 1) +
                     " strings) does not have");
        c.buf.swap(v_text_);  // kept for the rejects file: the row is an error anyway
        break;
      }
      if (std::binary_search(sst_oversized_.begin(), sst_oversized_.end(), static_cast<uint32_t>(idx))) {
        RowError(&prow_, "xlsx.field_too_large", col_,
                 "cell " + CellRef(col_, prow_.row) + " holds more than " +
                     std::to_string(opt_.max_field_bytes) +
                     " bytes (limit max_field_bytes); raise it with --max-field-bytes N");
        return;
      }
      c.shared = true;
      c.off = sst_offsets_[idx];
      c.len = sst_offsets_[idx + 1] - c.off;
      break;
    }
    case CellType::kInline:
      c.buf.swap(has_is_ ? is_text_ : v_text_);
      DecodeXEscapes(&c.buf);
      break;
    case CellType::kFormulaStr:
      c.buf.swap(v_text_);
      DecodeXEscapes(&c.buf);
      break;
    case CellType::kBool:
      if (v_text_ == "1") {
        c.buf = "TRUE";
      } else if (v_text_ == "0") {
        c.buf = "FALSE";
      } else {
        c.buf.swap(v_text_);
      }
      break;
    case CellType::kError:
    case CellType::kDate:
      c.buf.swap(v_text_);
      break;
    case CellType::kNumber: {
      if (v_text_.empty()) break;
      double v = 0;
      auto r = std::from_chars(v_text_.data(), v_text_.data() + v_text_.size(), v);
      if (r.ec != std::errc() || r.ptr != v_text_.data() + v_text_.size()) {
        c.buf.swap(v_text_);  // not a number after all: keep the text
        break;
      }
      NumFormat f = style_ < xf_formats_.size() ? xf_formats_[style_] : NumFormat{};
      if (f.kind == NumKind::kNumber || !AppendDateTime(v, f, date1904_, &c.buf)) AppendNumber(v, &c.buf);
      break;
    }
  }
  if (c.shared ? c.len == 0 : c.buf.empty()) return;  // an empty cell is the same as a missing one
  if (prow_.n > 0 && prow_.cells[prow_.n - 1].col >= col_) prow_.sorted = false;
  prow_.bytes += c.shared ? c.len : c.buf.size();
  ++prow_.n;
}

void XlsxReader::EmitRow() {
  if (prow_.n == 0 && prow_.rule == nullptr) {
    ++parsed_empty_rows_;
    return;
  }
  if (replay_ > 0) {  // expat again over a row the scanner already handed over
    --replay_;
    return;
  }
  ++handed_;
  if (fill_.n == fill_.rows.size()) fill_.rows.emplace_back();
  fill_.bytes += prow_.bytes + 16 * prow_.n;
  std::swap(fill_.rows[fill_.n++], prow_);  // prow_ gets a recycled row: no allocation in the steady state
  prow_.row = fill_.rows[fill_.n - 1].row;
  if (fill_.n >= kBatchRows || fill_.bytes >= kBatchBytes) {
    if (!PushBatch()) xml_->Fail(Status(Code::kInterrupted, "reader closed"));
  }
}

bool XlsxReader::PushBatch() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [this] { return stop_ || full_.size() < kQueueDepth; });
  if (stop_) return false;
  full_.push_back(std::move(fill_));
  if (!spare_.empty()) {
    fill_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    fill_ = Batch{};
  }
  fill_.n = 0;
  fill_.bytes = 0;
  lock.unlock();
  cv_.notify_all();
  return true;
}

void XlsxReader::ParseSheet() {
  Status st = xml_->ParseAll();
  if (fill_.n > 0) PushBatch();  // rows before an error still count
  {
    std::lock_guard<std::mutex> lock(mu_);
    parse_done_ = true;
    parse_status_ = st;
    empty_rows_ = parsed_empty_rows_;
  }
  cv_.notify_all();
}

XlsxReader::RowData* XlsxReader::NextRowData() {
  if (cur_idx_ >= cur_.n) {
    std::unique_lock<std::mutex> lock(mu_);
    if (cur_.rows.size() > 0) {
      spare_.push_back(std::move(cur_));
      cur_ = Batch{};
    }
    cur_idx_ = 0;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !full_.empty() || parse_done_; });
    if (full_.empty()) {
      status_ = parse_status_;
      return nullptr;
    }
    cur_ = std::move(full_.front());
    full_.pop_front();
    lock.unlock();
    cv_.notify_all();
  }
  return &cur_.rows[cur_idx_++];
}

void XlsxReader::SortCells(RowData* r) {
  if (r->sorted) return;
  std::stable_sort(r->cells.begin(), r->cells.begin() + static_cast<long>(r->n),
                   [](const Cell& a, const Cell& b) { return a.col < b.col; });
  r->sorted = true;
  for (size_t i = 1; i < r->n; ++i) {
    if (r->cells[i].col == r->cells[i - 1].col) {
      RowError(r, "xlsx.duplicate_cell", r->cells[i].col,
               "cell " + CellRef(r->cells[i].col, r->row) + " appears twice in the row");
    }
  }
}

void XlsxReader::BuildRaw(const RowData& r) {
  raw_.clear();
  raw_.push_back('{');
  for (size_t i = 0; i < r.n; ++i) {
    if (i) raw_.push_back(',');
    raw_.push_back('"');
    raw_ += CellRef(r.cells[i].col, r.row);
    raw_ += "\":\"";
    AppendJsonEscaped(TextOf(r.cells[i]), &raw_);
    raw_.push_back('"');
  }
  raw_.push_back('}');
}

bool XlsxReader::BuildRecord(RowData* r, Row* out) {
  SortCells(r);
  const uint32_t width = static_cast<uint32_t>(keys_.size());
  for (size_t i = 0; i < r->n && r->rule == nullptr; ++i) {
    const uint32_t col = r->cells[i].col;
    if (col < first_col_ || col >= first_col_ + width) {
      RowError(r, "xlsx.cell_outside_header", col,
               "cell " + CellRef(col, r->row) + " has a value, but column " + ColumnName(col) +
                   " has no header " +
                   (width == 0 ? std::string("(the sheet has no header)")
                               : "(the header spans columns " + ColumnName(first_col_) + ":" +
                                     ColumnName(first_col_ + width - 1) + ")"));
    }
  }
  *out = Row{};
  out->row = r->row;
  if (r->rule == nullptr) {
    out_.clear();
    out_.push_back('{');
    size_t ci = 0;
    uint32_t* hint = nullptr;
    if (hint_ != nullptr) {
      if (hint_->size() != 4 * size_t{width}) hint_->resize(4 * size_t{width});
      hint = hint_->data();
    }
    for (uint32_t k = 0; k < width; ++k) {
      if (k) out_.push_back(',');
      const std::string& key = keys_[k];  // "name":
      out_ += key;
      out_.push_back('"');
      size_t value = out_.size();
      if (ci < r->n && r->cells[ci].col == first_col_ + k) AppendJsonEscaped(TextOf(r->cells[ci++]), &out_);
      if (hint != nullptr) {
        hint[0] = static_cast<uint32_t>(value - key.size());
        hint[1] = static_cast<uint32_t>(key.size() - 3);
        hint[2] = static_cast<uint32_t>(value);
        hint[3] = static_cast<uint32_t>(out_.size() - value);
        hint += 4;
      }
      out_.push_back('"');
    }
    out_.push_back('}');
    if (hint_ != nullptr && (width == 0 || out_.size() > UINT32_MAX)) hint_->clear();
    if (out_.size() <= opt_.max_record_bytes) {
      out->json = out_;
      return true;
    }
    RowError(r, "xlsx.record_too_large", 0,
             "row " + std::to_string(r->row) + " gives a record of more than " +
                 std::to_string(opt_.max_record_bytes) +
                 " bytes (limit max_record_bytes); raise it with --max-record-bytes N");
  }
  BuildRaw(*r);
  out->column = r->err_col;
  out->error = r->err;
  out->rule_id = r->rule;
  out->raw = raw_;
  return true;
}

bool XlsxReader::Next(Row* row) {
  if (opt_.list_sheets) {
    if (list_pos_ >= sheets_.size()) return false;
    out_ = "{\"sheet\":\"";
    AppendJsonEscaped(sheets_[list_pos_].name, &out_);
    out_ += "\",\"index\":\"" + std::to_string(list_pos_ + 1) + "\"}";
    if (hint_ != nullptr) hint_->clear();  // parsed: a rare, tiny record
    *row = Row{};
    row->row = ++list_pos_;
    row->json = out_;
    return true;
  }
  if (ended_ || !status_.ok() || xml_ == nullptr) return false;
  RowData* r = NextRowData();
  if (r == nullptr) {
    ended_ = true;
    return false;
  }
  return BuildRecord(r, row);
}

}  // namespace ftprep::xlsx
