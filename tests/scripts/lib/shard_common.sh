# Shared set-up for the GNU parallel equality tests (tests/scripts/parallel_*.sh); sourced, not a test.
#
# Sets: bin (absolute ftprep), here (tests/scripts), work (a scratch dir, removed at exit, also the cwd),
# block (FTPREP_PAR_BLOCK, default 256k: many shards from a CI-sized file; the README recipe uses 16M),
# N (records to generate: FTPREP_PAR_RECORDS, default 12000, 6000 under sanitizers), fail=0.
# Defines: ok, bad, par (parallel --pipepart -j2 -k over in.jsonl), nshards, report_eq.
# Exits 0 with a SKIP notice when GNU parallel is not installed.
set -u
bin=$(realpath "$1")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if ! command -v parallel >/dev/null 2>&1; then
  echo "SKIP: GNU parallel is not installed (apt-get install parallel)"; exit 0
fi
block=${FTPREP_PAR_BLOCK:-256k}
N=${FTPREP_PAR_RECORDS:-12000}
[ "${FTPREP_SANITIZED:-0}" = 1 ] && N=${FTPREP_PAR_RECORDS:-6000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export LC_ALL=C
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
# par ARGS...: runs ARGS on shards of in.jsonl ({#} = shard number), output in shard order.
par() { parallel --will-cite --pipepart --block "$block" -j2 -k -a in.jsonl "$@"; }
# nshards GLOB: how many shard files exist and are not empty.
nshards() { local n=0 f; for f in $1; do [ -s "$f" ] && n=$((n + 1)); done; echo "$n"; }
# report_eq WHAT SINGLE MERGED... [-- report_equal.py options]: each merged shard report equals the single
# run's. Always ignored: "inputs" (the single run names its file, each shard "-") and the "file"/"line" of
# findings (a shard numbers its stdin from 1); findings are otherwise compared in order, field by field.
report_eq() {
  local what=$1; shift
  local files=() out
  while [ $# -gt 0 ] && [ "$1" != -- ]; do files+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  if out=$(python3 "$here/lib/report_equal.py" "${files[@]}" --ignore inputs --shard-relative-findings "$@"); then
    ok "$what: merged report equals the single run's ($out)"
  else
    bad "$what: merged report differs: $out"
  fi
}
# rejects_raw FILE...: the rejected records of --rejects files without their shard-relative "file"/"line".
rejects_raw() { cat "$@" | sed 's/^{"file":"[^"]*","line":[0-9]*,//'; }
python3 "$here/lib/gen_shard_data.py" "$N" > in.jsonl
