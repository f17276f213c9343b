#include "prepare/prepare.h"

#include <rapidjson/document.h>
#include <unicode/locid.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <set>
#include <unordered_set>
#include <span>

#include "ftprep/record.h"
#include "prepare/affix.h"
#include "split/rng.h"

namespace ftprep::prepare {
namespace {

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Shows separators readably: `\n\n###\n\n`.
std::string Show(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += c;
    }
  }
  return out;
}

std::string RowList(const std::vector<uint64_t>& rows) {
  std::string s;
  for (size_t i = 0; i < rows.size() && i < 10; ++i) s += (i ? ", " : "") + std::to_string(rows[i]);
  if (rows.size() > 10) s += " and " + std::to_string(rows.size() - 10) + " more";
  return s;
}

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string Lower(std::string_view s) {
  std::string out;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  u.toLower(icu::Locale::getRoot());
  u.toUTF8String(out);
  return out;
}

std::string AsciiLower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// upper * 2 > lower over all cased letters of a column.
bool MostlyUpper(const std::vector<Example*>& ex, bool prompt) {
  uint64_t upper = 0, lower = 0;
  for (const Example* e : ex) {
    const std::string& s = prompt ? e->prompt : e->completion;
    int32_t i = 0, n = static_cast<int32_t>(s.size());
    while (i < n) {
      UChar32 c;
      U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), i, n, c);
      if (c < 0) continue;
      if (u_isupper(c)) {
        ++upper;
      } else if (u_islower(c)) {
        ++lower;
      }
    }
  }
  return upper * 2 > lower;
}

std::vector<Example*> Alive(std::vector<Example>& ex) {
  std::vector<Example*> out;
  for (auto& e : ex) {
    if (!e.removed) out.push_back(&e);
  }
  return out;
}

std::vector<const std::string*> Column(const std::vector<Example*>& ex, bool prompt) {
  std::vector<const std::string*> out;
  for (const Example* e : ex) out.push_back(prompt ? &e->prompt : &e->completion);
  return out;
}

bool AllEqual(const std::vector<const std::string*>& v) {
  for (const auto* s : v) {
    if (*s != *v[0]) return false;
  }
  return true;
}

bool OccursEarlier(const std::vector<const std::string*>& v, const std::string& suffix) {
  for (const auto* s : v) {
    if (s->size() > suffix.size() && s->substr(0, s->size() - suffix.size()).find(suffix) != std::string::npos) {
      return true;
    }
  }
  return false;
}

void RemoveIds(std::vector<Example>& ex, const std::set<uint64_t>& ids) {
  for (auto& e : ex) {
    if (ids.count(e.id)) e.removed = true;
  }
}

}  // namespace

const char* TaskName(Task t) {
  switch (t) {
    case Task::kOpenEnded: return "open-ended generation";
    case Task::kClassification: return "classification";
    default: return "conditional generation";
  }
}

std::string CommonPrefix(const std::vector<const std::string*>& t) {
  CommonPrefixOf p;
  for (const auto* s : t) p.Add(*s);
  return p.Result();
}

std::string CommonSuffix(const std::vector<const std::string*>& t) {
  CommonSuffixOf p;
  for (const auto* s : t) p.Add(*s);
  return p.Result();
}

void LegacySplit(const std::vector<size_t>& kept, std::vector<size_t>* train, std::vector<size_t>* valid) {
  size_t n = kept.size();
  size_t n_train = std::max(n > 1000 ? n - 1000 : 0, static_cast<size_t>(n * 8 / 10));
  std::vector<size_t> order = kept;
  // Seed 42 through split's documented generator (core/split/rng.h): the same input gives the same files on
  // every platform, and `ftprep split --seed 42` draws from the same stream.
  split::Rng rng(42);
  split::Shuffle(std::span<size_t>(order), rng);
  train->assign(order.begin(), order.begin() + static_cast<long>(n_train));
  valid->assign(order.begin() + static_cast<long>(n_train), order.end());
  std::sort(valid->begin(), valid->end());
}

namespace {

// The legacy checks for prompt/completion data, each one rule with its own name, in the legacy order. A rule
// adds findings and fixes: a necessary fix is applied at once (later rules see the fixed data), an optional
// one is a closure the fix loop applies later in check order; the affix rules all see the examples alive
// after the necessary fixes, as the legacy flow did. An error stops the run of rules.
class CompletionChecks {
 public:
  CompletionChecks(const Input& in, std::vector<Example>& ex,
                   const std::function<int64_t(const std::string&)>& tc)
      : in(in), ex(ex), token_count(tc) {}

