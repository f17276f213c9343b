#!/usr/bin/env bash
# In-process workers: `--jobs 2` against `--jobs 1` for count, validate, convert (CSV -> JSONL, rows as
# they are and mapped to chats), clean (default
# steps, and with --dedup --near-dedup) and split (token report), on ~SIZE_MB inputs. One command, a few
# minutes; not run by ctest.
#
#   bash tests/bench/jobs.sh [BINARY] [SIZE_MB] [REPEATS] [TOOLS]   (defaults: build/ftprep 100 2
#                                    "count validate convert convert-map clean clean-dedup split")
#
# Inputs (in $TMPDIR, read once so that every run reads from the page cache): chat JSONL from
# tests/bench/validate/gen_chat.py (a ~32 MB block repeated) and hostile CSV from tests/bench/convert.
# Each configuration runs REPEATS times; the best wall time is kept with the CPU time (user+sys) of that run.
# Prints the load average beside every result: on a loaded machine wall-clock ratios say little (the CPU
# ratio still does). Checks that both runs wrote byte-identical output. Targets: wall 1 job / 2 jobs >= 1.8
# for count and validate, >= 1.6 for convert; CPU 2 jobs / 1 job <= 1.15.
set -eu
bin=$(realpath "${1:-build/ftprep}")
size_mb=${2:-100}
reps=${3:-2}
tools=${4:-count validate convert convert-map clean clean-dedup split}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

/usr/bin/python3 "$here/validate/gen_chat.py" 70000 > block.jsonl
: > chat.jsonl
while [ "$(stat -c %s chat.jsonl)" -lt $((size_mb * 1000000)) ]; do cat block.jsonl >> chat.jsonl; done
rm block.jsonl
/usr/bin/python3 "$here/convert/gen_hostile_csv.py" "$size_mb" > data.csv
cat chat.jsonl data.csv > /dev/null
echo "inputs: chat.jsonl $(($(stat -c %s chat.jsonl) / 1000000)) MB ($(wc -l < chat.jsonl) records)," \
  "data.csv $(($(stat -c %s data.csv) / 1000000)) MB; $(nproc) cores; best of $reps runs"
echo "binary: $bin"

# best JOBS CMD: runs CMD (with "JOBS" replaced) REPEATS times; prints "wall cpu load" of the best run and the
# median CPU time of all runs (steadier than the best run's own on a loaded machine).
best() {
  local b="" bc="" bl="" t u s cpus=""
  for _ in $(seq "$reps"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -f "%e %U %S" -o time.txt sh -c "${2//JOBS/$1}" > /dev/null 2> err.txt || true
    read -r t u s < <(tail -1 time.txt)
    if ! awk -v t="$t" 'BEGIN { exit !(t + 0 > 0) }'; then echo "run failed: $2: $(head -3 err.txt)" >&2; exit 2; fi
    cpus="$cpus $(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }')"
    if [ -z "$b" ] || awk -v t="$t" -v b="$b" 'BEGIN { exit !(t < b) }'; then
      b=$t; bc=$(awk -v u="$u" -v s="$s" 'BEGIN { print u + s }'); bl=$load
    fi
  done
  echo "$b $bc $bl $(echo $cpus | tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
}

fail=0
for tool in $tools; do
  case $tool in
    count) cmd="$bin count --progress never --jobs JOBS --json chat.jsonl -o /dev/null > out-JOBS.txt" ;;
    validate) cmd="$bin validate --profile openai-chat --progress never --quiet --jobs JOBS --force -o out-JOBS.txt chat.jsonl" ;;
    convert) cmd="$bin convert --progress never --quiet --jobs JOBS --force -o out-JOBS.txt data.csv" ;;
    # Rows mapped to chats: the mapping runs on the workers too (plain `convert`: the reader only frames the
    # rows; their UTF-8 check and JSON text are built by the workers).
    convert-map) cmd="$bin convert --progress never --quiet --jobs JOBS --force -o out-JOBS.txt --to chat \
      --system 'You are terse.' --user 'Q: {prompt}' --assistant completion data.csv 2> /dev/null" ;;
    clean) cmd="$bin clean --progress never --quiet --jobs JOBS --force -o out-JOBS.txt chat.jsonl" ;;
    clean-dedup)
      cmd="$bin clean --dedup --near-dedup --progress never --quiet --jobs JOBS --force -o out-JOBS.txt chat.jsonl" ;;
    split) cmd="$bin split --shuffle --progress never --quiet --jobs JOBS --force -o out-JOBS.txt chat.jsonl" ;;
  esac
  if ! "$bin" "${tool%-*}" --jobs 1 --help > /dev/null 2>&1; then
    echo "$tool: skipped: this build's $tool has no --jobs yet"
    continue
  fi
  read -r w1 c1 l1 m1 < <(best 1 "$cmd")
  read -r w2 c2 l2 m2 < <(best 2 "$cmd")
  same="identical"
  if ! cmp -s out-1.txt out-2.txt; then same="DIFFERENT"; fail=1; fi
  awk -v tool="$tool" -v w1="$w1" -v c1="$c1" -v l1="$l1" -v w2="$w2" -v c2="$c2" -v l2="$l2" -v m1="$m1" -v m2="$m2" -v same="$same" \
      -v target="$(case $tool in convert*) echo 1.6 ;; count | validate) echo 1.8 ;; *) echo "none set" ;; esac)" 'BEGIN {
    printf "%-8s jobs 1: wall %6.2f s cpu %6.2f s (load %s)   jobs 2: wall %6.2f s cpu %6.2f s (load %s)\n",
           tool, w1, c1, l1, w2, c2, l2
    printf "         wall speed-up %.2fx (target >= %s)   cpu ratio %.2f (target <= 1.15)   outputs %s\n",
           w1 / w2, target, c2 / c1, same
    printf "         median cpu of all runs: jobs 1 %.2f s, jobs 2 %.2f s, ratio %.2f\n", m1, m2, m2 / m1 }'
  echo "         command: ${cmd//JOBS/N}"
  rm -f out-1.txt out-2.txt
done
exit $fail
