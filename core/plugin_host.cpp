#include "plugin_host.h"

#include <dirent.h>
#include <dlfcn.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <sstream>

#include "cli.h"
#include "diag.h"

namespace {
std::vector<ftprep_plugin_entry_v1>& BuiltinEntries() {
  static std::vector<ftprep_plugin_entry_v1> entries;
  return entries;
}
}  // namespace

extern "C" void ftprep_register_builtin(ftprep_plugin_entry_v1 entry) { BuiltinEntries().push_back(entry); }

namespace ftprep {
namespace {

thread_local std::string t_plugin_error;
void (*g_warn_sink)(const char*) = nullptr;
long long (*g_token_counter)(const char*, const char*, size_t) = nullptr;

void HostSetError(void*, const char* message) { t_plugin_error = message ? message : ""; }
void HostWarn(void*, const char* message) {
  if (g_warn_sink) {
    g_warn_sink(message ? message : "");
  } else {
    Warning(message ? message : "");
  }
}
long long HostCountTokens(void*, const char* encoding, const char* text, size_t len) {
  if (g_token_counter == nullptr) return -1;
  return g_token_counter(encoding, text, len);
}

const ftprep_host kHost = {FTPREP_ABI_MAJOR, FTPREP_ABI_MINOR, sizeof(ftprep_host), nullptr,
                           &HostSetError,    &HostWarn,        &HostCountTokens};

bool ValidName(const char* n) {
  if (n == nullptr || *n == '\0' || std::strlen(n) > 64) return false;
  for (const char* p = n; *p; ++p) {
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-')) return false;
  }
  return true;
}

std::vector<std::string> SplitList(const char* s, char sep) {
  std::vector<std::string> out;
  if (s == nullptr) return out;
  std::string cur;
  for (const char* p = s;; ++p) {
    if (*p == sep || *p == '\0') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
      if (*p == '\0') break;
    } else {
      cur += *p;
    }
  }
  return out;
}

}  // namespace

const ftprep_host* Host() { return &kHost; }
std::string TakePluginError() {
  std::string e;
  e.swap(t_plugin_error);
  return e;
}
void SetPluginWarningSink(void (*sink)(const char*)) { g_warn_sink = sink; }
void SetTokenCounter(long long (*fn)(const char*, const char*, size_t)) { g_token_counter = fn; }

Status PluginStatus(int rc, const std::string& message) {
  std::string m = message.empty() ? "plugin call failed (code " + std::to_string(rc) + ")" : message;
  switch (rc) {
    case FTPREP_OK:
    case FTPREP_END:
      return Status::Ok();
    case FTPREP_ERR_DATA:
      return DataError(m);
    case FTPREP_ERR_USAGE:
      return UsageError(m);
    case FTPREP_ERR_IO:
      return IoError(m);
    case FTPREP_ERR_LIMIT:
      return LimitError(m);
    default:
      return InternalError(m);
  }
}

PluginRegistry& PluginRegistry::Get() {
  static PluginRegistry r;
  return r;
}

std::string PluginRegistry::Accept(const ftprep_plugin_v1* d, const std::string& origin) {
  if (d == nullptr) return "entry returned no descriptor";
  if (d->abi_major != FTPREP_ABI_MAJOR) {
    return "wrong ABI: plugin has " + std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor) +
           ", ftprep needs " + std::to_string(FTPREP_ABI_MAJOR) + ".x";
  }
  if (d->struct_size < sizeof(ftprep_plugin_v1)) return "descriptor struct_size too small";
  if (!ValidName(d->name)) return "invalid plugin name (use [a-z0-9_-], at most 64 characters)";
  for (const auto& p : plugins_) {
    if (p.name == d->name && p.kind == d->kind) return "duplicate name '" + p.name + "' (already from " + p.origin + ")";
  }
  PluginInfo info;
  info.name = d->name;
  info.version = d->version ? d->version : "";
  info.description = d->description ? d->description : "";
  info.origin = origin;
  info.kind = d->kind;
  info.desc = d;
  if (d->kind == FTPREP_KIND_FORMAT) {
    const ftprep_format_v1* f = d->format;
    if (f == nullptr || f->struct_size < sizeof(ftprep_format_v1)) return "format plugin without a valid format table";
    bool can_read = f->open_reader && f->next && f->close_reader && f->error;
    bool can_write = f->open_writer && f->write && f->close_writer;
    if (!can_read && !can_write) return "format plugin with neither a complete reader nor a complete writer";
    info.extensions = SplitList(f->extensions, ',');
  } else if (d->kind == FTPREP_KIND_RULE) {
    const ftprep_rules_v1* r = d->rules;
    if (r == nullptr || r->struct_size < sizeof(ftprep_rules_v1)) return "rule plugin without a valid rules table";
    if (!r->create || !r->check || !r->destroy || !r->error) return "rule plugin missing create/check/error/destroy";
    for (size_t i = 0; i < r->n_rules; ++i) {
      if (r->rules[i].id == nullptr) return "rule without an id";
    }
  } else {
    return "unknown plugin kind " + std::to_string(d->kind);
  }
  plugins_.push_back(std::move(info));
  return "";
}

