#include "convert/dialect.h"

#include <rapidjson/document.h>

#include <algorithm>

#include "ftprep/json_flags.h"
#include "plugin_host.h"

namespace ftprep::convert {
namespace {

bool IsDialect(const PluginInfo& p) {
  if (p.kind != FTPREP_KIND_FORMAT || p.desc == nullptr || p.desc->format == nullptr) return false;
  const ftprep_format_v1* f = p.desc->format;
  return f->open_reader == nullptr && f->sniff != nullptr && f->open_writer != nullptr &&
         (f->extensions == nullptr || *f->extensions == '\0');
}

}  // namespace

const std::vector<DialectInfo>& BuiltinDialects() {
  static const std::vector<DialectInfo> kAll = {
      {"openai-chat", "chat",
       R"({"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}]})",
       "OpenAI fine-tuning docs (also tools, tool_calls, weight; axolotl chat_template, TRL conversational)",
       "chat"},
      {"openai-preference", "preference",
       R"({"input":{"messages":[{"role":"user","content":"Hi"}]},"preferred_output":[{"role":"assistant",)"
       R"("content":"Hello!"}],"non_preferred_output":[{"role":"assistant","content":"Go away."}]})",
       "OpenAI preference (DPO) fine-tuning docs", "preference"},
      {"sharegpt", "chat",
       R"({"conversations":[{"from":"human","value":"Hi"},{"from":"gpt","value":"Hello!"}],"system":"Be kind."})",
       "LLaMA-Factory data/README.md (also function_call/observation turns and tools), axolotl, FastChat",
       "sharegpt"},
      {"alpaca", "chat", R"({"instruction":"Say hi.","input":"","output":"Hello!","history":[["q","a"]]})",
       "LLaMA-Factory data/README.md, axolotl alpaca (the user turn is instruction, then a non-empty input "
       "after "
       "one \"\\n\")",
       "alpaca"},
      {"dolly", "chat", R"({"instruction":"Say hi.","context":"","response":"Hello!","category":"open_qa"})",
       "Databricks Dolly 15k", "dolly"},
      {"gemini", "chat",
       R"({"systemInstruction":{"parts":[{"text":"Be kind."}]},"contents":[{"role":"user","parts":[{"text":"Hi"}]},)"
       R"({"role":"model","parts":[{"text":"Hello!"}]}]})",
       "Vertex AI Gemini tuning docs", "gemini"},
      {"bedrock-converse", "chat",
       R"({"schemaVersion":"bedrock-conversation-2024","system":[{"text":"Be kind."}],"messages":[{"role":"user",)"
       R"("content":[{"text":"Hi"}]},{"role":"assistant","content":[{"text":"Hello!"}]}]})",
       "Amazon Bedrock conversation fine-tuning docs", "bedrock_converse"},
      {"cohere-chat", "chat",
       R"({"messages":[{"role":"User","content":"Hi"},{"role":"Chatbot","content":"Hello!"}]})",
       "Cohere chat fine-tuning docs (roles System, User, Chatbot)", "chat"},
      {"trl-preference", "preference", R"({"prompt":"The sky is","chosen":" blue.","rejected":" green."})",
       "TRL preference: standard (text) or conversational (message lists), explicit or implicit prompt (no "
       "prompt: the start chosen and rejected share); LLaMA-Factory ranking (conversations, chosen, "
       "rejected)",
       "trl_preference"},
      {"trl-prompt-completion", "chat", R"({"prompt":"The sky is","completion":" blue.","label":true})",
       "TRL prompt-completion, standard (text) or conversational (message lists), and unpaired preference "
       "(KTO: a label true/false, carried through as it is)",
       "prompt_completion"},
  };
  return kAll;
}

const DialectInfo* FindDialectInfo(std::string_view name) {
  for (const auto& d : BuiltinDialects()) {
    if (name == d.name) return &d;
  }
  return nullptr;
}

