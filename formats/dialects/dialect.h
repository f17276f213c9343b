// formats/dialects/dialect.h — shared helpers of the record-dialect plugins (one .cpp per dialect).
//
// A dialect plugin is a format plugin with no extensions and no reader; its writer converts one record per
// write() call and emits it as one line: with option direction=decode from the dialect to the canonical form
// (OpenAI chat {"messages":[...]} or OpenAI preference), with direction=encode (default) the other way;
// direction=check reads the record as decode does but emits an empty line (is the record in this dialect?).
// sniff() receives one record's JSON text. Fields a dialect does not know are carried through untouched, in
// their place; the dialect's own fields are replaced where the first of them stood, so that
// chat -> dialect -> chat gives the record back byte for byte. See core/convert/dialect.h for the host side.
#ifndef FTPREP_FORMATS_DIALECTS_DIALECT_H_
#define FTPREP_FORMATS_DIALECTS_DIALECT_H_

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

#include "ftprep/plugin.hpp"

namespace ftprep::dialect {

using Value = rapidjson::Value;
using Doc = rapidjson::Document;
using Alloc = rapidjson::MemoryPoolAllocator<>;

struct Spec {
  // Each returns "" on success, else what is wrong with the record (with its JSON path).
  std::string (*decode)(const Value& in, Value* out, Alloc& a);
  std::string (*encode)(const Value& in, Value* out, Alloc& a);
  int (*score)(const Value& in);  // 0..100
};

inline Value Str(std::string_view s, Alloc& a) {
  return Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}
inline Value Copy(const Value& v, Alloc& a) { return Value(v, a); }

inline const Value* Get(const Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}
inline bool GetStr(const Value& obj, const char* key, std::string* out) {
  const Value* v = Get(obj, key);
  if (v == nullptr || !v->IsString()) return false;
  out->assign(v->GetString(), v->GetStringLength());
  return true;
}

// Builds *out (an object) from `in`: members named in `own` are replaced by what `emit` adds, at the place
// of the first of them (or at the front if none is present); the other members are copied in order.
inline std::string Rebuild(const Value& in, Value* out, Alloc& a, std::initializer_list<const char*> own,
                           const std::function<std::string(Value*)>& emit) {
  out->SetObject();
  bool emitted = false;
  auto is_own = [&](const Value& name) {
    for (const char* k : own) {
      if (name == k) return true;
    }
    return false;
  };
  bool any = false;
  for (auto it = in.MemberBegin(); it != in.MemberEnd(); ++it) any |= is_own(it->name);
  if (!any) {
    std::string e = emit(out);
    if (!e.empty()) return e;
    emitted = true;
  }
  for (auto it = in.MemberBegin(); it != in.MemberEnd(); ++it) {
    if (is_own(it->name)) {
      if (!emitted) {
        std::string e = emit(out);
        if (!e.empty()) return e;
        emitted = true;
      }
      continue;
    }
    out->AddMember(Copy(it->name, a), Copy(it->value, a), a);
  }
  return "";
}

// Adds the canonical preference members to `o`: {"input":{"messages":msgs},"preferred_output":pref,
// "non_preferred_output":nonpref} (the values are moved in).
inline void AddPreference(Value* o, Value& msgs, Value& pref, Value& nonpref, Alloc& a) {
  Value input(rapidjson::kObjectType);
  input.AddMember("messages", msgs, a);
  o->AddMember("input", input, a);
  o->AddMember("preferred_output", pref, a);
  o->AddMember("non_preferred_output", nonpref, a);
}

// A message {"role":..,"content":..} plus the other members of `extra_from` except `skip`.
inline Value Message(std::string_view role, const Value& content, Alloc& a, const Value* extra_from = nullptr,
                     std::initializer_list<const char*> skip = {}) {
  Value m(rapidjson::kObjectType);
  m.AddMember("role", Str(role, a), a);
  m.AddMember("content", Copy(content, a), a);
  if (extra_from && extra_from->IsObject()) {
    for (auto it = extra_from->MemberBegin(); it != extra_from->MemberEnd(); ++it) {
      bool skipped = false;
      for (const char* k : skip) skipped |= it->name == k;
      if (!skipped) m.AddMember(Copy(it->name, a), Copy(it->value, a), a);
    }
  }
  return m;
}

inline std::string Path(const char* base, size_t i, const char* field = nullptr) {
  std::string p = std::string(base) + "[" + std::to_string(i) + "]";
  if (field) p += std::string(".") + field;
  return p;
}

// The text of OpenAI content (a string, or an array of {"type":"text","text":..} parts) as a list of texts.
inline std::string TextParts(const Value& content, std::vector<std::string>* parts, const std::string& path) {
  if (content.IsString()) {
    parts->emplace_back(content.GetString(), content.GetStringLength());
    return "";
  }
  if (!content.IsArray()) return path + ": content must be a string or an array of text parts";
  for (rapidjson::SizeType i = 0; i < content.Size(); ++i) {
    const Value& p = content[i];
    std::string type, text;
    if (!GetStr(p, "text", &text) || (Get(p, "type") && (!GetStr(p, "type", &type) || type != "text"))) {
      return path + "[" + std::to_string(i) + "]: only text parts can be converted";
    }
    parts->push_back(text);
  }
  return "";
}

// OpenAI content from a list of texts: one text -> a string; several -> text parts.
inline Value ContentFromParts(const std::vector<std::string>& parts, Alloc& a) {
  if (parts.size() == 1) return Str(parts[0], a);
  Value arr(rapidjson::kArrayType);
  for (const auto& t : parts) {
    Value p(rapidjson::kObjectType);
    p.AddMember("type", "text", a);
    p.AddMember("text", Str(t, a), a);
    arr.PushBack(p, a);
  }
  return arr;
}

// [{"text":..},...] from texts: Gemini's parts and Bedrock's content blocks have this one shape.
inline Value TextBlocks(const std::vector<std::string>& texts, Alloc& a) {
  Value arr(rapidjson::kArrayType);
  for (const auto& t : texts) {
    Value b(rapidjson::kObjectType);
    b.AddMember("text", Str(t, a), a);
    arr.PushBack(b, a);
  }
  return arr;
}

// OpenAI content from [{"text":..}] blocks (only text converts).
inline std::string BlocksToContent(const Value& blocks, const std::string& path, Value* content, Alloc& a) {
  if (!blocks.IsArray()) return path + ": must be an array of {\"text\":..} parts";
  std::vector<std::string> texts;
  for (rapidjson::SizeType i = 0; i < blocks.Size(); ++i) {
    std::string t;
    if (!GetStr(blocks[i], "text", &t)) return path + "[" + std::to_string(i) + "]: only text parts can be converted";
    texts.push_back(t);
  }
  if (texts.empty()) texts.push_back("");
  *content = ContentFromParts(texts, a);
  return "";
}

// Turns of the dialects that keep the system text apart and write text blocks (Gemini, Bedrock Converse):
// user stays user, assistant becomes `assistant`, content goes to `blocks_key`; leading system/developer
// text goes to *system. Other message fields stay in place.
inline std::string EncodeBlockTurns(const Value& msgs, const char* dialect, const char* assistant,
                                    const char* blocks_key, Value* turns, std::vector<std::string>* system,
                                    Alloc& a) {
  turns->SetArray();
  bool seen_other = false;
  for (rapidjson::SizeType i = 0; i < msgs.Size(); ++i) {
    const Value& m = msgs[i];
    std::string role;
    GetStr(m, "role", &role);
    const Value* content = Get(m, "content");
    if (content == nullptr) return Path("messages", i, "content") + ": missing";
    std::vector<std::string> texts;
    std::string e = TextParts(*content, &texts, Path("messages", i, "content"));
    if (!e.empty()) return e;
    if (role == "system" || role == "developer") {
      if (seen_other) return Path("messages", i, "role") + ": " + dialect + " takes system text only at the start";
      system->insert(system->end(), texts.begin(), texts.end());
      continue;
    }
    if (role != "user" && role != "assistant") {
      return Path("messages", i, "role") + ": role '" + role + "' cannot be converted to " + dialect;
    }
    seen_other = true;
    Value t(rapidjson::kObjectType);
    for (auto it = m.MemberBegin(); it != m.MemberEnd(); ++it) {
      if (it->name == "role") {
        t.AddMember("role", rapidjson::StringRef(role == "assistant" ? assistant : "user"), a);
      } else if (it->name == "content") {
        t.AddMember(rapidjson::StringRef(blocks_key), TextBlocks(texts, a), a);
      } else {
        t.AddMember(Copy(it->name, a), Copy(it->value, a), a);
      }
    }
    turns->PushBack(t, a);
  }
  return "";
}

// A block-turns dialect's system prompt: content blocks at `path`, or (may_be_text) a plain string; null if none.
struct SystemPrompt {
  const Value* value;
  const char* path;
  bool may_be_text;
};

// The reverse of EncodeBlockTurns, as *o's "messages": the system prompt first, then the turns in `list`
// (named `list_name` in messages).
inline std::string DecodeBlockTurns(const SystemPrompt& system, const Value& list, const char* list_name,
                                    const char* assistant, const char* blocks_key, Value* o, Alloc& a) {
  Value msgs(rapidjson::kArrayType);
  if (system.value) {
    Value content;
    std::string e = system.may_be_text && system.value->IsString()
                        ? (content = Copy(*system.value, a), "")
                        : BlocksToContent(*system.value, system.path, &content, a);
    if (!e.empty()) return e;
    msgs.PushBack(Message("system", content, a), a);
  }
  for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
    const Value& c = list[i];
    std::string role;
    if (!GetStr(c, "role", &role) || (role != "user" && role != assistant)) {
      return Path(list_name, i, "role") + ": must be user or " + assistant;
    }
    Value m(rapidjson::kObjectType);
    for (auto it = c.MemberBegin(); it != c.MemberEnd(); ++it) {
      if (it->name == "role") {
        m.AddMember("role", rapidjson::StringRef(role == "user" ? "user" : "assistant"), a);
      } else if (it->name == blocks_key) {
        Value content;
        std::string e = BlocksToContent(it->value, Path(list_name, i, blocks_key), &content, a);
        if (!e.empty()) return e;
        m.AddMember("content", content, a);
      } else {
        m.AddMember(Copy(it->name, a), Copy(it->value, a), a);
      }
    }
    if (!Get(m, "content")) return Path(list_name, i, blocks_key) + ": missing";
    msgs.PushBack(m, a);
  }
  o->AddMember("messages", msgs, a);
  return "";
}

