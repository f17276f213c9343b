#!/usr/bin/env bash
# ctest-labels: cli slow
# Hash-stable split and exact dedup at scale, sharded: bash tests/scripts/parallel_split.sh BIN
#
# 1. `ftprep split --ratio 0.8,0.1,0.1 --by-hash meta.id` run on 1, 2, 3 and 7 shards (cut at line boundaries
#    by coreutils `split -n l/K`, so the shard count is exact; the GNU parallel cuts themselves are tested in
#    parallel_{validate,count,clean}.sh and below) writes, once each split's shard files are concatenated in
#    shard order, byte-identical train/valid/test files to the single run (--by-hash streams in input order),
#    for a unique key (meta.id) and a key shared by several records (meta.conv); the merged --report equals
#    the single run's (records in/kept/rejected, per split records, bytes and tokens, derived fractions); the
#    rejected records (bad JSON, no key) are the same, in order.
# 2. Exact dedup at scale: partition by the dedup key on each of 3 shards (split --by-hash KEY into p0..p3), then `clean --dedup --dedup-key KEY` each partition (its shard files
#    concatenated in shard order). The surviving records are the same set as one `clean --dedup --dedup-key
#    KEY` over the whole file; the order differs (partition by partition), so the outputs are compared
#    sorted, and each partition's output is also checked to be, in order, the single run's output restricted
#    to that partition. The merged clean reports of the partitions have the same counts (dedup.dropped etc.)
#    and derived fractions as the single run; not compared: max.dedup_memory_bytes (per process) and the
#    example findings (the first few per rule, which depend on the order). Also with the default dedup key
#    (the texts), partitioning by `messages`.
source "$(dirname "$0")/lib/shard_common.sh"

# 1. Hash split across shard counts.
for key in meta.id meta.conv; do
  opts=(split --ratio 0.8,0.1,0.1 --by-hash "$key" --seed 7 --force)
  [ "$key" = meta.conv ] && opts+=(--no-tokens)  # tokens are compared once (meta.id) to keep the test quick
  rm -f whole_*.jsonl whole.json
  "$bin" "${opts[@]}" --report whole.json --rejects rej.jsonl -o whole_{split}.jsonl in.jsonl > /dev/null 2>&1
  for k in 1 2 3 7; do
    rm -f x* s*_*.jsonl part-*.json rej-*.jsonl
    split -n l/"$k" -d -a 2 in.jsonl x
    i=0
    for x in x*; do
      i=$((i + 1))
      "$bin" "${opts[@]}" --report part-$i.json --rejects rej-$i.jsonl -o s${i}_{split}.jsonl < "$x" > /dev/null 2>&1
    done
    [ "$i" = "$k" ] || bad "$key: $i shards, wanted $k"
    same=1
    for s in train valid test; do
      cat $(ls s*_$s.jsonl | sort -V) | cmp -s - whole_$s.jsonl || { bad "$key, $k shards: $s differs"; same=0; }
    done
    [ "$same" = 1 ] && ok "--by-hash $key, $k shards: train/valid/test identical ($(wc -l < whole_train.jsonl)/$(wc -l < whole_valid.jsonl)/$(wc -l < whole_test.jsonl) records)"
    [ "$(rejects_raw rej.jsonl)" = "$(rejects_raw $(ls rej-*.jsonl | sort -V))" ] || bad "$key, $k shards: rejects differ"
    "$bin" merge --force $(ls part-*.json | sort -V) -o merged-$k.json || bad "merge failed"
  done
  report_eq "--by-hash $key, 1/2/3/7 shards: report" whole.json merged-{1,2,3,7}.json
done

# 2. Exact dedup at scale. Only readable records with a key take part (split rejects the others).
"$bin" validate --profile jsonl in.jsonl > good.jsonl 2> /dev/null
dedup_at_scale() {  # KEY DEDUP-OPTION... : partitions by KEY, dedups each partition with the options
  local key=$1; shift
  rm -f p*_*.jsonl d_*.jsonl d_*.json single.json merged.json
  "$bin" clean --dedup "$@" --report single.json good.jsonl > single.jsonl 2> /dev/null
  rm -f x*
  split -n l/3 -d -a 2 good.jsonl x
  local i=0 x
  for x in x*; do
    i=$((i + 1))
    "$bin" split --ratio 0.25,0.25,0.25,0.25 --names p0,p1,p2,p3 --by-hash "$key" --no-tokens \
      -o p${i}_{split}.jsonl < "$x" > /dev/null 2>&1
  done
  for p in p0 p1 p2 p3; do
    cat $(ls p*_$p.jsonl | sort -V) | "$bin" clean --dedup "$@" --report d_$p.json > d_$p.jsonl 2> /dev/null
  done
  local what="dedup ($*) partitioned by $key"
  if cmp -s <(sort single.jsonl) <(sort d_p*.jsonl); then
    ok "$what: the same $(wc -l < single.jsonl) surviving records (compared sorted; $(grep -o '"clean.dedup.exact.dropped": [0-9]*' single.json | grep -o '[0-9]*$') dropped)"
  else
    bad "$what: surviving records differ: $(sort single.jsonl | wc -l) vs $(sort d_p*.jsonl | wc -l)"
  fi
  for p in p0 p1 p2 p3; do
    grep -xFf d_$p.jsonl single.jsonl | cmp -s - d_$p.jsonl || bad "$what: $p is not the single output restricted to it, in order"
  done
  "$bin" merge d_p0.json d_p1.json d_p2.json d_p3.json -o merged.json
  report_eq "$what: report" single.json merged.json -- --ignore max.dedup_memory_bytes --ignore findings
}
dedup_at_scale meta.id --dedup-key meta.id
dedup_at_scale messages
exit $fail
