#!/usr/bin/env bash
# Tokenizer benchmark and crosscheck against tiktoken (not run by ctest; takes a few minutes).
#
#   tests/bench/tokenizer/run.sh [BUILD_DIR]        (default: build; Release build of ftprep)
#
# Environment: SHARED (default: ../shared beside the repo, or ../../shared for worktrees), WORK (scratch
# folder, default /tmp/ftprep-tokbench; the corpus and npm packages are kept there between runs),
# ENCODINGS (default "r50k_base p50k_base cl100k_base o200k_base"), SKIP_CALLGRIND=1, RUNS (timed passes, 3).
#
# Steps, all in one run on the same machine:
#  1. copies ../shared/tokref (the reference harness: npm tiktoken = WASM build of OpenAI's Rust core) to
#     $WORK and runs `npm ci` there; builds the mixed corpus with its make-corpus.mjs (text found on this
#     Debian machine: install the packages its header lists to reach > 100,000 texts).
#  2. crosscheck: token ids of every text, ftprep's library (tok_driver, built here against the build tree)
#     vs the harness, in every encoding; then `ftprep count -e ENC --field text --each` on the same texts as
#     JSONL vs the harness's counts (the acceptance interface). Also special-token mode "all" for cl100k_base
#     and o200k_harmony. Any difference fails the script (exit 1) and prints the first lines.
#  3. speed: the harness's bench.mjs (tiktoken, lines mode: one call per text) and ftprep count on the same
#     texts, best of $RUNS, in MB/s of UTF-8 text; prints the ratio.
#  4. callgrind instructions per byte of text: `ftprep count ... --each` on the corpus minus the same on an
#     empty file; and the tokenizer alone (tok_driver total minus tok_driver read: the same run without the
#     Count calls, so reading and decoding the texts is not charged to the tokenizer). The commands are
#     printed beside the numbers.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../../.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
bin=$build/ftprep
shared=${SHARED:-}
if [ -z "$shared" ]; then
  for d in "$repo/../shared" "$repo/../../shared"; do [ -d "$d/tokref" ] && shared=$(cd "$d" && pwd) && break; done
fi
[ -n "$shared" ] && [ -d "$shared/tokref" ] || { echo "run.sh: ../shared/tokref not found (set SHARED)" >&2; exit 2; }
work=${WORK:-/tmp/ftprep-tokbench}
encs=${ENCODINGS:-"r50k_base p50k_base cl100k_base o200k_base"}
runs=${RUNS:-3}
mkdir -p "$work"
say() { printf '\n== %s\n' "$*"; }

say "harness and corpus in $work"
if [ ! -d "$work/tokref/node_modules/tiktoken" ]; then
  rm -rf "$work/tokref" && cp -r "$shared/tokref" "$work/tokref"
  (cd "$work/tokref" && npm ci --no-audit --no-fund >/dev/null)
fi
if [ ! -s "$work/corpus/all.txt" ]; then node "$work/tokref/make-corpus.mjs" "$work/corpus"; fi
corpus=$work/corpus/all.txt
# The same texts as JSONL records {"text": ...} for ftprep count.
node --input-type=module -e "
import { readFileSync, writeFileSync } from 'node:fs';
import { readTexts } from '$work/tokref/lib.mjs';
const texts = readTexts(readFileSync('$corpus'));
writeFileSync('$work/all.jsonl', texts.map((t) => JSON.stringify({ text: t })).join('\n') + '\n');
console.log(texts.length + ' texts, ' + texts.reduce((n, t) => n + Buffer.byteLength(t), 0) + ' bytes of UTF-8 text');
"
: >"$work/empty.jsonl"
: >"$work/empty.txt"

say "building tok_driver against $build"
objs="$(ls "$build"/CMakeFiles/ftprep_core.dir/core/tokenizer/*.o) $build/CMakeFiles/ftprep_core.dir/core/edit_distance.cpp.o"
g++ -O2 -std=c++20 -I"$repo/include" -I"$repo/core" "$repo/tests/bench/tokenizer/tok_driver.cpp" $objs -o "$work/tok_driver"

