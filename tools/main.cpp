// ftprep — prepares datasets for fine-tuning language models. `ftprep <tool> [options] [FILE...]`.
// This file holds the one table of tools; `ftprep help` and "did you mean" come from it.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cli.h"
#include "io.h"
#include "tools.h"

namespace ftprep {
const char* Version();
namespace {

const ToolEntry kTools[] = {
    {"convert", ConvertMain, "CSV/TSV/XLSX/JSON/JSONL/TXT to training JSONL in any target schema, and back"},
    {"clean", CleanMain, "normalise Unicode and whitespace, deduplicate, filter, redact; every change counted"},
    {"split", SplitMain, "train/valid/test, nested, stratified, grouped and hash-stable splits"},
    {"validate", ValidateMain, "check records against a provider profile; every bad line, CI exit codes"},
    {"count", CountMain, "exact tiktoken-compatible token counts and length statistics"},
    {"price", PriceMain, "training, synthesis and inference cost, epochs, steps and break-even"},
    {"prepare", PrepareMain, "the guided prepare_data flow for prompt/completion and chat data"},
    {"plugins", PluginsMain, "list built-in and loaded plugins, and rejected plugin files with reasons"},
    {"merge", MergeMain, "merge JSON reports of shards into the report of the whole run"},
    {"completion", CompletionMain, "print the bash, zsh or fish completion script, or a man page"},
};

const char kUsage[] =
    "usage: ftprep <tool> [options] [FILE...]\n"
    "\n"
    "Prepares datasets for fine-tuning language models. Tools read any supported format (FILE or '-' for\n"
    "stdin) and write JSON Lines to stdout unless -o is given, so they chain in a pipe.\n"
    "\n"
    "tools:\n";

const char kExitCodes[] =
    "\nexit codes: 0 success; 1 the data failed (validation errors, rejected records); 2 usage, I/O or\n"
    "internal error; 130 interrupted (Ctrl-C; 143 after SIGTERM), nothing half-written. A closed pipe downstream\n"
    "ends quietly with 0.\n"
    "Run 'ftprep <tool> --help' for a tool's options.\n";

void PrintHelp(FILE* out) { std::fputs(TopLevelHelp().c_str(), out); }

}  // namespace

std::span<const ToolEntry> Tools() { return kTools; }

std::string TopLevelHelp() {
  std::string out = kUsage;
  char line[256];
  for (const auto& t : kTools) {
    std::snprintf(line, sizeof line, "  %-10s %s\n", t.name, t.summary);
    out += line;
  }
  return out + kExitCodes;
}

}  // namespace ftprep

int main(int argc, char** argv) {
  using namespace ftprep;  // NOLINT: main only
  InstallSignalHandlers();
  if (argc < 2) {
    PrintHelp(stderr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "--version" || cmd == "version") {
    std::printf("ftprep %s\n", Version());
    return 0;
  }
  if (cmd == "help" || cmd == "--help" || cmd == "-h") {
    if (argc >= 3) {
      for (const auto& t : kTools) {
        if (std::strcmp(argv[2], t.name) == 0) {
          char help[] = "--help";
          char* args[] = {argv[2], help, nullptr};
          SetToolName(t.name);
          return ExitCodeFor(t.main(2, args));
        }
      }
    }
    PrintHelp(stdout);
    return 0;
  }
  for (const auto& t : kTools) {
    if (cmd == t.name) {
      SetToolName(t.name);
      Status s = t.main(argc - 1, argv + 1);
      if (!s.ok() && s.code() != Code::kBrokenPipe && !s.message().empty()) {
        std::fflush(stdout);
        std::fprintf(stderr, "%s: %s%s\n", ToolName().c_str(),
                     s.code() == Code::kData ? "" : "error: ", s.message().c_str());
      }
      std::fflush(stdout);
      if (std::ferror(stdout) && s.ok()) return 2;
      if (s.code() == Code::kInterrupted) return InterruptExitCode();
      return ExitCodeFor(s);
    }
  }
  std::vector<std::string> names;
  for (const auto& t : kTools) names.push_back(t.name);
  std::string msg = "ftprep: unknown tool '" + cmd + "'";
  auto close = ClosestNames(cmd, names);
  if (!close.empty()) {
    msg += "; did you mean";
    for (size_t i = 0; i < close.size(); ++i) msg += (i ? " or " : " ") + close[i];
    msg += "?";
  }
  std::fprintf(stderr, "%s (run 'ftprep help' for the list)\n", msg.c_str());
  return 2;
}
