#include "format_reader.h"

#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "ftprep/json_flags.h"

namespace ftprep {
namespace {

// Filled during static initialisation (before main), read-only afterwards.
std::vector<std::pair<const ftprep_format_v1*, OpenRecordFormatFn>>& Registry() {
  static std::vector<std::pair<const ftprep_format_v1*, OpenRecordFormatFn>> r;
  return r;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the JSON string body [p, p+n) into *out. False on anything a well-formed body of a BMP character
// outside the surrogates does not hold (those go through the real parser, which knows what to do with them).
bool Unescape(const char* p, size_t n, std::string* out) {
  out->clear();
  const char* e = p + n;
  while (p < e) {
    const char* bs = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(e - p)));
    if (bs == nullptr) bs = e;
    out->append(p, static_cast<size_t>(bs - p));
    if (bs == e) break;
    if (e - bs < 2) return false;
    char c = bs[1];
    p = bs + 2;
    switch (c) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        if (e - p < 4) return false;
        unsigned cp = 0;
        for (int i = 0; i < 4; ++i) {
          int d = HexDigit(p[i]);
          if (d < 0) return false;
          cp = cp << 4 | static_cast<unsigned>(d);
        }
        p += 4;
        if (cp >= 0xD800 && cp <= 0xDFFF) return false;
        if (cp < 0x80) {
          out->push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
          out->push_back(static_cast<char>(0xC0 | cp >> 6));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
          out->push_back(static_cast<char>(0xE0 | cp >> 12));
          out->push_back(static_cast<char>(0x80 | (cp >> 6 & 0x3F)));
          out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
        break;
      }
      default: return false;
    }
  }
  return true;
}

// Feeds the members of a flat-strings hint to a document as SAX events (Document::Populate), so the
// document is the one a parse would build, member capacity included.
struct FlatStrings {
  const char* text;
  const std::vector<uint32_t>& hint;
  std::string scratch;
  bool done = false;

  bool Body(rapidjson::Document& d, uint32_t at, uint32_t n, bool key) {
    const char* p = text + at;
    if (std::memchr(p, '\\', n) != nullptr) {
      if (!Unescape(p, n, &scratch)) return false;
      p = scratch.data();
      n = static_cast<uint32_t>(scratch.size());
    }
    return key ? d.Key(p, n, true) : d.String(p, n, true);
  }
  bool operator()(rapidjson::Document& d) {
    d.StartObject();
    size_t members = hint.size() / 4;
    for (size_t i = 0; i < members; ++i) {
      const uint32_t* m = hint.data() + 4 * i;
      if (!Body(d, m[0], m[1], true) || !Body(d, m[2], m[3], false)) return false;
    }
    done = d.EndObject(static_cast<rapidjson::SizeType>(members));
    return done;
  }
};

}  // namespace

void FillRecord(const ftprep_record_out& out, Record* rec) {
  if (out.error != nullptr) {
    rec->AssignError(std::string_view(out.raw ? out.raw : "", out.raw ? out.raw_len : 0), out.error,
                     out.rule_id ? out.rule_id : "format.error", out.column);
  } else {
    rec->Assign(std::string_view(out.json, out.json_len),
                out.raw ? std::string_view(out.raw, out.raw_len) : std::string_view());
  }
  rec->loc.line = out.line;
  if (out.sheet) {
    rec->loc.sheet = out.sheet;
  } else {
    rec->loc.sheet.clear();
  }
}

bool BuildFlatStrings(rapidjson::Document& doc, const char* text, size_t len, const std::vector<uint32_t>& hint) {
  FlatStrings gen{text, hint, {}};
  doc.Populate(gen);  // says nothing on failure: gen.done does
  if (gen.done) return true;
  ParseRecordJson(doc, text, len);
  return !doc.HasParseError() && doc.IsObject();
}

void RegisterRecordFormat(const ftprep_format_v1* format, OpenRecordFormatFn open) {
  Registry().emplace_back(format, open);
}

OpenRecordFormatFn FindRecordFormat(const ftprep_format_v1* format) {
  for (const auto& [f, open] : Registry()) {
    if (f == format) return open;
  }
  return nullptr;
}

}  // namespace ftprep
