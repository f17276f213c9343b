// validators/conversation — chat formats that are not OpenAI's, configured by the profile:
//   Vertex AI Gemini   {"systemInstruction": {"parts": [{"text"}]}, "contents": [{"role": "user"|"model",
//                       "parts": [{"text": ...}]}]}
//   Bedrock Nova       {"schemaVersion": "bedrock-conversation-2024", "system": [{"text"}],
//                       "messages": [{"role": "user"|"assistant", "content": [{"text": ...}]}]}
//   Bedrock Claude     {"system": "...", "messages": [{"role": "user"|"assistant", "content": "..."}]}
//   Cohere             {"messages": [{"role": "System"|"User"|"Chatbot", "content": "..."}]}
// Config: "messages_key", "content_key", "content" ("string" | "parts"), "roles", "first_role", "last_role",
// "alternate" (user/assistant turns alternate), "system_key" + "system" ("string" | "parts" | "object_parts"),
// "record_keys", "schema_version" (required value of "schemaVersion"), "min_turns", "max_turns".
// Converse media and text (Bedrock Nova): "media" {"image_formats", "video_formats", "roles" (turns that may hold
// media), "s3_only" (source.s3Location.uri as s3://[\w\-/.]+), "max_images", "max_videos" (per turn),
// "one_kind" (no video with images in one turn)}, "empty_text" (false: a turn of text parts only that are all
// empty is an error), "reserved" (strings no text may contain, compared without regard to case).
#include <cctype>

#include "../common/rule_util.h"