std::string CanonicalKind(std::string_view json) {
  rapidjson::Document d;
  ParseRecordJson(d, json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return "";
  if (d.HasMember("preferred_output") || d.HasMember("non_preferred_output")) return "preference";
  auto m = d.FindMember("messages");
  if (m != d.MemberEnd() && m->value.IsArray()) return "chat";
  return "";
}

std::string KtoLabelConflict(std::string_view canonical, std::string_view target) {
  if (target == "sharegpt" || target == "trl-prompt-completion") return "";
  const DialectInfo* info = FindDialectInfo(target);
  if (info != nullptr && std::string_view(info->holds) != "chat") return "";  // the kind check says why
  if (canonical.find("\"label\"") == std::string_view::npos) return "";  // the usual case: no parse
  rapidjson::Document d;
  ParseRecordJson(d, canonical.data(), canonical.size());
  if (d.HasParseError() || !d.IsObject()) return "";
  auto label = d.FindMember("label");
  if (label == d.MemberEnd() || !label->value.IsFalse()) return "";
  return std::string(target) +
         " cannot hold a KTO label: \"label\": false marks an answer not to learn from, and " +
         std::string(target) +
         " would train on it (write it --to trl-prompt-completion or sharegpt, or leave such records out)";
}

std::vector<std::string> DialectNames() {
  std::vector<std::string> out;
  for (const auto& p : PluginRegistry::Get().plugins()) {
    if (IsDialect(p)) out.push_back(p.name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string CanonicalDialectName(const std::string& name) {
  std::string n = name == "chat" ? "openai-chat" : name == "preference" ? "openai-preference" : name;
  const PluginInfo* p = PluginRegistry::Get().Find(n, FTPREP_KIND_FORMAT);
  return (p && IsDialect(*p)) ? n : "";
}

std::string SniffDialect(std::string_view record_json) {
  std::string best;
  int best_score = 0;
  std::string text(record_json);
  for (const auto& p : PluginRegistry::Get().plugins()) {
    if (!IsDialect(p)) continue;
    int s = p.desc->format->sniff(text.c_str(), text.size(), "<record>");
    if (s > best_score) {
      best_score = s;
      best = p.name;
    }
  }
  return best;
}

Result<std::unique_ptr<DialectCodec>> DialectCodec::Open(const std::string& name, Direction direction) {
  const PluginInfo* p = PluginRegistry::Get().Find(name, FTPREP_KIND_FORMAT);
  if (p == nullptr || !IsDialect(*p)) {
    std::string names;
    for (const auto& n : DialectNames()) names += (names.empty() ? "" : ", ") + n;
    return UsageError("unknown dialect '" + name + "' (known: " + names + ")");
  }
  std::unique_ptr<DialectCodec> c(new DialectCodec());
  c->name_ = name;
  c->f_ = p->desc->format;
  const char* dir = direction == Direction::kDecode  ? "decode"
                    : direction == Direction::kCheck ? "check"
                                                     : "encode";
  const char* opts[] = {"direction", dir, nullptr, nullptr};
  int rc = c->f_->open_writer(Host(), opts, &DialectCodec::Sink, c.get(), &c->w_);
  if (rc != FTPREP_OK) {
    c->w_ = nullptr;
    return PluginStatus(rc, TakePluginError()).Prepend("dialect " + name + ": ");
  }
  return c;
}

DialectCodec::~DialectCodec() {
  if (w_) f_->close_writer(w_);
}

int DialectCodec::Sink(void* self, const char* data, size_t len) {
  static_cast<DialectCodec*>(self)->buf_.append(data, len);
  return FTPREP_OK;
}

bool DialectCodec::Convert(std::string_view json, std::string* out, std::string* error) {
  buf_.clear();
  TakePluginError();
  int rc = f_->write(w_, json.data(), json.size());
  if (rc != FTPREP_OK) {
    *error = TakePluginError();
    if (error->empty()) *error = "cannot convert this record (" + name_ + ")";
    return false;
  }
  while (!buf_.empty() && (buf_.back() == '\n' || buf_.back() == '\r')) buf_.pop_back();
  out->swap(buf_);
  return true;
}

}  // namespace ftprep::convert
