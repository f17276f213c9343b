# Tokenizer build fragment (included by the top CMakeLists.txt after ftprep_core is defined).
#
# Converts the .tiktoken vocabularies in core/data/encodings/ into the binary tables of
# core/tokenizer/vocab_format.h with a small host program, and embeds them with .incbin
# (core/tokenizer/vocab_embed.cpp). r50k_base shares p50k_base's table (the generator checks that
# r50k is a subset). The Unicode tables are generated offline and committed (unicode_tables.cpp).

set(FTPREP_TOK_SRC ${CMAKE_SOURCE_DIR}/core/tokenizer)
set(FTPREP_TOK_DATA ${CMAKE_SOURCE_DIR}/core/data/encodings)
set(FTPREP_VOCAB_DIR ${CMAKE_BINARY_DIR}/generated/vocab)
file(MAKE_DIRECTORY ${FTPREP_VOCAB_DIR})

add_executable(ftprep_vocab_gen ${FTPREP_TOK_SRC}/vocab_gen.cc)
target_include_directories(ftprep_vocab_gen PRIVATE ${FTPREP_TOK_SRC})

set(FTPREP_VOCAB_BINS "")
foreach(enc p50k_base cl100k_base o200k_base)
  set(extra "")
  if(enc STREQUAL "p50k_base")
    set(extra ${FTPREP_TOK_DATA}/r50k_base.tiktoken)
  endif()
  add_custom_command(
    OUTPUT ${FTPREP_VOCAB_DIR}/${enc}.bin
    COMMAND ftprep_vocab_gen ${FTPREP_VOCAB_DIR}/${enc}.bin ${FTPREP_TOK_DATA}/${enc}.tiktoken ${extra}
    DEPENDS ftprep_vocab_gen ${FTPREP_TOK_DATA}/${enc}.tiktoken ${extra}
    COMMENT "Generating vocabulary table ${enc}.bin"
    VERBATIM)
  list(APPEND FTPREP_VOCAB_BINS ${FTPREP_VOCAB_DIR}/${enc}.bin)
endforeach()
add_custom_target(ftprep_vocab_tables DEPENDS ${FTPREP_VOCAB_BINS})
add_dependencies(ftprep_core ftprep_vocab_tables)

set_source_files_properties(${FTPREP_TOK_SRC}/vocab_embed.cpp PROPERTIES
  OBJECT_DEPENDS "${FTPREP_VOCAB_BINS}"
  COMPILE_DEFINITIONS "FTPREP_VOCAB_DIR=\"${FTPREP_VOCAB_DIR}\"")
