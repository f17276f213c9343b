// formats/dialects/llamafactory.h — what the ShareGPT and Alpaca dialects share as LLaMA-Factory defines them
// (its data/README.md, dataset_info.json and data/converter.py): JSON text held inside string fields (tools,
// function_call turns), written the way Python's json.dumps(..., ensure_ascii=False) writes it.
//
// Tool-call arguments. OpenAI keeps a call's arguments as JSON *text* ("{\"city\": \"Paris\"}"); LLaMA-Factory
// keeps them as a JSON *value* inside the function_call turn's text and renders them with json.dumps when it
// builds the prompt, so a string there would be trained as a quoted string. The ShareGPT writer therefore
// splices OpenAI's argument text into the function_call text verbatim, as a value, and the reader takes the
// verbatim text of that value back out: chat -> ShareGPT -> chat keeps every byte of the arguments, and
// ShareGPT -> chat -> ShareGPT keeps every byte of a function_call written by json.dumps. Argument text that
// is not exactly one JSON value (or is a JSON string) is written as a string and comes back unchanged too.
#ifndef FTPREP_FORMATS_DIALECTS_LLAMAFACTORY_H_
#define FTPREP_FORMATS_DIALECTS_LLAMAFACTORY_H_

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "dialect.h"

namespace ftprep::dialect::lf {

// Deepest nesting accepted in JSON text held in a string field (the readers cap records at 1000 levels; text
// inside a string escapes that cap, and copying or writing a DOM recurses).
inline constexpr int kMaxNesting = 256;

inline bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Nesting depth of JSON text ([ and { outside strings).
inline int Nesting(std::string_view t) {
  int depth = 0, deepest = 0;
  bool in_str = false;
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (in_str) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_str = false;
      }
    } else if (c == '"') {
      in_str = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// Parses JSON text held in a string field; false when it is not JSON or nests deeper than kMaxNesting.
inline bool ParseText(std::string_view text, Doc* d) {
  if (Nesting(text) > kMaxNesting) return false;
  ftprep::ParseRecordJson(*d, text.data(), text.size());
  return !d->HasParseError();
}

inline void AppendJson(const Value& v, std::string* out) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  v.Accept(w);
  out->append(sb.GetString(), sb.GetSize());
}

inline void AppendJsonString(std::string_view s, std::string* out) {
  Value v(rapidjson::StringRef(s.data(), s.size()));
  AppendJson(v, out);
}

// `v` as Python's json.dumps(v, ensure_ascii=False) lays it out: ", " between items, ": " after keys.
inline void PyDump(const Value& v, std::string* out) {
  if (v.IsObject()) {
    out->push_back('{');
    bool first = true;
    for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
      if (!first) out->append(", ");
      first = false;
      AppendJson(it->name, out);
      out->append(": ");
      PyDump(it->value, out);
    }
    out->push_back('}');
  } else if (v.IsArray()) {
    out->push_back('[');
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      if (i > 0) out->append(", ");
      PyDump(v[i], out);
    }
    out->push_back(']');
  } else {
    AppendJson(v, out);
  }
}

// True when `text` is exactly one JSON value that is not a string, with nothing around it: such text can be
// spliced into other JSON text as a value and cut out again unchanged.
inline bool IsSpliceableValue(std::string_view text) {
  if (text.empty() || IsJsonSpace(text.front()) || IsJsonSpace(text.back()) || text.front() == '"') return false;
  // RapidJSON's streams take a NUL byte for the end of the text.
  if (text.find('\0') != std::string_view::npos || Nesting(text) > kMaxNesting) return false;
  rapidjson::Reader r;
  rapidjson::MemoryStream is(text.data(), text.size());
  rapidjson::BaseReaderHandler<> h;
  return !r.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(is, h).IsError();
}

