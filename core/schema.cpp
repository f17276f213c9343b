#include "schema.h"

#include "ftprep/record.h"
#include "jsonpath.h"

namespace ftprep {
namespace {

using Value = rapidjson::Value;

// A member, or a null value when there is none (what rapidjson's operator[] gives in a release build; the
// shape functions below rely on DetectShape's checks, but a shape can also be named by the caller).
Value& Field(Value& obj, std::string_view key) {
  static Value null;
  Value* v = MemberOf(obj, key);
  return v ? *v : null;
}

std::string_view Str(const Value* v) {
  return (v && v->IsString()) ? std::string_view(v->GetString(), v->GetStringLength()) : std::string_view();
}

// Walks a record's texts. The JSON path of what is being visited is built in `path`: each step appends its part
// and cuts it back when done, so no path is allocated per text (the buffers live on, per thread, see
// ForEachText); `ref` is the one TextRef handed to fn, its path a copy of `path`.
struct Visitor {
  const std::function<void(TextRef&)>& fn;
  std::string& path;
  TextRef& ref;

  // Appends a plain key (all the keys named here are) or an index; Cut(n) goes back to length n.
  size_t Key(std::string_view k) {
    const size_t n = path.size();
    if (n) path.push_back('.');
    path.append(k);
    return n;
  }
  size_t Index(size_t i) {
    const size_t n = path.size();
    AppendIndex(&path, i);
    return n;
  }
  void Cut(size_t n) { path.resize(n); }

  void Emit(Value& v, std::string_view role, bool trained, TextKind kind, int msg) {
    if (!v.IsString()) return;
    ref.value = &v;
    ref.text = std::string_view(v.GetString(), v.GetStringLength());
    ref.path.assign(path);
    ref.role = role;
    ref.trained = trained;
    ref.kind = kind;
    ref.message = msg;
    fn(ref);
  }
  // Emit at path.k.
  void EmitAt(std::string_view k, Value& v, std::string_view role, bool trained, TextKind kind, int msg) {
    const size_t n = Key(k);
    Emit(v, role, trained, kind, msg);
    Cut(n);
  }

  // content: a string or an array of parts ({"type":"text","text":...} or {"text":...}).
  void Content(Value& c, std::string_view role, bool trained, int msg) {
    if (c.IsString()) {
      Emit(c, role, trained, TextKind::kContent, msg);
    } else if (c.IsArray()) {
      for (rapidjson::SizeType j = 0; j < c.Size(); ++j) {
        Value& part = c[j];
        if (!part.IsObject()) continue;
        Value* t = MemberOf(part, "text");
        if (!t || !t->IsString()) {
          std::string_view type = Str(MemberOf(part, "type"));
          if (type == "text" || type == "input_text" || type == "output_text") Unreadable(part, j, role, trained, msg);
          continue;
        }
        const size_t n = Index(j);
        EmitAt("text", *t, role, trained, TextKind::kContent, msg);
        Cut(n);
      }
    }
  }

  // A text part that holds its text elsewhere: said, never silently skipped.
  void Unreadable(const Value& part, rapidjson::SizeType j, std::string_view role, bool trained, int msg) {
    std::string keys;
    for (auto it = part.MemberBegin(); it != part.MemberEnd(); ++it) {
      keys += (keys.empty() ? "" : ", ") + std::string(it->name.GetString(), it->name.GetStringLength());
    }
    const size_t n = Index(j);
    std::string what = "a text content part without a \"text\" string (it has: " + keys + ")";
    TextRef r{nullptr, what, path, role, trained, TextKind::kUnreadable, msg};
    Cut(n);
    fn(r);
  }

  // A message's tool_calls[].function.{name,arguments} and legacy function_call.{name,arguments}.
  void ToolCalls(Value& m, std::string_view role, bool trained, int idx) {
    if (Value* tc = MemberOf(m, "tool_calls"); tc && tc->IsArray()) {
      const size_t n = Key("tool_calls");
      for (rapidjson::SizeType k = 0; k < tc->Size(); ++k) {
        Value* fnm = MemberOf((*tc)[k], "function");
        if (!fnm || !fnm->IsObject()) continue;
        const size_t nk = Index(k);
        const size_t nf = Key("function");
        if (Value* nm = MemberOf(*fnm, "name")) EmitAt("name", *nm, role, trained, TextKind::kToolName, idx);
        if (Value* a = MemberOf(*fnm, "arguments")) EmitAt("arguments", *a, role, trained, TextKind::kToolArguments, idx);
        Cut(nf);
        Cut(nk);
      }
      Cut(n);
    }
    if (Value* fc = MemberOf(m, "function_call"); fc && fc->IsObject()) {  // legacy functions
      const size_t n = Key("function_call");
      if (Value* nm = MemberOf(*fc, "name")) EmitAt("name", *nm, role, trained, TextKind::kToolName, idx);
      if (Value* a = MemberOf(*fc, "arguments")) EmitAt("arguments", *a, role, trained, TextKind::kToolArguments, idx);
      Cut(n);
    }
  }

