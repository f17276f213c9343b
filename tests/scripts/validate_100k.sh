#!/usr/bin/env bash
# ctest-labels: cli slow
# A clean 100,000-example chat file validates with exit 0; the same file with one bad line (73,421) gives
# exit 1 and names that line. The inputs are generated here (awk, ~17 MB in a temp dir), not kept in git.
# Usage: validate_100k.sh BINARY
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() {  # gen BAD_LINE
  awk -v bad="$1" 'BEGIN {
    for (i = 1; i <= 100000; i++) {
      if (i == bad) {
        printf "{\"messages\":[{\"role\":\"user\",\"content\":\"Where is order %d?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_%d\",\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"arguments\":\"{}\"}}]},{\"role\":\"assistant\",\"content\":\"It shipped.\"}]}\n", i, i
      } else {
        printf "{\"messages\":[{\"role\":\"system\",\"content\":\"You track orders.\"},{\"role\":\"user\",\"content\":\"Where is order %d?\"},{\"role\":\"assistant\",\"content\":\"Order %d shipped on day %d.\",\"weight\":1}]}\n", i, i, i % 28 + 1
      }
    }
  }'
}
fail=0
gen 0 > "$tmp/clean.jsonl"
FTPREP_PLUGIN_PATH=disable "$bin" validate --profile openai-chat --no-tokens --progress never "$tmp/clean.jsonl" \
  > "$tmp/out.jsonl" 2> "$tmp/err"
rc=$?
if [ $rc != 0 ]; then echo "FAIL clean: exit $rc"; cat "$tmp/err"; fail=1; fi
if ! cmp -s "$tmp/clean.jsonl" "$tmp/out.jsonl"; then echo "FAIL clean: records did not pass through unchanged"; fail=1; fi
grep -q "100000 records: 100000 valid, 0 invalid; 0 errors" "$tmp/err" || { echo "FAIL clean summary:"; cat "$tmp/err"; fail=1; }

gen 73421 > "$tmp/bad.jsonl"
FTPREP_PLUGIN_PATH=disable "$bin" validate --profile openai-chat --no-tokens --progress never "$tmp/bad.jsonl" \
  > "$tmp/out.jsonl" 2> "$tmp/err"
rc=$?
if [ $rc != 1 ]; then echo "FAIL one bad line: exit $rc, expected 1"; fail=1; fi
want="bad.jsonl:73421: error[chat.tool_call.unanswered]: tool call \"call_73421\" has no tool message at messages[1].tool_calls[0]"
grep -qF "$want" "$tmp/err" || { echo "FAIL one bad line: missing '$want' in:"; head -5 "$tmp/err"; fail=1; }
[ "$(wc -l < "$tmp/out.jsonl")" = 99999 ] || { echo "FAIL one bad line: expected 99999 valid records on stdout"; fail=1; }
grep -q "100000 records: 99999 valid, 1 invalid" "$tmp/err" || { echo "FAIL bad summary:"; tail -3 "$tmp/err"; fail=1; }
[ $fail = 0 ] && echo "ok   validate 100k clean (exit 0) and one bad line 73421 (exit 1)"
exit $fail