  Analysis Run() {
    using Rule = void (CompletionChecks::*)();
    static constexpr Rule kRules[] = {
        &CompletionChecks::NumExamples,      &CompletionChecks::Columns,
        &CompletionChecks::ExtraColumns,     &CompletionChecks::EmptyCompletions,
        &CompletionChecks::TaskType,         &CompletionChecks::Duplicates,
        &CompletionChecks::LongExamples,     &CompletionChecks::Uppercase,
        &CompletionChecks::SingleExample,    &CompletionChecks::PromptSuffix,
        &CompletionChecks::PromptPrefix,     &CompletionChecks::CompletionPrefix,
        &CompletionChecks::CompletionSuffix, &CompletionChecks::LeadingSpace,
    };
    for (Rule r : kRules) {
      (this->*r)();
      if (a.failed) break;
    }
    return std::move(a);
  }

 private:
  void info(const std::string& check, const std::string& text) {
    a.messages.push_back({Message::kInfo, check, text});
  }
  void warn(const std::string& check, const std::string& text) {
    a.messages.push_back({Message::kWarning, check, text});
  }
  void error(const std::string& check, const std::string& text) {
    a.messages.push_back({Message::kError, check, text});
    a.failed = true;
  }
  void necessary(const std::string& check, const std::string& desc, std::vector<uint64_t> rows = {},
                 std::function<void(Example&)> edit = {}) {
    Fix f;
    f.check = f.id = check;
    f.description = desc;
    f.edit = std::move(edit);
    f.necessary = true;
    f.applied = true;
    f.rows = std::move(rows);
    a.fixes.push_back(std::move(f));
  }
  // `edit` changes one example and looks at nothing else, so the fix can also run record by record (the
  // completions rule set's Fix); `apply` runs it over every example still in.
  void optional(const std::string& check, const std::string& desc, std::function<void(Example&)> edit,
                std::vector<uint64_t> rows = {}, std::string id = {}) {
    Fix f;
    f.check = check;
    f.id = id.empty() ? check : id;
    f.description = desc;
    f.apply = [edit](std::vector<Example>& v) {
      for (auto& e : v) {
        if (!e.removed) edit(e);
      }
    };
    f.edit = std::move(edit);
    f.rows = std::move(rows);
    a.fixes.push_back(std::move(f));
  }

  void NumExamples() {
    // 1. number of examples
    a.examples = ex.size();
    std::string count =
        "Your file contains " + Plural(ex.size(), "prompt-completion pair", "prompt-completion pairs");
    if (ex.size() < 100) {
      count +=
          ". In general, we recommend having at least a few hundred examples: quality tends to grow "
          "steadily with every doubling of the number of examples";
    }
    info("num_examples", count);
  }

  void Columns() {
    // 2-3. prompt and completion columns
    for (const char* key : {"prompt", "completion"}) {
      const std::string& used = std::string(key) == "prompt" ? in.prompt_key : in.completion_key;
      if (used.empty()) {
        error("necessary_column", std::string("The `") + key +
                                      "` column/key is missing. Name your columns/keys "
                                      "`prompt` and `completion`, then retry");
      } else if (used != key) {
        info("necessary_column", "The `" + used + "` column/key should be lowercase");
        necessary("necessary_column", "Rename column/key `" + used + "` to `" + key + "`");
      }
    }
    if (a.failed) return;
  }

