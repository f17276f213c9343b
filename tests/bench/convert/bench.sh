#!/usr/bin/env bash
# CSV -> JSONL benchmark: ftprep convert vs Miller (`mlr --icsv --ojsonl cat`) and csvkit (`csvjson`) on a
# generated hostile CSV (quoted commas, doubled quotes, embedded LF/CRLF, UTF-8 multibyte, long cells).
# Not run by ctest. Usage: bash tests/bench/convert/bench.sh [BINARY] [MEGABYTES]   (defaults build/ftprep 100)
# Installs the peers from Debian if missing (miller, csvkit). Prints MB/s, ratios and peak RSS (from
# /usr/bin/time -v). csvkit is timed on a 10 MB prefix of the file (it needs minutes and gigabytes for 100 MB);
# its MB/s is what it reached there (delimiter given: its sniffer mistakes this file for one column).
# The machine is shared, so both wall-clock and CPU (user+sys) rates are shown; the ratios compare runs
# made in the same minutes.
set -euo pipefail
bin=$(realpath "${1:-build/ftprep}")
mb=${2:-100}
here=$(cd "$(dirname "$0")" && pwd)
work=${BENCH_DIR:-$(mktemp -d)}
trap '[ -z "${BENCH_DIR:-}" ] && rm -rf "$work"' EXIT

need=()
command -v mlr >/dev/null || need+=(miller)
command -v csvjson >/dev/null || need+=(csvkit)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

csv=$work/hostile.csv
if [ ! -s "$csv" ]; then python3 "$here/gen_hostile_csv.py" "$mb" > "$csv"; fi
small=$work/hostile10.csv
# A 10 MB prefix cut at a record boundary that ftprep itself finds (the line after the 10 MB mark may sit
# inside a quoted field): take whole records with ftprep's help via --format-opt? Simpler: cut at a line
# that starts with a 7-digit id followed by a comma, which in this generator only happens at a record start.
python3 - "$csv" "$small" <<'PY'
import re, sys
src, dst = sys.argv[1], sys.argv[2]
data = open(src, "rb").read(11 * 1000 * 1000)
m = None
for m in re.finditer(rb"\n(?=\d{7},)", data[: 10 * 1000 * 1000]):
    pass
open(dst, "wb").write(data[: m.end()])
PY
size=$(stat -c %s "$csv"); size_small=$(stat -c %s "$small")

run() {  # run NAME INPUT_SIZE CMD... ; prints wall and CPU seconds, MB/s on both, and peak RSS
  local name=$1 bytes=$2; shift 2
  /usr/bin/time -v -o "$work/time.$name" "$@" > "$work/out.$name" 2>"$work/err.$name" || { echo "$name failed:"; tail -5 "$work/err.$name"; }
  local wall rss usr sys secs cpu
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.$name")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.$name")
  usr=$(awk -F': ' '/User time/ {print $2}' "$work/time.$name")
  sys=$(awk -F': ' '/System time/ {print $2}' "$work/time.$name")
  secs=$(echo "$wall" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  cpu=$(awk -v u="$usr" -v s="$sys" 'BEGIN { print u + s }')
  awk -v b="$bytes" -v w="$secs" -v c="$cpu" 'BEGIN { printf "%.2f %.2f\n", (w > 0 ? b / 1e6 / w : 0), (c > 0 ? b / 1e6 / c : 0) }' > "$work/mbs.$name"
  read -r wm cm < "$work/mbs.$name"
  printf '%-36s wall %7.2f s %8s MB/s | cpu %7.2f s %8s MB/s | peak RSS %5d MiB\n' "$name" "$secs" "$wm" "$cpu" "$cm" $((rss / 1024))
}

echo "input: $csv ($((size / 1000000)) MB, $(wc -l < "$csv") lines); prefix $((size_small / 1000000)) MB"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ftprep: $("$bin" --version)  miller: $(mlr --version)  csvkit: $(csvjson --version 2>&1 | head -1)"
run "ftprep convert (${mb} MB)" "$size" "$bin" convert -q "$csv"
run "ftprep convert (~10 MB prefix)" "$size_small" "$bin" convert -q "$small"
run "mlr --icsv --ojsonl cat (${mb} MB)" "$size" mlr --icsv --ojsonl cat "$csv"
run "csvjson (~10 MB prefix)" "$size_small" csvjson -d , --snifflimit 0 "$small"
ratio() {  # ratio FIELD(1 wall, 2 cpu) A B
  awk -v a="$(cut -d' ' -f"$1" "$work/mbs.$2")" -v b="$(cut -d' ' -f"$1" "$work/mbs.$3")" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }'
}
F="ftprep convert (${mb} MB)"; M="mlr --icsv --ojsonl cat (${mb} MB)"; C="csvjson (~10 MB prefix)"
echo "ftprep/Miller: $(ratio 1 "$F" "$M") wall, $(ratio 2 "$F" "$M") cpu (target >= 5x);" \
     "ftprep/csvkit: $(ratio 1 "$F" "$C") wall, $(ratio 2 "$F" "$C") cpu (target >= 20x)"
# Same records? (Miller writes numbers from the CSV as numbers, so compare counts only.)
echo "records: ftprep $(wc -l < "$work/out.ftprep convert (${mb} MB)")  miller $(grep -c '^{' "$work/out.mlr --icsv --ojsonl cat (${mb} MB)" || true)"
