// formats/xlsx/xlsx_reader.h — streaming XLSX reader: one sheet row -> one JSON object record.
//
// XlsxReader opens a workbook (a file path; the plugin spools stdin to a temporary file first), reads the
// small parts eagerly (relationships, workbook, styles, shared strings) and then streams the chosen sheet's
// XML. Three stages overlap on separate threads: inflating (PrefetchReader), expat parsing into rows of
// cell texts (a parser thread, handing over batches of rows through a bounded queue), and building the JSON
// records (the caller's thread). Memory stays bounded by the shared-string table plus a few batches. Cell
// text follows how the cell shows: see numfmt.h. Booleans are "TRUE"/"FALSE" (what Excel shows and writes to
// CSV), error cells keep their text ("#N/A"), formula cells give their cached value.
//
// Record keys come from the header row (the first row with a value; its non-empty extent fixes the
// columns) or are col1..colN with header=0 (col1 = column A). Empty or duplicate header names are an error,
// never renamed. Rows without any value are skipped (counted; see empty_rows()). A cell with a value outside
// the header's columns, an oversized cell or a dangling shared-string index makes that row an error record.
// Not thread-safe: one caller thread per reader (the reader's own threads are internal).
#ifndef FTPREP_FORMATS_XLSX_XLSX_READER_H_
#define FTPREP_FORMATS_XLSX_XLSX_READER_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "ftprep/status.h"
#include "numfmt.h"
#include "xml_stream.h"
#include "zip_archive.h"

namespace ftprep::xlsx {

struct ReaderOptions {
  std::string sheet;         // name or 1-based index; empty = the first worksheet
  bool list_sheets = false;  // records {"sheet":NAME,"index":"N"} instead of rows
  bool header = true;        // false: keys col1..colN
  uint64_t max_field_bytes = 1 << 20;
  uint64_t max_record_bytes = uint64_t{64} << 20;
  uint64_t max_uncompressed_bytes = uint64_t{1} << 30;
  double max_ratio = 100;
  uint32_t max_columns = 16384;  // Excel's own maximum (XFD)
};

struct SheetInfo {
  std::string name;
  std::string part;  // zip part name, resolved ("xl/worksheets/sheet1.xml"); empty if the rel is missing
  bool worksheet;    // false for chart sheets, dialog sheets, macro sheets
};

// One record, valid until the next call to Next().
struct Row {
  uint64_t row = 0;        // 1-based sheet row (or sheet index for list_sheets)
  uint64_t column = 0;     // 1-based column of the problem, 0 if none
  std::string_view json;   // the record; empty if error is set
  std::string_view error;  // per-row problem, or empty
  const char* rule_id = nullptr;
  std::string_view raw;  // for error rows: the row's cells as {"A5":"..",...}
};

class XlsxReader : public RestartableHandler {
 public:
  XlsxReader();
  ~XlsxReader() override;

  // Opens the workbook at `path` and positions before the first record. Notes for the user (which sheet
  // was chosen) are appended to `warnings`.
  Status Open(const std::string& path, const ReaderOptions& options, std::vector<std::string>* warnings);
  // The next record: true and *row filled, or false at the end (then check status()).
  bool Next(Row* row);
  const Status& status() const { return status_; }
  // In-tree C++ reader (core/format_reader.h): where the members of each good row sit in its JSON text (per
  // member: key start, key length, value start, value length), so the host builds the row's document
  // without parsing it. Each good record rewrites the hint, or clears it (then it is parsed).
  void set_hint(std::vector<uint32_t>* hint) { hint_ = hint; }
  const std::string& sheet_name() const { return sheet_name_; }
  const std::vector<SheetInfo>& sheets() const { return sheets_; }
  uint64_t empty_rows() const { return empty_rows_; }

  // XmlHandler (the sheet stream).
  void Start(const char* name, const char** atts) override;
  void End(const char* name) override;
  void Text(const char* s, int len) override;
  void Restart() override;

 private:
  struct Cell;
  // One sheet row as the parser hands it over: its cells with values (in file order until sorted).
  struct RowData {
    uint64_t row = 0;
    std::vector<Cell> cells;  // the first n are this row's; the rest are kept for reuse
    size_t n = 0;
    size_t bytes = 0;
    bool sorted = true;
    const char* rule = nullptr;  // first per-row problem
    uint32_t err_col = 0;
    std::string err;
  };
  struct Batch {
    std::vector<RowData> rows;  // the first n are filled
    size_t n = 0;
    size_t bytes = 0;
  };
  static constexpr size_t kBatchRows = 256;
  static constexpr size_t kBatchBytes = 1 << 20;
  static constexpr size_t kQueueDepth = 4;

