#!/usr/bin/env bash
# Every Parquet file of ../shared/suites/parquet-testing: the ones ftprep reads must give, row for row, what
# an independent reader (hyparquet, through tests/parquet/oracle.mjs) gives under the JSON mapping; the ones
# it refuses (tests/parquet/refused.tsv) must be refused with the file named and the listed reason, never a
# crash. The npm packages (test-time only) are installed into the build folder on first use.
# Usage: parquet_oracle.sh path/to/ftprep
set -u
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
suite=${FTPREP_SHARED:-$repo/../shared}/suites/parquet-testing
if [ ! -d "$suite/data" ]; then
  echo "parquet_oracle: $suite not found; skipping (the suite lives in ../shared)"
  exit 0
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  # The unit tests still compare every suite file with committed hyparquet goldens.
  echo "parquet_oracle: node and npm are absent; skipping the live hyparquet comparison"
  exit 0
fi
tools=$(dirname "$bin")/parquet-test-tools
mkdir -p "$tools"
cp "$repo/tests/parquet/package.json" "$repo/tests/parquet/oracle.mjs" "$tools/"
if [ ! -d "$tools/node_modules/hyparquet" ] || ! cmp -s "$repo/tests/parquet/package.json" "$tools/.installed"; then
  if ! (cd "$tools" && npm install --no-audit --no-fund --silent >/dev/null 2>"$tools/npm.log"); then
    echo "parquet_oracle: FAIL: npm install failed (see $tools/npm.log)"
    exit 1
  fi
  cp "$repo/tests/parquet/package.json" "$tools/.installed"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 refused=0
declare -A want_exit want_reason
while IFS=$'\t' read -r f code reason; do
  [ -z "$f" ] || [ "${f:0:1}" = "#" ] && continue
  want_exit[$f]=$code
  want_reason[$f]=$reason
done < "$repo/tests/parquet/refused.tsv"
for path in "$suite"/data/*.parquet* "$suite"/bad_data/*.parquet; do
  rel=${path#"$suite"/}
  "$bin" convert --format parquet "$path" -o "$tmp/out.jsonl" --force -q 2>"$tmp/err"
  rc=$?
  if [ -n "${want_exit[$rel]:-}" ]; then
    if [ "$rc" = "${want_exit[$rel]}" ] && grep -qF -- "$path" "$tmp/err" && grep -qF -- "${want_reason[$rel]}" "$tmp/err"; then
      refused=$((refused + 1))
    else
      echo "FAIL $rel: expected exit ${want_exit[$rel]} naming the file and '${want_reason[$rel]}', got $rc: $(head -c 300 "$tmp/err")"
      fail=$((fail + 1))
    fi
    continue
  fi
  if [ "$rc" != 0 ]; then
    echo "FAIL $rel: exit $rc: $(head -c 300 "$tmp/err")"
    fail=$((fail + 1))
    continue
  fi
  if node "$tools/oracle.mjs" --compare "$path" "$tmp/out.jsonl" >"$tmp/cmp" 2>&1; then
    pass=$((pass + 1))
    grep -q "known hyparquet difference" "$tmp/cmp" && cat "$tmp/cmp"
  else
    echo "FAIL $rel: differs from hyparquet:"
    head -c 2000 "$tmp/cmp"
    fail=$((fail + 1))
  fi
done
echo "parquet_oracle: $pass files equal hyparquet row for row, $refused refused as expected, $fail failed"
[ "$fail" = 0 ]
