/* ftprep/plugin_api.h — the plain-C boundary between ftprep and its plugins (ABI 1.0).
 *
 * A plugin is a shared object (or sources compiled into ftprep: built-ins use the very same descriptor) that
 * exports one entry symbol:
 *
 *     const ftprep_plugin_v1* <name>_ftprep_plugin_v1(const ftprep_host* host);
 *
 * where <name> is the file name without "lib" and ".so" (refusals.so -> refusals_ftprep_plugin_v1). The
 * returned descriptor starts with abi_major/abi_minor/struct_size; the host rejects a plugin whose abi_major
 * differs from FTPREP_ABI_MAJOR, or whose struct_size is smaller than the 1.0 layout. Minor versions only add
 * fields at the end of structs (check struct_size before reading them).
 *
 * Rules of the boundary: only C types cross it; no exceptions escape a plugin (C++ plugins catch everything,
 * plugin.hpp does it for you); a plugin never writes to stdout/stderr — it reports through return codes, the
 * error text setter and the finding/warning callbacks. Strings passed to a plugin are valid only during the
 * call; strings a plugin returns stay valid until its next call on the same state object. All text is UTF-8.
 * Threading: one state object (reader or rule set) is used by one thread at a time; distinct states may be
 * used concurrently.
 */
#ifndef FTPREP_PLUGIN_API_H_
#define FTPREP_PLUGIN_API_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define FTPREP_ABI_MAJOR 1
#define FTPREP_ABI_MINOR 0

/* Return codes of plugin calls. */
typedef enum ftprep_rc {
  FTPREP_OK = 0,
  FTPREP_END = 1,          /* reader: no more records */
  FTPREP_ERR_DATA = 2,     /* the input is bad as a whole (not a per-record problem) */
  FTPREP_ERR_USAGE = 3,    /* bad option value */
  FTPREP_ERR_IO = 4,       /* cannot read */
  FTPREP_ERR_LIMIT = 5,    /* a resource limit was hit (zip bomb, record too large, ...) */
  FTPREP_ERR_INTERNAL = 6
} ftprep_rc;

typedef enum ftprep_plugin_kind { FTPREP_KIND_FORMAT = 1, FTPREP_KIND_RULE = 2 } ftprep_plugin_kind;
typedef enum ftprep_severity { FTPREP_INFO = 0, FTPREP_WARNING = 1, FTPREP_ERROR = 2 } ftprep_severity;
typedef enum ftprep_fix_kind { FTPREP_FIX_NONE = 0, FTPREP_FIX_NECESSARY = 1, FTPREP_FIX_OPTIONAL = 2 } ftprep_fix_kind;

/* A byte source the host opened (file, stdin, decompressed .gz/.zst). read() returns the number of bytes
 * read, 0 at end, -1 on error. size is -1 when unknown (pipes, compressed input). */
typedef struct ftprep_stream {
  void* ctx;
  long long (*read)(void* ctx, char* buf, size_t len);
  const char* name;        /* as shown in messages: the path or "<stdin>" */
  const char* path;        /* a real file path that can be opened/mmapped, or NULL (stdin, compressed) */
  long long size;
} ftprep_stream;

/* Services the host offers to plugins. */
typedef struct ftprep_host {
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t struct_size;
  void* ctx;
  /* Sets the error text of the failing call (the host adds file name and tool prefix). */
  void (*set_error)(void* ctx, const char* message);
  /* A non-fatal note for the user (e.g. "sheet 'Sheet2' ignored"). */
  void (*warn)(void* ctx, const char* message);
  /* Tokens of text in an encoding ("cl100k_base", ...); returns -1 if the tokenizer is unavailable. */
  long long (*count_tokens)(void* ctx, const char* encoding, const char* text, size_t len);
} ftprep_host;

/* Options: a NULL-terminated array of "key", "value" pairs, e.g. {"delimiter", ";", "header", "0", NULL}. */
typedef const char* const* ftprep_options;