  // The messages array at the current path.
  void Messages(Value& msgs, bool assistant_trained_default, int offset = 0) {
    if (!msgs.IsArray()) return;
    for (rapidjson::SizeType i = 0; i < msgs.Size(); ++i) {
      Value& m = msgs[i];
      if (!m.IsObject()) continue;
      const size_t n = Index(i);
      std::string_view role = Str(MemberOf(m, "role"));
      bool trained = false;
      if (role == "assistant" || role == "Chatbot") {  // Chatbot: Cohere's assistant
        trained = assistant_trained_default;
        const Value* w = MemberOf(m, "weight");
        if (w && w->IsNumber()) trained = w->GetDouble() != 0;
      }
      int idx = offset + static_cast<int>(i);
      if (Value* name = MemberOf(m, "name")) EmitAt("name", *name, role, trained, TextKind::kName, idx);
      if (Value* c = MemberOf(m, "content")) {
        const size_t nc = Key("content");
        Content(*c, role, trained, idx);
        Cut(nc);
      }
      ToolCalls(m, role, trained, idx);
      Cut(n);
    }
  }
  // The messages array at path.k.
  void MessagesAt(std::string_view k, Value& msgs, bool assistant_trained_default, int offset = 0) {
    const size_t n = Key(k);
    Messages(msgs, assistant_trained_default, offset);
    Cut(n);
  }

