#include "schema.h"

#include "ftprep/record.h"
#include "jsonpath.h"

namespace ftprep {
namespace {

bool Has(const rapidjson::Value& v, const char* k) { return v.IsObject() && v.HasMember(k); }
const rapidjson::Value* Get(const rapidjson::Value& v, const char* k) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(k);
  return it == v.MemberEnd() ? nullptr : &it->value;
}
std::string_view Str(const rapidjson::Value* v) {
  return (v && v->IsString()) ? std::string_view(v->GetString(), v->GetStringLength()) : std::string_view();
}

struct Visitor {
  const std::function<void(TextRef&)>& fn;

  void Emit(rapidjson::Value& v, const std::string& path, std::string_view role, bool trained, TextKind kind,
            int msg) {
    if (!v.IsString()) return;
    TextRef r{&v, std::string_view(v.GetString(), v.GetStringLength()), path, role, trained, kind, msg};
    fn(r);
  }

  // content: a string or an array of parts ({"type":"text","text":...} or {"text":...}).
  void Content(rapidjson::Value& c, const std::string& path, std::string_view role, bool trained, int msg) {
    if (c.IsString()) {
      Emit(c, path, role, trained, TextKind::kContent, msg);
    } else if (c.IsArray()) {
      for (rapidjson::SizeType j = 0; j < c.Size(); ++j) {
        rapidjson::Value& part = c[j];
        if (!part.IsObject()) continue;
        auto t = part.FindMember("text");
        if (t == part.MemberEnd() || !t->value.IsString()) {
          std::string_view type = Str(Get(part, "type"));
          if (type == "text" || type == "input_text" || type == "output_text") Unreadable(part, path, j, role, trained, msg);
          continue;
        }
        std::string p = path;
        AppendIndex(&p, j);
        AppendKey(&p, "text");
        Emit(t->value, p, role, trained, TextKind::kContent, msg);
      }
    }
  }

  // A text part that holds its text elsewhere: said, never silently skipped.
  void Unreadable(const rapidjson::Value& part, const std::string& path, rapidjson::SizeType j, std::string_view role,
                  bool trained, int msg) {
    std::string keys;
    for (auto it = part.MemberBegin(); it != part.MemberEnd(); ++it) {
      keys += (keys.empty() ? "" : ", ") + std::string(it->name.GetString(), it->name.GetStringLength());
    }
    std::string p = path;
    AppendIndex(&p, j);
    std::string what = "a text content part without a \"text\" string (it has: " + keys + ")";
    TextRef r{nullptr, what, p, role, trained, TextKind::kUnreadable, msg};
    fn(r);
  }

  void Messages(rapidjson::Value& msgs, const std::string& base, bool assistant_trained_default, int offset = 0) {
    if (!msgs.IsArray()) return;
    for (rapidjson::SizeType i = 0; i < msgs.Size(); ++i) {
      rapidjson::Value& m = msgs[i];
      if (!m.IsObject()) continue;
      std::string mp = base;
      AppendIndex(&mp, i);
      std::string_view role = Str(Get(m, "role"));
      bool trained = false;
      if (role == "assistant" || role == "Chatbot") {  // Chatbot: Cohere's assistant
        trained = assistant_trained_default;
        const rapidjson::Value* w = Get(m, "weight");
        if (w && w->IsNumber()) trained = w->GetDouble() != 0;
      }
      int idx = offset + static_cast<int>(i);
      auto name = m.FindMember("name");
      if (name != m.MemberEnd()) Emit(name->value, mp + ".name", role, trained, TextKind::kName, idx);
      auto c = m.FindMember("content");
      if (c != m.MemberEnd()) Content(c->value, mp + ".content", role, trained, idx);
      auto tc = m.FindMember("tool_calls");
      if (tc != m.MemberEnd() && tc->value.IsArray()) {
        for (rapidjson::SizeType k = 0; k < tc->value.Size(); ++k) {
          rapidjson::Value& call = tc->value[k];
          auto fnm = call.IsObject() ? call.FindMember("function") : call.MemberEnd();
          if (!call.IsObject() || fnm == call.MemberEnd() || !fnm->value.IsObject()) continue;
          std::string cp = mp + ".tool_calls";
          AppendIndex(&cp, k);
          auto n = fnm->value.FindMember("name");
          if (n != fnm->value.MemberEnd()) Emit(n->value, cp + ".function.name", role, trained, TextKind::kToolName, idx);
          auto a = fnm->value.FindMember("arguments");
          if (a != fnm->value.MemberEnd()) {
            Emit(a->value, cp + ".function.arguments", role, trained, TextKind::kToolArguments, idx);
          }
        }
      }
      auto fc = m.FindMember("function_call");  // legacy functions
      if (fc != m.MemberEnd() && fc->value.IsObject()) {
        auto n = fc->value.FindMember("name");
        if (n != fc->value.MemberEnd()) Emit(n->value, mp + ".function_call.name", role, trained, TextKind::kToolName, idx);
        auto a = fc->value.FindMember("arguments");
        if (a != fc->value.MemberEnd()) {
          Emit(a->value, mp + ".function_call.arguments", role, trained, TextKind::kToolArguments, idx);
        }
      }
    }
  }

