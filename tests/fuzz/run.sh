#!/usr/bin/env bash
# Runs one libFuzzer target for a fixed time: tests/fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
#
# TARGET is a tests/fuzz/<TARGET>_fuzz.cpp (jsonl, csv, ...). Builds build-fuzz/ with clang
# (-DFTPREP_FUZZ=ON: ASan + UBSan + libFuzzer) if needed, then fuzzes with one job (-j1: the machine is
# shared), starting from the seeds in tests/fuzz/corpus/TARGET/ plus the working corpus kept in
# build-fuzz/corpus/TARGET/. Crashes, leaks and timeouts land in build-fuzz/artifacts/TARGET/; turn each into
# a regression fixture (tests/fuzz/crashes/TARGET/ is replayed by smoke.sh, and a tests/regressions case
# pins the CLI message). Exit 0 = no finding, 1 = a finding, 2 = could not build/run.
# FTPREP_FUZZ_BUILD: the build tree (default build-fuzz/; ./build.sh test's build-san/ holds the targets too);
# FTPREP_FUZZ_PREBUILT=1: use the binary as built, never run cmake or ninja (ctest runs targets concurrently);
# FTPREP_FUZZ_CORPUS: the working corpus folder (default build-fuzz/corpus/TARGET, kept between runs).
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
target=${1:?usage: run.sh TARGET SECONDS}
secs=${2:?usage: run.sh TARGET SECONDS}
shift 2
build=${FTPREP_FUZZ_BUILD:-$repo/build-fuzz}
if ! command -v clang++ >/dev/null 2>&1; then
  echo "run.sh: clang++ not found; install clang (and libclang-rt-14-dev) to fuzz" >&2
  exit 2
fi
if [ "${FTPREP_FUZZ_PREBUILT:-0}" = 1 ]; then
  [ -x "$build/fuzz/fuzz_$target" ] || { echo "run.sh: $build/fuzz/fuzz_$target is not built" >&2; exit 2; }
else
  if [ ! -f "$build/build.ninja" ]; then
    CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DFTPREP_FUZZ=ON -DFTPREP_BUILD_TESTS=OFF >/dev/null || exit 2
  fi
  ninja -C "$build" -j "${FTPREP_FUZZ_BUILD_JOBS:-2}" "fuzz_$target" >/dev/null || { echo "run.sh: build of fuzz_$target failed" >&2; exit 2; }
fi
corpus=${FTPREP_FUZZ_CORPUS:-$build/corpus/$target}
artifacts=$build/artifacts/$target
mkdir -p "$corpus" "$artifacts"
seeds=()
[ -d "$repo/tests/fuzz/corpus/$target" ] && seeds+=("$repo/tests/fuzz/corpus/$target")
dict=()
for d in "$repo/tests/fuzz/dict/$target.dict" "$repo/tests/fuzz/dict/json.dict"; do
  [ -f "$d" ] && { dict=(-dict="$d"); break; }
done
before=$(ls "$artifacts" | wc -l)
log=$build/fuzz-$target.log
start=$SECONDS
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$repo/tests/fuzz/ubsan.supp} \
  "$build/fuzz/fuzz_$target" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$@" "$corpus" "${seeds[@]}" >"$log" 2>&1
rc=$?
after=$(ls "$artifacts" | wc -l)
execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
echo "fuzz_$target: $((SECONDS - start))s (budget ${secs}s), ${execs:-?} executions, ${cov:-cov: ?}, corpus $(ls "$corpus" | wc -l) files, findings $((after - before)) (log $log)"
if [ "$rc" != 0 ] || [ "$after" -gt "$before" ]; then
  grep -m5 -E 'ERROR|SUMMARY|invariant|Test unit written' "$log" >&2
  exit 1
fi
exit 0