  // "tools"/"functions" definitions of `obj`, each as its compact JSON, at the top-level path key[i] (as
  // before: the path of a preference record's input.tools is tools[i] too).
  void ToolsDefs(Value& obj) {
    for (const char* key : {"tools", "functions"}) {
      Value* t = MemberOf(obj, key);
      if (!t || !t->IsArray()) continue;
      for (rapidjson::SizeType i = 0; i < t->Size(); ++i) {
        std::string json = ToJson((*t)[i]);
        std::string p = key;
        AppendIndex(&p, i);
        TextRef r{nullptr, json, p, "", false, TextKind::kToolsDef, -1};
        fn(r);
      }
    }
  }
};

// The top-level keys DetectShape looks at, found in one pass over the record's members.
enum ShapeKey {
  kPreferredOutput, kNonPreferredOutput, kPreferredCompletion, kMessages, kSchemaVersion, kSystem, kChosen,
  kRejected, kPrompt, kCompletion, kData, kConversations, kInstruction, kOutput, kResponse, kContents, kText,
  kNumShapeKeys
};
constexpr std::string_view kShapeKeys[kNumShapeKeys] = {
    "preferred_output", "non_preferred_output", "preferred_completion", "messages", "schemaVersion", "system",
    "chosen", "rejected", "prompt", "completion", "data", "conversations", "instruction", "output", "response",
    "contents", "text"};

}  // namespace

const char* ShapeName(Shape s) {
  switch (s) {
    case Shape::kChat: return "chat";
    case Shape::kPreference: return "preference";
    case Shape::kPromptCompletion: return "prompt_completion";
    case Shape::kTextList: return "text_list";
    case Shape::kText: return "text";
    case Shape::kShareGpt: return "sharegpt";
    case Shape::kAlpaca: return "alpaca";
    case Shape::kGemini: return "gemini";
    case Shape::kBedrockConverse: return "bedrock_converse";
    case Shape::kTrlPreference: return "trl_preference";
    case Shape::kDolly: return "dolly";
    default: return "unknown";
  }
}

Shape ShapeFromName(std::string_view n) {
  for (Shape s : {Shape::kChat, Shape::kPreference, Shape::kPromptCompletion, Shape::kTextList, Shape::kText,
                  Shape::kShareGpt, Shape::kAlpaca, Shape::kGemini, Shape::kBedrockConverse, Shape::kTrlPreference,
                  Shape::kDolly}) {
    if (n == ShapeName(s)) return s;
  }
  return Shape::kUnknown;
}

Shape DetectShape(const rapidjson::Value& r) {
  if (!r.IsObject()) return Shape::kUnknown;
  // The first member of each name, as FindMember would find it.
  const Value* k[kNumShapeKeys] = {};
  for (auto it = r.MemberBegin(); it != r.MemberEnd(); ++it) {
    const std::string_view name(it->name.GetString(), it->name.GetStringLength());
    for (int i = 0; i < kNumShapeKeys; ++i) {
      if (name.size() == kShapeKeys[i].size() && !k[i] && name == kShapeKeys[i]) {
        k[i] = &it->value;
        break;
      }
    }
  }
  auto array = [](const Value* v) { return v && v->IsArray(); };
  if (k[kPreferredOutput] || k[kNonPreferredOutput] || k[kPreferredCompletion]) return Shape::kPreference;
  if (array(k[kMessages])) {
    if (k[kSchemaVersion] || array(k[kSystem])) return Shape::kBedrockConverse;
    return Shape::kChat;
  }
  if (k[kChosen] && k[kRejected]) return Shape::kTrlPreference;
  if (k[kPrompt] && k[kCompletion]) return Shape::kPromptCompletion;
  if (k[kData] && MemberOf(*k[kData], "text_list")) return Shape::kTextList;
  if (array(k[kConversations])) return Shape::kShareGpt;
  if (k[kInstruction] && k[kOutput]) return Shape::kAlpaca;
  if (k[kInstruction] && k[kResponse]) return Shape::kDolly;
  if (array(k[kContents])) return Shape::kGemini;
  if (k[kText] && k[kText]->IsString()) return Shape::kText;
  if (k[kPrompt] || k[kCompletion]) return Shape::kPromptCompletion;
  return Shape::kUnknown;
}

namespace {

void ChatTexts(Visitor& v, Value& rec) {
  v.MessagesAt("messages", Field(rec, "messages"), true);
  v.ToolsDefs(rec);
}

void PreferenceTexts(Visitor& v, Value& rec) {
  Value* in = MemberOf(rec, "input");
  int n = 0;
  if (in && in->IsObject()) {
    if (Value* m = MemberOf(*in, "messages")) {
      const size_t c = v.Key("input");
      v.MessagesAt("messages", *m, false);
      v.Cut(c);
      if (m->IsArray()) n = static_cast<int>(m->Size());
    }
    v.ToolsDefs(*in);
  }
  for (const char* k : {"preferred_output", "non_preferred_output", "preferred_completion",
                        "non_preferred_completion"}) {
    if (Value* o = MemberOf(rec, k)) v.MessagesAt(k, *o, true, n);
  }
}

void PromptCompletionTexts(Visitor& v, Value& rec) {
  // TRL's conversational form holds lists of messages: the prompt's are not trained, the completion's are.
  Value* p = MemberOf(rec, "prompt");
  int n = 1;
  if (p && p->IsArray()) {
    v.MessagesAt("prompt", *p, false);
    n = static_cast<int>(p->Size());
  } else if (p) {
    v.EmitAt("prompt", *p, "prompt", false, TextKind::kContent, 0);
  }
  Value* c = MemberOf(rec, "completion");
  if (c && c->IsArray()) {
    v.MessagesAt("completion", *c, true, n);
  } else if (c) {
    v.EmitAt("completion", *c, "completion", true, TextKind::kContent, 1);
  }
}

void TextListTexts(Visitor& v, Value& rec) {
  Value& d = Field(rec, "data");
  Value* tl = MemberOf(d, "text_list");
  if (!tl || !tl->IsArray()) return;
  Value* lw = MemberOf(d, "loss_weights");
  const size_t c = v.Key("data");
  v.Key("text_list");
  for (rapidjson::SizeType i = 0; i < tl->Size(); ++i) {
    bool trained = true;
    if (lw && lw->IsArray() && i < lw->Size() && (*lw)[i].IsNumber()) trained = (*lw)[i].GetDouble() > 0;
    const size_t n = v.Index(i);
    v.Emit((*tl)[i], "", trained, TextKind::kContent, static_cast<int>(i));
    v.Cut(n);
  }
  v.Cut(c);
}

void TextTexts(Visitor& v, Value& rec) { v.EmitAt("text", Field(rec, "text"), "", true, TextKind::kContent, 0); }

void ShareGptTexts(Visitor& v, Value& rec) {
  Value& c = Field(rec, "conversations");
  if (Value* sys = MemberOf(rec, "system")) v.EmitAt("system", *sys, "system", false, TextKind::kContent, -1);
  if (!c.IsArray()) return;
  const size_t base = v.Key("conversations");
  for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
    if (!c[i].IsObject()) continue;
    std::string_view from = Str(MemberOf(c[i], "from"));
    if (from.empty()) from = Str(MemberOf(c[i], "role"));
    bool trained = from == "gpt" || from == "assistant" || from == "model" || from == "function_call";
    Value* val = MemberOf(c[i], "value");
    const char* key = "value";
    if (!val) val = MemberOf(c[i], key = "content");
    if (val) {
      const size_t n = v.Index(i);
      v.EmitAt(key, *val, from, trained, TextKind::kContent, static_cast<int>(i));
      v.Cut(n);
    }
  }
  v.Cut(base);
}

void AlpacaTexts(Visitor& v, Value& rec) {
  // In conversation order: system, history (whose answers are trained, as LLaMA-Factory trains them by
  // default: mask_history off), then instruction, input, output.
  if (Value* sys = MemberOf(rec, "system")) v.EmitAt("system", *sys, "system", false, TextKind::kContent, 0);
  Value* h = MemberOf(rec, "history");
  int i = 1;
  if (h && h->IsArray()) {
    const size_t base = v.Key("history");
    for (rapidjson::SizeType k = 0; k < h->Size(); ++k) {
      Value& pair = (*h)[k];
      if (!pair.IsArray()) continue;
      for (rapidjson::SizeType j = 0; j < pair.Size() && j < 2; ++j) {
        const size_t n = v.Index(k);
        v.Index(j);
        v.Emit(pair[j], j == 0 ? "user" : "assistant", j == 1, TextKind::kContent, i++);
        v.Cut(n);
      }
    }
    v.Cut(base);
  }
  for (const char* k : {"instruction", "input", "output"}) {
    bool out = std::string_view(k) == "output";
    if (Value* f = MemberOf(rec, k)) v.EmitAt(k, *f, out ? "assistant" : "user", out, TextKind::kContent, i);
    ++i;
  }
}

void DollyTexts(Visitor& v, Value& rec) {
  int i = 0;
  for (const char* k : {"instruction", "context", "response"}) {
    bool out = i == 2;
    if (Value* f = MemberOf(rec, k)) v.EmitAt(k, *f, out ? "assistant" : "user", out, TextKind::kContent, i);
    ++i;
  }
}

void GeminiTexts(Visitor& v, Value& rec) {
  Value* si = MemberOf(rec, "systemInstruction");
  if (si && si->IsObject()) {
    if (Value* parts = MemberOf(*si, "parts")) {
      const size_t n = v.Key("systemInstruction");
      v.Key("parts");
      v.Content(*parts, "system", false, -1);
      v.Cut(n);
    }
  }
  Value& c = Field(rec, "contents");
  if (!c.IsArray()) return;
  const size_t base = v.Key("contents");
  for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
    if (!c[i].IsObject()) continue;
    std::string_view role = Str(MemberOf(c[i], "role"));
    if (Value* parts = MemberOf(c[i], "parts")) {
      const size_t n = v.Index(i);
      v.Key("parts");
      v.Content(*parts, role, role == "model", static_cast<int>(i));
      v.Cut(n);
    }
  }
  v.Cut(base);
}

