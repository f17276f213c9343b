#!/usr/bin/env bash
# ctest-labels: cli slow
# Sharded validate under GNU parallel equals the single-process run: bash tests/scripts/parallel_validate.sh BIN
#
#   parallel --pipepart --block B -j2 -k -a FILE ftprep validate --profile jsonl
# must write exactly the records of `ftprep validate --profile jsonl FILE` (same bytes, same order thanks to
# -k), find the same number of errors per rule, fail (exit != 0) exactly when the single run does, and the
# shards' rejects files together must hold the same records, and `ftprep merge` of the shards' --report files
# must equal the single run's report: counts (records, valid, invalid, errors, warnings, infos), the per-rule
# histograms, every finding in order (without its shard-relative "file"/"line"; "inputs" too names "-"
# per shard) and derived.passed. Checked for the jsonl profile and for openai-chat with its whole-file
# dataset rules disabled: dataset.min_examples, dataset.duplicate, dataset.prompt.identical and
# dataset.class_balance look at the whole file, so a shard sees only its part (they are not shard-safe; see
# the README). Blocks are small here (FTPREP_PAR_BLOCK, default
# 256k) so a CI-sized file still makes many shards; the README recipe uses --block 16M. Skips with a notice
# when GNU parallel is not installed.
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v parallel >/dev/null 2>&1; then
  echo "SKIP: GNU parallel is not installed (apt-get install parallel)"; exit 0
fi
block=${FTPREP_PAR_BLOCK:-256k}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0
python3 "$here/lib/gen_shard_data.py" 12000 > in.jsonl

"$bin" validate --profile jsonl --max-per-rule 1000000 --rejects rej.jsonl --report rep.json in.jsonl > single.jsonl 2> single.err
single_rc=$?
parallel --will-cite --pipepart --block "$block" -j2 -k -a in.jsonl \
  "$bin" validate --profile jsonl --max-per-rule 1000000 --rejects rej-{#}.jsonl --report rep-{#}.json > sharded.jsonl 2> sharded.err
par_rc=$?
shards=$(ls rej-*.jsonl | wc -l)
echo "input $(wc -c < in.jsonl) bytes, $(wc -l < in.jsonl) lines, $shards shards of --block $block"
[ "$shards" -ge 3 ] || { echo "FAIL: only $shards shards; the test needs several"; fail=1; }

cmp -s single.jsonl sharded.jsonl && echo "ok   records: identical ($(wc -l < single.jsonl) valid records)" \
  || { echo "FAIL records differ"; diff <(head -c 2000 single.jsonl) <(head -c 2000 sharded.jsonl) | head; fail=1; }
# Per-rule error counts (the lines differ: each shard numbers its stdin from 1).
rules() { grep -o 'error\[[a-z0-9_.]*\]' "$1" | sort | uniq -c; }
if [ "$(rules single.err)" = "$(rules sharded.err)" ]; then
  echo "ok   errors per rule: identical: $(rules single.err | tr -s ' \n' ' ')"
else
  echo "FAIL errors per rule differ"; diff <(rules single.err) <(rules sharded.err); fail=1
fi
if { [ "$single_rc" = 0 ] && [ "$par_rc" = 0 ]; } || { [ "$single_rc" = 1 ] && [ "$par_rc" -ge 1 ] && [ "$par_rc" -le "$shards" ]; }; then
  echo "ok   exit: single $single_rc, parallel $par_rc (number of shards that found bad records)"
else
  echo "FAIL exit: single $single_rc, parallel $par_rc"; fail=1
fi
# Rejects: the same raw records in the same order (their "file"/"line" are shard-relative).
raw() { python3 -c 'import json,sys
for f in sys.argv[1:]:
    for l in open(f, encoding="utf-8"):
        print(json.loads(l)["raw"])' "$@"; }
if [ "$(raw rej.jsonl)" = "$(raw $(ls rej-*.jsonl | sort -V))" ]; then
  echo "ok   rejects: the same $(wc -l < rej.jsonl) records in the same order"
else
  echo "FAIL rejects differ"; fail=1
fi
# Every valid + invalid record is accounted for.
total() { grep -o '^ftprep validate: [0-9]* records' "$1" | awk '{ s += $3 } END { print s }'; }
[ "$(total single.err)" = "$(total sharded.err)" ] && echo "ok   records counted: $(total single.err)" \
  || { echo "FAIL record totals: $(total single.err) vs $(total sharded.err)"; fail=1; }
# Reports: merged shards equal the single run.
rep_eq() {  # WHAT SINGLE MERGED
  if out=$(python3 "$here/lib/report_equal.py" "$2" "$3" --ignore inputs --shard-relative-findings); then
    echo "ok   $1: merged report equals the single run's ($out)"
  else
    echo "FAIL $1: merged report differs: $out"; fail=1
  fi
}
"$bin" merge $(ls rep-*.json | sort -V) -o merged.json || { echo "FAIL merge"; fail=1; }
rep_eq "jsonl report" rep.json merged.json
chat=(validate --profile openai-chat --disable dataset.min_examples --disable dataset.duplicate
      --disable dataset.prompt.identical --disable dataset.class_balance --report)
"$bin" "${chat[@]}" chat.json in.jsonl > chat.jsonl 2> /dev/null
parallel --will-cite --pipepart --block "$block" -j2 -k -a in.jsonl "$bin" "${chat[@]}" chat-{#}.json \
  > chat-sharded.jsonl 2> /dev/null
cmp -s chat.jsonl chat-sharded.jsonl && echo "ok   openai-chat records: identical" || { echo "FAIL openai-chat records differ"; fail=1; }
"$bin" merge $(ls chat-*.json | sort -V) -o chat-merged.json || { echo "FAIL merge"; fail=1; }
rep_eq "openai-chat report" chat.json chat-merged.json
exit $fail
