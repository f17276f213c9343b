#include "format_reader.h"

#include <utility>
#include <vector>

namespace ftprep {
namespace {

// Filled during static initialisation (before main), read-only afterwards.
std::vector<std::pair<const ftprep_format_v1*, OpenRecordFormatFn>>& Registry() {
  static std::vector<std::pair<const ftprep_format_v1*, OpenRecordFormatFn>> r;
  return r;
}

}  // namespace

void RegisterRecordFormat(const ftprep_format_v1* format, OpenRecordFormatFn open) {
  Registry().emplace_back(format, open);
}

OpenRecordFormatFn FindRecordFormat(const ftprep_format_v1* format) {
  for (const auto& [f, open] : Registry()) {
    if (f == format) return open;
  }
  return nullptr;
}

}  // namespace ftprep
