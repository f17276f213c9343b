#!/usr/bin/env bash
# The demo run by `./build.sh demo`: the five end-to-end workflows of samples/workflows/ on the bundled
# samples. Workflow 1 (distillation cost-benefit) is shown in full, the others as their summaries; every
# full report and every file written goes to build/demo/<workflow>/ (next to the binary).
# Usage: bash samples/demo.sh [FTPREP]     (FTPREP_DEMO_FULL=1 prints every workflow in full)
set -uo pipefail
bin=$(realpath "${1:-build/ftprep}")
here=$(cd "$(dirname "$0")" && pwd)
out=$(dirname "$bin")/demo
rm -rf "$out" && mkdir -p "$out" || exit 2
titles=("Is distilling gpt-4.1 into a small model worth it? (GenericsKB-like TSV -> teacher and training costs)"
        "A book of stories to open-ended completions in pieces of at most 512 tokens"
        "Questions and a teacher's answers to chat fine-tuning data"
        "A spreadsheet through prepare_data's classic flow (XLSX with -q, CSV answering at a terminal)"
        "Prompt/joke pairs to weighted text lists, checked with a rules file, steps per epoch")
cat <<INTRO
ftprep $("$bin" --version | cut -d' ' -f2) demo: five end-to-end workflows on the bundled samples (samples/).
Each is a script in samples/workflows/ that prints every command it runs (after "\$") and what the tools
report. Workflow 1 is shown in full, the others as summaries. Nothing leaves this machine: token counts
are exact (tiktoken-compatible), prices come from the dated table built in (as of ${FTPREP_TODAY:-2026-11-30}).
INTRO
failed=0
start=$(date +%s%N)
n=0
for script in "$here"/workflows/[1-5]_*.sh; do
  n=$((n + 1))
  name=$(basename "$script" .sh)
  t0=$(date +%s%N)
  bash "$script" "$bin" "$out/$name" > "$out/$name.log" 2>&1
  rc=$?
  ms=$((($(date +%s%N) - t0) / 1000000))
  status="ok"
  [ $rc = 0 ] || { status="FAILED (exit $rc)"; failed=$((failed + 1)); }
  printf '\n######## Workflow %d: %s\n######## samples/workflows/%s.sh: %s in %d.%d s\n' "$n" "${titles[n-1]}" "$name" \
    "$status" $((ms / 1000)) $((ms % 1000 / 100))
  if [ $n = 1 ] || [ "${FTPREP_DEMO_FULL:-0}" = 1 ] || [ $rc != 0 ]; then
    cat "$out/$name.log"
  else
    sed -n '/^== Summary/,/^$/{/^== Summary/d;/^$/d;p}' "$out/$name.log"
  fi
  echo "   (full report: $out/$name.log; files: $out/$name/)"
done
ms=$((($(date +%s%N) - start) / 1000000))
echo
if [ $failed = 0 ]; then
  echo "All five workflows ran as expected in $((ms / 1000)).$((ms % 1000 / 100)) s. Run one yourself, into a folder of your choice:"
else
  echo "$failed workflow(s) failed: see their reports above. Run one yourself:"
fi
echo "    samples/workflows/2_book.sh build/ftprep /tmp/book"
echo "README.md explains each workflow; 'ftprep help' and 'ftprep <tool> --help' describe the tools."
[ $failed = 0 ]
