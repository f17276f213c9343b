// Unit tests of core/clean/filters.h: secrets, PII and refusal phrases.
#include "clean/filters.h"

#include <gtest/gtest.h>

#include <string>

#include "core_test_util.h"

namespace ftprep::clean {
namespace {

std::string RedactAll(std::string_view text, unsigned kinds = kPiiAll) {
  std::vector<Span> spans;
  FindSecrets(text, &spans);
  FindPii(text, kinds, &spans);
  return Redact(text, spans);
}

TEST(CleanFilters, Secrets) {
  EXPECT_EQ(RedactAll("key=sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv"), "key=[SECRET]");
  EXPECT_EQ(RedactAll("sk-abcdefghijklmnopqrstuvwxyz0123456789"), "[SECRET]");
  EXPECT_EQ(RedactAll("AKIAIOSFODNN7EXAMPLE is the id"), "[SECRET] is the id");
  EXPECT_EQ(RedactAll("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "aws_secret_access_key = [SECRET]");
  EXPECT_EQ(RedactAll("token ghp_0123456789abcdefghijABCDEFGHIJ012345 end"), "token [SECRET] end");
  EXPECT_EQ(RedactAll("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"), "[SECRET]");
  EXPECT_EQ(RedactAll("a\n-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----\nb"),
            "a\n[SECRET]\nb");
  EXPECT_EQ(RedactAll("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNz truncated"), "[SECRET]");
  // Not secrets: short, inside words, public keys.
  EXPECT_EQ(RedactAll("task-force sk-short risk-assessment"), "task-force sk-short risk-assessment");
  EXPECT_EQ(RedactAll("-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----"),
            "-----BEGIN PUBLIC KEY-----\nabc\n-----END PUBLIC KEY-----");
  EXPECT_EQ(RedactAll("xAKIAIOSFODNN7EXAMPLE"), "xAKIAIOSFODNN7EXAMPLE");
}

TEST(CleanFilters, Emails) {
  EXPECT_EQ(RedactAll("mail john.doe+tag@mail.example.co.uk now"), "mail [EMAIL] now");
  EXPECT_EQ(RedactAll("(a@b.io)."), "([EMAIL]).");
  EXPECT_EQ(RedactAll("user@localhost and @handle and a@b"), "user@localhost and @handle and a@b");
}

TEST(CleanFilters, PhonesCardsIps) {
  EXPECT_EQ(RedactAll("call +1 415-555-0132 today"), "call [PHONE] today");
  EXPECT_EQ(RedactAll("call (415) 555-0132"), "call [PHONE]");
  EXPECT_EQ(RedactAll("call 555-0132."), "call [PHONE].");
  EXPECT_EQ(RedactAll("+44 20 7946 0958"), "[PHONE]");
  EXPECT_EQ(RedactAll("card 4111 1111 1111 1111 ok"), "card [CREDIT_CARD] ok");
  EXPECT_EQ(RedactAll("card 4111-1111-1111-1111"), "card [CREDIT_CARD]");
  EXPECT_EQ(RedactAll("4111111111111111"), "[CREDIT_CARD]");
  EXPECT_EQ(RedactAll("4111111111111112"), "4111111111111112");  // Luhn fails, no separators: not a phone
  EXPECT_EQ(RedactAll("ip 10.0.0.255, v6 2001:db8:85a3::8a2e:370:7334 and ::1"), "ip [IP], v6 [IP] and [IP]");
  // Not PII: dates, decimals, versions, times, big numbers, C++ scopes.
  EXPECT_EQ(RedactAll("on 2023-10-15 at 12:30:45, pi 3.14159265358979, v1.2.3, id 1700000000"),
            "on 2023-10-15 at 12:30:45, pi 3.14159265358979, v1.2.3, id 1700000000");
  EXPECT_EQ(RedactAll("std::vector and 999.1.1.1 and 1.2.3.4.5"), "std::vector and 999.1.1.1 and 1.2.3.4.5");
  // Kinds select what is looked for.
  EXPECT_EQ(RedactAll("a@b.io 10.0.0.1", kPiiEmail), "[EMAIL] 10.0.0.1");
}

TEST(CleanFilters, Luhn) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid(""));
}

TEST(CleanFilters, PiiKinds) {
  EXPECT_EQ(*ParsePiiKinds("email,ip"), unsigned{kPiiEmail | kPiiIp});
  EXPECT_EQ(*ParsePiiKinds("all"), unsigned{kPiiAll});
  EXPECT_FALSE(ParsePiiKinds("emails").ok());
}

TEST(CleanFilters, LinearOnHostileText) {
  std::string s(1 << 20, '1');  // 1 MB of digits, then separators everywhere
  for (size_t i = 0; i < s.size(); i += 3) s[i] = '-';
  std::string at(1 << 20, '@');
  std::string keyish = "sk-" + std::string(1 << 20, 'a');
  std::vector<Span> spans;
  FindSecrets(s, &spans);
  FindPii(s, kPiiAll, &spans);
  FindPii(at, kPiiAll, &spans);
  FindSecrets(keyish, &spans);
  EXPECT_EQ(spans.size(), 1u);  // the long key
}

TEST(CleanFilters, Phrases) {
  PhraseList l = PhraseList::Default();
  EXPECT_EQ(l.Find("As an AI   language model, I can't."), "as an ai language model");
  EXPECT_EQ(l.Find("I\xE2\x80\x99m sorry, but I can\xE2\x80\x99t do that"), "i'm sorry, but i can't");
  EXPECT_EQ(l.Find("Here is the answer."), "");
  ftprep::testing::TempDir dir;
  std::string f = dir.Write("p.txt", "# comment\n\nCertainly! Here is\r\n");
  ASSERT_TRUE(l.AddFile(f).ok());
  EXPECT_EQ(l.Find("certainly!  here is your poem"), "certainly! here is");
  EXPECT_FALSE(l.AddFile(dir.path("missing.txt")).ok());
}

}  // namespace
}  // namespace ftprep::clean
