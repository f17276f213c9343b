#!/usr/bin/env bash
# The shared flags mean the same in every tool: bash tests/scripts/shared_flags.sh BINARY
#   - the option every "(use --max-shown to see more)" hint names is accepted by each tool that can print it;
#   - -q/--quiet: nothing on stderr on a good run;
#   - -o x.jsonl.gz and -o x.jsonl.zst write gzip and zstd that decompress to the plain output;
#   - --report - is refused while records (or the summary) go to stdout;
#   - an input is never an output: same path, another spelling of it, a hard link, a symlink; the input
#     stays intact and the exit code is 2.
set -u
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
fail=0; n=0
check() {  # check WHAT COMMAND...
  n=$((n + 1))
  if "${@:2}" > check.out 2>&1; then echo "ok   $1"; else echo "FAIL $1"; sed 's/^/     /' check.out | head -5; fail=$((fail + 1)); fi
}
for i in $(seq 1 12); do
  echo "{\"messages\":[{\"role\":\"user\",\"content\":\"What is $i plus $i?\"},{\"role\":\"assistant\",\"content\":\"$((i + i))\"}]}"
done > good.jsonl
cp good.jsonl keep.jsonl

for t in count validate convert clean split price prepare; do
  check "$t accepts --max-shown (named by its hints)" "$bin" "$t" --max-shown 3 --help
done

quiet() {  # quiet TOOL ARGS...: a good run with -q writes nothing to stderr
  "$bin" "$@" > /dev/null 2> err.txt && [ ! -s err.txt ]
}
check "count -q silent" quiet count -q good.jsonl
check "validate -q silent" quiet validate -q --profile openai-chat good.jsonl
check "convert -q silent" quiet convert -q good.jsonl
check "clean -q silent" quiet clean -q good.jsonl
check "split -q silent (no summary on stdout either)" \
  sh -c '"$1" split -q --shuffle --force -o s.jsonl good.jsonl > out.txt 2> err.txt && [ ! -s out.txt ] && [ ! -s err.txt ]' _ "$bin"
# In 2030 the built-in prices are stale and past end of availability: warnings a plain run prints.
check "price -q silent (no price-table warnings)" env FTPREP_TODAY=2030-01-01 bash -c \
  '"$0" price -q --model gpt-4.1-mini good.jsonl > /dev/null 2> err.txt && [ ! -s err.txt ]' "$bin"

roundtrip() {  # roundtrip TOOL ARGS...: -o plain, .gz and .zst hold the same records
  rm -f o.jsonl o.jsonl.gz o.jsonl.zst
  "$bin" "$@" -o o.jsonl 2> /dev/null && "$bin" "$@" -o o.jsonl.gz 2> /dev/null &&
    "$bin" "$@" -o o.jsonl.zst 2> /dev/null && [ -s o.jsonl ] &&
    gzip -dc o.jsonl.gz | cmp -s - o.jsonl && zstd -qdc o.jsonl.zst | cmp -s - o.jsonl
}
check "count --annotate -o .gz/.zst round-trip" roundtrip count --annotate good.jsonl
check "validate -o .gz/.zst round-trip" roundtrip validate --profile openai-chat good.jsonl
check "convert -o .gz/.zst round-trip" roundtrip convert good.jsonl
check "clean -o .gz/.zst round-trip" roundtrip clean good.jsonl
check "split -o .gz/.zst round-trip" roundtrip split --shuffle good.jsonl

ln good.jsonl hard.jsonl
ln -s good.jsonl sym.jsonl
refused() {  # refused TOOL ARGS... (the last one names the output): exit 2, input unchanged
  "$bin" "$@" > /dev/null 2> err.txt; local rc=$?
  [ $rc = 2 ] && grep -q "input" err.txt && cmp -s good.jsonl keep.jsonl
}
for out in good.jsonl ./good.jsonl "$work/good.jsonl" hard.jsonl sym.jsonl; do
  check "count --annotate refuses -o $out" refused count --annotate good.jsonl -o "$out"
  check "validate refuses -o $out" refused validate --profile openai-chat good.jsonl -o "$out"
  check "convert refuses -o $out" refused convert good.jsonl -o "$out"
  check "clean refuses -o $out" refused clean good.jsonl -o "$out"
done
rm -f o.jsonl; check "validate refuses --rejects onto its input" refused validate --profile openai-chat good.jsonl -o o.jsonl --rejects good.jsonl
check "count refuses --each -o onto its input" refused count --each good.jsonl -o good.jsonl
usage_error() { "$bin" "$@" > /dev/null 2>&1; [ $? = 2 ]; }
for t in count validate clean; do
  check "$t refuses --report - while the output is stdout" usage_error "$t" --report - good.jsonl
done
echo "$n checks, $fail failed"
[ $fail = 0 ]
