// Placeholder until the count issue lands: reports that the tool is not available in this build.
#include "tools.h"

namespace ftprep {
Status CountMain(int, char**) { return Status(Code::kUnavailable, "'count' is not implemented yet in this build"); }
}  // namespace ftprep
