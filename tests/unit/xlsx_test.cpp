// Tests of the XLSX format plugin, driven through its C vtable (as the host drives it).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../../formats/xlsx/numfmt.h"
#include "../../formats/xlsx/xlsx_plugin.h"
#include "../../formats/xlsx/xlsx_reader.h"

namespace fs = std::filesystem;
using ftprep::xlsx::NumFormat;
using ftprep::xlsx::NumKind;

namespace {

struct HostCapture {
  std::string error;
  std::vector<std::string> warnings;
};

thread_local HostCapture* g_capture = nullptr;

void CaptureError(void*, const char* m) { g_capture->error = m; }
void CaptureWarn(void*, const char* m) { g_capture->warnings.push_back(m); }

struct Rec {
  uint64_t line = 0;
  std::string json, error, rule, raw, sheet;
};

struct Drained {
  int open_rc = -1;
  std::string open_error;
  std::vector<Rec> recs;
  int end_rc = -1;
  std::string end_error;
  std::vector<std::string> warnings;
};

const ftprep_format_v1* Format() {
  static ftprep_host host{FTPREP_ABI_MAJOR, FTPREP_ABI_MINOR, sizeof(ftprep_host), nullptr, &CaptureError,
                          &CaptureWarn,     nullptr};
  const ftprep_plugin_v1* p = ftprep::xlsx::DescribePlugin(&host);
  return p->format;
}

const ftprep_host* TestHost() {
  static ftprep_host host{FTPREP_ABI_MAJOR, FTPREP_ABI_MINOR, sizeof(ftprep_host), nullptr, &CaptureError,
                          &CaptureWarn,     nullptr};
  return &host;
}

struct FileCtx {
  FILE* f;
};
long long ReadFile(void* ctx, char* buf, size_t len) {
  return static_cast<long long>(std::fread(buf, 1, len, static_cast<FileCtx*>(ctx)->f));
}

// Reads every record of `path`. With `as_stdin`, the stream has no path (the plugin must spool it).
Drained Drain(const std::string& path, std::vector<std::string> kv = {}, bool as_stdin = false,
              size_t max_records = 10000000) {
  HostCapture cap;
  g_capture = &cap;
  Drained run;
  std::vector<const char*> opts;
  for (auto& s : kv) opts.push_back(s.c_str());
  opts.push_back(nullptr);
  opts.push_back(nullptr);
  FileCtx fc{std::fopen(path.c_str(), "rb")};
  ftprep_stream in{&fc, &ReadFile, path.c_str(), as_stdin ? nullptr : path.c_str(), -1};
  void* r = nullptr;
  const ftprep_format_v1* f = Format();
  run.open_rc = f->open_reader(TestHost(), &in, opts.data(), &r);
  run.open_error = cap.error;
  if (run.open_rc == FTPREP_OK) {
    for (size_t guard = 0; guard < max_records; ++guard) {
      ftprep_record_out out{};
      int rc = f->next(r, &out);
      if (rc != FTPREP_OK) {
        run.end_rc = rc;
        if (rc != FTPREP_END) run.end_error = f->error(r);
        break;
      }
      Rec rec;
      rec.line = out.line;
      if (out.json) rec.json.assign(out.json, out.json_len);
      if (out.error) rec.error = out.error;
      if (out.rule_id) rec.rule = out.rule_id;
      if (out.raw) rec.raw.assign(out.raw, out.raw_len);
      if (out.sheet) rec.sheet = out.sheet;
      run.recs.push_back(std::move(rec));
    }
    f->close_reader(r);
  }
  if (fc.f) std::fclose(fc.f);
  run.warnings = cap.warnings;
  g_capture = nullptr;
  return run;
}

std::vector<std::string> Jsons(const Drained& r) {
  std::vector<std::string> out;
  for (const auto& rec : r.recs) out.push_back(rec.json.empty() ? "ERROR[" + rec.rule + "]" : rec.json);
  return out;
}

// Builds small workbooks from XML text, so each test states exactly the markup it exercises.
class Workbook {
 public:
  Workbook() {
    parts_["[Content_Types].xml"] =
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
    parts_["_rels/.rels"] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship "
        "Id=\"rId1\" "
        "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
        "Target=\"xl/workbook.xml\"/></Relationships>";
  }
  Workbook& Sheet(const std::string& name, const std::string& sheet_data,
                  const std::string& type = "worksheet") {
    sheets_.push_back({name, sheet_data, type});
    return *this;
  }
  Workbook& SharedStrings(const std::string& xml) {
    parts_["xl/sharedStrings.xml"] =
        "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">" + xml + "</sst>";
    return *this;
  }
  // cellXfs numFmtIds in order (index = the cell's s attribute) and custom formats.
  Workbook& Styles(const std::vector<int>& xf_fmt_ids, const std::map<int, std::string>& custom = {}) {
    std::string x =
        "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><numFmts>";
    for (auto& [id, code] : custom)
      x += "<numFmt numFmtId=\"" + std::to_string(id) + "\" formatCode=\"" + code + "\"/>";
    x += "</numFmts><cellStyleXfs><xf numFmtId=\"14\"/></cellStyleXfs><cellXfs>";
    for (int id : xf_fmt_ids) x += "<xf numFmtId=\"" + std::to_string(id) + "\"/>";
    x += "</cellXfs></styleSheet>";
    parts_["xl/styles.xml"] = x;
    return *this;
  }
  Workbook& Date1904() {
    date1904_ = true;
    return *this;
  }
  Workbook& Part(const std::string& name, const std::string& content) {
    parts_[name] = content;
    return *this;
  }
  std::string Write(const std::string& file) {
    std::string wb =
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">";
    if (date1904_) wb += "<workbookPr date1904=\"1\"/>";
    wb += "<sheets>";
    std::string rels =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
    for (size_t i = 0; i < sheets_.size(); ++i) {
      std::string id = "rId" + std::to_string(i + 1);
      std::string name;
      for (char c : sheets_[i].name) name += c == '"' ? std::string("&quot;") : std::string(1, c);
      wb += "<sheet name=\"" + name + "\" sheetId=\"" + std::to_string(i + 1) + "\" r:id=\"" + id + "\"/>";
      std::string target = "worksheets/sheet" + std::to_string(i + 1) + ".xml";
      rels += "<Relationship Id=\"" + id +
              "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
              "relationships/" +
              sheets_[i].type + "\" Target=\"" + target + "\"/>";
      if (parts_.count("xl/" + target) == 0) {
        parts_["xl/" + target] =
            "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>" +
            sheets_[i].data + "</sheetData></worksheet>";
      }
    }
    rels += "</Relationships>";
    parts_["xl/workbook.xml"] = wb + "</sheets></workbook>";
    parts_["xl/_rels/workbook.xml.rels"] = rels;
    return WriteZip(file, parts_);
  }

