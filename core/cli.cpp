#include "cli.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "edit_distance.h"
#include "plugin_host.h"

namespace ftprep {
namespace {
std::string g_tool = "ftprep";
IntrospectHook g_introspect = nullptr;
}  // namespace

void SetToolName(const std::string& tool) { g_tool = tool.empty() ? "ftprep" : "ftprep " + tool; }
const std::string& ToolName() { return g_tool; }
void SetIntrospectHook(IntrospectHook hook) { g_introspect = hook; }

std::vector<std::string> ClosestNames(const std::string& word, const std::vector<std::string>& candidates) {
  std::vector<std::pair<size_t, std::string>> scored;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    bool prefix = !word.empty() && c.rfind(word, 0) == 0;
    if (prefix) d = std::min<size_t>(d, 1);
    if (d <= std::max<size_t>(2, word.size() / 3)) scored.push_back({d, c});
  }
  std::stable_sort(scored.begin(), scored.end(), [](auto& x, auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (size_t i = 0; i < scored.size() && i < 3; ++i) out.push_back(scored[i].second);
  return out;
}

Result<uint64_t> ParseByteSize(const std::string& text) {
  if (text.empty()) return UsageError("empty size");
  size_t pos = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &pos);
  } catch (...) {
    return UsageError("not a size: '" + text + "' (examples: 1048576, 64M, 2G)");
  }
  std::string suf = text.substr(pos);
  uint64_t mul = 1;
  if (suf == "" || suf == "B") {
    mul = 1;
  } else if (suf == "k" || suf == "K" || suf == "KiB") {
    mul = 1ull << 10;
  } else if (suf == "M" || suf == "MiB") {
    mul = 1ull << 20;
  } else if (suf == "G" || suf == "GiB") {
    mul = 1ull << 30;
  } else {
    return UsageError("not a size: '" + text + "' (examples: 1048576, 64M, 2G)");
  }
  return static_cast<uint64_t>(v) * mul;
}

ReadOptions CommonFlags::read_options() const {
  ReadOptions r;
  r.format = format;
  r.max_record_bytes = max_record_bytes;
  r.max_field_bytes = max_field_bytes;
  for (const auto& kv : format_opts) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      r.format_options.push_back({kv, "1"});
    } else {
      r.format_options.push_back({kv.substr(0, eq), kv.substr(eq + 1)});
    }
  }
  return r;
}

OutputOptions CommonFlags::output_options() const {
  OutputOptions o;
  o.inputs = inputs;
  if (o.inputs.empty()) o.inputs.push_back("-");  // no inputs: the tool reads stdin
  o.inputs.insert(o.inputs.end(), read_files.begin(), read_files.end());
  o.force = force;
  o.refuse_existing = true;
  return o;
}

size_t ToolCli::ShownOr(size_t default_n) const {
  for (const char* o : {"max-shown", "max-per-rule", "max-listed", "examples"}) {
    if (Given(o)) return common.max_shown;
  }
  return default_n;
}

Status CommonFlags::CheckOutputs(const std::vector<std::string>& o_files,
                                 const std::vector<PlannedOutput>& extra) const {
  std::vector<PlannedOutput> all;
  if (o_files.empty()) {
    all.push_back({output, "-o"});
  } else {
    for (const auto& f : o_files) all.push_back({f, "-o"});
  }
  all.push_back({rejects, "--rejects"});
  all.push_back({report, "--report"});
  all.push_back({html, "--html"});
  all.insert(all.end(), extra.begin(), extra.end());
  return ftprep::CheckOutputs(all, output_options());
}

ToolCli::ToolCli(std::string tool, const char* usage, unsigned common_flags)
    : tool_(std::move(tool)), usage_(usage), flags_(common_flags), own_("options") {}

