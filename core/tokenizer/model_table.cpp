// tiktoken 0.14's model -> encoding table (tiktoken/model.py), see core/data/encodings/SPEC.md.
#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "edit_distance.h"
#include "tokenizer/encoding.h"

namespace ftprep::tok {
namespace {

struct Entry {
  std::string_view name;
  std::string_view encoding;
};

// MODEL_PREFIX_TO_ENCODING, in tiktoken's order (first match wins). The "ft:" entries are kept for
// completeness but never reached: ft: ids are resolved by their base model first.
constexpr Entry kPrefixes[] = {
    {"o1-", "o200k_base"},
    {"o3-", "o200k_base"},
    {"o4-mini-", "o200k_base"},
    {"gpt-5", "o200k_base"},
    {"gpt-4.5-", "o200k_base"},
    {"gpt-4.1-", "o200k_base"},
    {"chatgpt-4o-", "o200k_base"},
    {"gpt-4o-", "o200k_base"},
    {"gpt-4-", "cl100k_base"},
    {"gpt-3.5-turbo-", "cl100k_base"},
    {"gpt-35-turbo-", "cl100k_base"},
    {"gpt-oss-", "o200k_harmony"},
    {"ft:gpt-4o", "o200k_base"},
    {"ft:gpt-4", "cl100k_base"},
    {"ft:gpt-3.5-turbo", "cl100k_base"},
    {"ft:davinci-002", "cl100k_base"},
    {"ft:babbage-002", "cl100k_base"},
};

// MODEL_TO_ENCODING.
constexpr Entry kExact[] = {
    {"o1", "o200k_base"},
    {"o3", "o200k_base"},
    {"o4-mini", "o200k_base"},
    {"gpt-5", "o200k_base"},
    {"gpt-4.1", "o200k_base"},
    {"gpt-4o", "o200k_base"},
    {"gpt-4", "cl100k_base"},
    {"gpt-3.5-turbo", "cl100k_base"},
    {"gpt-3.5", "cl100k_base"},
    {"gpt-35-turbo", "cl100k_base"},
    {"davinci-002", "cl100k_base"},
    {"babbage-002", "cl100k_base"},
    {"text-embedding-ada-002", "cl100k_base"},
    {"text-embedding-3-small", "cl100k_base"},
    {"text-embedding-3-large", "cl100k_base"},
    {"text-davinci-003", "p50k_base"},
    {"text-davinci-002", "p50k_base"},
    {"code-davinci-002", "p50k_base"},
    {"code-davinci-001", "p50k_base"},
    {"code-cushman-002", "p50k_base"},
    {"code-cushman-001", "p50k_base"},
    {"davinci-codex", "p50k_base"},
    {"cushman-codex", "p50k_base"},
    {"text-davinci-edit-001", "p50k_edit"},
    {"code-davinci-edit-001", "p50k_edit"},
    {"text-davinci-001", "r50k_base"},
    {"text-curie-001", "r50k_base"},
    {"text-babbage-001", "r50k_base"},
    {"text-ada-001", "r50k_base"},
    {"davinci", "r50k_base"},
    {"curie", "r50k_base"},
    {"babbage", "r50k_base"},
    {"ada", "r50k_base"},
    {"text-similarity-davinci-001", "r50k_base"},
    {"text-similarity-curie-001", "r50k_base"},
    {"text-similarity-babbage-001", "r50k_base"},
    {"text-similarity-ada-001", "r50k_base"},
    {"text-search-davinci-doc-001", "r50k_base"},
    {"text-search-curie-doc-001", "r50k_base"},
    {"text-search-babbage-doc-001", "r50k_base"},
    {"text-search-ada-doc-001", "r50k_base"},
    {"code-search-babbage-code-001", "r50k_base"},
    {"code-search-ada-code-001", "r50k_base"},
    {"gpt2", "gpt2"},
    {"gpt-2", "gpt2"},
};

}  // namespace

Result<std::string> EncodingNameForModel(std::string_view model) {
  // "ft:BASE:org:suffix:id" -> BASE. tiktoken matches the raw id against "ft:gpt-4" etc., which sends
  // ft:gpt-4.1-mini to cl100k_base; the base model's own encoding is the right one.
  std::string_view base = model;
  if (base.starts_with("ft:")) {
    base.remove_prefix(3);
    base = base.substr(0, base.find(':'));
  }
  for (const Entry& e : kExact)
    if (e.name == base) return std::string(e.encoding);
  for (const Entry& e : kPrefixes)
    if (!e.name.starts_with("ft:") && base.starts_with(e.name)) return std::string(e.encoding);

  // Unknown: suggest the closest names (prefix entries shown as "gpt-4o-*").
  std::vector<std::pair<size_t, std::string>> cands;
  for (const Entry& e : kExact) cands.emplace_back(EditDistance(base, e.name), std::string(e.name));
  for (const Entry& e : kPrefixes) {
    if (e.name.starts_with("ft:")) continue;
    std::string_view head = base.substr(0, std::min(base.size(), e.name.size()));
    cands.emplace_back(EditDistance(head, e.name), std::string(e.name) + "*");
  }
  std::stable_sort(cands.begin(), cands.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string msg =
      "unknown model '" + std::string(model) + "' (no tiktoken encoding known for it); closest: ";
  for (size_t i = 0; i < 5 && i < cands.size(); ++i) msg += (i ? ", " : "") + cands[i].second;
  msg += "; or name the encoding directly (-e cl100k_base, o200k_base, ...)";
  return NotFoundError(msg);
}

}  // namespace ftprep::tok