// End of the JSON value that starts at `p` in valid JSON text `t` (strings skipped with their escapes).
inline size_t SkipValue(std::string_view t, size_t p) {
  int depth = 0;
  bool in_str = false;
  for (; p < t.size(); ++p) {
    char c = t[p];
    if (in_str) {
      if (c == '\\') {
        ++p;
      } else if (c == '"') {
        in_str = false;
        if (depth == 0) return p + 1;
      }
    } else if (c == '"') {
      in_str = true;
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth <= 0) return depth == 0 ? p + 1 : p;  // -1: the end of a scalar inside a container
    } else if (depth == 0 && (c == ',' || IsJsonSpace(c))) {
      return p;
    }
  }
  return p;
}

inline size_t SkipSpace(std::string_view t, size_t p) {
  while (p < t.size() && IsJsonSpace(t[p])) ++p;
  return p;
}

// The verbatim text of the "arguments" member of the object at `p` (empty view if it has none); *end is set
// past the object.
inline std::string_view ArgumentsSpan(std::string_view t, size_t p, size_t* end) {
  std::string_view span;
  p = SkipSpace(t, p + 1);  // past '{'
  while (p < t.size() && t[p] == '"') {
    size_t key_end = SkipValue(t, p);
    std::string_view key = t.substr(p, key_end - p);
    if (key.find('\\') != std::string_view::npos) {  // an escaped key: compare what it says
      Doc k;
      k.Parse(key.data(), key.size());
      if (!k.HasParseError() && k.IsString() && std::string_view(k.GetString(), k.GetStringLength()) == "arguments") {
        key = "\"arguments\"";
      }
    }
    p = SkipSpace(t, SkipSpace(t, key_end) + 1);  // past ':'
    size_t value_end = SkipValue(t, p);
    if (key == "\"arguments\"" && span.data() == nullptr) span = t.substr(p, value_end - p);
    p = SkipSpace(t, value_end);
    if (p < t.size() && t[p] == ',') p = SkipSpace(t, p + 1);
  }
  *end = p < t.size() ? p + 1 : p;  // past '}'
  return span;
}

// The verbatim text of each call's "arguments" value in a function_call turn's text (one call object, or a
// list of them), in call order; an empty view for a call without one. `text` must be valid JSON (parse it
// first): this only finds where things are.
inline std::vector<std::string_view> ArgumentSpans(std::string_view text) {
  std::vector<std::string_view> spans;
  size_t p = SkipSpace(text, 0), end = 0;
  if (p < text.size() && text[p] == '{') {
    spans.push_back(ArgumentsSpan(text, p, &end));
  } else if (p < text.size() && text[p] == '[') {
    p = SkipSpace(text, p + 1);
    while (p < text.size() && text[p] != ']') {
      if (text[p] == '{') {
        spans.push_back(ArgumentsSpan(text, p, &end));
        p = end;
      } else {
        p = SkipValue(text, p);
      }
      p = SkipSpace(text, p);
      if (p < text.size() && text[p] == ',') p = SkipSpace(text, p + 1);
    }
  }
  return spans;
}

// ---- media ----

// LLaMA-Factory's media columns and their placeholders in the text.
struct MediaKind {
  const char* column;
  std::string_view placeholder;
};
inline constexpr MediaKind kImages{"images", "<image>"};
inline constexpr MediaKind kVideos{"videos", "<video>"};
inline constexpr MediaKind kAudios{"audios", "<audio>"};

inline size_t CountPlaceholders(const Value& msgs, std::string_view ph) {
  size_t n = 0;
  for (const Value& m : msgs.GetArray()) {
    const Value* c = Get(m, "content");
    if (c == nullptr || !c->IsString()) continue;
    std::string_view t(c->GetString(), c->GetStringLength());
    for (size_t p = t.find(ph); p != std::string_view::npos; p = t.find(ph, p + ph.size())) ++n;
  }
  return n;
}

