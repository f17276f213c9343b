// Tests of the generic rule set's text scan (validators/generic): where each finding is reported and with
// which message, at the edges of strings, next to escapes and multi-byte characters, in long strings and
// runs of digits; the stop masks at page ends; the UTF-8 short cut against the full decode.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <random>
#include <string>
#include <vector>

#include "../../validators/generic/stop_masks.h"
#include "rules/rules.h"
#include "utf8.h"

namespace ftprep {
namespace {

namespace g = ftprep::rules::generic;

std::unique_ptr<RuleEngine> Generic(const std::string& config = "{}") {
  auto p = ParseProfile(R"({"name": "t", "rule_sets": [{"plugin": "generic", "config": )" + config + "}]}", "t");
  EXPECT_TRUE(p.ok()) << p.status().message();
  auto e = RuleEngine::Create(*p);
  EXPECT_TRUE(e.ok()) << e.status().message();
  return e.ok() ? std::move(*e) : nullptr;
}

// The findings of one record as "rule path: message" lines, in the order reported.
std::vector<std::string> Scan(RuleEngine& e, const std::string& json) {
  std::vector<Finding> f;
  Status s = e.Check(json, 1, &f);
  EXPECT_TRUE(s.ok()) << s.message();
  std::vector<std::string> out;
  for (const auto& x : f) out.push_back(x.rule + " " + x.path + ": " + x.message);
  return out;
}

// The same findings from the AVX2 path (masks inlined into the walk, whole blocks read at the end of a
// text) as from the SSE2 path (exact reads), on random text made of the pieces the rules look for, in
// records of strings of every length.
TEST(GenericScan, Avx2AndSse2PathsFindTheSame) {
#if defined(__x86_64__)
  if (!g::HasAvx2()) GTEST_SKIP() << "no AVX2 on this CPU: only one path to run";
  auto avx2 = Generic();
  g::g_sse2_for_tests = true;
  auto sse2 = Generic();
  g::g_sse2_for_tests = false;
  ASSERT_TRUE(avx2 && sse2);
  const std::vector<std::string> pieces = {
      "bob@example.org", "a.b@c.io", "@x", "4111 1111 1111 1111", "4111111111111111", "078-05-1120", "2024",
      "AKIAABCDEFGHIJKLMNOP", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "sk-abcdefghijklmnopqrstu", "xoxb-123456789012",
      "-----BEGIN PRIVATE KEY-----", "<|endoftext|>", "[INST]", "\\u200b", "\\u0001", "\\u0085", "\\ufffd",
      "\\u00e9", "\\u4e2d", "\\ud83d\\ude00", "\\udb40\\udc01", "\\t", "\\n", " ", "  ", "a", "user_id", "x-y",
      "A", "_", "-", "@", "<", "[", "0", "9", "\\\\", "\\\"", "\xc3", "\xff"};
  std::mt19937 rng(11);
  for (int r = 0; r < 3000; ++r) {
    std::string json = "{";
    for (int k = 0, keys = 1 + static_cast<int>(rng() % 4); k < keys; ++k) {
      std::string text;
      for (size_t want = rng() % 3 == 0 ? rng() % 8 : rng() % 300; text.size() < want;) {
        text += pieces[rng() % pieces.size()];
      }
      const bool in_array = rng() % 2;
      json += std::string(k ? "," : "") + "\"" + (rng() % 2 ? "content" : "k" + std::to_string(k)) + "\":" +
              (in_array ? "[\"" : "\"") + text + (in_array ? "\"]" : "\"");
    }
    json += "}";
    ASSERT_EQ(Scan(*avx2, json), Scan(*sse2, json)) << json;
  }
#else
  GTEST_SKIP() << "one path only on this architecture";
#endif
}

// Each rule's first match in each string, with its message: e-mail addresses, card numbers and SSNs at the
// start and end of strings and glued to other text, keys after key characters and escapes, invisible and
// control characters counted in characters next to multi-byte ones, special tokens, private keys, content
// keys, paths that need quoting and a bare string record.
TEST(GenericScan, FindsEachRuleWhereItStarts) {
  auto e = Generic();
  ASSERT_TRUE(e);
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {R"j({"a":"a@b.co","b":"write to x.y+z@mail-1.example.org","c":"@b.co a@b.c @mention a@"})j",
       {R"j(generic.pii.email a: e-mail address in text)j",
        R"j(generic.pii.email b: e-mail address in text)j"}},
      {R"j({"a":"4111111111111111","b":"card 4111 1111 1111 1111","c":"4111-1111-1111-1111x","d":"v4111111111111111","e":"41111111111111111111","f":"0000000000000"})j",
       {R"j(generic.pii.card_number a: payment card number in text)j",
        R"j(generic.pii.card_number b: payment card number in text)j"}},
      {R"j({"a":"078-05-1120","b":"ssn: 078-05-1120","c":"078-05-1120-","d":"666-05-1120 900-05-1120 000-05-1120","e":"078-05-112"})j",
       {R"j(generic.pii.ssn a: US social security number in text)j",
        R"j(generic.pii.ssn b: US social security number in text)j"}},
      {R"j({"a":"x_4111111111111111","b":"-4111111111111111","c":"\n4111111111111111","d":"2024-01-15 v2 a1b2 12345678901234567890"})j",
       {R"j(generic.pii.card_number a: payment card number in text)j",
        R"j(generic.pii.card_number b: payment card number in text)j",
        R"j(generic.pii.card_number c: payment card number in text)j"}},
      {R"j({"a":"AKIAABCDEFGHIJKLMNOP","b":"id=AKIAABCDEFGHIJKLMNOP","c":"xAKIAABCDEFGHIJKLMNOP","d":"\tsk-abcdefghijklmnopqrstu","e":"disk-abcdefghijklmnopqrstuvwxyz"})j",
       {R"j(generic.secret.api_key a: text looks like an API key or token: "AKIAABCD"…)j",
        R"j(generic.secret.api_key b: text looks like an API key or token: "AKIAABCD"…)j",
        R"j(generic.secret.api_key d: text looks like an API key or token: "sk-abcde"…)j"}},
      {R"j({"a":"ghp_abcdefghijklmnopqrstuvwxyz0123456789","b":"xghp_abcdefghijklmnopqrstuvwxyz0123456789","c":"github_pat_abcdefghijklmnopqrstuvwxyz0123456789ABCD","d":"xoxb-1234567890","e":"gho_abc","f":"AIzaSyA-abcdefghijklmnopqrstuvwxyz012"})j",
       {R"j(generic.secret.api_key a: text looks like an API key or token: "ghp_abcd"…)j",
        R"j(generic.secret.api_key c: text looks like an API key or token: "github_p"…)j",
        R"j(generic.secret.api_key d: text looks like an API key or token: "xoxb-123"…)j"}},
      {R"j({"a":"_sk-abcdefghijklmnopqrstu","b":"sk-__________________________","c":"sk-abc-------------------"})j",
       {R"j(generic.secret.api_key c: text looks like an API key or token: "sk-abc--"…)j"}},
      {R"j({"a":"\u200b","b":"caf\u00e9\u200b","c":"\u4e2d\u6587\u00ad","d":"\ud83d\ude00\ufeff","e":"\u0001","f":"\u00e9\u0085","g":"x\ufffd","h":"\udb40\udc01 tag","i":"\u180e\u034f\ufff9"})j",
       {R"j(generic.invisible_char a: invisible character U+200B at character 1)j",
        R"j(generic.invisible_char b: invisible character U+200B at character 5)j",
        R"j(generic.invisible_char c: invisible character U+00AD at character 3)j",
        R"j(generic.invisible_char d: invisible character U+FEFF at character 2)j",
        R"j(generic.control_char e: control character U+0001 at character 1)j",
        R"j(generic.control_char f: C1 control character U+0085 at character 2)j",
        R"j(generic.replacement_char g: U+FFFD at character 2 (text was decoded with the wrong encoding?))j",
        R"j(generic.invisible_char h: invisible character U+E0001 at character 1)j",
        R"j(generic.invisible_char i: invisible character U+180E at character 1)j"}},
      {R"j({"a":"\u200b\u200c bob@example.org \u0002 ann@example.org","b":["\u200b","\u0001"]})j",
       {R"j(generic.invisible_char a: invisible character U+200B at character 1)j",
        R"j(generic.pii.email a: e-mail address in text)j",
        R"j(generic.control_char a: control character U+0002 at character 20)j",
        R"j(generic.invisible_char b[0]: invisible character U+200B at character 1)j",
        R"j(generic.control_char b[1]: control character U+0001 at character 1)j"}},
      {R"j({"a":"<|endoftext|>","b":"end <|im_end|>","c":"<|","d":"<||>","e":"[INST]","f":"x [/INST]","g":"[INS","h":"<|a b|>"})j",
       {R"j(generic.special_token a: special-token text "<|endoftext|>" in content (tokenizers may treat it as a control token))j",
        R"j(generic.special_token b: special-token text "<|im_end|>" in content (tokenizers may treat it as a control token))j",
        R"j(generic.special_token e: special-token text "[INST]" in content)j",
        R"j(generic.special_token f: special-token text "[/INST]" in content)j"}},
      {R"j({"a":"-----BEGIN RSA PRIVATE KEY-----\nMII\n-----END RSA PRIVATE KEY-----","b":"------BEGIN PRIVATE KEY-----","c":"-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----"})j",
       {R"j(generic.secret.private_key a: text holds a private key block)j",
        R"j(generic.secret.private_key b: text holds a private key block)j"}},
      {R"j({"content":"","text":" \t\n","value":"x","other":"","name":"  ","messages":[{"role":"user","content":"   "}]})j",
       {R"j(generic.content.empty content: content is an empty string)j",
        R"j(generic.content.whitespace text: content is only whitespace)j",
        R"j(generic.content.whitespace messages[0].content: content is only whitespace)j"}},
      {R"j({"a b":{"":[["x\u200b"]],"c.d":"\u0001"}})j",
       {R"j(generic.invisible_char ["a b"][""][0][0]: invisible character U+200B at character 2)j",
        R"j(generic.control_char ["a b"]["c.d"]: control character U+0001 at character 1)j"}},
      {R"j("\u200b")j",
       {R"j(generic.invisible_char : invisible character U+200B at character 1)j"}},
  };
  for (const auto& [json, want] : cases) EXPECT_EQ(Scan(*e, json), want) << json;
}

// Long strings: a finding at the edges of 32- and 64-byte words and of 4096-byte runs, after ASCII,
// two-byte and four-byte characters and digit runs, is reported once with the right character index.
TEST(GenericScan, LongStringsReportTheRightCharacter) {
  auto e = Generic();
  ASSERT_TRUE(e);
  const std::vector<std::pair<std::string, size_t>> fillers = {
      {"a", 1}, {"\\u00e9", 1}, {"\\ud83d\\ude00", 1}, {"12 ", 3}, {"x_y-", 4}, {"\\t", 1}};
  for (const auto& [unit, chars] : fillers) {
    for (size_t before : {0, 1, 31, 32, 33, 63, 64, 65, 1000, 2047, 2048, 4095, 4096, 4097, 6000}) {
      std::string text;
      for (size_t k = 0; k < before; ++k) text += unit;
      std::string json = "{\"a\":\"" + text + "\\u200b" + text + "\\u0001\"}";
      size_t at = before * chars + 1;
      std::vector<std::string> want = {
          "generic.invisible_char a: invisible character U+200B at character " + std::to_string(at),
          "generic.control_char a: control character U+0001 at character " + std::to_string(2 * before * chars + 2)};
      EXPECT_EQ(Scan(*e, json), want) << unit << " x " << before;
    }
  }
  // A card number and an SSN across a 64-byte word edge, at the very end of a long string.
  for (size_t pad = 50; pad < 70; ++pad) {
    std::string json = "{\"a\":\"" + std::string(pad, ' ') + "4111 1111 1111 1111 078-05-1120\"}";
    EXPECT_EQ(Scan(*e, json), (std::vector<std::string>{"generic.pii.card_number a: payment card number in text",
                                                        "generic.pii.ssn a: US social security number in text"}))
        << pad;
  }
}

// Invalid UTF-8 (possible from formats that do not check it) is reported at its byte and ends the scan of
// that string: what came before is reported, what follows is not.
TEST(GenericScan, InvalidUtf8EndsTheStringsScan) {
  auto e = Generic();
  ASSERT_TRUE(e);
  EXPECT_EQ(Scan(*e, "{\"a\":\"ab\xff\"}"), (std::vector<std::string>{"generic.utf8.invalid a: invalid UTF-8 at byte 2"}));
  EXPECT_EQ(Scan(*e, "{\"a\":\"bob@example.org \xc3\xa9\xc3 \\u200b\",\"b\":\"\\u200b\"}"),
            (std::vector<std::string>{"generic.pii.email a: e-mail address in text",
                                      "generic.utf8.invalid a: invalid UTF-8 at byte 18",
                                      "generic.invisible_char b: invisible character U+200B at character 1"}));
  // Overlong, surrogate, beyond U+10FFFF, truncated at the end, a stray continuation byte.
  for (const char* bad : {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x8f\xbf\xbf", "\xe4\xb8",
                          "\x80", "\xf5\x80\x80\x80", "\xc3\x41"}) {
    EXPECT_EQ(Scan(*e, std::string("{\"a\":\"\xe4\xb8\xad") + bad + " 4111111111111111\"}"),
              (std::vector<std::string>{"generic.utf8.invalid a: invalid UTF-8 at byte 3"}))
        << bad;
  }
}

// The short cut for most non-ASCII characters agrees with the full decode: whenever it takes a sequence,
// the decode takes the same bytes and finds a character no rule reports.
TEST(GenericScan, PlainUtf8SequencesAreWhatTheDecodeSays) {
  size_t taken = 0;
  for (int c0 = 0x80; c0 < 0x100; ++c0) {
    for (int c1 = 0; c1 < 0x100; ++c1) {
      for (int c2 : {0x41, 0x80, 0x9F, 0xBF, 0xC0}) {
        for (int c3 : {0x41, 0x80, 0xBF}) {
          const unsigned char b[4] = {static_cast<unsigned char>(c0), static_cast<unsigned char>(c1),
                                      static_cast<unsigned char>(c2), static_cast<unsigned char>(c3)};
          for (size_t n = 1; n <= 4; ++n) {
            size_t plain = g::PlainSequence(b, n, 0);
            uint32_t cp = 0;
            size_t len = DecodeUtf8At(b, n, 0, &cp);
            if (plain == 0) continue;
            ++taken;
            ASSERT_EQ(plain, len) << c0 << " " << c1 << " " << c2 << " " << c3 << " n=" << n;
            ASSERT_FALSE(cp <= 0x9F || g::IsInvisible(cp) || cp == 0xFFFD) << cp;
          }
        }
      }
    }
  }
  EXPECT_GT(taken, 10000u);
}

// One readable page of random bytes from `alphabet` followed by an unreadable page, unmapped when it goes:
// a read past the first page's end would fault.
class GuardedPage {
 public:
  GuardedPage(const std::string& alphabet, unsigned seed) : page_(static_cast<size_t>(sysconf(_SC_PAGESIZE))) {
    void* m = mmap(nullptr, 2 * page_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return;
    base_ = static_cast<unsigned char*>(m);
    if (mprotect(base_ + page_, page_, PROT_NONE) != 0) {
      munmap(base_, 2 * page_);
      base_ = nullptr;
      return;
    }
    std::mt19937 rng(seed);
    for (size_t i = 0; i < page_; ++i) base_[i] = static_cast<unsigned char>(alphabet[rng() % alphabet.size()]);
  }
  ~GuardedPage() {
    if (base_) munmap(base_, 2 * page_);
  }
  GuardedPage(const GuardedPage&) = delete;
  GuardedPage& operator=(const GuardedPage&) = delete;
  const unsigned char* base() const { return base_; }  // null when the pages could not be set up
  size_t size() const { return page_; }

 private:
  size_t page_;
  unsigned char* base_ = nullptr;
};

// The AVX2 masks read whole blocks past the end of a text when that stays in its page: at the very end of a
// readable page (the next one unmapped) they give the bits the byte table gives, at every length.
TEST(GenericScan, StopMasksAtTheEndOfAPage) {
  GuardedPage guard{"ab -_A0@[<\t\x01\x7f\xc3\xa9", 3};
  ASSERT_NE(guard.base(), nullptr) << "cannot map a page and a guard page";
  const size_t page = guard.size();
  const unsigned char* base = guard.base();
  for (size_t n = 1; n <= 200; ++n) {
    for (size_t gap : {size_t{0}, size_t{1}, size_t{17}}) {  // bytes left in the page after the text
      const unsigned char* p = base + page - gap - n;
      std::vector<uint64_t> want((n + 63) / 64), got(want.size());
      g::StopMasksScalar(p, n, want.data());
#if defined(__x86_64__)
      g::StopMasksSse2(p, n, got.data());
      ASSERT_EQ(got, want) << n << " " << gap;
      if (g::HasAvx2()) {
        g::StopMasksAvx2(p, n, got.data());
        ASSERT_EQ(got, want) << n << " " << gap;
      }
#endif
      EXPECT_EQ(g::StopMasks(p, n, got.data()), [&] {
        uint64_t any = 0;
        for (uint64_t w : want) any |= w;
        return any;
      }());
    }
  }
}

// The AVX2 words without lone underscores: every bit of the byte table's words, less (where the bytes around
// a block can be read) those of '_' bytes that do not follow 'p', 'o' or 'b' (the first byte of a text may
// go either way), at every length, in the middle and at the end of a page.
TEST(GenericScan, KeyWordsDropOnlyLoneUnderscores) {
#if defined(__x86_64__)
  if (!g::HasAvx2()) GTEST_SKIP() << "no AVX2 on this CPU";
  GuardedPage guard{"__pob a-A0@\xc3", 5};
  ASSERT_NE(guard.base(), nullptr) << "cannot map a page and a guard page";
  const size_t page = guard.size();
  const unsigned char* base = guard.base();
  size_t dropped = 0;
  for (size_t n = 1; n <= 300; ++n) {
    for (size_t at : {size_t{0}, size_t{1}, size_t{100}, page - n, page - n - 7}) {
      const unsigned char* p = base + at;
      std::vector<uint64_t> raw((n + 63) / 64);
      g::StopMasksScalar(p, n, raw.data());
      for (size_t w = 0; w < raw.size(); ++w) {
        const uint64_t got = g::StopWordAvx2Keys(p, n, 64 * w);
        ASSERT_EQ(got & ~raw[w], 0u) << n << " " << at;
        for (size_t k = 0; k < 64 && 64 * w + k < n; ++k) {
          const size_t i = 64 * w + k;
          const bool lone = p[i] == '_' && i > 0 && p[i - 1] != 'p' && p[i - 1] != 'o' && p[i - 1] != 'b';
          const bool kept = got >> k & 1;
          if ((raw[w] >> k & 1) && !lone && !(p[i] == '_' && i == 0)) {
            ASSERT_TRUE(kept) << n << " " << at << " byte " << i;
          }
          dropped += lone && !kept;
        }
      }
    }
  }
  EXPECT_GT(dropped, 1000u);
#else
  GTEST_SKIP() << "AVX2 only";
#endif
}

}  // namespace
}  // namespace ftprep
