#!/usr/bin/env bash
# Workflow 2 — a book to tuning format: a long plain-text collection of children's stories -> chunks of at
# most 256 tokens on paragraph boundaries -> open-ended completion examples (empty prompt) -> a held-out
# split -> validate -> token and cost summary.
source "$(dirname "$0")/common.sh"

step "Cut the stories into chunks of at most 256 tokens, as open-ended completions" \
     'ftprep convert samples/stories/stories.txt --chunk-tokens 256 --to completion --prompt "" --completion text -o chunks.jsonl'
ftprep convert samples/stories/stories.txt --chunk-tokens 256 --to completion --prompt "" --completion text \
  -o chunks.jsonl
echo "(exit $?; $(wc -l < chunks.jsonl) examples)"

step "Hold out 10 % for validation" 'ftprep split --ratio 0.9,0.1 --seed 42 -o book_{split}.jsonl chunks.jsonl'
ftprep split --ratio 0.9,0.1 --seed 42 -o 'book_{split}.jsonl' chunks.jsonl

step "Validate against the legacy completions profile" 'ftprep validate --profile openai-completions book_train.jsonl > /dev/null'
ftprep validate --profile openai-completions book_train.jsonl > /dev/null
echo "(exit $?)"

step "Tokens per example" 'ftprep count --model davinci-002 book_train.jsonl'
ftprep count --model davinci-002 book_train.jsonl

step "What training costs" 'ftprep price --model davinci-002,babbage-002 --valid book_valid.jsonl book_train.jsonl'
ftprep price --model davinci-002,babbage-002 --valid book_valid.jsonl book_train.jsonl
