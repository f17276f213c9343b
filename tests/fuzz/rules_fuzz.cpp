// libFuzzer target: the rules-file and profile loaders and the rule plugins' config handling.
// Byte 0 picks what the rest of the input is:
//   0: a profile file (validate --profile my.json): ParseProfile, then RuleEngine::Create;
//   1: a declarative rules file (validate --rules my.json): ParseRulesFile, then RuleEngine::Create;
//   2: the raw config text handed to one rule plugin's create() (byte 1 picks the plugin).
// A loaded engine then checks a few fixed records of every shape and finishes, as validate does.
// Invariants: no crash, hang or leak; every failure is a Status with a message (never kOk-with-nothing).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "plugin_host.h"
#include "rules/rules.h"

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz invariant violated: %s\n", what);
    std::abort();
  }
}

const char* const kRecords[] = {
    R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi 007"},)"
    R"({"role":"assistant","content":"Hello! a@b.com"}]})",
    R"({"prompt":"2+2=","completion":" 4"})",
    R"({"input":{"messages":[{"role":"user","content":"q"}]},"preferred_output":[{"role":"assistant",)"
    R"("content":"a"}],"non_preferred_output":[{"role":"assistant","content":"b"}]})",
    R"({"text":"plain text","meta":{"id":7,"tags":["x",null,1.5e3,true]}})",
    R"({"messages":[{"role":"bogus","content":[{"type":"text","text":"x"}]},{"role":"assistant"}]})",
    R"({})",
};

void Run(const ftprep::Profile& profile) {
  auto engine = ftprep::RuleEngine::Create(profile);
  if (!engine.ok()) {
    Check(!engine.status().message().empty(), "Create failed without a message");
    return;
  }
  std::vector<ftprep::Finding> findings;
  uint64_t line = 1;
  for (const char* r : kRecords) {
    ftprep::Status s = (*engine)->Check(r, line++, &findings);
    Check(s.ok() || !s.message().empty(), "Check failed without a message");
  }
  ftprep::Status s = (*engine)->Finish(&findings);
  Check(s.ok() || !s.message().empty(), "Finish failed without a message");
  for (const auto& f : findings) Check(!f.rule.empty(), "finding without a rule id");
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  ftprep::SetPluginWarningSink([](const char*) {});
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  // Rule sets that read other files (the dataset rules' valid_file) would let the fuzzer read /dev/zero.
  if (text.find("valid_file") != std::string_view::npos || text.find("_file") != std::string_view::npos) return 0;
  switch (data[0] % 3) {
    case 0: {
      auto p = ftprep::ParseProfile(text, "fuzz.json");
      if (!p.ok()) {
        Check(!p.status().message().empty(), "ParseProfile failed without a message");
        return 0;
      }
      Run(*p);
      break;
    }
    case 1: {
      auto spec = ftprep::ParseRulesFile(text, "fuzz.json");
      if (!spec.ok()) {
        Check(!spec.status().message().empty(), "ParseRulesFile failed without a message");
        return 0;
      }
      ftprep::Profile p;
      p.name = "fuzz";
      p.rule_sets.push_back(*spec);
      Run(p);
      break;
    }
    default: {
      static const std::vector<std::string> plugins =
          ftprep::PluginRegistry::Get().Names(FTPREP_KIND_RULE);
      if (plugins.empty()) return 0;
      ftprep::Profile p;
      p.name = "fuzz";
      p.rule_sets.push_back({plugins[data[1] % plugins.size()], std::string(text), {}});
      Run(p);
      break;
    }
  }
  return 0;
}