// ---- C ABI glue ----

struct WriterState {
  const Spec* spec;
  bool decode;
  bool check;  // decode, emit only the newline
  const ftprep_host* host;
  int (*write)(void*, const char*, size_t);
  void* sink;
  std::string err;
};

inline void SetError(const ftprep_host* host, const std::string& m) {
  if (host && host->set_error) host->set_error(host->ctx, m.c_str());
}

template <const Spec& S>
int SniffT(const char* head, size_t len, const char*) {
  try {
    Doc d;
    ftprep::ParseRecordJson(d, head, len);
    if (d.HasParseError() || !d.IsObject()) return 0;
    return S.score(d);
  } catch (...) {
    return 0;
  }
}

template <const Spec& S>
int OpenWriterT(const ftprep_host* host, ftprep_options opts, int (*write_bytes)(void*, const char*, size_t),
                void* sink, void** writer) {
  try {
    std::string_view dir = ftprep::plugin::Option(opts, "direction", "encode");
    if (dir != "encode" && dir != "decode" && dir != "check") {
      SetError(host, "direction must be encode, decode or check");
      return FTPREP_ERR_USAGE;
    }
    *writer = new WriterState{&S, dir != "encode", dir == "check", host, write_bytes, sink, {}};
    return FTPREP_OK;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

inline int WriteRecord(void* writer, const char* json, size_t len) {
  auto* w = static_cast<WriterState*>(writer);
  try {
    Doc in;
    ftprep::ParseRecordJson(in, json, len);
    if (in.HasParseError() || !in.IsObject()) {
      SetError(w->host, "record is not a JSON object");
      return FTPREP_ERR_DATA;
    }
    Doc out;
    std::string e = w->decode ? w->spec->decode(in, &out, out.GetAllocator()) : w->spec->encode(in, &out, out.GetAllocator());
    if (!e.empty()) {
      SetError(w->host, e);
      return FTPREP_ERR_DATA;
    }
    if (w->check) return w->write(w->sink, "\n", 1);
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> wr(sb);
    out.Accept(wr);
    sb.Put('\n');
    return w->write(w->sink, sb.GetString(), sb.GetSize());
  } catch (const std::exception& ex) {
    SetError(w->host, ex.what());
    return FTPREP_ERR_INTERNAL;
  } catch (...) {
    return FTPREP_ERR_INTERNAL;
  }
}

inline int CloseWriter(void* writer) {
  delete static_cast<WriterState*>(writer);
  return FTPREP_OK;
}

template <const Spec& S>
constexpr ftprep_format_v1 Format() {
  return ftprep_format_v1{sizeof(ftprep_format_v1), "", &SniffT<S>, nullptr, nullptr, nullptr, nullptr,
                          &OpenWriterT<S>, &WriteRecord, &CloseWriter};
}

// The end of every dialect's .cpp (after its anonymous namespace): the plugin's name, its one-line summary
// and its three functions, registered as a format plugin (built in, or as a module's entry point).
#define FTPREP_DIALECT(name, summary, decode, encode, score)                                      \
  namespace {                                                                                     \
  constexpr ::ftprep::dialect::Spec kDialectSpec{&decode, &encode, &score};                       \
  const ftprep_plugin_v1* DescribeDialect(const ftprep_host*) {                                   \
    static const ftprep_format_v1 f = ::ftprep::dialect::Format<kDialectSpec>();                  \
    static const ftprep_plugin_v1 p = ::ftprep::plugin::DescribeFormat(name, "1.0", &f, summary); \
    return &p;                                                                                    \
  }                                                                                               \
  }                                                                                               \
  FTPREP_PLUGIN(DescribeDialect)

// Shared by the chat dialects: checks an OpenAI chat record's messages (array of objects with a string role).
inline std::string CheckChat(const Value& in, const Value** messages) {
  const Value* m = Get(in, "messages");
  if (m == nullptr || !m->IsArray()) return "messages: missing or not an array (not an OpenAI chat record)";
  for (rapidjson::SizeType i = 0; i < m->Size(); ++i) {
    const Value& msg = (*m)[i];
    if (!msg.IsObject()) return Path("messages", i) + ": not an object";
    const Value* r = Get(msg, "role");
    if (r == nullptr || !r->IsString()) return Path("messages", i, "role") + ": missing or not a string";
  }
  *messages = m;
  return "";
}

}  // namespace ftprep::dialect

#endif  // FTPREP_FORMATS_DIALECTS_DIALECT_H_