  // A scratch folder for this process, removed at exit.
  static std::string Dir() {
    struct Scratch {
      std::string path =
          (fs::temp_directory_path() / ("ftprep_xlsx_test_" + std::to_string(getpid()))).string();
      Scratch() { fs::create_directories(path); }
      ~Scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
      }
    };
    static Scratch scratch;
    return scratch.path;
  }

  static std::string WriteZip(const std::string& file, const std::map<std::string, std::string>& parts) {
    std::string path = Dir() + "/" + file;
    fs::remove(path);
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    EXPECT_NE(z, nullptr);
    for (auto& [name, content] : parts) {
      zip_source_t* src = zip_source_buffer(z, content.data(), content.size(), 0);
      zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE);
    }
    EXPECT_EQ(zip_close(z), 0);
    return path;
  }

 private:
  struct S {
    std::string name, data, type;
  };
  std::vector<S> sheets_;
  std::map<std::string, std::string> parts_;
  bool date1904_ = false;
};

std::string Is(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
std::string Num(const std::string& ref, const std::string& v, int style = -1) {
  return "<c r=\"" + ref + "\"" + (style >= 0 ? " s=\"" + std::to_string(style) + "\"" : "") + "><v>" + v +
         "</v></c>";
}

// ctest passes FTPREP_SHARED; a plain run of the binary falls back to the folder beside the checkout.
std::string Shared() {
  const char* env = std::getenv("FTPREP_SHARED");
  return env && *env ? std::string(env) : std::string(FTPREP_SOURCE_DIR) + "/../shared";
}
std::string Regressions() { return std::string(FTPREP_SOURCE_DIR) + "/tests/regressions/xlsx"; }

}  // namespace

// ---- number formats ------------------------------------------------------------------------------------

TEST(XlsxNumFmt, ClassifiesBuiltins) {
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(0).kind, NumKind::kNumber);
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(14).kind, NumKind::kDate);
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(20).kind, NumKind::kTime);
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(22).kind, NumKind::kDateTime);
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(45).kind, NumKind::kTime);
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(46).kind, NumKind::kElapsed);
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(47).frac_digits, 1);
  EXPECT_EQ(ftprep::xlsx::ClassifyBuiltinFormat(49).kind, NumKind::kNumber);  // "@" text
}

TEST(XlsxNumFmt, ClassifiesCustomCodes) {
  using ftprep::xlsx::ClassifyFormatCode;
  EXPECT_EQ(ClassifyFormatCode("yyyy-mm-dd").kind, NumKind::kDate);
  EXPECT_EQ(ClassifyFormatCode("yyyy\\-mm\\-dd").kind, NumKind::kDate);
  EXPECT_EQ(ClassifyFormatCode("dd/mm/yyyy hh:mm:ss").kind, NumKind::kDateTime);
  EXPECT_EQ(ClassifyFormatCode("h:mm AM/PM").kind, NumKind::kTime);
  EXPECT_EQ(ClassifyFormatCode("mm:ss.000").kind, NumKind::kTime);
  EXPECT_EQ(ClassifyFormatCode("mm:ss.000").frac_digits, 3);
  EXPECT_EQ(ClassifyFormatCode("[hh]:mm:ss").kind, NumKind::kElapsed);
  EXPECT_EQ(ClassifyFormatCode("mmm").kind, NumKind::kDate);
  EXPECT_EQ(ClassifyFormatCode("[$-409]mmmm d, yyyy;@").kind, NumKind::kDate);
  EXPECT_EQ(ClassifyFormatCode("General").kind, NumKind::kNumber);
  EXPECT_EQ(ClassifyFormatCode("0.00E+00").kind, NumKind::kNumber);
  EXPECT_EQ(ClassifyFormatCode("#,##0.00 \"days\"").kind, NumKind::kNumber);  // quoted text is not a date
  EXPECT_EQ(ClassifyFormatCode("[Red]#,##0;[Blue]-#,##0").kind, NumKind::kNumber);
  EXPECT_EQ(ClassifyFormatCode("0.0\\h").kind, NumKind::kNumber);  // escaped letter
}

