// Tests of core/price/money.cpp: exact decimal parsing, formatting, token costs and dates.
#include <gtest/gtest.h>

#include "ftprep/price.h"

namespace ftprep::price {
namespace {

Money M(const char* s) {
  Result<Money> m = ParseDollars(s);
  EXPECT_TRUE(m.ok()) << s << ": " << m.status().message();
  return m.ok() ? *m : Money{};
}

TEST(PriceMoney, ParsesDecimalsExactly) {
  EXPECT_EQ(M("0.80").nanos, 800'000'000);
  EXPECT_EQ(M("0.075").nanos, 75'000'000);
  EXPECT_EQ(M("1.875").nanos, 1'875'000'000);
  EXPECT_EQ(M("25").nanos, 25'000'000'000);
  EXPECT_EQ(M("0.000035").nanos, 35'000);
  EXPECT_EQ(M("4e-07").nanos, 400);
  EXPECT_EQ(M("1.5E2").nanos, 150'000'000'000);
  EXPECT_EQ(M("-1.25").nanos, -1'250'000'000);
  EXPECT_EQ(M("000.10").nanos, 100'000'000);
  // Ten fractional digits: rounded half away from zero to the nano-dollar.
  EXPECT_EQ(M("0.0000000015").nanos, 2);
  EXPECT_EQ(M("0.0000000014").nanos, 1);
}

TEST(PriceMoney, RejectsGarbage) {
  for (const char* bad : {"", ".", "abc", "1.2.3", "1e", "$5", "5 ", "1e400"}) {
    EXPECT_FALSE(ParseDollars(bad).ok()) << bad;
  }
}

TEST(PriceMoney, Formats) {
  EXPECT_EQ(FormatDollars(M("7.5"), 2), "$7.50");
  EXPECT_EQ(FormatDollars(M("0.005"), 2), "$0.01");  // half away from zero
  EXPECT_EQ(FormatDollars(M("0.0049"), 2), "$0.00");
  EXPECT_EQ(FormatDollars(M("1234567.891"), 2), "$1,234,567.89");
  EXPECT_EQ(FormatDollars(M("-3.125"), 2), "-$3.13");
  EXPECT_EQ(FormatDollars(M("0.00042"), 4), "$0.0004");
  EXPECT_EQ(FormatDollarsAuto(M("0.00042")), "$0.0004");
  EXPECT_EQ(FormatDollarsAuto(M("12.345")), "$12.35");
  EXPECT_EQ(FormatDollarsAuto(Money{0}), "$0.00");
  EXPECT_EQ(FormatDollarsAuto(Money{14'400}), "<$0.0001");
  EXPECT_EQ(FormatDollarsAuto(Money{50'000}), "$0.0001");
}

TEST(PriceMoney, CostOfTokens) {
  // The case: 1,000 examples x 500 tokens x 3 epochs = 1.5M tokens at $5.00/1M = $7.50.
  EXPECT_EQ(CostOfTokens(1'500'000, M("5.00")), M("7.50"));
  EXPECT_EQ(CostOfTokens(1, M("0.10")).nanos, 100);  // $0.0000001
  EXPECT_EQ(CostOfTokens(3, M("0.025")).nanos, 75);
  // No overflow on a trillion tokens at $100/1M.
  EXPECT_EQ(CostOfTokens(1'000'000'000'000, M("100")), Money::Dollars(100'000'000));
}

TEST(PriceDate, ParsesAndCounts) {
  Result<Date> d = ParseDate("2027-01-06");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(FormatDate(*d), "2027-01-06");
  EXPECT_EQ(DaysBetween(*ParseDate("2026-11-30"), *d), 37);
  EXPECT_EQ(DaysBetween(*ParseDate("2024-02-28"), *ParseDate("2024-03-01")), 2);  // leap year
  EXPECT_EQ(DaysBetween(*ParseDate("2026-06-03"), *ParseDate("2026-11-30")), 180);
  for (const char* bad : {"2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01x"}) {
    EXPECT_FALSE(ParseDate(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace ftprep::price
