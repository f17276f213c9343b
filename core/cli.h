// core/cli.h — the thin per-tool command-line layer over Boost.Program_options.
//
// Every tool builds one ToolCli with its usage text, adds its own options, and asks for the shared flags it
// takes; those (inputs, -o, --format, --rejects, --report, --progress, --plugin-path, --force, limits) are
// declared here once. Parse() handles --help (prints the usage, returns false), unknown options with a
// "did you mean" hint, and loads external plugins. Not thread-safe; one per process.
#ifndef FTPREP_CORE_CLI_H_
#define FTPREP_CORE_CLI_H_

#include <boost/program_options.hpp>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ftprep/reader.h"
#include "ftprep/status.h"
#include "ftprep/writer.h"

namespace ftprep {

namespace po = boost::program_options;

enum CommonFlag : unsigned {
  kFlagInput = 1u << 0,     // positional FILE... ("-" = stdin)
  kFlagOutput = 1u << 1,    // -o/--output FILE
  kFlagFormat = 1u << 2,    // --format NAME, --format-opt KEY=VALUE
  kFlagRejects = 1u << 3,   // --rejects FILE
  kFlagReport = 1u << 4,    // --report FILE
  kFlagProgress = 1u << 5,  // --progress never|always|auto
  kFlagPlugins = 1u << 6,   // --plugin-path DIR
  kFlagForce = 1u << 7,     // --force
  kFlagLimits = 1u << 8,    // --max-record-bytes, --max-field-bytes
  kFlagJobs = 1u << 9,      // -j/--jobs N (default: $FTPREP_JOBS, else the number of cores)
  kFlagQuiet = 1u << 10,    // -q/--quiet: only errors on stderr
  kFlagShown = 1u << 11,    // --max-shown N: findings/examples shown per rule (hidden aliases: --max-per-rule,
                            // --max-listed, --examples)
  kFlagHtml = 1u << 20,     // --html FILE: the report as one self-contained HTML page (core/html.h)
  kFlagsStream = kFlagInput | kFlagOutput | kFlagFormat | kFlagRejects | kFlagReport | kFlagProgress |
                 kFlagPlugins | kFlagForce | kFlagLimits,
};

struct CommonFlags {
  std::vector<std::string> inputs;
  std::vector<std::string> read_files;  // other files the tool reads (--rules, --valid, ...): never written
  std::string output = "-";
  std::string format = "auto";
  std::vector<std::string> format_opts;  // KEY=VALUE
  std::string rejects;
  std::string report;
  std::string html;
  std::string progress = "auto";
  std::vector<std::string> plugin_paths;
  bool force = false;
  uint64_t max_record_bytes = 64ull << 20;
  uint64_t max_field_bytes = 16ull << 20;
  size_t jobs = 0;          // 0 = the number of cores
  bool quiet = false;
  size_t max_shown = 20;

  ReadOptions read_options() const;
  OutputOptions output_options() const;  // inputs protected, existing files refused unless force
  // Every tool calls this once, before reading anything: CheckOutputs over -o (or, when the tool expands -o
  // into several files, o_files: split's {split} pattern), --rejects, --report, --html and `extra` (other written
  // paths with their flags).
  Status CheckOutputs(const std::vector<std::string>& o_files = {}, const std::vector<PlannedOutput>& extra = {}) const;
};

class ToolCli {
 public:
  ToolCli(std::string tool, const char* usage, unsigned common_flags);
  // The tool's own options: cli.Add()("seed", po::value<uint64_t>(&seed)->default_value(42), "...").
  po::options_description_easy_init Add() { return own_.add_options(); }
  // Old spellings kept working but left out of "did you mean" (the usage text does not list them either).
  po::options_description_easy_init Hidden() { return hidden_own_.add_options(); }
  // Parses; returns false when --help was handled (the tool then returns OK), an error Status on bad usage.
  Result<bool> Parse(int argc, char** argv);
  // --max-shown N (or an old spelling) when given, else the tool's own default.
  size_t ShownOr(size_t default_n) const;
  bool Given(const std::string& option) const { return vm_.count(option) && !vm_[option].defaulted(); }
  const po::variables_map& vm() const { return vm_; }
  const std::string& tool() const { return tool_; }
  CommonFlags common;

 private:
  std::string tool_;
  const char* usage_;
  unsigned flags_;
  po::options_description own_, hidden_own_;
  po::variables_map vm_;
};

// Introspection for the generated man pages and shell completions (`ftprep completion`): while a hook is
// set, Parse() hands it the tool's usage text and its whole option table (shared flags included), then
// returns false as --help does, without printing or loading plugins. So completions and manuals come from
// the very tables the parser uses and cannot drift from them.
using IntrospectHook = void (*)(const std::string& tool, const char* usage, const po::options_description& options);
void SetIntrospectHook(IntrospectHook hook);

// "did you mean" support: the closest candidates to `word` by edit distance (at most 3 of them).
std::vector<std::string> ClosestNames(const std::string& word, const std::vector<std::string>& candidates);
// Parses "123", "64M", "2G", "16k" into bytes.
Result<uint64_t> ParseByteSize(const std::string& text);

// The tool name used as message prefix ("ftprep validate"); set by main.
void SetToolName(const std::string& tool);
const std::string& ToolName();

}  // namespace ftprep

#endif  // FTPREP_CORE_CLI_H_
