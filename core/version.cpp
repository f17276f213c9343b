// The version string, from CMake's project(VERSION).
namespace ftprep {
const char* Version() { return FTPREP_VERSION; }
}  // namespace ftprep
