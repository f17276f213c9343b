#!/usr/bin/env bash
# Hostile-input corpus: bash tests/scripts/regressions.sh BINARY [GROUP]
#
# Runs every case folder of tests/regressions/<reader>/<case>/ with the golden runner (tests/cli/run.sh: cmd,
# stdin, expected_stdout, expected_stderr, expected_exit). Large inputs are generated at test time by
# tests/regressions/gen.py, never stored. Besides matching the expectations exactly, every case must end with
# exit 0, 1 or 2 — never a signal (128+N) or a timeout — which the exact exit-code match enforces; this script
# also refuses expectations outside 0..2 so a crash can never be "regenerated" into the corpus.
# GROUP (csv, json, ...) runs one reader folder only; ctest runs one test per folder, in parallel.
set -u
bin=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
root=$repo/tests/regressions
fail=0; total=0
groups=("$root"/*/)
[ $# -ge 2 ] && groups=("$root/$2/")
for group in "${groups[@]}"; do
  group=${group%/}
  [ -d "$group" ] || continue
  for c in "$group"/*/; do
    c=${c%/}
    [ -f "$c/cmd" ] || continue
    total=$((total + 1))
    want=0; [ -f "$c/expected_exit" ] && want=$(cat "$c/expected_exit")
    case "$want" in
      0|1|2) ;;
      *) echo "FAIL $(basename "$group")/$(basename "$c"): expected_exit is $want; only 0, 1, 2 are allowed"; fail=1 ;;
    esac
  done
  bash "$repo/tests/cli/run.sh" "$bin" "$group" || fail=1
done
[ "$total" -gt 0 ] || { echo "regressions: no cases found in ${groups[*]}"; exit 1; }
echo "regressions: $total hostile-input cases"
exit $fail