TEST(XlsxNumFmt, NumbersAsShown) {
  auto num = [](double v) {
    std::string s;
    ftprep::xlsx::AppendNumber(v, &s);
    return s;
  };
  EXPECT_EQ(num(42), "42");
  EXPECT_EQ(num(-0.0), "0");
  EXPECT_EQ(num(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(num(69.81399999999999), "69.814");
  EXPECT_EQ(num(1e15), "1000000000000000");
  EXPECT_EQ(num(-1.5), "-1.5");
  EXPECT_EQ(num(1e300), "1e+300");
}

TEST(XlsxNumFmt, DatesAndTimes) {
  auto dt = [](double v, NumFormat f, bool d1904 = false) {
    std::string s;
    if (!ftprep::xlsx::AppendDateTime(v, f, d1904, &s)) return std::string("(number)");
    return s;
  };
  NumFormat date{NumKind::kDate, 0}, time{NumKind::kTime, 0}, both{NumKind::kDateTime, 0},
      elapsed{NumKind::kElapsed, 0}, ms{NumKind::kTime, 3};
  EXPECT_EQ(dt(44197, date), "2021-01-01");
  EXPECT_EQ(dt(1, date), "1900-01-01");
  EXPECT_EQ(dt(59, date), "1900-02-28");
  EXPECT_EQ(dt(60, date), "1900-02-29");  // Excel's phantom leap day
  EXPECT_EQ(dt(61, date), "1900-03-01");
  EXPECT_EQ(dt(0, date, true), "1904-01-01");
  EXPECT_EQ(dt(42735, date, true), "2021-01-01");
  EXPECT_EQ(dt(45399.91452546296, both), "2024-04-17T21:56:55");
  EXPECT_EQ(dt(0.5, time), "12:00:00");
  EXPECT_EQ(dt(1.75, time), "18:00:00");
  EXPECT_EQ(dt(0.99999999, time), "00:00:00");  // rounds up to the next day's midnight, as Excel shows
  EXPECT_EQ(dt(1.5, elapsed), "36:00:00");
  EXPECT_EQ(dt(1.0 / 86400 / 4, ms), "00:00:00.250");
  EXPECT_EQ(dt(-1, date), "(number)");
  EXPECT_EQ(dt(3e6, date), "(number)");
  EXPECT_EQ(dt(2958465, date), "9999-12-31");
}

TEST(XlsxHelpers, EscapesAndColumns) {
  std::string s;
  ftprep::xlsx::AppendJsonEscaped(
      "a\"b\\c\n\t\x01\x1f"
      "é",
      &s);
  EXPECT_EQ(s, "a\\\"b\\\\c\\n\\t\\u0001\\u001fé");
  std::string x = "A_x000D_B_x005F_x000D_C_xD83D__xDE42_D_xD800_E_x00zz_";
  ftprep::xlsx::DecodeXEscapes(&x);
  EXPECT_EQ(x,
            "A\rB_x000D_C\xF0\x9F\x99\x82"
            "D_xD800_E_x00zz_");
  EXPECT_EQ(ftprep::xlsx::ColumnFromRef("A1"), 1u);
  EXPECT_EQ(ftprep::xlsx::ColumnFromRef("XFD1048576"), 16384u);
  EXPECT_EQ(ftprep::xlsx::ColumnFromRef("1"), 0u);
  EXPECT_EQ(ftprep::xlsx::ColumnName(28), "AB");
}

// ---- reading ------------------------------------------------------------------------------------------

TEST(XlsxReader, CellTypesSparseRowsAndMissingRefs) {
  std::string path =
      Workbook()
          .SharedStrings(
              "<si><t>name</t></si><si><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r>"
              "<rPh><t>PHONETIC</t></rPh></si><si><t>007</t></si><si><t>value</t></si>")
          .Sheet(
              "data",
              "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>" + Is("B1", "value") + Is("C1", "flag") +
                  Is("D1", "err") + Is("E1", "formula") +
                  "</row>"
                  // shared + rich text, number, bool, error, cached formula string
                  "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\"><v>3.5</v></c><c r=\"C2\" "
                  "t=\"b\">"
                  "<v>1</v></c><c r=\"D2\" t=\"e\"><v>#N/A</v></c><c r=\"E2\" t=\"str\"><f>A1&amp;\"x\"</f>"
                  "<v>namex</v></c></row>"
                  // sparse: B and D missing; numeric formula with cached value
                  "<row r=\"4\"><c r=\"A4\" t=\"s\"><v>2</v></c><c r=\"C4\" t=\"b\"><v>0</v></c><c r=\"E4\">"
                  "<f>1+1</f><v>2</v></c></row>"
                  // no r attributes anywhere: row 5, cells A.. in order
                  "<row><c t=\"inlineStr\"><is><t>x</t></is></c><c><v>1E-3</v></c></row>"
                  // a formula never computed, an empty cell element, empty <v>
                  "<row r=\"9\"><c r=\"A9\"><f>NOW()</f></c><c r=\"B9\" s=\"0\"/><c r=\"C9\"><v></v></c>"
                  "<c r=\"D9\" t=\"inlineStr\"><is><t>  spaced  </t></is></c></row>")
          .Write("types.xlsx");
  Drained r = Drain(path);
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  EXPECT_EQ(r.end_rc, FTPREP_END) << r.end_error;
  ASSERT_EQ(r.recs.size(), 4u);
  EXPECT_EQ(r.recs[0].json,
            R"({"name":"rich text","value":"3.5","flag":"TRUE","err":"#N/A","formula":"namex"})");
  EXPECT_EQ(r.recs[0].line, 2u);
  EXPECT_EQ(r.recs[0].sheet, "data");
  EXPECT_EQ(r.recs[1].json, R"({"name":"007","value":"","flag":"FALSE","err":"","formula":"2"})");
  EXPECT_EQ(r.recs[1].line, 4u);
  EXPECT_EQ(r.recs[2].json, R"({"name":"x","value":"0.001","flag":"","err":"","formula":""})");
  EXPECT_EQ(r.recs[2].line, 5u);
  EXPECT_EQ(r.recs[3].json, R"({"name":"","value":"","flag":"","err":"  spaced  ","formula":""})");
  EXPECT_EQ(r.recs[3].line, 9u);
}

TEST(XlsxReader, DatesFromStyles) {
  std::string path =
      Workbook()
          .Styles({0, 14, 22, 21, 46, 164, 165, 47}, {{164, "yyyy-mm-dd hh:mm:ss"}, {165, "0.00"}})
          .Sheet("s", "<row r=\"1\">" + Is("A1", "v") + "</row>" + "<row r=\"2\">" + Num("A2", "44197", 1) +
                          "</row>" + "<row r=\"3\">" + Num("A3", "44197.75", 2) + "</row>" + "<row r=\"4\">" +
                          Num("A4", "0.25", 3) + "</row>" + "<row r=\"5\">" + Num("A5", "1.25", 4) +
                          "</row>" + "<row r=\"6\">" + Num("A6", "44197.5000001", 5) + "</row>" +
                          "<row r=\"7\">" + Num("A7", "44197", 6) + "</row>" + "<row r=\"8\">" +
                          Num("A8", "44197", 0) + "</row>" + "<row r=\"9\">" + Num("A9", "44197", 99) +
                          "</row>" + "<row r=\"10\">" + Num("A10", "-5", 1) + "</row>" + "<row r=\"11\">" +
                          Num("A11", "0.0000011574", 7) + "</row>" +
                          "<row r=\"12\"><c r=\"A12\" s=\"1\" t=\"d\"><v>2021-01-01T10:00:00</v></c>"
                          "</row>")
          .Write("dates.xlsx");
  Drained r = Drain(path);
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"v":"2021-01-01"})", R"({"v":"2021-01-01T18:00:00"})",
                                                R"({"v":"06:00:00"})", R"({"v":"30:00:00"})",
                                                R"({"v":"2021-01-01T12:00:00"})", R"({"v":"44197"})",
                                                R"({"v":"44197"})", R"({"v":"44197"})", R"({"v":"-5"})",
                                                R"({"v":"00:00:00.1"})", R"({"v":"2021-01-01T10:00:00"})"}));
}