// OpenAI chat takes an image as an http(s) or a data: URL; LLaMA-Factory's columns often hold file paths.
inline std::string CheckImageUrl(const Value& v, const std::string& path) {
  if (!v.IsString()) return path + ": not a string (a path or URL)";
  std::string_view u(v.GetString(), v.GetStringLength());
  if (u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0 || u.rfind("data:", 0) == 0) return "";
  std::string shown(u.substr(0, 80));
  return path + ": \"" + shown + "\" is a file path; OpenAI chat takes images as http(s) or data: URLs";
}

// LLaMA-Factory's multimodal form -> OpenAI's: each <image> in the text becomes an image_url part holding the
// next entry of the images column. Video and audio have no place in OpenAI chat: such a record is refused.
inline std::string DecodeMedia(const Value& in, Value* msgs, Alloc& a) {
  for (const MediaKind& k : {kVideos, kAudios}) {
    const Value* col = Get(in, k.column);
    size_t n = CountPlaceholders(*msgs, k.placeholder);
    if ((col != nullptr && !(col->IsArray() && col->Empty()) && !col->IsNull()) || (col != nullptr && n > 0)) {
      return std::string(k.column) + ": OpenAI chat cannot hold " + (k.column[0] == 'v' ? "video" : "audio") +
             " (LLaMA-Factory's " + std::string(k.placeholder) + " placeholders and " + k.column + " column)";
    }
  }
  const Value* images = Get(in, "images");
  if (images == nullptr || images->IsNull()) return "";
  if (!images->IsArray()) return "images: not a list of image paths or URLs";
  size_t want = CountPlaceholders(*msgs, kImages.placeholder);
  if (want != images->Size()) {
    return "images: " + std::to_string(images->Size()) + " image" + (images->Size() == 1 ? "" : "s") + " but " +
           std::to_string(want) + " <image> placeholder" + (want == 1 ? "" : "s") + " in the text";
  }
  rapidjson::SizeType next = 0;
  for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
    Value& m = (*msgs)[i];
    auto c = m.FindMember("content");
    if (c == m.MemberEnd() || !c->value.IsString()) continue;
    std::string_view t(c->value.GetString(), c->value.GetStringLength());
    if (t.find(kImages.placeholder) == std::string_view::npos) continue;
    std::string role;
    if (!GetStr(m, "role", &role) || role != "user") {
      return Path("messages", i, "content") + ": OpenAI chat takes images only in user messages";
    }
    Value parts(rapidjson::kArrayType);
    size_t from = 0;
    for (;;) {
      size_t p = t.find(kImages.placeholder, from);
      std::string_view seg = t.substr(from, p == std::string_view::npos ? std::string_view::npos : p - from);
      if (!seg.empty()) {
        Value tp(rapidjson::kObjectType);
        tp.AddMember("type", "text", a);
        tp.AddMember("text", Str(seg, a), a);
        parts.PushBack(tp, a);
      }
      if (p == std::string_view::npos) break;
      const Value& src = (*images)[next];
      std::string e = CheckImageUrl(src, Path("images", next));
      if (!e.empty()) return e;
      ++next;
      Value url(rapidjson::kObjectType);
      url.AddMember("url", Copy(src, a), a);
      Value ip(rapidjson::kObjectType);
      ip.AddMember("type", "image_url", a);
      ip.AddMember("image_url", url, a);
      parts.PushBack(ip, a);
      from = p + kImages.placeholder.size();
    }
    c->value = parts;
  }
  return "";
}

// LLaMA-Factory's role/content form looks like OpenAI chat; a media column tells it apart (a plain
// {"messages":[..]} record, with a KTO label or not, is OpenAI chat).
inline bool HasLlamaFactoryColumn(const Value& in) {
  return Get(in, "images") || Get(in, "videos") || Get(in, "audios");
}

}  // namespace ftprep::dialect::lf

#endif  // FTPREP_FORMATS_DIALECTS_LLAMAFACTORY_H_
