// Tests of core/price/table.cpp: the built-in table, layering, --as-of lookup and the LiteLLM importer.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ftprep/price.h"

namespace ftprep::price {
namespace {

Money M(const char* s) { return *ParseDollars(s); }
Date D(const char* s) { return *ParseDate(s); }

PriceTable BuiltIn() {
  Result<PriceTable> t = PriceTable::BuiltIn();
  EXPECT_TRUE(t.ok()) << t.status().message();
  return t.ok() ? std::move(t).value() : PriceTable();
}

TEST(PriceTable, BuiltInEntriesAreSourcedAndDated) {
  PriceTable t = BuiltIn();
  ASSERT_FALSE(t.entries().empty());
  for (const PriceEntry& e : t.entries()) {
    EXPECT_FALSE(e.source.empty()) << e.model;
    EXPECT_NE(e.source.find("https://"), std::string::npos) << e.model;
    EXPECT_GE(e.checked.year, 2024) << e.model;
    EXPECT_FALSE(e.encoding.empty()) << e.model;
    EXPECT_NE(e.training_unit, TrainingUnit::kNone) << e.model;
    EXPECT_EQ(e.origin, "built-in");
    if (e.provider != "openai") {
      EXPECT_TRUE(e.encoding_approximate) << e.model;
    }
    if (e.provider == "openai") {
      ASSERT_TRUE(e.end_of_availability.has_value()) << e.model;
      EXPECT_EQ(*e.end_of_availability, D("2027-01-06")) << e.model;
    }
  }
}

TEST(PriceTable, IssuePricesForOpenAi) {
  PriceTable t = BuiltIn();
  struct Row {
    const char* model;
    const char* train;
    const char* in;
    const char* out;
  };
  for (const Row& r : {Row{"gpt-4.1", "25", "3", "12"}, Row{"gpt-4.1-mini", "5", "0.80", "3.20"},
                       Row{"gpt-4.1-nano", "1.50", "0.20", "0.80"}, Row{"gpt-4o", "25", "3.75", "15"},
                       Row{"gpt-4o-mini", "3", "0.30", "1.20"}, Row{"gpt-3.5-turbo", "8", "3", "6"},
                       Row{"davinci-002", "6", "12", "12"}, Row{"babbage-002", "0.40", "1.60", "1.60"},
                       Row{"o4-mini", "100", "4", "16"}}) {
    Result<const PriceEntry*> e = t.Find(r.model, D("2026-11-30"));
    ASSERT_TRUE(e.ok()) << r.model << ": " << e.status().message();
    EXPECT_EQ((*e)->training_price, M(r.train)) << r.model;
    EXPECT_EQ(*(*e)->ft_input, M(r.in)) << r.model;
    EXPECT_EQ(*(*e)->ft_output, M(r.out)) << r.model;
  }
  EXPECT_EQ((*t.Find("o4-mini", D("2026-11-30")))->training_unit, TrainingUnit::kPerHour);
}

TEST(PriceTable, FindsAliasesAndFineTunedNames) {
  PriceTable t = BuiltIn();
  EXPECT_EQ((*t.Find("gpt-4o-mini-2024-07-18", D("2026-01-01")))->model, "gpt-4o-mini");
  EXPECT_EQ((*t.Find("ft:gpt-4o-mini-2024-07-18:acme:tutor:abc123", D("2026-01-01")))->model, "gpt-4o-mini");
  EXPECT_EQ(StripFineTunePrefix("ft:gpt-4.1:org::id"), "gpt-4.1");
  EXPECT_EQ(StripFineTunePrefix("gpt-4.1"), "gpt-4.1");
  Result<const PriceEntry*> missing = t.Find("gpt-4.1-mni", D("2026-01-01"));
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_NE(missing.status().message().find("gpt-4.1-mini"), std::string::npos) << missing.status().message();
}

constexpr const char* kUserLayer = R"({
  "models": [
    {"model": "gpt-4.1-mini", "provider": "openai", "encoding": "o200k_base",
     "training": {"unit": "per_1m_tokens", "price": 4.00},
     "fine_tuned": {"input": "0.70", "output": "2.80"},
     "valid_from": "2027-02-01",
     "source": "https://example.com/negotiated", "checked": "2027-01-15"},
    {"model": "acme-small", "provider": "acme", "encoding": "cl100k_base", "encoding_approximate": true,
     "training": {"unit": "per_1m_tokens", "price": "1"},
     "fine_tuned": {"input": 0.1, "output": 0.2},
     "valid_from": "2026-01-01", "valid_until": "2026-12-31",
     "epochs": {"default": 2},
     "source": "https://example.com/acme", "checked": "2026-01-01"}
  ]
})";