say "crosscheck (ids of every text, and ftprep count --each)"
bad=0
check() {  # name, expected file, got file
  if cmp -s "$2" "$3"; then echo "  $1: identical ($(wc -l <"$2") texts)"; else
    echo "  $1: DIFFERS"; diff "$2" "$3" | head -6; bad=1; fi
}
for e in $encs; do
  node "$work/tokref/count.mjs" "$e" --tokens <"$corpus" >"$work/ref.$e.ids"
  "$work/tok_driver" "$e" ids <"$corpus" >"$work/got.$e.ids"
  check "$e ids (library)" "$work/ref.$e.ids" "$work/got.$e.ids"
  awk '{print NF}' "$work/ref.$e.ids" >"$work/ref.$e.counts"
  "$bin" count -e "$e" --field text --each "$work/all.jsonl" >"$work/got.$e.counts"
  check "$e counts (ftprep count --each)" "$work/ref.$e.counts" "$work/got.$e.counts"
done
for e in cl100k_base o200k_harmony; do
  node "$work/tokref/count.mjs" "$e" --tokens --mode all <"$corpus" >"$work/ref.$e.all.ids"
  "$work/tok_driver" "$e" ids --mode all <"$corpus" >"$work/got.$e.all.ids"
  check "$e ids, specials allowed (library)" "$work/ref.$e.all.ids" "$work/got.$e.all.ids"
done

say "speed (same machine, same run; MB/s of UTF-8 text, best of $runs)"
node "$work/tokref/bench.mjs" "$corpus" --enc cl100k_base,o200k_base --impl tiktoken --mode lines --runs "$runs" \
  --min-time 1 --json "$work/bench.json" >/dev/null
text_bytes=$(node -e "console.log(require('$work/bench.json').results[0].bytes)")
for e in cl100k_base o200k_base; do
  ref=$(node -e "const r=require('$work/bench.json').results.find(x=>x.enc==='$e');console.log(r.best_MBps.toFixed(2))")
  best=
  for i in $(seq "$runs"); do
    s=$( { /usr/bin/time -f %e "$bin" count -e "$e" --field text --each "$work/all.jsonl" >/dev/null; } 2>&1 | tail -1)
    best=$(awk -v a="$best" -v b="$s" 'BEGIN{print (a=="" || b<a) ? b : a}')
  done
  lib=$("$work/tok_driver" "$e" total --repeat "$runs" <"$corpus" | sed -E 's/.* ([0-9.]+) MB\/s/\1/')
  mbs=$(awk -v b="$text_bytes" -v s="$best" 'BEGIN{printf "%.2f", (s > 0 ? b / s / 1e6 : 0)}')  # parenthesised: a bare > in printf redirects to a file
  printf '  %-12s tiktoken (npm WASM) %6s MB/s | ftprep count end-to-end %7s MB/s (%sx) | tokenizer alone %7s MB/s (%sx)\n' \
    "$e" "$ref" "$mbs" "$(awk -v a="$mbs" -v b="$ref" 'BEGIN{printf "%.1f", a/b}')" "$lib" \
    "$(awk -v a="$lib" -v b="$ref" 'BEGIN{printf "%.1f", a/b}')"
done

if [ "${SKIP_CALLGRIND:-0}" != 1 ]; then
  say "callgrind instructions per byte of text ($text_bytes bytes)"
  ir() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | sed -nE 's/.*Collected : ([0-9]+).*/\1/p'; }
  for e in cl100k_base o200k_base; do
    full=$(ir "$bin" count -e "$e" --field text --each "$work/all.jsonl")
    empty=$(ir "$bin" count -e "$e" --field text --each "$work/empty.jsonl")
    lfull=$(ir "$work/tok_driver" "$e" total <"$corpus")
    lempty=$(ir "$work/tok_driver" "$e" read <"$corpus")
    echo "  ($bin count -e $e --field text --each $work/all.jsonl, minus the same on $work/empty.jsonl;"
    echo "   $work/tok_driver $e total < $corpus, minus tok_driver $e read; valgrind --tool=callgrind)"
    printf '  %-12s ftprep count end-to-end %6.1f instr/byte | tokenizer alone %6.1f instr/byte\n' "$e" \
      "$(awk -v a="$full" -v b="$empty" -v n="$text_bytes" 'BEGIN{print (a-b)/n}')" \
      "$(awk -v a="$lfull" -v b="$lempty" -v n="$text_bytes" 'BEGIN{print (a-b)/n}')"
  done
fi
[ "$bad" = 0 ] && echo "crosscheck: all identical" || { echo "crosscheck: DIFFERENCES" ; exit 1; }
