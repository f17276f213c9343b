// libFuzzer target: the tokenizer (pre-tokenizer + BPE) of every encoding, against the reference invariants.
// Byte 0 picks the encoding; the rest is the text (any bytes). For each input:
//   - Encode never fails in ordinary mode and never crashes on any bytes; every id is < n_vocab();
//   - Count(x) == Encode(x).size() in every mode;
//   - ordinary mode: Decode(Encode(x)) == x for valid UTF-8 x, and == the lossy repair of x otherwise
//     (invalid bytes become U+FFFD as tiktoken's String::from_utf8_lossy), and Encode(x) == Encode(repair(x));
//   - all-specials mode: Decode(Encode(x)) == the repaired x too (special ids decode to their own text), and
//     equals ordinary mode when x spells no special token;
//   - strict mode: either the ordinary ids, or a kData error with no ids (x spells a special token).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "ftprep/tokenizer.h"
#include "tokenizer/utf8_repair.h"
#include "utf8.h"

namespace {

void Check(bool ok, const char* what, const std::string& enc) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated (%s): %s\n", enc.c_str(), what);
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const auto& names = ftprep::Tokenizer::EncodingNames();
  const std::string& enc = names[data[0] % names.size()];
  auto tok = ftprep::Tokenizer::Get(enc);
  Check(tok.ok(), "Get failed", enc);
  const ftprep::Tokenizer* t = *tok;
  std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string repaired;
  ftprep::tok::RepairUtf8(data + 1, size - 1, &repaired);
  const bool valid = ftprep::IsValidUtf8(text);
  Check(!valid || repaired == text, "repair changed valid UTF-8", enc);

  std::vector<uint32_t> ordinary;
  Check(t->Encode(text, ftprep::SpecialMode::kOrdinary, &ordinary).ok(), "ordinary Encode failed", enc);
  for (uint32_t id : ordinary) Check(id < t->n_vocab(), "id out of range", enc);
  Check(t->Decode(ordinary) == repaired, "Decode(Encode(x)) != x (ordinary)", enc);
  auto n = t->Count(text, ftprep::SpecialMode::kOrdinary);
  Check(n.ok() && *n == ordinary.size(), "Count != Encode().size() (ordinary)", enc);
  if (!valid) {
    std::vector<uint32_t> again;
    Check(t->Encode(repaired, ftprep::SpecialMode::kOrdinary, &again).ok() && again == ordinary,
          "Encode(x) != Encode(repair(x))", enc);
  }

  std::vector<uint32_t> all;
  Check(t->Encode(text, ftprep::SpecialMode::kAll, &all).ok(), "all-specials Encode failed", enc);
  for (uint32_t id : all) Check(id < t->n_vocab(), "id out of range (all)", enc);
  Check(t->Decode(all) == repaired, "Decode(Encode(x)) != x (all specials)", enc);
  auto na = t->Count(text, ftprep::SpecialMode::kAll);
  Check(na.ok() && *na == all.size(), "Count != Encode().size() (all specials)", enc);
  bool spells_special = false;
  for (uint32_t id : all) {
    std::string piece = t->Decode(&id, 1);
    if (t->SpecialId(piece) == static_cast<int64_t>(id)) spells_special = true;
  }
  if (!spells_special) Check(all == ordinary, "all-specials ids differ from ordinary without a special", enc);

  std::vector<uint32_t> strict;
  ftprep::Status s = t->Encode(text, ftprep::SpecialMode::kStrict, &strict);
  if (s.ok()) {
    Check(strict == ordinary, "strict ids differ from ordinary", enc);
    auto ns = t->Count(text, ftprep::SpecialMode::kStrict);
    Check(ns.ok() && *ns == strict.size(), "Count != Encode().size() (strict)", enc);
  } else {
    Check(s.code() == ftprep::Code::kData && strict.empty(), "strict failure is not a kData error with no ids", enc);
    Check(spells_special, "strict mode rejected a text that spells no special token", enc);
  }
  return 0;
}
