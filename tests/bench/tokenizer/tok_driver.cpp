// Benchmark/crosscheck driver for the tokenizer library alone (no record parsing), built by run.sh
// against the build tree's tokenizer objects.
//
//   tok_driver ENCODING ids|count|total|read [--mode ordinary|all|strict] [--repeat N] < texts.txt
//
// Input is the tokref harness's text format: one text per line; a line that is a JSON string literal is
// decoded (lone surrogate escapes become U+FFFD, as tiktoken's Python wrapper does); other lines are
// taken verbatim. ids: the token ids of each text, space separated, one line per text (ERR in strict mode
// when tiktoken would raise); count: one count per text; total: only the total count (for timing and
// callgrind, the whole file is read first and the texts are counted --repeat times); read: only reads and
// decodes the texts, so that `total` minus `read` under callgrind is the tokenizer's own cost.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "ftprep/tokenizer.h"

namespace {

void PutUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += char(cp);
  } else if (cp < 0x800) {
    *out += char(0xC0 | (cp >> 6));
    *out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += char(0xE0 | (cp >> 12));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  } else {
    *out += char(0xF0 | (cp >> 18));
    *out += char(0x80 | ((cp >> 12) & 0x3F));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  }
}

bool Hex4(const std::string& s, size_t i, uint32_t* v) {
  if (i + 4 > s.size()) return false;
  *v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    char c = s[k];
    uint32_t d = c >= '0' && c <= '9'   ? c - '0'
                 : c >= 'a' && c <= 'f' ? c - 'a' + 10
                 : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                        : 99;
    if (d > 15) return false;
    *v = *v * 16 + d;
  }
  return true;
}

// Decodes a JSON string literal line; false if it is not one (then the line is verbatim).
bool DecodeJsonString(const std::string& line, std::string* out) {
  if (line.size() < 2 || line.front() != '"' || line.back() != '"') return false;
  out->clear();
  for (size_t i = 1; i + 1 < line.size(); ++i) {
    char c = line[i];
    if (c == '"') return false;
    if (c != '\\') {  // copy the run up to the next escape or quote at once
      size_t j = line.find_first_of("\\\"", i);
      if (j == std::string::npos || j > line.size() - 1) j = line.size() - 1;
      out->append(line, i, j - i);
      i = j - 1;
      continue;
    }
    if (++i + 1 > line.size() - 1) return false;
    switch (line[i]) {
      case '"':
        *out += '"';
        break;
      case '\\':
        *out += '\\';
        break;
      case '/':
        *out += '/';
        break;
      case 'b':
        *out += '\b';
        break;
      case 'f':
        *out += '\f';
        break;
      case 'n':
        *out += '\n';
        break;
      case 'r':
        *out += '\r';
        break;
      case 't':
        *out += '\t';
        break;
      case 'u': {
        uint32_t v, w;
        if (!Hex4(line, i + 1, &v)) return false;
        i += 4;
        if (v >= 0xD800 && v <= 0xDBFF && i + 6 < line.size() && line[i + 1] == '\\' && line[i + 2] == 'u' &&
            Hex4(line, i + 3, &w) && w >= 0xDC00 && w <= 0xDFFF) {
          v = 0x10000 + ((v - 0xD800) << 10) + (w - 0xDC00);
          i += 6;
        } else if (v >= 0xD800 && v <= 0xDFFF) {
          v = 0xFFFD;
        }
        PutUtf8(v, out);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: tok_driver ENCODING ids|count|total|read [--mode M] [--repeat N] < texts\n");
    return 2;
  }
  auto tok = ftprep::Tokenizer::Get(argv[1]);
  if (!tok.ok()) {
    std::fprintf(stderr, "%s\n", tok.status().message().c_str());
    return 2;
  }
  const std::string what = argv[2];
  ftprep::SpecialMode mode = ftprep::SpecialMode::kOrdinary;
  int repeat = 1;
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--mode")
      mode = v == "all"      ? ftprep::SpecialMode::kAll
             : v == "strict" ? ftprep::SpecialMode::kStrict
                             : ftprep::SpecialMode::kOrdinary;
    if (a == "--repeat") repeat = std::atoi(v.c_str());
  }
  std::string all;
  char buf[1 << 16];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, stdin)) > 0;) all.append(buf, n);
  std::vector<std::string> texts;
  size_t bytes = 0;
  std::string decoded;
  for (size_t pos = 0; pos < all.size();) {
    size_t nl = all.find('\n', pos);
    if (nl == std::string::npos) nl = all.size();
    std::string line = all.substr(pos, nl - pos);
    texts.push_back(DecodeJsonString(line, &decoded) ? decoded : line);
    bytes += texts.back().size();
    pos = nl + 1;
  }
  std::string out;
  std::vector<uint32_t> ids;
  if (what == "read") {
    std::printf("%zu texts, %zu bytes\n", texts.size(), bytes);
    return 0;
  }
  if (what == "total") {
    auto t0 = std::chrono::steady_clock::now();
    size_t total = 0;
    for (int r = 0; r < repeat; ++r)
      for (const auto& t : texts) total += *(*tok)->Count(t, mode);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("%zu texts, %zu bytes, %zu tokens, %.3f s, %.2f MB/s\n", texts.size(), bytes, total / repeat,
                s, s > 0 ? double(bytes) * repeat / s / 1e6 : 0.0);
    return 0;
  }
  for (const auto& t : texts) {
    ftprep::Status st = (*tok)->Encode(t, mode, &ids);
    if (!st.ok()) {
      out += "ERR\n";
      continue;
    }
    if (what == "count") {
      out += std::to_string(ids.size());
    } else {
      for (size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ' ';
        out += std::to_string(ids[i]);
      }
    }
    out += '\n';
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
