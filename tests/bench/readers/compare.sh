#!/usr/bin/env bash
# Same output from two ftprep binaries over every table-like input we have: ../shared/realdata and the
# csv-peers, csv-spectrum, calamine-xlsx, parquet-testing and JSONTestSuite suites, plus the repo's CLI and
# regression inputs. Per file: convert (rows as read: the records' JSON text), convert --columns with the
# first record's keys reversed (every value through the parsed document), validate --profile auto and
# validate --profile jsonl (documents through the rules). stdout, stderr and the exit code must match.
# Used to check that a change in how formats hand records over changes no output (about 2 minutes).
# Usage: compare.sh OLD_BINARY NEW_BINARY [FILE_OR_DIR...]
set -u
old=$(realpath "$1") new=$(realpath "$2")
shift 2
repo=$(cd "$(dirname "$0")/../../.." && pwd)
shared=${FTPREP_SHARED:-$(cd "$repo/.." && pwd)/shared}
roots=("$@")
if [ ${#roots[@]} -eq 0 ]; then
  roots=("$shared/realdata" "$shared/suites/csv-peers" "$shared/suites/csv-spectrum" "$shared/suites/calamine-xlsx"
         "$shared/suites/parquet-testing" "$shared/suites/JSONTestSuite" "$repo/tests/cli" "$repo/tests/regressions")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=0 runs=0 diffs=0
run() {  # run BIN OUT_PREFIX ARGS...
  local bin=$1 pre=$2
  shift 2
  (cd "$tmp" && timeout 120 "$bin" "$@" >"$pre.out" 2>"$pre.err" </dev/null; echo $? >"$pre.rc")
  sed -i "s#$bin#BIN#g" "$pre.err"
}
check() {  # check LABEL ARGS...
  local label=$1
  shift
  run "$old" "$tmp/a" "$@"
  run "$new" "$tmp/b" "$@"
  runs=$((runs + 1))
  for k in out err rc; do
    if ! cmp -s "$tmp/a.$k" "$tmp/b.$k"; then
      diffs=$((diffs + 1))
      echo "DIFF ($k) $label: $*"
      diff "$tmp/a.$k" "$tmp/b.$k" | head -5
      return
    fi
  done
}
while IFS= read -r -d '' f; do
  case "$f" in
    *.csv|*.tsv|*.tab|*.txt|*.xlsx|*.parquet|*.json|*.jsonl|*.csv.gz|*-input|*.csv-crlf) ;;
    *) continue ;;
  esac
  files=$((files + 1))
  check convert convert "$f" --progress never
  keys=$(head -c 1000000 "$tmp/a.out" | head -n 1 | tr -d "\\000" | python3 -c '
import json, sys
try:
    d = json.loads(sys.stdin.readline())
    ks = [k for k in d if k and "," not in k]
    print(",".join(reversed(ks)))
except Exception:
    pass' 2>/dev/null)
  [ -n "$keys" ] && check columns convert "$f" --columns "$keys" --progress never
  check validate validate "$f" --max-shown 100000 --progress never
  check jsonl validate "$f" --profile jsonl --max-shown 100000 --progress never
done < <(find "${roots[@]}" -type f -print0 | sort -z)
echo "compare: $files files, $runs command pairs, $diffs differing"
[ "$diffs" -eq 0 ]
