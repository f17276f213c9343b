#!/usr/bin/env bash
# Peak memory and time of `ftprep split` on a generated ~1.3 GB chat JSONL (1,050,000 records), per mode.
# Budget: peak RSS < 64 MiB + 16 bytes per record (= ~80 MiB here). Not run by ctest.
# Usage: bash tests/bench/split_memory.sh build/ftprep [workdir]
set -euo pipefail
bin=$(realpath "$1")
work=${2:-$(mktemp -d)}
cd "$work"
if [ ! -f big.jsonl ]; then
  awk 'BEGIN { s = ""; for (k = 0; k < 45; k++) s = s "lorem ipsum "
    for (i = 1; i <= 1050000; i++)
      printf "{\"messages\":[{\"role\":\"user\",\"content\":\"question %d %s\"},{\"role\":\"assistant\",\"content\":\"answer %d %s\"}],\"meta\":{\"conv\":\"c%d\",\"label\":\"l%d\"}}\n", i, s, i, s, (i * 7919) % 150000, i % 7 }' > big.jsonl
fi
ls -l big.jsonl
m() {
  /usr/bin/time -v "$@" > /dev/null 2> time.err < "${STDIN:-/dev/null}"
  grep -E "Maximum resident|Elapsed|User time|System time" time.err | sed 's/^\s*//' | tr '\n' ';'; echo
}
for mode in "--ratio 0.8,0.1,0.1" "--ratio 0.8,0.1,0.1 --no-tokens" "--ratio 0.8,0.2 --group meta.conv --no-tokens" \
            "--ratio 0.8,0.1,0.1 --stratify meta.label --no-tokens" "--nested 1000,10000,100000 --test 2000 --no-tokens" \
            "--ratio 0.9,0.1 --by-hash meta.conv --no-tokens" "--ratio 0.8,0.2 --keep-order --no-tokens" \
            "--sample 10000 --no-tokens"; do
  echo "split $mode:"
  # shellcheck disable=SC2086
  m "$bin" split $mode -o "x_{split}.jsonl" --force big.jsonl
done
echo "split --shuffle from stdin:"
STDIN=big.jsonl m "$bin" split --shuffle --no-tokens
