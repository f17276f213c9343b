// core/edit_distance.h — Levenshtein distance for "did you mean" suggestions (models, encodings, flags, ...).
#ifndef FTPREP_CORE_EDIT_DISTANCE_H_
#define FTPREP_CORE_EDIT_DISTANCE_H_

#include <cstddef>
#include <string_view>

namespace ftprep {

// Insertions, deletions and substitutions of bytes turning `a` into `b`. O(|a|·|b|) time, O(|b|) memory:
// meant for short names.
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace ftprep

#endif  // FTPREP_CORE_EDIT_DISTANCE_H_
