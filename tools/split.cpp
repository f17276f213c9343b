// Placeholder until the split issue lands: reports that the tool is not available in this build.
#include "tools.h"

namespace ftprep {
Status SplitMain(int, char**) { return Status(Code::kUnavailable, "'split' is not implemented yet in this build"); }
}  // namespace ftprep