TEST(PriceTable, LayersAndAsOf) {
  PriceTable t = BuiltIn();
  ASSERT_TRUE(t.Layer(kUserLayer, "mine.json").ok());
  // Before the user's entry is valid, the built-in one (open-ended) prices it.
  Result<const PriceEntry*> before = t.Find("gpt-4.1-mini", D("2027-01-31"));
  ASSERT_TRUE(before.ok());
  EXPECT_EQ((*before)->training_price, M("5"));
  EXPECT_EQ((*before)->origin, "built-in");
  Result<const PriceEntry*> after = t.Find("gpt-4.1-mini", D("2027-02-01"));
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)->training_price, M("4"));
  EXPECT_EQ((*after)->origin, "mine.json");
  // valid_until ends an entry.
  EXPECT_TRUE(t.Find("acme-small", D("2026-06-01")).ok());
  EXPECT_FALSE((*t.Find("acme-small", D("2026-06-01")))->default_epochs_auto);
  EXPECT_EQ((*t.Find("acme-small", D("2026-06-01")))->default_epochs, 2);
  EXPECT_EQ(t.Find("acme-small", D("2027-01-01")).status().code(), Code::kNotFound);
  EXPECT_EQ(t.Find("acme-small", D("2025-12-31")).status().code(), Code::kNotFound);
}

TEST(PriceTable, SameModelAndDateReplaces) {
  PriceTable t = BuiltIn();
  size_t n = t.entries().size();
  const char* override_json = R"({"models": [{"model": "gpt-4o", "provider": "openai",
     "encoding": "o200k_base", "training": {"unit": "per_1m_tokens", "price": "20"},
     "source": "https://example.com/x", "checked": "2026-11-01"}]})";
  ASSERT_TRUE(t.Layer(override_json, "o.json").ok());
  EXPECT_EQ(t.entries().size(), n);
  EXPECT_EQ((*t.Find("gpt-4o", D("2026-11-30")))->training_price, M("20"));
}

TEST(PriceTable, BadFilesChangeNothingAndSayWhere) {
  PriceTable t = BuiltIn();
  size_t n = t.entries().size();
  struct Case {
    const char* json;
    const char* expect;
  };
  for (const Case& c : {
           Case{"{\"models\": [", "bad.json:1:"},
           Case{"[]", "JSON object"},
           Case{"{\"models\": [{\"model\": \"x\", \"provider\": \"p\", \"encoding\": \"e\", \"checked\": "
                "\"2026-01-01\"}]}",
                "models[0]: field \"source\": missing"},
           Case{"{\"models\": [{\"model\": \"x\", \"provider\": \"p\", \"encoding\": \"e\", \"source\": \"u\"}]}",
                "field \"checked\": missing"},
           Case{"{\"models\": [{\"model\": \"x\", \"provider\": \"p\", \"encoding\": \"e\", \"source\": \"u\", "
                "\"checked\": \"2026-02-30\"}]}",
                "field \"checked\""},
           Case{"{\"models\": [{\"model\": \"x\", \"provider\": \"p\", \"encoding\": \"e\", \"source\": \"u\", "
                "\"checked\": \"2026-01-01\", \"base\": {\"input\": \"cheap\"}}]}",
                "base.input"},
           Case{"{\"models\": [{\"model\": \"x\", \"provider\": \"p\", \"encoding\": \"e\", \"source\": \"u\", "
                "\"checked\": \"2026-01-01\", \"training\": {\"unit\": \"per_token\", \"price\": 1}}]}",
                "training.unit"},
           Case{"{\"currency\": \"EUR\", \"models\": []}", "USD"},
       }) {
    Status s = t.Layer(c.json, "bad.json");
    EXPECT_FALSE(s.ok()) << c.json;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << s.message();
  }
  EXPECT_EQ(t.entries().size(), n);
}

