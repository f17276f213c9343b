#!/usr/bin/env bash
# Throughput on 2 cores: in-process workers (--jobs 2) and GNU parallel sharding (-j2), against one process
# with one worker (--jobs 1), for count and validate. Not run by ctest.
#
#   bash tests/bench/parallel.sh [BINARY] [SIZE_MB] [REPEATS]     (defaults: build/ftprep 320 3)
#
# Input: SIZE_MB of chat JSONL (tests/bench/validate/gen_chat.py, a ~32 MB block repeated), in $TMPDIR, read
# once so every run reads from the page cache. For count and validate, each configuration runs REPEATS times
# and the best (lowest) wall time is kept: the machine is shared, so the best run is the one least disturbed
# by others. Configurations, all writing what the README recipe writes:
#   one process   ftprep count --jobs 1 --json FILE   ftprep validate --jobs 1 --profile openai-chat FILE > /dev/null
#   --jobs 2      the same with two workers in one process (records in input order, no merge step)
#   parallel -j1  parallel --pipepart --block 16M -j1 -a FILE ftprep --jobs 1 ...   (control: the cost of sharding)
#   parallel -j2  parallel --pipepart --block 16M -j2 -a FILE ftprep ...   (count: then ftprep merge of the
#                 per-shard JSON reports; validate: -k, records through parallel's ordered output, and
#                 "-j2 -o": each shard writes its records to its own file, parallel copies nothing)
# Also prints the number of jobs parallel started (it sometimes starts extra, empty ones).
# Prints MB/s (input bytes / best wall seconds), the ratio to one process, and the CPU seconds of that run
# (the price of sharding: parallel's perl feeding the pipes, per-shard start-up, -k buffering).
set -eu
bin=$(realpath "${1:-build/ftprep}")
size_mb=${2:-320}
reps=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
command -v parallel > /dev/null || { echo "GNU parallel is not installed"; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

/usr/bin/python3 "$here/validate/gen_chat.py" 70000 > block.jsonl
: > data.jsonl
while [ "$(stat -c %s data.jsonl)" -lt $((size_mb * 1000000)) ]; do cat block.jsonl >> data.jsonl; done
rm block.jsonl
bytes=$(stat -c %s data.jsonl)
cat data.jsonl > /dev/null
echo "input: $(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1e6 }') MB chat JSONL, $(wc -l < data.jsonl) records;" \
  "$(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); best of $reps runs"
echo "binary: $bin ($("$bin" --version 2>&1 | head -1)); $(parallel --version | head -1)"

# best CMD: runs the shell command REPEATS times, prints the best wall time and that run's CPU time
# (user+sys of everything it ran: ftprep, parallel's perl, merge), in seconds.
best() {
  local b="" t c bc
  for _ in $(seq "$reps"); do
    /usr/bin/time -f "%e %U %S" -o time.txt sh -c "$1" > /dev/null 2> err.txt || true
    if [ -f jobs.txt ]; then echo -n " $(($(wc -l < jobs.txt) - 1))" >> jobs_seen.txt; rm -f jobs.txt; fi
    read -r t u s < <(tail -1 time.txt)
    if ! awk -v t="$t" 'BEGIN { exit !(t + 0 > 0) }'; then echo "run failed: $1: $(head -3 err.txt)" >&2; exit 2; fi
    c=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')
    if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then b=$t; bc=$c; fi
  done
  echo "$b $bc"
}
par="parallel --will-cite --joblog jobs.txt --pipepart --block 16M -a data.jsonl"
row() {  # LABEL "WALL CPU" BASE_WALL COMMAND
  awk -v l="$1" -v tc="$2" -v base="$3" -v b="$bytes" -v c="$4" \
    'BEGIN { split(tc, x, " "); t = x[1]
             printf "  %-13s wall %6.2f s %7.1f MB/s %5.2fx   cpu %6.2f s   %s\n", l, t, b / 1e6 / t, base / t, x[2], c }'
}
for tool in count validate; do
  if [ "$tool" = count ]; then
    one="$bin count --jobs 1 --progress never --json data.jsonl"
    in2="$bin count --jobs 2 --progress never --json data.jsonl"
    j1="$par -j1 $bin count --jobs 1 --progress never --json > parts.json && $bin merge parts.json"
    j2="$par -j2 $bin count --jobs 1 --progress never --json > parts.json && $bin merge parts.json"
  else
    one="$bin validate --jobs 1 --profile openai-chat --progress never --quiet data.jsonl"
    in2="$bin validate --jobs 2 --profile openai-chat --progress never --quiet data.jsonl"
    j1="$par -j1 -k $bin validate --jobs 1 --profile openai-chat --progress never --quiet"
    j2="$par -j2 -k $bin validate --jobs 1 --profile openai-chat --progress never --quiet"
    # the same records, each shard to its own file: no copy through parallel's ordered output
    j2o="$par -j2 $bin validate --jobs 1 --profile openai-chat --progress never --quiet -o valid-{#}.jsonl; rm -f valid-*.jsonl"
  fi
  r1=$(best "$one"); ri2=$(best "$in2"); rj1=$(best "$j1"); rj2=$(best "$j2")
  t1=${r1%% *}; tj2=${rj2%% *}; ti2=${ri2%% *}
  echo "$tool: (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  row "one process" "$r1" "$t1" "$one"
  row "--jobs 2" "$ri2" "$t1" "$in2"
  row "parallel -j1" "$rj1" "$t1" "$j1"
  row "parallel -j2" "$rj2" "$t1" "$j2"
  if [ "$tool" = validate ]; then row "parallel -j2 -o" "$(best "$j2o")" "$t1" "$j2o"; fi
  echo "  jobs parallel started, per run ($(( (bytes + 16777215) / 16777216 )) blocks of 16M):$(cat jobs_seen.txt)"
  rm -f jobs_seen.txt
  awk -v a="$t1" -v b="$tj2" -v c="$ti2" 'BEGIN { printf "  speed-up over one process: --jobs 2 %.2fx, parallel -j2 %.2fx (target >= 1.8x)\n", a / c, a / b;
    print "  " (c <= b ? "--jobs 2 is faster here: use it on one machine; shard with parallel only across machines" \
                      : "parallel -j2 is faster here (start-up is amortised over large blocks)") }'
done
