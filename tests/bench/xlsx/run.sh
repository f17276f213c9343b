#!/usr/bin/env bash
# XLSX -> JSONL benchmark: ftprep convert against csvkit's in2csv, in the same run, on the same workbook.
#
# usage: tests/bench/xlsx/run.sh [FTPREP_BINARY] [ROWS]      (defaults: build/ftprep, 100000)
#
# Generates (once, cached in $BENCH_DIR, default /tmp/ftprep-bench-xlsx) a ROWS-row workbook written by
# openpyxl and an Excel-style variant of the same data with a shared-string table, then times
#   ftprep convert book.xlsx > book.jsonl        and        in2csv book.xlsx > book.csv
# and prints wall time, CPU time (user+sys), peak RSS, throughput in MB/s of CSV-equivalent output (the size
# of in2csv's CSV, as the target is stated) and the ratios. Targets: >= 25x in2csv, peak RSS <= 64 MiB.
# The machine may be shared: wall-clock ratios move with the load, CPU-time ratios much less.
set -euo pipefail
FTPREP=${1:-build/ftprep}
ROWS=${2:-100000}
HERE=$(cd "$(dirname "$0")" && pwd)
DIR=${BENCH_DIR:-/tmp/ftprep-bench-xlsx}
mkdir -p "$DIR"

need() {  # installs the Debian package $2 when command/module $1 is missing
  if ! eval "$1" > /dev/null 2>&1; then
    echo "installing $2 ..." >&2
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2") > /dev/null
  fi
}
need "command -v in2csv" csvkit
need "/usr/bin/python3 -c 'import openpyxl'" python3-openpyxl
[ -x /usr/bin/time ] || need "test -x /usr/bin/time" time

BOOK=$DIR/book_$ROWS.xlsx
SST=$DIR/book_sst_$ROWS.xlsx
[ -s "$BOOK" ] || /usr/bin/python3 "$HERE/make_workbook.py" "$BOOK" "$ROWS"
[ -s "$SST" ] || /usr/bin/python3 "$HERE/make_workbook.py" "$SST" "$ROWS" --sst

# Runs a command with stdout to $2; prints "wall cpu rss_kb".
measure() {
  local out=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$DIR/time.txt" "$@" > "$out" 2> "$DIR/stderr.txt" || {
    echo "failed: $*" >&2; cat "$DIR/stderr.txt" >&2; exit 2; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$DIR/time.txt"
}

TOOL=(convert)
if ! "$FTPREP" convert --help > /dev/null 2>&1; then
  echo "note: this build has no 'ftprep convert'; timing 'ftprep validate' (same reader, plus a JSON check)" >&2
  TOOL=(validate --quiet)
fi

read -r f_wall f_cpu f_rss < <(measure "$DIR/book.jsonl" "$FTPREP" "${TOOL[@]}" "$BOOK")
read -r s_wall s_cpu s_rss < <(measure "$DIR/book_sst.jsonl" "$FTPREP" "${TOOL[@]}" "$SST")
read -r i_wall i_cpu i_rss < <(measure "$DIR/book.csv" in2csv "$BOOK")

csv_mb=$(awk -v b="$(stat -c %s "$DIR/book.csv")" 'BEGIN{printf "%.2f", b / 1e6}')
xlsx_mb=$(awk -v b="$(stat -c %s "$BOOK")" 'BEGIN{printf "%.2f", b / 1e6}')
rows_out=$(wc -l < "$DIR/book.jsonl")
echo "workbook: $BOOK ($ROWS data rows, $xlsx_mb MB zipped, $csv_mb MB as CSV); ftprep wrote $rows_out records"
if ! cmp -s "$DIR/book.jsonl" "$DIR/book_sst.jsonl"; then
  echo "WARNING: inline-string and shared-string workbooks gave different JSONL" >&2
fi
echo "load: $(uptime)"
awk -v mb="$csv_mb" -v fw="$f_wall" -v fc="$f_cpu" -v fr="$f_rss" -v sw="$s_wall" -v sc="$s_cpu" -v sr="$s_rss" \
    -v iw="$i_wall" -v ic="$i_cpu" -v ir="$i_rss" 'BEGIN {
  printf "%-34s %8s %8s %10s %12s\n", "", "wall s", "cpu s", "peak RSS", "MB/s (wall)"
  printf "%-34s %8.2f %8.2f %7.1f MiB %12.1f\n", "ftprep (openpyxl, inline strings)", fw, fc, fr / 1024, mb / fw
  printf "%-34s %8.2f %8.2f %7.1f MiB %12.1f\n", "ftprep (Excel-style shared strings)", sw, sc, sr / 1024, mb / sw
  printf "%-34s %8.2f %8.2f %7.1f MiB %12.1f\n", "in2csv (csvkit)", iw, ic, ir / 1024, mb / iw
  printf "speed-up vs in2csv: %.1fx wall, %.1fx CPU (target >= 25x); peak RSS %.1f / %.1f MiB (target <= 64)\n",
         iw / fw, ic / fc, fr / 1024, sr / 1024
}'