TEST(PriceTable, MinimumAndStorageAreRead) {
  PriceTable t;
  Status s = t.Layer(R"({"models": [{"model": "m-small", "provider": "mistral", "encoding": "cl100k_base",
      "training": {"unit": "per_1m_tokens", "price": "3", "minimum_per_job": "4.00"}, "storage_per_month": 2,
      "source": "https://example.com/p", "checked": "2026-11-30"}]})",
                     "mine.json");
  ASSERT_TRUE(s.ok()) << s.message();
  const PriceEntry& e = t.entries().at(0);
  EXPECT_EQ(e.training_minimum, M("4"));
  EXPECT_EQ(e.storage_per_month, M("2"));
  for (const char* bad : {R"("training": {"unit": "per_1m_tokens", "price": 1, "minimum_per_job": -4})",
                          R"("storage_per_month": "two dollars")"}) {
    std::string json = std::string(R"({"models": [{"model": "x", "provider": "p", "encoding": "e", )") + bad +
                       R"(, "source": "u", "checked": "2026-01-01"}]})";
    Status b = t.Layer(json, "bad.json");
    EXPECT_FALSE(b.ok()) << json;
    EXPECT_NE(b.message().find("bad.json: models[0]"), std::string::npos) << b.message();
  }
}

TEST(PriceTable, NotListedProvidersSayHowToPriceTheirModels) {
  PriceTable t = BuiltIn();
  // Each provider the issue names is either priced or explained.
  for (const char* provider : {"together", "mistral", "vertex", "bedrock"}) {
    auto n = std::find_if(t.not_listed().begin(), t.not_listed().end(),
                          [&](const NotListed& x) { return x.provider == provider; });
    ASSERT_NE(n, t.not_listed().end()) << provider;
    EXPECT_NE(n->pricing_page.find("https://"), std::string::npos) << provider;
    EXPECT_FALSE(n->why.empty()) << provider;
    EXPECT_FALSE(n->entry_template.empty()) << provider;
    EXPECT_GE(n->checked.year, 2026) << provider;
  }
  struct Case {
    const char* model;
    const char* provider;
  };
  for (const Case& c :
       {Case{"mistral-small-latest", "mistral"}, Case{"open-mistral-nemo", "mistral"},
        Case{"ft:codestral-latest:acme:x:1", "mistral"}, Case{"gemini-2.5-flash", "vertex"},
        Case{"GEMINI-2.0-FLASH-001", "vertex"}, Case{"amazon.nova-micro-v1:0:128k", "bedrock"},
        Case{"meta.llama3-1-8b-instruct-v1:0", "bedrock"},
        Case{"meta-llama/Meta-Llama-3.1-8B-Instruct-Reference", "together"},
        Case{"Qwen/Qwen3-8B", "together"}}) {
    const NotListed* n = t.NotListedFor(c.model);
    ASSERT_NE(n, nullptr) << c.model;
    EXPECT_EQ(n->provider, c.provider) << c.model;
    Result<const PriceEntry*> e = t.Find(c.model, D("2026-11-30"));
    ASSERT_FALSE(e.ok());
    EXPECT_EQ(e.status().code(), Code::kNotFound);
    const std::string& msg = e.status().message();
    EXPECT_NE(msg.find("no built-in training price"), std::string::npos) << msg;
    EXPECT_NE(msg.find(n->pricing_page), std::string::npos) << msg;
    EXPECT_NE(msg.find("--prices FILE"), std::string::npos) << msg;
    EXPECT_NE(msg.find("\"model\":\"" + StripFineTunePrefix(c.model) + "\""), std::string::npos) << msg;
  }
  EXPECT_EQ(t.NotListedFor("gpt-4.1-mini"), nullptr);
  EXPECT_EQ(t.NotListedFor("mistral"),
            &*std::find_if(t.not_listed().begin(), t.not_listed().end(),
                           [](const NotListed& x) { return x.provider == "mistral"; }));
  EXPECT_EQ(t.NotListedFor("mistra"), nullptr);  // a pattern without '*' matches whole names only
  // Mistral's sourced minimum and storage fee are in the entry to copy.
  std::string msg = t.Find("mistral-small-latest", D("2026-11-30")).status().message();
  EXPECT_NE(msg.find("\"minimum_per_job\":\"4.00\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("\"storage_per_month\":\"2.00\""), std::string::npos) << msg;
  // A priced model still wins over the not-listed advice once the user layers a rate.
  ASSERT_TRUE(
      t.Layer(
           R"({"models": [{"model": "mistral-small-latest", "provider": "mistral", "encoding": "cl100k_base",
      "training": {"unit": "per_1m_tokens", "price": "3"}, "source": "u", "checked": "2026-11-30"}]})",
           "mine.json")
          .ok());
  EXPECT_TRUE(t.Find("mistral-small-latest", D("2026-11-30")).ok());
}

