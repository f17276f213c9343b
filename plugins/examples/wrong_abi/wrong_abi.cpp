// Test fixture for `ftprep plugins`: exports the right entry symbol but claims ABI 99.0, which the host must
// reject with the reason "wrong ABI". Not a usable plugin.
#include "ftprep/plugin.hpp"

namespace {

const ftprep_plugin_v1* Describe(const ftprep_host*) {
  static const ftprep_plugin_v1 p = {99, 0, sizeof(ftprep_plugin_v1), "wrong_abi", "0.1", FTPREP_KIND_RULE,
                                     "fixture: built for ABI 99", nullptr, nullptr};
  return &p;
}

}  // namespace

FTPREP_PLUGIN(Describe)
