#!/usr/bin/env bash
# Bad-record fixtures of `ftprep validate`: tests/regressions/validate/<profile>/<case>.jsonl, one bad record
# each, with the exact expected findings and exit code in <case>.expected. Usage: validate_regressions.sh BINARY
# FTPREP_REGEN=1 rewrites the .expected files (review them with git diff).
set -u
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../regressions/validate" && pwd)
fail=0; n=0
for dir in "$root"/*/; do
  profile=$(basename "$dir")
  for f in "$dir"*.jsonl; do
    name=$(basename "$f" .jsonl)
    n=$((n + 1))
    # One record per fixture: the dataset-size rule would drown the finding under test.
    got=$(cd "$dir" && FTPREP_PLUGIN_PATH=disable "$bin" validate --profile "$profile" --no-tokens \
            --disable dataset.min_examples --max-per-rule 1000 --progress never "$name.jsonl" 2>&1 >/dev/null \
          | grep -E '^ftprep validate: [^ ]+: (error|warning|info)\[' ; echo "exit ${PIPESTATUS[0]}")
    rc=$(cd "$dir" && FTPREP_PLUGIN_PATH=disable "$bin" validate --profile "$profile" --no-tokens \
           --disable dataset.min_examples --progress never "$name.jsonl" >/dev/null 2>&1; echo $?)
    got=$(printf '%s\n' "$got" | sed '$d'; echo "exit $rc")
    if [ "${FTPREP_REGEN:-0}" = 1 ]; then
      printf '%s\n' "$got" > "$dir$name.expected"; continue
    fi
    if [ ! -f "$dir$name.expected" ]; then echo "FAIL $profile/$name: no .expected"; fail=$((fail + 1)); continue; fi
    if [ "${name#cookbook_ok_}" = "$name" ] && [ "$(grep -c "\\[" "$dir$name.expected")" = 0 ]; then
      echo "FAIL $profile/$name: the fixture must produce a finding"; fail=$((fail + 1)); continue
    fi
    if [ "$got" != "$(cat "$dir$name.expected")" ]; then
      echo "FAIL $profile/$name"; diff <(cat "$dir$name.expected") <(printf '%s\n' "$got") | head -10
      fail=$((fail + 1))
    fi
  done
done
echo "$n fixtures, $fail failed"
[ $fail = 0 ]
