// Placeholder until the clean issue lands: reports that the tool is not available in this build.
#include "tools.h"

namespace ftprep {
Status CleanMain(int, char**) { return Status(Code::kUnavailable, "'clean' is not implemented yet in this build"); }
}  // namespace ftprep