  void ExtraColumns() {
    // 4. extra columns: dropped; warn once about names that look like a duplicated prompt/completion column.
    std::vector<std::string> extra;
    for (const auto& c : in.columns) {
      if (c != in.prompt_key && c != in.completion_key) extra.push_back(c);
    }
    if (!extra.empty()) {
      std::string names;
      bool suspicious = false;
      for (const auto& c : extra) {
        names += (names.empty() ? "`" : ", `") + c + "`";
        std::string l = AsciiLower(c);
        if (l.find("prompt") != std::string::npos || l.find("completion") != std::string::npos)
          suspicious = true;
      }
      info("additional_column", "Your file contains " + Plural(extra.size(), "column/key", "columns/keys") +
                                    " besides `prompt` and `completion`: " + names);
      if (suspicious) {
        warn("additional_column",
             "Some of the additional columns/keys have `prompt` or `completion` in their name "
             "(a duplicated header?). Only `" +
                 in.prompt_key + "` and `" + in.completion_key + "` are used");
      }
      necessary("additional_column", "Remove additional columns/keys: " + names);
    }
    if (!in.null_prompt_rows.empty()) {
      warn("missing_value", Plural(in.null_prompt_rows.size(), "row has", "rows have") +
                                " a JSON null or missing `prompt`, read as an empty prompt. Rows: " +
                                RowList(in.null_prompt_rows));
    }
    if (!in.null_completion_rows.empty()) {
      warn("missing_value", Plural(in.null_completion_rows.size(), "row has", "rows have") +
                                " a JSON null or missing `completion`, read as empty. Rows: " +
                                RowList(in.null_completion_rows));
    }
    if (!in.non_string_rows.empty()) {
      warn("non_string_value",
           Plural(in.non_string_rows.size(), "row has", "rows have") +
               " a number, boolean or object as prompt or completion; it is written as its JSON "
               "text. Rows: " +
               RowList(in.non_string_rows));
    }
  }

  void EmptyCompletions() {
    // 5. empty completions (necessary). Whitespace-only completions are not empty.
    std::vector<uint64_t> empty_rows;
    for (auto& e : ex) {
      if (!e.removed && e.completion.empty()) {
        empty_rows.push_back(e.line);
        e.removed = true;
      }
    }
    if (!empty_rows.empty()) {
      info("non_empty_completion", "`completion` should not be empty. Rows: " + RowList(empty_rows));
      necessary("non_empty_completion",
                "Remove " + Plural(empty_rows.size(), "row", "rows") + " with empty completions", empty_rows,
                [](Example& e) { e.removed = e.removed || e.completion.empty(); });
    }
  }

  void TaskType() {
    live = Alive(ex);
    n = live.size();
    if (n == 0) {
      error("num_examples", "No examples are left after removing empty completions");
      return;
    }
    prompts = Column(live, true);
    completions = Column(live, false);

    // Task type.
    bool open_ended =
        std::all_of(prompts.begin(), prompts.end(), [](const std::string* s) { return s->empty(); });
    std::unordered_set<std::string> distinct;
    for (const auto* c : completions) distinct.insert(*c);
    distinct_ = distinct.size();
    if (open_ended) {
      a.task = Task::kOpenEnded;
    } else if (static_cast<double>(distinct.size()) < static_cast<double>(n) / 3.0) {
      a.task = Task::kClassification;
    } else {
      a.task = Task::kConditionalGeneration;
    }

    // 6. classification note
    if (a.task == Task::kClassification) {
      info("classification",
           "Based on your data it seems like you're fine-tuning a model for classification (" +
               std::to_string(distinct_) + " distinct completions in " + std::to_string(n) +
               " examples). Keep a held-out set to measure the model's accuracy; a small model "
               "such as gpt-4.1-nano or gpt-4o-mini is usually enough");
    }
  }

  void Duplicates() {
    // 7. duplicates (optional, keep the first)
    {
      std::set<std::pair<std::string, std::string>> seen;
      std::set<uint64_t> dups;
      std::vector<uint64_t> rows;
      for (const Example* e : live) {
        if (!seen.insert({e->prompt, e->completion}).second) {
          dups.insert(e->id);
          rows.push_back(e->line);
        }
      }
      if (!dups.empty()) {
        info("duplicated_rows", std::string(dups.size() == 1 ? "There is " : "There are ") +
                                    Plural(dups.size(), "duplicated prompt-completion pair",
                                           "duplicated prompt-completion pairs") +
                                    " (the first of each is kept). Rows: " + RowList(rows));
        optional(
            "duplicated_rows", "Remove " + Plural(dups.size(), "duplicate row", "duplicate rows"),
            [seen = std::make_shared<std::set<std::pair<std::string, std::string>>>()](Example& e) {
              // The first of each pair stays, as above: the fix runs in input order on the same texts.
              if (!seen->insert({e.prompt, e.completion}).second) e.removed = true;
            },
            rows);
      }
    }
  }

