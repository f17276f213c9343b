// Dialect alpaca: {"instruction":..,"input":..,"output":..,"system"?:..,"history"?:[[q,a],...]} as
// LLaMA-Factory's data/README.md defines it.
// Decoding joins instruction and a non-empty input with a single "\n" into the user message, as LLaMA-Factory's
// README and its converter do ("instruction\ninput"); encoding puts the last user message in instruction
// (input ""), the last assistant message in output, earlier pairs in history and a leading system message in
// system. Also read: ranking records ({"instruction","input","chosen","rejected"} -> OpenAI preference);
// <image> placeholders with an images column (-> OpenAI image parts; video and audio refused). A KTO tag is
// carried through like any other field.
#include "dialect.h"
#include "llamafactory.h"

namespace {
using namespace ftprep::dialect;  // NOLINT: plugin-local

// The prompt: system text, history pairs, then instruction and input joined by "\n".
std::string Prompt(const Value& in, Value* msgs, Alloc& a) {
  std::string instruction, input, system;
  if (!GetStr(in, "instruction", &instruction)) return "instruction: missing or not a string (not an Alpaca record)";
  if (Get(in, "input") && !GetStr(in, "input", &input)) return "input: not a string";
  if (Get(in, "system") && !GetStr(in, "system", &system)) return "system: not a string";
  const Value* hist = Get(in, "history");
  if (hist && !hist->IsNull() && !hist->IsArray()) return "history: not an array";
  msgs->SetArray();
  if (!system.empty()) msgs->PushBack(Message("system", Str(system, a), a), a);
  if (hist && hist->IsArray()) {
    for (rapidjson::SizeType i = 0; i < hist->Size(); ++i) {
      const Value& pair = (*hist)[i];
      if (!pair.IsArray() || pair.Size() != 2 || !pair[0].IsString() || !pair[1].IsString()) {
        return Path("history", i) + ": must be a [question, answer] pair of strings";
      }
      msgs->PushBack(Message("user", pair[0], a), a);
      msgs->PushBack(Message("assistant", pair[1], a), a);
    }
  }
  std::string user = instruction;
  if (!input.empty()) user += (user.empty() ? "" : "\n") + input;
  msgs->PushBack(Message("user", Str(user, a), a), a);
  return "";
}

// LLaMA-Factory's ranking form: chosen and rejected answers to one prompt -> an OpenAI preference record.
std::string DecodeRanking(const Value& in, Value* out, Alloc& a) {
  std::string chosen, rejected;
  if (!GetStr(in, "chosen", &chosen)) return "chosen: not a string";
  if (!GetStr(in, "rejected", &rejected)) return "rejected: not a string";
  return Rebuild(in, out, a, {"instruction", "input", "chosen", "rejected", "system", "history", "images", "videos",
                              "audios"},
                 [&](Value* o) -> std::string {
                   Value msgs;
                   std::string e = Prompt(in, &msgs, a);
                   if (e.empty()) e = lf::DecodeMedia(in, &msgs, a);
                   if (!e.empty()) return e;
                   Value pref(rapidjson::kArrayType), nonpref(rapidjson::kArrayType);
                   pref.PushBack(Message("assistant", Str(chosen, a), a), a);
                   nonpref.PushBack(Message("assistant", Str(rejected, a), a), a);
                   AddPreference(o, msgs, pref, nonpref, a);
                   return "";
                 });
}

std::string Decode(const Value& in, Value* out, Alloc& a) {
  if (!Get(in, "output") && Get(in, "chosen") && Get(in, "rejected")) return DecodeRanking(in, out, a);
  std::string output;
  if (!Get(in, "instruction")) return "instruction: missing or not a string (not an Alpaca record)";
  if (!GetStr(in, "output", &output)) return "output: missing or not a string";
  return Rebuild(in, out, a, {"instruction", "input", "output", "system", "history", "images", "videos", "audios"},
                 [&](Value* o) -> std::string {
                   Value msgs;
                   std::string err = Prompt(in, &msgs, a);
                   if (!err.empty()) return err;
                   msgs.PushBack(Message("assistant", Str(output, a), a), a);
                   err = lf::DecodeMedia(in, &msgs, a);
                   if (!err.empty()) return err;
                   o->AddMember("messages", msgs, a);
                   return "";
                 });
}

std::string Encode(const Value& in, Value* out, Alloc& a) {
  const Value* msgs = nullptr;
  std::string e = CheckChat(in, &msgs);
  if (!e.empty()) return e;
  rapidjson::SizeType n = msgs->Size();
  rapidjson::SizeType i = 0;
  std::string system;
  std::vector<std::pair<std::string, std::string>> turns;
  auto text = [&](rapidjson::SizeType k, std::string* s) -> std::string {
    const Value* c = Get((*msgs)[k], "content");
    if (c == nullptr || !c->IsString()) return Path("messages", k, "content") + ": Alpaca needs string content";
    s->assign(c->GetString(), c->GetStringLength());
    return "";
  };
  std::string role;
  if (n > 0 && GetStr((*msgs)[0], "role", &role) && (role == "system" || role == "developer")) {
    e = text(0, &system);
    if (!e.empty()) return e;
    i = 1;
  }
  if ((n - i) == 0 || (n - i) % 2 != 0) {
    return "messages: Alpaca needs user/assistant pairs ending with an assistant message";
  }
  for (; i < n; i += 2) {
    std::string r1, r2, q, ans;
    GetStr((*msgs)[i], "role", &r1);
    GetStr((*msgs)[i + 1], "role", &r2);
    if (r1 != "user" || r2 != "assistant") {
      return Path("messages", i, "role") + ": Alpaca needs alternating user/assistant messages";
    }
    if (!(e = text(i, &q)).empty() || !(e = text(i + 1, &ans)).empty()) return e;
    turns.push_back({q, ans});
  }
  return Rebuild(in, out, a, {"messages"}, [&](Value* o) -> std::string {
    o->AddMember("instruction", Str(turns.back().first, a), a);
    o->AddMember("input", "", a);
    o->AddMember("output", Str(turns.back().second, a), a);
    if (!system.empty()) o->AddMember("system", Str(system, a), a);
    if (turns.size() > 1) {
      Value hist(rapidjson::kArrayType);
      for (size_t k = 0; k + 1 < turns.size(); ++k) {
        Value pair(rapidjson::kArrayType);
        pair.PushBack(Str(turns[k].first, a), a);
        pair.PushBack(Str(turns[k].second, a), a);
        hist.PushBack(pair, a);
      }
      o->AddMember("history", hist, a);
    }
    return "";
  });
}

int Score(const Value& in) {
  return (Get(in, "instruction") && (Get(in, "output") || (Get(in, "chosen") && Get(in, "rejected")))) ? 90 : 0;
}

}  // namespace

FTPREP_DIALECT("alpaca", "dialect: Alpaca {\"instruction\",\"input\",\"output\"[,\"system\",\"history\"]}",
               Decode, Encode, Score)
