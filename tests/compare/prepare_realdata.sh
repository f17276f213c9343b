#!/usr/bin/env bash
# Runs `ftprep prepare` over every file of ../shared/realdata with two binaries and compares everything a user
# sees: stdout, stderr, the exit code, the --report and every file written beside the input. For refactoring
# prepare: behaviour must stay identical. Each file is copied into a fresh directory per binary and prepare runs
# there on the bare file name, so paths in messages match. Modes: -q (accept every fix, with the cost), -q
# --model none, and no flag with stdin not a terminal (no optional fix applied). Skips when ../shared is absent.
# Not a ctest (it needs a second, older binary): build one from the commit before your change, e.g.
#   git archive main | tar -x -C /tmp/old && cmake -S /tmp/old -B /tmp/old/build -G Ninja && ninja -C /tmp/old/build ftprep
# Usage: tests/compare/prepare_realdata.sh OLD_BINARY NEW_BINARY
set -u
old=$(realpath "$1")
new=$(realpath "$2")
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${FTPREP_SHARED:-$(cd "$repo/.." && pwd)/shared}
data=$shared/realdata
if [ ! -d "$data" ]; then echo "SKIP prepare_realdata: $data is absent"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {  # run BIN DIR FILE ARGS...: leaves out, err, rc and the written files in DIR
  local bin=$1 dir=$2 file=$3; shift 3
  mkdir -p "$dir"
  cp "$file" "$dir/"
  (cd "$dir" && "$bin" prepare "$@" --report report.json "$(basename "$file")" < /dev/null > ../out 2> ../err
   echo $? > ../rc)
  mv "$dir/../out" "$dir/../err" "$dir/../rc" "$dir/"
}
pass=0 fail=0 files=0
while IFS= read -r f; do
  files=$((files + 1))
  for mode in q qnone plain; do
    case $mode in q) args=(-q) ;; qnone) args=(-q --model none) ;; plain) args=() ;; esac
    rm -rf "$tmp/a" "$tmp/b"
    run "$old" "$tmp/a/d" "$f" "${args[@]}"
    run "$new" "$tmp/b/d" "$f" "${args[@]}"
    if diff -r "$tmp/a/d" "$tmp/b/d" > "$tmp/diff"; then
      pass=$((pass + 1))
    else
      fail=$((fail + 1))
      echo "FAIL ${f#$data/} ($mode)"
      head -20 "$tmp/diff"
    fi
  done
done < <(find "$data" -type f -not -path "*/LICENSES/*" -not -name "*.md" -not -name MANIFEST.tsv | sort)
echo "prepare_realdata: $files files x 3 modes: $pass identical, $fail differ"
[ "$fail" = 0 ]
