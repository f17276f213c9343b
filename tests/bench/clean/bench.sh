#!/usr/bin/env bash
# Clean benchmark: single-thread MB/s of `ftprep clean` steps on generated chat JSONL, against a Python
# baseline doing the same work (datatrove / text-dedup would be the natural peers but need PyPI, which this
# machine cannot reach). Not run by ctest.
#   usage: tests/bench/clean/bench.sh [BINARY=build/ftprep] [MB=64]
# MB/s = input bytes / CPU seconds (user+sys, 10^6 bytes): the machine is shared, so wall time measures the
# neighbours; wall MB/s is printed too, with the load average. The Python baseline (CPU time of its loop) runs
# on a slice (unicode/exact: 16 MB, minhash: 2 MB) so the script stays short; its rate does not depend on size.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/ftprep}")
mb=${2:-64}
py=/usr/bin/python3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
$py "$here/gen.py" --mb "$mb" --out "$work/chat.jsonl"
head -c $((16 * 1024 * 1024)) "$work/chat.jsonl" | sed '$d' > "$work/slice16.jsonl"
head -c $((2 * 1024 * 1024)) "$work/chat.jsonl" | sed '$d' > "$work/slice2.jsonl"
bytes=$(stat -c %s "$work/chat.jsonl")
cat "$work/chat.jsonl" > /dev/null  # warm the page cache

run() {  # name, then ftprep clean arguments
  local name=$1; shift
  /usr/bin/time -f "%U %S %e %M" -o "$work/time" "$bin" clean -q --progress never "$@" "$work/chat.jsonl" -o /dev/null
  read -r user sys wall kb < "$work/time"
  printf '%s %s %s %s\n' "$name" "$(awk -v b="$bytes" -v s="$(awk -v u="$user" -v y="$sys" 'BEGIN{print u+y}')" \
    'BEGIN{printf "%.1f", b/(s>0?s:0.001)/1e6}')" "$(awk -v b="$bytes" -v s="$wall" 'BEGIN{printf "%.1f", b/(s>0?s:0.001)/1e6}')" "$((kb / 1024))"
}

echo "input: $(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}') MB of chat JSONL ($(wc -l < "$work/chat.jsonl") records)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
printf '%-34s %12s %10s %9s %14s %8s\n' step "ftprep MB/s" "wall MB/s" "peak MiB" "python MB/s" ratio
while read -r name pymode pyfile args; do
  read -r _ rate wrate rss < <(run "$name" $args)
  pyrate=-; ratio=-
  if [ "$pymode" != - ]; then
    pyrate=$($py "$here/baseline.py" "$pymode" "$work/$pyfile")
    ratio=$(awk -v a="$rate" -v b="$pyrate" 'BEGIN{printf "%.0fx", a/b}')
  fi
  printf '%-34s %12s %10s %9s %14s %8s\n' "$name" "$rate" "$wrate" "$rss" "$pyrate" "$ratio"
done <<'STEPS'
parse+write-only(--no-defaults) - - --no-defaults
unicode+whitespace(defaults) unicode slice16.jsonl
unicode+collapse+mojibake+quotes - - --whitespace collapse --fix-mojibake --ascii-quotes
exact-dedup exact slice16.jsonl --no-defaults --dedup
minhash-near-dedup minhash slice2.jsonl --no-defaults --near-dedup
pii+secrets-redact - - --no-defaults --pii redact --secrets redact
everything - - --whitespace collapse --fix-mojibake --dedup --near-dedup --pii redact --secrets redact --refusals
STEPS
