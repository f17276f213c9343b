#!/usr/bin/env bash
# ctest-labels: cli slow
# Sharded count under GNU parallel equals the single run: bash tests/scripts/parallel_count.sh BIN
#
#   parallel --pipepart --block B -j2 -k -a FILE ftprep count --annotate --report part-{#}.json
#   ftprep merge part-*.json (in shard order)
# must give the single run's annotated records (same bytes, same order) and per-record counts (--each), and
# the merged report must equal the single run's in every field: counts (records, tokens, billed tokens per
# epoch under a --max-tokens cap, trained/other/framing tokens, over-limit, bad records), the exact histogram
# of tokens per example, min/max, derived mean and percentiles, and the over-limit findings (only the first
# --max-listed, as in the single run). What legitimately differs, and is ignored: "inputs" (the file name vs
# one "-" per shard) and each finding's "file"/"line" (a shard numbers its stdin lines from 1).
source "$(dirname "$0")/lib/shard_common.sh"
opts=(count --max-tokens 80 --max-listed 7)

"$bin" "${opts[@]}" --annotate --report single.json in.jsonl > single.jsonl 2> single.err; single_rc=$?
par "$bin" "${opts[@]}" --annotate --report part-{#}.json > sharded.jsonl 2> sharded.err; par_rc=$?
shards=$(nshards 'part-*.json')
echo "input $(wc -c < in.jsonl) bytes, $N lines, $shards shards of --block $block"
[ "$shards" -ge 3 ] || bad "only $shards shards; the test needs several"
cmp -s single.jsonl sharded.jsonl && ok "annotated records identical ($(wc -l < single.jsonl) records)" \
  || bad "annotated records differ"
[ "$single_rc" = 1 ] && [ "$par_rc" -ge 1 ] && ok "exit: single $single_rc, parallel $par_rc (shards with bad records)" \
  || bad "exit: single $single_rc, parallel $par_rc"

"$bin" merge $(ls part-*.json | sort -V) -o merged.json || bad "merge failed"
report_eq "count" single.json merged.json
# The data must exercise the cap and the listing limit.
num() { grep -o "\"$1\": [0-9]*" single.json | head -1 | grep -o '[0-9]*$'; }
[ "$(num over_limit)" -gt 7 ] && [ "$(grep -c '"rule": "count.over_limit"' single.json)" = 7 ] &&
  [ "$(num billed_tokens_per_epoch)" -lt "$(num tokens)" ] || bad "the data does not exercise the cap / listing limit"

"$bin" count --each in.jsonl > each.single 2> /dev/null
par "$bin" count --each > each.sharded 2> /dev/null
cmp -s each.single each.sharded && ok "--each: identical per-record counts" || bad "--each differs"
exit $fail
