// Internal helpers shared by the files of core/price/ (not part of the public API).
#ifndef FTPREP_CORE_PRICE_INTERNAL_H_
#define FTPREP_CORE_PRICE_INTERNAL_H_

#include <string_view>

#include "ftprep/price.h"

namespace ftprep::price {

// ParseDollars of `text` x 10^extra_exp10, exact.
Result<Money> ParseDollarsScaled(std::string_view text, int extra_exp10);

// The built-in price file's text (generated from core/data/prices.json at configure time).
std::string_view BuiltInPricesJson();

}  // namespace ftprep::price

#endif  // FTPREP_CORE_PRICE_INTERNAL_H_
