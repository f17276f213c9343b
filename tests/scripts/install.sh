#!/usr/bin/env bash
# Install test: bash tests/scripts/install.sh BINARY
#
# Installs the build folder of BINARY into a temporary prefix with `cmake --install` and checks what a user
# gets: the binary, the example plugin found without --plugin-path (and no test fixture among rejected
# plugins), a man page per tool that `man -l` renders, and completions for bash (run here: `ftprep con` ->
# convert, `--prof` -> --profile, profile/model/encoding values), zsh and fish (syntax-checked when those
# shells are installed).
set -u
bin=$(realpath "$1")
build=$(dirname "$bin")
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
fail=0
check() {  # check WHAT COMMAND...: runs the command, reports
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

if ! cmake --install "$build" --prefix "$prefix" >"$prefix/install.log" 2>&1; then
  cat "$prefix/install.log"; echo "FAIL cmake --install"; exit 1
fi
unset FTPREP_PLUGIN_PATH
ft=$prefix/bin/ftprep
check "bin/ftprep runs" "$ft" --version

# Plugins: the example is found from the prefix; the wrong-ABI / missing-symbol fixtures are not installed.
plugins=$("$ft" plugins 2>&1)
check "plugins: refusals found in the prefix" grep -q "$prefix/lib/ftprep/plugins/1/refusals.so" <<<"$plugins"
check "plugins: nothing rejected" bash -c '! grep -qi "rejected" <<<"$1"' _ "$plugins"
check "plugins: only the example installed" test "$(ls "$prefix/lib/ftprep/plugins/1")" = "refusals.so"
check "refusals rule set runs from the prefix" bash -c \
  'echo "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"I am sorry, but I cannot help.\"}]}" |
   "$1" validate --profile jsonl --rule-set refusals 2>&1 >/dev/null | grep -q "warning\[refusal.boilerplate\]"' _ "$ft"

# Man pages: ftprep.1 and one per tool listed by `ftprep help`, each rendered by man.
tools=$("$ft" help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p')
check "help lists tools" test -n "$tools"
pages=("$prefix/share/man/man1/ftprep.1")
for t in $tools; do pages+=("$prefix/share/man/man1/ftprep-$t.1"); done
if command -v man >/dev/null; then
  for p in "${pages[@]}"; do
    name=$(basename "$p" .1)
    check "man -l $name.1 renders" bash -c \
      'out=$(MANWIDTH=100 man -l "$1" 2>"$2/man.err") && [ ! -s "$2/man.err" ] &&
       grep -q "^NAME" <<<"$out" && grep -q "$3" <<<"$out" && grep -q "^SYNOPSIS" <<<"$out"' _ "$p" "$prefix" "$name"
  done
  check "ftprep-count.1 holds the options of --help" bash -c \
    'MANWIDTH=200 man -l "$1" | grep -q -- "--max-listed N"' _ "$prefix/share/man/man1/ftprep-count.1"
else
  echo "SKIP man pages render: man is not installed (apt-get install man-db); checking they exist"
  for p in "${pages[@]}"; do check "$(basename "$p") exists" test -s "$p"; done
fi

# Completions: installed where the shells look, and identical to what `ftprep completion SHELL` prints.
bashc=$prefix/share/bash-completion/completions/ftprep
zshc=$prefix/share/zsh/site-functions/_ftprep
fishc=$prefix/share/fish/vendor_completions.d/ftprep.fish
check "bash completion = ftprep completion bash" cmp -s "$bashc" <("$ft" completion bash)
check "zsh completion = ftprep completion zsh" cmp -s "$zshc" <("$ft" completion zsh)
check "fish completion = ftprep completion fish" cmp -s "$fishc" <("$ft" completion fish)

complete_words() {  # complete_words WORD... : what the bash completion offers for the last word
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _ftprep; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$bashc" "$@"
}
check "bash: ftprep con -> convert" test "$(complete_words ftprep con)" = "convert"
check "bash: ftprep validate --prof -> --profile" test "$(complete_words ftprep validate --prof)" = "--profile"
check "bash: --profile op -> openai profiles" bash -c \
  '[ "$(printf "%s\n" $1 | sort | tr "\n" " ")" = "openai-chat openai-completions openai-dpo openai-rft " ]' \
  _ "$(complete_words ftprep validate --profile op)"
check "bash: count -m gpt-4.1-mi -> models" bash -c '[ "$1" = "$(printf "gpt-4.1-mini\ngpt-4.1-mini-2025-04-14")" ]' \
  _ "$(complete_words ftprep count -m gpt-4.1-mi)"
check "bash: count --encoding cl -> cl100k_base" test "$(complete_words ftprep count --encoding cl)" = "cl100k_base"
check "bash: count --encoding=cl -> cl100k_base" test "$(complete_words ftprep count --encoding = cl)" = "cl100k_base"
check "bash: help pri -> price" test "$(complete_words ftprep help pri)" = "price"
check "bash: completion z -> zsh" test "$(complete_words ftprep completion z)" = "zsh"
check "bash: -o FILE offers files (no words)" test -z "$(complete_words ftprep count -o x)"
if command -v zsh >/dev/null; then check "zsh -n _ftprep" zsh -n "$zshc"; else echo "SKIP zsh syntax: zsh not installed"; fi
if command -v fish >/dev/null; then
  check "fish -n ftprep.fish" fish -n "$fishc"
  check "fish: ftprep con -> convert" bash -c '[ "$(fish -c "source $1; complete -C \"ftprep con\"" | cut -f1)" = convert ]' _ "$fishc"
  check "fish: validate --prof -> --profile" bash -c \
    '[ "$(fish -c "source $1; complete -C \"ftprep validate --prof\"" | cut -f1)" = --profile ]' _ "$fishc"
else
  echo "SKIP fish: fish not installed"
fi
check "fish: --profile values listed" grep -q -- "-l profile -r -f -a 'auto jsonl" "$fishc"
check "zsh: tools described" grep -q "'convert:" "$zshc"

exit $fail