  void LongExamples() {
    // 8. long examples (not for open-ended)
    if (a.task != Task::kOpenEnded) {
      std::set<uint64_t> longs;
      std::vector<uint64_t> rows;
      int64_t max_tokens = -1;
      for (const Example* e : live) {
        if (CodePoints(e->prompt) + CodePoints(e->completion) > 10000) {
          longs.insert(e->id);
          rows.push_back(e->line);
          if (token_count) max_tokens = std::max(max_tokens, token_count(e->prompt + e->completion));
        }
      }
      if (!longs.empty()) {
        std::string t = std::string(longs.size() == 1 ? "There is " : "There are ") +
                        Plural(longs.size(), "example", "examples") +
                        " longer than 10,000 characters (prompt + completion)";
        if (max_tokens >= 0) t += "; the longest has " + std::to_string(max_tokens) + " tokens";
        info("long_examples", t + ". Rows: " + RowList(rows));
        optional(
            "long_examples", "Remove " + Plural(longs.size(), "long example", "long examples"),
            [](Example& e) {
              if (CodePoints(e.prompt) + CodePoints(e.completion) > 10000) e.removed = true;
            },
            rows);
      }
    }
  }

  void Uppercase() {
    // 9-10. mostly uppercase columns
    for (bool p : {true, false}) {
      if (MostlyUpper(live, p)) {
        std::string col = p ? "prompt" : "completion";
        info("lower_case",
             "More than a third of your `" + col +
                 "` column/key is uppercase. Uppercase text tends "
                 "to train worse than the mixed case of normal language; lowercase it if that makes sense "
                 "in your domain");
        optional(
            "lower_case", "Lowercase all your data in column/key `" + col + "`",
            [p](Example& e) {
              std::string& s = p ? e.prompt : e.completion;
              s = Lower(s);
            },
            {}, "lower_case." + col);
      }
    }
  }

  void SingleExample() {
    // Affix checks compare examples with each other: with a single example they would mistake its whole text
    // for a common suffix, so they are skipped (the leading-space check still runs).
    if (n < 2) {
      info("common_suffix", "Only one example: the common prefix, suffix and ending checks are skipped");
    }
  }

  void PromptSuffix() {
    // 11. prompt suffix (not for open-ended)
    if (a.task != Task::kOpenEnded && n > 1) {
      if (AllEqual(prompts)) {
        error("identical_prompts", "All prompts are identical: `" + Show(*prompts[0]) +
                                       "`. Put the input of each example in its prompt");
        return;
      }
      std::string suffix = CommonSuffix(prompts);
      if (!suffix.empty() && n > 1) {
        std::string t = "All prompts end with suffix `" + Show(suffix) + "`";
        if (CodePoints(suffix) > 10)
          t += ". This suffix seems very long; consider a shorter one such as `\\n\\n###\\n\\n`";
        info("common_suffix", t);
        if (OccursEarlier(prompts, suffix)) {
          warn("common_suffix", "Some prompts contain the suffix `" + Show(suffix) +
                                    "` more than once; review them "
                                    "and use a separator that occurs only at the end");
        }
      } else {
        bool newline = std::any_of(prompts.begin(), prompts.end(),
                                   [](const std::string* s) { return s->find('\n') != std::string::npos; });
        std::string sep = "\n\n### =>\n\n";
        for (const char* cand :
             {" ->", "\n\n###\n\n", "\n\n===\n\n", "\n\n---\n\n", "\n\n===>\n\n", "\n\n--->\n\n"}) {
          std::string c = cand;
          if (c == " ->" && newline) continue;
          if (std::none_of(prompts.begin(), prompts.end(),
                           [&](const std::string* s) { return s->find(c) != std::string::npos; })) {
            sep = c;
            break;
          }
        }
        info("common_suffix",
             "Your prompts do not end with a common separator. A separator at the end of every "
             "prompt shows the model where the completion begins (for open-ended generation, "
             "leave the prompts empty instead)");
        optional("common_suffix", "Add a suffix separator `" + Show(sep) + "` to all prompts",
                 [sep](Example& e) { e.prompt += sep; });
      }
    }
  }

  void PromptPrefix() {
    // 12. prompt prefix longer than 12 characters
    if (n > 1 && !AllEqual(prompts)) {
      std::string prefix = CommonPrefix(prompts);
      if (CodePoints(prefix) > 12) {
        info("common_prefix",
             "All prompts start with prefix `" + Show(prefix) +
                 "`. Fine-tuning does not need "
                 "task instructions or few-shot examples in every prompt; the input data is enough");
        optional("common_prefix", "Remove prefix `" + Show(prefix) + "` from all prompts",
                 [prefix](Example& e) {
                   if (e.prompt.compare(0, prefix.size(), prefix) == 0) e.prompt.erase(0, prefix.size());
                 });
      }
    }
  }

