#!/usr/bin/env bash
# Builds ftprep with -DFTPREP_PLUGINS_AS_MODULES=ON (every in-tree format and rule plugin as a .so behind the
# plain-C ABI) and checks that it gives byte-identical validate output to the normal build, where the same
# plugins are compiled in and driven directly. Not part of ctest (it is a second build); CI runs it once.
# Usage: tests/modules/check.sh BUILT_FTPREP [MODULE_BUILD_DIR]   (default dir: build-modules)
set -eu
ref=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
dir=${2:-build-modules}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
mkdir -p "$dir"
# -O1: this tree only has to give the same output as the reference build, and it compiles much faster.
cmake -S "$src" -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG" \
  "-DCMAKE_C_FLAGS_RELEASE=-O1 -DNDEBUG" -DFTPREP_PLUGINS_AS_MODULES=ON \
  -DFTPREP_BUILD_TESTS=OFF "${launcher[@]}" > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
cmake --build "$dir" -j "$(nproc)" > "$dir/build.log" 2>&1 || { tail -40 "$dir/build.log"; exit 1; }
mod=$(realpath "$dir/ftprep")
plugins=$(realpath "$dir/plugins")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
compare() {  # compare LABEL ARGS... : the same validate run on both builds
  local label=$1; shift
  local a=0 b=0
  rm -f "$tmp/a.json" "$tmp/b.json"  # each run writes a new report (an existing file would need --force)
  FTPREP_PLUGIN_PATH=disable "$ref" "$@" --report "$tmp/a.json" > "$tmp/a.out" 2> "$tmp/a.err" || a=$?
  FTPREP_PLUGIN_PATH="$plugins" "$mod" "$@" --report "$tmp/b.json" > "$tmp/b.out" 2> "$tmp/b.err" || b=$?
  if [ $a = $b ] && cmp -s "$tmp/a.err" "$tmp/b.err" && cmp -s "$tmp/a.out" "$tmp/b.out" &&
     cmp -s "$tmp/a.json" "$tmp/b.json"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL $label (exit $a vs $b)"; diff "$tmp/a.err" "$tmp/b.err" | head -10
  fi
}
# The module build must load every in-tree plugin and nothing may be rejected but the two bad fixtures.
FTPREP_PLUGIN_PATH="$plugins" "$mod" plugins > "$tmp/plugins" 2>&1 || true
for want in openai_chat generic tokens dataset completions conversation declarative openai_dpo openai_rft jsonl; do
  if grep -q "^$want " "$tmp/plugins"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL plugin $want not loaded"; fi
done
for d in "$src"/tests/regressions/validate/*/; do
  p=$(basename "$d")
  compare "regressions/$p" validate --profile "$p" --progress never --max-per-rule 100000 "$d"*.jsonl
done
for f in "$src"/samples/chat/*.jsonl "$src"/samples/qa/*.jsonl; do
  [ -f "$f" ] && compare "samples/${f#$src/samples/}" validate --profile auto --progress never "$f"
done
echo "modules: $pass passed, $fail failed"
[ $fail = 0 ]
