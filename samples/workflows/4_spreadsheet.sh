#!/usr/bin/env bash
# Workflow 4 — a spreadsheet through the classic prepare_data flow: an XLSX workbook and its CSV export of
# prompt/completion rows with the usual problems (capitalised headers, extra columns, an empty completion,
# a duplicate, a common instruction prefix, no separator, no leading space) -> ftprep prepare, once with -q
# (accept every fix) and once answering its questions at a terminal (driven by expect) -> the same
# examples from both files -> token count -> price for the base models that take prompt/completion data.
# Usage: samples/workflows/4_spreadsheet.sh [FTPREP [OUTDIR]]
source "$(dirname "$0")/common.sh"
cp samples/prepare/support_tickets.xlsx samples/prepare/support_tickets.csv .

step "1. prepare the workbook, accepting every recommended fix (-q)"
run 'ftprep prepare -q --model none support_tickets.xlsx | tee prepare_q.txt'

step "2. prepare the CSV export at a terminal, answering yes to every fix but no to the split"
# expect plays the person at the terminal: it waits for each [Y/n] question and answers from the list.
cat > answer.exp <<'EXP'
set timeout 30
set answers [lrange $argv 1 end]
spawn -noecho {*}[split [lindex $argv 0]]
expect {
  -re {\[Y/n\]: $} {
    set a [lindex $answers 0]
    set answers [lrange $answers 1 end]
    send "$a\r"
    exp_continue
  }
  eof
}
lassign [wait] pid spawnid os_error status
exit $status
EXP
if command -v expect >/dev/null; then
  run "expect answer.exp 'ftprep prepare --model none support_tickets.csv' Y Y Y Y n | tr -d '\r' | grep -E '^- \[|^Wrote'"
else
  echo "(expect is not installed: apt-get install expect; answering through script(1) instead)"
  run "printf 'Y\nY\nY\nY\nn\n' | script -qec 'ftprep prepare --model none support_tickets.csv' /dev/null | tr -d '\r' | grep -o 'Wrote.*'"
fi

step "3. The workbook and the CSV export gave the same examples"
run 'sort support_tickets_prepared_train.jsonl support_tickets_prepared_valid.jsonl | cmp - <(sort support_tickets_prepared.jsonl) && echo "same $(wc -l < support_tickets_prepared.jsonl) examples"'
run 'head -2 support_tickets_prepared.jsonl'

step "4. Tokens of the training file"
run 'ftprep count --model davinci-002 support_tickets_prepared_train.jsonl'

step "5. Price for the base models that take prompt/completion data"
run 'ftprep price --model davinci-002,babbage-002 --valid support_tickets_prepared_valid.jsonl support_tickets_prepared_train.jsonl > price.txt; sed "/^Prices/,\$d" price.txt'

summary "$(grep -o '[0-9]* prompt-completion pairs' prepare_q.txt | cut -d' ' -f1) ticket rows -> $(wc -l < support_tickets_prepared.jsonl) examples: headers renamed, 2 extra columns, 1 empty and 1 duplicate row dropped," \
  "the shared instruction removed, a separator and leading spaces added; the XLSX and the CSV give the same." \
  "$(wc -l < support_tickets_prepared_train.jsonl) train / $(wc -l < support_tickets_prepared_valid.jsonl) valid; training for $(column price.txt "epochs" 1 | cut -d' ' -f1) epochs: davinci-002 $(column price.txt "training cost" 1), babbage-002 $(column price.txt "training cost" 2)."
finish
