// Embeds the build-time vocabulary tables (core/tokenizer.cmake generates them into the build tree and
// passes their folder as FTPREP_VOCAB_DIR). .incbin keeps the compiler out of it: a multi-megabyte
// array in C++ source would cost seconds and a lot of memory per build.
#include <cstdint>
#include <string_view>

#include "tokenizer/vocab.h"

#ifndef FTPREP_VOCAB_DIR
#error "FTPREP_VOCAB_DIR must be set by core/tokenizer.cmake"
#endif

#define FTPREP_INCBIN(sym, file)                                                                        \
  __asm__(".pushsection .rodata\n.balign 64\n.globl " #sym "\n.hidden " #sym "\n" #sym                  \
          ":\n"                                                                                         \
          ".incbin \"" FTPREP_VOCAB_DIR "/" file "\"\n.globl " #sym "_end\n.hidden " #sym "_end\n" #sym \
          "_end:\n.byte 0\n.popsection\n");                                                             \
  extern "C" const uint8_t sym[];                                                                       \
  extern "C" const uint8_t sym##_end[]

FTPREP_INCBIN(ftprep_vocab_p50k, "p50k_base.bin");
FTPREP_INCBIN(ftprep_vocab_cl100k, "cl100k_base.bin");
FTPREP_INCBIN(ftprep_vocab_o200k, "o200k_base.bin");

namespace ftprep::tok {

std::string_view EmbeddedVocab(VocabId id) {
  const uint8_t* b = nullptr;
  const uint8_t* e = nullptr;
  switch (id) {
    case VocabId::kP50k:
      b = ftprep_vocab_p50k, e = ftprep_vocab_p50k_end;
      break;
    case VocabId::kCl100k:
      b = ftprep_vocab_cl100k, e = ftprep_vocab_cl100k_end;
      break;
    case VocabId::kO200k:
      b = ftprep_vocab_o200k, e = ftprep_vocab_o200k_end;
      break;
  }
  return {reinterpret_cast<const char*>(b), size_t(e - b)};
}

}  // namespace ftprep::tok