TEST(XlsxReader, Date1904System) {
  std::string path = Workbook()
                         .Date1904()
                         .Styles({0, 14})
                         .Sheet("s", "<row r=\"1\">" + Is("A1", "d") + "</row><row r=\"2\">" +
                                         Num("A2", "42735", 1) + "</row>")
                         .Write("d1904.xlsx");
  Drained r = Drain(path);
  ASSERT_EQ(r.recs.size(), 1u);
  EXPECT_EQ(r.recs[0].json, R"({"d":"2021-01-01"})");
}

TEST(XlsxReader, HeaderProblemsAreErrorsNotRenames) {
  std::string dup = Workbook()
                        .Sheet("s", "<row r=\"1\">" + Is("A1", "a") + Is("B1", "b") + Is("C1", "a") +
                                        "</row><row r=\"2\">" + Is("A2", "1") + "</row>")
                        .Write("dup.xlsx");
  Drained r = Drain(dup);
  EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("column C repeats the name 'a' of column A"), std::string::npos)
      << r.open_error;
  EXPECT_NE(r.open_error.find("--no-header"), std::string::npos);

  std::string gap =
      Workbook().Sheet("s", "<row r=\"3\">" + Is("B3", "a") + Is("D3", "c") + "</row>").Write("gap.xlsx");
  r = Drain(gap);
  EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("column C has no name (cell C3 is empty)"), std::string::npos) << r.open_error;

  // header=0 reads the same sheet as col1..col4 (col1 = column A).
  r = Drain(gap, {"header", "0"});
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"col1":"","col2":"a","col3":"","col4":"c"})"}));
}

TEST(XlsxReader, HeaderZeroUsesWidestRow) {
  std::string path =
      Workbook()
          .Sheet("s", "<row r=\"1\">" + Is("A1", "x") + "</row><row r=\"2\">" + Is("C2", "z") + "</row>")
          .Write("noheader.xlsx");
  Drained r = Drain(path, {"header", "0"});
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"col1":"x","col2":"","col3":""})",
                                                R"({"col1":"","col2":"","col3":"z"})"}));
}

TEST(XlsxReader, TableInTheMiddleAndCellsOutsideTheHeader) {
  std::string path =
      Workbook()
          .Sheet("s", "<row r=\"2\">" + Is("B2", "q") + Is("C2", "a") + "</row>" + "<row r=\"3\">" +
                          Is("B3", "1") + Is("C3", "2") + "</row>" + "<row r=\"4\">" + Is("B4", "3") +
                          Is("E4", "stray") + "</row>" + "<row r=\"5\"><c r=\"B5\" s=\"0\"/></row>")
          .Write("middle.xlsx");
  Drained r = Drain(path);
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  ASSERT_EQ(r.recs.size(), 2u);
  EXPECT_EQ(r.recs[0].json, R"({"q":"1","a":"2"})");
  EXPECT_EQ(r.recs[1].rule, "xlsx.cell_outside_header");
  EXPECT_EQ(r.recs[1].line, 4u);
  EXPECT_NE(r.recs[1].error.find("cell E4"), std::string::npos) << r.recs[1].error;
  EXPECT_EQ(r.recs[1].raw, R"({"B4":"3","E4":"stray"})");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("skipped 1 row"), std::string::npos);
}

TEST(XlsxReader, SheetSelectionAndListing) {
  std::string path =
      Workbook()
          .Sheet("Chart", "", "chartsheet")
          .Sheet("first", "<row r=\"1\">" + Is("A1", "k") + "</row><row r=\"2\">" + Is("A2", "1") + "</row>")
          .Sheet("Second \"one\"",
                 "<row r=\"1\">" + Is("A1", "k") + "</row><row r=\"2\">" + Is("A2", "2") + "</row>")
          .Write("sheets.xlsx");
  Drained r = Drain(path);
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"k":"1"})"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("reading sheet 'first'"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[0].find("'Chart'"), std::string::npos);

  r = Drain(path, {"sheet", "Second \"one\""});
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"k":"2"})"}));
  EXPECT_TRUE(r.warnings.empty());
  r = Drain(path, {"sheet", "3"});
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"k":"2"})"}));
  r = Drain(path, {"sheet", "FIRST"});
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"k":"1"})"}));
  r = Drain(path, {"sheet", "nope"});
  EXPECT_EQ(r.open_rc, FTPREP_ERR_USAGE);
  EXPECT_NE(r.open_error.find("no sheet 'nope'"), std::string::npos) << r.open_error;
  r = Drain(path, {"sheet", "1"});
  EXPECT_EQ(r.open_rc, FTPREP_ERR_USAGE);
  EXPECT_NE(r.open_error.find("not a worksheet"), std::string::npos) << r.open_error;

  r = Drain(path, {"list_sheets", "1"});
  EXPECT_EQ(Jsons(r),
            (std::vector<std::string>{R"({"sheet":"Chart","index":"1"})", R"({"sheet":"first","index":"2"})",
                                      R"({"sheet":"Second \"one\"","index":"3"})"}));
}

