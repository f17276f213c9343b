#!/usr/bin/env bash
# Fuzz smoke pass: bash tests/fuzz/smoke.sh [TARGET...]   (default: every tests/fuzz/<TARGET>_fuzz.cpp)
#
# For each target: replays the crash fixtures of tests/fuzz/crashes/TARGET/ (each must now run clean), then
# fuzzes from a fixed seed (FTPREP_FUZZ_SEED, default 1) and an empty working corpus, starting from the
# seeds of tests/fuzz/corpus/TARGET/, for FTPREP_FUZZ_RUNS inputs (default 20000) or FTPREP_FUZZ_SECONDS
# (default 45), whichever comes first. Fixed seed, fresh corpus and a run cap make the pass reproducible: the
# inputs are the same sequence on every machine, a slower machine only runs fewer of them, so a CI finding
# replays locally with `bash tests/fuzz/smoke.sh TARGET` (and the input is kept in the artifacts folder).
# Open-ended fuzzing is tests/fuzz/run.sh TARGET SECONDS, with a random seed and a corpus kept between runs.
#
# ./build.sh test runs this through ctest (tests fuzz.TARGET, label fuzz) on its sanitizer tree build-san/,
# with FTPREP_FUZZ_BUILD=build-san FTPREP_FUZZ_PREBUILT=1. Alone it builds build-fuzz/ with clang first.
# Without clang or libFuzzer's runtime it prints a notice and succeeds, so a CI without clang is not broken.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${FTPREP_FUZZ_BUILD:-$repo/build-fuzz}
secs=${FTPREP_FUZZ_SECONDS:-45}
runs=${FTPREP_FUZZ_RUNS:-20000}
seed=${FTPREP_FUZZ_SEED:-1}
# Our own sanitizer settings, whatever the caller's (ctest under ./build.sh test sets abort_on_error for the
# other tests); the suppressions are RapidJSON's (see ubsan.supp).
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:suppressions=$repo/tests/fuzz/ubsan.supp

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$repo"/tests/fuzz/*_fuzz.cpp; do
    [ -f "$f" ] && targets+=("$(basename "$f" _fuzz.cpp)")
  done
fi
if [ "${FTPREP_FUZZ_PREBUILT:-0}" != 1 ]; then
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
  ninja -C "$build" -j "${FTPREP_FUZZ_BUILD_JOBS:-2}" "${targets[@]/#/fuzz_}" || exit 1
  export FTPREP_FUZZ_PREBUILT=1
fi
export FTPREP_FUZZ_BUILD=$build
fail=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz smoke: FAIL $bin is not built"; fail=1; continue; }
  crashes=$repo/tests/fuzz/crashes/$t
  if [ -d "$crashes" ] && [ -n "$(ls -A "$crashes")" ]; then
    if "$bin" -runs=1 "$crashes"/* >"$build/replay-$t.log" 2>&1; then
      echo "fuzz smoke: fuzz_$t replays $(ls "$crashes" | wc -l) past crash inputs cleanly"
    else
      echo "fuzz smoke: FAIL fuzz_$t: a past crash input fails again (see $build/replay-$t.log)"
      grep -m5 -E 'ERROR|SUMMARY|invariant|Running' "$build/replay-$t.log"
      fail=1
    fi
  fi
  corpus=$(mktemp -d)
  FTPREP_FUZZ_CORPUS=$corpus bash "$repo/tests/fuzz/run.sh" "$t" "$secs" -seed="$seed" -runs="$runs" || fail=1
  rm -rf "$corpus"
done
exit $fail
