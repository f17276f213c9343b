#!/usr/bin/env bash
# ctest-labels: cli slow
# Invariants of `ftprep split` end to end on generated data: sizes, disjointness and coverage,
# containment of nested sets, strata within +-1 record, groups never divided, same seed -> byte-identical
# output, hash split identical whole vs 4 shards (split -n l/4), sample/keep-order subsequence.
# 1,000,000 records; under sanitizers (FTPREP_SANITIZED=1) 200,000 so the test stays well under a minute.
# Usage: bash tests/scripts/split_invariants.sh path/to/ftprep
set -euo pipefail
bin=$(realpath "$1")
N=${SPLIT_TEST_RECORDS:-1000000}
[ "${FTPREP_SANITIZED:-0}" = 1 ] && N=${SPLIT_TEST_RECORDS:-200000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LC_ALL=C TMPDIR="$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

# Records: a unique id; a skewed label (60/25/10/4/1 %, plus one label held by a single record); a
# conversation id shared by ~7 records scattered through the file.
awk -v n="$N" 'BEGIN {
  for (i = 1; i <= n; i++) {
    m = i % 100
    lab = (m < 60) ? "pos" : (m < 85) ? "neg" : (m < 95) ? "neutral" : (m < 99) ? "mixed" : "rare"
    if (i == 777) lab = "singleton"
    printf "{\"id\":\"r%07d\",\"label\":\"%s\",\"conv\":\"c%d\",\"text\":\"t %d\"}\n", i, lab, (i * 7919) % int(n / 7), i
  }
}' > in.jsonl
[ "$(wc -l < in.jsonl)" = "$N" ] || fail "generator"
sort in.jsonl > in.sorted

# 1. --ratio: exact sizes, disjoint, union = input; same seed -> identical bytes; another seed differs.
"$bin" split --ratio 0.8,0.1,0.1 --seed 7 -o a_{split}.jsonl in.jsonl > /dev/null
"$bin" split --ratio 0.8,0.1,0.1 --seed 7 -o b_{split}.jsonl in.jsonl > /dev/null
"$bin" split --ratio 0.8,0.1,0.1 --seed 8 --keep-order -o c_{split}.jsonl in.jsonl > /dev/null
for s in train valid test; do cmp -s a_$s.jsonl b_$s.jsonl || fail "same seed, different $s"; done
sort a_valid.jsonl | cmp -s - <(sort c_valid.jsonl) && fail "different seeds gave the same valid split"
[ "$(wc -l < a_train.jsonl)" = $((N * 8 / 10)) ] || fail "train size"
[ "$(wc -l < a_valid.jsonl)" = $((N / 10)) ] || fail "valid size"
[ "$(wc -l < a_test.jsonl)" = $((N / 10)) ] || fail "test size"
cat a_train.jsonl a_valid.jsonl a_test.jsonl | sort | cmp -s - in.sorted || fail "ratio splits are not a partition"
cmp -s <(head -1000 a_train.jsonl) <(head -1000 in.jsonl) && fail "ratio output not shuffled"
echo "ok ratio: sizes, partition, seeded"

# 2. --keep-order: each split is a subsequence of the input (ids ascend).
"$bin" split --counts 1000,rest --keep-order -o k_{split}.jsonl in.jsonl > /dev/null
for s in train valid; do cut -d'"' -f4 k_$s.jsonl | sort -c 2>/dev/null || fail "keep-order $s"; done
[ "$(wc -l < k_train.jsonl)" = 1000 ] || fail "counts size"
echo "ok counts + keep-order"

# 3. Nested: 1000 < 10000 < 100000, one test set of 2000 overlapping none, files are prefixes.
"$bin" split --nested 1000,10000,100000 --test 2000 -o n_{split}.jsonl in.jsonl > /dev/null
[ "$(wc -l < n_train_1000.jsonl)" = 1000 ] && [ "$(wc -l < n_train_10000.jsonl)" = 10000 ] &&
  [ "$(wc -l < n_train_100000.jsonl)" = 100000 ] && [ "$(wc -l < n_test.jsonl)" = 2000 ] || fail "nested sizes"