TEST(XlsxReader, ClosingEarlyStopsTheParser) {
  std::string rows = "<row r=\"1\">" + Is("A1", "k") + "</row>";
  for (int i = 2; i < 5000; ++i)
    rows += "<row r=\"" + std::to_string(i) + "\">" + Num("A" + std::to_string(i), "1") + "</row>";
  std::string path = Workbook().Sheet("s", rows).Write("many.xlsx");
  for (size_t n : {0, 1, 300, 2000}) {
    Drained r = Drain(path, {}, false, n);
    EXPECT_EQ(r.recs.size(), n);
  }
  EXPECT_EQ(Drain(path).recs.size(), 4998u);
}

TEST(XlsxReader, StdinIsSpooled) {
  std::string path =
      Workbook()
          .Sheet("s", "<row r=\"1\">" + Is("A1", "k") + "</row><row r=\"2\">" + Is("A2", "v") + "</row>")
          .Write("stdin.xlsx");
  Drained r = Drain(path, {}, /*as_stdin=*/true);
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"k":"v"})"}));
}

TEST(XlsxReader, EscapesAndNamespacePrefixes) {
  std::string path =
      Workbook()
          .Part("xl/worksheets/sheet1.xml",
                "<x:worksheet "
                "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>"
                "<x:row r=\"1\"><x:c r=\"A1\" "
                "t=\"inlineStr\"><x:is><x:t>k&amp;&lt;&#9;</x:t></x:is></x:c></x:row>"
                "<x:row r=\"2\"><x:c r=\"A2\" "
                "t=\"inlineStr\"><x:is><x:t><![CDATA[a\"b]]>_x000D_&#10;\\</x:t></x:is>"
                "</x:c></x:row></x:sheetData></x:worksheet>")
          .Sheet("s", "")
          .Write("ns.xlsx");
  Drained r = Drain(path);
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  EXPECT_EQ(Jsons(r), (std::vector<std::string>{R"({"k&<\t":"a\"b\r\n\\"})"}));
}

TEST(XlsxReader, RowErrorsKeepTheStreamGoing) {
  std::string big(3000, 'x');
  std::string path = Workbook()
                         .Sheet("s", "<row r=\"1\">" + Is("A1", "k") + "</row><row r=\"2\">" + Is("A2", big) +
                                         "</row><row r=\"3\">" + Is("A3", "ok") + "</row>")
                         .Write("bigcell.xlsx");
  Drained r = Drain(path, {"max_field_bytes", "1000"});
  ASSERT_EQ(r.recs.size(), 2u);
  EXPECT_EQ(r.recs[0].rule, "xlsx.field_too_large");
  EXPECT_NE(r.recs[0].error.find("max_field_bytes"), std::string::npos);
  EXPECT_NE(r.recs[0].error.find("--max-field-bytes"), std::string::npos);
  EXPECT_EQ(r.recs[1].json, R"({"k":"ok"})");
  r = Drain(path, {"max_record_bytes", "100"});
  EXPECT_EQ(r.recs[0].rule, "xlsx.record_too_large");
  EXPECT_EQ(r.recs[1].json, R"({"k":"ok"})");
}

TEST(XlsxReader, BadOptionsAreUsageErrors) {
  std::string path = Workbook().Sheet("s", "").Write("opts.xlsx");
  EXPECT_EQ(Drain(path, {"max_ratio", "0.5"}).open_rc, FTPREP_ERR_USAGE);
  EXPECT_EQ(Drain(path, {"max_field_bytes", "lots"}).open_rc, FTPREP_ERR_USAGE);
  Drained r = Drain(path);
  EXPECT_EQ(r.open_rc, FTPREP_OK);
  EXPECT_TRUE(r.recs.empty());  // an empty sheet: no header, no records
  EXPECT_EQ(r.end_rc, FTPREP_END);
}

TEST(XlsxReader, Sniff) {
  const ftprep_format_v1* f = Format();
  std::string zip_xl = std::string("PK\x03\x04", 4) + "....xl/workbook.xml";
  EXPECT_GE(f->sniff(zip_xl.data(), zip_xl.size(), "data"), 90);
  std::string zip = std::string("PK\x03\x04", 4) + "....[Content_Types].xml";
  EXPECT_GE(f->sniff(zip.data(), zip.size(), "a.XLSX"), 50);
  std::string docx = std::string("PK\x03\x04", 4) + "....word/document.xml";
  EXPECT_LT(f->sniff(docx.data(), docx.size(), "a.docx"), 10);
  EXPECT_EQ(f->sniff("{\"a\":1}", 7, "a.jsonl"), 0);
  EXPECT_STREQ(f->extensions, ".xlsx,.xlsm");
}

// ---- hostile inputs -------------------------------------------------------------------------------------

TEST(XlsxHostile, DoctypeIsRefused) {
  for (const char* name : {"xxe.xlsx", "billion_laughs.xlsx"}) {
    Drained r = Drain(Regressions() + "/" + name);
    EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA) << name;
    EXPECT_NE(r.open_error.find("DTD"), std::string::npos) << r.open_error;
    EXPECT_NE(r.open_error.find("xl/worksheets/sheet1.xml:1:"), std::string::npos) << r.open_error;
  }
  // Also in the small parts (workbook.xml) read before any sheet.
  std::string path =
      Workbook()
          .Sheet("s", "")
          .Part("xl/styles.xml", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><styleSheet/>")
          .Write("xxe_styles.xlsx");
  Drained r = Drain(path);
  EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("xl/styles.xml"), std::string::npos) << r.open_error;
}

