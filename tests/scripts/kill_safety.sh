#!/usr/bin/env bash
# ctest-labels: cli slow
# Kill safety: bash tests/scripts/kill_safety.sh BINARY
#
# SIGINT/SIGTERM/SIGKILL during a run writing -o never leave a partial -o file (a previous -o file survives
# untouched), never damage the input, and SIGINT/SIGTERM end with exit 130/143 and a message saying what was done.
# The runs are made to block on a pipe that stays open, so the signal always lands mid-run (no timing races);
# one more run interrupts a file being read at full speed and accepts either outcome (finished or stopped),
# checking the invariants of both. Also: `ftprep validate | head -1` over a large input exits 0 at once,
# quietly (EPIPE).
#
# Where the test's filesystem supports O_TMPFILE (ext4, xfs, btrfs, tmpfs, ...), -o is an unnamed file until
# it is complete, so SIGKILL must leave nothing at all; otherwise (and with FTPREP_NO_TMPFILE=1, which forces
# the named-temporary fallback, also run here) a hidden .NAME.ftprep-*.tmp may stay and is only reported.
# New -o files get mode 0644 minus the umask on both paths.
set -u
bin=$(realpath "$1")
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
leftovers() { ls -A | grep -c '\.ftprep-.*\.tmp$'; }
# Does this filesystem give unnamed files (O_TMPFILE)? Then ftprep uses them unless FTPREP_NO_TMPFILE is set.
tmpfile_ok=0
python3 -c 'import os; os.close(os.open(".", os.O_TMPFILE | os.O_WRONLY, 0o644))' 2>/dev/null && tmpfile_ok=1
[ -n "${FTPREP_NO_TMPFILE:-}" ] && tmpfile_ok=0
[ "$tmpfile_ok" = 1 ] || echo "notice: no O_TMPFILE on $(df -T . | awk 'NR==2 {print $2}') here (or FTPREP_NO_TMPFILE set): SIGKILL may leave a hidden temporary file; only reported"
# Has process $1 opened its -o output: a named temporary beside it, or an unnamed (O_TMPFILE) file here?
opened() {
  [ "$(leftovers)" -gt 0 ] && return 0
  for fd in /proc/"$1"/fd/*; do
    case "$(readlink "$fd" 2>/dev/null)" in "$work"/*" (deleted)") return 0 ;; esac
  done
  return 1
}

# Writes N lines, then keeps the pipe open until $work/release exists (or 60 s).
feeder() {
  python3 -c '
import os, sys, time
n = int(sys.argv[1])
for i in range(n):
    sys.stdout.write("{\"i\":%d}\n" % i)
sys.stdout.flush()
open(sys.argv[2] + ".fed", "w").close()
for _ in range(600):
    if os.path.exists(sys.argv[2]):
        break
    time.sleep(0.1)
' "$1" "$work/release" 2>/dev/null
}

# Waits until run $1 has opened its -o output and the feeder has written everything; the run then gets a
# moment to consume it and blocks on the open pipe.
wait_temp() {
  for _ in $(seq 1 600); do
    opened "$1" && [ -e "$work/release.fed" ] && { sleep 0.5; return 0; }
    sleep 0.05
  done
  return 1
}

for sig in INT TERM KILL; do
  rm -f out.jsonl release release.fed err
  printf 'previous contents\n' > out.jsonl
  mkfifo fifo
  ( feeder 20000 > fifo ) & pids+=($!)
  "$bin" validate --profile jsonl --force -o out.jsonl fifo 2> err & pid=$!; pids+=($pid)
  if ! wait_temp "$pid"; then bad "$sig: the run never opened its output"; fi
  kill -s "$sig" "$pid"
  wait "$pid" 2>/dev/null; rc=$?
  touch release; wait; rm -f fifo
  want_rc=130; [ "$sig" = TERM ] && want_rc=143; [ "$sig" = KILL ] && want_rc=137
  [ "$rc" = "$want_rc" ] && ok "SIG$sig: exit $rc" || bad "SIG$sig: exit $rc, expected $want_rc; stderr: $(cat err)"
  [ "$(cat out.jsonl)" = "previous contents" ] && ok "SIG$sig: the previous -o file is untouched" \
    || bad "SIG$sig: -o file changed: $(head -c 200 out.jsonl)"
  if [ "$sig" = KILL ]; then
    # No handler runs on SIGKILL: with O_TMPFILE the unfinished output has no name, so nothing may remain.
    if [ "$tmpfile_ok" = 1 ]; then
      [ "$(leftovers)" = 0 ] && ok "SIGKILL: nothing left beside out.jsonl (O_TMPFILE)" \
        || bad "SIGKILL: left $(ls -A | grep ftprep)"
    else
      echo "note SIGKILL left $(leftovers) hidden temporary file(s) beside out.jsonl (no O_TMPFILE)"
    fi
    rm -f .out.jsonl.ftprep-*.tmp
  else
    [ "$(leftovers)" = 0 ] && ok "SIG$sig: no temporary file left" || bad "SIG$sig: temporary file left: $(ls -A)"
    # With --jobs > 1 the records the reading thread holds in a batch it has not handed on yet are not
    # counted as done, so the number may be a little under 20000.
    grep -Eq 'interrupted after (1[0-9]{4}|20000) records; no output file was written' err && ok "SIG$sig: says what was done: $(cat err)" \
      || bad "SIG$sig: message does not say what was done: $(cat err)"
  fi
done

# Without a previous -o file: nothing appears at all.
rm -f out.jsonl release release.fed
mkfifo fifo
( feeder 100 > fifo ) & pids+=($!)
"$bin" validate --profile jsonl -o out.jsonl fifo 2> err & pid=$!; pids+=($pid)
wait_temp "$pid"; kill -INT "$pid"; wait "$pid"; rc=$?
touch release; wait; rm -f fifo
[ ! -e out.jsonl ] && [ "$(leftovers)" = 0 ] && ok "SIGINT: no -o file created (exit $rc)" || bad "SIGINT: files left: $(ls -A)"

# Interrupting a file read at full speed: either it finished (complete output) or it stopped (no output);
# the input is never touched.
python3 -c '
import sys
w = sys.stdout.write
for i in range(100000):
    w("{\"messages\":[{\"role\":\"user\",\"content\":\"question %d\"},{\"role\":\"assistant\",\"content\":\"answer\"}]}\n" % i)
' > in.jsonl
before=$(cksum < in.jsonl)
for sig in INT TERM KILL; do
  rm -f out.jsonl .out.jsonl.ftprep-*.tmp
  "$bin" validate --profile jsonl -o out.jsonl in.jsonl 2> err & pid=$!; pids+=($pid)
  sleep 0.15; kill -s "$sig" "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rc=$?
  if [ "$rc" = 0 ]; then
    cmp -s in.jsonl out.jsonl && ok "SIG$sig on a file: finished first, output complete" || bad "SIG$sig: exit 0 but output differs"
  elif [ ! -e out.jsonl ]; then
    ok "SIG$sig on a file: stopped (exit $rc), no -o file"
  elif cmp -s in.jsonl out.jsonl; then
    # The signal came after the output got its name (the run had finished): whole, never a part.
    ok "SIG$sig on a file: killed after the commit (exit $rc), output complete"
  else
    bad "SIG$sig on a file: exit $rc and a -o file exists ($(wc -c < out.jsonl) bytes)"
  fi
  [ "$(cksum < in.jsonl)" = "$before" ] && ok "SIG$sig on a file: input unchanged" || bad "SIG$sig: input changed"
  if [ "$sig" != KILL ] || [ "$tmpfile_ok" = 1 ]; then
    [ "$(leftovers)" = 0 ] || bad "SIG$sig on a file: temporary file left: $(ls -A | grep ftprep)"
  fi
done

# The named-temporary fallback (FTPREP_NO_TMPFILE=1, as on a filesystem without O_TMPFILE): SIGKILL keeps the
# previous -o file untouched; a hidden temporary file may stay (reported, not failed).
rm -f out.jsonl release release.fed .out.jsonl.ftprep-*.tmp
printf 'previous contents\n' > out.jsonl
mkfifo fifo
( feeder 100 > fifo ) & pids+=($!)
FTPREP_NO_TMPFILE=1 "$bin" validate --profile jsonl --force -o out.jsonl fifo 2> err & pid=$!; pids+=($pid)
wait_temp "$pid"; kill -KILL "$pid"; wait "$pid" 2>/dev/null
touch release; wait; rm -f fifo
[ "$(cat out.jsonl)" = "previous contents" ] && ok "fallback SIGKILL: the previous -o file is untouched" \
  || bad "fallback SIGKILL: -o file changed"
echo "note fallback SIGKILL left $(leftovers) hidden temporary file(s) (expected without O_TMPFILE)"
rm -f .out.jsonl.ftprep-*.tmp

# Permissions: a new -o file gets 0644 minus the umask, on both paths; replacing a file works on both.
for mode in tmpfile fallback; do
  env=(); [ "$mode" = fallback ] && env=(FTPREP_NO_TMPFILE=1)
  rm -f p.jsonl
  ( umask 027; env "${env[@]}" "$bin" validate --profile jsonl -o p.jsonl in.jsonl 2> /dev/null )
  perm=$(stat -c %a p.jsonl 2>/dev/null)
  [ "$perm" = 640 ] && ok "$mode: new -o file has mode 640 under umask 027" || bad "$mode: mode $perm under umask 027"
  printf 'old\n' > p.jsonl
  env "${env[@]}" "$bin" validate --profile jsonl --force -o p.jsonl in.jsonl 2> /dev/null
  cmp -s in.jsonl p.jsonl && [ "$(leftovers)" = 0 ] && ok "$mode: replaces an existing -o file, nothing left" \
    || bad "$mode: replacing an existing -o file: $(ls -A | grep ftprep)"
done

# Broken pipe: a large input piped into `head -1` ends at once with 0 and prints nothing on stderr.
python3 -c '
import sys
line = "{\"text\":\"" + "x" * 1000 + "\"}\n"
sys.stdout.write(line * 20000)
' > big.jsonl
start=$(date +%s)
cat big.jsonl big.jsonl big.jsonl 2>/dev/null | "$bin" validate --profile jsonl 2> err | head -1 > first
rc=${PIPESTATUS[1]}
first=$(cat first)
secs=$(( $(date +%s) - start ))
[ "$rc" = 0 ] && ok "EPIPE: exit 0" || bad "EPIPE: exit $rc"
[ ! -s err ] && ok "EPIPE: nothing on stderr" || bad "EPIPE: stderr: $(head -c 300 err)"
[ "${#first}" = 1011 ] && ok "EPIPE: first record intact" || bad "EPIPE: first line is ${#first} bytes"
[ "$secs" -le 10 ] && ok "EPIPE: ended in ${secs}s" || bad "EPIPE: took ${secs}s"

exit $fail
