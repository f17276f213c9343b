#!/usr/bin/env bash
# Fuzz smoke pass (called by ./build.sh test): builds every libFuzzer target with clang into build-fuzz/,
# replays the crash fixtures of tests/fuzz/crashes/<target>/ (each must now run clean), then fuzzes each
# target, one at a time, for FTPREP_FUZZ_RUNS (default 20000) inputs from a fixed seed (FTPREP_FUZZ_SEED,
# default 1). Fixed seed and run count make the pass reproducible: the same tree gives the same inputs here
# and in CI, so CI never goes red on a finding nobody can replay (open-ended fuzzing is tests/fuzz/run.sh
# with a time budget and a random seed). FTPREP_FUZZ_SECONDS (default 300) only guards against a hang.
# Without clang or libFuzzer's runtime it prints a notice and succeeds, so CI without clang is not broken.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${FTPREP_FUZZ_BUILD:-$repo/build-fuzz}
secs=${FTPREP_FUZZ_SECONDS:-300}
runs=${FTPREP_FUZZ_RUNS:-20000}
seed=${FTPREP_FUZZ_SEED:-1}
if ! command -v clang++ >/dev/null 2>&1; then
  echo "fuzz smoke: clang++ not found; skipping the fuzz pass (apt-get install clang libclang-rt-14-dev)"
  exit 0
fi
probe=$(mktemp -d)
printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$probe/p.cpp"
if ! clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" >/dev/null 2>&1; then
  rm -rf "$probe"
  echo "fuzz smoke: clang cannot link libFuzzer (libclang-rt-*-dev missing?); skipping the fuzz pass"
  exit 0
fi
rm -rf "$probe"
if [ ! -f "$build/build.ninja" ]; then
  CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFTPREP_FUZZ=ON -DFTPREP_BUILD_TESTS=OFF >/dev/null || exit 1
fi
targets=()
for f in "$repo"/tests/fuzz/*_fuzz.cpp; do
  [ -f "$f" ] || continue
  t=$(basename "$f" _fuzz.cpp); targets+=("$t")
done
ninja -C "$build" -j "${FTPREP_FUZZ_BUILD_JOBS:-2}" "${targets[@]/#/fuzz_}" || exit 1
fail=0
for t in "${targets[@]}"; do
  crashes=$repo/tests/fuzz/crashes/$t
  if [ -d "$crashes" ] && [ -n "$(ls -A "$crashes")" ]; then
    if UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$repo/tests/fuzz/ubsan.supp "$build/fuzz/fuzz_$t" -runs=1 "$crashes"/* >"$build/replay-$t.log" 2>&1; then
      echo "fuzz smoke: fuzz_$t replays $(ls "$crashes" | wc -l) past crash inputs cleanly"
    else
      echo "fuzz smoke: FAIL fuzz_$t: a past crash input fails again (see $build/replay-$t.log)"; fail=1
    fi
  fi
  bash "$repo/tests/fuzz/run.sh" "$t" "$secs" -seed="$seed" -runs="$runs" || fail=1
done
exit $fail
