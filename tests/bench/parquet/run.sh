#!/usr/bin/env bash
# Parquet -> JSONL benchmark: ftprep convert against parquet-wasm (arrow-rs compiled to WebAssembly) in Node,
# in the same run, on the same file.
#
# usage: tests/bench/parquet/run.sh [FTPREP_BINARY] [ROWS]      (defaults: build/ftprep, 130000)
#
# Generates (once, cached in $BENCH_DIR, default /tmp/ftprep-bench-parquet) a snappy Parquet file of ROWS
# chat rows (id, source, messages list<struct<role, content>>; row groups of 25,000 rows; ~200 MB at the
# default) with parquet-wasm, then times, best of $RUNS (default 2):
#   ftprep convert chat.parquet -o chat.jsonl                (peak RSS must stay <= 256 MiB)
#   parquet-wasm readParquet (decoding into Arrow only)      and
#   parquet-wasm readParquet + one JSON.stringify per row to a JSONL file (the same job as ftprep's)
# checks that both JSONL outputs are byte-identical, and prints wall time, peak RSS, throughput in MB/s of Parquet input and the ratios. The npm packages
# (tests/parquet/package.json) are installed beside the binary on first use. The machine may be shared:
# `uptime` is printed with the numbers.
set -euo pipefail
FTPREP=$(realpath "${1:-build/ftprep}")
ROWS=${2:-130000}
RUNS=${RUNS:-2}
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
DIR=${BENCH_DIR:-/tmp/ftprep-bench-parquet}
TOOLS=$(dirname "$FTPREP")/parquet-test-tools
mkdir -p "$DIR" "$TOOLS"
[ -x /usr/bin/time ] || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null)
cp "$REPO/tests/parquet/package.json" "$HERE/make_chat.mjs" "$HERE/peer.mjs" "$TOOLS/"
if [ ! -d "$TOOLS/node_modules/parquet-wasm" ] || ! cmp -s "$REPO/tests/parquet/package.json" "$TOOLS/.installed"; then
  (cd "$TOOLS" && npm install --no-audit --no-fund --silent >/dev/null)
  cp "$REPO/tests/parquet/package.json" "$TOOLS/.installed"
fi
FILE=$DIR/chat_$ROWS.parquet
if [ ! -s "$FILE" ]; then
  echo "generating $FILE ..." >&2
  (cd "$TOOLS" && node --max-old-space-size=8192 make_chat.mjs "$FILE" "$ROWS")
fi
MB=$(awk -v b="$(stat -c %s "$FILE")" 'BEGIN { printf "%.1f", b / 1048576 }')
echo "file: $FILE ($MB MiB, $ROWS rows)"
uptime

best() {  # best "seconds kb" line of RUNS runs of: /usr/bin/time -f "%e %M" CMD...
  local b="" line
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -o "$DIR/time.txt" -f "%e %M" "$@" >/dev/null 2>"$DIR/stderr.txt" || { cat "$DIR/stderr.txt" >&2; return 1; }
    line=$(tail -1 "$DIR/time.txt")
    if [ -z "$b" ] || awk -v a="${line%% *}" -v c="${b%% *}" 'BEGIN { exit !(a < c) }'; then b=$line; fi
  done
  echo "$b"
}
f=$(best "$FTPREP" convert "$FILE" -o "$DIR/ftprep.jsonl" --force -q)
d=$(cd "$TOOLS" && best node --max-old-space-size=8192 peer.mjs "$FILE" decode)
j=$(cd "$TOOLS" && best node --max-old-space-size=8192 peer.mjs "$FILE" jsonl "$DIR/peer.jsonl")
rows_f=$(wc -l < "$DIR/ftprep.jsonl")
rows_p=$(wc -l < "$DIR/peer.jsonl")
report() {  # name "seconds kb"
  awk -v n="$1" -v s="${2%% *}" -v k="${2##* }" -v mb="$MB" \
    'BEGIN { printf "%-34s %7.2f s  %7.1f MB/s  peak RSS %6.1f MiB\n", n, s, mb / s, k / 1024 }'
}
report "ftprep convert -> JSONL" "$f"
report "parquet-wasm readParquet (decode)" "$d"
report "parquet-wasm -> JSONL" "$j"
awk -v a="${f%% *}" -v b="${d%% *}" -v c="${j%% *}" \
  'BEGIN { printf "ratios: ftprep vs parquet-wasm decode %.2fx, vs parquet-wasm -> JSONL %.2fx\n", b / a, c / a }'
echo "rows: ftprep $rows_f, parquet-wasm $rows_p"
if cmp -s "$DIR/ftprep.jsonl" "$DIR/peer.jsonl"; then
  echo "output: ftprep's JSONL is byte-identical to parquet-wasm's"
else
  echo "FAIL: ftprep's JSONL differs from parquet-wasm's"; exit 1
fi
rss_kb=${f##* }
if [ "$rss_kb" -gt $((256 * 1024)) ]; then echo "FAIL: ftprep peak RSS over 256 MiB"; exit 1; fi
uptime
