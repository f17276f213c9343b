#!/usr/bin/env bash
# The --jobs sweep: runs the golden cases of one tool (tests/cli/<tool>) with FTPREP_JOBS=1, 3 and 7 (the
# default, the number of cores, is covered by the plain run). Every case must give the same stdout, stderr,
# files and exit code for every number of workers.
#   bash tests/cli/jobs.sh BINARY DIR
set -u
here=$(cd "$(dirname "$0")" && pwd)
fail=0
for n in ${FTPREP_JOBS_SWEEP:-1 3 7}; do
  out=$(FTPREP_JOBS=$n bash "$here/run.sh" "$1" "$2" 2>&1); rc=$?
  echo "jobs $n: $(echo "$out" | tail -1)"
  if [ $rc != 0 ]; then echo "$out" | grep -v '^ok '; fail=1; fi
done
exit $fail
