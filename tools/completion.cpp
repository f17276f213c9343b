// ftprep completion — prints the shell completion scripts and the man pages. Both are built from the option
// tables the tools register with Boost.Program_options and from the usage text --help prints (read back
// through the introspection hook of core/cli), so they never drift from the tools themselves.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli.h"
#include "ftprep/price.h"
#include "ftprep/tokenizer.h"
#include "plugin_host.h"
#include "rules/rules.h"
#include "tools.h"

namespace ftprep {
namespace {

const char kUsage[] = R"(usage: ftprep completion bash|zsh|fish
       ftprep completion man [TOOL]

Prints a shell completion script for ftprep: tools, each tool's options, and the values of --profile
(profile names), --model (model names of the price table), --encoding (tokenizer encodings), --format and
--progress. `cmake --install` puts them where the shells look; to try one in the current shell:
  bash:  source <(ftprep completion bash)
  zsh:   source <(ftprep completion zsh)
  fish:  ftprep completion fish | source

`ftprep completion man TOOL` prints the manual page of TOOL (of ftprep itself without TOOL) in roff, made
from the same text as `ftprep TOOL --help`; the build installs these as ftprep.1 and ftprep-TOOL.1.

exit codes: 0 printed; 2 usage error (unknown shell or tool).
)";

struct Opt {
  std::string name;  // long name without dashes
  char short_name = 0;
  bool value = false;
  bool repeat = false;
  std::string help;  // one line, from the usage text (else the option table's description)
};

struct ToolInfo {
  std::string name, summary, usage;
  std::vector<Opt> opts;
};

std::vector<ToolInfo>* g_collect = nullptr;

// The first description line of each option in a usage text ("  -m, --model NAME    model whose ...").
std::map<std::string, std::string> HelpLines(const std::string& usage) {
  std::map<std::string, std::string> out;
  size_t start = 0;
  while (start < usage.size()) {
    size_t end = usage.find('\n', start);
    if (end == std::string::npos) end = usage.size();
    std::string line = usage.substr(start, end - start);
    start = end + 1;
    size_t lead = line.find_first_not_of(' ');
    if (lead == std::string::npos || lead == 0 || line[lead] != '-') continue;
    size_t gap = line.find("  ", lead);
    if (gap == std::string::npos) continue;
    size_t desc = line.find_first_not_of(' ', gap);
    if (desc == std::string::npos) continue;
    std::string names = line.substr(lead, gap - lead);
    for (size_t p = names.find("--"); p != std::string::npos; p = names.find("--", p + 2)) {
      size_t e = names.find_first_of(" ,=[", p);
      std::string n = names.substr(p + 2, e == std::string::npos ? std::string::npos : e - p - 2);
      if (!n.empty() && !out.count(n)) out[n] = line.substr(desc);
    }
  }
  return out;
}

void Collect(const std::string& tool, const char* usage, const po::options_description& options) {
  if (!g_collect) return;
  for (auto& t : *g_collect) {
    if (t.name != tool) continue;
    t.usage = usage;
    auto help = HelpLines(t.usage);
    for (const auto& o : options.options()) {
      Opt opt;
      opt.name = o->long_name();
      std::string shown = o->format_name();
      if (shown.size() > 1 && shown[0] == '-' && shown[1] != '-') opt.short_name = shown[1];
      opt.value = o->semantic()->max_tokens() > 0;
      opt.repeat = o->semantic()->is_composing();
      opt.help = help.count(opt.name) ? help[opt.name] : o->description();
      t.opts.push_back(opt);
    }
  }
}

// Every tool's usage and options, read by running each tool's entry point with the introspection hook set.
std::vector<ToolInfo> CollectTools() {
  std::vector<ToolInfo> tools;
  for (const auto& t : Tools()) tools.push_back({t.name, t.summary, "", {}});
  g_collect = &tools;
  SetIntrospectHook(&Collect);
  for (const auto& t : Tools()) {
    char name[64], help[] = "--help";
    std::snprintf(name, sizeof name, "%s", t.name);
    char* args[] = {name, help, nullptr};
    (void)t.main(2, args);
  }
  SetIntrospectHook(nullptr);
  g_collect = nullptr;
  return tools;
}

// The values an option takes, where ftprep knows them; empty = a file or free text.
std::vector<std::string> ValuesFor(const ToolInfo& tool, const Opt& opt) {
  std::vector<std::string> v;
  if (opt.name == "profile") {
    v = BuiltinProfileNames();
    v.insert(v.begin(), {"auto", "jsonl"});
  } else if (opt.name == "model" || opt.name == "compare") {
    std::set<std::string> names;
    auto table = price::PriceTable::BuiltIn();
    if (table.ok()) {
      for (const auto& e : table->entries()) {
        names.insert(e.model);
        names.insert(e.aliases.begin(), e.aliases.end());
      }
    }
    v.assign(names.begin(), names.end());
  } else if ((opt.name == "encoding" && tool.name != "convert") || opt.name == "token-encoding") {
    // (convert's --encoding is the input's text encoding, not a tokenizer)
    v = Tokenizer::EncodingNames();
  } else if (opt.name == "progress") {
    v = {"never", "always", "auto"};
  } else if (opt.name == "format") {
    v = PluginRegistry::Get().Names(FTPREP_KIND_FORMAT);
    v.insert(v.begin(), "auto");
    if (tool.name == "validate") v.push_back("sarif");
  }
  return v;
}

std::vector<std::string> PositionalWords(const ToolInfo& tool) {
  if (tool.name == "completion") return {"bash", "zsh", "fish", "man"};
  return {};
}

std::string Join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

// Quotes for a single-quoted shell word ('it'\''s').
std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string Bash(const std::vector<ToolInfo>& tools) {
  std::vector<std::string> names;
  for (const auto& t : tools) names.push_back(t.name);
  std::string s =
      "# bash completion for ftprep; generated by `ftprep completion bash` from its option tables.\n"
      "_ftprep() {\n"
      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} opt\n"
      "  COMPREPLY=()\n"
      "  if [ \"$COMP_CWORD\" -le 1 ]; then\n"
      "    COMPREPLY=($(compgen -W " + Quote(Join(names) + " help --help --version") + " -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  opt=$prev\n"
      "  if [ \"$prev\" = \"=\" ] && [ \"$COMP_CWORD\" -ge 3 ]; then opt=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
      "  if [ \"$cur\" = \"=\" ]; then cur=; fi\n"
      "  case ${COMP_WORDS[1]} in\n"
      "    help)\n"
      "      [ \"$COMP_CWORD\" -eq 2 ] && COMPREPLY=($(compgen -W " + Quote(Join(names)) + " -- \"$cur\"))\n"
      "      return ;;\n";
  for (const auto& t : tools) {
    s += "    " + t.name + ")\n      case $opt in\n";
    std::vector<std::string> all;
    std::string files;
    for (const auto& o : t.opts) {
      std::string pattern = "--" + o.name;
      if (o.short_name) pattern = std::string("-") + o.short_name + "|" + pattern;
      all.push_back("--" + o.name);
      if (o.short_name) all.push_back(std::string("-") + o.short_name);
      if (!o.value) continue;
      auto values = ValuesFor(t, o);
      if (values.empty()) {
        files += (files.empty() ? "" : "|") + pattern;
      } else {
        s += "        " + pattern + ") COMPREPLY=($(compgen -W " + Quote(Join(values)) +
             " -- \"$cur\")); return ;;\n";
      }
    }
    // A value that is a file or free text: leave COMPREPLY empty, so `complete -o default` offers files.
    if (!files.empty()) s += "        " + files + ") return ;;\n";
    s += "      esac\n";
    s += "      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W " + Quote(Join(all)) +
         " -- \"$cur\")); return; fi\n";
    auto words = PositionalWords(t);
    if (!words.empty()) s += "      COMPREPLY=($(compgen -W " + Quote(Join(words)) + " -- \"$cur\"))\n";
    s += "      ;;\n";
  }
  s += "  esac\n}\ncomplete -o default -F _ftprep ftprep\n";
  return s;
}

