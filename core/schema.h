// core/schema.h — what kind of training record a JSON object is, and where its texts are.
//
// DetectShape looks only at top-level keys and the first messages, so it is cheap. ForEachText visits every
// text string of a record (message contents and content parts, prompt/completion, preference outputs,
// text_list items, ShareGPT/Alpaca/Gemini/Bedrock texts), telling the JSON path, the role, whether the text
// is trained (assistant turns with weight != 0, completions, preferred/non-preferred outputs, text_list
// items with loss weight > 0) and what kind of text it is. Tool-call arguments, tool names and `tools`
// definitions are visited with their own kinds so that token counting can include them while cleaning
// steps can skip them. Thread-safe (pure functions over the given value).
#ifndef FTPREP_CORE_SCHEMA_H_
#define FTPREP_CORE_SCHEMA_H_

#include <rapidjson/document.h>

#include <functional>
#include <string>
#include <string_view>

namespace ftprep {

enum class Shape {
  kUnknown,
  kChat,              // {"messages":[{"role","content"}...], "tools"?}   (OpenAI chat SFT, RFT, Mistral, Together)
  kPreference,        // {"input":{"messages":[...]}, "preferred_output":[...], "non_preferred_output":[...]}
  kPromptCompletion,  // {"prompt":"...", "completion":"..."} (each also a list of messages: TRL conversational)
  kTextList,          // {"data":{"text_list":[...], "loss_weights":[...]}}
  kText,              // {"text":"..."}
  kShareGpt,          // {"conversations":[{"from","value"}...]}
  kAlpaca,            // {"instruction","input","output","history"?:[[q,a],..]}
  kGemini,            // {"contents":[{"role","parts":[{"text"}]}], "systemInstruction"?}
  kBedrockConverse,   // {"schemaVersion"?, "system":[{"text"}], "messages":[{"role","content":[{"text"}]}]}
  kTrlPreference,     // {"prompt","chosen","rejected"}
  kDolly,             // {"instruction","context","response"}
};

const char* ShapeName(Shape s);       // "chat", "preference", "prompt_completion", ...
Shape ShapeFromName(std::string_view name);  // kUnknown if unknown
Shape DetectShape(const rapidjson::Value& record);

enum class TextKind {
  kContent,        // message content / prompt / completion / item text
  kName,           // a message's "name"
  kToolName,       // tool_calls[].function.name
  kToolArguments,  // tool_calls[].function.arguments (JSON text)
  kToolsDef,       // one entry of "tools"/"functions" (visited as its compact JSON in `text` only)
  kUnreadable,     // a text content part whose text no tool can read (a "text" part without a "text" string,
                   // e.g. {"type":"text","value":...}): value is nullptr, `text` says what it holds. Tools
                   // report it under kUnreadableRule instead of counting it as nothing.
};

// The one rule id for content that cannot be read (see TextKind::kUnreadable).
inline constexpr const char kUnreadableRule[] = "content.unreadable";
// The one message for it, from the TextRef's `text` ("cannot read a text content part without ...").
inline std::string UnreadableMessage(std::string_view what) { return "cannot read " + std::string(what); }

struct TextRef {
  rapidjson::Value* value;  // the string value (nullptr for kToolsDef)
  std::string_view text;    // its text
  std::string path;         // JSON path, e.g. messages[2].content
  std::string_view role;    // system/user/assistant/tool/..., "prompt"/"completion" for completions, "" if none
  bool trained;             // does training compute loss on it?
  TextKind kind;
  int message;              // index of the message/turn it belongs to, -1 if none
};

// Visits texts in document order. `fn` may modify *ref.value (then Touch() the record).
void ForEachText(rapidjson::Value& record, Shape shape, const std::function<void(TextRef&)>& fn);
inline void ForEachText(rapidjson::Value& record, const std::function<void(TextRef&)>& fn) {
  ForEachText(record, DetectShape(record), fn);
}

}  // namespace ftprep

#endif  // FTPREP_CORE_SCHEMA_H_
