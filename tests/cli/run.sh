#!/usr/bin/env bash
# Golden CLI runner: bash tests/cli/run.sh BINARY DIR
#
# DIR is tests/cli/<tool>; each subfolder is a case:
#   cmd              bash commands, run in a scratch copy of the case folder with `ftprep` on PATH
#                    (and $SHARED = ../shared of the repo, $REPO = the repo root)
#   stdin            optional: fed to cmd's stdin (else /dev/null)
#   expected_stdout  expected stdout (exact bytes)
#   expected_stderr  expected stderr (exact bytes)
#   expected_exit    expected exit code (default 0)
#   expected_files/  optional: files that must exist afterwards in the scratch folder, byte for byte
#   needs_shared     optional: skip (with a notice) when ../shared is absent
# Cases run with FTPREP_TODAY=2026-11-30 (prices as of that day) unless the environment sets it.
# FTPREP_REGEN=1 rewrites the expectations from the actual results (review them with git diff).
set -u
bin=$(realpath "$1")
dir=$(realpath "$2")
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=$(cd "$repo/.." && pwd)/shared
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/bin"
ln -s "$bin" "$work/bin/ftprep"
fail=0; n=0; skipped=0
for case in "$dir"/*/; do
  case=${case%/}
  [ -f "$case/cmd" ] || continue
  name=$(basename "$dir")/$(basename "$case")
  if [ -f "$case/needs_shared" ] && [ ! -d "$shared/realdata" ]; then
    echo "SKIP $name: ../shared is absent (it holds the real-data files this case reads)"
    skipped=$((skipped + 1)); continue
  fi
  n=$((n + 1))
  scratch="$work/case"
  rm -rf "$scratch"; cp -r "$case" "$scratch"
  rm -rf "$scratch/expected_files"
  input=/dev/null; [ -f "$case/stdin" ] && input="$case/stdin"
  (cd "$scratch" && PATH="$work/bin:$PATH" SHARED="$shared" REPO="$repo" FTPREP_PLUGIN_PATH=disable FTPREP_TODAY=${FTPREP_TODAY:-2026-11-30} LC_ALL=C.UTF-8 \
     timeout 120 bash ./cmd <"$input" >"$work/out" 2>"$work/err"); rc=$?
  if [ "${FTPREP_REGEN:-0}" = 1 ]; then
    cp "$work/out" "$case/expected_stdout"; cp "$work/err" "$case/expected_stderr"; echo "$rc" >"$case/expected_exit"
    if [ -d "$case/expected_files" ]; then
      (cd "$case/expected_files" && find . -type f) | while read -r f; do cp "$scratch/$f" "$case/expected_files/$f"; done
    fi
    echo "REGEN $name (exit $rc)"; continue
  fi
  want_rc=0; [ -f "$case/expected_exit" ] && want_rc=$(cat "$case/expected_exit")
  ok=1
  if [ "$rc" != "$want_rc" ]; then echo "FAIL $name: exit $rc, expected $want_rc"; ok=0; fi
  if [ -f "$case/expected_stdout" ] && ! cmp -s "$work/out" "$case/expected_stdout"; then
    echo "FAIL $name: stdout differs"; diff -u "$case/expected_stdout" "$work/out" | head -40; ok=0
  fi
  if [ -f "$case/expected_stderr" ] && ! cmp -s "$work/err" "$case/expected_stderr"; then
    echo "FAIL $name: stderr differs"; diff -u "$case/expected_stderr" "$work/err" | head -40; ok=0
  fi
  if [ -d "$case/expected_files" ]; then
    while read -r f; do
      if ! cmp -s "$case/expected_files/$f" "$scratch/$f"; then
        echo "FAIL $name: file $f differs or is missing"; diff -u "$case/expected_files/$f" "$scratch/$f" | head -20; ok=0
      fi
    done < <(cd "$case/expected_files" && find . -type f)
  fi
  [ $ok = 1 ] && echo "ok   $name" || fail=$((fail + 1))
done
echo "$n cases, $fail failed, $skipped skipped"
[ $fail = 0 ]
