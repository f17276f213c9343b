#!/usr/bin/env bash
# Bad-record fixtures of `ftprep validate`: tests/regressions/validate/<profile>/<case>.jsonl, one bad record
# each, with the exact expected findings and the exit code validate gives for that file alone in
# <case>.expected. Usage: validate_regressions.sh BINARY
# FTPREP_REGEN=1 rewrites the .expected files (review them with git diff).
# One validate run per profile over all its fixtures keeps this fast (also under sanitizers); the rules that
# look across records are disabled so that fixtures cannot see each other. Per-record findings name their
# file and line, so awk splits them back per fixture; a fixture's exit code is 1 exactly when it has an error.
set -u
bin=$(realpath "$1")
root=$(cd "$(dirname "$0")/../regressions/validate" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0; n=0
for dir in "$root"/*/; do
  profile=$(basename "$dir")
  (cd "$dir" && ls *.jsonl > "$tmp/names" &&
   FTPREP_PLUGIN_PATH=disable "$bin" validate --profile "$profile" --no-tokens --progress never \
     --disable dataset.min_examples --disable dataset.duplicate --disable dataset.prompt.identical \
     --disable dataset.class_balance --disable dataset.format.mixed --max-per-rule 100000 $(cat "$tmp/names") >/dev/null 2>"$tmp/err")
  rc=$?
  if [ $rc -gt 1 ]; then echo "FAIL $profile: validate exited $rc"; head -3 "$tmp/err"; fail=$((fail + 1)); continue; fi
  # actual: "== case", its findings, "exit N" for every fixture, in `ls` order.
  awk -v names="$tmp/names" '
    /^ftprep validate: [^ ]+\.jsonl:[0-9]+: (error|warning|info)\[/ {
      f = $3; sub(/\.jsonl:.*/, "", f); lines[f] = lines[f] $0 "\n"; if ($0 ~ /: error\[/) err[f] = 1 }
    END { while ((getline nm < names) > 0) { c = nm; sub(/\.jsonl$/, "", c)
            printf "== %s\n%sexit %d\n", c, lines[c], err[c] ? 1 : 0 } }' "$tmp/err" > "$tmp/actual"
  if [ "${FTPREP_REGEN:-0}" = 1 ]; then
    awk -v d="$dir" '/^== / { out = d substr($0, 4) ".expected"; printf "" > out; next } { print >> out }' "$tmp/actual"
    continue
  fi
  : > "$tmp/expected"
  while read -r nm; do
    c=${nm%.jsonl}; n=$((n + 1))
    echo "== $c" >> "$tmp/expected"
    if [ -f "$dir$c.expected" ]; then cat "$dir$c.expected" >> "$tmp/expected"; else echo "(no .expected)" >> "$tmp/expected"; fi
  done < "$tmp/names"
  if ! cmp -s "$tmp/expected" "$tmp/actual"; then
    echo "FAIL $profile:"; diff "$tmp/expected" "$tmp/actual" | head -20; fail=$((fail + 1))
  fi
  # Every fixture must show a finding, except the cookbook_ok_* ones (cases the cookbook script crashed on).
  awk '/^== / { if (c != "" && !seen && c !~ /^cookbook_ok_/) print "FAIL fixture without a finding: " c; c = substr($0, 4); seen = 0; next }
       /\[/ { seen = 1 } END { if (c != "" && !seen && c !~ /^cookbook_ok_/) print "FAIL fixture without a finding: " c }' \
      "$tmp/actual" | tee "$tmp/nofind"
  [ -s "$tmp/nofind" ] && fail=$((fail + 1))
done
echo "$n fixtures, $fail failures"
[ $fail = 0 ]
