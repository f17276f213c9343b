#!/usr/bin/env bash
# Workflow 4 — a spreadsheet through the classic prepare flow: an XLSX and a CSV of prompt/completion rows
# with the usual problems (capitalised headers, extra columns, an empty completion, a duplicate, a common
# instruction prefix, no separator, no ending) -> ftprep prepare (-q, and answering questions) -> token count
# -> price for the base models that still take prompt/completion data.
source "$(dirname "$0")/common.sh"
cp samples/prepare/support_tickets.xlsx samples/prepare/support_tickets.csv .

step "prepare the workbook, accepting every recommended fix" 'ftprep prepare -q --model none support_tickets.xlsx'
ftprep prepare -q --model none support_tickets.xlsx

step "prepare the CSV export, answering the questions (no to lowercasing, yes to the rest)" \
     'printf "Y\nn\nY\nY\nY\nY\nY\nY\n" | script -qec "ftprep prepare --model none support_tickets.csv" /dev/null'
if command -v script >/dev/null; then
  printf 'Y\nn\nY\nY\nY\nY\nY\nY\n' | script -qec "$FTPREP prepare --model none support_tickets.csv" /dev/null \
    | tr -d '\r' | grep -E '^\- \[|^Wrote'
else
  echo "(script(1) is not installed: skipped)"
fi

step "The same data from XLSX and CSV gives the same examples" 'cmp support_tickets_prepared.jsonl "support_tickets_prepared (1).jsonl"'
cmp support_tickets_prepared.jsonl "support_tickets_prepared (1).jsonl" && echo identical

step "Tokens" 'ftprep count --model davinci-002 support_tickets_prepared.jsonl'
ftprep count --model davinci-002 support_tickets_prepared.jsonl

step "Price for the base models" 'ftprep price --model davinci-002,babbage-002 support_tickets_prepared.jsonl'
ftprep price --model davinci-002,babbage-002 support_tickets_prepared.jsonl