TEST(XlsxHostile, ZipBombLimits) {
  Drained r = Drain(Regressions() + "/zip_bomb.xlsx");
  EXPECT_TRUE(r.open_rc == FTPREP_ERR_LIMIT || r.end_rc == FTPREP_ERR_LIMIT);
  std::string msg = r.open_error + r.end_error;
  EXPECT_NE(msg.find("max_ratio"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--format-opt max_ratio="), std::string::npos) << msg;

  r = Drain(Regressions() + "/zip_bomb.xlsx", {"max_ratio", "100000", "max_uncompressed_bytes", "4000000"});
  msg = r.open_error + r.end_error;
  EXPECT_NE(msg.find("max_uncompressed_bytes"), std::string::npos) << msg;
  EXPECT_NE(msg.find("--format-opt max_uncompressed_bytes="), std::string::npos) << msg;

  r = Drain(Regressions() + "/zip_bomb.xlsx", {"max_ratio", "100000"});
  EXPECT_EQ(r.end_rc, FTPREP_END) << r.end_error;
  EXPECT_GT(r.recs.size(), 100000u);
}

TEST(XlsxHostile, WideRowsAndDanglingStrings) {
  Drained r = Drain(Regressions() + "/wide_row.xlsx");
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  ASSERT_EQ(r.recs.size(), 1u);
  EXPECT_EQ(r.recs[0].rule, "xlsx.too_many_columns");
  EXPECT_NE(r.recs[0].error.find("--format-opt max_columns="), std::string::npos);
  r = Drain(Regressions() + "/wide_row.xlsx", {"header", "0"});
  EXPECT_EQ(r.open_rc, FTPREP_ERR_LIMIT);
  EXPECT_NE(r.open_error.find("max_columns"), std::string::npos) << r.open_error;

  r = Drain(Regressions() + "/bad_shared_string.xlsx");
  ASSERT_EQ(r.recs.size(), 2u);
  EXPECT_EQ(r.recs[0].rule, "xlsx.bad_shared_string");
  EXPECT_EQ(r.recs[0].line, 2u);
  EXPECT_EQ(r.recs[1].json, R"({"prompt":"only","completion":"only"})");
  EXPECT_EQ(r.recs[1].line, 3u);
}

// Seeded mutations of a valid sheet (bytes changed, cut, duplicated): the reader must end cleanly, never
// crash or hang, and whatever it emits must be a record or an error.
TEST(XlsxHostile, MutatedSheetsNeverCrash) {
  const std::string sst = "<si><t>a_x000D_</t></si><si><r><t>b</t></r><rPh><t>c</t></rPh></si>";
  const std::string base =
      "<row r=\"1\">" + Is("A1", "k") + Is("B1", "v") + "<c r=\"C1\" t=\"s\"><v>0</v></c></row>" +
      "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v></c><c r=\"B2\" s=\"1\"><v>44197.5</v></c>"
      "<c r=\"C2\" t=\"b\"><v>1</v></c></row><row><c t=\"e\"><v>#N/A</v></c><c><v>1e400</v></c>"
      "<c r=\"C3\" t=\"str\"><v>x_x0041_</v></c></row>";
  const std::string alphabet = "<>/\"&;=_x0123456789AZrcvtis \n";
  uint64_t seed = 12345;
  auto rnd = [&seed](uint64_t n) {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (seed >> 33) % n;
  };
  for (int iter = 0; iter < 200; ++iter) {
    std::string m = base;
    const int edits = 1 + static_cast<int>(rnd(4));
    for (int e = 0; e < edits && !m.empty(); ++e) {
      const size_t at = rnd(m.size());
      switch (rnd(4)) {
        case 0:
          m[at] = alphabet[rnd(alphabet.size())];
          break;
        case 1:
          m.erase(at, 1 + rnd(8));
          break;
        case 2:
          m.insert(at, m.substr(rnd(m.size()), rnd(16)));
          break;
        default:
          m.resize(at);
          break;
      }
    }
    std::string path = Workbook().SharedStrings(sst).Styles({0, 22}).Sheet("s", m).Write("mutant.xlsx");
    for (const auto& opts : {std::vector<std::string>{}, std::vector<std::string>{"header", "0"}}) {
      Drained r = Drain(path, opts);
      if (r.open_rc != FTPREP_OK) {
        EXPECT_FALSE(r.open_error.empty()) << m;
        continue;
      }
      EXPECT_TRUE(r.end_rc == FTPREP_END || !r.end_error.empty()) << m;
      for (const auto& rec : r.recs) EXPECT_TRUE(!rec.json.empty() || !rec.error.empty()) << m;
    }
  }
}

TEST(XlsxHostile, NotAWorkbook) {
  Drained r = Drain(Regressions() + "/truncated.xlsx");
  EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("zip"), std::string::npos) << r.open_error;
  std::string empty = Workbook::Dir() + "/empty.xlsx";
  std::ofstream(empty).close();
  r = Drain(empty);
  EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("empty"), std::string::npos) << r.open_error;
  std::string docx = Workbook::WriteZip("doc.xlsx", {{"word/document.xml", "<w/>"}});
  r = Drain(docx);
  EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("no workbook part"), std::string::npos) << r.open_error;
  std::string broken = Workbook().Sheet("s", "<row r=\"1\"><c r=\"A1\"><v>1</v></row>").Write("broken.xlsx");
  r = Drain(broken);
  EXPECT_EQ(r.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(r.open_error.find("xl/worksheets/sheet1.xml:1:"), std::string::npos) << r.open_error;
  EXPECT_NE(r.open_error.find("malformed XML"), std::string::npos) << r.open_error;
}

