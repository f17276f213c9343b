// Installs the tokenizer as the plugin host's token counter (ftprep_host.count_tokens) for every binary
// that links the core, so that every tool — not only validate — gives plugins exact counts: convert's TXT
// chunking (--chunk-tokens) and token-limit rules count the same tokens `ftprep count` reports. The plugin
// host stays independent of the tokenizer; this file is the one link between them.
#include "ftprep/tokenizer.h"
#include "plugin_host.h"

namespace ftprep {
namespace {

// Exact tiktoken-compatible counts; special-token text counted as ordinary text (what training sees).
// -1 for an unknown encoding, so that the plugin can fall back or report it.
long long CountTokens(const char* encoding, const char* text, size_t len) {
  auto tok = Tokenizer::Get(encoding ? encoding : "");
  if (!tok.ok()) return -1;
  auto n = (*tok)->Count(std::string_view(text, len), SpecialMode::kOrdinary);
  return n.ok() ? static_cast<long long>(*n) : -1;
}

// The counter pointer in plugin_host.cpp is constant-initialised (nullptr), so this dynamic initialiser
// is safe whatever the order of initialisation across files.
const bool kInstalled = (SetTokenCounter(&CountTokens), true);

}  // namespace
}  // namespace ftprep
