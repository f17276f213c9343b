#!/usr/bin/env bash
# `ftprep validate --profile openai-chat` (token rules included) on ~100 MB of real chat JSONL, against the
# Python port of the cookbook's format checker (cookbook_checker.py: json.loads + its 7 checks) on the same
# file, in the same run. The file is the realdata chat files (../shared/realdata/chat, each ending in a
# newline) repeated to the size asked. CPU seconds (user+sys) are what counts on a shared machine; `uptime`
# is printed beside them. The commands run interleaved ROUNDS times (env, default 5) and the ratios use the
# median CPU of each: on a virtual machine one run's speed can differ from the next by 40%. ftprep runs with
# one job (CPU throughput per core) and with the default --jobs (every core; costs some CPU for the
# hand-offs). Not run by ctest. FTPREP_SHARED overrides where shared/ is (default: beside the repo).
# Usage: [ROUNDS=N] realdata.sh [FTPREP] [MB] [OTHER_FTPREP...]   (OTHER: e.g. an older build, for before/after)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/ftprep}")
mb=${2:-100}
shift $(( $# > 2 ? 2 : $# ))
chat=${FTPREP_SHARED:-$(cd "$here/../../.." && pwd)/../shared}/realdata/chat
if [ ! -d "$chat" ]; then echo "realdata.sh: no $chat (set FTPREP_SHARED); skipped"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awk 1 "$chat"/*.jsonl > "$tmp/one.jsonl"
one=$(stat -c %s "$tmp/one.jsonl")
n=$(( mb * 1000000 / one + 1 ))
for _ in $(seq "$n"); do cat "$tmp/one.jsonl"; done > "$tmp/chat.jsonl"
bytes=$(stat -c %s "$tmp/chat.jsonl")
echo "input: realdata chat x$n = $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB, $(wc -l < "$tmp/chat.jsonl") records"
uptime
run() {  # run LABEL CMD... -> CPU s, wall s, MB/s by CPU
  local label=$1; shift
  /usr/bin/time -f "%U %S %e" -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" || true
  tail -1 "$tmp/time" > "$tmp/t1"  # time(1) puts "Command exited with non-zero status" first
  read -r u s e < "$tmp/t1"
  awk -v l="$label" -v u="$u" -v s="$s" -v e="$e" -v b="$bytes" \
    'BEGIN { c = u + s; printf "%-52s cpu %6.2f s  wall %6.2f s  %7.1f MB/s (cpu)\n", l, c, e, b / 1e6 / c }'
  echo "$(awk '{print $1 + $2}' "$tmp/t1") $label" >> "$tmp/cpu"
}
v="validate --profile openai-chat --progress never"
rounds=${ROUNDS:-5}
for r in $(seq "$rounds"); do
  [ "$r" = 1 ] && verbose=1 || verbose=0
  show() { if [ "$verbose" = 1 ]; then cat; else cat > /dev/null; fi; }
  run "python cookbook checker (json.loads + 7 checks)" /usr/bin/python3 "$here/cookbook_checker.py" \
    "$tmp/chat.jsonl" | show
  run "ftprep $v --jobs 1" "$bin" $v --jobs 1 "$tmp/chat.jsonl" | show
  run "ftprep $v" "$bin" $v "$tmp/chat.jsonl" | show
  run "ftprep validate --profile jsonl (parse only)" "$bin" validate --profile jsonl --progress never \
    "$tmp/chat.jsonl" | show
  for other in "$@"; do
    run "$(realpath "$other") $v" "$(realpath "$other")" $v "$tmp/chat.jsonl" | show
  done
done
uptime
# Median CPU per label, then the ratios.
awk '
  { l = substr($0, index($0, " ") + 1); c[l, ++n[l]] = $1; if (!(l in seen)) { seen[l] = 1; order[++k] = l } }
  END {
    for (i = 1; i <= k; i++) {
      l = order[i]; m = n[l]
      for (a = 1; a <= m; a++) v[a] = c[l, a]
      for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (v[b] < v[a]) { t = v[a]; v[a] = v[b]; v[b] = t }
      med[l] = (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
      printf "median cpu %6.2f s  %s (%d runs)\n", med[l], l, m
      if (l ~ /^python/) p = med[l]
    }
    for (i = 1; i <= k; i++) {
      l = order[i]
      if (l ~ /^ftprep validate --profile openai-chat/) printf "python checker / %s: %.2fx the throughput (target >= 2x)\n", l, p / med[l]
    }
  }' "$tmp/cpu"