TEST(XlsxOpenpyxl, OrdinaryWorkbook) {
  Drained r = Drain(Regressions() + "/openpyxl_basic.xlsx");
  ASSERT_EQ(r.open_rc, FTPREP_OK) << r.open_error;
  EXPECT_EQ(
      Jsons(r),
      (std::vector<std::string>{
          R"({"id":"007","prompt":"Say \"hi\"","completion":"hi,\nthere","score":"0.5","when":"2024-02-29T13:45:10","ok":"TRUE"})",
          R"({"id":"008","prompt":"café 東京 🙂","completion":"","score":"3","when":"1999-12-31","ok":"FALSE"})",
          R"({"id":"009","prompt":"#N/A","completion":"two","score":"-1.25e-07","when":"07:05:00","ok":""})"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].find("'notes'"), std::string::npos);
}

// ---- peers' quirky workbooks and real files
// -----------------------------------------------------------------

TEST(XlsxCalamine, EveryWorkbookReadsOrFailsCleanly) {
  const std::string dir = Shared() + "/suites/calamine-xlsx";
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir << " (shared suites not present)";
  int files = 0, ok = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".xlsx") continue;
    ++files;
    for (const auto& opts : {std::vector<std::string>{"header", "0"}, std::vector<std::string>{}}) {
      Drained r = Drain(e.path().string(), opts);
      if (r.open_rc == FTPREP_OK) {
        EXPECT_TRUE(r.end_rc == FTPREP_END || !r.end_error.empty()) << e.path();
        for (const auto& rec : r.recs) EXPECT_TRUE(!rec.json.empty() || !rec.error.empty()) << e.path();
        if (opts.size() == 2 && r.end_rc == FTPREP_END) ++ok;
      } else {
        EXPECT_FALSE(r.open_error.empty()) << e.path();
      }
    }
    // Every sheet of the workbook, by index.
    Drained list = Drain(e.path().string(), {"list_sheets", "1"});
    for (size_t i = 1; i <= list.recs.size(); ++i) {
      Drained r = Drain(e.path().string(), {"header", "0", "sheet", std::to_string(i)});
      EXPECT_TRUE(r.open_rc == FTPREP_OK || !r.open_error.empty()) << e.path() << " sheet " << i;
    }
  }
  EXPECT_EQ(files, 65);
  EXPECT_GE(ok, 62);  // all but the encrypted one, the bad-CRC one and (at most) one more
}

