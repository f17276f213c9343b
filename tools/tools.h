// tools/tools.h — the entry point of each tool (one file per tool in tools/). Each returns a Status; only
// main turns it into an exit code and prints the final error.
#ifndef FTPREP_TOOLS_TOOLS_H_
#define FTPREP_TOOLS_TOOLS_H_

#include <span>
#include <string>

#include "ftprep/status.h"

namespace ftprep {
Status ConvertMain(int argc, char** argv);
Status CleanMain(int argc, char** argv);
Status SplitMain(int argc, char** argv);
Status ValidateMain(int argc, char** argv);
Status CountMain(int argc, char** argv);
Status PriceMain(int argc, char** argv);
Status PrepareMain(int argc, char** argv);
Status PluginsMain(int argc, char** argv);
Status MergeMain(int argc, char** argv);
Status CompletionMain(int argc, char** argv);

// The one table of tools (main.cpp): `ftprep help`, "did you mean", man pages and completions come from it.
struct ToolEntry {
  const char* name;
  Status (*main)(int, char**);
  const char* summary;
};
std::span<const ToolEntry> Tools();
// What `ftprep help` prints.
std::string TopLevelHelp();
}  // namespace ftprep

#endif  // FTPREP_TOOLS_TOOLS_H_
