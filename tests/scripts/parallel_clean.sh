#!/usr/bin/env bash
# ctest-labels: cli slow
# Sharded clean under GNU parallel equals the single run: bash tests/scripts/parallel_clean.sh BIN
#
#   parallel --pipepart --block B -j2 -k -a FILE ftprep clean STEPS --rejects rej-{#}.jsonl --report part-{#}.json
#   ftprep merge part-*.json (in shard order)
# with every per-record step (defaults, --whitespace collapse, --pii/--secrets redact, --refusals, length
# filters) must write the single run's records (same bytes, same order), the same rejected records in the
# same order, and a merged report equal to the single run's: every counter (records, written, changed,
# dropped, unreadable, <rule>.changed/.dropped/.fields), max.dedup_memory_bytes (no dedup here), derived
# fractions, and the examples under "findings" (the first --examples per rule, as in the single run).
# Ignored because they legitimately differ: each finding's and reject's "file"/"line" (a shard numbers its
# stdin from 1). Dedup is not shard-local: see parallel_split.sh for exact dedup at scale.
source "$(dirname "$0")/lib/shard_common.sh"
opts=(clean --whitespace collapse --pii redact --secrets redact --refusals --min-chars 60 --examples 4)

"$bin" "${opts[@]}" --rejects rej.jsonl --report single.json in.jsonl > single.jsonl 2> single.err; single_rc=$?
par "$bin" "${opts[@]}" --rejects rej-{#}.jsonl --report part-{#}.json > sharded.jsonl 2> sharded.err; par_rc=$?
shards=$(nshards 'part-*.json')
echo "input $(wc -c < in.jsonl) bytes, $N lines, $shards shards of --block $block"
[ "$shards" -ge 3 ] || bad "only $shards shards; the test needs several"
cmp -s single.jsonl sharded.jsonl && ok "records identical ($(wc -l < single.jsonl) kept)" || bad "records differ"
[ "$single_rc" = 1 ] && [ "$par_rc" -ge 1 ] && ok "exit: single $single_rc, parallel $par_rc (shards with unreadable records)" \
  || bad "exit: single $single_rc, parallel $par_rc"
[ "$(rejects_raw rej.jsonl)" = "$(rejects_raw $(ls rej-*.jsonl | sort -V))" ] \
  && ok "rejects: the same $(wc -l < rej.jsonl) records with the same rules, in order" || bad "rejects differ"

"$bin" merge $(ls part-*.json | sort -V) -o merged.json || bad "merge failed"
report_eq "clean" single.json merged.json
for k in clean.whitespace.changed clean.length.dropped clean.utf8.changed clean.pii.changed clean.refusal.dropped; do
  grep -q "\"$k\": [1-9]" single.json || bad "the data does not exercise $k"
done
exit $fail