TEST(XlsxCalamine, KnownContents) {
  const std::string dir = Shared() + "/suites/calamine-xlsx/";
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir << " (shared suites not present)";
  auto rows = [&](const char* file, std::vector<std::string> opts = {"header", "0"}) {
    return Jsons(Drain(dir + file, opts));
  };
  // _x000D_ escapes (shared and inline strings) become carriage returns.
  EXPECT_EQ(rows("has_x000D_.xlsx"), (std::vector<std::string>{R"({"col1":"ABC\r\nDEF"})"}));
  EXPECT_EQ(rows("has_x000D_inline.xlsx"), (std::vector<std::string>{R"({"col1":"ABC\r\nDEF"})"}));
  // Dates in both systems and an elapsed-time format.
  auto d =
      std::vector<std::string>{R"({"col1":"2021-01-01","col2":"15"})", R"({"col1":"2021-01-02","col2":"16"})",
                               R"({"col1":"255:10:10","col2":"17"})"};
  EXPECT_EQ(rows("date.xlsx"), d);
  EXPECT_EQ(rows("date_1904.xlsx"), d);
  EXPECT_EQ(rows("date_iso.xlsx")[1], R"({"col1":"2021-01-01T10:10:10"})");
  EXPECT_EQ(rows("date_quoted_format.xlsx")[0], R"({"col1":"2021-01-01"})");
  // Phonetic runs are not text; rich text runs are joined; CDATA is text.
  EXPECT_EQ(rows("rph.xlsx"), (std::vector<std::string>{R"({"col1":"課きく　毛こ"})"}));
  EXPECT_EQ(rows("inlineStr_cdata.xlsx")[0], R"({"col1":"Hello CDATA","col2":"World"})");
  EXPECT_EQ(rows("encoded_entities.xlsx"), (std::vector<std::string>{R"({"col1":"&"})", R"({"col1":"\n"})"}));
  EXPECT_EQ(rows("nonstandard-xml-ns-prefix.xlsx")[0], R"({"col1":"a","col2":"b"})");
  // Error cells keep their text.
  auto errors = rows("errors.xlsx");
  ASSERT_EQ(errors.size(), 7u);
  EXPECT_EQ(errors[0], R"({"col1":"#DIV/0!"})");
  EXPECT_EQ(errors[6], R"({"col1":"#N/A"})");
  // Case-insensitive part names (xl/SharedStrings.xml), backslash paths, a package without xl/.
  EXPECT_EQ(rows("issue_419.xlsx"), (std::vector<std::string>{R"({"col1":"Hello"})"}));
  EXPECT_FALSE(rows("issue_530.xlsx").empty());
  EXPECT_FALSE(rows("minimal_package.xlsx").empty());
  EXPECT_FALSE(rows("strict_iso_paths.xlsx").empty());
  // Empty shared strings and empty sheets.
  EXPECT_EQ(rows("empty_shared_string_value.xlsx")[1], R"({"col1":"Alice","col2":"","col3":"Active"})");
  EXPECT_TRUE(rows("empty_sheet.xlsx").empty());
  // A header on row 1 of a normal table.
  EXPECT_EQ(rows("temperature.xlsx", {}),
            (std::vector<std::string>{R"({"label":"celsius","value":"22.2222"})",
                                      R"({"label":"fahrenheit","value":"72"})"}));
  // The password-protected file is an OLE container; the bad-CRC file is named as corrupt.
  Drained enc = Drain(dir + "pass_protected.xlsx");
  EXPECT_EQ(enc.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(enc.open_error.find("password"), std::string::npos) << enc.open_error;
  Drained crc = Drain(dir + "issue252.xlsx");
  EXPECT_EQ(crc.open_rc, FTPREP_ERR_DATA);
  EXPECT_NE(crc.open_error.find("CRC"), std::string::npos) << crc.open_error;
}

TEST(XlsxRealData, BothFilesConvert) {
  const std::string dir = Shared() + "/realdata/xlsx";
  if (!fs::exists(dir)) GTEST_SKIP() << "no " << dir << " (shared realdata not present)";
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".xlsx") continue;
    ++files;
    Drained r = Drain(e.path().string());
    ASSERT_EQ(r.open_rc, FTPREP_OK) << e.path() << ": " << r.open_error;
    EXPECT_EQ(r.end_rc, FTPREP_END) << r.end_error;
    EXPECT_GT(r.recs.size(), 10u) << e.path();
    for (const auto& rec : r.recs)
      EXPECT_FALSE(rec.json.empty()) << e.path() << ":" << rec.line << " " << rec.error;
  }
  EXPECT_EQ(files, 2);
}

// Everything a drain saw, as one string (for comparing two runs).
std::string Dump(const Drained& r) {
  std::string s = std::to_string(r.open_rc) + "|" + r.open_error + "\n";
  for (const auto& rec : r.recs) {
    s += std::to_string(rec.line) + "|" + rec.json + "|" + rec.error + "|" + rec.rule + "|" + rec.raw + "|" +
         rec.sheet + "\n";
  }
  s += std::to_string(r.end_rc) + "|" + r.end_error + "\n";
  for (const auto& w : r.warnings) s += "warning|" + w + "\n";
  return s;
}

// Drains `path` twice, with the XML scanner and with expat alone; both must give the same records.
void ExpectScannerLikeExpat(const std::string& path, std::vector<std::string> kv = {}) {
  Drained scanned = Drain(path, kv);
  ftprep::xlsx::XmlStream::SetScannerEnabled(false);
  Drained expat = Drain(path, kv);
  ftprep::xlsx::XmlStream::SetScannerEnabled(true);
  EXPECT_TRUE(Dump(scanned) == Dump(expat)) << path << "\nscanner:\n"
                                            << Dump(scanned).substr(0, 2000) << "\nexpat:\n"
                                            << Dump(expat).substr(0, 2000);
}

TEST(XlsxScanner, SameRecordsAsExpatOnEveryWorkbookWeHave) {
  std::vector<std::string> files;
  for (const char* dir : {"/suites/calamine-xlsx", "/realdata/xlsx"}) {
    if (!fs::exists(Shared() + dir)) continue;
    for (const auto& e : fs::directory_iterator(Shared() + dir)) {
      if (e.path().extension() == ".xlsx" || e.path().extension() == ".xlsm") files.push_back(e.path());
    }
  }
  const fs::path regressions = fs::path(FTPREP_SOURCE_DIR) / "tests" / "regressions" / "xlsx";
  for (const auto& e : fs::directory_iterator(regressions)) {
    if (e.path().extension() == ".xlsx") files.push_back(e.path());
  }
  if (files.size() < 60) std::printf("note: ../shared is absent; comparing the repository's workbooks only\n");
  ASSERT_GT(files.size(), 5u);
  for (const auto& f : files) {
    ExpectScannerLikeExpat(f);
    ExpectScannerLikeExpat(f, {"header", "0"});
  }
}

// The scanner gives up in the middle of a long sheet (a character reference with 40 leading zeros is
// legal XML, but longer than the scanner looks) after hundreds of rows were handed over: expat reads the
// sheet again, and every row still comes exactly once, in order. The same in the shared-string table.
TEST(XlsxScanner, FallbackInTheMiddleHandsEachRowOverOnce) {
  const std::string odd = "&#" + std::string(40, '0') + "65;";
  std::string rows = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>k</t></is></c></row>";
  std::string sst = "<si><t>first</t></si>";
  for (int i = 2; i <= 3000; ++i) {
    const std::string ref = "A" + std::to_string(i);
    const std::string text = "v" + std::to_string(i) + (i == 2500 || i == 2501 ? odd : "");
    rows += "<row r=\"" + std::to_string(i) + "\">" +
            (i % 2 ? "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>"
                   : "<c r=\"" + ref + "\" t=\"s\"><v>" + std::to_string(i / 2) + "</v></c>") +
            "</row>";
    if (i % 2 == 0) sst += "<si><t>" + text + "</t></si>";
  }
  const std::string path = Workbook().Sheet("S", rows).SharedStrings(sst).Write("fallback.xlsx");
  Drained r = Drain(path);
  ASSERT_EQ(r.recs.size(), 2999u);
  EXPECT_EQ(r.recs[2498].json, R"({"k":"v2500A"})");
  EXPECT_EQ(r.recs[2499].json, R"({"k":"v2501A"})");
  for (size_t i = 0; i < r.recs.size(); ++i) ASSERT_EQ(r.recs[i].line, i + 2);
  ExpectScannerLikeExpat(path);
  ExpectScannerLikeExpat(path, {"header", "0"});
}

// Markup the scanner handles itself, through the whole reader: prefixes, entities, CDATA, comments, line
// ends, rich text and phonetic runs, single quotes.
TEST(XlsxScanner, WorkbookMarkupThroughTheWholeReader) {
  const std::string sst =
      "<si><t>name</t></si><si><r><rPr><b/></rPr><t xml:space='preserve'>rich </t></r><r><t>&amp; "
      "runs</t></r><rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si><si><t><![CDATA[<cdata> & ]]]]><![CDATA[>"
      "]]></t></si>";
  const std::string rows =
      "<x:row r='1'><x:c r='A1' t='s'><x:v>0</x:v></x:c></x:row><!-- a comment --><?pi x?>"
      "<x:row r=\"2\"><x:c r=\"A2\" t=\"s\"><x:v>1</x:v></x:c></x:row>"
      "<x:row r=\"3\"><x:c r=\"A3\" t=\"s\"><x:v>2</x:v></x:c></x:row>"
      "<x:row r=\"4\"><x:c r=\"A4\" t=\"inlineStr\"><x:is><x:t>a\r\nb\rc&#13;&#x1F600;_x000D_</x:t></x:is>"
      "</x:c></x:row>";
  const std::string path =
      Workbook()
          .Part("xl/worksheets/sheet1.xml",
                "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<x:worksheet "
                "xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><x:sheetData>" +
                    rows + "</x:sheetData></x:worksheet>")
          .Sheet("S", "")
          .SharedStrings(sst)
          .Write("markup.xlsx");
  EXPECT_EQ(Jsons(Drain(path)),
            (std::vector<std::string>{R"({"name":"rich & runs"})", R"({"name":"<cdata> & ]]>"})",
                                      R"({"name":"a\nb\nc\r😀\r"})"}));
  ExpectScannerLikeExpat(path);
}