  void CompletionPrefix() {
    // 13. completion prefix of 5+ characters (any task). Legacy wrote the whole column into each completion:
    // here exactly the prefix goes, and one leading space stays when the prefix began with one.
    if (n > 1 && !AllEqual(completions)) {
      std::string prefix = CommonPrefix(completions);
      if (CodePoints(prefix) >= 5) {
        info("completion_prefix", "All completions start with prefix `" + Show(prefix) +
                                      "`. Most of the time the "
                                      "completion should hold only the output, without a prefix");
        optional("completion_prefix", "Remove prefix `" + Show(prefix) + "` from all completions",
                 [prefix](Example& e) {
                   std::string& s = e.completion;
                   if (s.compare(0, prefix.size(), prefix) != 0) return;
                   s.erase(0, prefix.size());
                   if (prefix[0] == ' ') s = " " + s;
                 });
      }
    }
  }

  void CompletionSuffix() {
    // 14. completion ending (not for open-ended or classification)
    if (a.task == Task::kConditionalGeneration && n > 1) {
      if (AllEqual(completions)) {
        error("identical_completions", "All completions are identical: `" + Show(*completions[0]) + "`");
        return;
      }
      std::string suffix = CommonSuffix(completions);
      if (!suffix.empty()) {
        std::string t = "All completions end with suffix `" + Show(suffix) + "`";
        if (CodePoints(suffix) > 10)
          t += ". This suffix seems very long; consider a shorter one such as `\\n`";
        info("completion_suffix", t);
        if (OccursEarlier(completions, suffix)) {
          warn("completion_suffix", "Some completions contain the suffix `" + Show(suffix) +
                                        "` more than once; the "
                                        "model may stop early if it is used as a stop sequence");
        }
      } else {
        std::string end = " [END]";
        for (const char* cand : {"\n", ".", " END", "***", "+++", "&&&", "$$$", "@@@", "%%%"}) {
          std::string c = cand;
          if (std::none_of(completions.begin(), completions.end(),
                           [&](const std::string* s) { return s->find(c) != std::string::npos; })) {
            end = c;
            break;
          }
        }
        info("completion_suffix",
             "Your completions do not end with a common ending. A fixed ending shows the model "
             "where the completion stops, and serves as a stop sequence at inference");
        optional("completion_suffix", "Add a suffix ending `" + Show(end) + "` to all completions",
                 [end](Example& e) { e.completion += end; });
      }
    }
  }

  void LeadingSpace() {
    // 15. completions start with a space
    if (!std::all_of(completions.begin(), completions.end(),
                     [](const std::string* s) { return !s->empty() && (*s)[0] == ' '; })) {
      info("completion_space_start",
           "The completion should start with a space (` `): with the BPE tokenizers, "
           "words are tokens that begin with a space, which tends to give better results");
      optional("completion_space_start", "Add a space character to the beginning of the completion",
               [](Example& e) {
                 if (e.completion.empty() || e.completion[0] != ' ') e.completion = " " + e.completion;
               });
    }
  }

  const Input& in;
  std::vector<Example>& ex;
  const std::function<int64_t(const std::string&)>& token_count;
  Analysis a;
  // Set by TaskType: the examples alive after the necessary fixes, and their columns.
  std::vector<Example*> live;
  size_t n = 0, distinct_ = 0;
  std::vector<const std::string*> prompts, completions;
};

}  // namespace

namespace {

// Value of a prompt/completion field as text; notes null/missing and non-strings.
std::string FieldText(const rapidjson::Value& rec, const std::string& key, bool* null_or_missing,
                      bool* non_string) {
  if (key.empty()) return "";
  auto it = rec.FindMember(key.c_str());
  if (it == rec.MemberEnd() || it->value.IsNull()) {
    *null_or_missing = true;
    return "";
  }
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  *non_string = true;
  return ToJson(it->value);
}

}  // namespace