  struct Cell {
    uint32_t col = 0;
    bool shared = false;  // the text is sst_arena_[off, off+len) rather than buf
    uint64_t off = 0;
    uint64_t len = 0;
    std::string buf;  // the shown text when it is not a shared string
  };
  enum class CellType : uint8_t { kNumber, kShared, kInline, kFormulaStr, kBool, kError, kDate };

  Status LoadWorkbook(std::vector<std::string>* warnings);
  Status LoadStyles(const std::string& part);
  Status LoadSharedStrings(const std::string& part);
  Status OpenSheet();
  Status ReadHeader();
  Status Prescan(uint32_t* width);
  // Parser thread: runs expat over the sheet; handlers fill prow_ and EmitRow() hands rows over.
  void ParseSheet();
  void EmitRow();
  bool PushBatch();  // false if the reader is closing
  void FinishCell();
  // Caller thread: the next row with a value, or nullptr at the end / on error (then status_).
  RowData* NextRowData();
  void SortCells(RowData* r);
  bool BuildRecord(RowData* r, Row* out);
  void BuildRaw(const RowData& r);
  static void RowError(RowData* row, const char* rule, uint32_t col, std::string message);
  static std::string CellRef(uint32_t col, uint64_t row);
  std::string_view TextOf(const Cell& c) const;

  ReaderOptions opt_;
  Status status_;
  ZipArchive zip_;
  std::vector<SheetInfo> sheets_;
  std::string sheet_name_;
  std::string sheet_part_;
  bool date1904_ = false;
  std::vector<NumFormat> xf_formats_;

  // Shared strings: one arena, offsets[i]..offsets[i+1]. Strings over max_field_bytes are kept empty and
  // listed in oversized_ so a cell using one becomes a row error.
  std::string sst_arena_;
  std::vector<uint64_t> sst_offsets_;
  std::vector<uint32_t> sst_oversized_;

  // Sheet stream (xml_ and its reader belong to the parser thread once it runs).
  std::unique_ptr<XmlStream> xml_;
  std::thread parser_;
  // Parser-thread state.
  bool in_sheet_data_ = false;
  uint32_t last_col_ = 0;
  RowData prow_;
  Batch fill_;
  uint64_t parsed_empty_rows_ = 0;
  uint64_t handed_ = 0;  // rows with a value handed over so far
  uint64_t replay_ = 0;  // after a Restart(): rows expat delivers again, to drop
  // Current cell.
  bool in_cell_ = false;
  CellType type_ = CellType::kNumber;
  uint32_t style_ = 0;
  uint32_t col_ = 0;
  bool has_is_ = false;
  int is_depth_ = 0;    // >0 inside <is>
  int skip_depth_ = 0;  // >0 inside <rPh> (phonetic runs are not cell text)
  std::string* capture_ = nullptr;
  std::string v_text_;
  std::string is_text_;
  bool field_too_big_ = false;

  // Hand-over between the threads (guarded by mu_).
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch> full_;
  std::vector<Batch> spare_;
  bool stop_ = false;
  bool parse_done_ = false;
  Status parse_status_;

  // Caller-thread state.
  Batch cur_;
  size_t cur_idx_ = 0;
  // Output.
  uint32_t first_col_ = 1;
  std::vector<std::string> keys_;  // pre-escaped "\"name\":"
  std::string out_;
  std::string raw_;
  std::vector<uint32_t>* hint_ = nullptr;
  bool list_done_ = false;
  size_t list_pos_ = 0;
  uint64_t empty_rows_ = 0;
  bool ended_ = false;
};

// JSON-escapes `s` (without quotes) onto `out`.
void AppendJsonEscaped(std::string_view s, std::string* out);
// Decodes OOXML's _xHHHH_ escapes ("_x000D_" -> CR) in place. Escapes that would give a lone surrogate
// are left as they are.
void DecodeXEscapes(std::string* s);
// "AB12" -> 28 (1-based column), 0 if `ref` does not start with a column.
uint32_t ColumnFromRef(const char* ref);
std::string ColumnName(uint32_t col);

}  // namespace ftprep::xlsx

#endif  // FTPREP_FORMATS_XLSX_XLSX_READER_H_
