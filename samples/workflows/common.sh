# Sourced by the workflow scripts. Usage of a workflow:
#
#     samples/workflows/N_name.sh [FTPREP [OUTDIR]]
#
# FTPREP is the ftprep binary (default: $FTPREP, else build/ftprep of this repo); OUTDIR is where every file
# goes (a new or empty folder; default: a new temporary one, named at the end). The script works inside
# OUTDIR with the samples linked in as ./samples and ftprep linked in as .bin/ftprep (on PATH), so every
# command it prints is short and the same on every machine, and it writes nothing anywhere else. Prices are those of FTPREP_TODAY (default 2026-11-30) and every random choice has a
# fixed seed, so the output is the same on every run: tests/cli/workflows/ checks it.
#
# The report goes to stdout, tool messages included (stderr is merged into it, so they stay in order).
# Exit code: 0 when every step ended as expected, 1 otherwise (the failing steps say "UNEXPECTED").
set -uo pipefail
exec 2>&1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
FTPREP=${1:-${FTPREP:-$repo/build/ftprep}}
[ -x "$FTPREP" ] || { echo "no ftprep binary at $FTPREP: build it first (./build.sh demo)"; exit 2; }
FTPREP=$(cd "$(dirname "$FTPREP")" && pwd)/$(basename "$FTPREP")
export FTPREP_TODAY=${FTPREP_TODAY:-2026-11-30}
work=${2:-}
if [ -z "$work" ]; then
  work=$(mktemp -d "${TMPDIR:-/tmp}/ftprep-workflow.XXXXXX")
  trap 'echo; echo "(files are in $work)"' EXIT
fi
if [ -d "$work" ] && [ -n "$(ls -A "$work")" ]; then
  echo "output folder $work is not empty: give a new or empty one (the tools never overwrite files)"
  exit 2
fi
mkdir -p "$work" && cd "$work" || exit 2
ln -sfn "$repo/samples" samples
# `ftprep` on PATH (a link in OUTDIR), so that commands print, and expect spawns, just `ftprep`.
mkdir -p .bin && ln -sfn "$FTPREP" .bin/ftprep
PATH="$PWD/.bin:$PATH"
failures=0

# step TITLE: a heading.
step() { printf '\n== %s\n' "$1"; }

# run [-x CODE] 'COMMAND': prints "$ COMMAND", runs it (a string, so pipes work and it is printed exactly as
# run) and checks its exit code (default 0). A different code is reported and fails the workflow.
run() {
  local want=0
  if [ "$1" = -x ]; then want=$2; shift 2; fi
  printf '$ %s\n' "$1"
  eval "$1"
  local rc=$?
  if [ "$rc" != "$want" ]; then
    echo "UNEXPECTED: exit code $rc (expected $want)"
    failures=$((failures + 1))
  elif [ "$want" != 0 ]; then
    echo "(exit code $rc, as expected)"
  fi
}

# note TEXT: a line of explanation for the reader.
note() { printf '   %s\n' "$*"; }

# summary LINE...: the outcome in a few sentences (the demo shows these).
summary() {
  printf '\n== Summary\n'
  local l
  for l in "$@"; do printf '   %s\n' "$l"; done
}

# column FILE LABEL N: the Nth value of the row starting with LABEL in a saved `ftprep price` table.
column() {
  awk -v label="$2" -v n="$3" 'index($0, "  " label) == 1 {
    rest = substr($0, length(label) + 3); sub(/^ +/, "", rest); split(rest, f, /  +/); print f[n]; exit }' "$1"
}

# finish: the last line; the exit code says whether every step went as expected.
finish() {
  echo
  if [ "$failures" = 0 ]; then
    echo "== done: every step ended as expected"
  else
    echo "== $failures step(s) did not end as expected"
  fi
  [ "$failures" = 0 ]
}