/* One record produced by a reader. */
typedef struct ftprep_record_out {
  const char* json;        /* the record as a compact JSON object, UTF-8; NULL if error is set */
  size_t json_len;
  uint64_t line;           /* 1-based line (text formats) or row (sheets) where the record starts */
  uint64_t column;         /* 1-based byte column of a problem, 0 if none */
  const char* error;       /* non-NULL: the record is bad (per-record problem; the stream goes on) */
  const char* rule_id;     /* id of the problem, e.g. "csv.ragged_row"; NULL if none */
  const char* raw;         /* original bytes of the record, for --rejects; may be NULL */
  size_t raw_len;
  const char* sheet;       /* sheet name for workbooks, else NULL */
} ftprep_record_out;

/* A format: bytes <-> records. Any member may be NULL if unsupported. */
typedef struct ftprep_format_v1 {
  uint32_t struct_size;
  const char* extensions;  /* comma-separated, lower case, with dots: ".csv,.tsv" */
  /* 0..100: how sure the format is that `head` (the first bytes of the input) is its format. */
  int (*sniff)(const char* head, size_t len, const char* name);
  int (*open_reader)(const ftprep_host* host, ftprep_stream* in, ftprep_options options, void** reader);
  int (*next)(void* reader, ftprep_record_out* out);
  /* Text of the last error of this reader (structural errors from next/open). */
  const char* (*error)(void* reader);
  void (*close_reader)(void* reader);
  /* Writer: records (compact JSON objects) to bytes via write_bytes. */
  int (*open_writer)(const ftprep_host* host, ftprep_options options,
                     int (*write_bytes)(void* sink, const char* data, size_t len), void* sink, void** writer);
  int (*write)(void* writer, const char* json, size_t len);
  int (*close_writer)(void* writer);
} ftprep_format_v1;

/* Rules. A rule plugin is a set of rules (one id each) checked together against each record. */
typedef struct ftprep_rule_info {
  const char* id;          /* "chat.role.unknown" */
  int severity;            /* ftprep_severity default */
  int fix;                 /* ftprep_fix_kind */
  const char* summary;     /* one line: what the rule checks */
} ftprep_rule_info;

typedef struct ftprep_finding {
  const char* rule_id;
  int severity;            /* ftprep_severity */
  const char* path;        /* JSON path of the problem, "messages[3].tool_calls[1]", "" = whole record */
  const char* message;
} ftprep_finding;

typedef void (*ftprep_emit_fn)(void* emit_ctx, const ftprep_finding* finding);

typedef struct ftprep_rules_v1 {
  uint32_t struct_size;
  const ftprep_rule_info* rules;
  size_t n_rules;
  /* config_json: the profile's settings for this rule set as a JSON object (limits, enabled ids), or "{}". */
  int (*create)(const ftprep_host* host, const char* config_json, void** state);
  /* Check one record (a JSON object). `line` is for dataset rules that remember where things were. */
  int (*check)(void* state, const char* json, size_t len, uint64_t line, ftprep_emit_fn emit, void* emit_ctx);
  /* Optional: apply the fix of rule_id to the record; out and out_len get the new JSON (owned by the plugin,
   * valid until the next call). Returns FTPREP_OK if changed, FTPREP_END if nothing to change. */
  int (*fix)(void* state, const char* json, size_t len, const char* rule_id, const char** out, size_t* out_len);
  /* Optional: dataset rules report after the last record. */
  int (*finish)(void* state, ftprep_emit_fn emit, void* emit_ctx);
  const char* (*error)(void* state);
  void (*destroy)(void* state);
} ftprep_rules_v1;

/* What the entry symbol returns. */
typedef struct ftprep_plugin_v1 {
  uint32_t abi_major;
  uint32_t abi_minor;
  uint32_t struct_size;
  const char* name;        /* unique; lower case, [a-z0-9_-] */
  const char* version;
  int kind;                /* ftprep_plugin_kind */
  const char* description;
  const ftprep_format_v1* format;  /* kind == FORMAT */
  const ftprep_rules_v1* rules;    /* kind == RULE */
} ftprep_plugin_v1;

typedef const ftprep_plugin_v1* (*ftprep_plugin_entry_v1)(const ftprep_host* host);

#ifdef __cplusplus
}
#endif

#endif /* FTPREP_PLUGIN_API_H_ */