cmp -s n_train_1000.jsonl <(head -1000 n_train_10000.jsonl) || fail "1k not a prefix of 10k"
cmp -s n_train_10000.jsonl <(head -10000 n_train_100000.jsonl) || fail "10k not a prefix of 100k"
[ "$(sort n_test.jsonl n_train_100000.jsonl | uniq -d | wc -l)" = 0 ] || fail "test overlaps training"
[ "$(sort -u n_test.jsonl | wc -l)" = 2000 ] || fail "test has duplicates"
echo "ok nested: containment, disjoint test"

# 4. --stratify: every label's count per split within +-1 of its exact share; sizes exact.
"$bin" split --ratio 0.7,0.2,0.1 --stratify label --keep-order -o s_{split}.jsonl in.jsonl > /dev/null
for s in train valid test; do cut -d'"' -f8 s_$s.jsonl | sort | uniq -c | awk -v s=$s '{print s, $2, $1}'; done > s.counts
cut -d'"' -f8 in.jsonl | sort | uniq -c | awk '{print "all", $2, $1}' >> s.counts
awk -v n="$N" '
  $1 == "all" { total[$2] = $3; next } { c[$1 " " $2] = $3 }
  END {
    size["train"] = n * 7 / 10; size["valid"] = n * 2 / 10; size["test"] = n / 10
    for (l in total) for (s in size) {
      t = size[s] * total[l] / n; d = c[s " " l] - t; if (d < 0) d = -d
      if (d > 1) { print "label " l " split " s ": " c[s " " l] " vs " t; bad = 1 }
    }
    exit bad
  }' s.counts || fail "strata proportions"
[ "$(wc -l < s_valid.jsonl)" = $((N * 2 / 10)) ] || fail "stratified valid size"
echo "ok stratify: labels within +-1 record"

# 5. --group: no conversation in two splits; sizes near the ratios.
"$bin" split --ratio 0.8,0.2 --group conv --keep-order -o g_{split}.jsonl in.jsonl > /dev/null
for s in train valid; do cut -d'"' -f12 g_$s.jsonl | sort -u; done | sort | uniq -d > g.shared
[ -s g.shared ] && fail "groups divided: $(head -3 g.shared)"
v=$(wc -l < g_valid.jsonl)
[ $((v - N / 5)) -le 20 ] && [ $((N / 5 - v)) -le 20 ] || fail "grouped valid size $v"
echo "ok group: no group divided"

# 6. --by-hash: whole file == 4 shards concatenated; appending data moves no old record.
"$bin" split --ratio 0.9,0.1 --by-hash id --seed 3 -o h_{split}.jsonl in.jsonl > /dev/null
split -n l/4 in.jsonl shard_
for f in shard_*; do "$bin" split --ratio 0.9,0.1 --by-hash id --seed 3 -o "p_${f}_{split}.jsonl" "$f" > /dev/null; done
for s in train valid; do cat p_shard_*_$s.jsonl | cmp -s - h_$s.jsonl || fail "hash split differs in shards ($s)"; done
head -$((N / 2)) in.jsonl > half.jsonl
"$bin" split --ratio 0.9,0.1 --by-hash id --seed 3 -o q_{split}.jsonl half.jsonl > /dev/null
cmp -s q_valid.jsonl <(head -"$(wc -l < q_valid.jsonl)" h_valid.jsonl) || fail "hash split not stable under append"
echo "ok by-hash: identical in 1 and 4 shards, stable under append"

# 7. Sampling and stdin spooling.
"$bin" split --sample 5000 --keep-order < in.jsonl > sample.jsonl 2> /dev/null
[ "$(wc -l < sample.jsonl)" = 5000 ] || fail "sample size"
cut -d'"' -f4 sample.jsonl | sort -c 2>/dev/null || fail "sample keep-order"
[ "$(sort -u sample.jsonl | wc -l)" = 5000 ] || fail "sample duplicates"
"$bin" split --shuffle --seed 5 < in.jsonl 2> /dev/null | sort | cmp -s - in.sorted || fail "shuffle lost records"
echo "ok sample, shuffle (stdin)"
echo "all split invariants hold on $N records"
