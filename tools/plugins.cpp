// ftprep plugins — lists the format and rule plugins ftprep knows, and plugin files it rejected, with why.
#include <algorithm>
#include <cstdio>
#include <string>

#include "cli.h"
#include "plugin_host.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep plugins [--plugin-path DIR]... [--json]

Lists every plugin: name, kind (format or rule), version, origin (built-in or the .so path), the file
extensions of formats and the rule ids of rule sets; then every plugin file that was rejected, with the
reason (wrong ABI, missing entry symbol, duplicate name, not a plugin).

Plugins are searched in: --plugin-path DIR (repeatable), then $FTPREP_PLUGIN_PATH (colon-separated;
'disable' turns loading off), then )" FTPREP_PLUGIN_DIR R"(, then PREFIX/lib/ftprep/plugins/1
when ftprep runs as PREFIX/bin/ftprep.
A plugin file NAME.so must export `NAME_ftprep_plugin_v1` (see include/ftprep/plugin_api.h).

options:
  --plugin-path DIR   also load plugins from DIR (or one .so file)
  --json              machine-readable output
  --rules             also list every rule id of rule plugins

exit codes: 0 listed (even with rejected files); 2 usage error.
)";

}  // namespace

Status PluginsMain(int argc, char** argv) {
  ToolCli cli("plugins", kUsage, kFlagPlugins);
  bool json = false, rules = false;
  cli.Add()("json", po::bool_switch(&json), "json")("rules", po::bool_switch(&rules), "rules");
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  auto& reg = PluginRegistry::Get();
  std::string out;
  auto kind = [](int k) { return k == FTPREP_KIND_FORMAT ? "format" : "rule"; };
  if (json) {
    out = "{\"plugins\":[";
    bool first = true;
    for (const auto& p : reg.plugins()) {
      if (!first) out += ',';
      first = false;
      out += "{\"name\":";
      AppendJsonString(p.name, &out);
      out += ",\"kind\":\"" + std::string(kind(p.kind)) + "\",\"version\":";
      AppendJsonString(p.version, &out);
      out += ",\"origin\":";
      AppendJsonString(p.origin, &out);
      out += ",\"extensions\":[";
      for (size_t i = 0; i < p.extensions.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(p.extensions[i], &out);
      }
      out += "],\"rules\":[";
      if (p.kind == FTPREP_KIND_RULE) {
        for (size_t i = 0; i < p.desc->rules->n_rules; ++i) {
          if (i) out += ',';
          AppendJsonString(p.desc->rules->rules[i].id, &out);
        }
      }
      out += "],\"description\":";
      AppendJsonString(p.description, &out);
      out += '}';
    }
    out += "],\"rejected\":[";
    for (size_t i = 0; i < reg.rejected().size(); ++i) {
      if (i) out += ',';
      out += "{\"path\":";
      AppendJsonString(reg.rejected()[i].path, &out);
      out += ",\"reason\":";
      AppendJsonString(reg.rejected()[i].reason, &out);
      out += '}';
    }
    out += "]}\n";
  } else {
    int width = 16;  // the NAME column fits the longest name
    for (const auto& p : reg.plugins()) width = std::max(width, static_cast<int>(p.name.size()));
    char line[1024];
    std::snprintf(line, sizeof(line), "%-*s %-7s %-8s %-28s %s\n", width, "NAME", "KIND", "VERSION",
                  "EXTENSIONS/RULES", "ORIGIN");
    out += line;
    for (const auto& p : reg.plugins()) {
      std::string what;
      if (p.kind == FTPREP_KIND_FORMAT) {
        for (size_t i = 0; i < p.extensions.size(); ++i) what += (i ? "," : "") + p.extensions[i];
      } else {
        what = std::to_string(p.desc->rules->n_rules) + " rule" + (p.desc->rules->n_rules == 1 ? "" : "s");
      }
      std::snprintf(line, sizeof(line), "%-*s %-7s %-8s %-28s %s\n", width, p.name.c_str(), kind(p.kind),
                    p.version.c_str(), what.c_str(), p.origin.c_str());
      out += line;
      if (rules && p.kind == FTPREP_KIND_RULE) {
        for (size_t i = 0; i < p.desc->rules->n_rules; ++i) {
          const auto& r = p.desc->rules->rules[i];
          out += "    " + std::string(r.id) + "  " + (r.summary ? r.summary : "") + "\n";
        }
      }
    }
    if (!reg.rejected().empty()) {
      out += "\nrejected:\n";
      for (const auto& r : reg.rejected()) out += "  " + r.path + ": " + r.reason + "\n";
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return Status::Ok();
}

}  // namespace ftprep
