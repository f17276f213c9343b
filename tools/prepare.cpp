// Placeholder until the prepare issue lands: reports that the tool is not available in this build.
#include "tools.h"

namespace ftprep {
Status PrepareMain(int, char**) { return Status(Code::kUnavailable, "'prepare' is not implemented yet in this build"); }
}  // namespace ftprep