Input MatchColumns(const std::vector<std::string>& columns, bool text_lines) {
  Input in;
  in.columns = columns;
  auto match = [&](const char* want) -> std::string {
    for (const auto& c : columns) {
      if (c == want) return c;
    }
    for (const auto& c : columns) {
      if (AsciiLower(c) == want) return c;
    }
    return "";
  };
  if (text_lines && !columns.empty()) {
    in.prompt_key = "prompt";
    in.completion_key = columns[0];
    in.columns = {"prompt", columns[0]};
  } else if (!text_lines) {
    in.prompt_key = match("prompt");
    in.completion_key = match("completion");
  }
  return in;
}

void ReadTexts(const rapidjson::Value& rec, const Input& in, bool text_lines, Example* e, bool* null_prompt,
               bool* null_completion, bool* non_string) {
  bool np = false, nc = false, ns = false;
  e->prompt.clear();
  if (!text_lines) e->prompt = FieldText(rec, in.prompt_key, &np, &ns);
  e->completion = FieldText(rec, in.completion_key, &nc, &ns);
  *null_prompt = np && !in.prompt_key.empty();
  *null_completion = nc && !in.completion_key.empty();
  *non_string = ns;
}

Analysis AnalyzeCompletions(const Input& in, std::vector<Example>& ex,
                            const std::function<int64_t(const std::string&)>& token_count) {
  return CompletionChecks(in, ex, token_count).Run();
}

// ---- chat ----------------------------------------------------------------------------------------------