namespace {

using ftprep::rules::Get;
using ftprep::rules::Index;
using ftprep::rules::Key;
using ftprep::rules::Quote;
using ftprep::rules::Str;

const ftprep_rule_info kRules[] = {
    {"conv.messages.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "record has no turns array"},
    {"conv.messages.type", FTPREP_ERROR, FTPREP_FIX_NONE, "the turns are not a non-empty array"},
    {"conv.messages.count", FTPREP_ERROR, FTPREP_FIX_NONE, "too few or too many turns"},
    {"conv.message.type", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn is not an object"},
    {"conv.role.unknown", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn has a missing or unknown role"},
    {"conv.role.alternation", FTPREP_ERROR, FTPREP_FIX_NONE, "turns do not alternate"},
    {"conv.role.first", FTPREP_ERROR, FTPREP_FIX_NONE, "the first turn has the wrong role"},
    {"conv.role.last", FTPREP_ERROR, FTPREP_FIX_NONE, "the last turn has the wrong role"},
    {"conv.content.missing", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn has no content"},
    {"conv.content.type", FTPREP_ERROR, FTPREP_FIX_NONE, "content has the wrong type"},
    {"conv.part.type", FTPREP_ERROR, FTPREP_FIX_NONE, "a content part has no text"},
    {"conv.system.type", FTPREP_ERROR, FTPREP_FIX_NONE, "the system prompt has the wrong type"},
    {"conv.record.unknown_key", FTPREP_WARNING, FTPREP_FIX_NONE, "record has a key the provider does not know"},
    {"conv.schema_version", FTPREP_ERROR, FTPREP_FIX_NONE, "schemaVersion missing or wrong"},
    {"conv.media.role", FTPREP_ERROR, FTPREP_FIX_NONE, "image or video in a turn whose role may not hold media"},
    {"conv.media.format", FTPREP_ERROR, FTPREP_FIX_NONE, "image or video format the provider does not accept"},
    {"conv.media.uri", FTPREP_ERROR, FTPREP_FIX_NONE, "media source is not a valid S3 URI"},
    {"conv.media.mixed", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn holds both a video and images"},
    {"conv.media.count", FTPREP_ERROR, FTPREP_FIX_NONE, "more images or videos in a turn than allowed"},
    {"conv.text.empty", FTPREP_ERROR, FTPREP_FIX_NONE, "a turn whose text is empty"},
    {"conv.text.reserved", FTPREP_ERROR, FTPREP_FIX_NONE, "text contains a keyword the provider reserves"},
};

// Media rules of a Converse turn (Bedrock Nova).
struct MediaConfig {
  bool on = false, s3_only = false, one_kind = false;
  std::vector<std::string> image_formats, video_formats, roles;
  int64_t max_images = 0, max_videos = 0;  // 0 = any number
};

class Conversation : public ftprep::plugin::RuleSet {
 public:
  bool Configure(const rapidjson::Value& c) override {
    using ftprep::rules::CfgStr;
    messages_key_ = CfgStr(c, "messages_key", "messages");
    content_key_ = CfgStr(c, "content_key", "content");
    content_ = CfgStr(c, "content", "string");
    roles_ = ftprep::rules::CfgList(c, "roles", {"user", "assistant"});
    first_ = CfgStr(c, "first_role", "");
    last_ = CfgStr(c, "last_role", "");
    alternate_ = ftprep::rules::CfgBool(c, "alternate", false);
    system_key_ = CfgStr(c, "system_key", "");
    system_ = CfgStr(c, "system", "string");
    record_keys_ = ftprep::rules::CfgList(c, "record_keys", {});
    schema_version_ = CfgStr(c, "schema_version", "");
    min_turns_ = ftprep::rules::CfgInt(c, "min_turns", 1);
    max_turns_ = ftprep::rules::CfgInt(c, "max_turns", 0);
    empty_text_ = ftprep::rules::CfgBool(c, "empty_text", true);
    reserved_ = ftprep::rules::CfgList(c, "reserved", {});
    for (const auto& r : reserved_) reserved_lower_.push_back(Lower(r));
    if (const rapidjson::Value* m = Get(c, "media")) {
      media_.on = true;
      media_.image_formats = ftprep::rules::CfgList(*m, "image_formats", {});
      media_.video_formats = ftprep::rules::CfgList(*m, "video_formats", {});
      media_.roles = ftprep::rules::CfgList(*m, "roles", {});
      media_.s3_only = ftprep::rules::CfgBool(*m, "s3_only", false);
      media_.one_kind = ftprep::rules::CfgBool(*m, "one_kind", false);
      media_.max_images = ftprep::rules::CfgInt(*m, "max_images", 0);
      media_.max_videos = ftprep::rules::CfgInt(*m, "max_videos", 0);
    }
    if (content_ != "string" && content_ != "parts") return error_ = "content must be \"string\" or \"parts\"", false;
    return true;
  }

  void Check(const rapidjson::Value& rec, uint64_t, ftprep::plugin::Emitter& out) override {
    if (!record_keys_.empty()) {
      for (const auto& m : rec.GetObject()) {
        if (!ftprep::rules::Contains(record_keys_, Str(m.name))) {
          out.Emit("conv.record.unknown_key", FTPREP_WARNING, Key("", Str(m.name)), "unknown top-level key " + Quote(Str(m.name)));
        }
      }
    }
    if (!schema_version_.empty()) {
      const rapidjson::Value* v = Get(rec, "schemaVersion");
      if (!v || !v->IsString() || Str(*v) != schema_version_) {
        out.Emit("conv.schema_version", FTPREP_ERROR, "schemaVersion", "\"schemaVersion\" must be " + Quote(schema_version_));
      }
    }
    if (!system_key_.empty()) {
      if (const rapidjson::Value* s = Get(rec, system_key_.c_str())) CheckSystem(*s, out);
    }
    const rapidjson::Value* msgs = Get(rec, messages_key_.c_str());
    if (msgs == nullptr) {
      out.Emit("conv.messages.missing", FTPREP_ERROR, "", "record has no `" + messages_key_ + "` array");
      return;
    }
    if (!msgs->IsArray() || msgs->Empty()) {
      out.Emit("conv.messages.type", FTPREP_ERROR, messages_key_, "`" + messages_key_ + "` must be a non-empty array");
      return;
    }
    int64_t n = msgs->Size();
    if (n < min_turns_ || (max_turns_ > 0 && n > max_turns_)) {
      out.Emit("conv.messages.count", FTPREP_ERROR, messages_key_,
               std::to_string(n) + (n == 1 ? " turn" : " turns") + "; allowed: " + std::to_string(min_turns_) + " to " +
                   (max_turns_ > 0 ? std::to_string(max_turns_) : std::string("any number")));
    }
    std::string prev;
    for (rapidjson::SizeType i = 0; i < msgs->Size(); ++i) {
      const rapidjson::Value& m = (*msgs)[i];
      std::string mp = Index(messages_key_, i);
      if (!m.IsObject()) {
        out.Emit("conv.message.type", FTPREP_ERROR, mp, "a turn must be an object");
        continue;
      }
      const rapidjson::Value* role = Get(m, "role");
      std::string r = role && role->IsString() ? std::string(Str(*role)) : std::string();
      if (!ftprep::rules::Contains(roles_, r)) {
        out.Emit("conv.role.unknown", FTPREP_ERROR, Key(mp, "role"),
                 (r.empty() ? std::string("missing role") : "unknown role " + Quote(r)) + " (expected " + Join(roles_) + ")");
      } else {
        if (i == 0 && !first_.empty() && r != first_) {
          out.Emit("conv.role.first", FTPREP_ERROR, Key(mp, "role"), "the first turn must be " + Quote(first_));
        }
        if (alternate_ && r == prev) {
          out.Emit("conv.role.alternation", FTPREP_ERROR, Key(mp, "role"), "two " + Quote(r) + " turns in a row");
        }
        prev = r;
      }
      const rapidjson::Value* c = Get(m, content_key_.c_str());
      if (c == nullptr) {
        out.Emit("conv.content.missing", FTPREP_ERROR, mp, "turn has no `" + content_key_ + "`");
      } else if (content_ == "string") {
        if (!c->IsString()) {
          out.Emit("conv.content.type", FTPREP_ERROR, Key(mp, content_key_),
                   "`" + content_key_ + "` must be a string, not " + ftprep::rules::TypeName(*c));
        }
      } else {
        CheckParts(*c, Key(mp, content_key_), out);
        if (c->IsArray()) CheckTurnParts(*c, Key(mp, content_key_), r, out);
      }
    }
    if (!last_.empty()) {
      const rapidjson::Value* role = Get((*msgs)[msgs->Size() - 1], "role");
      if (!role || !role->IsString() || Str(*role) != last_) {
        out.Emit("conv.role.last", FTPREP_ERROR, Index(messages_key_, msgs->Size() - 1),
                 "the last turn must be " + Quote(last_));
      }
    }
  }

 private:
  static std::string Join(const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s;
  }

  void CheckParts(const rapidjson::Value& c, const std::string& p, ftprep::plugin::Emitter& out,
                  const char* rule = "conv.content.type") {
    if (!c.IsArray() || c.Empty()) {
      out.Emit(rule, FTPREP_ERROR, p, "`" + p.substr(p.rfind('.') == std::string::npos ? 0 : p.rfind('.') + 1) + "` must be a non-empty array of parts");
      return;
    }
    for (rapidjson::SizeType k = 0; k < c.Size(); ++k) {
      const rapidjson::Value* t = Get(c[k], "text");
      if (!t || !t->IsString()) {
        // Non-text parts (images, documents, tool use) are accepted by some providers; text is what we check.
        if (c[k].IsObject() && c[k].MemberCount() > 0 && !Get(c[k], "text")) continue;
        out.Emit("conv.part.type", FTPREP_ERROR, Index(p, k), "a part needs a string `text`");
      }
    }
  }

  void CheckSystem(const rapidjson::Value& s, ftprep::plugin::Emitter& out) {
    if (system_ == "string") {
      if (!s.IsString()) {
        out.Emit("conv.system.type", FTPREP_ERROR, system_key_, "`" + system_key_ + "` must be a string");
      }
    } else if (system_ == "parts") {
      CheckParts(s, system_key_, out, "conv.system.type");
      if (s.IsArray()) {
        for (rapidjson::SizeType k = 0; k < s.Size(); ++k) CheckReserved(s[k], Index(system_key_, k), out);
      }
    } else {  // object_parts: {"parts": [...]}, Gemini's systemInstruction
      const rapidjson::Value* parts = Get(s, "parts");
      if (!parts) {
        out.Emit("conv.system.type", FTPREP_ERROR, system_key_, "`" + system_key_ + "` must be an object with `parts`");
      } else {
        CheckParts(*parts, Key(system_key_, "parts"), out, "conv.system.type");
      }
    }
  }

  static std::string Lower(std::string_view s) {
    std::string out(s);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  }

  // A text part containing a reserved keyword (Nova: role prefixes such as "User:", "[EOS]", "<image>").
  void CheckReserved(const rapidjson::Value& part, const std::string& p, ftprep::plugin::Emitter& out) {
    const rapidjson::Value* t = Get(part, "text");
    if (reserved_.empty() || !t || !t->IsString()) return;
    std::string low = Lower(Str(*t));
    for (size_t i = 0; i < reserved_.size(); ++i) {
      if (low.find(reserved_lower_[i]) != std::string::npos) {
        out.Emit("conv.text.reserved", FTPREP_ERROR, Key(p, "text"),
                 "text contains the reserved keyword " + Quote(reserved_[i]) + " (in any case); reword it");
        return;
      }
    }
  }

  // Empty text, reserved keywords and media of one turn's parts.
  void CheckTurnParts(const rapidjson::Value& c, const std::string& p, const std::string& role,
                      ftprep::plugin::Emitter& out) {
    bool any_text = false, any_media = false;
    size_t text_len = 0;
    int64_t images = 0, videos = 0;
    for (rapidjson::SizeType k = 0; k < c.Size(); ++k) {
      const rapidjson::Value& part = c[k];
      if (!part.IsObject()) continue;
      std::string pp = Index(p, k);
      if (const rapidjson::Value* t = Get(part, "text"); t && t->IsString()) {
        any_text = true;
        text_len += t->GetStringLength();
        CheckReserved(part, pp, out);
      }
      for (const char* kind : {"image", "video", "document"}) {
        const rapidjson::Value* m = Get(part, kind);
        if (m == nullptr) continue;
        any_media = true;
        if (kind[0] == 'i') ++images;
        if (kind[0] == 'v') ++videos;
        if (media_.on && kind[0] != 'd') CheckMedia(*m, Key(pp, kind), kind, role, out);
      }
    }
    if (!empty_text_ && any_text && !any_media && text_len == 0) {
      out.Emit("conv.text.empty", FTPREP_ERROR, p, "the turn's text is empty");
    }
    if (!media_.on) return;
    if (media_.one_kind && videos > 0 && images > 0) {
      out.Emit("conv.media.mixed", FTPREP_ERROR, p, "a turn cannot hold both a video and images");
    }
    if (media_.max_images > 0 && images > media_.max_images) {
      out.Emit("conv.media.count", FTPREP_ERROR, p,
               std::to_string(images) + " images in one turn; at most " + std::to_string(media_.max_images));
    }
    if (media_.max_videos > 0 && videos > media_.max_videos) {
      out.Emit("conv.media.count", FTPREP_ERROR, p,
               std::to_string(videos) + " videos in one turn; at most " + std::to_string(media_.max_videos));
    }
  }

  void CheckMedia(const rapidjson::Value& m, const std::string& p, const char* kind, const std::string& role,
                  ftprep::plugin::Emitter& out) {
    if (!media_.roles.empty() && !ftprep::rules::Contains(media_.roles, role)) {
      out.Emit("conv.media.role", FTPREP_ERROR, p,
               std::string(kind[0] == 'i' ? "an " : "a ") + kind + " may only be in a " + Join(media_.roles) +
                   " turn, not in " + Quote(role));
    }
    const auto& formats = kind[0] == 'i' ? media_.image_formats : media_.video_formats;
    const rapidjson::Value* f = Get(m, "format");
    if (!formats.empty() && (!f || !f->IsString() || !ftprep::rules::Contains(formats, Lower(Str(*f))))) {
      out.Emit("conv.media.format", FTPREP_ERROR, Key(p, "format"),
               std::string(kind) + " format " + (f && f->IsString() ? Quote(Str(*f)) : std::string("missing")) +
                   "; accepted: " + Join(formats));
    }
    if (!media_.s3_only) return;
    const rapidjson::Value* src = Get(m, "source");
    const rapidjson::Value* loc = src ? Get(*src, "s3Location") : nullptr;
    const rapidjson::Value* uri = loc ? Get(*loc, "uri") : nullptr;
    std::string up = Key(Key(Key(p, "source"), "s3Location"), "uri");
    if (!uri || !uri->IsString()) {
      out.Emit("conv.media.uri", FTPREP_ERROR, up, std::string("a ") + kind + " needs source.s3Location.uri");
      return;
    }
    std::string_view u = Str(*uri);
    bool ok = u.rfind("s3://", 0) == 0 && u.size() > 5;
    for (size_t i = 5; ok && i < u.size(); ++i) {
      unsigned char ch = static_cast<unsigned char>(u[i]);
      ok = std::isalnum(ch) || ch == '_' || ch == '-' || ch == '/' || ch == '.';
    }
    if (!ok) {
      out.Emit("conv.media.uri", FTPREP_ERROR, up,
               "media URI must be s3:// followed by letters, digits, _ - / and . only, got " + Quote(u));
    }
  }

  std::string messages_key_, content_key_, content_, first_, last_, system_key_, system_, schema_version_;
  std::vector<std::string> roles_, record_keys_, reserved_, reserved_lower_;
  MediaConfig media_;
  bool empty_text_ = true;
  bool alternate_ = false;
  int64_t min_turns_ = 1, max_turns_ = 0;
};

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_rules_v1 rules =
      ftprep::plugin::MakeRules<Conversation>(kRules, sizeof(kRules) / sizeof(kRules[0]));
  static const ftprep_plugin_v1 p = ftprep::plugin::DescribeRules(
      "conversation", "1.0", &rules, "non-OpenAI chat formats (Gemini, Bedrock Nova/Claude, Cohere) by configuration");
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
