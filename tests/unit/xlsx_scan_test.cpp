// Tests of the XLSX XML scanner (formats/xlsx/xml_scan.h) against expat, the reference: on every document
// the scanner accepts it must deliver expat's events and text, whatever the read sizes; everything else it
// must hand to expat (kUnsupported), and XmlStream's fallback must then give exactly expat's result.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "../../formats/xlsx/xml_scan.h"
#include "../../formats/xlsx/xml_stream.h"

namespace {

using ftprep::Result;
using ftprep::Status;
using ftprep::xlsx::ByteReader;
using ftprep::xlsx::RestartableHandler;
using ftprep::xlsx::XmlScanner;
using ftprep::xlsx::XmlStream;

// Serves `data` in reads of at most `step` bytes (step 1 splits every token at every byte).
class ChunkReader : public ByteReader {
 public:
  ChunkReader(std::string data, size_t step) : data_(std::move(data)), step_(step) {}
  Result<size_t> Read(char* buf, size_t len) override {
    size_t n = std::min({len, step_, data_.size() - pos_});
    std::memcpy(buf, data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string data_;
  size_t step_;
  size_t pos_ = 0;
};

// Logs events as text; consecutive Text pieces are joined (their split is not part of the contract).
class Recorder : public RestartableHandler {
 public:
  void Start(const char* name, const char** atts) override {
    log += "<";
    log += name;
    for (int i = 0; atts[i]; i += 2) log += std::string(" ") + atts[i] + "=[" + atts[i + 1] + "]";
    log += ">";
    in_text_ = false;
  }
  void End(const char* name) override {
    log += "</" + std::string(name) + ">";
    in_text_ = false;
  }
  void Text(const char* s, int len) override {
    if (!in_text_) log += "{";
    if (in_text_) log.pop_back();
    log.append(s, static_cast<size_t>(len));
    log += "}";
    in_text_ = true;
  }
  void Restart() override {
    log.clear();
    in_text_ = false;
    ++restarts;
  }
  std::string log;
  int restarts = 0;

 private:
  bool in_text_ = false;
};

struct Parsed {
  std::string log;
  std::string status;  // "" when ok
};

// Expat alone, reading as the stream would (what it delivers before an error depends on the reads).
Parsed Expat(const std::string& doc, size_t step = 1 << 16) {
  Recorder rec;
  XmlStream xml(static_cast<ftprep::xlsx::XmlHandler*>(&rec), std::make_unique<ChunkReader>(doc, step),
                "part.xml");
  Status st = xml.ParseAll();
  return {rec.log, st.ok() ? "" : st.message()};
}

// The scanner alone: its outcome, and the events if it finished.
XmlScanner::Outcome Scan(const std::string& doc, size_t step, std::string* log, std::string* reason = nullptr) {
  Recorder rec;
  ChunkReader reader(doc, step);
  Status none;
  XmlScanner scanner(&rec, &reader, &none);
  XmlScanner::Outcome out = scanner.Run();
  *log = rec.log;
  if (reason) *reason = scanner.unsupported_reason();
  return out;
}

// XmlStream as the reader uses it: scanner first, expat over the part read again if it gives up.
Parsed Stream(const std::string& doc, size_t step, std::string* fallback = nullptr) {
  Recorder rec;
  XmlStream xml(&rec, std::make_unique<ChunkReader>(doc, step), "part.xml",
                [doc, step]() -> Result<std::unique_ptr<ByteReader>> {
                  return std::unique_ptr<ByteReader>(std::make_unique<ChunkReader>(doc, step));
                });
  Status st = xml.ParseAll();
  if (fallback) *fallback = xml.fallback_reason();
  return {rec.log, st.ok() ? "" : st.message()};
}

const size_t kSteps[] = {1, 2, 3, 5, 7, 64, 1 << 16};

// The scanner handles `doc` (for every read size) and delivers exactly expat's events.
void ExpectScannedLikeExpat(const std::string& doc) {
  Parsed ref = Expat(doc);
  ASSERT_EQ(ref.status, "") << "expat refuses the test document: " << doc;
  for (size_t step : kSteps) {
    std::string log, reason;
    ASSERT_EQ(Scan(doc, step, &log, &reason), XmlScanner::Outcome::kDone)
        << "gave up (" << reason << ") at read size " << step << " on: " << doc;
    EXPECT_EQ(log, ref.log) << "read size " << step << " on: " << doc;
    std::string fallback;
    Parsed s = Stream(doc, step, &fallback);
    EXPECT_EQ(fallback, "");
    EXPECT_EQ(s.log, ref.log);
    EXPECT_EQ(s.status, "");
  }
}

// The scanner gives up on `doc`, and the stream's result is expat's, error message and events included.
void ExpectHandedToExpat(const std::string& doc) {
  for (size_t step : kSteps) {
    Parsed ref = Expat(doc, step);
    std::string log;
    EXPECT_EQ(Scan(doc, step, &log), XmlScanner::Outcome::kUnsupported) << "read size " << step << ": " << doc;
    std::string fallback;
    Parsed s = Stream(doc, step, &fallback);
    EXPECT_NE(fallback, "") << doc;
    EXPECT_EQ(s.log, ref.log) << "read size " << step << ": " << doc;
    EXPECT_EQ(s.status, ref.status) << "read size " << step << ": " << doc;
  }
}

const char kDecl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

TEST(XlsxScan, EntitiesAndCharacterReferencesAnywhereInTheReads) {
  ExpectScannedLikeExpat(std::string(kDecl) +
                         "<a x=\"&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;\">&lt;&gt;&amp;&quot;&apos; "
                         "na&#239;ve &#x6771;&#20140; &#128578; &#0065;&#x00041;&#x7f;&#128;</a>");
}

TEST(XlsxScan, LineEndsAndBlanksAsExpatNormalisesThem) {
  // Text: CR LF and lone CR become LF; &#13; stays a CR. Attributes: each blank becomes a space.
  ExpectScannedLikeExpat("<a v=\"x\ty\nz\r\nw\rq&#10;&#13;&#9;\">one\r\ntwo\rthree\r\r\nfour&#13;\n\t</a>");
  ExpectScannedLikeExpat("<a>\r</a>");
  ExpectScannedLikeExpat("<a>x\r\r</a>\r\n");
}

TEST(XlsxScan, CdataCommentsAndProcessingInstructions) {
  ExpectScannedLikeExpat(
      "\xEF\xBB\xBF<?xml version='1.0'?><!-- before --><?mso-application progid=\"Excel.Sheet\"?>"
      "<a><![CDATA[<b>&amp; ]] ] ]]]]><!-- in - side --><?pi body?><![CDATA[]]><![CDATA[x\r\ny\rz]]>"
      "t</a><!-- after --><?after?>\n");
  ExpectScannedLikeExpat("<a><!----><?p?>x</a>");
}

TEST(XlsxScan, PrefixesQuotesEmptyElementsAndBlanksInTags) {
  ExpectScannedLikeExpat(
      "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<x:sheetData><x:row r='1'><x:c r=\"A1\" t='s' s = \"3\" ><x:v>0</x:v></x:c><x:c r='B1'/>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t xml:space=\"preserve\"> a&gt;b </t></is></c></x:row >"
      "</x:sheetData></x:worksheet\n>");
  ExpectScannedLikeExpat("<a b='\"' c=\"'\" d=\">\" e=''/>");
}

TEST(XlsxScan, Utf8OfEveryLength) {
  ExpectScannedLikeExpat("<a t=\"\xC3\xA9\xE6\x9D\xB1\xF0\x9F\x99\x82\">\xC2\x80\xC3\xA9 \xE0\xA0\x80"
                         "\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBD \xF0\x90\x80\x80\xF4\x8F\xBF\xBF</a>");
}

TEST(XlsxScan, HugeCellsStreamThroughTheBuffer) {
  std::string big;
  for (int i = 0; big.size() < (3u << 20); ++i) big += "caf&#233; &lt;" + std::to_string(i) + "&gt;\r\n";
  const std::string doc = "<sst><si><t>" + big + "</t></si><si><t><![CDATA[" + big + "]]></t></si></sst>";
  Parsed ref = Expat(doc);
  ASSERT_EQ(ref.status, "");
  for (size_t step : {size_t{4093}, size_t{1} << 16}) {
    std::string log;
    ASSERT_EQ(Scan(doc, step, &log), XmlScanner::Outcome::kDone);
    EXPECT_TRUE(log == ref.log) << "read size " << step;
  }
}

TEST(XlsxScan, AnythingElseGoesToExpat) {
  const char* docs[] = {
      "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",          // a DTD: expat refuses it
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>",  // another encoding
      "<?xml version=\"1.1\"?><a/>",
      "<a>&nbsp;</a>",            // an undefined entity
      "<a>&#0;</a>",              // not an XML character
      "<a>&#xD800;</a>",          // a surrogate
      "<a>&#x110000;</a>",        // beyond Unicode
      "<a>&#X41;</a>",            // 'X' is not 'x'
      "<a>&#00000000000000000000000000000000065;</a>",  // legal, but longer than the scanner looks
      "<a b=\"1\" b=\"2\"/>",     // a repeated attribute
      "<a b=\"1\"c=\"2\"/>",      // no blank between attributes
      "<a b=\"<\"/>",             // '<' in a value
      "<a b=1/>",                 // unquoted
      "<a><b></a></b>",           // mismatched
      "<a>]]></a>",               // ']]>' in text
      "<a>\x01</a>",              // a control character
      "<a>\xC0\x80</a>",          // overlong UTF-8
      "<a>\xED\xA0\x80</a>",      // an encoded surrogate
      "<a>\xEF\xBF\xBE</a>",      // U+FFFE
      "<a>\xF5\x80\x80\x80</a>",  // beyond U+10FFFF
      "<a>\xC3</a>",              // a cut sequence
      "<\xC3\xA9/>",              // a name outside ASCII (legal XML, left to expat)
      "<a:b:c/>",                 // two colons
      "<a/><b/>",                 // a second root
      "<a/>x",                    // text after the root
      "x<a/>",                    // text before it
      "<a>",                      // unclosed
      "<a><b>",                   // unclosed, nested
      "",                         // no element
      "<a><?xml version=\"1.0\"?></a>",  // a declaration out of place
      "<a><!-- a -- b --></a>",   // '--' in a comment
      "<a><!-- a ---></a>",
      "<a><!-- \x02 --></a>",
      "<a><?pi \x02?></a>",
      "<?pi?junk?><a/>",
      "<a><![CDATA[x]]></a><![CDATA[y]]>",  // CDATA outside the root
      "<a><![CDATA[unterminated</a>",
      "<a>text",
      "<a x=\"1\"",
      "<a></a >x",
      "<a></ a>",
  };
  for (const char* doc : docs) ExpectHandedToExpat(doc);
  // Legal, but more than the scanner keeps: a 2000-byte element name, 65 attributes, 300 levels.
  const std::string name(2000, 'n');
  ExpectHandedToExpat("<" + name + "></" + name + ">");
  std::string many = "<a";
  for (int i = 0; i < 65; ++i) many += " a" + std::to_string(i) + "=\"\"";
  ExpectHandedToExpat(many + "/>");
  std::string deep;
  for (int i = 0; i < 300; ++i) deep += "<d>";
  for (int i = 0; i < 300; ++i) deep += "</d>";
  ExpectHandedToExpat(deep);
}

// The scanner gives up in the middle of a part: events it delivered are taken back (Restart), and expat's
// events and error follow as if the scanner had never run.
TEST(XlsxScan, FallbackInTheMiddleRestartsTheHandler) {
  std::string doc = "<sst>";
  for (int i = 0; i < 20000; ++i) doc += "<si><t>s" + std::to_string(i) + "</t></si>";
  doc += "<si><t>&#00000000000000000000000000000000000000065;</t></si><si><t>end</t></si></sst>";
  std::string fallback;
  Parsed s = Stream(doc, 1 << 16, &fallback);
  EXPECT_NE(fallback, "");
  Parsed ref = Expat(doc);
  EXPECT_EQ(s.status, "");
  EXPECT_TRUE(s.log == ref.log);
  // Malformed after many events: expat's message, with its line and column.
  std::string bad = doc.substr(0, doc.size() - 6) + "</bad>";
  s = Stream(bad, 1 << 16, &fallback);
  ref = Expat(bad);
  EXPECT_NE(ref.status, "");
  EXPECT_EQ(s.status, ref.status);
  EXPECT_TRUE(s.log == ref.log);
}

// Random edits of a workbook-like document: whatever the scanner accepts, expat accepts with the same
// events; and the stream's result (scanner, then expat if it gives up) is always expat's.
TEST(XlsxScan, MutatedDocumentsAgreeWithExpat) {
  const std::string seed = std::string(kDecl) +
                           "<worksheet xmlns=\"m\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t "
                           "xml:space=\"preserve\">a &amp; b&#10;</t></is></c><c r=\"B1\" s='2'><v>1.5</v></c>"
                           "<c r=\"C1\" t=\"s\"><v>0</v></c><!-- c --><c r=\"D1\" t=\"str\"><f>A1</f><v><![CDATA["
                           "x]]></v></c></row></sheetData></worksheet>";
  const char* inserts[] = {"&",      "<",    ">",      "]]>",       "\r",  "\r\n",  "\xC3",  "\xA9", "&#",
                           "&#x",    ";",    "<!--",   "-->",       "?>",  "<?",    "'",     "\"",   ":",
                           "/",      "=",    " ",      "<![CDATA[", "]",   "\x01",  "&lt;",  "x:",   "<a>",
                           "</a>",   "<a/>", "&#13;",  "\xF0\x9F",  "\t",  "\xEF\xBF\xBE", "&amp", "<!D"};
  std::mt19937 rng(12345);
  int accepted = 0, well_formed = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    std::string doc = seed;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int k = 0; k < edits; ++k) {
      const size_t at = rng() % (doc.size() + 1);
      switch (rng() % 3) {
        case 0:
          doc.insert(at, inserts[rng() % (sizeof(inserts) / sizeof(inserts[0]))]);
          break;
        case 1:
          if (at < doc.size()) doc.erase(at, 1 + rng() % 4);
          break;
        default:
          if (at < doc.size()) doc[at] = static_cast<char>(rng() % 256);
          break;
      }
    }
    const size_t step = kSteps[rng() % (sizeof(kSteps) / sizeof(kSteps[0]))];
    Parsed ref = Expat(doc, step);
    std::string log;
    if (ref.status.empty()) ++well_formed;
    if (Scan(doc, step, &log) == XmlScanner::Outcome::kDone) {
      ++accepted;
      ASSERT_EQ(ref.status, "") << "the scanner accepted what expat refuses: " << doc;
      ASSERT_EQ(log, ref.log) << doc;
    }
    Parsed s = Stream(doc, step);
    ASSERT_EQ(s.status, ref.status) << doc;
    ASSERT_EQ(s.log, ref.log) << doc;
  }
  // Some edits leave the document well-formed (about 5%): the comparison is not empty, and the scanner
  // takes nearly all of those (it leaves odd declarations and non-ASCII names to expat).
  EXPECT_GT(accepted, 100);
  EXPECT_GT(accepted * 10, well_formed * 8);
}

}  // namespace