Result<bool> ToolCli::Parse(int argc, char** argv) {
  po::options_description all("all");
  all.add_options()("help,h", "show this help");
  std::string max_record = "64M", max_field = "16M";
  if (flags_ & kFlagOutput) all.add_options()("output,o", po::value<std::string>(&common.output), "output");
  if (flags_ & kFlagFormat) {
    all.add_options()("format", po::value<std::string>(&common.format), "input format")(
        "format-opt", po::value<std::vector<std::string>>(&common.format_opts)->composing(), "KEY=VALUE");
  }
  if (flags_ & kFlagRejects) all.add_options()("rejects", po::value<std::string>(&common.rejects), "rejects");
  if (flags_ & kFlagReport) all.add_options()("report", po::value<std::string>(&common.report), "report");
  if (flags_ & kFlagHtml) all.add_options()("html", po::value<std::string>(&common.html), "html report");
  if (flags_ & kFlagProgress) all.add_options()("progress", po::value<std::string>(&common.progress), "progress");
  if (flags_ & kFlagPlugins) {
    all.add_options()("plugin-path", po::value<std::vector<std::string>>(&common.plugin_paths)->composing(), "dir");
  }
  if (flags_ & kFlagForce) all.add_options()("force", po::bool_switch(&common.force), "overwrite");
  if (flags_ & kFlagLimits) {
    all.add_options()("max-record-bytes", po::value<std::string>(&max_record), "limit")(
        "max-field-bytes", po::value<std::string>(&max_field), "limit");
  }
  if (flags_ & kFlagJobs) all.add_options()("jobs,j", po::value<size_t>(&common.jobs), "workers");
  if (flags_ & kFlagQuiet) all.add_options()("quiet,q", po::bool_switch(&common.quiet), "quiet");
  if (flags_ & kFlagShown) all.add_options()("max-shown", po::value<size_t>(&common.max_shown), "n");
  all.add(own_);
  if (g_introspect) {
    g_introspect(tool_, usage_, all);
    return false;
  }
  po::options_description hidden;
  hidden.add_options()("input", po::value<std::vector<std::string>>(&common.inputs)->composing(), "inputs");
  hidden.add(hidden_own_);
  if (flags_ & kFlagShown) {  // the spellings tools used before --max-shown
    for (const char* old : {"max-per-rule", "max-listed", "examples"}) {
      hidden.add_options()(old, po::value<size_t>(&common.max_shown), "n");
    }
  }
  po::options_description cmdline;
  cmdline.add(all).add(hidden);
  po::positional_options_description pos;
  if (flags_ & kFlagInput) pos.add("input", -1);
  try {
    po::store(po::command_line_parser(argc, argv).options(cmdline).positional(pos).run(), vm_);
    if (vm_.count("help")) {
      std::fputs(usage_, stdout);
      return false;
    }
    po::notify(vm_);
  } catch (const po::unknown_option& e) {
    std::string opt = e.get_option_name();
    std::string bare = opt;
    while (!bare.empty() && bare[0] == '-') bare.erase(0, 1);
    std::vector<std::string> names;
    for (const auto& o : all.options()) names.push_back(o->long_name());
    std::string msg = "unknown option '" + opt + "'";
    auto close = ClosestNames(bare, names);
    if (!close.empty()) {
      msg += "; did you mean";
      for (size_t i = 0; i < close.size(); ++i) msg += (i ? " or --" : " --") + close[i];
      msg += "?";
    }
    return UsageError(msg + " (see 'ftprep " + tool_ + " --help')");
  } catch (const po::too_many_positional_options_error&) {
    return UsageError("this tool takes no FILE arguments (see 'ftprep " + tool_ + " --help')");
  } catch (const po::error& e) {
    return UsageError(std::string(e.what()) + " (see 'ftprep " + tool_ + " --help')");
  }
  if (flags_ & kFlagLimits) {
    auto r = ParseByteSize(max_record);
    if (!r.ok()) return r.status();
    common.max_record_bytes = *r;
    auto f = ParseByteSize(max_field);
    if (!f.ok()) return f.status();
    common.max_field_bytes = *f;
  }
  if (flags_ & kFlagJobs) {
    if (!Given("jobs")) {
      const char* env = std::getenv("FTPREP_JOBS");
      if (env != nullptr && *env) {
        char* end = nullptr;
        unsigned long n = std::strtoul(env, &end, 10);
        if (*end != '\0' || n == 0 || n > 1024) return UsageError("FTPREP_JOBS must be a number from 1 to 1024");
        common.jobs = n;
      }
    }
    if (Given("jobs") && (common.jobs == 0 || common.jobs > 1024)) {
      return UsageError("--jobs must be from 1 to 1024");
    }
  }
  if ((flags_ & kFlagReport) && common.report == "-" && common.output == "-") {
    return UsageError("--report - would mix the JSON report into the output on stdout; give it a file name");
  }
  if (common.progress != "auto" && common.progress != "never" && common.progress != "always") {
    return UsageError("--progress must be never, always or auto");
  }
  if (!(flags_ & kFlagInput) && !common.inputs.empty()) {
    return UsageError("unexpected argument '" + common.inputs[0] + "'");
  }
  Status s = PluginRegistry::Get().LoadExternal(common.plugin_paths);
  if (!s.ok()) return s;
  return true;
}

}  // namespace ftprep