  void ToolsDefs(rapidjson::Value& rec) {
    for (const char* key : {"tools", "functions"}) {
      auto t = rec.FindMember(key);
      if (t == rec.MemberEnd() || !t->value.IsArray()) continue;
      for (rapidjson::SizeType i = 0; i < t->value.Size(); ++i) {
        std::string json = ToJson(t->value[i]);
        std::string p = key;
        AppendIndex(&p, i);
        TextRef r{nullptr, json, p, "", false, TextKind::kToolsDef, -1};
        fn(r);
      }
    }
  }
};

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
  if (Has(r, "preferred_output") || Has(r, "non_preferred_output") || Has(r, "preferred_completion")) {
    return Shape::kPreference;
  }
  if (const rapidjson::Value* m = Get(r, "messages"); m && m->IsArray()) {
    if (Has(r, "schemaVersion")) return Shape::kBedrockConverse;
    if (const rapidjson::Value* s = Get(r, "system"); s && s->IsArray()) return Shape::kBedrockConverse;
    return Shape::kChat;
  }
  if (Has(r, "chosen") && Has(r, "rejected")) return Shape::kTrlPreference;
  if (Has(r, "prompt") && Has(r, "completion")) return Shape::kPromptCompletion;
  if (const rapidjson::Value* d = Get(r, "data"); d && Has(*d, "text_list")) return Shape::kTextList;
  if (const rapidjson::Value* c = Get(r, "conversations"); c && c->IsArray()) return Shape::kShareGpt;
  if (Has(r, "instruction") && Has(r, "output")) return Shape::kAlpaca;
  if (Has(r, "instruction") && Has(r, "response")) return Shape::kDolly;
  if (const rapidjson::Value* c = Get(r, "contents"); c && c->IsArray()) return Shape::kGemini;
  if (const rapidjson::Value* t = Get(r, "text"); t && t->IsString()) return Shape::kText;
  if (Has(r, "prompt") || Has(r, "completion")) return Shape::kPromptCompletion;
  return Shape::kUnknown;
}

namespace {

void ChatTexts(Visitor& v, rapidjson::Value& rec) {
  v.Messages(rec["messages"], "messages", true);
  v.ToolsDefs(rec);
}

void PreferenceTexts(Visitor& v, rapidjson::Value& rec) {
  auto in = rec.FindMember("input");
  int n = 0;
  if (in != rec.MemberEnd() && in->value.IsObject()) {
    auto m = in->value.FindMember("messages");
    if (m != in->value.MemberEnd()) {
      v.Messages(m->value, "input.messages", false);
      if (m->value.IsArray()) n = static_cast<int>(m->value.Size());
    }
    v.ToolsDefs(in->value);
  }
  for (const char* k : {"preferred_output", "non_preferred_output", "preferred_completion",
                        "non_preferred_completion"}) {
    auto o = rec.FindMember(k);
    if (o != rec.MemberEnd()) v.Messages(o->value, k, true, n);
  }
}

void PromptCompletionTexts(Visitor& v, rapidjson::Value& rec) {
  // TRL's conversational form holds lists of messages: the prompt's are not trained, the completion's are.
  auto p = rec.FindMember("prompt");
  int n = 1;
  if (p != rec.MemberEnd() && p->value.IsArray()) {
    v.Messages(p->value, "prompt", false);
    n = static_cast<int>(p->value.Size());
  } else if (p != rec.MemberEnd()) {
    v.Emit(p->value, "prompt", "prompt", false, TextKind::kContent, 0);
  }
  auto c = rec.FindMember("completion");
  if (c != rec.MemberEnd() && c->value.IsArray()) {
    v.Messages(c->value, "completion", true, n);
  } else if (c != rec.MemberEnd()) {
    v.Emit(c->value, "completion", "completion", true, TextKind::kContent, 1);
  }
}

void TextListTexts(Visitor& v, rapidjson::Value& rec) {
  rapidjson::Value& d = rec["data"];
  auto tl = d.FindMember("text_list");
  if (tl == d.MemberEnd() || !tl->value.IsArray()) return;
  auto lw = d.FindMember("loss_weights");
  for (rapidjson::SizeType i = 0; i < tl->value.Size(); ++i) {
    bool trained = true;
    if (lw != d.MemberEnd() && lw->value.IsArray() && i < lw->value.Size() && lw->value[i].IsNumber()) {
      trained = lw->value[i].GetDouble() > 0;
    }
    std::string p = "data.text_list";
    AppendIndex(&p, i);
    v.Emit(tl->value[i], p, "", trained, TextKind::kContent, static_cast<int>(i));
  }
}

void TextTexts(Visitor& v, rapidjson::Value& rec) {
  v.Emit(rec["text"], "text", "", true, TextKind::kContent, 0);
}

void ShareGptTexts(Visitor& v, rapidjson::Value& rec) {
  rapidjson::Value& c = rec["conversations"];
  auto sys = rec.FindMember("system");
  if (sys != rec.MemberEnd()) v.Emit(sys->value, "system", "system", false, TextKind::kContent, -1);
  for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
    if (!c[i].IsObject()) continue;
    std::string_view from = Str(Get(c[i], "from"));
    if (from.empty()) from = Str(Get(c[i], "role"));
    bool trained = from == "gpt" || from == "assistant" || from == "model" || from == "function_call";
    std::string p = "conversations";
    AppendIndex(&p, i);
    auto val = c[i].FindMember("value");
    if (val == c[i].MemberEnd()) val = c[i].FindMember("content");
    if (val != c[i].MemberEnd()) {
      v.Emit(val->value, p + (std::string_view(val->name.GetString()) == "value" ? ".value" : ".content"), from,
             trained, TextKind::kContent, static_cast<int>(i));
    }
  }
}

