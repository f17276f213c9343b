// core/plugin_host.h — the registry of format and rule plugins, built-in and loaded.
//
// Built-ins register at start-up through ftprep_register_builtin() (the FTPREP_PLUGIN macro). External
// plugins are .so files found, in this order, in --plugin-path directories, FTPREP_PLUGIN_PATH
// (colon-separated; "disable" turns loading off), <prefix>/lib/ftprep/plugins/1/ of the configured prefix and,
// when the binary runs as DIR/bin/ftprep, DIR/lib/ftprep/plugins/1/ (a relocated install). A file is rejected, with
// the reason kept for `ftprep plugins`, when it cannot be loaded, lacks the entry symbol, has another ABI
// major, a too small struct_size, an invalid or duplicate name, or an incomplete vtable. Not thread-safe
// while loading; read-only use afterwards is.
#ifndef FTPREP_CORE_PLUGIN_HOST_H_
#define FTPREP_CORE_PLUGIN_HOST_H_

#include <string>
#include <string_view>
#include <vector>

#include "ftprep/plugin_api.h"
#include "ftprep/status.h"

namespace ftprep {

struct PluginInfo {
  std::string name, version, description;
  std::string origin;  // "built-in" or the .so path
  int kind = 0;        // ftprep_plugin_kind
  std::vector<std::string> extensions;
  const ftprep_plugin_v1* desc = nullptr;
};

struct RejectedPlugin {
  std::string path, reason;
};

class PluginRegistry {
 public:
  static PluginRegistry& Get();
  // Loads external plugins once (later calls are no-ops).
  Status LoadExternal(const std::vector<std::string>& cli_paths);
  const std::vector<PluginInfo>& plugins();
  const std::vector<RejectedPlugin>& rejected() const { return rejected_; }
  const PluginInfo* Find(std::string_view name, int kind);
  const PluginInfo* FormatForExtension(std::string_view ext);  // ext like ".csv"
  std::vector<std::string> Names(int kind);

 private:
  void EnsureBuiltins();
  std::string Accept(const ftprep_plugin_v1* d, const std::string& origin);  // "" or the rejection reason
  void LoadFile(const std::string& path);
  bool builtins_done_ = false, external_done_ = false;
  std::vector<PluginInfo> plugins_;
  std::vector<RejectedPlugin> rejected_;
};

// The services given to plugins (error text, warnings, token counting).
const ftprep_host* Host();
// The last error text a plugin set through the host on this thread (cleared by the call).
std::string TakePluginError();
// Where plugin warnings go (default: "ftprep <tool>: warning: ..." on stderr).
void SetPluginWarningSink(void (*sink)(const char* message));
// The tokenizer installs its counter here (keeps the plugin host independent of it).
void SetTokenCounter(long long (*fn)(const char* encoding, const char* text, size_t len));

// Converts plugin return codes to Status codes.
Status PluginStatus(int rc, const std::string& message);

}  // namespace ftprep

#endif  // FTPREP_CORE_PLUGIN_HOST_H_
