// Placeholder until the convert issue lands: reports that the tool is not available in this build.
#include "tools.h"

namespace ftprep {
Status ConvertMain(int, char**) { return Status(Code::kUnavailable, "'convert' is not implemented yet in this build"); }
}  // namespace ftprep