void AlpacaTexts(Visitor& v, rapidjson::Value& rec) {
  // In conversation order: system, history (whose answers are trained, as LLaMA-Factory trains them by
  // default: mask_history off), then instruction, input, output.
  auto sys = rec.FindMember("system");
  if (sys != rec.MemberEnd()) v.Emit(sys->value, "system", "system", false, TextKind::kContent, 0);
  auto h = rec.FindMember("history");
  int i = 1;
  if (h != rec.MemberEnd() && h->value.IsArray()) {
    for (rapidjson::SizeType k = 0; k < h->value.Size(); ++k) {
      rapidjson::Value& pair = h->value[k];
      if (!pair.IsArray()) continue;
      for (rapidjson::SizeType j = 0; j < pair.Size() && j < 2; ++j) {
        std::string p = "history";
        AppendIndex(&p, k);
        AppendIndex(&p, j);
        v.Emit(pair[j], p, j == 0 ? "user" : "assistant", j == 1, TextKind::kContent, i++);
      }
    }
  }
  for (const char* k : {"instruction", "input", "output"}) {
    auto f = rec.FindMember(k);
    bool out = std::string_view(k) == "output";
    if (f != rec.MemberEnd()) v.Emit(f->value, k, out ? "assistant" : "user", out, TextKind::kContent, i);
    ++i;
  }
}

void DollyTexts(Visitor& v, rapidjson::Value& rec) {
  int i = 0;
  for (const char* k : {"instruction", "context", "response"}) {
    auto f = rec.FindMember(k);
    bool out = i == 2;
    if (f != rec.MemberEnd()) v.Emit(f->value, k, out ? "assistant" : "user", out, TextKind::kContent, i);
    ++i;
  }
}

void GeminiTexts(Visitor& v, rapidjson::Value& rec) {
  auto si = rec.FindMember("systemInstruction");
  if (si != rec.MemberEnd() && si->value.IsObject()) {
    auto parts = si->value.FindMember("parts");
    if (parts != si->value.MemberEnd()) v.Content(parts->value, "systemInstruction.parts", "system", false, -1);
  }
  rapidjson::Value& c = rec["contents"];
  for (rapidjson::SizeType i = 0; i < c.Size(); ++i) {
    if (!c[i].IsObject()) continue;
    std::string_view role = Str(Get(c[i], "role"));
    std::string p = "contents";
    AppendIndex(&p, i);
    auto parts = c[i].FindMember("parts");
    if (parts != c[i].MemberEnd()) v.Content(parts->value, p + ".parts", role, role == "model", static_cast<int>(i));
  }
}

void BedrockConverseTexts(Visitor& v, rapidjson::Value& rec) {
  auto sys = rec.FindMember("system");
  if (sys != rec.MemberEnd()) v.Content(sys->value, "system", "system", false, -1);
  v.Messages(rec["messages"], "messages", true);
}

void TrlPreferenceTexts(Visitor& v, rapidjson::Value& rec) {
  int i = 0;
  for (const char* k : {"prompt", "chosen", "rejected"}) {
    auto f = rec.FindMember(k);
    bool out = i > 0;
    if (f != rec.MemberEnd()) {
      if (f->value.IsArray()) {
        v.Messages(f->value, k, out);
      } else {
        v.Emit(f->value, k, out ? "assistant" : "user", out, TextKind::kContent, i);
      }
    }
    ++i;
  }
}

}  // namespace

void ForEachText(rapidjson::Value& rec, Shape shape, const std::function<void(TextRef&)>& fn) {
  if (!rec.IsObject()) return;
  Visitor v{fn};
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
