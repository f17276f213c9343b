// Placeholder until the merge issue lands: reports that the tool is not available in this build.
#include "tools.h"

namespace ftprep {
Status MergeMain(int, char**) { return Status(Code::kUnavailable, "'merge' is not implemented yet in this build"); }
}  // namespace ftprep
