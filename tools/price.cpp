// Placeholder until the price issue lands: reports that the tool is not available in this build.
#include "tools.h"

namespace ftprep {
Status PriceMain(int, char**) { return Status(Code::kUnavailable, "'price' is not implemented yet in this build"); }
}  // namespace ftprep