// Text safe inside a zsh _arguments description ('...[text]...') or a fish -d '...'.
std::string Plain(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '[' || c == '(') {
      out += '(';
    } else if (c == ']' || c == ')') {
      out += ')';
    } else if (c == '\'' || c == '\\' || c == '`' || c == '$' || c == '"') {
      continue;
    } else if (c == ':') {
      out += " -";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Zsh(const std::vector<ToolInfo>& tools) {
  std::string s =
      "#compdef ftprep\n"
      "# zsh completion for ftprep; generated by `ftprep completion zsh` from its option tables.\n"
      "_ftprep() {\n"
      "  local -a tools\n"
      "  tools=(\n";
  for (const auto& t : tools) s += "    " + Quote(t.name + ":" + Plain(t.summary)) + "\n";
  s += "  )\n"
       "  if (( CURRENT == 2 )); then\n"
       "    _describe -t tools 'ftprep tool' tools\n"
       "    return\n"
       "  fi\n"
       "  local tool=$words[2]\n"
       "  shift words\n"
       "  (( CURRENT-- ))\n"
       "  case $tool in\n"
       "    help) _describe -t tools 'ftprep tool' tools ;;\n";
  for (const auto& t : tools) {
    s += "    " + t.name + ")\n      _arguments -s -S \\\n";
    for (const auto& o : t.opts) {
      std::string action;
      if (o.value) {
        auto values = ValuesFor(t, o);
        action = values.empty() ? ":" + o.name + ":_files" : ":" + o.name + ":(" + Join(values) + ")";
      }
      std::string desc = "[" + Plain(o.help) + "]";
      std::string spec;
      if (o.short_name) {
        std::string excl = o.repeat ? "*" : "(-" + std::string(1, o.short_name) + " --" + o.name + ")";
        spec = Quote(excl) + "{-" + std::string(1, o.short_name) + ",--" + o.name + "}" + Quote(desc + action);
      } else {
        spec = Quote((o.repeat ? "*--" : "--") + o.name + desc + action);
      }
      s += "        " + spec + " \\\n";
    }
    auto words = PositionalWords(t);
    s += "        " + Quote(words.empty() ? "*:file:_files" : "1:what:(" + Join(words) + ")") + " ;;\n";
  }
  s += "  esac\n"
       "}\n"
       "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n"
       "  _ftprep \"$@\"\n"
       "else\n"
       "  compdef _ftprep ftprep\n"
       "fi\n";
  return s;
}

std::string Fish(const std::vector<ToolInfo>& tools) {
  std::vector<std::string> names;
  for (const auto& t : tools) names.push_back(t.name);
  std::string s =
      "# fish completion for ftprep; generated by `ftprep completion fish` from its option tables.\n"
      "complete -c ftprep -n __fish_use_subcommand -f -a help -d 'show help of ftprep or a tool'\n";
  for (const auto& t : tools) {
    s += "complete -c ftprep -n __fish_use_subcommand -f -a " + t.name + " -d " + Quote(Plain(t.summary)) + "\n";
  }
  s += "complete -c ftprep -n '__fish_seen_subcommand_from help' -f -a " + Quote(Join(names)) + "\n";
  for (const auto& t : tools) {
    std::string cond = "-n " + Quote("__fish_seen_subcommand_from " + t.name);
    for (const auto& o : t.opts) {
      s += "complete -c ftprep " + cond;
      if (o.short_name) s += " -s " + std::string(1, o.short_name);
      s += " -l " + o.name;
      if (o.value) {
        s += " -r";
        auto values = ValuesFor(t, o);
        if (!values.empty()) s += " -f -a " + Quote(Join(values));
      }
      s += " -d " + Quote(Plain(o.help)) + "\n";
    }
    auto words = PositionalWords(t);
    if (!words.empty()) s += "complete -c ftprep " + cond + " -f -a " + Quote(Join(words)) + "\n";
  }
  return s;
}

// ---- man pages ------------------------------------------------------------------------------------------

std::string Roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// True for "options:", "exit codes: 0 ...", "report (--report): ..." — an unindented "heading:" line.
bool Heading(const std::string& line, std::string* title, std::string* rest) {
  if (line.empty() || line[0] == ' ') return false;
  size_t colon = line.find(':');
  if (colon == std::string::npos || colon > 60) return false;
  std::string head = line.substr(0, colon);
  for (char c : head) {
    if (!(std::islower(static_cast<unsigned char>(c)) || c == ' ')) {
      if (c != '(') return false;
      head = head.substr(0, head.find(" ("));
      break;
    }
  }
  *title = head;
  for (auto& c : *title) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  size_t r = line.find_first_not_of(' ', colon + 1);
  *rest = r == std::string::npos ? "" : line.substr(r);
  return true;
}

// The body of a man page from a usage text: the "usage:" lines become SYNOPSIS, "heading:" lines sections,
// option lines (indented, starting with '-', two spaces before their help) tagged paragraphs, other indented
// lines literal blocks, and the rest filled paragraphs.
std::string ManBody(const std::string& usage) {
  std::string out;
  bool literal = false, in_text = false;
  size_t literal_indent = 0;
  std::string section;
  auto end_literal = [&] {
    if (literal) out += ".fi\n.RE\n";
    literal = false;
  };
  for (const auto& line : Lines(usage)) {
    std::string title, rest;
    if (line.rfind("usage: ", 0) == 0) {
      out += ".SH SYNOPSIS\n.nf\n" + Roff(line.substr(7)) + "\n.fi\n";
      section = "SYNOPSIS";
      continue;
    }
    if (line.rfind("       ftprep", 0) == 0) {
      out += ".nf\n" + Roff(line.substr(7)) + "\n.fi\n";
      continue;
    }
    if (line.empty()) {
      end_literal();
      in_text = false;
      continue;
    }
    if (Heading(line, &title, &rest)) {
      end_literal();
      out += ".SH \"" + title + "\"\n";
      section = title;
      if (!rest.empty()) out += Roff(rest) + "\n";
      in_text = !rest.empty();
      continue;
    }
    size_t lead = line.find_first_not_of(' ');
    size_t gap = lead == 0 ? std::string::npos : line.find("  ", lead);
    if (lead > 0 && line[lead] == '-' && gap != std::string::npos && line.find_first_not_of(' ', gap) != std::string::npos) {
      end_literal();
      out += ".TP\n\\fB" + Roff(line.substr(lead, gap - lead)) + "\\fR\n" +
             Roff(line.substr(line.find_first_not_of(' ', gap))) + "\n";
      in_text = true;
      continue;
    }
    if (lead > 0 && in_text && !literal && lead >= 20) {  // continuation of an option's help
      out += Roff(line.substr(lead)) + "\n";
      continue;
    }
    if (lead > 0) {  // a literal block keeps its lines' indentation relative to its first line
      if (!literal) out += ".RS 2\n.nf\n";
      if (!literal) literal_indent = lead;
      literal = true;
      out += Roff(line.substr(std::min(lead, literal_indent))) + "\n";
      continue;
    }
    end_literal();
    if (!in_text) out += section == "SYNOPSIS" ? ".SH DESCRIPTION\n" : ".PP\n";
    if (section == "SYNOPSIS") section = "DESCRIPTION";
    out += Roff(line) + "\n";
    in_text = true;
  }
  end_literal();
  return out;
}

std::string ManPage(const std::vector<ToolInfo>& tools, const std::string& tool) {
  std::string page = tool.empty() ? "ftprep" : "ftprep-" + tool;
  std::string upper = page;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string out = ".\\\" Generated by `ftprep completion man` from the text of --help; do not edit.\n";
  out += ".TH \"" + upper + "\" \"1\" \"\" \"ftprep " FTPREP_VERSION "\" \"ftprep manual\"\n";
  out += ".SH NAME\n" + Roff(page) + " \\- ";
  std::string see;
  if (tool.empty()) {
    out += "prepare datasets for fine-tuning language models\n";
    out += ManBody(TopLevelHelp());
    for (const auto& t : tools) see += (see.empty() ? "" : ",\n") + std::string(".BR ftprep\\-") + t.name + " (1)";
  } else {
    for (const auto& t : tools) {
      if (t.name != tool) continue;
      out += Roff(t.summary) + "\n" + ManBody(t.usage);
    }
    see = ".BR ftprep (1)";
  }
  out += ".SH \"SEE ALSO\"\n" + see + "\n";
  return out;
}

}  // namespace

