#!/usr/bin/env bash
# ctest-labels: cli
# Repository hygiene: bash tests/scripts/repo_hygiene.sh [BINARY]   (the binary is not used)
#
# - no tracked file over 1 MiB outside core/data/encodings/ (big test inputs are generated at test time);
# - no tracked file named by a bare number (the trace of a shell or awk `>` redirect gone wrong);
# - no internal tracker references ("issue 12") in what users read: README, docs/, usage texts in tools/,
#   shipped data (core/data/prices.json, validators/profiles/), samples/.
# Skips with a notice outside a git checkout (a source tarball).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "SKIP repo_hygiene: not a git checkout"
  exit 0
fi
fail=0
big=$(git ls-files -z | xargs -0 -r stat -c '%s %n' 2>/dev/null | awk '$1 > 1048576 { print }' |
      grep -v ' core/data/encodings/' || true)
if [ -n "$big" ]; then
  echo "FAIL tracked files over 1 MiB (generate them at test time):"; echo "$big"; fail=1
fi
numbered=$(git ls-files | awk -F/ '$NF ~ /^[0-9]+$/' || true)
if [ -n "$numbered" ]; then
  echo "FAIL tracked files named by a bare number:"; echo "$numbered"; fail=1
fi
refs=$(git grep -n -I -i -E '\bissue [0-9]+|issue #[0-9]+' -- README.md docs tools core/data/prices.json \
       validators/profiles samples || true)
if [ -n "$refs" ]; then
  echo "FAIL internal issue references in user-facing text:"; echo "$refs"; fail=1
fi
[ $fail = 0 ] && echo "ok repo hygiene: $(git ls-files | wc -l) tracked files"
exit $fail
