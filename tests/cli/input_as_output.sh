#!/usr/bin/env bash
# Shared by the tests/cli/<tool>/input_as_output cases: runs `ftprep TOOL ARGS...` with each written path
# (FLAG is -o, --rejects, --report, ...) pointed at the input in every form — the same path, a "./" prefix,
# a hard link, a symlink to it, the input read through a symlink, the input given on stdin — with and
# without --force, then stdout appended to the input; prints each exit code and fails loudly if the input's
# bytes changed. Then an existing file that is not an input: refused without --force, replaced with it; and
# one file named by two flags.
#   bash input_as_output.sh INPUT "TOOL ARGS..." FLAG...
# With SPLIT_NAME=train, the written path is a split pattern: the input is d_train.jsonl and FLAG -o gets
# d_{split}.jsonl (and likewise for the links); NOT_O holds arguments given whenever FLAG is not -o (split's
# own -o pattern).
set -u
input=$1; tool=$2; shift 2
sum() { sha256sum "$input" | cut -d' ' -f1; }
before=$(sum)
ln "$input" hard.jsonl; ln -s "$input" sym.jsonl
[ -n "${SPLIT_NAME:-}" ] && { ln "$input" "h_$SPLIT_NAME.jsonl"; ln -s "$input" "s_$SPLIT_NAME.jsonl"; }
target() {  # form -> the path written
  local p
  case $1 in
    same|stdin|via-symlink) p=$input ;;
    dot) p=./$input ;;
    hard) p=hard.jsonl ;;
    symlink) p=sym.jsonl ;;
  esac
  if [ -n "${SPLIT_NAME:-}" ] && [ "$flag" = -o ]; then
    case $1 in hard) p=h_$SPLIT_NAME.jsonl ;; symlink) p=s_$SPLIT_NAME.jsonl ;; esac
    p=${p/$SPLIT_NAME/\{split\}}
  fi
  printf '%s' "$p"
}
check() {
  if [ "$(sum)" != "$before" ]; then echo "INPUT CHANGED by: $*"; exit 1; fi
}
for flag in "$@"; do
  extra=""; [ "$flag" != -o ] && extra=${NOT_O:-}
  for form in same dot hard symlink via-symlink stdin; do
    for force in "" --force; do
      out=$(target "$form")
      if [ "$form" = stdin ]; then
        $tool $extra $flag "$out" $force - <"$input" >/dev/null; rc=$?
      elif [ "$form" = via-symlink ]; then
        $tool $extra $flag "$out" $force sym.jsonl >/dev/null; rc=$?
      else
        $tool $extra $flag "$out" $force "$input" >/dev/null; rc=$?
      fi
      echo "$flag $form${force:+ $force}: exit $rc"
      check "$flag $form $force"
    done
  done
done
$tool ${NOT_O:-} "$input" >>"$input"; echo "stdout appended to the input: exit $?"
check "stdout appended"
flag=$1
out=other.jsonl; [ -n "${SPLIT_NAME:-}" ] && [ "$flag" = -o ] && out="other_{split}.jsonl"
first=${out/\{split\}/${SPLIT_NAME:-}}
echo old >"$first"
$tool $flag "$out" "$input" >/dev/null; echo "$flag onto an existing file: exit $? ($(cat "$first" | head -c 20))"
$tool $flag "$out" --force "$input" >/dev/null; rc=$?
[ "$(cat "$first")" = old ] && echo "$flag --force did not replace the existing file" || echo "$flag onto an existing file with --force: exit $rc, replaced"
check "existing file"
if [ $# -ge 2 ]; then  # the last two flags
  a=${*: -2:1}; b=${*: -1}
  $tool ${NOT_O:-} $a twice.jsonl $b ./twice.jsonl "$input" >/dev/null; echo "$a and $b naming one file: exit $?"
  [ -e twice.jsonl ] && echo "twice.jsonl was written"
fi
check "end"
echo "input unchanged"