namespace {

std::string NormRole(std::string_view r) {
  std::string l = AsciiLower(std::string(r));
  if (l == "human") return "user";
  if (l == "gpt" || l == "bot" || l == "ai" || l == "model" || l == "chatbot") return "assistant";
  return l;
}

bool IsKnownRole(std::string_view r) {
  return r == "system" || r == "developer" || r == "user" || r == "assistant" || r == "tool" || r == "function";
}

// Parses, edits and re-serialises one chat example.
template <typename F>
bool EditChat(Example& e, F f) {
  rapidjson::Document d;
  ftprep::ParseRecordJson(d, e.chat.data(), e.chat.size());
  if (d.HasParseError() || !d.IsObject() || !d.HasMember("messages") || !d["messages"].IsArray()) return false;
  bool changed = f(d);
  if (changed) e.chat = ToJson(d);
  return changed;
}

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The optional chat fixes, each on one record's document; true if it changed.
bool NormaliseRoles(rapidjson::Document& d) {
  bool ch = false;
  for (auto& m : d["messages"].GetArray()) {
    if (!m.IsObject() || !m.HasMember("role") || !m["role"].IsString()) continue;
    std::string r = m["role"].GetString();
    std::string n = NormRole(r);
    if (n != r && IsKnownRole(n)) {
      m["role"].SetString(n.c_str(), static_cast<rapidjson::SizeType>(n.size()), d.GetAllocator());
      ch = true;
    }
  }
  return ch;
}

bool MergeConsecutive(rapidjson::Document& d) {
  auto& msgs = d["messages"];
  bool ch = false;
  for (rapidjson::SizeType i = 1; i < msgs.Size();) {
    auto& p = msgs[i - 1];
    auto& m = msgs[i];
    bool mergeable =
        p.IsObject() && m.IsObject() && p.HasMember("role") && m.HasMember("role") && p["role"].IsString() &&
        m["role"].IsString() && NormRole(p["role"].GetString()) == NormRole(m["role"].GetString()) &&
        (NormRole(m["role"].GetString()) == "user" || NormRole(m["role"].GetString()) == "assistant") &&
        p.HasMember("content") && m.HasMember("content") && p["content"].IsString() &&
        m["content"].IsString() && !p.HasMember("tool_calls") && !m.HasMember("tool_calls") &&
        !p.HasMember("weight") && !m.HasMember("weight");
    if (!mergeable) {
      ++i;
      continue;
    }
    std::string joined = std::string(p["content"].GetString(), p["content"].GetStringLength()) + "\n\n" +
                         std::string(m["content"].GetString(), m["content"].GetStringLength());
    p["content"].SetString(joined.data(), static_cast<rapidjson::SizeType>(joined.size()), d.GetAllocator());
    msgs.Erase(msgs.Begin() + i);
    ch = true;
  }
  return ch;
}

bool TrimContents(rapidjson::Document& d) {
  bool ch = false;
  for (auto& m : d["messages"].GetArray()) {
    if (!m.IsObject() || !m.HasMember("content") || !m["content"].IsString()) continue;
    std::string_view c(m["content"].GetString(), m["content"].GetStringLength());
    size_t b = 0, en = c.size();
    while (b < en && IsSpace(c[b])) ++b;
    while (en > b && IsSpace(c[en - 1])) --en;
    if (b == 0 && en == c.size()) continue;
    std::string t(c.substr(b, en - b));
    m["content"].SetString(t.data(), static_cast<rapidjson::SizeType>(t.size()), d.GetAllocator());
    ch = true;
  }
  return ch;
}

// Applies one of the above to every example still alive.
std::function<void(std::vector<Example>&)> ForEachChat(bool (*edit)(rapidjson::Document&)) {
  return [edit](std::vector<Example>& v) {
    for (auto& e : v) {
      if (!e.removed) EditChat(e, edit);
    }
  };
}

// What the chat checks find, per example: rows (lines) for the messages and ids for the removals.
struct ChatFacts {
  std::vector<uint64_t> empty_rows, untrained_rows, role_rows, unknown_rows, consecutive_rows, space_rows,
      last_rows;
  std::set<uint64_t> empty_ids, untrained_ids;
  void Scan(const Example& e);
};

void ChatFacts::Scan(const Example& e) {
  rapidjson::Document d;
  ftprep::ParseRecordJson(d, e.chat.data(), e.chat.size());
  const rapidjson::Value* msgs =
      (!d.HasParseError() && d.IsObject() && d.HasMember("messages")) ? &d["messages"] : nullptr;
  if (msgs == nullptr || !msgs->IsArray() || msgs->Empty()) {
    empty_rows.push_back(e.line);
    empty_ids.insert(e.id);
    return;
  }
  bool trained = false, role_fix = false, unknown = false, consecutive = false, spaces = false;
  std::string prev;
  std::string last;
  for (const auto& m : msgs->GetArray()) {
    if (!m.IsObject()) continue;
    std::string role = m.HasMember("role") && m["role"].IsString() ? m["role"].GetString() : "";
    std::string norm = NormRole(role);
    if (norm != role && IsKnownRole(norm)) role_fix = true;
    if (!IsKnownRole(norm)) unknown = true;
    bool has_calls = m.HasMember("tool_calls") || m.HasMember("function_call");
    if (norm == "assistant") {
      bool weighted = !(m.HasMember("weight") && m["weight"].IsNumber() && m["weight"].GetDouble() == 0);
      bool has_content =
          m.HasMember("content") && ((m["content"].IsString() && m["content"].GetStringLength() > 0) ||
                                     (m["content"].IsArray() && !m["content"].Empty()));
      if (weighted && (has_content || has_calls)) trained = true;
    }
    if (norm == prev && (norm == "user" || norm == "assistant") && !has_calls) consecutive = true;
    prev = norm;
    last = norm;
    if (m.HasMember("content") && m["content"].IsString()) {
      std::string_view c(m["content"].GetString(), m["content"].GetStringLength());
      if (!c.empty() && (IsSpace(c.front()) || IsSpace(c.back()))) spaces = true;
    }
  }
  if (!trained) {
    untrained_rows.push_back(e.line);
    untrained_ids.insert(e.id);
  }
  if (role_fix) role_rows.push_back(e.line);
  if (unknown) unknown_rows.push_back(e.line);
  if (consecutive) consecutive_rows.push_back(e.line);
  if (spaces) space_rows.push_back(e.line);
  if (last != "assistant") last_rows.push_back(e.line);
}

}  // namespace