Status CompletionMain(int argc, char** argv) {
  ToolCli cli("completion", kUsage, kFlagInput);
  auto parsed = cli.Parse(argc, argv);
  if (!parsed.ok()) return parsed.status();
  if (!*parsed) return Status::Ok();
  const auto& args = cli.common.inputs;
  if (args.empty()) return UsageError("which shell? bash, zsh or fish (or man [TOOL])");
  std::string what = args[0];
  if (what == "man") {
    if (args.size() > 2) return UsageError("man takes at most one TOOL");
    std::string tool = args.size() == 2 ? args[1] : "";
    if (tool == "ftprep") tool.clear();
    auto tools = CollectTools();
    bool known = tool.empty();
    std::vector<std::string> names;
    for (const auto& t : tools) {
      names.push_back(t.name);
      known = known || t.name == tool;
    }
    if (!known) {
      auto close = ClosestNames(tool, names);
      return UsageError("unknown tool '" + tool + "'" + (close.empty() ? "" : "; did you mean " + close[0] + "?"));
    }
    std::fputs(ManPage(tools, tool).c_str(), stdout);
    return Status::Ok();
  }
  if (args.size() > 1) return UsageError("unexpected argument '" + args[1] + "'");
  std::string out;
  if (what == "bash") {
    out = Bash(CollectTools());
  } else if (what == "zsh") {
    out = Zsh(CollectTools());
  } else if (what == "fish") {
    out = Fish(CollectTools());
  } else {
    auto close = ClosestNames(what, {"bash", "zsh", "fish", "man"});
    return UsageError("unknown shell '" + what + "' (bash, zsh or fish)" +
                      (close.empty() ? "" : "; did you mean " + close[0] + "?"));
  }
  std::fputs(out.c_str(), stdout);
  return Status::Ok();
}

}  // namespace ftprep