TEST(PriceTable, NotListedIsCheckedLikeEntries) {
  PriceTable t;
  struct Case {
    const char* json;
    const char* expect;
  };
  for (
      const Case& c : {
          Case{R"({"models": [], "not_listed": {}})", "must be an array"},
          Case{
              R"({"models": [], "not_listed": [{"provider": "p", "pricing_page": "u", "checked": "2026-01-01"}]})",
              "not_listed[0]: field \"models\""},
          Case{
              R"({"models": [], "not_listed": [{"provider": "p", "models": ["p-*"], "checked": "2026-01-01"}]})",
              "field \"pricing_page\": missing"},
          Case{R"({"models": [], "not_listed": [{"provider": "p", "models": ["p-*"], "pricing_page": "u",
                "checked": "2026-01-01", "entry_template": {"model": "<model>", "provider": "p",
                "encoding": "e", "training": {"unit": "per_token", "price": "<rate>"}, "source": "u",
                "checked": "<YYYY-MM-DD>"}}]})",
               "entry_template: field \"training.unit\""},
      }) {
    Status s = t.Layer(c.json, "nl.json");
    EXPECT_FALSE(s.ok()) << c.json;
    EXPECT_NE(s.message().find(c.expect), std::string::npos) << s.message();
  }
  EXPECT_TRUE(t.not_listed().empty());
  // A later layer's word on a provider replaces the earlier one.
  ASSERT_TRUE(
      t.Layer(R"({"models": [], "not_listed": [{"provider": "p", "models": ["p-*"], "pricing_page": "one",
      "checked": "2026-01-01"}]})",
              "a.json")
          .ok());
  ASSERT_TRUE(
      t.Layer(R"({"models": [], "not_listed": [{"provider": "p", "models": ["q-*"], "pricing_page": "two",
      "checked": "2026-01-02"}]})",
              "b.json")
          .ok());
  ASSERT_EQ(t.not_listed().size(), 1u);
  EXPECT_EQ(t.not_listed()[0].pricing_page, "two");
  EXPECT_EQ(t.NotListedFor("p-1"), nullptr);
  EXPECT_NE(t.NotListedFor("Q-1"), nullptr);
}

TEST(PriceTable, HostileFilesFailCleanly) {
  PriceTable t = BuiltIn();
  std::string deep(200'000, '[');  // would overflow a recursive parser's stack
  EXPECT_FALSE(t.Layer(deep, "deep.json").ok());
  EXPECT_FALSE(t.ImportLiteLlm(deep, "deep.json", nullptr).ok());
  EXPECT_FALSE(t.Layer("{\"models\": []} trailing", "t.json").ok());
  std::string huge = R"({"models": [{"model": "x", "provider": "p", "encoding": "e", "source": "u",
      "checked": "2026-01-01", "base": {"input": 1e300}}]})";
  EXPECT_FALSE(t.Layer(huge, "h.json").ok());
}

TEST(PriceTable, LiteLlmRefreshesInferencePricesOnly) {
  PriceTable t = BuiltIn();
  const char* litellm = R"({
    "sample_spec": {"input_cost_per_token": 0.0},
    "gpt-4.1-mini": {"input_cost_per_token": 3.5e-07, "output_cost_per_token": 1.4e-06,
                     "cache_read_input_token_cost": 8.75e-08, "litellm_provider": "openai"},
    "ft:gpt-4o-mini-2024-07-18": {"input_cost_per_token": 3e-07, "output_cost_per_token": 1.25e-06},
    "unrelated-model": {"input_cost_per_token": 1e-06}
  })";
  int updated = 0;
  ASSERT_TRUE(t.ImportLiteLlm(litellm, "litellm.json", &updated).ok());
  EXPECT_EQ(updated, 2);
  const PriceEntry* mini = *t.Find("gpt-4.1-mini", D("2026-11-30"));
  EXPECT_EQ(*mini->base_input, M("0.35"));
  EXPECT_EQ(*mini->base_output, M("1.40"));
  EXPECT_EQ(*mini->base_cached_input, M("0.0875"));
  EXPECT_EQ(*mini->ft_input, M("0.80"));       // no "ft:" key: fine-tuned prices untouched
  EXPECT_EQ(mini->training_price, M("5"));    // training untouched
  EXPECT_EQ(mini->inference_origin, "litellm.json");
  const PriceEntry* fourmini = *t.Find("gpt-4o-mini", D("2026-11-30"));
  EXPECT_EQ(*fourmini->ft_output, M("1.25"));  // found through the dated alias
  EXPECT_EQ(*fourmini->base_input, M("0.15"));
  EXPECT_FALSE(t.ImportLiteLlm("{\"gpt-4o\": {\"input_cost_per_token\": \"x\"}}", "l.json", &updated).ok());
}

}  // namespace
}  // namespace ftprep::price