Analysis AnalyzeChat(std::vector<Example>& ex) {
  Analysis a;
  a.examples = ex.size();
  auto info = [&](const std::string& c, const std::string& t) {
    a.messages.push_back({Message::kInfo, c, t});
  };
  auto warn = [&](const std::string& c, const std::string& t) {
    a.messages.push_back({Message::kWarning, c, t});
  };
  std::string count = "Your file contains " + Plural(ex.size(), "chat example", "chat examples");
  if (ex.size() < 10) {
    count +=
        ". OpenAI requires at least 10 examples; 50 to 100 well-crafted ones usually show clear improvements";
  } else if (ex.size() < 100) {
    count += ". 50 to 100 well-crafted examples usually show clear improvements; more help further";
  }
  info("num_examples", count);

  ChatFacts facts;
  for (const auto& e : ex) facts.Scan(e);
  auto& [empty_rows, untrained_rows, role_rows, unknown_rows, consecutive_rows, space_rows, last_rows,
         empty_ids, untrained_ids] = facts;
  auto necessary = [&](const std::string& check, const std::string& desc, const std::set<uint64_t>& ids,
                       std::vector<uint64_t> rows) {
    RemoveIds(ex, ids);
    Fix f;
    f.check = check;
    f.description = desc;
    f.necessary = f.applied = true;
    f.rows = std::move(rows);
    a.fixes.push_back(std::move(f));
  };
  if (!empty_rows.empty()) {
    info("empty_messages", Plural(empty_rows.size(), "example has", "examples have") +
                               " no messages (or `messages` is not an array). Rows: " + RowList(empty_rows));
    necessary("empty_messages",
              "Remove " + Plural(empty_rows.size(), "example", "examples") + " without messages", empty_ids,
              empty_rows);
  }
  if (!untrained_rows.empty()) {
    info("untrained", Plural(untrained_rows.size(), "example has", "examples have") +
                          " no assistant message to learn from (none, empty, or all with weight 0). Rows: " +
                          RowList(untrained_rows));
    necessary("untrained",
              "Remove " + Plural(untrained_rows.size(), "example", "examples") + " with nothing to train on",
              untrained_ids, untrained_rows);
  }
  if (!unknown_rows.empty()) {
    warn("role", Plural(unknown_rows.size(), "example uses", "examples use") +
                     " a role ftprep does not know "
                     "(known: system, developer, user, assistant, tool, function). Rows: " +
                     RowList(unknown_rows));
  }
  if (!last_rows.empty()) {
    warn("last_message", Plural(last_rows.size(), "example does", "examples do") +
                             " not end with an assistant "
                             "message (fine for reinforcement fine-tuning, not for supervised). Rows: " +
                             RowList(last_rows));
  }
  auto opt = [&](const std::string& check, const std::string& desc, std::vector<uint64_t> rows,
                 std::function<void(std::vector<Example>&)> fn) {
    Fix f;
    f.check = check;
    f.description = desc;
    f.apply = std::move(fn);
    f.rows = std::move(rows);
    a.fixes.push_back(std::move(f));
  };
  if (!role_rows.empty()) {
    info("role", Plural(role_rows.size(), "example uses", "examples use") +
                     " role names in another spelling "
                     "(`User`, `human`, `gpt`, `bot`, ...). Rows: " +
                     RowList(role_rows));
    opt("role", "Normalise role names to system/user/assistant", role_rows, ForEachChat(NormaliseRoles));
  }
  if (!consecutive_rows.empty()) {
    info("consecutive_turns", Plural(consecutive_rows.size(), "example has", "examples have") +
                                  " consecutive "
                                  "messages with the same role. Rows: " +
                                  RowList(consecutive_rows));
    opt("consecutive_turns", "Merge consecutive same-role messages (joined by a blank line)",
        consecutive_rows, ForEachChat(MergeConsecutive));
  }
  if (!space_rows.empty()) {
    info("whitespace", Plural(space_rows.size(), "example has", "examples have") +
                           " message contents with "
                           "leading or trailing whitespace. Rows: " +
                           RowList(space_rows));
    opt("whitespace", "Trim leading and trailing whitespace of message contents", space_rows,
        ForEachChat(TrimContents));
  }
  // Duplicates over the examples still alive (exact JSON of the record).
  std::set<std::string> seen;
  std::set<uint64_t> dups;
  std::vector<uint64_t> dup_rows;
  for (auto& e : ex) {
    if (e.removed) continue;
    if (!seen.insert(e.chat).second) {
      dups.insert(e.id);
      dup_rows.push_back(e.line);
    }
  }
  if (!dups.empty()) {
    info("duplicated_rows", std::string(dups.size() == 1 ? "There is " : "There are ") +
                                Plural(dups.size(), "duplicated example", "duplicated examples") +
                                " (the first of each is kept). Rows: " + RowList(dup_rows));
    opt("duplicated_rows", "Remove " + Plural(dups.size(), "duplicate example", "duplicate examples"),
        dup_rows, [dups](std::vector<Example>& v) { RemoveIds(v, dups); });
  }
  return a;
}

}  // namespace ftprep::prepare
