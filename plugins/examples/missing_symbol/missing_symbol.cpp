// Test fixture for `ftprep plugins`: a loadable shared object that does not export
// missing_symbol_ftprep_plugin_v1 (it forgot FTPREP_PLUGIN), so the host rejects it with "missing symbol".
extern "C" __attribute__((visibility("default"))) int missing_symbol_something_else() { return 42; }