void PluginRegistry::EnsureBuiltins() {
  if (builtins_done_) return;
  builtins_done_ = true;
  for (auto entry : BuiltinEntries()) {
    std::string why = Accept(entry(&kHost), "built-in");
    if (!why.empty()) rejected_.push_back({"built-in", why});
  }
}

const std::vector<PluginInfo>& PluginRegistry::plugins() {
  EnsureBuiltins();
  return plugins_;
}

void PluginRegistry::LoadFile(const std::string& path) {
  std::string base = path.substr(path.rfind('/') + 1);
  std::string name = base.substr(0, base.size() - 3);  // strip ".so"
  if (name.rfind("lib", 0) == 0) name = name.substr(3);
  std::replace(name.begin(), name.end(), '-', '_');
  void* h = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* e = dlerror();
    rejected_.push_back({path, std::string("not a loadable plugin: ") + (e ? e : "dlopen failed")});
    return;
  }
  std::string sym = name + "_ftprep_plugin_v1";
  auto entry = reinterpret_cast<ftprep_plugin_entry_v1>(dlsym(h, sym.c_str()));
  if (entry == nullptr) {
    rejected_.push_back({path, "missing symbol " + sym + " (not an ftprep plugin?)"});
    dlclose(h);
    return;
  }
  std::string why;
  try {
    why = Accept(entry(&kHost), path);
  } catch (...) {
    why = "entry function threw an exception";
  }
  if (!why.empty()) {
    rejected_.push_back({path, why});
    dlclose(h);
  }
  // Accepted plugins stay loaded for the life of the process.
}

// PREFIX/lib/ftprep/plugins/1 when this binary runs as PREFIX/bin/ftprep, so an installed tree (a package
// extracted elsewhere, a --prefix other than the configured one) finds its own plugins; "" otherwise.
static std::string InstalledPluginDir() {
  char buf[4096];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "";
  std::string exe(buf, static_cast<size_t>(n));
  size_t slash = exe.rfind('/');
  if (slash == std::string::npos || slash < 4 || exe.compare(slash - 4, 4, "/bin") != 0) return "";
  return exe.substr(0, slash - 4) + "/lib/ftprep/plugins/1";
}

Status PluginRegistry::LoadExternal(const std::vector<std::string>& cli_paths) {
  EnsureBuiltins();
  if (external_done_) return Status::Ok();
  external_done_ = true;
  std::vector<std::string> dirs = cli_paths;
  const char* env = std::getenv("FTPREP_PLUGIN_PATH");
  if (env && std::string(env) == "disable") return Status::Ok();
  for (auto& d : SplitList(env, ':')) dirs.push_back(d);
  dirs.push_back(FTPREP_PLUGIN_DIR);
  std::string beside = InstalledPluginDir();
  if (!beside.empty() && beside != FTPREP_PLUGIN_DIR) dirs.push_back(beside);
  std::set<std::string> seen;
  for (size_t i = 0; i < dirs.size(); ++i) {
    const std::string& d = dirs[i];
    struct stat st;
    if (stat(d.c_str(), &st) != 0) {
      if (i < cli_paths.size()) return UsageError("--plugin-path " + d + ": no such directory or file");
      continue;
    }
    std::vector<std::string> files;
    if (S_ISREG(st.st_mode)) {
      files.push_back(d);
    } else if (DIR* dir = opendir(d.c_str())) {
      while (dirent* e = readdir(dir)) {
        std::string n = e->d_name;
        if (n.size() > 3 && n.compare(n.size() - 3, 3, ".so") == 0) files.push_back(d + "/" + n);
      }
      closedir(dir);
      std::sort(files.begin(), files.end());
    }
    for (const auto& f : files) {
      char real[4096];
      std::string key = realpath(f.c_str(), real) ? real : f;
      if (!seen.insert(key).second) continue;
      LoadFile(f);
    }
  }
  return Status::Ok();
}

const PluginInfo* PluginRegistry::Find(std::string_view name, int kind) {
  for (const auto& p : plugins()) {
    if (p.name == name && (kind == 0 || p.kind == kind)) return &p;
  }
  return nullptr;
}

const PluginInfo* PluginRegistry::FormatForExtension(std::string_view ext) {
  for (const auto& p : plugins()) {
    if (p.kind != FTPREP_KIND_FORMAT) continue;
    for (const auto& e : p.extensions) {
      if (e == ext) return &p;
    }
  }
  return nullptr;
}

std::vector<std::string> PluginRegistry::Names(int kind) {
  std::vector<std::string> out;
  for (const auto& p : plugins()) {
    if (kind == 0 || p.kind == kind) out.push_back(p.name);
  }
  return out;
}

}  // namespace ftprep
