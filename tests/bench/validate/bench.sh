#!/usr/bin/env bash
# Benchmark of `ftprep validate` on chat JSONL (DESIGN.md: >= 100 MB/s without token rules, parsing-bound),
# against a Python baseline (the OpenAI cookbook's format checks, tests/bench/validate/cookbook_checker.py)
# run in the same script on the same file. Not run by ctest. Usage: bench.sh [BINARY] [N_EXAMPLES]
# Reports CPU seconds (user+sys), which stay meaningful on a shared machine, and wall seconds.
set -eu
bin=$(realpath "${1:-build/ftprep}")
n=${2:-100000}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$here/gen_chat.py" "$n" > "$tmp/chat.jsonl"
bytes=$(stat -c %s "$tmp/chat.jsonl")
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }')
echo "input: $n chat examples, $mb MB"
run() {  # run LABEL CMD... -> prints CPU and wall seconds and MB/s by CPU time
  local label=$1; shift
  /usr/bin/time -f "%U %S %e" -o "$tmp/time" "$@" > /dev/null 2> "$tmp/err" || true
  if grep -q "not implemented" "$tmp/err"; then printf "%-44s (not available in this build)\n" "$label"; return; fi
  tail -1 "$tmp/time" > "$tmp/t1"  # time(1) puts "Command exited with non-zero status" first
  read -r u s e < "$tmp/t1"
  awk -v l="$label" -v u="$u" -v s="$s" -v e="$e" -v b="$bytes" \
    'BEGIN { c = u + s; printf "%-44s cpu %6.2f s  wall %6.2f s  %7.1f MB/s (cpu)\n", l, c, e, b / 1e6 / c }'
  echo "$label $(awk '{print $1 + $2}' "$tmp/t1")" >> "$tmp/cpu"
}
run "ftprep validate --profile jsonl (parse only)" "$bin" validate --profile jsonl --progress never "$tmp/chat.jsonl"
run "ftprep validate openai-chat --no-tokens" "$bin" validate --profile openai-chat --no-tokens --progress never "$tmp/chat.jsonl"
run "ftprep validate openai-chat (token rules)" "$bin" validate --profile openai-chat --progress never "$tmp/chat.jsonl"
run "ftprep count (for comparison)" "$bin" count --progress never "$tmp/chat.jsonl"
run "python cookbook checks (baseline)" /usr/bin/python3 "$here/cookbook_checker.py" "$tmp/chat.jsonl"
awk '/--no-tokens/ {f = $NF} /baseline/ {p = $NF} END { if (f > 0) printf "ftprep (no tokens) vs python baseline: %.1fx faster\n", p / f }' "$tmp/cpu"
