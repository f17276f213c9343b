# Sourced by the workflow scripts: sets $FTPREP (the binary), makes and enters a work folder with the
# samples linked in as ./samples (so every path printed is short and the same on every machine), and
# defines `step` for headings. Usage of a workflow: samples/workflows/N_name.sh [OUTDIR]
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
FTPREP=${FTPREP:-$repo/build/ftprep}
[ -x "$FTPREP" ] || { echo "build ftprep first (./build.sh demo)" >&2; exit 2; }
export FTPREP_TODAY=${FTPREP_TODAY:-2026-11-30}   # prices as of a fixed day: the output is reproducible
work=${1:-$(mktemp -d)}
mkdir -p "$work" && cd "$work" || exit 2
ln -sfn "$repo/samples" samples
ftprep() { "$FTPREP" "$@"; }
step() { printf '\n## %s\n$ %s\n' "$1" "$2"; }