void BedrockConverseTexts(Visitor& v, Value& rec) {
  if (Value* sys = MemberOf(rec, "system")) {
    const size_t n = v.Key("system");
    v.Content(*sys, "system", false, -1);
    v.Cut(n);
  }
  v.MessagesAt("messages", Field(rec, "messages"), true);
}

void TrlPreferenceTexts(Visitor& v, Value& rec) {
  int i = 0;
  for (const char* k : {"prompt", "chosen", "rejected"}) {
    bool out = i > 0;
    if (Value* f = MemberOf(rec, k)) {
      if (f->IsArray()) {
        v.MessagesAt(k, *f, out);
      } else {
        v.EmitAt(k, *f, out ? "assistant" : "user", out, TextKind::kContent, i);
      }
    }
    ++i;
  }
}

}  // namespace

void ForEachText(rapidjson::Value& rec, Shape shape, const std::function<void(TextRef&)>& fn) {
  if (!rec.IsObject()) return;
  // The path buffers are kept per thread between records (taken, not shared, so that a nested call is safe).
  thread_local std::string kept_path, kept_ref_path;
  std::string path = std::move(kept_path);
  TextRef ref{nullptr, {}, std::move(kept_ref_path), {}, false, TextKind::kContent, -1};
  path.clear();
  Visitor v{fn, path, ref};
  struct GiveBack {
    std::string& path;
    TextRef& ref;
    ~GiveBack() {
      kept_path = std::move(path);
      kept_ref_path = std::move(ref.path);
    }
  } give_back{path, ref};
  switch (shape) {
    case Shape::kChat: return ChatTexts(v, rec);
    case Shape::kPreference: return PreferenceTexts(v, rec);
    case Shape::kPromptCompletion: return PromptCompletionTexts(v, rec);
    case Shape::kTextList: return TextListTexts(v, rec);
    case Shape::kText: return TextTexts(v, rec);
    case Shape::kShareGpt: return ShareGptTexts(v, rec);
    case Shape::kAlpaca: return AlpacaTexts(v, rec);
    case Shape::kDolly: return DollyTexts(v, rec);
    case Shape::kGemini: return GeminiTexts(v, rec);
    case Shape::kBedrockConverse: return BedrockConverseTexts(v, rec);
    case Shape::kTrlPreference: return TrlPreferenceTexts(v, rec);
    default: return;
  }
}

}  // namespace ftprep
